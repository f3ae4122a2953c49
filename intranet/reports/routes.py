"""The yearly report: the page, its DOCX and PDF files, and the boards' closing comments."""

from datetime import UTC

from flask import Blueprint, Response, abort, redirect, request, url_for
from flask_login import current_user, login_required

from intranet.auth.policies import can_write_closing_comments, require
from intranet.core import clock
from intranet.core.errors import EditConflict, RuleViolation
from intranet.core.numbers import parse_id, parse_whole
from intranet.core.translation import gettext as _
from intranet.extensions import db
from intranet.models import Board, Plan
from intranet.reports import documents, prose, services
from intranet.reports.charts import report_charts
from intranet.reports.filters import (
    ReportFilters,
    read_filters,
    report_from_request,
    report_options,
)
from intranet.reports.forms import CommentForm
from intranet.reports.queries import build_report
from intranet.web.past import as_of_from_request
from intranet.web.views import (
    attachment,
    page_or_block,
    saved,
    show_conflict,
    show_violation,
    visible_or_404,
)

bp = Blueprint("reports", __name__)


@bp.context_processor
def _wording():
    # The report's wording rules, shared with the DOCX (intranet.reports.prose).
    return {"prose": prose}


DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.get("/reports")
@login_required
def index():
    as_of_from_request()  # passes the as_of on to the report: the same permission here
    plan_id = parse_id(request.args.get("plan_id"))
    plan = db.session.get(Plan, plan_id) if plan_id else None
    plan = plan if plan is not None and not plan.is_archived else None
    # The form's second step (board, year and date shown) goes on to the report.
    if (
        plan is not None
        and {"board_id", "year", "focus_area", "earlier", "as_of"} & request.args.keys()
    ):
        return redirect(url_for("reports.report", **request.args.to_dict()))
    filters, options = read_filters(request.args, plan)
    return page_or_block(
        "reports/index.html", "content", filters=filters, options=options, plan=plan
    )


def _refused(plan: Plan, filters, options):
    return page_or_block(
        "reports/report.html",
        "content",
        422,
        plan=plan,
        filters=filters,
        options=options,
        report=None,
    )


@bp.get("/reports/page-numbers.css")
@login_required
def page_numbers_stylesheet():
    """The printed page's "Sida 3 av 12" in the reader's language, as the PDF has it."""
    return Response(documents.page_numbers_css(), mimetype="text/css")


@bp.get("/plans/<int:plan_id>/report")
@login_required
def report(plan_id: int):
    plan = visible_or_404(Plan, plan_id)
    report, filters, options = report_from_request(request.args, plan)
    if report is None:
        return _refused(plan, filters, options)
    comment_form = None
    if report.as_of is None and can_write_closing_comments(
        current_user, plan.id, report.board_id, report.year
    ):
        comment_form = CommentForm.for_report(report)
    return page_or_block(
        "reports/report.html",
        "content",
        plan=plan,
        filters=filters,
        options=options,
        report=report,
        charts=report_charts(report),
        comment_form=comment_form,
    )


@bp.get("/plans/<int:plan_id>/report.<any(docx, pdf):file_format>")
@login_required
def report_file(plan_id: int, file_format: str):
    plan = visible_or_404(Plan, plan_id)
    report, filters, options = report_from_request(request.args, plan)
    if report is None:
        return _refused(plan, filters, options)
    filename = documents.report_filename(report, file_format)
    now, charts = clock.now().astimezone(UTC), report_charts(report)
    if file_format == "docx":
        return attachment(documents.report_docx(report, charts, now), DOCX_MIMETYPE, filename)
    return attachment(documents.report_pdf(report, charts, plan, now), "application/pdf", filename)


def _comment_target(plan: Plan, form: CommentForm) -> tuple[Board, int | None]:
    """The board and year (None: the whole plan period) the posted comments are for."""
    board_id = parse_id(form.board_id.data)
    board = db.session.get(Board, board_id) if board_id else None
    year_text = (form.year.data or "").strip()
    year = parse_whole(year_text) if year_text else None
    if board is None or (year_text and year not in plan.years):
        abort(404)
    return board, year


@bp.post("/plans/<int:plan_id>/report/comments")
@login_required
def save_comment(plan_id: int):
    plan = visible_or_404(Plan, plan_id)
    form = CommentForm()
    board, year = _comment_target(plan, form)
    require(can_write_closing_comments(current_user, plan.id, board.id, year))
    status, conflict = 422, None
    if form.validate_on_submit():
        expected = parse_whole(form.lock_version.data)
        try:
            services.save_comment(current_user, plan, board, year, form.text.data, expected)
        except RuleViolation as violation:
            show_violation(form, violation, "text")
        except EditConflict as error:
            # The user's text stays in the form; saving again deliberately replaces the other.
            show_conflict(form, error)
            conflict, status = services.comment_changed_by(error.current, expected), 409
        else:
            url = url_for("reports.report", plan_id=plan.id, board_id=board.id, year=year or "")
            return saved(_("De avslutande kommentarerna är sparade."), url + "#closing-comments")
    return _comment_page(plan, board, year, form, status, conflict)


def _comment_page(plan: Plan, board: Board, year: int | None, form, status: int, conflict):
    report = build_report(plan.id, board.id, year)
    filters = ReportFilters(plan_id=plan.id, board_id=board.id, year=year)
    return page_or_block(
        "reports/report.html",
        "comment_form",
        status,
        plan=plan,
        filters=filters,
        options=report_options(plan),
        report=report,
        charts=report_charts(report),
        comment_form=form,
        comment_conflict=conflict,
    )
