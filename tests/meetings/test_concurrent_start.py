"""Three people press "start meeting" over the same plan at the same moment.

The requests are interleaved for real (as in tests/followups/test_concurrent_first_save.py):
each request has read that no meeting is running, and its flush is paused just before it
writes while the next request runs; the last one commits, then the others go on and meet
the database's unique index on running meetings."""

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from intranet.extensions import db
from intranet.models import Meeting

START = "/meetings/start"


class Cascade:
    """Each time a flush is about to write a new meeting, run the next waiting request
    first (which, when it flushes, runs the one after it)."""

    def __init__(self, waiting):
        self.waiting, self.results = list(waiting), []

    def __enter__(self):
        event.listen(Session, "before_flush", self._before_flush, insert=True)
        return self

    def __exit__(self, *exc):
        event.remove(Session, "before_flush", self._before_flush)

    def _before_flush(self, session, flush_context, instances):
        if self.waiting and any(isinstance(obj, Meeting) for obj in session.new):
            self.results.append(self.waiting.pop(0)())


def _running(plan_id) -> list[Meeting]:
    db.session.expire_all()
    scope = Meeting.plan_id.is_(None) if plan_id is None else Meeting.plan_id == plan_id
    return list(db.session.scalars(select(Meeting).where(scope, Meeting.ended_at.is_(None))))


@pytest.mark.parametrize("all_plans", [False, True], ids=["one plan", "all plans"])
def test_three_parallel_starts_make_one_meeting(app, make, all_plans):
    plan = make.plan()
    plan_value = "" if all_plans else str(plan.id)
    clients = []
    for role in ("viewer", "officer", "admin"):
        client = app.test_client()
        client.login(make.user(role).username)
        clients.append(client)
    url = "/matrix?meeting=1"

    def press(client):
        return lambda: client.post_form(START, {"plan": plan_value, "next": url})

    with Cascade([press(clients[1]), press(clients[2])]) as race:
        first = press(clients[0])()
    assert race.results and len(race.results) == 2
    for response in [first, *race.results]:
        assert response.status_code == 302
    running = _running(None if all_plans else plan.id)
    assert len(running) == 1
    pages = [client.get(url).get_data(as_text=True) for client in clients]
    assert sum("Mötet är startat." in page for page in pages) == 1
    assert sum("Ett möte pågår redan" in page for page in pages) == 2


def test_the_database_refuses_a_second_running_meeting_in_a_scope(make):
    """Not only the service: whatever writes, one running meeting per plan and one over
    all plans (NULL, which a plain unique index would let repeat)."""
    plan = make.plan()
    make.meeting(plan_id=plan.id)
    make.meeting(plan_id=None)
    for plan_id in (plan.id, None):
        db.session.add(Meeting(plan_id=plan_id, started_by_id=make.user("viewer").id))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
    # Ended meetings do not count, and another plan is another scope.
    for meeting in _running(plan.id):
        meeting.ended_at = meeting.started_at
    db.session.flush()
    for plan_id in (plan.id, make.plan().id):
        db.session.add(Meeting(plan_id=plan_id, started_by_id=make.user("viewer").id))
        db.session.flush()
    assert db.session.scalar(select(func.count(Meeting.id))) == 4
