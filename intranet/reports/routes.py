"""The yearly report (HTML, DOCX, PDF), status charts, spreadsheet exports and the round
import."""

import base64
from datetime import UTC, date, datetime

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from intranet.errors import EditConflict, NotAllowed, RuleViolation
from intranet.extensions import db
from intranet.filenames import slug
from intranet.history.asof import as_of_from_request, reading_from_request
from intranet.models import Board, Plan, ReportingRound, SubGoal, SubGoalBoard
from intranet.numbers import parse_id, parse_whole
from intranet.permissions import (
    can_edit_sub_goal,
    can_write_closing_comments,
    is_admin,
    require,
)
from intranet.plans.tree import load_plan
from intranet.reports import charts, documents, exports, imports, plan_import, services, uploads
from intranet.reports.forms import (
    CommentForm,
    ConfirmImportForm,
    PlanImportForm,
    ReportFilterForm,
    UploadForm,
)
from intranet.reports.queries import build_report
from intranet.reports.spreadsheets import CSV_MIMETYPE, XLSX_MIMETYPE, as_of_note
from intranet.rounds.services import plan_sub_goals
from intranet.web import attachment, page_or_block, redirect_after_post

bp = Blueprint("reports", __name__)

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _plan_or_404(plan_id: int) -> Plan:
    plan = db.session.get(Plan, plan_id)
    if plan is None or plan.is_archived:
        abort(404)
    return plan


def _plans() -> list[Plan]:
    return list(
        db.session.scalars(
            select(Plan)
            .where(Plan.archived_at.is_(None))
            .order_by(Plan.start_year.desc(), Plan.title)
        )
    )


def _plan_boards(plan_id: int) -> list[Board]:
    from intranet.models import FocusArea

    return list(
        db.session.scalars(
            select(Board)
            .join(SubGoalBoard, SubGoalBoard.board_id == Board.id)
            .join(SubGoal, SubGoal.id == SubGoalBoard.sub_goal_id)
            .join(FocusArea, FocusArea.id == SubGoal.focus_area_id)
            .where(FocusArea.plan_id == plan_id, Board.archived_at.is_(None))
            .distinct()
            .order_by(Board.name)
        )
    )


def _filter_form(plan: Plan | None) -> ReportFilterForm:
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
            for area in sorted(
                (a for a in plan.focus_areas if not a.is_archived), key=lambda a: a.sort_key
            )
        ]
    return form


@bp.get("/reports")
@login_required
def index():
    as_of_from_request()  # passes the as_of on to the report: the same permission here
    plan_id = parse_id(request.args.get("plan_id"))
    plan = db.session.get(Plan, plan_id) if plan_id else None
    # The form's second step (board, year and date shown) goes on to the report.
    chosen = {"board_id", "year", "focus_area", "as_of"} & request.args.keys()
    if plan is not None and not plan.is_archived and chosen:
        return redirect(url_for("reports.report", **request.args.to_dict()))
    form = _filter_form(plan if plan is not None and not plan.is_archived else None)
    return page_or_block("reports/index.html", "content", form=form, plan=plan)


def _report_from_request(plan: Plan):
    """The report the query string asks for, or (None, form) with the form's errors."""
    as_of = as_of_from_request()
    form = _filter_form(plan)
    valid = form.validate()
    if as_of.error:
        form.as_of.errors = [*form.as_of.errors, as_of.error]
    if not valid or as_of.error:
        return None, form
    report = build_report(
        plan.id, form.board_id.data, form.year.data, as_of.moment, form.focus_area.data
    )
    if report is None:
        form.as_of.errors.append(_("Planen fanns inte vid det datumet."))
        return None, form
    return report, form


def _charts_for(report) -> list[charts.StackedChart]:
    result = [charts.status_per_year(report)]
    if report.board_id is None:
        result.append(
            charts.status_per_board(report, charts.board_chart_year(report, date.today().year))
        )
    return result


@bp.get("/plans/<int:plan_id>/report")
@login_required
def report(plan_id: int):
    plan = _plan_or_404(plan_id)
    report, form = _report_from_request(plan)
    if report is None:
        return page_or_block(
            "reports/report.html", "content", 422, plan=plan, form=form, report=None
        )
    comment_form = None
    if report.as_of is None and can_write_closing_comments(
        current_user, plan.id, report.board_id, report.year
    ):
        comment_form = CommentForm(
            board_id=report.board_id,
            year=report.year or "",
            text=report.closing_comments,
            lock_version=str(report.closing_comments_lock_version),
        )
    return page_or_block(
        "reports/report.html",
        "content",
        plan=plan,
        form=form,
        report=report,
        charts=_charts_for(report),
        comment_form=comment_form,
        # The plan is in the path: a plan_id in the query string must not name it twice.
        query={k: v for k, v in request.args.to_dict().items() if k != "plan_id"},
    )


@bp.get("/plans/<int:plan_id>/report.<any(docx, pdf):file_format>")
@login_required
def report_file(plan_id: int, file_format: str):
    plan = _plan_or_404(plan_id)
    report, form = _report_from_request(plan)
    if report is None:
        return page_or_block(
            "reports/report.html", "content", 422, plan=plan, form=form, report=None
        )
    filename = documents.report_filename(report, file_format)
    now = datetime.now(UTC)
    if file_format == "docx":
        return attachment(
            documents.report_docx(report, _charts_for(report), now), DOCX_MIMETYPE, filename
        )
    return attachment(
        documents.report_pdf(report, _charts_for(report), plan, now), "application/pdf", filename
    )


@bp.post("/plans/<int:plan_id>/report/comments")
@login_required
def save_comment(plan_id: int):
    plan = _plan_or_404(plan_id)
    form = CommentForm()
    board_id = form.board_id.data
    board = db.session.get(Board, parse_id(board_id)) if parse_id(board_id) else None
    if board is None:
        abort(404)
    # No year is the whole plan period; anything else must be one of the plan's years.
    year = parse_whole(form.year.data) if (form.year.data or "").strip() else None
    if (form.year.data or "").strip() and year not in plan.years:
        abort(404)
    require(can_write_closing_comments(current_user, plan.id, board.id, year))
    status, conflict = 422, None
    if form.validate_on_submit():
        expected = int(form.lock_version.data)
        try:
            services.save_comment(current_user, plan, board, year, form.text.data, expected)
        except NotAllowed:
            abort(403)
        except RuleViolation as error:
            db.session.rollback()
            form.text.errors.append(error.message)
        except EditConflict as error:
            db.session.rollback()
            # The user's text stays in the form; saving again deliberately replaces the other.
            conflict = services.comment_changed_by(error.current, expected)
            form.lock_version.data = str(error.current.lock_version if error.current else 0)
            status = 409
        else:
            db.session.commit()
            flash(_("De avslutande kommentarerna är sparade."), "success")
            return redirect_after_post(
                url_for("reports.report", plan_id=plan.id, board_id=board.id, year=year or "")
                + "#closing-comments"
            )
    report = build_report(plan.id, board.id, year)
    return page_or_block(
        "reports/report.html",
        "comment_form",
        status,
        plan=plan,
        form=_filter_form(plan),
        report=report,
        charts=_charts_for(report),
        comment_form=form,
        comment_conflict=conflict,
        query={"board_id": board.id, "year": year or ""},
    )


def plan_status_charts(plan: Plan) -> list[charts.StackedChart]:
    """The charts on the plan page, from the current data."""
    report = build_report(plan.id)
    if report is None or not report.sub_goals:
        return []
    return _charts_for(report)


@bp.get("/plans/<int:plan_id>/export.<any(xlsx, csv):file_format>")
@login_required
def plan_export(plan_id: int, file_format: str):
    """The plan's content now or, with `as_of`, as it stood then (saying so on the sheet)."""
    plan = _plan_or_404(plan_id)
    reading = reading_from_request()
    if reading.snapshot is None or load_plan(reading.snapshot, plan.id) is None:
        form = _filter_form(plan)
        form.as_of.data = reading.as_of.value
        form.as_of.errors = [reading.error or _("Planen fanns inte vid det datumet.")]
        return page_or_block("reports/index.html", "content", 422, form=form, plan=plan)
    filename = f"plan-{plan.id}-{plan.start_year}-{plan.end_year}"
    note = None
    if reading.moment is not None:
        filename += "-per-" + slug(reading.moment.text)
        note = as_of_note(reading.moment.text)
    filename += "." + file_format
    if file_format == "xlsx":
        content = exports.plan_xlsx(plan.id, reading.snapshot, note)
        return attachment(content, XLSX_MIMETYPE, filename)
    return attachment(exports.plan_csv(plan.id, reading.snapshot, note), CSV_MIMETYPE, filename)


def _round_or_404(round_id: int) -> ReportingRound:
    reporting_round = db.session.get(ReportingRound, round_id)
    if reporting_round is None or reporting_round.plan.is_archived:
        abort(404)
    return reporting_round


@bp.get("/rounds/<int:round_id>/export.xlsx")
@login_required
def round_export(round_id: int):
    reporting_round = _round_or_404(round_id)
    content = exports.round_xlsx(current_user, reporting_round)
    filename = f"uppfoljning-{reporting_round.plan_id}-{reporting_round.year}.xlsx"
    return attachment(content, XLSX_MIMETYPE, filename)


def _may_import(reporting_round: ReportingRound) -> bool:
    """Only users responsible for at least one of the round's sub-goals. A closed round is
    not a permission matter: the preview says that it is closed."""
    if current_user.role not in ("admin", "officer"):
        return False
    return any(
        can_edit_sub_goal(current_user, sub_goal)
        for sub_goal in plan_sub_goals(reporting_round.plan_id)
    )


def _serializer(purpose: str = "round-import") -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def _render_import(reporting_round, form, preview=None, error=None, payload=None, status=200):
    return page_or_block(
        "reports/round_import.html",
        "import_area",
        status,
        reporting_round=reporting_round,
        form=form,
        preview=preview,
        error=error,
        confirm_form=ConfirmImportForm(payload=payload) if payload else None,
    )


@bp.get("/rounds/<int:round_id>/import")
@login_required
def round_import(round_id: int):
    reporting_round = _round_or_404(round_id)
    require(_may_import(reporting_round))
    return _render_import(reporting_round, UploadForm())


@bp.post("/rounds/<int:round_id>/import")
@login_required
def round_import_preview(round_id: int):
    """Show every change and every error; nothing is written until the user confirms."""
    reporting_round = _round_or_404(round_id)
    require(_may_import(reporting_round))
    form = UploadForm()
    if not form.validate_on_submit():
        return _render_import(reporting_round, form, status=422)
    content = form.file.data.read(uploads.MAX_UPLOAD_BYTES + 1)
    try:
        preview = imports.preview_round_import(current_user, reporting_round, content)
    except uploads.UnreadableFile as error:
        form.file.errors.append(str(error))
        return _render_import(reporting_round, form, status=422)
    payload = None
    if preview.ok and preview.changes:
        # The confirmation carries the file itself, signed: the server keeps no state between
        # the preview and the write, and the file cannot be swapped on the way.
        payload = _serializer().dumps(
            {
                "round": reporting_round.id,
                "user": current_user.id,
                "content": base64.b64encode(content).decode(),
            }
        )
    return _render_import(
        reporting_round, form, preview=preview, payload=payload, status=200 if preview.ok else 422
    )


@bp.post("/rounds/<int:round_id>/import/confirm")
@login_required
def round_import_confirm(round_id: int):
    reporting_round = _round_or_404(round_id)
    require(_may_import(reporting_round))
    form = ConfirmImportForm()
    try:
        data = _serializer().loads(form.payload.data or "")
    except BadSignature:
        abort(400)
    if (
        not form.validate_on_submit()
        or data.get("round") != round_id
        or data.get("user") != current_user.id
    ):
        abort(400)
    preview = services.import_round(
        current_user, reporting_round, base64.b64decode(data["content"])
    )
    if not preview.ok:
        # Something changed since the preview: show the new errors, write nothing.
        db.session.rollback()
        return _render_import(reporting_round, UploadForm(), preview=preview, status=422)
    db.session.commit()
    flash(_("%(n)s uppföljningar är sparade från Excelfilen.", n=len(preview.changes)), "success")
    return redirect(url_for("rounds.show", round_id=round_id))


def _plan_import_form() -> PlanImportForm:
    form = PlanImportForm()
    form.strategy_id.choices = [(None, _("Ingen strategi")), *plan_import.strategy_choices()]
    return form


def _render_plan_import(form, preview=None, payload=None, status=200):
    return page_or_block(
        "reports/plan_import.html",
        "import_area",
        status,
        form=form,
        preview=preview,
        confirm_form=ConfirmImportForm(payload=payload) if payload else None,
    )


@bp.get("/plans/import")
@login_required
def plan_import_form():
    require(is_admin(current_user))
    return _render_plan_import(_plan_import_form())


@bp.get("/plans/import/template.xlsx")
@login_required
def plan_import_template():
    return attachment(plan_import.template_xlsx(), XLSX_MIMETYPE, "mall-ny-plan.xlsx")


@bp.post("/plans/import")
@login_required
def plan_import_preview():
    require(is_admin(current_user))
    form = _plan_import_form()
    if not form.validate_on_submit():
        return _render_plan_import(form, status=422)
    content = form.file.data.read(uploads.MAX_UPLOAD_BYTES + 1)
    try:
        preview = plan_import.preview_plan_import(current_user, content, form.strategy_id.data)
    except uploads.UnreadableFile as error:
        form.file.errors.append(str(error))
        return _render_plan_import(form, status=422)
    payload = None
    if preview.ok:
        payload = _serializer("plan-import").dumps(
            {
                "user": current_user.id,
                "strategy": form.strategy_id.data,
                "content": base64.b64encode(content).decode(),
            }
        )
    return _render_plan_import(form, preview, payload, 200 if preview.ok else 422)


@bp.post("/plans/import/confirm")
@login_required
def plan_import_confirm():
    require(is_admin(current_user))
    form = ConfirmImportForm()
    try:
        data = _serializer("plan-import").loads(form.payload.data or "")
    except BadSignature:
        abort(400)
    if not form.validate_on_submit() or data.get("user") != current_user.id:
        abort(400)
    content, strategy_id = base64.b64decode(data["content"]), data.get("strategy")
    try:
        preview = plan_import.import_plan(current_user, content, strategy_id)
        if preview.ok and not preview.already_imported:
            db.session.commit()
    except IntegrityError:
        # The same file confirmed at the same moment elsewhere: that one made the plan.
        db.session.rollback()
        existing = plan_import.imported_plan(plan_import.import_digest(content, strategy_id))
        if existing is None:
            raise
        preview = plan_import.PlanPreview(plan=existing, already_imported=True)
    if not preview.ok:
        db.session.rollback()
        return _render_plan_import(_plan_import_form(), preview, status=422)
    if preview.already_imported:
        flash(_("Filen är redan inläst; ingenting nytt har skapats. Här är planen."), "info")
    else:
        flash(_("Planen är inläst."), "success")
    return redirect(url_for("plans.show", plan_id=preview.plan.id))
