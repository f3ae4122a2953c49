"""When a user last opened their start page: to show what others changed since then."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from intranet.core.clock import utc_now
from intranet.extensions import db


class StartPageVisit(db.Model):
    """Not history: a reading position, like a bookmark, overwritten on every visit."""

    __tablename__ = "start_page_visit"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    visited_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)
