"""Reporting rounds and their Excel workbook (export and import)."""

from flask import Blueprint, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from intranet.auth.policies import can_import_round, can_manage_rounds, require
from intranet.core.errors import RuleViolation
from intranet.core.translation import gettext as _
from intranet.extensions import db
from intranet.models import Plan, ReportingRound
from intranet.rounds import exports, imports, services
from intranet.rounds.forms import OpenRoundForm, RoundStateForm
from intranet.web.forms import ConfirmImportForm, UploadForm, with_placeholder
from intranet.web.spreadsheets import XLSX_MIMETYPE
from intranet.web.views import (
    SignedUpload,
    attachment,
    page_or_block,
    saved,
    show_violation,
    visible_or_404,
)

bp = Blueprint("rounds", __name__)

ROUND_UPLOAD = SignedUpload("round-import")


def _open_round_form() -> OpenRoundForm:
    form = OpenRoundForm()
    plans = db.session.scalars(
        select(Plan).where(Plan.archived_at.is_(None)).order_by(Plan.start_year.desc(), Plan.title)
    )
    form.plan_id.choices = with_placeholder(
        _("Välj plan"),
        [(plan.id, f"{plan.title} ({plan.start_year}–{plan.end_year})") for plan in plans],
    )
    return form


@bp.get("/rounds")
@login_required
def index():
    form = _open_round_form()
    return page_or_block("rounds/index.html", "content", rounds=services.all_rounds(), form=form)


@bp.post("/rounds")
@login_required
def create():
    require(can_manage_rounds(current_user))
    form = _open_round_form()
    if form.validate_on_submit():
        plan = db.session.get(Plan, form.plan_id.data)
        try:
            reporting_round = services.open_round(
                current_user, plan, form.year.data, form.deadline.data
            )
        except RuleViolation as violation:
            show_violation(form, violation, "year")
        else:
            url = url_for("rounds.show", round_id=reporting_round.id)
            return saved(_("Uppföljningsomgången är öppnad."), url)
    return page_or_block(
        "rounds/index.html", "open_round_form", 422, rounds=services.all_rounds(), form=form
    )


def _round_page(reporting_round: ReportingRound, block: str, form, status: int = 200):
    return page_or_block(
        "rounds/round.html",
        block,
        status,
        reporting_round=reporting_round,
        completeness=services.completeness(reporting_round),
        form=form,
    )


@bp.get("/rounds/<int:round_id>")
@login_required
def show(round_id: int):
    reporting_round = visible_or_404(ReportingRound, round_id)
    return _round_page(reporting_round, "content", RoundStateForm())


@bp.post("/rounds/<int:round_id>/close")
@login_required
def close(round_id: int):
    return _set_open(round_id, False)


@bp.post("/rounds/<int:round_id>/reopen")
@login_required
def reopen(round_id: int):
    return _set_open(round_id, True)


def _set_open(round_id: int, is_open: bool):
    reporting_round = visible_or_404(ReportingRound, round_id)
    require(can_manage_rounds(current_user))
    form = RoundStateForm()
    if form.validate_on_submit():
        try:
            services.set_round_open(current_user, reporting_round, is_open, form.note.data)
        except RuleViolation as violation:
            show_violation(form, violation, "note")
        else:
            message = _("Omgången är öppnad igen.") if is_open else _("Omgången är stängd.")
            return saved(message, url_for("rounds.show", round_id=round_id))
    return _round_page(reporting_round, "round_state_form", form, 422)


@bp.get("/rounds/<int:round_id>/export.xlsx")
@login_required
def export(round_id: int):
    reporting_round = visible_or_404(ReportingRound, round_id)
    content = exports.round_xlsx(current_user, reporting_round)
    filename = f"uppfoljning-{reporting_round.plan_id}-{reporting_round.year}.xlsx"
    return attachment(content, XLSX_MIMETYPE, filename)


def _importable(round_id: int) -> ReportingRound:
    reporting_round = visible_or_404(ReportingRound, round_id)
    require(can_import_round(current_user, reporting_round))
    return reporting_round


def _import_page(reporting_round, form, preview=None, payload=None, status=200):
    return page_or_block(
        "rounds/import.html",
        "import_area",
        status,
        reporting_round=reporting_round,
        form=form,
        preview=preview,
        confirm_form=ConfirmImportForm(payload=payload) if payload else None,
    )


@bp.get("/rounds/<int:round_id>/import")
@login_required
def import_form(round_id: int):
    return _import_page(_importable(round_id), UploadForm())


@bp.post("/rounds/<int:round_id>/import")
@login_required
def import_preview(round_id: int):
    """Show every change and every error; nothing is written until the user confirms."""
    reporting_round = _importable(round_id)
    form = UploadForm()
    content, preview = ROUND_UPLOAD.preview(
        form, lambda content: imports.preview_round_import(current_user, reporting_round, content)
    )
    if preview is None:
        return _import_page(reporting_round, form, status=422)
    ready = preview.ok and preview.changes
    payload = ROUND_UPLOAD.sign(content, round=reporting_round.id) if ready else None
    return _import_page(reporting_round, form, preview, payload, 200 if preview.ok else 422)


@bp.post("/rounds/<int:round_id>/import/confirm")
@login_required
def import_confirm(round_id: int):
    reporting_round = _importable(round_id)
    content, _signed = ROUND_UPLOAD.open(ConfirmImportForm(), round=round_id)
    preview = imports.import_round(current_user, reporting_round, content)
    if not preview.ok:
        # Something changed since the preview: show the new errors, write nothing.
        db.session.rollback()
        return _import_page(reporting_round, UploadForm(), preview, status=422)
    message = _("%(n)s uppföljningar är sparade från Excelfilen.", n=len(preview.changes))
    return saved(message, url_for("rounds.show", round_id=round_id))
