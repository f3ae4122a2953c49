"""Accounts: authentication and user creation (changes flush, the caller commits)."""

from sqlalchemy import select

from intranet.errors import RuleViolation
from intranet.extensions import db
from intranet.models import ROLES, Board, User


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == (username or "").strip()))


def authenticate(username: str, password: str) -> User | None:
    """The active user with this name and password, or None."""
    user = find_user(username)
    if user is None or not user.is_active or not user.check_password(password):
        return None
    return user


def create_user(
    username: str,
    display_name: str,
    role: str,
    password: str,
    boards: list[Board] = (),
) -> User:
    """Create a user; raises RuleViolation for a taken name, unknown role or weak password."""
    username = (username or "").strip()
    if role not in ROLES:
        raise RuleViolation("role", "Okänd roll.")
    if find_user(username) is not None:
        raise RuleViolation("username", "Användarnamnet är upptaget.")
    user = User(username=username, display_name=display_name or username, role=role)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    user.set_boards(list(boards))
    db.session.flush()
    return user
