"""Reporting rounds and the start page that shows what is left to report."""

from datetime import date

from flask import Blueprint, abort, flash, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from intranet.errors import RuleViolation
from intranet.extensions import db
from intranet.models import Plan, ReportingRound
from intranet.permissions import can_manage_rounds, require
from intranet.rounds import services
from intranet.rounds.forms import OpenRoundForm, RoundStateForm
from intranet.web import page_or_block, redirect_after_post

bp = Blueprint("rounds", __name__)


def start_page():
    """What the signed-in user's boards still have to report, and the open rounds."""
    return page_or_block(
        "rounds/start.html",
        "content",
        pending=services.pending_for(current_user),
        open_rounds=services.open_rounds(),
        today=date.today(),
    )


def _plan_choices() -> list[tuple[int | str, str]]:
    plans = db.session.scalars(
        select(Plan).where(Plan.archived_at.is_(None)).order_by(Plan.start_year.desc(), Plan.title)
    )
    return [("", _("Välj plan"))] + [
        (plan.id, f"{plan.title} ({plan.start_year}–{plan.end_year})") for plan in plans
    ]


def _round_or_404(round_id: int) -> ReportingRound:
    reporting_round = db.session.get(ReportingRound, round_id)
    if reporting_round is None or reporting_round.plan.is_archived:
        abort(404)
    return reporting_round


@bp.get("/rounds")
@login_required
def index():
    form = OpenRoundForm()
    form.plan_id.choices = _plan_choices()
    return page_or_block("rounds/index.html", "content", rounds=services.all_rounds(), form=form)


@bp.post("/rounds")
@login_required
def create():
    require(can_manage_rounds(current_user))
    form = OpenRoundForm()
    form.plan_id.choices = _plan_choices()
    if form.validate_on_submit():
        plan = db.session.get(Plan, form.plan_id.data)
        try:
            reporting_round = services.open_round(
                current_user, plan, form.year.data, form.deadline.data
            )
        except RuleViolation as error:
            db.session.rollback()
            getattr(form, error.field, form.year).errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Uppföljningsomgången är öppnad."), "success")
            return redirect_after_post(url_for("rounds.show", round_id=reporting_round.id))
    return page_or_block(
        "rounds/index.html", "open_round_form", 422, rounds=services.all_rounds(), form=form
    )


@bp.get("/rounds/<int:round_id>")
@login_required
def show(round_id: int):
    reporting_round = _round_or_404(round_id)
    return page_or_block(
        "rounds/round.html",
        "content",
        reporting_round=reporting_round,
        completeness=services.completeness(reporting_round),
        form=RoundStateForm(),
    )


@bp.post("/rounds/<int:round_id>/close")
@login_required
def close(round_id: int):
    return _set_open(round_id, False)


@bp.post("/rounds/<int:round_id>/reopen")
@login_required
def reopen(round_id: int):
    return _set_open(round_id, True)


def _set_open(round_id: int, is_open: bool):
    reporting_round = _round_or_404(round_id)
    require(can_manage_rounds(current_user))
    form = RoundStateForm()
    if form.validate_on_submit():
        try:
            services.set_round_open(current_user, reporting_round, is_open, form.note.data)
        except RuleViolation as error:
            db.session.rollback()
            form.note.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Omgången är öppnad igen.") if is_open else _("Omgången är stängd."), "success")
            return redirect_after_post(url_for("rounds.show", round_id=round_id))
    return page_or_block(
        "rounds/round.html",
        "round_state_form",
        422,
        reporting_round=reporting_round,
        completeness=services.completeness(reporting_round),
        form=form,
    )
