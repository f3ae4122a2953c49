"""Lineage across plan periods: a sub-goal that continues a sub-goal of an earlier plan."""

from sqlalchemy import ForeignKey, inspect, or_, select
from sqlalchemy.orm import Mapped, aliased, mapped_column, relationship

from intranet.core.errors import RuleViolation
from intranet.core.translation import lazy_gettext as _l
from intranet.extensions import db
from intranet.models.base import RuleChecked, related
from intranet.models.plans import FocusArea, Plan, SubGoal

CONTINUES_EARLIER = _l("Ett delmål kan bara fortsätta ett delmål i en plan som började tidigare.")


def continues_in_order(earlier_start: int, later_start: int) -> bool:
    """The lineage rule: the plan of the sub-goal that is continued started before the plan
    of the one that continues it. It keeps every line free of cycles, which the lines'
    reading (intranet.lineage.queries) relies on."""
    return earlier_start < later_start


class SubGoalLineage(RuleChecked, db.Model):
    """`sub_goal` continues `continues`, a sub-goal of a plan that started earlier.

    A link table rather than one column on the sub-goal, so that a goal may be continued
    by several later ones (a split) and a later goal may continue several earlier ones (a
    merger). Unlinking deletes the row; the version table keeps it, so a line is shown as
    it stood at any moment. The earlier plan must start before the later one, which also
    makes a line free of cycles."""

    __tablename__ = "sub_goal_lineage"
    __versioned__ = {}

    sub_goal_id: Mapped[int] = mapped_column(ForeignKey("sub_goal.id"), primary_key=True)
    continues_id: Mapped[int] = mapped_column(
        ForeignKey("sub_goal.id"), primary_key=True, index=True
    )

    sub_goal: Mapped[SubGoal] = relationship(foreign_keys=[sub_goal_id])
    continues: Mapped[SubGoal] = relationship(foreign_keys=[continues_id])

    def check_rules(self) -> None:
        super().check_rules()
        later = related(self, "sub_goal", SubGoal, "sub_goal_id")
        earlier = related(self, "continues", SubGoal, "continues_id")
        if later is None or earlier is None:
            raise RuleViolation("continues_id", _l("Välj ett delmål i listan."))
        if not continues_in_order(earlier.plan.start_year, later.plan.start_year):
            raise RuleViolation("continues_id", CONTINUES_EARLIER)


def changed(record, *attributes: str) -> bool:
    """Whether a stored record's attribute is about to change (a new record has no links)."""
    state = inspect(record)
    return state.persistent and any(state.attrs[name].history.has_changes() for name in attributes)


def check_links_kept(field: str, record) -> None:
    """Refuse the change to `record` (a plan's start year, the focus area of a sub-goal, the
    plan of a focus area) when a lineage link of what it holds would break the rule, with a
    message for `field` naming the links. Every writer of these columns passes here, as it
    is called from the models' own rules before every flush."""
    later, earlier = aliased(SubGoal), aliased(SubGoal)
    later_area, earlier_area = aliased(FocusArea), aliased(FocusArea)
    later_plan, earlier_plan = aliased(Plan), aliased(Plan)
    if isinstance(record, Plan):
        scope = or_(later_plan.id == record.id, earlier_plan.id == record.id)
        new_start = record.start_year

        def holds(sub_goal_id, area_id, plan_id):
            return plan_id == record.id

    else:
        plan = related(record, "plan", Plan, "plan_id") if isinstance(record, FocusArea) else None
        if isinstance(record, SubGoal):
            area = related(record, "focus_area", FocusArea, "focus_area_id")
            plan = related(area, "plan", Plan, "plan_id") if area is not None else None
        if plan is None:
            return
        new_start = plan.start_year
        if isinstance(record, SubGoal):
            scope = or_(later.id == record.id, earlier.id == record.id)

            def holds(sub_goal_id, area_id, plan_id):
                return sub_goal_id == record.id

        else:
            scope = or_(later_area.id == record.id, earlier_area.id == record.id)

            def holds(sub_goal_id, area_id, plan_id):
                return area_id == record.id

    with db.session.no_autoflush:
        rows = db.session.execute(
            select(
                later.id.label("later_id"),
                later.code.label("later_code"),
                later_area.id.label("later_area"),
                later_plan.id.label("later_plan"),
                later_plan.title.label("later_title"),
                later_plan.start_year.label("later_start"),
                earlier.id.label("earlier_id"),
                earlier.code.label("earlier_code"),
                earlier_area.id.label("earlier_area"),
                earlier_plan.id.label("earlier_plan"),
                earlier_plan.title.label("earlier_title"),
                earlier_plan.start_year.label("earlier_start"),
            )
            .select_from(SubGoalLineage)
            .join(later, later.id == SubGoalLineage.sub_goal_id)
            .join(later_area, later_area.id == later.focus_area_id)
            .join(later_plan, later_plan.id == later_area.plan_id)
            .join(earlier, earlier.id == SubGoalLineage.continues_id)
            .join(earlier_area, earlier_area.id == earlier.focus_area_id)
            .join(earlier_plan, earlier_plan.id == earlier_area.plan_id)
            .where(scope)
            .order_by(later_plan.start_year, later.code, earlier.code)
        ).all()
    broken = []
    for row in rows:
        later_start = (
            new_start if holds(row.later_id, row.later_area, row.later_plan) else row.later_start
        )
        earlier_start = (
            new_start
            if holds(row.earlier_id, row.earlier_area, row.earlier_plan)
            else row.earlier_start
        )
        if not continues_in_order(earlier_start, later_start):
            broken.append(
                str(
                    _l(
                        "%(later)s (%(later_plan)s) fortsätter %(earlier)s (%(earlier_plan)s)",
                        later=row.later_code,
                        later_plan=row.later_title,
                        earlier=row.earlier_code,
                        earlier_plan=row.earlier_title,
                    )
                )
            )
    if broken:
        raise RuleViolation(
            field,
            _l(
                "Ändringen skulle bryta delmålens linje: %(links)s. %(rule)s",
                links="; ".join(broken),
                rule=CONTINUES_EARLIER,
            ),
        )


def _check_links_on_move(column: str, *attributes: str):
    def rule(record) -> None:
        if changed(record, *attributes):
            check_links_kept(column, record)

    return rule


# The links' rule belongs to every writer of the columns it depends on: it runs after each
# model's own rules before every flush (the models do not import lineage).
Plan.add_rule(_check_links_on_move("start_year", "start_year"))
FocusArea.add_rule(_check_links_on_move("plan_id", "plan_id", "plan"))
SubGoal.add_rule(_check_links_on_move("focus_area_id", "focus_area_id", "focus_area"))
