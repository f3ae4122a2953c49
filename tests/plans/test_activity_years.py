"""An activity's years are optional: none (undated), or a start within the plan and an end
within the strategy; undated activities are shown as such and listed last."""

import pytest
from sqlalchemy import select

from intranet.core.errors import RuleViolation
from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.models import Activity
from intranet.models.plans import activity_years_label
from intranet.plans.codes import next_code
from tests.activities.test_routes import FIELDS


def _rejects(activity, field):
    with acting_as(None), pytest.raises(RuleViolation) as raised:
        db.session.add(activity)
        db.session.flush()
    db.session.rollback()
    assert raised.value.field == field
    return str(raised.value.message)


def _accepts(activity):
    with acting_as(None):
        db.session.add(activity)
        db.session.commit()
    return activity


@pytest.fixture
def sub_goal(make):
    plan = make.plan(start_year=2018, end_year=2021, strategy=make.strategy(end_year=2032))
    return make.sub_goal(focus_area=make.focus_area(plan=plan))


def test_an_activity_without_years_is_undated(sub_goal):
    activity = _accepts(Activity(sub_goal=sub_goal, title="Löpande"))
    assert (activity.planned_from_year, activity.planned_to_year) == (None, None)
    assert activity.years_label == "Ej daterad"


def test_an_activity_may_run_past_its_plan_within_the_strategy(sub_goal):
    activity = Activity(
        sub_goal=sub_goal, title="Lång", planned_from_year=2020, planned_to_year=2032
    )
    assert _accepts(activity).years_label == "2020–2032"
    message = _rejects(
        Activity(sub_goal=sub_goal, title="För lång", planned_from_year=2020, planned_to_year=2033),
        "planned_to_year",
    )
    assert message == "Åren måste ligga inom strategins period (2012–2032)."


def test_an_activity_starts_within_its_plan(sub_goal):
    message = _rejects(
        Activity(sub_goal=sub_goal, title="Tidig", planned_from_year=2017, planned_to_year=2019),
        "planned_from_year",
    )
    assert message == "Åren måste ligga inom planens period (2018–2021)."
    _rejects(
        Activity(sub_goal=sub_goal, title="Sen", planned_from_year=2022, planned_to_year=2022),
        "planned_from_year",
    )


def test_one_year_alone_is_refused_by_the_model(sub_goal):
    message = _rejects(
        Activity(sub_goal=sub_goal, title="Halv", planned_to_year=2019), "planned_from_year"
    )
    assert message == "Ange både från- och till år, eller lämna båda tomma."
    _rejects(Activity(sub_goal=sub_goal, title="Halv", planned_from_year=2019), "planned_to_year")


def test_without_a_strategy_an_activity_stays_within_its_plan(make):
    plan = make.plan(start_year=2018, end_year=2021, strategy=None)
    sub_goal = make.sub_goal(focus_area=make.focus_area(plan=plan))
    message = _rejects(
        Activity(sub_goal=sub_goal, title="Lång", planned_from_year=2020, planned_to_year=2022),
        "planned_to_year",
    )
    assert message == "Åren måste ligga inom planens period (2018–2021)."


def test_undated_activities_are_listed_last(client, make, sub_goal):
    for title, start, end in [
        ("Odaterad", None, None),
        ("Senare", 2020, 2021),
        ("Tidigare", 2018, 2025),
    ]:
        make.activity(sub_goal=sub_goal, title=title, planned_from_year=start, planned_to_year=end)
    db.session.expire_all()
    assert [a.title for a in sub_goal.activities] == ["Tidigare", "Senare", "Odaterad"]
    client.login(make.user("viewer").username)
    page = client.get(f"/sub-goals/{sub_goal.id}").get_data(as_text=True)
    assert page.index("Tidigare") < page.index("Senare") < page.index("Odaterad")
    assert "<td>2018–2025</td>" in page and "<td>Ej daterad</td>" in page


def test_the_report_shows_undated_and_multi_year_activities(client, make, sub_goal):
    make.activity(sub_goal=sub_goal, title="Odaterad", planned_from_year=None, planned_to_year=None)
    make.activity(sub_goal=sub_goal, title="Lång", planned_from_year=2019, planned_to_year=2024)
    client.login(make.user("admin").username)
    page = client.get(f"/plans/{sub_goal.plan.id}/report").get_data(as_text=True)
    assert "Lång (2019–2024)" in page and "Odaterad (Ej daterad)" in page


def test_the_form_saves_an_undated_activity_and_a_single_year(client, make, sub_goal):
    client.login(make.user("admin").username)
    url = f"/sub-goals/{sub_goal.id}/activities/new"
    blank = {"planned_from_year": "", "planned_to_year": ""}
    assert client.post_form(url, FIELDS | blank | {"title": "Utan år"}).status_code == 302
    single = {"planned_from_year": "2019", "planned_to_year": "", "title": "Ett år"}
    assert client.post_form(url, FIELDS | single).status_code == 302
    stored = db.session.scalars(select(Activity).where(Activity.sub_goal_id == sub_goal.id))
    assert {(a.title, a.planned_from_year, a.planned_to_year) for a in stored} == {
        ("Utan år", None, None),
        ("Ett år", 2019, 2019),
    }


def test_the_form_keeps_what_was_typed_when_the_years_are_refused(client, make, sub_goal):
    client.login(make.user("admin").username)
    changes = {
        "title": "Mitt skrivna namn",
        "description": "Min beskrivning",
        "planned_from_year": "",
        "planned_to_year": "2020",
    }
    response = client.post_form(f"/sub-goals/{sub_goal.id}/activities/new", FIELDS | changes)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="planned_from_year-error"' in page
    assert "Ange både från- och till år, eller lämna båda tomma." in page
    assert 'value="Mitt skrivna namn"' in page and "Min beskrivning" in page
    assert 'value="2020"' in page


def test_years_label():
    assert activity_years_label(None, None) == "Ej daterad"
    assert activity_years_label(2020, 2020) == "2020"
    assert activity_years_label(2020, 2023) == "2020–2023"


@pytest.mark.parametrize(
    ("codes", "prefix", "expected"),
    [
        ([], "4", "4.1"),
        (["4.1", "4.2"], "4", "4.3"),
        (["5.9", "5.11"], "5", "5.12"),  # gaps stay gaps
        (["4.1", "4.2a", "14.7", "4.1.3", None, " 4.3 "], "4", "4.4"),
        (["1", "2"], "", "3"),
        (["2.1"], "2.", "2.2"),
    ],
)
def test_next_code(codes, prefix, expected):
    assert next_code(codes, prefix) == expected
