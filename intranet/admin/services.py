"""Account administration. Services change and flush; the request commits once."""

from intranet.accounts.directory import directory_configured
from intranet.accounts.services import create_user
from intranet.auth.policies import can_manage_users
from intranet.core.errors import NotAllowed, RuleViolation
from intranet.core.translation import lazy_gettext as _l
from intranet.extensions import db
from intranet.models import Board, User


def _require_manager(actor: User) -> None:
    if not can_manage_users(actor):
        raise NotAllowed()


def create_account(
    actor: User,
    username: str,
    display_name: str,
    role: str,
    password: str | None,
    boards: list[Board],
) -> User:
    """Create an account. A password is required unless users sign in through a directory.

    Raises NotAllowed (can_manage_users), RuleViolation (taken name, weak password,
    identity number in the name).
    """
    _require_manager(actor)
    if not password and not directory_configured():
        raise RuleViolation("password", _l("Ange ett lösenord."))
    return create_user(actor, username, display_name, role, password or None, boards)


def update_account(
    actor: User, user: User, display_name: str, role: str, boards: list[Board]
) -> None:
    """Change name, role and boards. A role change ends the user's sessions, so the new
    role applies at once. Admins cannot remove their own admin role (no lock-out).
    Raises NotAllowed (can_manage_users), RuleViolation."""
    _require_manager(actor)
    if user.id == actor.id and role != user.role:
        raise RuleViolation("role", _l("Du kan inte ändra din egen roll."))
    if role != user.role:
        user.end_sessions()
    user.display_name = display_name
    user.role = role
    user.set_boards(boards)
    db.session.flush()


def deactivate_account(actor: User, user: User) -> None:
    """Deactivate (never delete) an account and end its sessions; not one's own.
    Raises NotAllowed (can_manage_users), RuleViolation."""
    _require_manager(actor)
    if user.id == actor.id:
        raise RuleViolation("active", _l("Du kan inte inaktivera ditt eget konto."))
    if user.active:
        user.active = False
        user.end_sessions()
        db.session.flush()


def reactivate_account(actor: User, user: User) -> None:
    """Raises NotAllowed (can_manage_users)."""
    _require_manager(actor)
    user.active = True
    db.session.flush()


def reset_password(actor: User, user: User, password: str) -> None:
    """Set a new password (policy in the model) and end the user's sessions.
    Raises NotAllowed (can_manage_users), RuleViolation from the password policy."""
    _require_manager(actor)
    user.set_password(password)
    user.end_sessions()
    db.session.flush()
