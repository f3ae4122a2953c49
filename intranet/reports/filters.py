"""Which report the query string asks for: the plan, board, year, focus area and moment,
read like every page's filters (intranet.web.query_args): an unusable value is explained next
to its filter and the others keep what the user chose."""

from dataclasses import dataclass, field

from sqlalchemy import select

from intranet.core.translation import gettext as _
from intranet.core.translation import lazy_gettext as _l
from intranet.extensions import db
from intranet.models import Board, FocusArea, Plan, SubGoal, SubGoalBoard
from intranet.reading.responsibility import responsible_today
from intranet.reports.queries import Report, build_report
from intranet.web.past import as_of_from_request
from intranet.web.query_args import QueryArgs

CHECKED = ("y", "1", "on", "true")
# The report's form wrote "None" for "all" before: addresses saved then still mean "all".
EMPTY = ("", "None")
CHOOSE_BOARD = _l("Välj en nämnd i listan.")
CHOOSE_YEAR = _l("Välj ett år i listan.")
CHOOSE_AREA = _l("Välj ett fokusområde i listan.")


@dataclass
class ReportFilters:
    plan_id: int | None = None
    board_id: int | None = None
    year: int | None = None
    # By number ("4"), as the plan names it, so that the address reads as the report does.
    focus_area: str | None = None
    earlier: bool = False
    # Read, checked and allowed by intranet.web.past.as_of_from_request, like on every page that
    # shows the past; kept here as written, to show it again with its message.
    as_of_text: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    def query_args(self) -> dict:
        """The query string of the report (the plan is in its path), for links that keep it."""
        args = {
            "board_id": self.board_id,
            "year": self.year,
            "focus_area": self.focus_area,
            "earlier": "y" if self.earlier else None,
            "as_of": self.as_of_text or None,
        }
        return {key: value for key, value in args.items() if value not in (None, "")}


@dataclass
class ReportOptions:
    """What the filters offer: every plan, and the chosen plan's boards, years and focus
    areas, as (value, text) choices."""

    plans: list[tuple[int, str]]
    boards: list[tuple[int, str]] = field(default_factory=list)
    years: list[tuple[int, str]] = field(default_factory=list)
    focus_areas: list[tuple[str, str]] = field(default_factory=list)


def _plans() -> list[Plan]:
    return list(
        db.session.scalars(
            select(Plan)
            .where(Plan.archived_at.is_(None))
            .order_by(Plan.start_year.desc(), Plan.title)
        )
    )


def _plan_boards(plan_id: int) -> list[Board]:
    return list(
        db.session.scalars(
            select(Board)
            .join(SubGoalBoard, SubGoalBoard.board_id == Board.id)
            .join(SubGoal, SubGoal.id == SubGoalBoard.sub_goal_id)
            .join(FocusArea, FocusArea.id == SubGoal.focus_area_id)
            .where(FocusArea.plan_id == plan_id, Board.archived_at.is_(None), responsible_today())
            .distinct()
            .order_by(Board.name)
        )
    )


def report_options(plan: Plan | None) -> ReportOptions:
    options = ReportOptions([(p.id, f"{p.title} ({p.start_year}–{p.end_year})") for p in _plans()])
    if plan is not None:
        options.boards = [(board.id, board.name) for board in _plan_boards(plan.id)]
        options.years = [(year, str(year)) for year in plan.years]
        options.focus_areas = [
            (area.number, f"{area.number}. {area.title}")
            for area in plan.focus_areas
            if not area.is_archived
        ]
    return options


def read_filters(args, plan: Plan | None) -> tuple[ReportFilters, ReportOptions]:
    """The report's filters from the query string, for `plan` (chosen by the view: the
    report's path names it), with the choices they were checked against."""
    options = report_options(plan)
    query = QueryArgs(args)
    filters = ReportFilters(plan_id=plan.id if plan else None, errors=query.errors)
    if plan is not None:
        filters.board_id = query.id(
            "board_id", {value for value, _text in options.boards}, CHOOSE_BOARD, EMPTY
        )
        filters.year = query.id(
            "year", {value for value, _text in options.years}, CHOOSE_YEAR, EMPTY
        )
        filters.focus_area = query.code(
            "focus_area", {value for value, _text in options.focus_areas}, CHOOSE_AREA, EMPTY
        )
    filters.earlier = query.raw("earlier") in CHECKED
    filters.as_of_text = query.raw("as_of")
    return filters, options


def report_from_request(args, plan: Plan) -> tuple[Report | None, ReportFilters, ReportOptions]:
    """The report the query string asks for, or None with the filters' errors."""
    as_of = as_of_from_request()
    filters, options = read_filters(args, plan)
    if as_of.error:
        filters.errors["as_of"] = as_of.error
    if filters.errors:
        return None, filters, options
    report = build_report(
        plan.id, filters.board_id, filters.year, as_of.moment, filters.focus_area, filters.earlier
    )
    if report is None:
        filters.errors["as_of"] = _("Planen fanns inte vid det datumet.")
    return report, filters, options
