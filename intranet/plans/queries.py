"""ORM reads: strategies with their plans for the plan list, and a sub-goal with its links
loaded up front for the pages that edit it. The plan tree the pages show is read by
intranet.reading.plan_tree."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from intranet.extensions import db
from intranet.models import Strategy, SubGoal, SubGoalBoard, SubGoalTag


def strategies_with_plans() -> list[Strategy]:
    return list(
        db.session.scalars(
            select(Strategy)
            .where(Strategy.archived_at.is_(None))
            .order_by(Strategy.start_year)
            .options(selectinload(Strategy.plans))
        )
    )


def sub_goal_detail(sub_goal_id: int) -> SubGoal | None:
    return db.session.scalar(
        select(SubGoal)
        .where(SubGoal.id == sub_goal_id)
        .options(
            selectinload(SubGoal.board_links).joinedload(SubGoalBoard.board),
            selectinload(SubGoal.tag_links).joinedload(SubGoalTag.tag),
            selectinload(SubGoal.activities),
            selectinload(SubGoal.follow_ups),
        )
    )
