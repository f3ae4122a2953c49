"""Where the matrix reads from: the current tables, or the version tables as of a moment.

Both have the same column names, so one query builder serves the live matrix and any past
state; the past is read with indexed validity conditions, never by replaying history.
"""

from dataclasses import dataclass

from sqlalchemy import and_, true
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy_continuum import version_class

from intranet.history.asof import valid_at
from intranet.models import Board, FocusArea, FollowUp, Plan, SubGoal, SubGoalBoard, SubGoalTag, Tag

_MODELS = (Plan, FocusArea, SubGoal, SubGoalBoard, SubGoalTag, FollowUp, Board, Tag)


@dataclass(frozen=True)
class Source:
    Plan: type
    FocusArea: type
    SubGoal: type
    SubGoalBoard: type
    SubGoalTag: type
    FollowUp: type
    Board: type
    Tag: type
    transaction_id: int | None = None

    @property
    def is_past(self) -> bool:
        return self.transaction_id is not None

    def live(self, cls) -> ColumnElement[bool]:
        """Rows that existed, unarchived, at the chosen moment."""
        conditions = []
        if hasattr(cls, "archived_at"):
            conditions.append(cls.archived_at.is_(None))
        if self.transaction_id is not None:
            conditions.append(valid_at(cls, self.transaction_id))
        return and_(*conditions) if conditions else true()


def source(transaction_id: int | None = None) -> Source:
    if transaction_id is None:
        return Source(*_MODELS)
    return Source(*(version_class(model) for model in _MODELS), transaction_id=transaction_id)
