"""Accounts: authentication, sign-in rate limit and user creation (changes flush, the
caller commits)."""

import hashlib
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from intranet.accounts.directory import directory_accepts, directory_configured
from intranet.auth.policies import can_manage_users
from intranet.core.clock import utc_now
from intranet.core.errors import NotAllowed, RuleViolation
from intranet.core.translation import lazy_gettext as _l
from intranet.db.database import count_in_window
from intranet.db.versioning import set_change_note
from intranet.extensions import db
from intranet.models import ROLES, Board, LoginFailures, User
from intranet.models.accounts import credential_digest

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


def record_credential(user: User) -> None:
    """Put the digest of the user's password hash into the history if it is not there yet
    (accounts from before it was recorded): from then on every change of it is evidence."""
    if user.credential_digest is None:
        # Stored data, in the history's language: not translated.
        set_change_note("Inloggningsuppgiftens kontrollsumma registrerad i historiken.")
        user.credential_digest = credential_digest(user.password_hash)


def _key(kind: str, *parts: str | None) -> str:
    text = "\x00".join((part or "").strip().lower() for part in parts)
    return f"{kind}:{hashlib.sha256(text.encode()).hexdigest()}"


def _pair_key(username: str, remote_addr: str | None) -> str:
    return _key("account-address", username[:200], remote_addr or "unknown")


def _address_key(remote_addr: str | None) -> str:
    return _key("address", remote_addr or "unknown")


def _count(key: str, now, since) -> int:
    """Add one failure to `key` and return the new count (a window older than `since`
    starts again at one)."""
    failures, _ = count_in_window(LoginFailures.__table__, {"key": key}, "failures", now, since)
    return failures


def count_sign_in_attempt(username: str, remote_addr: str | None) -> bool:
    """Count this attempt as a failure before the password is checked, and say whether it
    may go on: False once the account has had too many failures from this address, or the
    address too many on any accounts, within the window.

    Counting first, atomically, is what makes the limit exact under parallel attempts; a
    successful sign-in takes its count back (forget_failed_sign_ins). Per account *and*
    address, so that guessing from elsewhere cannot lock a known user out; the per-address
    limit (higher; LOGIN_MAX_FAILURES_PER_ADDRESS, 0 = off) stops one address trying many
    accounts. The caller commits at once, so that parallel attempts see the count."""
    config = current_app.config
    now = utc_now()
    since = _window_start()
    db.session.execute(delete(LoginFailures).where(LoginFailures.window_start < since))
    pair = _count(_pair_key(username, remote_addr), now, since)
    # 0 switches the per-address limit off: behind a NAT, a Citrix farm or a balancer
    # without PROXY_COUNT every user shares one address, and one limit would lock all out.
    address_limit = config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    address = _count(_address_key(remote_addr), now, since) if address_limit else 0
    return pair <= config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] and address <= address_limit


def _window_start():
    return utc_now() - timedelta(minutes=current_app.config["LOGIN_LOCKOUT_MINUTES"])


def forget_failed_sign_ins(username: str, remote_addr: str | None) -> None:
    """A successful sign-in clears the account's failures from this address and takes back
    the count of this attempt from the address (not the address's earlier failures)."""
    db.session.execute(
        delete(LoginFailures).where(LoginFailures.key == _pair_key(username, remote_addr))
    )
    db.session.execute(
        update(LoginFailures)
        .where(LoginFailures.key == _address_key(remote_addr), LoginFailures.failures > 0)
        .values(failures=LoginFailures.failures - 1)
    )
    db.session.flush()


def create_user(
    actor: User,
    username: str,
    display_name: str,
    role: str,
    password: str | None,
    boards: list[Board] = (),
) -> User:
    """Create a user; raises NotAllowed (can_manage_users), RuleViolation for a taken name,
    unknown role or weak password.

    Without a password the account can only sign in through the directory.
    """
    if not can_manage_users(actor):
        raise NotAllowed()
    username = (username or "").strip()
    if role not in ROLES:
        raise RuleViolation("role", _l("Okänd roll."))
    if find_user(username) is not None:
        raise RuleViolation("username", _l("Användarnamnet är upptaget."))
    user = User(username=username, display_name=display_name or username, role=role)
    if password is not None:
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    user.set_boards(list(boards))
    db.session.flush()
    return user
