"""The goal matrix: sub-goals by focus area and plan, one cell per reporting year.

Built in a fixed number of queries however many rows it has: the filter options, the rows,
their boards, and their follow-ups. Rows are plain values, not ORM objects, so the same
code renders the live matrix and the matrix as of any past moment.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import exists, or_, select

from intranet.extensions import db
from intranet.matrix.filters import MatrixFilters
from intranet.matrix.sources import Source
from intranet.models import (
    DEVIATION_STATUSES,
    STATUSES,
    Board,
    FocusArea,
    Plan,
    Strategy,
    Tag,
)
from intranet.models.followups import FollowUpLabels


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
        .where(Plan.archived_at.is_(None))
        .order_by(Plan.start_year, Plan.id)
    ).all()
    boards = db.session.execute(
        select(Board.id, Board.name).where(Board.archived_at.is_(None)).order_by(Board.name)
    ).all()
    areas = db.session.execute(
        select(FocusArea.id, FocusArea.number, FocusArea.title, FocusArea.plan_id)
        .where(FocusArea.archived_at.is_(None))
        .order_by(FocusArea.plan_id, FocusArea.sort_key)
    ).all()
    tags = db.session.execute(
        select(Tag.id, Tag.kind, Tag.name)
        .where(Tag.archived_at.is_(None), Tag.kind.in_(("district", "target_group")))
        .order_by(Tag.name)
    ).all()
    starts = [row.strategy_start or row.start_year for row in plans]
    ends = [row.strategy_end or row.end_year for row in plans]
    this_year = date.today().year
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
    boards: list[tuple[int, str]] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)

    @property
    def board_ids(self) -> set[int]:
        return {board_id for board_id, _ in self.boards}

    @property
    def board_names(self) -> str:
        return ", ".join(name for _, name in self.boards)


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


def _row_query(src: Source, filters: MatrixFilters):
    SG, FA, P, SGB, SGT, FU = (
        src.SubGoal,
        src.FocusArea,
        src.Plan,
        src.SubGoalBoard,
        src.SubGoalTag,
        src.FollowUp,
    )
    query = (
        select(
            SG.id,
            SG.code,
            SG.title,
            FA.id.label("area_id"),
            FA.number,
            FA.title.label("area_title"),
            P.id.label("plan_id"),
            P.title.label("plan_title"),
            P.start_year,
            P.end_year,
        )
        .join(FA, FA.id == SG.focus_area_id)
        .join(P, P.id == FA.plan_id)
        .where(src.live(SG), src.live(FA), src.live(P))
        .order_by(P.start_year, P.id, FA.sort_key, SG.sort_key)
    )
    if filters.plan_id is not None:
        query = query.where(P.id == filters.plan_id)
    if filters.focus_area_id is not None:
        query = query.where(FA.id == filters.focus_area_id)
    if filters.board_id is not None:
        query = query.where(
            exists().where(
                SGB.sub_goal_id == SG.id, SGB.board_id == filters.board_id, src.live(SGB)
            )
        )
    for tag_id in (filters.district_id, filters.target_group_id):
        if tag_id is not None:
            query = query.where(
                exists().where(SGT.sub_goal_id == SG.id, SGT.tag_id == tag_id, src.live(SGT))
            )
    in_span = (
        FU.sub_goal_id == SG.id,
        FU.year.between(filters.from_year, filters.to_year),
        src.live(FU),
    )
    if filters.status:
        query = query.where(exists().where(*in_span, FU.status == filters.status))
    if filters.deviation:
        query = query.where(
            exists().where(
                *in_span,
                FU.deviation_reason == filters.deviation,
                FU.status.in_(DEVIATION_STATUSES),
            )
        )
    if filters.text:
        pattern = _like(filters.text)
        query = query.where(
            or_(
                SG.code.ilike(pattern, escape="\\"),
                SG.title.ilike(pattern, escape="\\"),
                exists().where(*in_span, FU.outcome.ilike(pattern, escape="\\")),
            )
        )
    return query


def build_matrix(filters: MatrixFilters, src: Source, today: date | None = None) -> Matrix:
    """The filtered matrix with its summary, in three queries."""
    today = today or date.today()
    years = list(filters.years)
    row_query = _row_query(src, filters)
    records = db.session.execute(row_query).all()
    sub_goal_ids = row_query.with_only_columns(src.SubGoal.id).order_by(None)

    SGB, B, FU = src.SubGoalBoard, src.Board, src.FollowUp
    boards_of = defaultdict(list)
    for sub_goal_id, board_id, name in db.session.execute(
        select(SGB.sub_goal_id, B.id, B.name)
        .join(B, B.id == SGB.board_id)
        .where(
            SGB.sub_goal_id.in_(sub_goal_ids),
            src.live(SGB),
            *([src.live(B)] if src.is_past else []),
        )
        .order_by(B.name)
    ):
        boards_of[sub_goal_id].append((board_id, name))

    follow_ups = {}
    for record in db.session.execute(
        select(
            FU.id, FU.sub_goal_id, FU.year, FU.status, FU.deviation_reason, FU.lock_version
        ).where(
            FU.sub_goal_id.in_(sub_goal_ids), FU.year.between(years[0], years[-1]), src.live(FU)
        )
    ):
        follow_ups[(record.sub_goal_id, record.year)] = record

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
            found = follow_ups.get((record.id, year))
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
    return Matrix(
        years=years,
        plans=list(plans.values()),
        status_counts=[(code, str(label), counts.get(code, 0)) for code, label in STATUSES.items()],
        not_reported=not_reported,
        reporting_year=reporting_year,
        board_progress=_board_progress(matrix_rows, reporting_year),
    )


def _board_progress(rows: list[Row], year: int) -> list[BoardProgress]:
    """Per board: of its sub-goals whose plan covers `year`, how many have a reported status."""
    totals: Counter = Counter()
    reported: Counter = Counter()
    for row in rows:
        if not row.plan_start <= year <= row.plan_end:
            continue
        cell = next(cell for cell in row.cells if cell.year == year)
        for _, name in row.boards:
            totals[name] += 1
            if cell.status and cell.status != "not_started":
                reported[name] += 1
    return [BoardProgress(name, reported[name], totals[name]) for name in sorted(totals)]
