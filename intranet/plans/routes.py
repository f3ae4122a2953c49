from flask import Blueprint, abort, render_template
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from intranet.extensions import db
from intranet.history.asof import reading_from_request
from intranet.models import TAG_KINDS, Plan, SubGoal
from intranet.plans import queries, tree
from intranet.web import page_or_block

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
    plan = tree.load_plan(reading.snapshot, plan_id) if reading.snapshot else None
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
    )


@bp.get("/sub-goals/<int:sub_goal_id>")
@login_required
def sub_goal(sub_goal_id: int):
    """The sub-goal page, now or (read-only, with a banner) as of the moment asked for."""
    reading = reading_from_request()
    node = tree.load_sub_goal(reading.snapshot, sub_goal_id) if reading.snapshot else None
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
    )
