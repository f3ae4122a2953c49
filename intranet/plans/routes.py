"""Plans and sub-goals: their pages (now or as of a moment), their spreadsheet export, and
creating a plan from the Excel template."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from intranet.auth.policies import can_create_plans, require
from intranet.core.translation import gettext as _
from intranet.core.translation import lazy_gettext as _l
from intranet.extensions import db
from intranet.lineage.queries import load_line
from intranet.models import TAG_KINDS, Plan, SubGoal
from intranet.plans import exports, imports, queries
from intranet.plans.forms import PlanConfirmForm, PlanImportForm
from intranet.reading.plan_tree import load_plan, load_sub_goal
from intranet.reports.charts import plan_charts
from intranet.reports.filters import ReportFilters, report_options
from intranet.web.past import reading_from_request
from intranet.web.spreadsheets import CSV_MIMETYPE, XLSX_MIMETYPE
from intranet.web.views import SignedUpload, attachment, page_or_block, visible_or_404

bp = Blueprint("plans", __name__)

PLAN_UPLOAD = SignedUpload("plan-import")


@bp.get("/plans")
@login_required
def index():
    return render_template("plans/index.html", strategies=queries.strategies_with_plans())


def _status(reading, found, missing) -> tuple[int, str | None]:
    """The page's status and banner error: now, a missing record is a 404; as of a moment,
    the banner says it did not exist then (or why the moment cannot be read)."""
    if reading.error:
        return 400, reading.error
    if found is None:
        if not reading.past:
            abort(404)
        return 404, str(missing)
    return 200, None


@bp.get("/plans/<int:plan_id>")
@login_required
def show(plan_id: int):
    """The plan page, now or (read-only, with a banner) as of the moment asked for."""
    reading = reading_from_request()
    plan = load_plan(reading.snapshot, plan_id) if reading.snapshot else None
    status, error = _status(reading, plan, _l("Planen fanns inte vid den tidpunkten."))
    return page_or_block(
        "plans/plan.html",
        "content",
        status=status,
        plan=plan,
        plan_id=plan_id,
        record=db.session.get(Plan, plan_id),
        reading=reading,
        error=error,
        # Today's status in figures; a page of the past shows none.
        charts=plan_charts(plan_id) if plan is not None and not reading.past else [],
    )


@bp.get("/sub-goals/<int:sub_goal_id>")
@login_required
def sub_goal(sub_goal_id: int):
    """The sub-goal page, now or (read-only, with a banner) as of the moment asked for."""
    reading = reading_from_request()
    node = load_sub_goal(reading.snapshot, sub_goal_id) if reading.snapshot else None
    status, error = _status(reading, node, _l("Delmålet fanns inte vid den tidpunkten."))
    return page_or_block(
        "plans/sub_goal.html",
        "content",
        status=status,
        sub_goal=node,
        sub_goal_id=sub_goal_id,
        record=db.session.get(SubGoal, sub_goal_id),
        reading=reading,
        read_only=reading.past,
        tag_kinds=TAG_KINDS,
        error=error,
        line=load_line(reading.snapshot, sub_goal_id) if node is not None else None,
    )


@bp.get("/plans/<int:plan_id>/export.<any(xlsx, csv):file_format>")
@login_required
def export(plan_id: int, file_format: str):
    """The plan's content now or, with `as_of`, as it stood then (saying so on the sheet)."""
    plan = visible_or_404(Plan, plan_id)
    reading = reading_from_request()
    if reading.snapshot is None or load_plan(reading.snapshot, plan.id) is None:
        return _export_refused(plan, reading)
    filename, note = exports.plan_filename(plan, reading.moment, file_format)
    if file_format == "xlsx":
        content = exports.plan_xlsx(plan.id, reading.snapshot, note)
        return attachment(content, XLSX_MIMETYPE, filename)
    return attachment(exports.plan_csv(plan.id, reading.snapshot, note), CSV_MIMETYPE, filename)


def _export_refused(plan: Plan, reading):
    """The report form with the date's message: a plan that did not exist then (or an
    unusable date) gets no file of today's data."""
    filters = ReportFilters(
        plan_id=plan.id,
        as_of_text=reading.as_of.value,
        errors={"as_of": reading.error or _("Planen fanns inte vid det datumet.")},
    )
    return page_or_block(
        "reports/index.html",
        "content",
        422,
        filters=filters,
        options=report_options(plan),
        plan=plan,
    )


def _import_form() -> PlanImportForm:
    form = PlanImportForm()
    form.strategy_id.choices = [(None, _("Ingen strategi")), *imports.strategy_choices()]
    return form


def _import_page(form, preview=None, confirm_form=None, status=200):
    return page_or_block(
        "plans/import.html",
        "import_area",
        status,
        form=form,
        preview=preview,
        confirm_form=confirm_form,
        tag_kinds=TAG_KINDS,
    )


@bp.get("/plans/import")
@login_required
def import_form():
    require(can_create_plans(current_user))
    return _import_page(_import_form())


@bp.get("/plans/import/template.xlsx")
@login_required
def import_template():
    return attachment(imports.template_xlsx(), XLSX_MIMETYPE, "mall-ny-plan.xlsx")


@bp.post("/plans/import")
@login_required
def import_preview():
    """Show the plan the file would create and every error; nothing is written yet."""
    require(can_create_plans(current_user))
    form = _import_form()
    strategy_id = form.strategy_id.data
    content, preview = PLAN_UPLOAD.preview(
        form, lambda content: imports.preview_plan_import(current_user, content, strategy_id)
    )
    if preview is None:
        return _import_page(form, status=422)
    if not preview.ok:
        return _import_page(form, preview, status=422)
    confirm = PlanConfirmForm(payload=PLAN_UPLOAD.sign(content, strategy=strategy_id))
    return _import_page(form, preview, confirm)


@bp.post("/plans/import/confirm")
@login_required
def import_confirm():
    """Write the previewed plan; new boards only when the form confirms them (otherwise the
    preview again, with the signed file, so that ticking the box is all it takes)."""
    require(can_create_plans(current_user))
    confirm = PlanConfirmForm()
    content, signed = PLAN_UPLOAD.open(confirm)
    preview = _import_once(content, signed.get("strategy"), confirm.create_boards.data)
    if not preview.ok:
        db.session.rollback()
        confirm.create_boards.errors = [preview.board_error] if preview.board_error else []
        return _import_page(_import_form(), preview, confirm if preview.board_error else None, 422)
    if preview.already_imported:
        flash(_("Filen är redan inläst; ingenting nytt har skapats. Här är planen."), "info")
    else:
        flash(_("Planen är inläst."), "success")
    return redirect(url_for("plans.show", plan_id=preview.plan.id))


def _import_once(
    content: bytes, strategy_id: int | None, create_boards: bool
) -> imports.PlanPreview:
    """Import and commit; when the same file was confirmed at the same moment elsewhere,
    the plan that one made (the file's digest is unique)."""
    try:
        preview = imports.import_plan(current_user, content, strategy_id, create_boards)
        if preview.ok and not preview.already_imported:
            db.session.commit()
        return preview
    except IntegrityError:
        db.session.rollback()
        existing = imports.imported_plan(imports.import_digest(content, strategy_id))
        if existing is None:
            raise
        return imports.PlanPreview(plan=existing, already_imported=True)
