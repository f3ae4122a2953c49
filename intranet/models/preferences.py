"""What a user prefers and how fast they write: per-user state that is not history."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from intranet.core.clock import utc_now
from intranet.extensions import db


class UserPreference(db.Model):
    """Not history: a setting of the user's own, like a bookmark, overwritten at will.

    Any role may change it, viewers included, as often as they like, so it must never
    write a chained history transaction (which is permanent)."""

    __tablename__ = "user_preference"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)


class WriteCount(db.Model):
    """State-changing requests counted per user in a fixed window (WRITE_RATE_LIMIT); not
    history, one row per user, overwritten by an atomic upsert as login_failures are, so
    every app server and worker counts the same requests."""

    __tablename__ = "write_count"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    requests: Mapped[int] = mapped_column(Integer)
    window_start: Mapped[datetime] = mapped_column(DateTime)
