"""The structure services and the plan lifecycle, called directly."""

from datetime import date

import pytest
from flask_login import login_user
from sqlalchemy import select

from intranet.auth.policies import (
    can_archive,
    can_edit_follow_up_year,
    can_edit_structure,
    can_edit_sub_goal,
    can_write_closing_comments,
)
from intranet.core.errors import EditConflict, NotAllowed, RuleViolation
from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.models import FocusArea, Plan, SubGoal, Tag, Transaction
from intranet.plans import lifecycle
from intranet.reading.plan_tree import load_plan
from intranet.reading.snapshot import Snapshot
from intranet.rounds import services as rounds
from intranet.structure import services


def _commit(user, change, note="test"):
    with acting_as(user.id, note):
        result = change()
        db.session.commit()
    return result


def _commit_in_request(app, user, change):
    """As a request does it: the service's own change note reaches the history."""
    with app.test_request_context():
        login_user(user)
        result = change()
        db.session.commit()
    return result


def _latest_transaction() -> Transaction:
    return db.session.scalar(select(Transaction).order_by(Transaction.id.desc()).limit(1))


@pytest.fixture
def admin(make):
    return make.user("admin")


def test_next_code_follows_the_highest_number_in_the_focus_area(make):
    area = make.focus_area(number="5")
    for code in ("5.1", "5.2", "5.3", "5.4", "5.5", "5.6", "5.7", "5.8", "5.9", "5.11"):
        make.sub_goal(focus_area=area, code=code)
    assert services.propose_sub_goal_code(area) == "5.12"


def test_next_code_in_an_empty_focus_area_is_its_first(make):
    assert services.propose_sub_goal_code(make.focus_area(number="3")) == "3.1"


def test_archived_codes_are_not_proposed_again(make, admin):
    area = make.focus_area(number="2")
    old = make.sub_goal(focus_area=area, code="2.1")
    _commit(admin, old.archive)
    assert services.propose_sub_goal_code(area) == "2.2"


def test_next_focus_area_number_within_the_plan(make):
    plan = make.plan()
    for number in ("1", "2", "4"):
        make.focus_area(plan=plan, number=number)
    assert services.propose_focus_area_number(plan) == "5"
    assert services.propose_focus_area_number(make.plan()) == "1"


def test_blank_codes_get_the_proposal(make, admin):
    board = make.board()
    plan = make.plan()
    area = _commit(admin, lambda: services.save_focus_area(admin, plan, None, {"title": "Skola"}))
    assert area.number == "1"
    first = _commit(
        admin,
        lambda: services.save_sub_goal(admin, area, None, {"title": "Läsa"}, [board], {}, 0),
    )
    second = _commit(
        admin,
        lambda: services.save_sub_goal(admin, area, None, {"title": "Räkna"}, [board], {}, 0),
    )
    assert (first.code, second.code) == ("1.1", "1.2")


def test_sub_goal_boards_main_first_and_tags_created_once(make, admin):
    main, involved = make.board(name="Ö-nämnden"), make.board(name="A-nämnden")
    area = make.focus_area()
    sub_goal = _commit(
        admin,
        lambda: services.save_sub_goal(
            admin,
            area,
            None,
            {"code": "1.1", "title": "Delmål"},
            [main, involved],
            {"target_group": ["Barn", "Unga"], "district": ["Skäggetorp"]},
            0,
        ),
    )
    assert [board.id for board in sub_goal.boards][0] == main.id
    assert {tag.name for tag in sub_goal.tags("target_group")} == {"Barn", "Unga"}
    again = make.sub_goal(focus_area=area, code="1.2")
    _commit(
        admin,
        lambda: services.save_sub_goal(
            admin, area, again, {"title": "Annat"}, [main], {"target_group": ["barn"]}, 1
        ),
    )
    assert db.session.scalar(select(db.func.count(Tag.id)).where(Tag.kind == "target_group")) == 2
    assert again.code == "1.2"  # blank on edit: the code stays


def test_tag_names_are_split_on_semicolons_and_lines():
    assert services.split_tag_names(" Barn ;unga\nBarn;; Äldre  personer ") == [
        "Barn",
        "unga",
        "Äldre personer",
    ]


def test_duplicate_codes_are_refused_by_the_field(make, admin):
    area = make.focus_area()
    make.sub_goal(focus_area=area, code="1.1")
    with pytest.raises(RuleViolation) as refused:
        services.save_sub_goal(admin, area, None, {"code": "1.1", "title": "x"}, [], {}, 0)
    assert refused.value.field == "code"
    db.session.rollback()
    with pytest.raises(RuleViolation) as refused:
        services.save_focus_area(admin, area.plan, None, {"number": area.number, "title": "x"})
    assert refused.value.field == "number"


def test_a_stale_lock_version_is_a_conflict(make, admin):
    sub_goal = make.sub_goal()
    _commit(
        admin,
        lambda: services.save_sub_goal(
            admin, sub_goal.focus_area, sub_goal, {"title": "Ny titel"}, sub_goal.boards, {}, 1
        ),
    )
    with pytest.raises(EditConflict):
        services.save_sub_goal(
            admin, sub_goal.focus_area, sub_goal, {"title": "Gammal"}, sub_goal.boards, {}, 1
        )


def test_plan_years_within_the_strategy_and_holding_follow_ups(make, admin):
    strategy = make.strategy(start_year=2012, end_year=2032)
    values = {"title": "Ny plan", "strategy_id": strategy.id, "start_year": 2030}
    with pytest.raises(RuleViolation) as refused:
        services.save_plan(admin, None, values | {"end_year": 2035})
    assert refused.value.field == "start_year"
    db.session.rollback()
    plan = _commit(admin, lambda: services.save_plan(admin, None, values | {"end_year": 2032}))
    assert plan.status == "draft"
    follow_up = make.follow_up(sub_goal=make.sub_goal(focus_area=make.focus_area(plan=plan)))
    assert follow_up.year == 2030
    with pytest.raises(RuleViolation):
        services.save_plan(admin, plan, {"start_year": 2031})


def test_moving_writes_an_explicit_order_without_renumbering(make, admin):
    area = make.focus_area(number="1")
    first, second, third = (make.sub_goal(focus_area=area, code=c) for c in ("1.1", "1.2", "1.3"))
    assert _commit(admin, lambda: services.move(admin, third, -1))
    db.session.expire_all()
    assert [s.code for s in area.sub_goals] == ["1.1", "1.3", "1.2"]
    assert [s.position for s in area.sub_goals] == [1, 2, 3]
    assert not services.move(admin, first, -1)
    plan = load_plan(Snapshot.current(), area.plan_id)
    assert [s.code for s in plan.sub_goals] == ["1.1", "1.3", "1.2"]
    # A new sub-goal in an ordered group goes last, whatever its code.
    new = _commit(
        admin,
        lambda: services.save_sub_goal(admin, area, None, {"code": "1.0", "title": "x"}, [], {}, 0),
    )
    db.session.expire_all()
    assert area.sub_goals[-1].id == new.id
    assert _latest_transaction().note == "test"
    assert second.code == "1.2"


def test_plan_owners_edit_the_structure_until_the_plan_is_closed(make, admin):
    owner_board, other = make.board(), make.board()
    owner = make.user("officer", boards=[owner_board])
    outsider = make.user("officer", boards=[other])
    plan = make.plan(owner_board_id=owner_board.id)
    area = make.focus_area(plan=plan)
    assert can_edit_structure(owner, plan) and can_archive(owner, "focus_area", area)
    assert not can_edit_structure(outsider, plan)
    assert not can_edit_structure(make.user("auditor"), plan)
    with pytest.raises(NotAllowed):
        services.save_focus_area(outsider, plan, None, {"title": "x"})
    with pytest.raises(NotAllowed):
        services.save_plan(owner, None, {"title": "x", "start_year": 2020, "end_year": 2021})
    _commit(admin, lambda: lifecycle.change_status(admin, plan, "closed", None))
    assert not can_edit_structure(owner, plan)
    assert not can_archive(owner, "focus_area", area)
    assert can_edit_structure(admin, plan)


def test_lifecycle_draft_active_closed_and_reopened(app, make, admin):
    plan = make.plan(status="draft")
    _commit_in_request(app, admin, lambda: lifecycle.change_status(admin, plan, "active", None))
    assert plan.status == "active"
    assert _latest_transaction().note == "Planen är aktiverad."
    assert _latest_transaction().user_id == admin.id
    _commit_in_request(
        app, admin, lambda: lifecycle.change_status(admin, plan, "closed", "Perioden är slut")
    )
    assert _latest_transaction().note == "Perioden är slut"
    with pytest.raises(RuleViolation) as refused:
        lifecycle.change_status(admin, plan, "active", "")
    assert refused.value.field == "note"
    with pytest.raises(RuleViolation) as refused:
        lifecycle.change_status(admin, plan, "draft", "tillbaka")
    assert refused.value.field == "status"
    _commit(admin, lambda: lifecycle.change_status(admin, plan, "active", "Stängdes för tidigt"))
    assert plan.status == "active"
    statuses = [v.status for v in db.session.get(Plan, plan.id).versions]
    assert statuses == ["draft", "active", "closed", "active"]


def test_only_admins_move_a_plan_through_its_lifecycle(make):
    board = make.board()
    plan = make.plan(status="draft", owner_board_id=board.id)
    with pytest.raises(NotAllowed):
        lifecycle.change_status(make.user("officer", boards=[board]), plan, "active", None)


def test_no_reporting_round_on_a_draft_or_closed_plan(make, admin):
    for status in ("draft", "closed"):
        plan = make.plan(status=status)
        with pytest.raises(RuleViolation) as refused:
            rounds.open_round(admin, plan, plan.start_year, date(2030, 1, 1))
        assert refused.value.field == "plan_id"
        db.session.rollback()
    plan = make.plan(status="active")
    assert rounds.open_round(admin, plan, plan.start_year, date(2030, 1, 1)).is_open


def test_a_closed_plan_is_read_only_but_for_admins(make, admin):
    board = make.board()
    officer = make.user("officer", boards=[board])
    sub_goal = make.sub_goal(boards=[board])
    plan = sub_goal.plan
    assert can_edit_sub_goal(officer, sub_goal)
    assert can_edit_follow_up_year(officer, sub_goal, plan.start_year)
    assert can_write_closing_comments(officer, plan.id, board.id, None)
    _commit(admin, lambda: lifecycle.change_status(admin, plan, "closed", None))
    db.session.expire_all()
    assert not can_edit_sub_goal(officer, sub_goal)
    assert not can_edit_follow_up_year(officer, sub_goal, plan.start_year)
    assert not can_write_closing_comments(officer, plan.id, board.id, None)
    assert not can_write_closing_comments(officer, plan.id, board.id, plan.start_year)
    assert not can_archive(officer, "activity", make.activity(sub_goal=sub_goal))
    assert can_edit_sub_goal(admin, sub_goal)
    assert can_edit_follow_up_year(admin, sub_goal, plan.start_year)
    # The matrix reads every locked year at once: the closed plan's years are among them.
    from intranet.models import ReportingRound

    assert (plan.id, plan.start_year) in ReportingRound.closed_years()


def test_focus_areas_read_in_their_explicit_order(make, admin):
    plan = make.plan()
    one, two = make.focus_area(plan=plan, number="1"), make.focus_area(plan=plan, number="2")
    _commit(admin, lambda: services.move(admin, one, 1))
    db.session.expire_all()
    assert [a.number for a in db.session.get(Plan, plan.id).focus_areas] == ["2", "1"]
    assert [a.number for a in load_plan(Snapshot.current(), plan.id).focus_areas] == ["2", "1"]
    assert db.session.get(FocusArea, two.id).position == 1
    assert db.session.get(SubGoal, make.sub_goal(focus_area=two).id).position is None


def test_structure_changes_keep_the_history_verifiable(make, admin):
    from intranet.integrity.verify import verify_history

    board = make.board()
    plan = make.plan(owner_board_id=board.id)
    area = make.focus_area(plan=plan, number="1")
    first, second = (make.sub_goal(focus_area=area, code=c) for c in ("1.1", "1.2"))
    _commit(admin, lambda: services.move(admin, second, -1))
    _commit(admin, lambda: lifecycle.change_status(admin, plan, "closed", None))
    with db.engine.connect() as connection:
        report = verify_history(connection)
    assert report.ok, [str(problem) for problem in report.problems]
    positions = [v.position for v in db.session.get(SubGoal, first.id).versions]
    assert positions == [None, 2]
