"""Reads for plans, focus areas and sub-goals, with their links loaded up front."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from intranet.extensions import db
from intranet.models import FocusArea, Plan, Strategy, SubGoal, SubGoalBoard, SubGoalTag


def strategies_with_plans() -> list[Strategy]:
    return list(
        db.session.scalars(
            select(Strategy)
            .where(Strategy.archived_at.is_(None))
            .order_by(Strategy.start_year)
            .options(selectinload(Strategy.plans))
        )
    )


def plan_with_sub_goals(plan_id: int) -> Plan | None:
    """The plan with focus areas, sub-goals, boards and follow-ups loaded in a fixed number
    of queries (never one per sub-goal)."""
    return db.session.scalar(
        select(Plan)
        .where(Plan.id == plan_id)
        .options(
            selectinload(Plan.focus_areas)
            .selectinload(FocusArea.sub_goals)
            .options(
                selectinload(SubGoal.board_links).joinedload(SubGoalBoard.board),
                selectinload(SubGoal.follow_ups),
            )
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
