"""The goal matrix: sub-goals by focus area and plan, one cell per reporting year.

Built in a fixed number of queries however many rows it has: the filter options, the rows,
their boards, and their follow-ups. Rows are plain values, not ORM objects, so the same
code renders the live matrix and the matrix as of any past moment (intranet.reading.snapshot decides
what existed and what is visible).
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import exists, or_, select

from intranet.core import clock
from intranet.extensions import db
from intranet.lineage.queries import read_links
from intranet.matrix.filters import MatrixFilters
from intranet.models import (
    DEVIATION_STATUSES,
    STATUSES,
    Board,
    FocusArea,
    FollowUp,
    Plan,
    Strategy,
    SubGoal,
    SubGoalBoard,
    SubGoalTag,
    Tag,
)
from intranet.models.followups import FollowUpLabels
from intranet.reading.responsibility import (
    ResponsibleBoard,
    in_force_on,
    responsibility_label,
    responsible_boards,
)
from intranet.reading.snapshot import Snapshot


@dataclass(frozen=True)
class PlanOption:
    id: int
    title: str
    start_year: int
    end_year: int
    status: str


@dataclass(frozen=True)
class Option:
    id: int
    label: str
    plan_id: int | None = None


@dataclass
class FilterOptions:
    plans: list[PlanOption]
    boards: list[Option]
    focus_areas: list[Option]
    districts: list[Option]
    target_groups: list[Option]
    year_bounds: tuple[int, int]

    def plan(self, plan_id: int | None) -> PlanOption | None:
        return next((plan for plan in self.plans if plan.id == plan_id), None)

    @property
    def default_plan_id(self) -> int | None:
        active = [plan for plan in self.plans if plan.status == "active"]
        candidates = active or self.plans
        return (
            max(candidates, key=lambda plan: (plan.start_year, plan.id)).id if candidates else None
        )

    @property
    def all_plans_span(self) -> tuple[int, int]:
        if not self.plans:
            return self.year_bounds
        return min(p.start_year for p in self.plans), max(p.end_year for p in self.plans)


def filter_options() -> FilterOptions:
    visible = Snapshot.current().visible
    plans = db.session.execute(
        select(
            Plan.id,
            Plan.title,
            Plan.start_year,
            Plan.end_year,
            Plan.status,
            Strategy.start_year.label("strategy_start"),
            Strategy.end_year.label("strategy_end"),
        )
        .outerjoin(Strategy, Strategy.id == Plan.strategy_id)
        .where(visible(Plan))
        .order_by(Plan.start_year, Plan.id)
    ).all()
    boards = db.session.execute(
        select(Board.id, Board.name).where(visible(Board)).order_by(Board.name)
    ).all()
    areas = db.session.execute(
        select(FocusArea.id, FocusArea.number, FocusArea.title, FocusArea.plan_id)
        .where(visible(FocusArea))
        .order_by(FocusArea.plan_id, *FocusArea.reading_order())
    ).all()
    tags = db.session.execute(
        select(Tag.id, Tag.kind, Tag.name)
        .where(visible(Tag), Tag.kind.in_(("district", "target_group")))
        .order_by(Tag.name)
    ).all()
    starts = [row.strategy_start or row.start_year for row in plans]
    ends = [row.strategy_end or row.end_year for row in plans]
    this_year = clock.today().year
    return FilterOptions(
        plans=[PlanOption(r.id, r.title, r.start_year, r.end_year, r.status) for r in plans],
        boards=[Option(r.id, r.name) for r in boards],
        focus_areas=[Option(r.id, f"{r.number}. {r.title}", r.plan_id) for r in areas],
        districts=[Option(r.id, r.name) for r in tags if r.kind == "district"],
        target_groups=[Option(r.id, r.name) for r in tags if r.kind == "target_group"],
        year_bounds=(min(starts, default=this_year), max(ends, default=this_year)),
    )


@dataclass
class Cell(FollowUpLabels):
    sub_goal_id: int
    year: int
    in_plan: bool
    follow_up_id: int | None = None
    status: str | None = None
    deviation_reason: str | None = None
    lock_version: int = 0


@dataclass
class Row:
    sub_goal_id: int
    code: str
    title: str
    plan_id: int
    plan_start: int
    plan_end: int
    # Responsible on the snapshot's day, main board first, archived ones included (shown
    # without them, but the main board's officers still report).
    responsible: list[ResponsibleBoard] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    # With one row per line: the codes of the earlier sub-goals whose years the row shows.
    earlier_codes: list[str] = field(default_factory=list)

    @property
    def boards(self) -> list[ResponsibleBoard]:
        return [board for board in self.responsible if not board.archived]

    @property
    def board_ids(self) -> set[int]:
        return {board.id for board in self.responsible}

    @property
    def main_board_ids(self) -> set[int]:
        return {board.id for board in self.responsible if board.main}

    @property
    def board_names(self) -> str:
        return responsibility_label(self.boards)


@dataclass
class AreaGroup:
    id: int
    number: str
    title: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class PlanGroup:
    id: int
    title: str
    start_year: int
    end_year: int
    areas: list[AreaGroup] = field(default_factory=list)


@dataclass
class BoardProgress:
    name: str
    reported: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.reported / self.total) if self.total else 0


@dataclass
class Matrix:
    years: list[int]
    plans: list[PlanGroup]
    status_counts: list[tuple[str, str, int]]
    not_reported: int
    reporting_year: int
    board_progress: list[BoardProgress]

    @property
    def rows(self) -> list[Row]:
        return [row for plan in self.plans for area in plan.areas for row in area.rows]

    @property
    def row_count(self) -> int:
        return len(self.rows)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _row_query(snapshot: Snapshot, filters: MatrixFilters):
    sub_goals = snapshot.table(SubGoal)
    focus_areas = snapshot.table(FocusArea)
    plans = snapshot.table(Plan)
    board_links = snapshot.table(SubGoalBoard)
    tag_links = snapshot.table(SubGoalTag)
    follow_ups = snapshot.table(FollowUp)
    visible = snapshot.visible
    query = (
        select(
            sub_goals.id,
            sub_goals.code,
            sub_goals.title,
            focus_areas.id.label("area_id"),
            focus_areas.number,
            focus_areas.title.label("area_title"),
            plans.id.label("plan_id"),
            plans.title.label("plan_title"),
            plans.start_year,
            plans.end_year,
        )
        .join(focus_areas, focus_areas.id == sub_goals.focus_area_id)
        .join(plans, plans.id == focus_areas.plan_id)
        .where(visible(sub_goals), visible(focus_areas), visible(plans))
        .order_by(
            plans.start_year,
            plans.id,
            *FocusArea.reading_order(focus_areas),
            *SubGoal.reading_order(sub_goals),
        )
    )
    if filters.plan_id is not None:
        query = query.where(plans.id == filters.plan_id)
    if filters.focus_area_id is not None:
        query = query.where(focus_areas.id == filters.focus_area_id)
    if filters.board_id is not None:
        query = query.where(
            exists().where(
                board_links.sub_goal_id == sub_goals.id,
                board_links.board_id == filters.board_id,
                visible(board_links),
                in_force_on(board_links, snapshot.day),
            )
        )
    for tag_id in (filters.district_id, filters.target_group_id):
        if tag_id is not None:
            query = query.where(
                exists().where(
                    tag_links.sub_goal_id == sub_goals.id,
                    tag_links.tag_id == tag_id,
                    visible(tag_links),
                )
            )
    in_span = (
        follow_ups.sub_goal_id == sub_goals.id,
        follow_ups.year.between(filters.from_year, filters.to_year),
        visible(follow_ups),
    )
    if filters.status:
        query = query.where(exists().where(*in_span, follow_ups.status == filters.status))
    if filters.deviation:
        query = query.where(
            exists().where(
                *in_span,
                follow_ups.deviation_reason == filters.deviation,
                follow_ups.status.in_(DEVIATION_STATUSES),
            )
        )
    if filters.text:
        pattern = _like(filters.text)
        query = query.where(
            or_(
                sub_goals.code.ilike(pattern, escape="\\"),
                sub_goals.title.ilike(pattern, escape="\\"),
                exists().where(*in_span, follow_ups.outcome.ilike(pattern, escape="\\")),
            )
        )
    return query


def build_matrix(filters: MatrixFilters, snapshot: Snapshot, today: date | None = None) -> Matrix:
    """The filtered matrix with its summary, in three queries, now or as of the snapshot."""
    today = today or clock.today()
    years = list(filters.years)
    row_query = _row_query(snapshot, filters)
    records = db.session.execute(row_query).all()
    sub_goal_ids = row_query.with_only_columns(snapshot.table(SubGoal).id).order_by(None)

    follow_ups = snapshot.table(FollowUp)
    boards_of = responsible_boards(snapshot, [record.id for record in records])

    follow_up_of = {}
    for record in db.session.execute(
        select(
            follow_ups.id,
            follow_ups.sub_goal_id,
            follow_ups.year,
            follow_ups.status,
            follow_ups.deviation_reason,
            follow_ups.lock_version,
        ).where(
            follow_ups.sub_goal_id.in_(sub_goal_ids),
            follow_ups.year.between(years[0], years[-1]),
            snapshot.visible(follow_ups),
        )
    ):
        follow_up_of[(record.sub_goal_id, record.year)] = record

    plans: dict[int, PlanGroup] = {}
    areas: dict[int, AreaGroup] = {}
    for record in records:
        plan = plans.setdefault(
            record.plan_id,
            PlanGroup(record.plan_id, record.plan_title, record.start_year, record.end_year),
        )
        if record.area_id not in areas:
            areas[record.area_id] = AreaGroup(record.area_id, record.number, record.area_title)
            plan.areas.append(areas[record.area_id])
        row = Row(
            record.id,
            record.code,
            record.title,
            record.plan_id,
            record.start_year,
            record.end_year,
            boards_of.get(record.id, []),
        )
        for year in years:
            cell = Cell(record.id, year, record.start_year <= year <= record.end_year)
            found = follow_up_of.get((record.id, year))
            if found is not None:
                cell.follow_up_id = found.id
                cell.status = found.status
                cell.deviation_reason = found.deviation_reason
                cell.lock_version = found.lock_version
            row.cells.append(cell)
        areas[record.area_id].rows.append(row)

    matrix_rows = [row for plan in plans.values() for area in plan.areas for row in area.rows]
    counts = Counter(
        cell.status for row in matrix_rows for cell in row.cells if cell.in_plan and cell.status
    )
    not_reported = sum(
        1 for row in matrix_rows for cell in row.cells if cell.in_plan and not cell.status
    )
    reporting_year = max((year for year in years if year <= today.year), default=years[0])
    plan_groups = list(plans.values())
    if filters.lines:
        # The summary above counts every sub-goal once; only the rows are folded.
        plan_groups = _one_row_per_line(plan_groups, read_links(snapshot))
    return Matrix(
        years=years,
        plans=plan_groups,
        status_counts=[(code, str(label), counts.get(code, 0)) for code, label in STATUSES.items()],
        not_reported=not_reported,
        reporting_year=reporting_year,
        board_progress=_board_progress(matrix_rows, reporting_year),
    )


def _one_row_per_line(plans: list[PlanGroup], links) -> list[PlanGroup]:
    """Each line among the rows as one row: the latest sub-goal's, showing the years of the
    earlier sub-goals it continues (directly or not) where its own plan has none. A row
    continued by a shown row is folded into it; a goal split in two is shown in both."""
    rows = {row.sub_goal_id: row for plan in plans for area in plan.areas for row in area.rows}
    for row in rows.values():
        earlier = [rows[i] for i in links.ancestors(row.sub_goal_id) if i in rows]
        earlier.sort(key=lambda other: (other.plan_start, other.plan_id), reverse=True)
        row.earlier_codes = [other.code for other in reversed(earlier)]
        for index, cell in enumerate(row.cells):
            if cell.in_plan:
                continue
            source = next((other for other in earlier if other.cells[index].in_plan), None)
            if source is not None:
                row.cells[index] = source.cells[index]
    continued = {row_id for row_id in rows if any(i in rows for i in links.descendants(row_id))}
    for plan in plans:
        for area in plan.areas:
            area.rows = [row for row in area.rows if row.sub_goal_id not in continued]
        plan.areas = [area for area in plan.areas if area.rows]
    return [plan for plan in plans if plan.areas]


def _board_progress(rows: list[Row], year: int) -> list[BoardProgress]:
    """Per main board: of its sub-goals whose plan covers `year`, how many have a reported
    status."""
    totals: Counter = Counter()
    reported: Counter = Counter()
    for row in rows:
        if not row.plan_start <= year <= row.plan_end:
            continue
        cell = next(cell for cell in row.cells if cell.year == year)
        # The main board reports, so a sub-goal counts for it (as in a round's completeness).
        for name in (board.name for board in row.boards if board.main):
            totals[name] += 1
            if cell.status and cell.status != "not_started":
                reported[name] += 1
    return [BoardProgress(name, reported[name], totals[name]) for name in sorted(totals)]
