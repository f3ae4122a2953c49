"""Writes of lineage: the next period's plan from this one, and linking or unlinking a
sub-goal and the earlier one it continues. Services change and flush; the request commits
once, so each is one history entry."""

from dataclasses import dataclass

from sqlalchemy import select

from intranet.auth.policies import can_edit_lineage, can_start_next_plan
from intranet.core.errors import NotAllowed, RuleViolation
from intranet.core.naturalsort import natural_key
from intranet.core.translation import lazy_gettext as _l
from intranet.extensions import db
from intranet.models import FocusArea, Plan, SubGoal, SubGoalLineage, User
from intranet.models.lineage import continues_in_order


@dataclass
class Continued:
    """One focus area or sub-goal of the earlier plan that continues, under `number` (its
    number or code in the new plan)."""

    id: int
    number: str


@dataclass
class NextPlan:
    title: str
    start_year: int | None
    end_year: int | None
    focus_areas: list[Continued]
    sub_goals: list[Continued]
    description: str | None = None


def _field(kind: str, record_id: int) -> str:
    """The form field a choice's message belongs next to (see lineage.forms)."""
    return f"{kind}_{record_id}_number"


def _check_numbers(chosen: list[Continued], kind: str, group_of, message_blank, message_taken):
    seen: dict[tuple, int] = {}
    for choice in chosen:
        number = (choice.number or "").strip()
        if not number:
            raise RuleViolation(_field(kind, choice.id), message_blank)
        key = (group_of(choice), natural_key(number))
        if key in seen:
            raise RuleViolation(_field(kind, choice.id), message_taken)
        seen[key] = choice.id


def start_next_plan(actor: User, source: Plan, wanted: NextPlan) -> Plan:
    """Create the next period's plan from `source`, as a draft in the same strategy.

    The chosen focus areas and sub-goals continue under the numbers and codes given;
    each new sub-goal copies its description, cross-references, responsible boards (main
    first) and tags, and is linked to the sub-goal it continues. Activities and follow-ups
    stay with their period. Raises NotAllowed (not an admin, or a draft source) and
    RuleViolation: years (outside the strategy, or not after the source's start), a
    sub-goal without its focus area, a blank or repeated number."""
    if not can_start_next_plan(actor, source):
        raise NotAllowed()
    if wanted.start_year is not None and not continues_in_order(
        source.start_year, wanted.start_year
    ):
        raise RuleViolation(
            "start_year",
            _l(
                "Nästa plan måste börja efter %(year)s, då den här planen började.",
                year=source.start_year,
            ),
        )
    areas = {area.id: area for area in source.focus_areas if not area.is_archived}
    goals = {
        goal.id: goal for area in areas.values() for goal in area.sub_goals if not goal.is_archived
    }
    chosen_areas = [choice for choice in wanted.focus_areas if choice.id in areas]
    chosen_goals = [choice for choice in wanted.sub_goals if choice.id in goals]
    area_ids = {choice.id for choice in chosen_areas}
    for choice in chosen_goals:
        if goals[choice.id].focus_area_id not in area_ids:
            raise RuleViolation(
                f"goal_{choice.id}",
                _l("Välj också delmålets fokusområde, eller låt delmålet vara."),
            )
    _check_numbers(
        chosen_areas,
        "area",
        lambda choice: None,
        _l("Ange fokusområdets nummer."),
        _l("Två fokusområden kan inte ha samma nummer."),
    )
    _check_numbers(
        chosen_goals,
        "goal",
        lambda choice: goals[choice.id].focus_area_id,
        _l("Ange delmålets nummer."),
        _l("Två delmål i samma fokusområde kan inte ha samma nummer."),
    )
    plan = Plan(
        strategy_id=source.strategy_id,
        title=wanted.title,
        start_year=wanted.start_year,
        end_year=wanted.end_year,
        status="draft",
        description=wanted.description,
    )
    db.session.add(plan)
    new_areas = {}
    for choice in chosen_areas:
        earlier = areas[choice.id]
        new_areas[choice.id] = FocusArea(
            plan=plan, number=choice.number, title=earlier.title, description=earlier.description
        )
        db.session.add(new_areas[choice.id])
    for choice in chosen_goals:
        earlier = goals[choice.id]
        sub_goal = SubGoal(
            focus_area=new_areas[earlier.focus_area_id],
            code=choice.number,
            title=earlier.title,
            description=earlier.description,
            cross_references=earlier.cross_references,
        )
        db.session.add(sub_goal)
        sub_goal.set_boards(list(earlier.boards))
        for link in earlier.tag_links:
            if not link.tag.is_archived:
                sub_goal.set_tags(link.tag.kind, [*sub_goal.tags(link.tag.kind), link.tag])
        db.session.add(SubGoalLineage(sub_goal=sub_goal, continues=earlier))
    db.session.flush()
    return plan


def find_link(sub_goal: SubGoal, continues_id: int) -> SubGoalLineage | None:
    return db.session.get(SubGoalLineage, (sub_goal.id, continues_id))


def link_sub_goal(actor: User, sub_goal: SubGoal, earlier: SubGoal | None) -> SubGoalLineage:
    """Record that `sub_goal` continues `earlier` (for plans set up or imported on their
    own). Raises NotAllowed, and RuleViolation("continues_id") when `earlier` is missing,
    archived, not in a plan that started before, or already linked."""
    if not can_edit_lineage(actor, sub_goal):
        raise NotAllowed()
    if earlier is None or earlier.is_archived:
        raise RuleViolation("continues_id", _l("Välj ett delmål i listan."))
    if find_link(sub_goal, earlier.id) is not None:
        raise RuleViolation("continues_id", _l("Delmålet fortsätter redan det delmålet."))
    link = SubGoalLineage(sub_goal=sub_goal, continues=earlier)
    db.session.add(link)
    db.session.flush()
    return link


def unlink_sub_goal(actor: User, sub_goal: SubGoal, continues_id: int) -> bool:
    """Remove the link; False when there was none (someone removed it meanwhile). The
    version table keeps the link, so pages as of an earlier moment still show it."""
    if not can_edit_lineage(actor, sub_goal):
        raise NotAllowed()
    link = find_link(sub_goal, continues_id)
    if link is None:
        return False
    db.session.delete(link)
    db.session.flush()
    return True


def earlier_candidates(sub_goal: SubGoal) -> list[SubGoal]:
    """The sub-goals `sub_goal` may continue: current ones of plans that started before
    its own, latest plan first, in code order."""
    start = sub_goal.plan.start_year
    rows = db.session.scalars(
        select(SubGoal)
        .join(FocusArea, FocusArea.id == SubGoal.focus_area_id)
        .join(Plan, Plan.id == FocusArea.plan_id)
        .where(
            Plan.start_year < start,
            Plan.archived_at.is_(None),
            FocusArea.archived_at.is_(None),
            SubGoal.archived_at.is_(None),
        )
        .order_by(Plan.start_year.desc(), Plan.id, FocusArea.sort_key, SubGoal.sort_key)
    )
    return list(rows)
