"""Starting and ending meetings. Services change and flush; the request commits once."""

from sqlalchemy.exc import IntegrityError

from intranet.auth.policies import can_end_meeting, can_start_meeting
from intranet.core.clock import utc_now
from intranet.core.errors import NotAllowed, RuleViolation
from intranet.core.translation import lazy_gettext as _l
from intranet.extensions import db
from intranet.models import Meeting, MeetingAttendance, Plan, User


def start_meeting(user: User, plan: Plan | None) -> tuple[Meeting, bool]:
    """Start a meeting over the plan (None: all plans) and return it with True; when one is
    already running over it, return that one with False (two participants pressing
    "start" mean the same meeting).

    Raises NotAllowed when the user may not start meetings."""
    if not can_start_meeting(user):
        raise NotAllowed()
    running = Meeting.running(plan.id if plan else None)
    if running is not None:
        return running, False
    plan_id = plan.id if plan else None
    meeting = Meeting(plan_id=plan_id, started_by_id=user.id)
    db.session.add(meeting)
    try:
        db.session.flush()
    except IntegrityError:
        # Someone started one between our read and our write: the unique index on running
        # meetings refused ours. The failed transaction cannot go on (PostgreSQL aborts
        # it), so read theirs in a fresh one.
        db.session.rollback()
        running = Meeting.running(plan_id)
        if running is None:
            raise  # not the running-meeting index: a real error
        return running, False
    take_part(user, meeting)
    return meeting, True


def end_meeting(user: User, meeting: Meeting) -> None:
    """End a running meeting; its start becomes the next meeting's "changes since".

    Raises RuleViolation when it has ended already, NotAllowed when the user may not."""
    if not can_end_meeting(user, meeting):
        raise NotAllowed()
    if not meeting.is_running:
        raise RuleViolation("meeting", _l("Mötet är redan avslutat."))
    take_part(user, meeting)
    meeting.ended_at = max(utc_now(), meeting.started_at)
    db.session.flush()


def take_part(user: User, meeting: Meeting) -> bool:
    """Remember that the user is at the running meeting (not history; flushes). True when
    that is new."""
    if not meeting.is_running or db.session.get(MeetingAttendance, (meeting.id, user.id)):
        return False
    db.session.add(MeetingAttendance(meeting_id=meeting.id, user_id=user.id))
    db.session.flush()
    return True
