"""The yearly follow-up report (redovisning), read from the current data or as it stood at
any past moment.

Everything is read into plain objects, so the HTML, DOCX and PDF writers never touch the
database and render the same content whether it comes from the live tables or from the
version tables (intranet.snapshot).
"""

from dataclasses import dataclass, field

from intranet.history.asof import Moment, transaction_at
from intranet.models import Board, ReportComment
from intranet.models.followups import FollowUpLabels
from intranet.plan_tree import load_plan
from intranet.snapshot import Snapshot


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


def build_report(
    plan_id: int,
    board_id: int | None = None,
    year: int | None = None,
    as_of: Moment | None = None,
) -> Report | None:
    """The report for a plan, optionally one responsible board and one year, as it is now or
    as it stood at `as_of`. None when the plan did not exist (or is archived). Read from the
    plan tree (intranet.plan_tree), so it shows what the plan page shows."""
    snapshot = Snapshot.current()
    if as_of is not None:
        transaction_id = transaction_at(as_of.utc)
        if transaction_id is None:
            return None
        snapshot = Snapshot.at(transaction_id)
    plan = load_plan(snapshot, plan_id)
    if plan is None:
        return None
    if year is not None and not plan.start_year <= year <= plan.end_year:
        year = None

    report_areas = []
    for area in plan.focus_areas:
        report_area = ReportFocusArea(area.number, area.title)
        for sub_goal in area.sub_goals:
            if board_id is not None and board_id not in {b.id for b in sub_goal.boards}:
                continue
            report_area.sub_goals.append(
                ReportSubGoal(
                    sub_goal.id,
                    sub_goal.code,
                    sub_goal.title,
                    sub_goal.board_names,
                    [
                        ReportFollowUp(
                            follow_up.year,
                            follow_up.status,
                            follow_up.outcome,
                            follow_up.deviation_reason,
                            follow_up.deviation_text,
                            follow_up.next_steps,
                        )
                        for follow_up in sub_goal.follow_ups
                        if year is None or follow_up.year == year
                    ],
                )
            )
        if report_area.sub_goals:
            report_areas.append(report_area)

    comment_text, comment_lock_version = "", 0
    board_name = None
    if board_id is not None:
        board_rows = snapshot.rows(Board, lambda t: t.id == board_id)
        board_name = board_rows[0].name if board_rows else None
        comments = snapshot.rows(
            ReportComment,
            lambda t: t.plan_id == plan_id,
            lambda t: t.board_id == board_id,
            lambda t: t.year == year if year is not None else t.year.is_(None),
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
