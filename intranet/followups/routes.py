from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block

from intranet.errors import EditConflict, RuleViolation
from intranet.extensions import db
from intranet.followups.forms import FollowUpForm
from intranet.followups.services import changes_since, find_follow_up, record_follow_up
from intranet.matrix.queries import Cell
from intranet.models import SubGoal
from intranet.permissions import can_edit_follow_up_year, require
from intranet.plans.queries import sub_goal_detail
from intranet.versioning import set_change_note
from intranet.web import add_form_error, page_or_block, safe_next, wants_fragment

bp = Blueprint("followups", __name__)


def _load(sub_goal_id: int, year: int) -> SubGoal:
    sub_goal = sub_goal_detail(sub_goal_id)
    if sub_goal is None or sub_goal.is_archived or year not in sub_goal.plan.years:
        abort(404)
    return sub_goal


def _cell(sub_goal: SubGoal, year: int, follow_up) -> Cell:
    cell = Cell(sub_goal.id, year, True)
    if follow_up is not None:
        cell.follow_up_id = follow_up.id
        cell.status = follow_up.status
        cell.deviation_reason = follow_up.deviation_reason
        cell.lock_version = follow_up.lock_version
    return cell


@bp.get("/sub-goals/<int:sub_goal_id>/follow-ups/<int:year>")
@login_required
def show(sub_goal_id: int, year: int):
    sub_goal = _load(sub_goal_id, year)
    follow_up = find_follow_up(sub_goal, year)
    if follow_up is not None and follow_up.is_archived:
        follow_up = None
    return page_or_block(
        "followups/show.html",
        "card",
        sub_goal=sub_goal,
        year=year,
        follow_up=follow_up,
        can_edit=can_edit_follow_up_year(current_user, sub_goal, year),
    )


@bp.route("/sub-goals/<int:sub_goal_id>/follow-ups/<int:year>/edit", methods=["GET", "POST"])
@login_required
def edit(sub_goal_id: int, year: int):
    sub_goal = _load(sub_goal_id, year)
    require(can_edit_follow_up_year(current_user, sub_goal, year))
    follow_up = find_follow_up(sub_goal, year)
    next_url = safe_next(request.values.get("next")) or url_for(
        "followups.show", sub_goal_id=sub_goal.id, year=year
    )
    form = FollowUpForm(obj=follow_up if request.method == "GET" else None)
    if request.method == "GET":
        form.lock_version.data = str(follow_up.lock_version if follow_up else 0)
    status, conflict = 200, None
    if form.validate_on_submit():
        expected = int(form.lock_version.data)
        try:
            set_change_note(form.note.data)
            saved = record_follow_up(sub_goal, year, form.values(), expected)
            db.session.commit()
        except RuleViolation as error:
            db.session.rollback()
            add_form_error(form, error)
        except EditConflict as error:
            db.session.rollback()
            conflict = changes_since(error.current, expected)
            # Saving again now deliberately replaces what the other person saved.
            form.lock_version.data = str(error.current.lock_version if error.current else 0)
            status = 409
        else:
            message = _("Uppföljningen %(code)s %(year)s sparades.", code=sub_goal.code, year=year)
            if wants_fragment():
                return render_block(
                    "followups/edit.html",
                    "saved",
                    sub_goal=sub_goal,
                    year=year,
                    cell=_cell(sub_goal, year, saved),
                    follow_up=saved,
                    message=message,
                    next_url=next_url,
                )
            flash(message, "success")
            return redirect(next_url)
    if form.errors and status == 200:
        status = 422
    return page_or_block(
        "followups/edit.html",
        "editor",
        status=status,
        form=form,
        sub_goal=sub_goal,
        year=year,
        follow_up=follow_up,
        conflict=conflict,
        next_url=next_url,
    )
