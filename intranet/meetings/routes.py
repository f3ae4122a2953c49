"""Start and end a meeting from the meeting-mode matrix, then back to the same view."""

from flask import Blueprint, flash, url_for
from flask_babel import format_datetime
from flask_login import current_user, login_required

from intranet.auth.policies import can_end_meeting, can_start_meeting, require
from intranet.core.errors import RuleViolation
from intranet.core.numbers import parse_id
from intranet.core.translation import gettext as _
from intranet.extensions import db
from intranet.meetings import services
from intranet.meetings.forms import MeetingForm
from intranet.models import Meeting, Plan
from intranet.web.views import get_or_404, redirect_after_post, safe_next, saved, visible_or_404

bp = Blueprint("meetings", __name__, url_prefix="/meetings")


def _back(form: MeetingForm, plan_id: int | None) -> str:
    fallback = url_for("matrix.show", meeting=1, plan=plan_id or "all")
    return safe_next(form.next.data) or fallback


@bp.post("/start")
@login_required
def start():
    require(can_start_meeting(current_user))
    form = MeetingForm()
    if not form.validate_on_submit():
        return redirect_after_post(_back(form, None))
    raw_plan = (form.plan.data or "").strip()
    plan = visible_or_404(Plan, parse_id(raw_plan) or 0) if raw_plan else None  # "": all plans
    plan_id = plan.id if plan else None
    meeting, started = services.start_meeting(current_user, plan)
    if not started:
        flash(_("Ett möte pågår redan, sedan %(when)s.", when=_local(meeting)), "info")
        return redirect_after_post(_back(form, plan_id))
    return saved(_("Mötet är startat."), _back(form, plan_id))


@bp.post("/<int:meeting_id>/end")
@login_required
def end(meeting_id: int):
    meeting = get_or_404(Meeting, meeting_id)
    require(can_end_meeting(current_user, meeting))
    form = MeetingForm()
    if not form.validate_on_submit():
        return redirect_after_post(_back(form, meeting.plan_id))
    try:
        services.end_meeting(current_user, meeting)
    except RuleViolation as violation:
        db.session.rollback()
        flash(violation.message, "info")
        return redirect_after_post(_back(form, meeting.plan_id))
    return saved(_("Mötet är avslutat."), _back(form, meeting.plan_id))


def _local(meeting: Meeting) -> str:
    return format_datetime(meeting.started_at, "yyyy-MM-dd HH:mm")
