"""Starting the next plan from this one, and linking sub-goals across plans."""

import pytest
from sqlalchemy import func, select

from intranet.core.errors import NotAllowed, RuleViolation
from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.lineage.queries import earlier_members, load_line
from intranet.lineage.services import (
    Continued,
    NextPlan,
    link_sub_goal,
    start_next_plan,
    unlink_sub_goal,
)
from intranet.models import Plan, SubGoal, SubGoalLineage, Tag, Transaction
from intranet.reading.snapshot import Snapshot


@pytest.fixture
def pilot(make):
    """A closed plan 2012–2015 with two focus areas and three sub-goals."""
    strategy = make.strategy(start_year=2012, end_year=2032)
    plan = make.plan(strategy=strategy, start_year=2012, end_year=2015, status="closed")
    first = make.focus_area(plan=plan, number="1", title="Modellen")
    second = make.focus_area(plan=plan, number="2", title="Utbildning")
    main, involved = make.board(name="Huvudnämnd"), make.board(name="Deltagande nämnd")
    goals = {
        "1.1": make.sub_goal(focus_area=first, code="1.1", title="Tjejgrupper", boards=[main]),
        "1.2": make.sub_goal(
            focus_area=first, code="1.2", title="Brobyggare", boards=[main, involved]
        ),
        "2.1": make.sub_goal(focus_area=second, code="2.1", title="Vuxna", boards=[involved]),
    }
    with acting_as(None, "test data"):
        tag = Tag(kind="district", name="Skäggetorp")
        goals["1.2"].set_tags("district", [tag])
        goals["1.2"].description = "Brobyggarnas arbete med skola och familjecentral."
        db.session.commit()
    make.follow_up(sub_goal=goals["1.2"], year=2013, status="done")
    return plan, goals


def _wanted(plan, goals, **overrides) -> NextPlan:
    areas = [a for a in plan.focus_areas]
    values = dict(
        title="Handlingsplan 2018–2021",
        start_year=2018,
        end_year=2021,
        focus_areas=[Continued(areas[0].id, "5")],
        sub_goals=[Continued(goals["1.1"].id, "5.3"), Continued(goals["1.2"].id, "5.5")],
    )
    return NextPlan(**(values | overrides))


def _history_entries() -> int:
    return db.session.scalar(select(func.count(Transaction.id)))


def test_next_plan_continues_the_chosen_goals_renumbered_as_a_draft(make, pilot):
    plan, goals = pilot
    admin = make.user("admin")
    before = _history_entries()
    with acting_as(admin.id, "nästa plan"):
        new_plan = start_next_plan(admin, plan, _wanted(plan, goals))
        db.session.commit()
    assert _history_entries() == before + 1
    assert new_plan.status == "draft"
    assert new_plan.strategy_id == plan.strategy_id
    assert [a.number for a in new_plan.focus_areas] == ["5"]
    area = new_plan.focus_areas[0]
    assert area.title == "Modellen"
    assert [(g.code, g.title) for g in area.sub_goals] == [
        ("5.3", "Tjejgrupper"),
        ("5.5", "Brobyggare"),
    ]
    bridge = area.sub_goals[1]
    assert [b.name for b in bridge.boards] == [b.name for b in goals["1.2"].boards]
    assert [t.name for t in bridge.tags("district")] == ["Skäggetorp"]
    assert bridge.description == "Brobyggarnas arbete med skola och familjecentral."
    assert bridge.follow_ups == [] and bridge.activities == []
    links = {
        (link.sub_goal.code, link.continues.code)
        for link in db.session.scalars(select(SubGoalLineage))
    }
    assert links == {("5.3", "1.1"), ("5.5", "1.2")}
    # The goal left behind (2.1) and its focus area did not come along.
    assert db.session.scalar(select(func.count(Plan.id))) == 2
    assert db.session.scalar(select(func.count(SubGoal.id))) == 5


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"start_year": 2012}, "start_year"),
        ({"start_year": 2030, "end_year": 2034}, "start_year"),
        ({"title": ""}, "title"),
    ],
)
def test_next_plan_years_and_title_follow_the_rules(make, pilot, overrides, field):
    plan, goals = pilot
    admin = make.user("admin")
    with acting_as(admin.id), pytest.raises(RuleViolation) as refused:
        start_next_plan(admin, plan, _wanted(plan, goals, **overrides))
    assert refused.value.field == field
    db.session.rollback()
    assert db.session.scalar(select(func.count(Plan.id))) == 1


def test_next_plan_refuses_repeated_blank_or_orphaned_numbers(make, pilot):
    plan, goals = pilot
    admin = make.user("admin")
    first_area, second_area = plan.focus_areas
    cases = [
        (
            {"sub_goals": [Continued(goals["1.1"].id, "5.1"), Continued(goals["1.2"].id, "5.1")]},
            f"goal_{goals['1.2'].id}_number",
        ),
        ({"sub_goals": [Continued(goals["1.1"].id, " ")]}, f"goal_{goals['1.1'].id}_number"),
        (
            {"focus_areas": [Continued(first_area.id, "4"), Continued(second_area.id, "4")]},
            f"area_{second_area.id}_number",
        ),
        # A sub-goal without its focus area has nowhere to go.
        ({"sub_goals": [Continued(goals["2.1"].id, "5.9")]}, f"goal_{goals['2.1'].id}"),
    ]
    for overrides, field in cases:
        with acting_as(admin.id), pytest.raises(RuleViolation) as refused:
            start_next_plan(admin, plan, _wanted(plan, goals, **overrides))
        assert refused.value.field == field
        db.session.rollback()
    assert db.session.scalar(select(func.count(Plan.id))) == 1


def test_next_plan_only_by_admins_from_active_or_closed_plans(make, pilot):
    plan, goals = pilot
    officer = make.user("officer", boards=[goals["1.1"].boards[0]])
    with pytest.raises(NotAllowed):
        start_next_plan(officer, plan, _wanted(plan, goals))
    admin = make.user("admin")
    draft = make.plan(strategy=plan.strategy, start_year=2016, end_year=2017, status="draft")
    with pytest.raises(NotAllowed):
        start_next_plan(admin, draft, NextPlan("Nästa", 2018, 2019, [], []))


def _three_plans(make, pilot):
    """2012–2015 → 2018–2021 → 2022–2025, each started from the one before."""
    plan, goals = pilot
    admin = make.user("admin")
    with acting_as(admin.id):
        second = start_next_plan(admin, plan, _wanted(plan, goals))
        second.status = "active"
        db.session.commit()
    bridge_2018 = second.focus_areas[0].sub_goals[1]
    with acting_as(admin.id):
        third = start_next_plan(
            admin,
            second,
            NextPlan(
                "Handlingsplan 2022–2025",
                2022,
                2025,
                [Continued(second.focus_areas[0].id, "3")],
                [Continued(bridge_2018.id, "3.1")],
            ),
        )
        db.session.commit()
    return admin, goals["1.2"], bridge_2018, third.focus_areas[0].sub_goals[0]


def test_a_line_across_three_plans_seen_from_each_end(make, pilot):
    _admin, pilot_goal, middle, latest = _three_plans(make, pilot)
    make.follow_up(sub_goal=latest, year=2022, status="ongoing")
    line = load_line(Snapshot.current(), middle.id)
    assert [m.code for m in line.earlier] == ["1.2"]
    assert [m.code for m in line.later] == ["3.1"]
    assert (line.first_year, line.last_year) == (2012, 2025)
    from_pilot = load_line(Snapshot.current(), pilot_goal.id)
    assert [m.code for m in from_pilot.members] == ["1.2", "5.5", "3.1"]
    assert from_pilot.members[0].statuses == {2013: "done"}
    assert from_pilot.members[2].statuses == {2022: "ongoing"}
    assert [y.year for y in from_pilot.members[2].years] == [2022, 2023, 2024, 2025]
    assert [m.code for m in earlier_members(Snapshot.current(), [latest.id])[latest.id]] == [
        "1.2",
        "5.5",
    ]


def test_links_are_versioned_and_read_as_of(make, pilot):
    admin, pilot_goal, middle, latest = _three_plans(make, pilot)
    linked_at = db.session.scalar(select(func.max(Transaction.id)))
    with acting_as(admin.id, "fel koppling"):
        assert unlink_sub_goal(admin, middle, pilot_goal.id)
        db.session.commit()
    unlinked_at = db.session.scalar(select(func.max(Transaction.id)))
    assert [m.code for m in load_line(Snapshot.current(), latest.id).members] == ["5.5", "3.1"]
    assert [m.code for m in load_line(Snapshot.at(linked_at), latest.id).members] == [
        "1.2",
        "5.5",
        "3.1",
    ]
    other = pilot[1]["1.1"]
    with acting_as(admin.id):
        link_sub_goal(admin, middle, other)
        db.session.commit()
    assert [m.code for m in load_line(Snapshot.current(), latest.id).earlier] == ["1.1", "5.5"]
    assert [m.code for m in load_line(Snapshot.at(unlinked_at), latest.id).earlier] == ["5.5"]
    # Before any link existed, nothing was a line.
    assert load_line(Snapshot.at(linked_at - 2), middle.id) is None


def test_a_link_needs_an_earlier_plan_and_is_made_once(make, pilot):
    admin, pilot_goal, middle, latest = _three_plans(make, pilot)
    with acting_as(admin.id):
        for earlier in (latest, middle, None, pilot_goal):
            with pytest.raises(RuleViolation) as refused:
                link_sub_goal(admin, middle, earlier)
            assert refused.value.field == "continues_id"
            db.session.rollback()
    officer = make.user("officer", boards=middle.boards)
    with pytest.raises(NotAllowed):
        link_sub_goal(officer, latest, pilot_goal)
    with pytest.raises(NotAllowed):
        unlink_sub_goal(officer, middle, pilot_goal.id)


def _queries(read) -> int:
    from sqlalchemy import event

    statements = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        read()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(statements)


def test_a_line_is_read_in_a_fixed_number_of_queries(make, pilot):
    _admin, pilot_goal, middle, latest = _three_plans(make, pilot)
    first, last = pilot_goal.id, latest.id
    past = Snapshot.at(db.session.scalar(select(func.max(Transaction.id))))
    db.session.expire_all()
    # The links, the sub-goals with their plans, their follow-ups and their activities.
    assert _queries(lambda: load_line(Snapshot.current(), first)) == 4
    assert _queries(lambda: load_line(past, last)) == 4


def test_restoring_a_sub_goal_restores_its_links_as_they_were(make, pilot):
    from intranet.history.restoring import restore_version

    admin, pilot_goal, middle, _latest = _three_plans(make, pilot)
    linked_at = db.session.scalar(select(func.max(Transaction.id)))
    with acting_as(admin.id):
        unlink_sub_goal(admin, middle, pilot_goal.id)
        db.session.commit()
    with acting_as(admin.id, "återställd"):
        assert restore_version(admin, "sub_goal", middle, linked_at)
        db.session.commit()
    assert db.session.get(SubGoalLineage, (middle.id, pilot_goal.id)) is not None
    with acting_as(admin.id):
        assert not restore_version(admin, "sub_goal", middle, linked_at)
