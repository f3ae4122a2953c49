"""Plan and sub-goal pages as they stood at a past date, from the version tables."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import event, func, select

from intranet.core import clock
from intranet.extensions import db
from intranet.models import FollowUp, Plan, SubGoal, Transaction
from intranet.reading import asof
from intranet.reading.plan_tree import load_plan, load_sub_goal
from intranet.reading.snapshot import Snapshot
from tests.conftest import DEMO_PASSWORD


def _sub_goal(code: str) -> SubGoal:
    return db.session.scalar(
        select(SubGoal)
        .join(SubGoal.focus_area)
        .join(Plan)
        .where(SubGoal.code == code, Plan.start_year == 2018)
    )


def test_parse_as_of_is_the_end_of_the_day_or_minute_in_stockholm(app_context):
    # 2020-12-31 24:00 in Stockholm (winter, UTC+1) is 23:00 UTC.
    assert asof.parse_as_of("2020-12-31").utc == datetime(2020, 12, 31, 22, 59, 59, 999999)
    # Summer time, UTC+2.
    assert asof.parse_as_of("2020-06-15T17:00").utc == datetime(2020, 6, 15, 15, 0, 59, 999999)
    assert asof.parse_as_of(" 2020-06-15 17:00 ").text == "2020-06-15 17:00"
    for bad in ("", "yesterday", "2020-02-30", "2020-12-31T25:00", "2020-1-1"):
        with pytest.raises(asof.BadMoment):
            asof.parse_as_of(bad)


def test_sub_goal_as_of_between_two_follow_up_changes(client, demo):
    sub_goal = _sub_goal("5.1")
    client.login("auditor", password=DEMO_PASSWORD)

    response = client.get(f"/sub-goals/{sub_goal.id}?as_of=2020-12-31")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Visar läget per 2020-12-31" in page
    assert "skrivskyddad" in page
    assert "Pågår" in page
    assert "Ej genomförd/uteblivit" not in page
    assert "Social- och omsorgsnämnden" in page
    assert "Skäggetorp" in page

    now = client.get(f"/sub-goals/{sub_goal.id}").get_data(as_text=True)
    assert "Ej genomförd/uteblivit" in now
    assert "Visar läget per" not in now


def test_plan_as_of_uses_validity_queries(client, demo):
    plan = db.session.scalar(select(Plan).where(Plan.start_year == 2018))
    moment = asof.parse_as_of("2020-12-31").utc
    tx = asof.transaction_at(moment)
    snapshot = load_plan(Snapshot.at(tx, moment), plan.id)
    codes = [sub_goal.code for area in snapshot.focus_areas for sub_goal in area.sub_goals]
    assert codes[:2] == ["4.1", "4.2"] and codes[-2:] == ["5.9", "5.11"]
    five_one = next(
        sub_goal
        for area in snapshot.focus_areas
        for sub_goal in area.sub_goals
        if sub_goal.code == "5.1"
    )
    assert [(f.year, f.status) for f in five_one.follow_ups][-1] == (2020, "ongoing")
    assert five_one.board_names == ["Social- och omsorgsnämnden"]

    # A fixed number of indexed queries, whatever the number of sub-goals (at the moment asked
    # for, as the views read it: the day of responsibility comes from it).
    statements = []

    def count(*args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        load_plan(Snapshot.at(tx, moment), plan.id)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) <= 5

    # Before the plan existed.
    early = asof.transaction_at(asof.parse_as_of("2017-01-01").utc)
    assert load_plan(Snapshot.at(early), plan.id) is None

    client.login("auditor", password=DEMO_PASSWORD)
    page = client.get(f"/plans/{plan.id}?as_of=2020-12-31").get_data(as_text=True)
    assert "Visar läget per 2020-12-31" in page
    assert f"/sub-goals/{five_one.id}?as_of=2020-12-31" in page
    missing = client.get(f"/plans/{plan.id}?as_of=2017-01-01")
    assert missing.status_code == 404
    assert "Planen fanns inte vid den tidpunkten." in missing.get_data(as_text=True)


def test_bad_as_of_gives_a_swedish_message_not_a_500(client, make):
    make.user("auditor", username="revisorn")
    sub_goal = make.sub_goal()
    client.login("revisorn")
    for value in ("31/12/2020", "2020-02-30"):
        response = client.get(f"/sub-goals/{sub_goal.id}?as_of={value}")
        assert response.status_code == 400
        assert "Ange datum som ÅÅÅÅ-MM-DD" in response.get_data(
            as_text=True
        ) or "finns inte" in response.get_data(as_text=True)
    response = client.get(f"/sub-goals/{sub_goal.id}?as_of=1999-01-01")
    assert response.status_code == 400
    assert "ingen historik så långt tillbaka" in response.get_data(as_text=True)
    # An empty date asks for nothing, as on every page that takes as_of: today's page.
    response = client.get(f"/sub-goals/{sub_goal.id}?as_of=")
    assert response.status_code == 200
    assert "Visar läget per" not in response.get_data(as_text=True)


def test_archived_records_vanish_now_but_stay_in_earlier_as_of_views(client, make):
    make.user("admin", username="chefen")
    follow_up = make.follow_up(status="done")
    sub_goal_id = follow_up.sub_goal_id
    client.login("chefen")
    assert client.post_form(f"/archive/follow_up/{follow_up.id}").status_code == 302
    db.session.expire_all()
    assert db.session.get(FollowUp, follow_up.id).is_archived
    now = client.get(f"/sub-goals/{sub_goal_id}").get_data(as_text=True)
    assert "Genomförd" not in now
    # Today as the app reads as_of: in Stockholm, where UTC is still the day before from
    # midnight to one (two in summer).
    today = clock.today().isoformat()
    archived_view = load_sub_goal(
        Snapshot.at(db.session.scalar(select(func.max(Transaction.id)))), sub_goal_id
    )
    assert archived_view.follow_ups == []
    before_archiving = db.session.scalar(select(func.max(Transaction.id))) - 1
    assert [
        f.status for f in load_sub_goal(Snapshot.at(before_archiving), sub_goal_id).follow_ups
    ] == ["done"]
    assert client.get(f"/sub-goals/{sub_goal_id}?as_of={today}").status_code == 200


def test_viewers_get_no_as_of_views(client, make):
    make.user("viewer", username="läsaren")
    sub_goal = make.sub_goal()
    client.login("läsaren")
    assert client.get(f"/sub-goals/{sub_goal.id}?as_of=2020-01-01").status_code == 403
    assert client.get(f"/plans/{sub_goal.plan.id}?as_of=2020-01-01").status_code == 403


def test_a_later_day_than_today_in_stockholm_is_refused_and_today_means_now(app_context):
    # 23:30 UTC on 10 March is already 00:30 on 11 March in Stockholm (UTC+1).
    now = datetime(2026, 3, 10, 23, 30)
    assert asof.parse_as_of("2026-03-11", now).utc == now
    assert asof.parse_as_of("2026-03-11T23:59", now).utc == now
    assert asof.parse_as_of("2026-03-11T00:10", now).utc == datetime(
        2026, 3, 10, 23, 10, 59, 999999
    )
    assert asof.parse_as_of("2026-03-10", now).utc == datetime(2026, 3, 10, 22, 59, 59, 999999)
    with pytest.raises(asof.BadMoment, match="Datumet kan inte ligga i framtiden."):
        asof.parse_as_of("2026-03-12", now)


@pytest.mark.parametrize(
    "value, message",
    [
        ("9999-12-31", "Datumet kan inte ligga i framtiden."),
        ("9999-12-31T23:59", "Datumet kan inte ligga i framtiden."),
        ("0001-01-01T00:00", "Ange ett datum från och med 1900-01-01."),
        ("0001-01-01", "Ange ett datum från och med 1900-01-01."),
        ("1899-12-31T23:59", "Ange ett datum från och med 1900-01-01."),
    ],
)
def test_dates_at_the_edges_are_refused_not_overflowed(app_context, value, message):
    with pytest.raises(asof.BadMoment) as refused:
        asof.parse_as_of(value)
    assert str(refused.value.args[0]) == message
    assert asof.parse_as_of("1900-01-01T00:00").utc == datetime(1899, 12, 31, 23, 0, 59, 999999)


# Every page, export and file that takes as_of; {plan} and {sub_goal} are filled in.
AS_OF_PAGES = [
    "/matrix",
    "/matrix.csv",
    "/matrix.xlsx",
    "/plans/{plan}",
    "/sub-goals/{sub_goal}",
    "/plans/{plan}/report",
    "/plans/{plan}/report.pdf",
    "/plans/{plan}/report.docx",
]


def _tomorrow() -> str:
    return (clock.today() + timedelta(days=1)).isoformat()


@pytest.mark.parametrize("page", AS_OF_PAGES)
@pytest.mark.parametrize(
    "value, message",
    [
        (None, "Datumet kan inte ligga i framtiden."),  # tomorrow
        ("9999-12-31", "Datumet kan inte ligga i framtiden."),
        ("9999-12-31T23:59", "Datumet kan inte ligga i framtiden."),
        ("0001-01-01T00:00", "Ange ett datum från och med 1900-01-01."),
        ("2020-02-30", "Datumet eller tiden finns inte."),
    ],
)
def test_every_page_that_takes_as_of_refuses_the_edges_with_the_same_message(
    client, make, page, value, message
):
    make.user("auditor", username="revisorn")
    sub_goal = make.sub_goal()
    client.login("revisorn")
    url = page.format(plan=sub_goal.plan.id, sub_goal=sub_goal.id)
    response = client.get(url, query_string={"as_of": value or _tomorrow()})
    assert response.status_code in (400, 422), url
    body = response.get_data(as_text=True)
    assert message in body, url
    assert 'class="field-error"' in body, url


def test_the_report_choosing_page_passes_as_of_on_to_the_report_which_refuses_it(client, make):
    make.user("auditor", username="revisorn")
    sub_goal = make.sub_goal()
    client.login("revisorn")
    response = client.get(f"/reports?plan_id={sub_goal.plan.id}&as_of={_tomorrow()}")
    assert response.status_code == 302
    refused = client.get(response.location)
    assert refused.status_code == 422
    assert "Datumet kan inte ligga i framtiden." in refused.get_data(as_text=True)


def test_today_is_now_on_every_page_that_takes_as_of(client, make):
    make.user("auditor", username="revisorn")
    sub_goal = make.sub_goal()
    client.login("revisorn")
    today = clock.today().isoformat()
    for page in AS_OF_PAGES:
        url = page.format(plan=sub_goal.plan.id, sub_goal=sub_goal.id)
        assert client.get(url, query_string={"as_of": today}).status_code == 200, url
