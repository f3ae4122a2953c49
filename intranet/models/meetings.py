"""Meetings (samverkansmöten) held over the goal matrix: started and ended by a participant.

A meeting belongs to the plan it looks at (None: all plans). Its start is where the next
meeting's "what changed since" begins, so starting and ending are versioned like any
change: who started and ended which meeting, and when, is in the history.

"Since the last meeting" is kept per user: the last ended meeting they took part in (had
its meeting-mode matrix open while it ran, or started or ended it), so someone who missed
a meeting still sees what changed since the one they were at.
"""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intranet.core.clock import utc_now
from intranet.extensions import db
from intranet.models.accounts import User
from intranet.models.base import RuleChecked


class Meeting(RuleChecked, db.Model):
    __tablename__ = "meeting"
    __versioned__ = {}
    __table_args__ = (Index("ix_meeting_plan_ended", "plan_id", "ended_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id"))
    started_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)  # naive UTC
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)

    started_by: Mapped[User] = relationship()

    @property
    def is_running(self) -> bool:
        return self.ended_at is None

    @staticmethod
    def in_scope(plan_id: int | None):
        """The meetings that looked at the plan: its own and those over all plans (a view
        of all plans counts only meetings over all plans)."""
        if plan_id is None:
            return Meeting.plan_id.is_(None)
        return (Meeting.plan_id == plan_id) | Meeting.plan_id.is_(None)

    @staticmethod
    def running(plan_id: int | None) -> "Meeting | None":
        """The meeting running over exactly this plan (or all plans); the database keeps
        it to one (uq_meeting_running_scope)."""
        scope = Meeting.plan_id.is_(None) if plan_id is None else Meeting.plan_id == plan_id
        return db.session.scalar(
            select(Meeting)
            .where(scope, Meeting.ended_at.is_(None))
            .order_by(Meeting.started_at.desc(), Meeting.id.desc())
            .limit(1)
        )

    @staticmethod
    def last_ended(plan_id: int | None, attended_by: int | None = None) -> "Meeting | None":
        """The last ended meeting over the plan; with `attended_by`, the last one that user
        took part in, or, if they were at none, the last one of all."""
        query = (
            select(Meeting)
            .where(Meeting.in_scope(plan_id), Meeting.ended_at.is_not(None))
            .order_by(Meeting.ended_at.desc(), Meeting.id.desc())
            .limit(1)
        )
        if attended_by is not None:
            attended = db.session.scalar(
                query.join(MeetingAttendance).where(MeetingAttendance.user_id == attended_by)
            )
            if attended is not None:
                return attended
        return db.session.scalar(query)


# At most one running meeting per scope (a plan, or all plans), kept by the database: two
# people pressing "start" at once must not open two meetings. NULL never collides in a
# unique index, so "all plans" is keyed as 0, which no plan id is.
Index(
    "uq_meeting_running_scope",
    func.coalesce(Meeting.plan_id, 0),
    unique=True,
    postgresql_where=Meeting.ended_at.is_(None),
    sqlite_where=Meeting.ended_at.is_(None),
)


class MeetingAttendance(db.Model):
    """Not history: a reading position, like the start page's visit. Who took part in a
    meeting, for their own "since the last meeting"."""

    __tablename__ = "meeting_attendance"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)
