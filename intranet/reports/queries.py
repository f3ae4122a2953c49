"""The yearly follow-up report (redovisning), read from the current data or as it stood at
any past moment.

Everything is read into plain objects, so the HTML, DOCX and PDF writers never touch the
database and render the same content whether it comes from the live tables or from the
version tables (history/asof.valid_at).
"""

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy_continuum import version_class

from intranet.extensions import db
from intranet.history.asof import Moment, transaction_at, valid_at
from intranet.models import (
    Board,
    FocusArea,
    FollowUp,
    Plan,
    ReportComment,
    SubGoal,
    SubGoalBoard,
)
from intranet.models.followups import FollowUpLabels


@dataclass
class ReportFollowUp(FollowUpLabels):
    year: int
    status: str
    outcome: str | None
    deviation_reason: str | None
    deviation_text: str | None
    next_steps: str | None


@dataclass
class ReportSubGoal:
    id: int
    code: str
    title: str
    boards: list[str]
    follow_ups: list[ReportFollowUp] = field(default_factory=list)


@dataclass
class ReportFocusArea:
    number: str
    title: str
    sub_goals: list[ReportSubGoal] = field(default_factory=list)


@dataclass
class Deviation:
    sub_goal: ReportSubGoal
    follow_up: ReportFollowUp


@dataclass
class Report:
    plan_id: int
    plan_title: str
    start_year: int
    end_year: int
    year: int | None
    board_id: int | None
    board_name: str | None
    as_of: Moment | None
    focus_areas: list[ReportFocusArea]
    closing_comments: str
    # The comment's lock version (0: none yet), which the comment form starts from.
    closing_comments_lock_version: int = 0

    @property
    def years(self) -> list[int]:
        return [self.year] if self.year else list(range(self.start_year, self.end_year + 1))

    @property
    def period(self) -> str:
        return str(self.year) if self.year else f"{self.start_year}–{self.end_year}"

    @property
    def sub_goals(self) -> list[ReportSubGoal]:
        return [sub_goal for area in self.focus_areas for sub_goal in area.sub_goals]

    @property
    def deviations(self) -> list[Deviation]:
        return [
            Deviation(sub_goal, follow_up)
            for sub_goal in self.sub_goals
            for follow_up in sub_goal.follow_ups
            if follow_up.is_deviation
        ]


class _Reader:
    """Reads a model's rows, either live or as versions valid at one history transaction."""

    def __init__(self, transaction_id: int | None):
        self.transaction_id = transaction_id

    def rows(self, model, *criteria_of):
        cls = model if self.transaction_id is None else version_class(model)
        statement = select(cls)
        if self.transaction_id is not None:
            statement = statement.where(valid_at(cls, self.transaction_id))
        if hasattr(cls, "archived_at"):
            statement = statement.where(cls.archived_at.is_(None))
        for criterion in criteria_of:
            statement = statement.where(criterion(cls))
        return list(db.session.scalars(statement))


def build_report(
    plan_id: int,
    board_id: int | None = None,
    year: int | None = None,
    as_of: Moment | None = None,
) -> Report | None:
    """The report for a plan, optionally one responsible board and one year, as it is now or
    as it stood at `as_of`. None when the plan did not exist (or is archived)."""
    transaction_id = None
    if as_of is not None:
        transaction_id = transaction_at(as_of.utc)
        if transaction_id is None:
            return None
    reader = _Reader(transaction_id)
    plans = reader.rows(Plan, lambda c: c.id == plan_id)
    if not plans:
        return None
    plan = plans[0]
    if year is not None and not plan.start_year <= year <= plan.end_year:
        year = None

    areas = sorted(
        reader.rows(FocusArea, lambda c: c.plan_id == plan_id), key=lambda area: area.sort_key
    )
    area_ids = [area.id for area in areas]
    sub_goals = sorted(
        reader.rows(SubGoal, lambda c: c.focus_area_id.in_(area_ids)),
        key=lambda sub_goal: sub_goal.sort_key,
    )
    sub_goal_ids = [sub_goal.id for sub_goal in sub_goals]
    links = reader.rows(SubGoalBoard, lambda c: c.sub_goal_id.in_(sub_goal_ids))
    board_names = {
        board.id: board.name
        for board in reader.rows(
            Board, lambda c: c.id.in_(sorted({link.board_id for link in links}))
        )
    }
    boards_of: dict[int, list[int]] = {}
    for link in links:
        if link.board_id in board_names:
            boards_of.setdefault(link.sub_goal_id, []).append(link.board_id)
    follow_ups = reader.rows(
        FollowUp,
        lambda c: c.sub_goal_id.in_(sub_goal_ids),
        lambda c: c.year == year if year is not None else c.year.isnot(None),
    )
    follow_ups_of: dict[int, list[ReportFollowUp]] = {}
    for follow_up in sorted(follow_ups, key=lambda f: f.year):
        follow_ups_of.setdefault(follow_up.sub_goal_id, []).append(
            ReportFollowUp(
                follow_up.year,
                follow_up.status,
                follow_up.outcome,
                follow_up.deviation_reason,
                follow_up.deviation_text,
                follow_up.next_steps,
            )
        )

    report_areas = []
    for area in areas:
        report_area = ReportFocusArea(area.number, area.title)
        for sub_goal in sub_goals:
            if sub_goal.focus_area_id != area.id:
                continue
            responsible = boards_of.get(sub_goal.id, [])
            if board_id is not None and board_id not in responsible:
                continue
            report_area.sub_goals.append(
                ReportSubGoal(
                    sub_goal.id,
                    sub_goal.code,
                    sub_goal.title,
                    sorted(board_names[b] for b in responsible),
                    follow_ups_of.get(sub_goal.id, []),
                )
            )
        if report_area.sub_goals:
            report_areas.append(report_area)

    comment_text, comment_lock_version = "", 0
    board_name = None
    if board_id is not None:
        board_rows = reader.rows(Board, lambda c: c.id == board_id)
        board_name = board_rows[0].name if board_rows else None
        comments = reader.rows(
            ReportComment,
            lambda c: c.plan_id == plan_id,
            lambda c: c.board_id == board_id,
            lambda c: c.year == year if year is not None else c.year.is_(None),
        )
        if comments:
            comment_text, comment_lock_version = comments[0].text, comments[0].lock_version or 0
    return Report(
        plan_id=plan.id,
        plan_title=plan.title,
        start_year=plan.start_year,
        end_year=plan.end_year,
        year=year,
        board_id=board_id,
        board_name=board_name,
        as_of=as_of,
        focus_areas=report_areas,
        closing_comments=comment_text or "",
        closing_comments_lock_version=comment_lock_version,
    )
