"""Account administration. Services change and flush; the request commits once."""

from intranet.accounts.directory import directory_configured
from intranet.accounts.services import create_user
from intranet.core.errors import RuleViolation
from intranet.core.translation import lazy_gettext as _l
from intranet.extensions import db
from intranet.models import Board, User


def create_account(
    username: str, display_name: str, role: str, password: str | None, boards: list[Board]
) -> User:
    """Create an account. A password is required unless users sign in through a directory.

    Raises RuleViolation (taken name, weak password, identity number in the name).
    """
    if not password and not directory_configured():
        raise RuleViolation("password", _l("Ange ett lösenord."))
    return create_user(username, display_name, role, password or None, boards)


def update_account(
    actor: User, user: User, display_name: str, role: str, boards: list[Board]
) -> None:
    """Change name, role and boards. A role change ends the user's sessions, so the new
    role applies at once. Admins cannot remove their own admin role (no lock-out)."""
    if user.id == actor.id and role != user.role:
        raise RuleViolation("role", _l("Du kan inte ändra din egen roll."))
    if role != user.role:
        user.end_sessions()
    user.display_name = display_name
    user.role = role
    user.set_boards(boards)
    db.session.flush()


def deactivate_account(actor: User, user: User) -> None:
    """Deactivate (never delete) an account and end its sessions; not one's own."""
    if user.id == actor.id:
        raise RuleViolation("active", _l("Du kan inte inaktivera ditt eget konto."))
    if user.active:
        user.active = False
        user.end_sessions()
        db.session.flush()


def reactivate_account(user: User) -> None:
    user.active = True
    db.session.flush()


def reset_password(user: User, password: str) -> None:
    """Set a new password (policy in the model) and end the user's sessions."""
    user.set_password(password)
    user.end_sessions()
    db.session.flush()
