"""Accounts: authentication, sign-in rate limit and user creation (changes flush, the
caller commits)."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, or_, select
from werkzeug.security import check_password_hash, generate_password_hash

from intranet.accounts.directory import directory_accepts, directory_configured
from intranet.errors import RuleViolation
from intranet.extensions import db
from intranet.models import ROLES, Board, LoginAttempt, User
from intranet.models.base import utc_now

_unknown_user_hash: dict[str, str] = {}


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == (username or "").strip()))


def _spend_time_like_a_password_check(password: str) -> None:
    # Unknown names take as long as known ones, so response times do not reveal accounts.
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    if method not in _unknown_user_hash:
        _unknown_user_hash[method] = generate_password_hash("unknown user", method=method)
    check_password_hash(_unknown_user_hash[method], password or "")


def authenticate(username: str, password: str) -> User | None:
    """The active user with this name and password, or None.

    With a directory configured, the directory's password is accepted for the local
    account of the same name; a local password (if the account has one) works as well.
    """
    user = find_user(username)
    if user is None or not user.is_active:
        _spend_time_like_a_password_check(password)
        return None
    if directory_configured() and directory_accepts(user.username, password):
        return user
    if user.check_password(password):
        return user
    return None


def _attempt_key(username: str) -> str:
    return (username or "").strip().lower()[:80]


def _window_start():
    return utc_now() - timedelta(minutes=current_app.config["LOGIN_LOCKOUT_MINUTES"])


def is_locked_out(username: str, remote_addr: str | None) -> bool:
    """Too many recent failed sign-ins for this account or from this address."""
    config = current_app.config
    since = _window_start()
    per_account = db.session.scalar(
        select(func.count(LoginAttempt.id)).where(
            LoginAttempt.username == _attempt_key(username), LoginAttempt.attempted_at >= since
        )
    )
    if per_account >= config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]:
        return True
    per_address = db.session.scalar(
        select(func.count(LoginAttempt.id)).where(
            LoginAttempt.remote_addr == (remote_addr or "unknown"),
            LoginAttempt.attempted_at >= since,
        )
    )
    return per_address >= config["LOGIN_MAX_FAILURES_PER_ADDRESS"]


def record_failed_sign_in(username: str, remote_addr: str | None) -> None:
    """Count a failed sign-in and prune attempts that no longer count."""
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at < _window_start()))
    db.session.add(
        LoginAttempt(username=_attempt_key(username), remote_addr=remote_addr or "unknown")
    )
    db.session.flush()


def forget_failed_sign_ins(username: str) -> None:
    """A successful sign-in clears the account's failures (not the address's)."""
    db.session.execute(
        delete(LoginAttempt).where(
            or_(
                LoginAttempt.username == _attempt_key(username),
                LoginAttempt.attempted_at < _window_start(),
            )
        )
    )
    db.session.flush()


def create_user(
    username: str,
    display_name: str,
    role: str,
    password: str | None,
    boards: list[Board] = (),
) -> User:
    """Create a user; raises RuleViolation for a taken name, unknown role or weak password.

    Without a password the account can only sign in through the directory.
    """
    username = (username or "").strip()
    if role not in ROLES:
        raise RuleViolation("role", "Okänd roll.")
    if find_user(username) is not None:
        raise RuleViolation("username", "Användarnamnet är upptaget.")
    user = User(username=username, display_name=display_name or username, role=role)
    if password is not None:
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    user.set_boards(list(boards))
    db.session.flush()
    return user
