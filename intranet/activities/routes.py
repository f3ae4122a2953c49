from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from intranet.activities.forms import ActivityForm
from intranet.activities.services import save_activity
from intranet.errors import EditConflict, RuleViolation
from intranet.extensions import db
from intranet.models import TAG_KINDS, Activity
from intranet.permissions import can_edit_sub_goal, require
from intranet.plans.queries import sub_goal_detail
from intranet.plans.tree import load_sub_goal
from intranet.snapshot import Snapshot
from intranet.versioning import set_change_note
from intranet.web import add_form_error, page_or_block, wants_fragment

bp = Blueprint("activities", __name__)


def _form_page(form, sub_goal, activity, status=200, conflict=False):
    return page_or_block(
        "activities/edit.html",
        "activity_editor",
        status=status,
        form=form,
        sub_goal=sub_goal,
        activity=activity,
        conflict=conflict,
    )


def _edit(sub_goal, activity: Activity | None):
    require(can_edit_sub_goal(current_user, sub_goal))
    form = ActivityForm(obj=activity if request.method == "GET" else None)
    if request.method == "GET":
        plan = sub_goal.plan
        form.lock_version.data = str(activity.lock_version if activity else 0)
        if activity is None:
            form.planned_from_year.data = form.planned_from_year.data or plan.start_year
            form.planned_to_year.data = form.planned_to_year.data or plan.end_year
        return _form_page(form, sub_goal, activity)
    if not form.validate_on_submit():
        return _form_page(form, sub_goal, activity, status=422)
    try:
        set_change_note(form.note.data)
        save_activity(sub_goal, activity, form.values(), int(form.lock_version.data))
        db.session.commit()
    except RuleViolation as error:
        db.session.rollback()
        add_form_error(form, error)
        return _form_page(form, sub_goal, activity, status=422)
    except EditConflict as error:
        db.session.rollback()
        form.lock_version.data = str(error.current.lock_version)
        return _form_page(form, sub_goal, activity, status=409, conflict=True)
    message = _("Aktiviteten sparades.")
    if wants_fragment():
        # The activities section of the sub-goal page, now with the change.
        return page_or_block(
            "plans/sub_goal.html",
            "activities",
            sub_goal=load_sub_goal(Snapshot.current(), sub_goal.id),
            tag_kinds=TAG_KINDS,
            message=message,
        )
    flash(message, "success")
    return redirect(url_for("plans.sub_goal", sub_goal_id=sub_goal.id) + "#activities")


@bp.route("/sub-goals/<int:sub_goal_id>/activities/new", methods=["GET", "POST"])
@login_required
def new(sub_goal_id: int):
    sub_goal = sub_goal_detail(sub_goal_id)
    if sub_goal is None or sub_goal.is_archived:
        abort(404)
    return _edit(sub_goal, None)


@bp.route("/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@login_required
def edit(activity_id: int):
    activity = db.session.get(Activity, activity_id)
    if activity is None or activity.is_archived:
        abort(404)
    return _edit(sub_goal_detail(activity.sub_goal_id), activity)
