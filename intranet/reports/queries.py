"""The yearly follow-up report (redovisning), read from the current data or as it stood at
any past moment.

Everything is read into plain objects, so the HTML, DOCX and PDF writers never touch the
database and render the same content whether it comes from the live tables or from the
version tables (intranet.reading.snapshot).
"""

from dataclasses import dataclass, field, replace

from intranet.core.translation import gettext as _
from intranet.lineage.queries import earlier_members
from intranet.models import Board, ReportComment
from intranet.models.followups import FollowUpLabels
from intranet.models.plans import activity_years_label
from intranet.reading.asof import Moment, transaction_at
from intranet.reading.plan_tree import load_plan
from intranet.reading.responsibility import responsibility_label
from intranet.reading.snapshot import Snapshot


@dataclass
class ReportFollowUp(FollowUpLabels):
    year: int
    status: str
    outcome: str | None
    deviation_reason: str | None
    deviation_text: str | None
    next_steps: str | None


def year_span(years: list[int]) -> str:
    """ "2020" or "2020–2021": the years an entry covers, always consecutive."""
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


@dataclass
class AccountEntry:
    """The year's account (status, outcome, next steps) of one year, or of consecutive
    years in which it was word for word the same."""

    years: list[int]
    status: str
    status_label: str
    outcome: str | None
    next_steps: str | None

    @property
    def span(self) -> str:
        return year_span(self.years)


@dataclass
class DeviationEntry:
    """A deviation and its reason, written once for the consecutive years it covers."""

    years: list[int]
    reason_label: str | None
    text: str | None

    @property
    def span(self) -> str:
        return year_span(self.years)


def _merge_consecutive(follow_ups, key):
    """Runs of follow-ups in consecutive years with equal `key`: [(key, [years])]."""
    runs: list[tuple[tuple, list[int]]] = []
    for follow_up in follow_ups:
        value = key(follow_up)
        if value is None:
            continue
        if runs and runs[-1][0] == value and runs[-1][1][-1] == follow_up.year - 1:
            runs[-1][1].append(follow_up.year)
        else:
            runs.append((value, [follow_up.year]))
    return runs


@dataclass
class ReportActivity:
    title: str
    description: str | None
    planned_from_year: int | None
    planned_to_year: int | None
    status_label: str

    @property
    def span(self) -> str:
        return activity_years_label(self.planned_from_year, self.planned_to_year)


@dataclass
class EarlierYears:
    """A sub-goal of an earlier plan that the report's sub-goal continues, with the
    statuses of its reported years."""

    code: str
    plan_title: str
    years: list[tuple[int, str]]

    @property
    def text(self) -> str:
        """ "1.2 (Pilotplan 2012–2015): 2012 Genomförd, 2013 Pågår" """
        statuses = ", ".join(f"{year} {label}" for year, label in self.years)
        if not statuses:
            statuses = _("ingen uppföljning")
        return f"{self.code} ({self.plan_title}): {statuses}"


@dataclass
class ReportSubGoal:
    id: int
    code: str
    title: str
    boards: list[str]
    follow_ups: list[ReportFollowUp] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    activities: list[ReportActivity] = field(default_factory=list)
    # The boards as one line, the main board marked (intranet.reading.responsibility).
    responsibility: str = ""
    # With the report's "earlier years" option: the sub-goals this one continues.
    earlier: list[EarlierYears] = field(default_factory=list)

    @property
    def account(self) -> list[AccountEntry]:
        """The follow-ups year by year, equal consecutive years written once."""
        return [
            AccountEntry(years, *value)
            for value, years in _merge_consecutive(
                self.follow_ups,
                lambda f: (f.status, f.status_label, f.outcome or None, f.next_steps or None),
            )
        ]

    @property
    def deviations(self) -> list[DeviationEntry]:
        """The deviations with their reasons, one equal in consecutive years written once."""
        return [
            DeviationEntry(years, *value)
            for value, years in _merge_consecutive(
                self.follow_ups,
                lambda f: (f.deviation_label, f.deviation_text or None) if f.is_deviation else None,
            )
        ]


@dataclass
class ReportFocusArea:
    number: str
    title: str
    description: str | None = None
    sub_goals: list[ReportSubGoal] = field(default_factory=list)

    @property
    def shared_units(self) -> list[str]:
        """The executing units, when every sub-goal of the area has the same: then written
        once under the area's heading, as a board writes it, instead of under each goal."""
        first = self.sub_goals[0].units if self.sub_goals else []
        if len(self.sub_goals) > 1 and all(g.units == first for g in self.sub_goals):
            return first
        return []


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
    plan_description: str | None = None
    administration: str | None = None
    # The focus area the report is limited to (its number), None for all.
    focus_area: str | None = None
    # The comment's lock version (0: none yet), which the comment form starts from.
    closing_comments_lock_version: int = 0
    # Whether continued sub-goals show the earlier plans' years (intranet.lineage).
    earlier: bool = False
    # Each responsible board's förvaltning, by board name (for the introduction).
    administrations: dict[str, str] = field(default_factory=dict)

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
    def board_names(self) -> list[str]:
        """The responsible boards of the report's sub-goals, in order of first mention."""
        return list(dict.fromkeys(b for sub_goal in self.sub_goals for b in sub_goal.boards))

    def _with_administration(self, name: str) -> str:
        administration = self.administrations.get(name)
        return f"{name} ({administration})" if administration else name

    @property
    def introduction_lead(self) -> str:
        """Who answers for what follows: the board (and its förvaltning), or every
        responsible board with its förvaltning."""
        if self.board_name:
            return _(
                "%(board)s har ansvar för delmål under:",
                board=self._with_administration(self.board_name),
            )
        return _(
            "Ansvariga nämnder: %(boards)s. Redovisningen omfattar:",
            boards=", ".join(self._with_administration(name) for name in self.board_names),
        )

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
    focus_area: str | None = None,
    earlier: bool = False,
) -> Report | None:
    """The report for a plan, optionally one responsible board, one year and one focus area
    (its number), as it is now or as it stood at `as_of`. None when the plan did not exist
    (or is archived). Read from the plan tree (intranet.reading.plan_tree), so it shows what the
    plan page shows."""
    snapshot = Snapshot.current()
    if as_of is not None:
        transaction_id = transaction_at(as_of.utc)
        if transaction_id is None:
            return None
        snapshot = Snapshot.at(transaction_id, as_of.utc)
    plan = load_plan(snapshot, plan_id, details=True)
    if plan is None:
        return None
    if year is not None and not plan.start_year <= year <= plan.end_year:
        year = None
    if focus_area is not None and focus_area not in {a.number for a in plan.focus_areas}:
        focus_area = None
    years = range(year, year + 1) if year is not None else plan.years

    report_areas = []
    for area in plan.focus_areas:
        if focus_area is not None and area.number != focus_area:
            continue
        report_area = ReportFocusArea(area.number, area.title, area.description)
        for sub_goal in area.sub_goals:
            if board_id is not None and board_id not in {b.id for b in sub_goal.boards}:
                continue
            report_area.sub_goals.append(_report_sub_goal(sub_goal, years))
        if report_area.sub_goals:
            report_areas.append(report_area)

    if earlier:
        _add_earlier_years(snapshot, [g for area in report_areas for g in area.sub_goals])

    comment_text, comment_lock_version = "", 0
    board_name = administration = None
    board_ids = {b.id for area in plan.focus_areas for g in area.sub_goals for b in g.boards}
    boards = snapshot.rows(Board, lambda t: t.id.in_(board_ids)) if board_ids else []
    administrations = {b.name: b.administration for b in boards if b.administration}
    if board_id is not None:
        board_rows = [board for board in boards if board.id == board_id] or snapshot.rows(
            Board, lambda t: t.id == board_id
        )
        if board_rows:
            board_name, administration = board_rows[0].name, board_rows[0].administration
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
        plan_description=plan.description,
        administration=administration,
        focus_area=focus_area,
        earlier=earlier,
        administrations=administrations,
    )


def _add_earlier_years(snapshot: Snapshot, sub_goals: list[ReportSubGoal]) -> None:
    """The earlier sub-goals each continues, oldest plan first, as they stood at the
    snapshot (three queries for the whole report)."""
    found = earlier_members(snapshot, [sub_goal.id for sub_goal in sub_goals])
    for sub_goal in sub_goals:
        sub_goal.earlier = [
            EarlierYears(
                member.code,
                member.plan_title,
                [(y.year, y.status_label) for y in member.years if y.status_label],
            )
            for member in found.get(sub_goal.id, [])
        ]


def _report_sub_goal(sub_goal, years: range) -> ReportSubGoal:
    """The sub-goal's part of the report: its follow-ups of the years, and the activities
    planned for any of them, and the undated ones (planned, but for no year in
    particular). The executing units are its unit tags and the units
    responsible for those activities, each named once."""
    activities = [
        activity
        for activity in sub_goal.activities
        if activity.planned_from_year is None
        or (activity.planned_from_year <= years[-1] and activity.planned_to_year >= years[0])
    ]
    units = list(
        dict.fromkeys(
            [
                *sub_goal.tags("unit"),
                *(a.responsible_unit for a in activities if a.responsible_unit),
            ]
        )
    )
    return ReportSubGoal(
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
            if follow_up.year in years
        ],
        units,
        [
            ReportActivity(
                activity.title,
                activity.description,
                activity.planned_from_year,
                activity.planned_to_year,
                activity.status_label,
            )
            for activity in activities
        ],
        _responsibility(sub_goal.boards),
    )


def _responsibility(boards) -> str:
    # A board answering alone is not marked "main": that would only repeat in every section.
    if len(boards) == 1:
        boards = [replace(boards[0], main=False)]
    return responsibility_label(boards)
