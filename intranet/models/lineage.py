"""Lineage across plan periods: a sub-goal that continues a sub-goal of an earlier plan."""

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intranet.errors import RuleViolation
from intranet.extensions import db
from intranet.models.base import RuleChecked, related
from intranet.models.plans import SubGoal
from intranet.translation import lazy_gettext as _l


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
        if earlier.plan.start_year >= later.plan.start_year:
            raise RuleViolation(
                "continues_id",
                _l("Ett delmål kan bara fortsätta ett delmål i en plan som började tidigare."),
            )
