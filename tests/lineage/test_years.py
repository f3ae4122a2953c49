"""The lineage rule (the earlier plan starts before the later one) holds not only when a
link is made but on every change that could break it afterwards: a plan's years edited in
the form or restored from the history, a sub-goal or focus area put under another plan."""

import re

import pytest
from sqlalchemy import select

from intranet.core.errors import RuleViolation
from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.lineage.queries import load_line, read_links
from intranet.lineage.services import link_sub_goal
from intranet.models import Plan, SubGoal, SubGoalLineage, Transaction
from intranet.reading.snapshot import Snapshot
from intranet.structure import services
from tests.conftest import PASSWORD
from tests.lineage.test_matrix import _three_plans


def _two_plans(make):
    """b (Plan B, 2018–2021) continues a (Plan A, 2014–2017)."""
    strategy = make.strategy(start_year=2012, end_year=2032)
    plan_a = make.plan(strategy=strategy, title="Plan A", start_year=2014, end_year=2017)
    plan_b = make.plan(strategy=strategy, title="Plan B", start_year=2018, end_year=2021)
    a = make.sub_goal(focus_area=make.focus_area(plan=plan_a), code="1.1")
    b = make.sub_goal(focus_area=make.focus_area(plan=plan_b), code="2.1")
    admin = make.user("admin")
    with acting_as(admin.id, "test"):
        db.session.add(SubGoalLineage(sub_goal=b, continues=a))
        db.session.commit()
    return admin, plan_a, plan_b, a, b


@pytest.mark.parametrize(
    "which, years",
    [("a", (2018, 2021)), ("a", (2019, 2022)), ("b", (2014, 2017)), ("b", (2012, 2013))],
)
def test_plan_years_that_would_break_a_link_are_refused_naming_it(make, which, years):
    admin, plan_a, plan_b, _a, _b = _two_plans(make)
    plan = plan_a if which == "a" else plan_b
    with acting_as(admin.id, "test"), pytest.raises(RuleViolation) as refused:
        services.save_plan(admin, plan, {"start_year": years[0], "end_year": years[1]})
    assert refused.value.field == "start_year"
    assert "2.1 (Plan B) fortsätter 1.1 (Plan A)" in str(refused.value.message)
    db.session.rollback()
    assert (plan_a.start_year, plan_b.start_year) == (2014, 2018)


def test_plan_years_that_keep_the_order_are_saved(make):
    admin, plan_a, plan_b, _a, _b = _two_plans(make)
    with acting_as(admin.id, "test"):
        services.save_plan(admin, plan_a, {"start_year": 2015, "end_year": 2017})
        services.save_plan(admin, plan_b, {"start_year": 2016, "end_year": 2021})
        db.session.commit()
    assert (plan_a.start_year, plan_b.start_year) == (2015, 2016)


def test_a_sub_goal_or_focus_area_put_under_another_plan_keeps_the_rule(make):
    _admin, plan_a, plan_b, a, b = _two_plans(make)
    later_area = make.focus_area(
        plan=make.plan(strategy=plan_b.strategy, start_year=2024, end_year=2027)
    )
    with acting_as(None, "test"):
        b.focus_area = make.focus_area(plan=plan_a)  # b would continue a of its own plan
        with pytest.raises(RuleViolation) as refused:
            db.session.flush()
        assert refused.value.field == "focus_area_id"
        db.session.rollback()
        a.focus_area.plan = later_area.plan  # a's plan after b's
        with pytest.raises(RuleViolation) as refused:
            db.session.flush()
        assert refused.value.field == "plan_id"
        db.session.rollback()
        b.focus_area = later_area  # later still: the line holds
        db.session.commit()
    assert db.session.get(SubGoal, b.id).plan.start_year == 2024


def test_editing_years_in_the_form_cannot_make_a_cycle_and_lines_stay(client, make):
    admin, _board, _left, bridge, middle, latest = _three_plans(make)
    client.login(admin.username, PASSWORD)
    plan = latest.plan
    before = db.session.scalar(select(db.func.count(Transaction.id)))
    form = {
        "title": plan.title,
        "strategy_id": str(plan.strategy_id),
        "start_year": "2015",
        "end_year": "2025",
        "description": "Min beskrivning",
    }
    response = client.post_form(f"/plans/{plan.id}/edit", form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = re.search(r'id="start_year-error"[^>]*>(.*?)</', page, re.S).group(1)
    assert "3.1 (Plan 2022–2025) fortsätter 5.5 (Plan 2018–2021)" in error
    assert 'value="2015"' in page and "Min beskrivning" in page  # nothing typed is lost
    db.session.expire_all()
    assert db.session.get(Plan, plan.id).start_year == 2022
    assert db.session.scalar(select(db.func.count(Transaction.id))) == before

    # The link back that would have closed a cycle is refused too, as the years still hold.
    with acting_as(admin.id, "test"), pytest.raises(RuleViolation):
        link_sub_goal(admin, bridge, db.session.get(SubGoal, latest.id))
    db.session.rollback()
    links = read_links(Snapshot.current())
    assert links.ancestors(latest.id) == [middle.id, bridge.id]
    assert latest.id not in links.ancestors(latest.id)
    assert [m.code for m in load_line(Snapshot.current(), bridge.id).members] == [
        "1.2",
        "5.5",
        "3.1",
    ]
    lines = client.get("/matrix?plan=all&lines=1").get_data(as_text=True)
    assert len(re.findall(r'<tr data-sg="', lines)) == 2
    assert "(tidigare 1.2, 5.5)" in lines


def test_restoring_years_from_the_history_keeps_the_rule(client, make):
    """B once started in 2014; after it was moved to 2018 and linked to A (2016), restoring
    the old years would put B before A: refused with the rule's message, nothing written."""
    strategy = make.strategy(start_year=2012, end_year=2032)
    plan_a = make.plan(strategy=strategy, title="Plan A", start_year=2016, end_year=2017)
    plan_b = make.plan(strategy=strategy, title="Plan B", start_year=2014, end_year=2017)
    a = make.sub_goal(focus_area=make.focus_area(plan=plan_a), code="1.1")
    b = make.sub_goal(focus_area=make.focus_area(plan=plan_b), code="2.1")
    admin = make.user("admin")
    first = db.session.scalar(select(db.func.max(Transaction.id)))
    with acting_as(admin.id, "test"):
        services.save_plan(admin, plan_b, {"start_year": 2018, "end_year": 2021})
        db.session.commit()
        link_sub_goal(admin, b, a)
        db.session.commit()
    client.login(admin.username, PASSWORD)
    before = db.session.scalar(select(db.func.max(Transaction.id)))
    response = client.post_form(f"/history/plan/{plan_b.id}/restore/{first}", {})
    # A restore that breaks a rule is shown on the history page with the rule's message.
    assert response.status_code == 422
    assert "2.1 (Plan B) fortsätter 1.1 (Plan A)" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Plan, plan_b.id).start_year == 2018
    assert db.session.scalar(select(db.func.max(Transaction.id))) == before
