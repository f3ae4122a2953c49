"""Starting and ending meetings: the rules, the history, and the next meeting's "since"."""

import pytest
from sqlalchemy import select
from sqlalchemy_continuum import version_class

from intranet.auth.policies import can_end_meeting
from intranet.core.errors import NotAllowed, RuleViolation
from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.matrix.changes import since_meeting
from intranet.meetings.services import end_meeting, start_meeting
from intranet.models import Meeting, Transaction


def _as(user, action, *args):
    with acting_as(user.id, "test"):
        result = action(user, *args)
        db.session.commit()
    return result


def test_a_meeting_is_started_and_ended_in_the_history(make):
    chair = make.user("viewer", display_name="Mötets ordförande")
    plan = make.plan()
    meeting, started = _as(chair, start_meeting, plan)
    assert started and meeting.is_running and meeting.plan_id == plan.id
    assert meeting.started_by.display_name == "Mötets ordförande"
    _as(chair, end_meeting, meeting)
    assert meeting.ended_at is not None and meeting.ended_at >= meeting.started_at
    versions = db.session.scalars(
        select(version_class(Meeting)).where(version_class(Meeting).id == meeting.id)
    ).all()
    assert len(versions) == 2
    for version in versions:
        assert db.session.get(Transaction, version.transaction_id).user_id == chair.id


def test_a_second_start_joins_the_running_meeting(make):
    plan = make.plan()
    first, _ = _as(make.user("officer"), start_meeting, plan)
    again, started = _as(make.user("admin"), start_meeting, plan)
    assert again.id == first.id and not started
    # Another plan, or all plans, is another meeting.
    other, started = _as(make.user("admin"), start_meeting, None)
    assert started and other.id != first.id


def test_an_ended_meeting_stays_ended(make):
    chair = make.user("viewer")
    meeting, _ = _as(chair, start_meeting, None)
    _as(chair, end_meeting, meeting)
    with pytest.raises(RuleViolation) as refused:
        _as(chair, end_meeting, meeting)
    assert refused.value.field == "meeting"


def test_only_who_started_a_meeting_or_an_admin_ends_it(make):
    chair = make.user("viewer")
    meeting, _ = _as(chair, start_meeting, None)
    for other in (make.user("viewer"), make.user("officer"), make.user("auditor")):
        assert not can_end_meeting(other, meeting)
        with pytest.raises(NotAllowed):
            end_meeting(other, meeting)
    assert meeting.is_running
    assert can_end_meeting(chair, meeting)
    admin = make.user("admin")
    assert can_end_meeting(admin, meeting)
    _as(admin, end_meeting, meeting)
    assert not meeting.is_running


def test_auditors_neither_start_nor_end(make):
    auditor = make.user("auditor")
    with pytest.raises(NotAllowed):
        start_meeting(auditor, None)
    meeting = make.meeting()
    with pytest.raises(NotAllowed):
        end_meeting(auditor, meeting)


def test_the_last_ended_meeting_is_the_plans_or_all_plans(make):
    plan, other_plan = make.plan(), make.plan()
    chair = make.user("viewer")
    assert Meeting.last_ended(plan.id) is None
    for scope in (plan, other_plan, None):
        meeting, _ = _as(chair, start_meeting, scope)
        _as(chair, end_meeting, meeting)
    running, _ = _as(chair, start_meeting, plan)  # a running meeting is not the last one
    assert Meeting.last_ended(plan.id).plan_id is None  # the all-plans one ended last
    assert Meeting.last_ended(None).plan_id is None
    assert Meeting.running(plan.id).id == running.id and Meeting.running(other_plan.id) is None


def test_since_a_meeting_counts_from_the_transaction_that_started_it(make):
    chair = make.user("viewer")
    meeting, _ = _as(chair, start_meeting, None)
    started = db.session.scalar(
        select(version_class(Meeting).transaction_id).where(version_class(Meeting).id == meeting.id)
    )
    _as(chair, end_meeting, meeting)
    since = since_meeting(meeting)
    assert since.meeting and since.transaction_id == started
