"""Every view, now and as of a date (and the plan export, now), shows the same records
under the one archived rule (intranet.reading.snapshot): archiving a board, a sub-goal or an
activity hides it from every view of today, and every view of a date before the archiving
still shows it."""

from datetime import datetime

import pytest

from intranet.core import clock
from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.models import Activity, Board, FocusArea, FollowUp, Plan, Strategy, SubGoal

CREATED = datetime(2019, 6, 1, 10, 0)  # naive UTC, like issued_at
BEFORE = "2019-12-31"

KEPT_BOARD, GONE_BOARD = "Nämnd som finns kvar", "Nämnd som arkiveras"
KEPT_SUB_GOAL, GONE_SUB_GOAL = "Delmål som finns kvar", "Delmål som arkiveras"
KEPT_ACTIVITY, GONE_ACTIVITY = "Aktivitet som finns kvar", "Aktivitet som arkiveras"


@pytest.fixture
def plan(make):
    """A plan written in 2019: two sub-goals (one with two boards) and two activities."""
    make.user("admin", username="chefen")
    make.user("auditor", username="revisorn")
    with acting_as(None, "test data", issued_at=CREATED):
        kept_board = Board(name=KEPT_BOARD, administration="Förvaltning")
        gone_board = Board(name=GONE_BOARD, administration="Förvaltning")
        plan = Plan(
            title="Planen",
            start_year=2018,
            end_year=2021,
            status="active",
            strategy=Strategy(title="Strategin", start_year=2012, end_year=2032),
        )
        area = FocusArea(plan=plan, number="1", title="Fokusområdet")
        kept = SubGoal(focus_area=area, code="1.1", title=KEPT_SUB_GOAL)
        gone = SubGoal(focus_area=area, code="1.2", title=GONE_SUB_GOAL)
        db.session.add_all([kept_board, gone_board, plan, area, kept, gone])
        kept.set_boards([kept_board, gone_board])
        gone.set_boards([kept_board])
        for sub_goal in (kept, gone):
            db.session.add(FollowUp(sub_goal=sub_goal, year=2019, status="done"))
        for title in (KEPT_ACTIVITY, GONE_ACTIVITY):
            db.session.add(
                Activity(sub_goal=kept, title=title, planned_from_year=2019, planned_to_year=2019)
            )
        db.session.commit()
    return plan


def _archive(client, what: str, plan: Plan) -> None:
    if what == "board":
        board = db.session.scalar(db.select(Board).where(Board.name == GONE_BOARD))
        with acting_as(None, "the board is wound up"):
            board.archive()
            db.session.commit()
        return
    model, title = {"sub_goal": (SubGoal, GONE_SUB_GOAL), "activity": (Activity, GONE_ACTIVITY)}[
        what
    ]
    record = db.session.scalar(db.select(model).where(model.title == title))
    client.login("chefen")
    assert client.post_form(f"/archive/{what}/{record.id}").status_code == 302
    client.post_form("/logout")


def _views(plan: Plan, as_of: str | None) -> dict[str, str]:
    """The URL of each view that shows the plan's sub-goals, now (None) or as of a date."""
    kept = db.session.scalar(db.select(SubGoal).where(SubGoal.title == KEPT_SUB_GOAL))
    suffix = f"&as_of={as_of}" if as_of else ""
    query = f"?as_of={as_of}" if as_of else ""
    views = {
        "plan page": f"/plans/{plan.id}{query}",
        "sub-goal page": f"/sub-goals/{kept.id}{query}",
        "matrix": f"/matrix?plan={plan.id}&from_year=2018&to_year=2021{suffix}",
        "matrix csv": f"/matrix.csv?plan={plan.id}&from_year=2018&to_year=2021{suffix}",
        "report": f"/plans/{plan.id}/report{query}",
    }
    if as_of is None:
        views["plan csv"] = f"/plans/{plan.id}/export.csv"
    return views


# What each archiving hides, and which views show that kind of record at all.
CASES = {
    "board": (
        GONE_BOARD,
        ("plan page", "sub-goal page", "matrix", "matrix csv", "report", "plan csv"),
    ),
    "sub_goal": (GONE_SUB_GOAL, ("plan page", "matrix", "matrix csv", "report", "plan csv")),
    "activity": (GONE_ACTIVITY, ("sub-goal page",)),
}
KEPT = {
    "plan page": (KEPT_SUB_GOAL, KEPT_BOARD),
    "sub-goal page": (KEPT_SUB_GOAL, KEPT_BOARD, KEPT_ACTIVITY),
    "matrix": (KEPT_SUB_GOAL, KEPT_BOARD),
    "matrix csv": (KEPT_SUB_GOAL, KEPT_BOARD),
    "report": (KEPT_SUB_GOAL, KEPT_BOARD),
    "plan csv": (KEPT_SUB_GOAL, KEPT_BOARD),
}


@pytest.mark.parametrize("what", CASES)
def test_every_view_agrees_on_what_archiving_hides(client, plan, what):
    gone, showing = CASES[what]
    _archive(client, what, plan)
    client.login("revisorn")
    today = clock.today().isoformat()
    for moment in (None, today, BEFORE):
        for view, url in _views(plan, moment).items():
            response = client.get(url)
            assert response.status_code == 200, url
            page = response.get_data(as_text=True)
            for text in KEPT[view]:
                assert text in page, (url, text)
            if view in showing:
                assert (gone in page) == (moment == BEFORE), (url, gone)


def test_an_archived_sub_goal_has_no_page_now_but_has_one_before(client, plan):
    _archive(client, "sub_goal", plan)
    gone = db.session.scalar(db.select(SubGoal).where(SubGoal.title == GONE_SUB_GOAL))
    client.login("revisorn")
    today = clock.today().isoformat()
    assert client.get(f"/sub-goals/{gone.id}").status_code == 404
    missing = client.get(f"/sub-goals/{gone.id}?as_of={today}")
    assert missing.status_code == 404
    assert "Delmålet fanns inte vid den tidpunkten." in missing.get_data(as_text=True)
    before = client.get(f"/sub-goals/{gone.id}?as_of={BEFORE}")
    assert before.status_code == 200
    assert GONE_SUB_GOAL in before.get_data(as_text=True)


def test_archived_parents_hide_what_is_under_them(client, plan):
    """A sub-goal under an archived focus area is archived for every view too."""
    kept = db.session.scalar(db.select(SubGoal).where(SubGoal.title == KEPT_SUB_GOAL))
    client.login("chefen")
    assert client.post_form(f"/archive/focus_area/{kept.focus_area_id}").status_code == 302
    client.post_form("/logout")
    client.login("revisorn")
    today = clock.today().isoformat()
    assert client.get(f"/sub-goals/{kept.id}").status_code == 404
    assert client.get(f"/sub-goals/{kept.id}?as_of={today}").status_code == 404
    for moment in (None, today):
        for view, url in _views(plan, moment).items():
            if view == "sub-goal page":
                continue
            page = client.get(url).get_data(as_text=True)
            assert KEPT_SUB_GOAL not in page, url
            assert GONE_SUB_GOAL not in page, url
    assert KEPT_SUB_GOAL in client.get(_views(plan, BEFORE)["matrix"]).get_data(as_text=True)
