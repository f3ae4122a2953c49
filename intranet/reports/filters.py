"""Which report the query string asks for: the plan, board, year, focus area and moment,
checked."""

from flask import request
from flask_babel import gettext as _
from sqlalchemy import select

from intranet.extensions import db
from intranet.history.asof import as_of_from_request
from intranet.models import Board, FocusArea, Plan, SubGoal, SubGoalBoard
from intranet.reports.forms import ReportFilterForm
from intranet.reports.queries import Report, build_report
from intranet.responsibility import responsible_today


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


def filter_form(plan: Plan | None) -> ReportFilterForm:
    """The report's filter form, read from the query string, with the plan's choices."""
    form = ReportFilterForm(request.args)
    form.plan_id.choices = [(p.id, f"{p.title} ({p.start_year}–{p.end_year})") for p in _plans()]
    form.board_id.choices = [(None, _("Alla nämnder"))]
    form.year.choices = [(None, _("Hela planperioden"))]
    form.focus_area.choices = [(None, _("Alla fokusområden"))]
    if plan is not None:
        form.plan_id.data = plan.id
        form.board_id.choices += [(b.id, b.name) for b in _plan_boards(plan.id)]
        form.year.choices += [(year, str(year)) for year in plan.years]
        form.focus_area.choices += [
            (area.number, f"{area.number}. {area.title}")
            for area in plan.focus_areas
            if not area.is_archived
        ]
    return form


def report_from_request(plan: Plan) -> tuple[Report | None, ReportFilterForm]:
    """The report the query string asks for, or (None, form) with the form's errors."""
    as_of = as_of_from_request()
    form = filter_form(plan)
    valid = form.validate()
    if as_of.error:
        form.as_of.errors = [*form.as_of.errors, as_of.error]
    if not valid or as_of.error:
        return None, form
    report = build_report(
        plan.id,
        form.board_id.data,
        form.year.data,
        as_of.moment,
        form.focus_area.data,
        earlier=bool(form.earlier.data),
    )
    if report is None:
        form.as_of.errors.append(_("Planen fanns inte vid det datumet."))
        return None, form
    return report, form
