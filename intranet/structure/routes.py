"""Setting up plans: strategies, plans, focus areas and sub-goals created, edited, moved
and moved through the plan's lifecycle. Archiving goes through the history's archive
routes (history.archive), which every record kind shares."""

from flask import Blueprint, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from intranet.auth.policies import (
    can_change_plan_status,
    can_create_plans,
    can_edit_structure,
    require,
)
from intranet.core.errors import EditConflict, RuleViolation
from intranet.core.numbers import parse_whole
from intranet.core.translation import gettext as _
from intranet.db.versioning import set_change_note
from intranet.extensions import db
from intranet.models import Board, FocusArea, Plan, Strategy, SubGoal
from intranet.plans import lifecycle
from intranet.plans.queries import sub_goal_detail
from intranet.structure import services
from intranet.structure.forms import (
    FocusAreaForm,
    MoveForm,
    PlanForm,
    PlanStatusForm,
    StrategyForm,
    SubGoalForm,
)
from intranet.web.forms import ArchiveForm, with_placeholder
from intranet.web.views import (
    page_or_block,
    redirect_after_post,
    saved,
    show_conflict,
    show_violation,
    visible_or_404,
    wants_fragment,
)

bp = Blueprint("structure", __name__)


def _editor(form, heading, back_url, status=200, conflict=False, **context):
    return page_or_block(
        "structure/edit.html",
        "structure_editor",
        status=status,
        form=form,
        heading=heading,
        back_url=back_url,
        action=request.path,
        conflict=conflict,
        inline=wants_fragment(),
        **context,
    )


def _edit_flow(form, heading, back_url, save, done, message, **context):
    """GET shows the form; POST validates, saves with the change note and commits once, or
    shows the form again (422 with the messages, 409 on a conflict) with the input kept."""
    if request.method == "GET":
        return _editor(form, heading, back_url, **context)
    if not form.validate_on_submit():
        return _editor(form, heading, back_url, 422, **context)
    try:
        set_change_note(form.note.data)
        record = save()
    except RuleViolation as violation:
        show_violation(form, violation)
        return _editor(form, heading, back_url, 422, **context)
    except EditConflict as error:
        show_conflict(form, error)
        return _editor(form, heading, back_url, 409, conflict=True, **context)
    return saved(message, done(record))


def _plan_structure_url(plan_id: int) -> str:
    return url_for("structure.plan", plan_id=plan_id)


# --- strategies -------------------------------------------------------------------------


@bp.route("/strategies/new", methods=["GET", "POST"])
@login_required
def new_strategy():
    require(can_create_plans(current_user))
    form = StrategyForm()
    return _edit_flow(
        form,
        _("Ny strategi"),
        url_for("plans.index"),
        lambda: services.save_strategy(current_user, None, form.values()),
        lambda strategy: url_for("plans.index"),
        _("Strategin är skapad."),
    )


@bp.route("/strategies/<int:strategy_id>/edit", methods=["GET", "POST"])
@login_required
def edit_strategy(strategy_id: int):
    strategy = visible_or_404(Strategy, strategy_id)
    require(can_create_plans(current_user))
    form = StrategyForm(obj=strategy)
    return _edit_flow(
        form,
        _("Ändra strategi"),
        url_for("plans.index"),
        lambda: services.save_strategy(current_user, strategy, form.values()),
        lambda strategy: url_for("plans.index"),
        _("Strategin är sparad."),
        archive_kind="strategy",
        record=strategy,
        archive_form=ArchiveForm(formdata=None),
    )


# --- plans ------------------------------------------------------------------------------


def _plan_form(plan: Plan | None) -> PlanForm:
    form = PlanForm(obj=plan)
    strategies = db.session.scalars(
        select(Strategy).where(Strategy.archived_at.is_(None)).order_by(Strategy.start_year)
    )
    form.strategy_id.choices = with_placeholder(
        _("Välj strategi"), [(s.id, f"{s.title} ({s.start_year}–{s.end_year})") for s in strategies]
    )
    boards = db.session.scalars(
        select(Board).where(Board.archived_at.is_(None)).order_by(Board.name)
    )
    form.owner_board_id.choices = with_placeholder(
        _("Ingen planägare"), [(b.id, b.name) for b in boards]
    )
    if not can_create_plans(current_user):
        # The strategy and the owner board are the admins' to set (services.save_plan).
        del form.strategy_id
        del form.owner_board_id
    return form


@bp.route("/plans/new", methods=["GET", "POST"])
@login_required
def new_plan():
    require(can_create_plans(current_user))
    form = _plan_form(None)
    return _edit_flow(
        form,
        _("Ny handlingsplan"),
        url_for("plans.index"),
        lambda: services.save_plan(current_user, None, form.values()),
        lambda plan: _plan_structure_url(plan.id),
        _("Planen är skapad som utkast. Lägg till fokusområden och delmål."),
    )


@bp.route("/plans/<int:plan_id>/edit", methods=["GET", "POST"])
@login_required
def edit_plan(plan_id: int):
    plan = visible_or_404(Plan, plan_id)
    require(can_edit_structure(current_user, plan))
    form = _plan_form(plan)
    return _edit_flow(
        form,
        _("Ändra handlingsplan"),
        _plan_structure_url(plan.id),
        lambda: services.save_plan(current_user, plan, form.values()),
        lambda plan: _plan_structure_url(plan.id),
        _("Planen är sparad."),
    )


@bp.get("/plans/<int:plan_id>/structure")
@login_required
def plan(plan_id: int):
    """The plan's structure to edit: its focus areas and sub-goals in their order, with
    the actions the user may take on each."""
    plan = visible_or_404(Plan, plan_id)
    require(can_edit_structure(current_user, plan))
    return page_or_block(
        "structure/plan.html",
        "structure",
        plan=plan,
        move_form=MoveForm(formdata=None),
        archive_form=ArchiveForm(formdata=None),
    )


@bp.post("/plans/<int:plan_id>/status")
@login_required
def change_status(plan_id: int):
    plan = visible_or_404(Plan, plan_id)
    form = PlanStatusForm()
    require(can_change_plan_status(current_user, plan))
    if not form.validate_on_submit():
        return _status_refused(plan, form)
    try:
        message = lifecycle.change_status(current_user, plan, form.status.data, form.note.data)
    except RuleViolation as violation:
        show_violation(form, violation)
        return _status_refused(plan, form)
    return saved(message, url_for("plans.show", plan_id=plan.id))


def _status_refused(plan: Plan, form: PlanStatusForm):
    return page_or_block(
        "structure/status.html", "status_form", status=422, plan=plan, status_form=form
    )


# --- focus areas ------------------------------------------------------------------------


@bp.route("/plans/<int:plan_id>/focus-areas/new", methods=["GET", "POST"])
@login_required
def new_focus_area(plan_id: int):
    plan = visible_or_404(Plan, plan_id)
    require(can_edit_structure(current_user, plan))
    form = FocusAreaForm()
    form.number.render_kw = {"placeholder": services.propose_focus_area_number(plan)}
    return _edit_flow(
        form,
        _("Nytt fokusområde i %(plan)s", plan=plan.title),
        _plan_structure_url(plan.id),
        lambda: services.save_focus_area(current_user, plan, None, form.values()),
        lambda area: _plan_structure_url(plan.id),
        _("Fokusområdet är skapat."),
        number_hint=_(
            "Lämnas fältet tomt får fokusområdet nummer %(n)s.",
            n=form.number.render_kw["placeholder"],
        ),
    )


@bp.route("/focus-areas/<int:focus_area_id>/edit", methods=["GET", "POST"])
@login_required
def edit_focus_area(focus_area_id: int):
    area = visible_or_404(FocusArea, focus_area_id)
    require(can_edit_structure(current_user, area.plan))
    form = FocusAreaForm(obj=area)
    return _edit_flow(
        form,
        _("Ändra fokusområde %(n)s", n=area.number),
        _plan_structure_url(area.plan_id),
        lambda: services.save_focus_area(current_user, area.plan, area, form.values()),
        lambda area: _plan_structure_url(area.plan_id),
        _("Fokusområdet är sparat."),
    )


@bp.post("/focus-areas/<int:focus_area_id>/move")
@login_required
def move_focus_area(focus_area_id: int):
    area = visible_or_404(FocusArea, focus_area_id)
    require(can_edit_structure(current_user, area.plan))
    return _move(area, area.plan_id, f"focus-area-{area.id}")


def _move(record, plan_id: int, anchor: str):
    form = MoveForm()
    if not form.validate_on_submit():
        return _editor_error(plan_id)
    set_change_note(_("Ordningen ändrad"))
    if services.move(current_user, record, -1 if form.direction.data == "up" else 1):
        db.session.commit()
    return redirect_after_post(_plan_structure_url(plan_id) + f"#{anchor}")


def _editor_error(plan_id: int):
    plan = db.session.get(Plan, plan_id)
    return page_or_block(
        "structure/plan.html",
        "structure",
        status=422,
        plan=plan,
        move_form=MoveForm(formdata=None),
        archive_form=ArchiveForm(formdata=None),
    )


# --- sub-goals --------------------------------------------------------------------------


def _sub_goal_form(sub_goal: SubGoal | None) -> SubGoalForm:
    # The stored values on GET only: a posted form missing a field must not take it from
    # the record (the lock version above all).
    form = SubGoalForm(obj=sub_goal if request.method == "GET" else None)
    boards = list(
        db.session.scalars(select(Board).where(Board.archived_at.is_(None)).order_by(Board.name))
    )
    form.main_board_id.choices = with_placeholder(_("Ingen vald"), [(b.id, b.name) for b in boards])
    form.involved_board_ids.choices = [(b.id, b.name) for b in boards]
    form.fill(sub_goal)
    return form


def _save_sub_goal(form: SubGoalForm, area: FocusArea, sub_goal: SubGoal | None) -> SubGoal:
    boards = [db.session.get(Board, board_id) for board_id in form.board_ids()]
    tags = {
        kind: services.split_tag_names(form[f"tags_{kind}"].data)
        for kind in ("target_group", "district", "unit", "partner")
    }
    return services.save_sub_goal(
        current_user,
        area,
        sub_goal,
        form.values(),
        boards,
        tags,
        parse_whole(form.lock_version.data),
    )


@bp.route("/focus-areas/<int:focus_area_id>/sub-goals/new", methods=["GET", "POST"])
@login_required
def new_sub_goal(focus_area_id: int):
    area = visible_or_404(FocusArea, focus_area_id)
    require(can_edit_structure(current_user, area.plan))
    form = _sub_goal_form(None)
    proposal = services.propose_sub_goal_code(area)
    form.code.render_kw = {"placeholder": proposal}
    return _edit_flow(
        form,
        _("Nytt delmål i fokusområde %(n)s", n=area.number),
        _plan_structure_url(area.plan_id),
        lambda: _save_sub_goal(form, area, None),
        lambda sub_goal: url_for("plans.sub_goal", sub_goal_id=sub_goal.id),
        _("Delmålet är skapat. Lägg till planerade aktiviteter nedan."),
        number_hint=_("Lämnas fältet tomt får delmålet nummer %(n)s.", n=proposal),
    )


@bp.route("/sub-goals/<int:sub_goal_id>/edit", methods=["GET", "POST"])
@login_required
def edit_sub_goal(sub_goal_id: int):
    visible_or_404(SubGoal, sub_goal_id)
    sub_goal = sub_goal_detail(sub_goal_id)
    require(can_edit_structure(current_user, sub_goal.plan))
    form = _sub_goal_form(sub_goal)
    return _edit_flow(
        form,
        _("Ändra delmål %(code)s", code=sub_goal.code),
        url_for("plans.sub_goal", sub_goal_id=sub_goal.id),
        lambda: _save_sub_goal(form, sub_goal.focus_area, sub_goal),
        lambda sub_goal: url_for("plans.sub_goal", sub_goal_id=sub_goal.id),
        _("Delmålet är sparat."),
        sub_goal=sub_goal,
    )


@bp.post("/sub-goals/<int:sub_goal_id>/move")
@login_required
def move_sub_goal(sub_goal_id: int):
    sub_goal = visible_or_404(SubGoal, sub_goal_id)
    require(can_edit_structure(current_user, sub_goal.plan))
    return _move(sub_goal, sub_goal.plan.id, f"sub-goal-{sub_goal.id}")
