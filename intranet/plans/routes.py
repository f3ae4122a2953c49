from flask import Blueprint, abort, render_template
from flask_login import login_required

from intranet.history.asof import as_of_from_request
from intranet.models import TAG_KINDS
from intranet.plans import queries

bp = Blueprint("plans", __name__)


@bp.get("/")
@login_required
def home():
    from intranet.rounds.routes import start_page

    return start_page()


@bp.get("/plans")
@login_required
def index():
    return render_template("plans/index.html", strategies=queries.strategies_with_plans())


@bp.get("/plans/<int:plan_id>")
@login_required
def show(plan_id: int):
    as_of = as_of_from_request()
    if as_of.asked:
        from intranet.history.routes import plan_as_of_page

        return plan_as_of_page(plan_id, as_of)
    plan = queries.plan_with_sub_goals(plan_id)
    if plan is None or plan.is_archived:
        abort(404)
    return render_template("plans/plan.html", plan=plan)


@bp.get("/sub-goals/<int:sub_goal_id>")
@login_required
def sub_goal(sub_goal_id: int):
    as_of = as_of_from_request()
    if as_of.asked:
        from intranet.history.routes import sub_goal_as_of_page

        return sub_goal_as_of_page(sub_goal_id, as_of)
    sub_goal = queries.sub_goal_detail(sub_goal_id)
    if sub_goal is None or sub_goal.is_archived:
        abort(404)
    return render_template("plans/sub_goal.html", sub_goal=sub_goal, tag_kinds=TAG_KINDS)
