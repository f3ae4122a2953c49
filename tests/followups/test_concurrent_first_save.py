"""Two officers save the first follow-up of the same sub-goal and year at the same moment.

The requests are interleaved for real: the first request's flush is paused, just before it
writes, while the second officer's whole request runs and commits; then the first goes on
and meets the unique constraint. Both are ordinary requests with their own sessions."""

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from intranet.extensions import db
from intranet.models import FollowUp, ReportComment, Transaction
from tests.followups.test_routes import FIELDS, _follow_up, _url


class Interleave:
    """Run `other()` once, the first time a flush is about to write a new `model` row."""

    def __init__(self, model, other):
        self.model, self.other, self.done, self.result = model, other, False, None

    def __enter__(self):
        event.listen(Session, "before_flush", self._before_flush, insert=True)
        return self

    def __exit__(self, *exc):
        event.remove(Session, "before_flush", self._before_flush)

    def _before_flush(self, session, flush_context, instances):
        if self.done or not any(isinstance(obj, self.model) for obj in session.new):
            return
        self.done = True
        self.result = self.other()


@pytest.fixture
def two_officers(app, make):
    board = make.board()
    sub_goal = make.sub_goal(boards=[board])
    first, second = app.test_client(), app.test_client()
    first.login(make.user("officer", boards=[board]).username)
    second.login(make.user("officer", boards=[board], display_name="Andra handläggaren").username)
    return sub_goal, first, second


def _transactions() -> int:
    return db.session.scalar(select(func.count(Transaction.id)))


def test_the_second_first_save_gets_the_conflict_view_with_its_text_kept(two_officers):
    sub_goal, first, second = two_officers
    mine = FIELDS | {"lock_version": "0", "outcome": "Min text, som inte får försvinna."}
    theirs = FIELDS | {"lock_version": "0", "outcome": "Den andras text.", "status": "done"}
    before = _transactions()
    with Interleave(FollowUp, lambda: second.post_form(_url(sub_goal), theirs)) as race:
        response = first.post_form(_url(sub_goal), mine, htmx=True)
    assert race.done and race.result.status_code == 302
    page = response.get_data(as_text=True)
    assert response.status_code == 409, page[:2000]
    assert "Någon annan har sparat uppföljningen medan du redigerade" in page
    assert "Min text, som inte får försvinna." in page  # still in the form
    assert "Den andras text." in page  # what was saved meanwhile
    assert "Andra handläggaren" in page
    assert _follow_up(sub_goal).outcome == "Den andras text."
    assert _transactions() == before + 1

    # Saving again from the conflict view deliberately replaces the other version.
    lock = page.split('name="lock_version" type="hidden" value="')[1].split('"')[0]
    response = first.post_form(_url(sub_goal), mine | {"lock_version": lock})
    assert response.status_code == 302
    assert _follow_up(sub_goal).outcome == "Min text, som inte får försvinna."


def _comments(plan, board) -> list[ReportComment]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(ReportComment).where(
                ReportComment.plan_id == plan.id, ReportComment.board_id == board.id
            )
        )
    )


@pytest.fixture
def two_board_officers(app, make):
    board = make.board()
    sub_goal = make.sub_goal(boards=[board])
    first, second = app.test_client(), app.test_client()
    first.login(make.user("officer", boards=[board]).username)
    second.login(make.user("officer", boards=[board], display_name="Andra handläggaren").username)
    return sub_goal.plan, board, first, second


def _comment(client, plan, board, text, lock_version, year=""):
    return client.post_form(
        f"/plans/{plan.id}/report/comments",
        {"board_id": board.id, "year": year, "text": text, "lock_version": lock_version},
        htmx=True,
    )


@pytest.mark.parametrize("year", ["", "2019"])
def test_closing_comments_have_an_optimistic_lock(two_board_officers, year):
    plan, board, first, second = two_board_officers
    assert _comment(first, plan, board, "Första versionen.", "0", year).status_code == 204
    page = first.get(f"/plans/{plan.id}/report?board_id={board.id}&year={year}")
    assert 'name="lock_version" type="hidden" value="1"' in page.get_data(as_text=True)

    assert _comment(second, plan, board, "Den andras ändring.", "1", year).status_code == 204
    response = _comment(first, plan, board, "Min ändring, som inte får försvinna.", "1", year)
    page = response.get_data(as_text=True)
    assert response.status_code == 409, page[:2000]
    assert "Någon annan har sparat kommentarerna medan du skrev" in page
    assert "Min ändring, som inte får försvinna." in page
    assert "Den andras ändring." in page and "Andra handläggaren" in page
    assert [c.text for c in _comments(plan, board)] == ["Den andras ändring."]

    lock = page.split('name="lock_version" type="hidden" value="')[1].split('"')[0]
    assert lock == "2"
    assert _comment(first, plan, board, "Min ändring.", lock, year).status_code == 204
    assert [c.text for c in _comments(plan, board)] == ["Min ändring."]


@pytest.mark.parametrize("year", ["", "2019"])
def test_two_first_closing_comments_at_once_make_one_and_a_conflict(two_board_officers, year):
    plan, board, first, second = two_board_officers
    theirs = lambda: _comment(second, plan, board, "Den andras text.", "0", year)  # noqa: E731
    with Interleave(ReportComment, theirs) as race:
        response = _comment(first, plan, board, "Min text.", "0", year)
    assert race.done and race.result.status_code == 204
    page = response.get_data(as_text=True)
    assert response.status_code == 409, page[:2000]
    assert "Min text." in page and "Den andras text." in page
    assert [c.text for c in _comments(plan, board)] == ["Den andras text."]
