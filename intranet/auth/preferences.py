"""A user's own settings (the language): kept outside the history, since any role may change
them at will and a history transaction is permanent. Changes flush; the caller commits."""

from flask import g, has_request_context
from sqlalchemy import select

from intranet.core.clock import utc_now
from intranet.db.database import upsert
from intranet.extensions import db
from intranet.models import User, UserPreference


def language_preference(user_id: int) -> str | None:
    """The language this user chose, or None; read once per request."""
    cache = g.setdefault("_language_preference", {}) if has_request_context() else {}
    if user_id not in cache:
        preference = db.session.get(UserPreference, user_id)
        cache[user_id] = preference.locale if preference is not None else None
    return cache[user_id]


def load_user_with_preferences(user_id: int) -> User | None:
    """The signed-in user and their language in one statement, so that every request's
    language costs no query of its own."""
    row = db.session.execute(
        select(User, UserPreference.locale)
        .outerjoin(UserPreference, UserPreference.user_id == User.id)
        .where(User.id == user_id)
    ).first()
    if row is None:
        return None
    if has_request_context():
        g.setdefault("_language_preference", {})[user_id] = row.locale
    return row.User


def set_language_preference(user_id: int, language: str) -> None:
    """Keep the user's language in one atomic upsert (two tabs switching at once cannot
    collide), and never through the versioned path."""
    table = UserPreference.__table__
    now = utc_now()
    db.session.execute(
        upsert(table)
        .values(user_id=user_id, locale=language, updated_at=now)
        .on_conflict_do_update(
            index_elements=[table.c.user_id], set_={"locale": language, "updated_at": now}
        )
    )
    if has_request_context():
        g.setdefault("_language_preference", {})[user_id] = language
