"""Evidence of the authorization each request acted under.

A database writer can raise a user's role (or add a board membership) in the current table
only, let the user act, and put it back: the history never held the raised value. So every
signed line that names transactions also names, per transaction, a digest of the
authorization its author's request ran with: role, active and board memberships *as loaded
at the start of the request* (before the request's own changes were flushed: an admin who
edits their own memberships acted under the old ones). Verify recomputes it from the
history as it stood at the transaction before (user_version, membership_version).
"""

import hashlib
import json

from flask import g, has_request_context
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.models import Membership, User
from intranet.models.accounts import credential_digest


def authorization_digest(role, active, board_ids) -> str:
    content = {"role": role, "active": bool(active), "boards": sorted(int(b) for b in board_ids)}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def remember_loaded(user: User) -> None:
    """Called by the user loader: the role and active flag the request's checks will read."""
    if has_request_context():
        g._authorization = {"user": user.id, "role": user.role, "active": bool(user.active)}


def request_authorization() -> tuple[int, str] | None:
    """(user id, digest) of the signed-in user's authorization as loaded, or None."""
    if not has_request_context():
        return None
    loaded = g.get("_authorization")
    if loaded is None or "boards" not in loaded:
        return None
    return loaded["user"], authorization_digest(loaded["role"], loaded["active"], loaded["boards"])


def user_authorization(user: User) -> str:
    """The digest of a user's authorization as it stands in the session (at sign-in)."""
    return authorization_digest(user.role, user.active, user.board_ids)


def capture_authorization(session, flush_context, instances):
    """Before flush: the request's board memberships as they were when it started."""
    # The first flush of a request comes before any of its changes reach the database, so
    # the memberships read here (the collection's original state when it is loaded and
    # changed, else the rows) are the ones the request's checks started from.
    if not has_request_context():
        return
    loaded = g.get("_authorization")
    if loaded is None or "boards" in loaded:
        return
    user = session.identity_map.get(Session.identity_key(User, loaded["user"]))
    state = inspect(user) if user is not None else None
    if state is not None and "memberships" not in state.unloaded:
        history = state.attrs.memberships.history
        members = list(history.unchanged or ()) + list(history.deleted or ())
        if not history.has_changes():
            members = list(user.memberships)
        loaded["boards"] = [membership.board_id for membership in members]
        return
    table = Membership.__table__
    loaded["boards"] = list(
        session.connection().scalars(
            select(table.c.board_id).where(table.c.user_id == loaded["user"])
        )
    )


def record_missing_credentials() -> int:
    """At the upgrade (`flask audit checkpoint --adopt-existing`): put the digest of every
    account's password hash that has none into the history, in one transaction with a
    change note, before the adopting line signs the head. From then on no account waits for
    its next sign-in, when a hash a database writer put in would be recorded as genuine."""
    users = db.session.scalars(
        select(User).where(User.credential_digest.is_(None)).order_by(User.id)
    ).all()
    if not users:
        return 0
    # Stored data, in the history's language: not translated.
    with acting_as(None, "Inloggningsuppgifternas kontrollsummor registrerade vid uppgraderingen."):
        for user in users:
            user.credential_digest = credential_digest(user.password_hash)
        db.session.commit()
    return len(users)
