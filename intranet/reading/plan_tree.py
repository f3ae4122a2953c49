"""The plan tree, now or as it stood: plan > focus areas > sub-goals with their boards,
tags, activities and follow-ups, read through one snapshot (intranet.reading.snapshot).

The plan page, the sub-goal page, the report and their as-of forms all read it, so they
show the same records under the same archived rule. A fixed number of queries, whatever
the number of sub-goals; the rows are plain values, not ORM objects.
"""

from dataclasses import dataclass, field

from sqlalchemy import select

from intranet.extensions import db
from intranet.models import (
    ACTIVITY_STATUSES,
    PLAN_STATUSES,
    Activity,
    FocusArea,
    FollowUp,
    Plan,
    Strategy,
    SubGoal,
    SubGoalTag,
    Tag,
)
from intranet.models.followups import FOLLOW_UP_FIELD_NAMES, FollowUpLabels
from intranet.models.plans import activity_years_label, row_order
from intranet.reading.responsibility import ResponsibleBoard, responsibility
from intranet.reading.snapshot import Snapshot


@dataclass
class PlanNode:
    id: int
    title: str
    start_year: int
    end_year: int
    status: str
    description: str | None
    strategy_title: str | None = None
    focus_areas: list["FocusAreaNode"] = field(default_factory=list)

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)

    @property
    def status_label(self) -> str:
        return str(PLAN_STATUSES.get(self.status, self.status))

    @property
    def sub_goals(self) -> list["SubGoalNode"]:
        return [sub_goal for area in self.focus_areas for sub_goal in area.sub_goals]


@dataclass
class FocusAreaNode:
    id: int
    number: str
    title: str
    plan: PlanNode = field(repr=False)
    sub_goals: list["SubGoalNode"] = field(default_factory=list)
    description: str | None = None


@dataclass
class BoardNode:
    """A responsible board as shown: `main` marks the main board (the first), the others
    are involved; a municipal company (`kind` "company") is shown as one."""

    id: int
    name: str
    main: bool = False
    kind: str = "board"

    def __str__(self) -> str:
        return self.name


@dataclass
class FollowUpNode(FollowUpLabels):
    """A follow-up as it stood: its id and year, and its declared fields (FOLLOW_UP_FIELDS:
    `status`, `outcome`, …) read as attributes, so a new field needs nothing here."""

    id: int
    year: int
    sub_goal: "SubGoalNode" = field(repr=False)
    values: dict = field(default_factory=dict, repr=False)

    def __getattr__(self, name: str):
        values = self.__dict__.get("values", {})
        if name in values:
            return values[name]
        raise AttributeError(name)


@dataclass
class ActivityNode:
    id: int
    title: str
    description: str | None
    planned_from_year: int | None
    planned_to_year: int | None
    responsible_unit: str | None
    status: str
    sub_goal: "SubGoalNode" = field(repr=False)

    @property
    def years_label(self) -> str:
        return activity_years_label(self.planned_from_year, self.planned_to_year)

    @property
    def status_label(self) -> str:
        return str(ACTIVITY_STATUSES.get(self.status, self.status))


@dataclass
class SubGoalNode:
    id: int
    code: str
    title: str
    description: str | None
    cross_references: str | None
    focus_area: FocusAreaNode = field(repr=False)
    # On the snapshot's day, main board first (intranet.reading.responsibility).
    boards: list[BoardNode] = field(default_factory=list)
    # The stored responsibility, archived boards included: what permission predicates read
    # (`boards` is what is shown).
    board_ids: set[int] = field(default_factory=set)
    main_board_ids: set[int] = field(default_factory=set)
    # The links with days (reorganisations), ended and due ones too, by their days.
    dated_boards: list[ResponsibleBoard] = field(default_factory=list)
    tag_names: dict[str, list[str]] = field(default_factory=dict)
    follow_ups: list[FollowUpNode] = field(default_factory=list)
    activities: list[ActivityNode] = field(default_factory=list)

    @property
    def plan(self) -> PlanNode:
        return self.focus_area.plan

    @property
    def board_names(self) -> list[str]:
        return [board.name for board in self.boards]

    @property
    def main_board(self) -> BoardNode | None:
        return next((board for board in self.boards if board.main), None)

    @property
    def involved_boards(self) -> list[BoardNode]:
        return [board for board in self.boards if not board.main]

    @property
    def latest_follow_up(self) -> FollowUpNode | None:
        return self.follow_ups[-1] if self.follow_ups else None

    def follow_ups_by_year(self) -> dict[int, FollowUpNode]:
        return {follow_up.year: follow_up for follow_up in self.follow_ups}

    def tags(self, kind: str) -> list[str]:
        return self.tag_names.get(kind, [])


def _plan(row, strategy_title=None) -> PlanNode:
    return PlanNode(
        row.id, row.title, row.start_year, row.end_year, row.status, row.description, strategy_title
    )


def _sub_goal(row, area: FocusAreaNode) -> SubGoalNode:
    return SubGoalNode(row.id, row.code, row.title, row.description, row.cross_references, area)


def load_plan(snapshot: Snapshot, plan_id: int, details: bool = False) -> PlanNode | None:
    """The plan with its visible focus areas and sub-goals, their boards and follow-ups
    (and with `details` their tags and activities); None when the plan did not exist or
    was archived at the snapshot. Five queries (seven with details)."""
    plans, strategies = snapshot.table(Plan), snapshot.table(Strategy)
    found = db.session.execute(
        select(plans.id, plans.title, plans.start_year, plans.end_year, plans.status)
        .add_columns(plans.description, strategies.title.label("strategy_title"))
        .outerjoin(
            strategies,
            (strategies.id == plans.strategy_id) & snapshot.existing(strategies),
        )
        .where(plans.id == plan_id, snapshot.visible(plans))
    ).first()
    if found is None:
        return None
    plan = _plan(found, found.strategy_title)
    areas = {}
    for row in sorted(
        snapshot.rows(FocusArea, lambda t: t.plan_id == plan_id),
        key=row_order,
    ):
        areas[row.id] = FocusAreaNode(
            row.id, row.number, row.title, plan, description=row.description
        )
    plan.focus_areas = list(areas.values())
    sub_goals = [
        _sub_goal(row, areas[row.focus_area_id])
        for row in sorted(
            snapshot.rows(SubGoal, lambda t: t.focus_area_id.in_(list(areas))),
            key=row_order,
        )
    ]
    for sub_goal in sub_goals:
        sub_goal.focus_area.sub_goals.append(sub_goal)
    _fill(snapshot, sub_goals, details)
    return plan


def load_sub_goal(snapshot: Snapshot, sub_goal_id: int) -> SubGoalNode | None:
    """The sub-goal with its focus area and plan (without their other sub-goals), boards,
    tags, activities and follow-ups; None when it, its focus area or its plan did not exist
    or was archived at the snapshot."""
    sub_goals, areas, plans = (snapshot.table(m) for m in (SubGoal, FocusArea, Plan))
    found = db.session.execute(
        select(
            sub_goals.id,
            sub_goals.code,
            sub_goals.title,
            sub_goals.description,
            sub_goals.cross_references,
            areas.id.label("area_id"),
            areas.number.label("area_number"),
            areas.title.label("area_title"),
            areas.description.label("area_description"),
            plans.id.label("plan_id"),
            plans.title.label("plan_title"),
            plans.start_year,
            plans.end_year,
            plans.status,
            plans.description.label("plan_description"),
        )
        .join(areas, areas.id == sub_goals.focus_area_id)
        .join(plans, plans.id == areas.plan_id)
        .where(
            sub_goals.id == sub_goal_id,
            snapshot.visible(sub_goals),
            snapshot.visible(areas),
            snapshot.visible(plans),
        )
    ).first()
    if found is None:
        return None
    plan = PlanNode(
        found.plan_id,
        found.plan_title,
        found.start_year,
        found.end_year,
        found.status,
        found.plan_description,
    )
    area = FocusAreaNode(
        found.area_id,
        found.area_number,
        found.area_title,
        plan,
        description=found.area_description,
    )
    plan.focus_areas = [area]
    sub_goal = _sub_goal(found, area)
    area.sub_goals = [sub_goal]
    _fill(snapshot, [sub_goal], details=True)
    return sub_goal


def _fill(snapshot: Snapshot, sub_goals: list[SubGoalNode], details: bool) -> None:
    """Boards and follow-ups (with `details` tags and activities) of the sub-goals: one
    query each, whatever their number."""
    if not sub_goals:
        return
    by_id = {sub_goal.id: sub_goal for sub_goal in sub_goals}
    ids = list(by_id)
    current, dated = responsibility(snapshot, ids)
    for sub_goal_id, responsible in current.items():
        by_id[sub_goal_id].dated_boards = dated[sub_goal_id]
        sub_goal = by_id[sub_goal_id]
        for board in responsible:
            sub_goal.board_ids.add(board.id)
            if board.main:
                sub_goal.main_board_ids.add(board.id)
            if not board.archived:
                sub_goal.boards.append(BoardNode(board.id, board.name, board.main, board.kind))
    for row in snapshot.rows(
        FollowUp, lambda t: t.sub_goal_id.in_(ids), order_by=(lambda t: t.year,)
    ):
        sub_goal = by_id[row.sub_goal_id]
        sub_goal.follow_ups.append(
            FollowUpNode(
                row.id,
                row.year,
                sub_goal,
                {name: getattr(row, name) for name in FOLLOW_UP_FIELD_NAMES},
            )
        )
    if not details:
        return
    tag_links, tags = snapshot.table(SubGoalTag), snapshot.table(Tag)
    for sub_goal_id, kind, name in db.session.execute(
        select(tag_links.sub_goal_id, tags.kind, tags.name)
        .join(tags, tags.id == tag_links.tag_id)
        .where(tag_links.sub_goal_id.in_(ids), snapshot.visible(tag_links), snapshot.visible(tags))
        .order_by(tags.name)
    ):
        by_id[sub_goal_id].tag_names.setdefault(kind, []).append(name)
    for row in snapshot.rows(
        Activity,
        lambda t: t.sub_goal_id.in_(ids),
        # Undated activities last, on every database.
        order_by=(
            lambda t: t.planned_from_year.is_(None),
            lambda t: t.planned_from_year,
            lambda t: t.planned_to_year,
            lambda t: t.id,
        ),
    ):
        sub_goal = by_id[row.sub_goal_id]
        sub_goal.activities.append(
            ActivityNode(
                row.id,
                row.title,
                row.description,
                row.planned_from_year,
                row.planned_to_year,
                row.responsible_unit,
                row.status,
                sub_goal,
            )
        )
