"""A sub-goal's yearly follow-up: its card and its editor (side panel or page)."""

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block

from intranet.auth.policies import can_edit_follow_up_year, require
from intranet.core.errors import EditConflict, RuleViolation
from intranet.core.numbers import parse_whole
from intranet.core.translation import gettext as _
from intranet.db.versioning import set_change_note
from intranet.extensions import db
from intranet.followups.forms import FollowUpForm
from intranet.followups.services import changes_since, find_follow_up, record_follow_up
from intranet.matrix.queries import Cell
from intranet.models import SubGoal
from intranet.plans.queries import sub_goal_detail
from intranet.reading.snapshot import is_hidden
from intranet.web.views import (
    page_or_block,
    safe_next,
    show_conflict,
    show_violation,
    wants_fragment,
)

bp = Blueprint("followups", __name__)


def _load(sub_goal_id: int, year: int) -> SubGoal:
    """The visible sub-goal, for one of its plan's years (else 404)."""
    sub_goal = sub_goal_detail(sub_goal_id)
    if sub_goal is None or is_hidden(sub_goal) or year not in sub_goal.plan.years:
        abort(404)
    return sub_goal


def _cell(sub_goal: SubGoal, year: int, follow_up) -> Cell:
    """The matrix cell the saved follow-up now shows as."""
    cell = Cell(sub_goal.id, year, True)
    if follow_up is not None:
        cell.follow_up_id = follow_up.id
        cell.status = follow_up.status
        cell.deviation_reason = follow_up.deviation_reason
        cell.lock_version = follow_up.lock_version
    return cell


def _visible(follow_up):
    return None if follow_up is None or follow_up.is_archived else follow_up


@bp.get("/sub-goals/<int:sub_goal_id>/follow-ups/<int:year>")
@login_required
def show(sub_goal_id: int, year: int):
    sub_goal = _load(sub_goal_id, year)
    return page_or_block(
        "followups/show.html",
        "card",
        sub_goal=sub_goal,
        year=year,
        follow_up=_visible(find_follow_up(sub_goal, year)),
        can_edit=can_edit_follow_up_year(current_user, sub_goal, year),
    )


@bp.route("/sub-goals/<int:sub_goal_id>/follow-ups/<int:year>/edit", methods=["GET", "POST"])
@login_required
def edit(sub_goal_id: int, year: int):
    sub_goal = _load(sub_goal_id, year)
    require(can_edit_follow_up_year(current_user, sub_goal, year))
    follow_up = find_follow_up(sub_goal, year)
    form = FollowUpForm.for_record(follow_up)
    status, conflict = 200, None
    if form.validate_on_submit():
        expected = parse_whole(form.lock_version.data)
        try:
            set_change_note(form.note.data)
            saved = record_follow_up(current_user, sub_goal, year, form.values(), expected)
            db.session.commit()
        except RuleViolation as violation:
            show_violation(form, violation)
        except EditConflict as error:
            show_conflict(form, error)
            conflict, status = changes_since(error.current, expected), 409
        else:
            return _saved(sub_goal, year, saved)
    return _editor(form, sub_goal, year, follow_up, conflict, status)


def _next_url(sub_goal: SubGoal, year: int) -> str:
    """Where the editor goes back to: the page it was opened from, or the follow-up."""
    fallback = url_for("followups.show", sub_goal_id=sub_goal.id, year=year)
    return safe_next(request.values.get("next")) or fallback


def _editor(form, sub_goal, year, follow_up, conflict, status):
    return page_or_block(
        "followups/edit.html",
        "editor",
        status=422 if form.errors and status == 200 else status,
        form=form,
        sub_goal=sub_goal,
        year=year,
        follow_up=follow_up,
        conflict=conflict,
        next_url=_next_url(sub_goal, year),
    )


def _saved(sub_goal: SubGoal, year: int, follow_up):
    """The saved cell in place of the panel for htmx, else back where the editor came from."""
    message = _("Uppföljningen %(code)s %(year)s sparades.", code=sub_goal.code, year=year)
    if not wants_fragment():
        flash(message, "success")
        return redirect(_next_url(sub_goal, year))
    return render_block(
        "followups/edit.html",
        "saved",
        sub_goal=sub_goal,
        year=year,
        cell=_cell(sub_goal, year, follow_up),
        follow_up=follow_up,
        message=message,
        next_url=_next_url(sub_goal, year),
    )
