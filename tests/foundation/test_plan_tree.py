"""The plan tree: a fixed number of queries whatever its size, now and as of a transaction
(at a moment, as the as-of views ask, so that the day of responsibility needs no query)."""

from sqlalchemy import func, select

from intranet.core.clock import utc_now
from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.models import Activity, FollowUp, Plan, SubGoal, Transaction
from intranet.reading.plan_tree import load_plan, load_sub_goal
from intranet.reading.snapshot import Snapshot
from tests.matrix.test_routes import count_queries


def _grow(plan: Plan, count: int) -> None:
    area = plan.focus_areas[0]
    board = area.sub_goals[0].boards[0]
    with acting_as(None, "test"):
        for number in range(count):
            sub_goal = SubGoal(focus_area=area, code=f"9.{number}", title=f"Extra {number}")
            db.session.add(sub_goal)
            sub_goal.set_boards([board])
            db.session.add(FollowUp(sub_goal=sub_goal, year=plan.start_year, status="done"))
            db.session.add(
                Activity(
                    sub_goal=sub_goal,
                    title=f"Aktivitet {number}",
                    planned_from_year=plan.start_year,
                    planned_to_year=plan.start_year,
                )
            )
        db.session.commit()


def _counted(snapshot: Snapshot, plan_id: int) -> tuple[int, int]:
    with count_queries() as statements:
        plan = load_plan(snapshot, plan_id, details=True)
    return len(plan.sub_goals), len(statements)


def test_the_plan_tree_reads_in_a_fixed_number_of_queries(app_context, demo):
    plan = db.session.scalar(select(Plan).where(Plan.start_year == 2018))
    for snapshot_of in (
        Snapshot.current,
        lambda: Snapshot.at(db.session.scalar(select(func.max(Transaction.id))), utc_now()),
    ):
        small_rows, small = _counted(snapshot_of(), plan.id)
        assert small_rows == 16 and small <= 7
    _grow(plan, 40)
    for snapshot_of in (
        Snapshot.current,
        lambda: Snapshot.at(db.session.scalar(select(func.max(Transaction.id))), utc_now()),
    ):
        large_rows, large = _counted(snapshot_of(), plan.id)
        assert large_rows == 56 and large == small
    sub_goal_id = plan.focus_areas[0].sub_goals[0].id
    with count_queries() as statements:
        sub_goal = load_sub_goal(Snapshot.current(), sub_goal_id)
    assert sub_goal.boards and len(statements) <= 5
