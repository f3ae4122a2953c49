"""Setting up and maintaining a plan's structure: strategies, plans, focus areas and
sub-goals, their codes, their order and their links (boards, tags).

Services change and flush, never commit (the request commits once, one history entry).
Each checks the permission predicate its route checks, so a call from elsewhere obeys it
too; model rules raise RuleViolation with the field they concern.

Order: focus areas and sub-goals read in an explicit order once someone has moved one
(`position`); until then in the order of their numbers. Moving up or down never renumbers:
codes are the plan's own text ("5.10" may be missing on purpose), so renumbering is the
user's choice, made by editing the code.
"""

import re

from sqlalchemy import select

from intranet.auth.policies import can_create_plans, can_edit_structure
from intranet.core.errors import NotAllowed, RuleViolation
from intranet.core.translation import lazy_gettext as _l
from intranet.db.locking import flush_or_conflict, update_locked
from intranet.extensions import db
from intranet.models import (
    TAG_KINDS,
    Board,
    FocusArea,
    FollowUp,
    Plan,
    ReportingRound,
    Strategy,
    SubGoal,
    Tag,
    User,
)
from intranet.plans.codes import next_code

TAG_SEPARATORS = re.compile(r"[;\n]")


def propose_sub_goal_code(focus_area: FocusArea) -> str:
    """The next sub-goal code in the focus area: its number, a dot and the next number
    (archived sub-goals keep their codes, so they count)."""
    codes = db.session.scalars(select(SubGoal.code).where(SubGoal.focus_area_id == focus_area.id))
    return next_code(codes, focus_area.number)


def propose_focus_area_number(plan: Plan) -> str:
    """The next focus area number in the plan (archived ones count)."""
    numbers = db.session.scalars(select(FocusArea.number).where(FocusArea.plan_id == plan.id))
    return next_code(numbers, "")


def _refuse_taken(model, record, field: str, message, *same) -> None:
    """A number is unique among its siblings (`same`), the record itself excepted."""
    query = select(model.id).where(*same)
    if record is not None:
        query = query.where(model.id != record.id)
    if db.session.scalar(query.limit(1)):
        raise RuleViolation(field, message)


def _require_structure(user: User, plan: Plan) -> None:
    if not can_edit_structure(user, plan):
        raise NotAllowed()


def save_strategy(user: User, strategy: Strategy | None, values: dict) -> Strategy:
    """Create (None) or update a strategy: admins. Its plans must stay within its years.
    Raises NotAllowed, RuleViolation."""
    if not can_create_plans(user):
        raise NotAllowed()
    if strategy is None:
        strategy = Strategy(**values)
        db.session.add(strategy)
    else:
        for key, value in values.items():
            setattr(strategy, key, value)
        for plan in strategy.plans:
            if not plan.is_archived and (
                plan.start_year < strategy.start_year or plan.end_year > strategy.end_year
            ):
                raise RuleViolation(
                    "start_year",
                    _l("Planen %(title)s ligger utanför de åren.", title=plan.title),
                )
    db.session.flush()
    return strategy


def save_plan(user: User, plan: Plan | None, values: dict) -> Plan:
    """Create a plan (admins; it starts as a draft) or update one (can_edit_structure).
    Its years must lie within its strategy's and hold its follow-ups and rounds.
    Raises NotAllowed, RuleViolation."""
    if plan is None:
        if not can_create_plans(user):
            raise NotAllowed()
        plan = Plan(status="draft", **values)
        db.session.add(plan)
    else:
        _require_structure(user, plan)
        if not can_create_plans(user):
            # The owner board and the strategy are the admins' to set.
            values = {k: v for k, v in values.items() if k not in ("owner_board_id", "strategy_id")}
        for key, value in values.items():
            setattr(plan, key, value)
        _check_years_hold_follow_ups(plan)
    db.session.flush()
    return plan


def _check_years_hold_follow_ups(plan: Plan) -> None:
    """A plan's years must still hold its follow-ups and its rounds."""
    outside = db.session.scalar(
        select(FollowUp.year)
        .join(SubGoal)
        .join(FocusArea)
        .where(FocusArea.plan_id == plan.id, ~FollowUp.year.between(plan.start_year, plan.end_year))
        .limit(1)
    ) or db.session.scalar(
        select(ReportingRound.year)
        .where(
            ReportingRound.plan_id == plan.id,
            ~ReportingRound.year.between(plan.start_year, plan.end_year),
        )
        .limit(1)
    )
    if outside is not None:
        raise RuleViolation(
            "start_year",
            _l("Planen har uppföljningar för %(year)s, som ligger utanför de åren.", year=outside),
        )


def save_focus_area(user: User, plan: Plan, area: FocusArea | None, values: dict) -> FocusArea:
    """Create (None) or update a focus area; a blank number gets the proposal
    (propose_focus_area_number). Numbers are unique in the plan.
    Raises NotAllowed, RuleViolation."""
    _require_structure(user, plan)
    if not values.get("number"):
        values = values | {"number": area.number if area else propose_focus_area_number(plan)}
    _refuse_taken(
        FocusArea,
        area,
        "number",
        _l("Planen har redan ett fokusområde med det numret."),
        FocusArea.plan_id == plan.id,
        FocusArea.number == values["number"],
    )
    if area is None:
        area = FocusArea(plan=plan, position=_next_position(plan.focus_areas), **values)
        db.session.add(area)
    else:
        for key, value in values.items():
            setattr(area, key, value)
    db.session.flush()
    return area


def save_sub_goal(
    user: User,
    focus_area: FocusArea,
    sub_goal: SubGoal | None,
    values: dict,
    boards: list[Board] | None,
    tags: dict[str, list[str]],
    expected_lock_version: int,
) -> SubGoal:
    """Create (None) or update a sub-goal with its responsible boards (the first is the
    main board) and its tags by kind (names; unknown ones are created). A blank code gets
    the proposal (propose_sub_goal_code); codes are unique in the focus area. `boards`
    None leaves the responsibility as it is: a restore sets the links with their days
    itself (intranet.history.services), which set_boards, speaking for today, cannot.

    Raises NotAllowed, EditConflict when someone saved the sub-goal since the user opened
    it, RuleViolation."""
    _require_structure(user, focus_area.plan)
    if not values.get("code"):
        values = values | {"code": sub_goal.code if sub_goal else propose_sub_goal_code(focus_area)}
    _refuse_taken(
        SubGoal,
        sub_goal,
        "code",
        _l("Fokusområdet har redan ett delmål med det numret."),
        SubGoal.focus_area_id == focus_area.id,
        SubGoal.code == values["code"],
    )
    if sub_goal is None:
        sub_goal = SubGoal(
            focus_area=focus_area, position=_next_position(focus_area.sub_goals), **values
        )
        db.session.add(sub_goal)
    else:
        if sub_goal.is_archived:
            raise RuleViolation("title", _l("Delmålet är arkiverat och kan inte ändras."))
        update_locked(sub_goal, values, expected_lock_version)
    if boards is not None:
        sub_goal.set_boards(boards)
    for kind in TAG_KINDS:
        sub_goal.set_tags(kind, [_tag(kind, name) for name in tags.get(kind, [])])
    flush_or_conflict(lambda: db.session.get(SubGoal, sub_goal.id), expected_lock_version)
    return sub_goal


def split_tag_names(text: str | None) -> list[str]:
    """Tag names as typed: separated by semicolons or lines, each once, in order."""
    names = []
    for name in TAG_SEPARATORS.split(text or ""):
        name = " ".join(name.split())
        if name and name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    return names


def _tag(kind: str, name: str) -> Tag:
    """The tag of that kind and name (either case), created when there is none yet; an
    archived one is brought back, since someone chose it again."""
    for tag in db.session.scalars(select(Tag).where(Tag.kind == kind)):
        if tag.name.casefold() == name.casefold():
            tag.unarchive()
            return tag
    tag = Tag(kind=kind, name=name)
    db.session.add(tag)
    return tag


def _next_position(siblings: list) -> int | None:
    """A new record goes last when its siblings have an explicit order, and into the order
    of the numbers when they do not."""
    positions = [sibling.position for sibling in siblings if sibling.position is not None]
    return max(positions) + 1 if positions else None


def move(user: User, record: FocusArea | SubGoal, step: int) -> bool:
    """Move a focus area among its plan's, or a sub-goal among its focus area's (current)
    ones, one place up (step -1) or down (+1). The first move in a group writes down the
    order it had (positions 1..n); codes do not change. False when it is already first
    (or last). Raises NotAllowed."""
    if isinstance(record, FocusArea):
        plan, siblings = record.plan, record.plan.focus_areas
    else:
        plan, siblings = record.focus_area.plan, record.focus_area.sub_goals
    _require_structure(user, plan)
    ordered = [sibling for sibling in siblings if not sibling.is_archived]
    index = ordered.index(record)
    target = index + step
    if step not in (-1, 1) or not 0 <= target < len(ordered):
        return False
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, sibling in enumerate(ordered, start=1):
        if sibling.position != position:
            sibling.position = position
    db.session.flush()
    return True
