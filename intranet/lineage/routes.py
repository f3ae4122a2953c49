"""Starting the next period's plan from this one, and linking a sub-goal to the earlier
one it continues."""

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from intranet.auth.policies import can_edit_lineage, can_start_next_plan, require
from intranet.core.errors import RuleViolation
from intranet.core.numbers import parse_id
from intranet.core.translation import gettext as _
from intranet.db.versioning import set_change_note
from intranet.extensions import db
from intranet.lineage import services
from intranet.lineage.forms import (
    LinkForm,
    UnlinkForm,
    current_areas,
    next_plan_form,
    wanted_plan,
)
from intranet.lineage.queries import load_line
from intranet.models import Plan, SubGoal
from intranet.reading.plan_tree import load_sub_goal
from intranet.reading.snapshot import Snapshot
from intranet.web.views import page_or_block, saved, show_violation, visible_or_404

bp = Blueprint("lineage", __name__)


def _next_plan_page(plan, areas, form, status=200):
    return page_or_block(
        "lineage/next_plan.html", "content", status, plan=plan, areas=areas, form=form
    )


@bp.get("/plans/<int:plan_id>/next")
@login_required
def next_plan(plan_id: int):
    plan = visible_or_404(Plan, plan_id)
    require(can_start_next_plan(current_user, plan))
    areas = current_areas(plan)
    return _next_plan_page(plan, areas, next_plan_form(plan, areas))


@bp.post("/plans/<int:plan_id>/next")
@login_required
def create_next_plan(plan_id: int):
    """One transaction, one history entry: the plan, its focus areas, sub-goals and links."""
    plan = visible_or_404(Plan, plan_id)
    require(can_start_next_plan(current_user, plan))
    areas = current_areas(plan)
    form = next_plan_form(plan, areas, request.form)
    if not form.validate_on_submit():
        return _next_plan_page(plan, areas, form, 422)
    try:
        set_change_note(form.note.data)
        new_plan = services.start_next_plan(current_user, plan, wanted_plan(form, areas))
    except RuleViolation as violation:
        show_violation(form, violation)
        return _next_plan_page(plan, current_areas(db.session.get(Plan, plan_id)), form, 422)
    message = _("Den nya planen är skapad som utkast.")
    return saved(message, url_for("plans.show", plan_id=new_plan.id))


def _link_page(sub_goal: SubGoal, form: LinkForm, status=200):
    form.continues_id.choices = [("", _("Välj delmål"))] + [
        (goal.id, f"{goal.plan.title}: {goal.code} {goal.title}")
        for goal in services.earlier_candidates(sub_goal)
    ]
    snapshot = Snapshot.current()
    return page_or_block(
        "lineage/links.html",
        "content",
        status,
        sub_goal=load_sub_goal(snapshot, sub_goal.id),
        line=load_line(snapshot, sub_goal.id),
        form=form,
    )


@bp.get("/sub-goals/<int:sub_goal_id>/lineage")
@login_required
def links(sub_goal_id: int):
    sub_goal = visible_or_404(SubGoal, sub_goal_id)
    require(can_edit_lineage(current_user, sub_goal))
    return _link_page(sub_goal, LinkForm(formdata=None))


@bp.post("/sub-goals/<int:sub_goal_id>/lineage")
@login_required
def link(sub_goal_id: int):
    sub_goal = visible_or_404(SubGoal, sub_goal_id)
    require(can_edit_lineage(current_user, sub_goal))
    form = LinkForm()
    if not form.validate_on_submit():
        return _link_page(sub_goal, form, 422)
    try:
        set_change_note(form.note.data)
        earlier = db.session.get(SubGoal, form.continues_id.data or 0)
        services.link_sub_goal(current_user, sub_goal, earlier)
    except RuleViolation as violation:
        show_violation(form, violation)
        return _link_page(db.session.get(SubGoal, sub_goal_id), form, 422)
    return saved(_("Kopplingen är sparad."), url_for("lineage.links", sub_goal_id=sub_goal_id))


@bp.post("/sub-goals/<int:sub_goal_id>/lineage/unlink")
@login_required
def unlink(sub_goal_id: int):
    sub_goal = visible_or_404(SubGoal, sub_goal_id)
    require(can_edit_lineage(current_user, sub_goal))
    form = UnlinkForm()
    url = url_for("lineage.links", sub_goal_id=sub_goal_id)
    if not form.validate_on_submit():
        flash(_("Välj vilken koppling som ska tas bort."), "error")
        return redirect(url)
    continues_id = parse_id(form.continues_id.data)
    if continues_id is None:
        abort(400)  # only a hand-made post: the page's buttons post listed ids
    if services.unlink_sub_goal(current_user, sub_goal, continues_id):
        return saved(_("Kopplingen är borttagen."), url)
    flash(_("Kopplingen fanns inte längre."), "info")
    return redirect(url)
