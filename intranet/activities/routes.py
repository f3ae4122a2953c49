"""A sub-goal's planned activities: adding and editing them (side panel or page)."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user, login_required

from intranet.activities.forms import ActivityForm
from intranet.activities.services import save_activity
from intranet.auth.policies import can_edit_sub_goal, require
from intranet.core.errors import EditConflict, RuleViolation
from intranet.core.numbers import parse_whole
from intranet.core.translation import gettext as _
from intranet.db.versioning import set_change_note
from intranet.extensions import db
from intranet.models import TAG_KINDS, Activity, SubGoal
from intranet.plans.queries import sub_goal_detail
from intranet.reading.plan_tree import load_sub_goal
from intranet.reading.snapshot import Snapshot
from intranet.web.views import (
    page_or_block,
    show_conflict,
    show_violation,
    visible_or_404,
    wants_fragment,
)

bp = Blueprint("activities", __name__)


@bp.route("/sub-goals/<int:sub_goal_id>/activities/new", methods=["GET", "POST"])
@login_required
def new(sub_goal_id: int):
    visible_or_404(SubGoal, sub_goal_id)
    return _edit(sub_goal_detail(sub_goal_id), None)


@bp.route("/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@login_required
def edit(activity_id: int):
    activity = visible_or_404(Activity, activity_id)
    return _edit(sub_goal_detail(activity.sub_goal_id), activity)


def _edit(sub_goal: SubGoal, activity: Activity | None):
    require(can_edit_sub_goal(current_user, sub_goal))
    form = ActivityForm.for_record(activity, sub_goal.plan)
    if request.method == "GET":
        return _editor(form, sub_goal, activity)
    if not form.validate_on_submit():
        return _editor(form, sub_goal, activity, status=422)
    try:
        set_change_note(form.note.data)
        save_activity(
            current_user, sub_goal, activity, form.values(), parse_whole(form.lock_version.data)
        )
        db.session.commit()
    except RuleViolation as violation:
        show_violation(form, violation)
        return _editor(form, sub_goal, activity, status=422)
    except EditConflict as error:
        show_conflict(form, error)
        return _editor(form, sub_goal, activity, status=409, conflict=True)
    return _saved(sub_goal)


def _editor(form, sub_goal, activity, status=200, conflict=False):
    return page_or_block(
        "activities/edit.html",
        "activity_editor",
        status=status,
        form=form,
        sub_goal=sub_goal,
        activity=activity,
        conflict=conflict,
    )


def _saved(sub_goal: SubGoal):
    """For htmx the sub-goal page's activities section, now with the change."""
    message = _("Aktiviteten sparades.")
    if wants_fragment():
        response = page_or_block(
            "plans/sub_goal.html",
            "activities",
            sub_goal=load_sub_goal(Snapshot.current(), sub_goal.id),
            tag_kinds=TAG_KINDS,
            message=message,
        )
        # The form targets its editor inside the section; the saved section replaces all.
        response.headers["HX-Retarget"] = "#activities"
        response.headers["HX-Reswap"] = "outerHTML"
        return response
    flash(message, "success")
    return redirect(url_for("plans.sub_goal", sub_goal_id=sub_goal.id) + "#activities")
