"""Rows of a model, now or as they stood at one history transaction, visible or all.

The one place that knows how validity is stored (SQLAlchemy-Continuum's validity strategy:
a version row is in force from its `transaction_id` until its `end_transaction_id`), and the
one place that decides what "archived" hides. Every page, export and report reads through a
`Snapshot`: `Snapshot.current()` reads the live tables, `Snapshot.at(transaction_id)` the
version tables, which have the same column names, so one query serves both. The past is
read with indexed conditions, never by replaying history.

What is visible (the archived rule, decided here once):
- An archived record is hidden, and so is everything under it: plan > focus area >
  sub-goal > its follow-ups and activities. Readers join or filter by the parent and ask
  `visible` of each level (the plan-tree loader and the matrix do).
- An archived board (or tag) is hidden wherever it is linked: a sub-goal it is responsible
  for stays visible, listed without it, so it no longer counts in board names, board
  progress or a board's report. The stored link itself is not a matter of display:
  permission predicates keep reading it (a sub-goal's `board_ids`).
- "At transaction T" applies the same rule to the rows as they stood at T: a record
  archived after T is shown as of T.

Two times: the transactions are when something was recorded; a board's responsibility for
a sub-goal also has days it holds (valid time, from a reorganisation's date). A snapshot
therefore also stands for a calendar day, `day`: today for the current one, the day of the
moment asked for as of (intranet.reading.responsibility reads the links in force on it, as they
were recorded at the snapshot's transaction).
"""

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from sqlalchemy import and_, inspect, or_, select, true
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy_continuum import version_class

from intranet.core.clock import local_day
from intranet.extensions import db
from intranet.models import Transaction

DELETE = 2  # Continuum's operation_type for a deleted row


def in_force_at(version, transaction) -> ColumnElement[bool]:
    """Version rows of `version` (a version class or an alias of one) in force at
    `transaction`: an id, or a column such as Transaction.id for a correlated read."""
    return and_(
        version.transaction_id <= transaction,
        or_(version.end_transaction_id > transaction, version.end_transaction_id.is_(None)),
        version.operation_type != DELETE,
    )


def rows_in_force(rows, transaction_id: int) -> list:
    """The already loaded version rows (in transaction order) in force at
    `transaction_id`: the same rule as `in_force_at`, for one record's history."""
    return [
        row
        for row in rows
        if row.transaction_id <= transaction_id
        and (row.end_transaction_id is None or row.end_transaction_id > transaction_id)
        and row.operation_type != DELETE
    ]


@cache
def _columns(model) -> tuple[str, ...]:
    return tuple(attribute.key for attribute in inspect(model).column_attrs)


@dataclass(frozen=True)
class Snapshot:
    """Now (`transaction_id` None) or the state right after one history transaction."""

    transaction_id: int | None = None
    # The moment asked for (naive UTC); None: now, or for a past snapshot the moment of its
    # transaction.
    moment: datetime | None = None

    @classmethod
    def current(cls) -> "Snapshot":
        return cls(None)

    @classmethod
    def at(cls, transaction_id: int, moment: datetime | None = None) -> "Snapshot":
        """As of a transaction; 0 (before the first one) is a state in which nothing exists.
        `moment` is the moment asked for, at or after the transaction."""
        return cls(transaction_id, moment)

    @property
    def day(self) -> date:
        """The calendar day the snapshot stands for (see the module's two times)."""
        if self.moment is not None or self.transaction_id is None:
            return local_day(self.moment)
        issued = db.session.scalar(
            select(Transaction.issued_at).where(Transaction.id == self.transaction_id)
        )
        return local_day(issued) if issued is not None else date.min

    @property
    def is_past(self) -> bool:
        return self.transaction_id is not None

    def table(self, model) -> type:
        """What to select from for `model`: the model itself, or its version class."""
        return model if self.transaction_id is None else version_class(model)

    def existing(self, table) -> ColumnElement[bool]:
        """Rows of `table` (from `table()`, or an alias of it) that existed then, archived
        ones included."""
        if self.transaction_id is None:
            return true()
        return in_force_at(table, self.transaction_id)

    def visible(self, table) -> ColumnElement[bool]:
        """Rows that existed then and were not archived then. Archived parents are the
        caller's to join (see the module's rule)."""
        if not hasattr(table, "archived_at"):
            return self.existing(table)
        return and_(self.existing(table), table.archived_at.is_(None))

    def rows(self, model, *where, visible: bool = True, order_by=()) -> list:
        """Plain rows (named tuples with the model's column names) of `model`, filtered by
        `where`, built from `table(model)`: `snapshot.rows(FollowUp, lambda t:
        t.sub_goal_id.in_(ids))`."""
        table = self.table(model)
        statement = select(*(getattr(table, name) for name in _columns(model))).where(
            self.visible(table) if visible else self.existing(table),
            *(condition(table) for condition in where),
        )
        if order_by:
            statement = statement.order_by(*(key(table) for key in order_by))
        return list(db.session.execute(statement))


# The levels a live record hangs under, nearest first (see the module's archived rule).
_PARENT_LEVELS = ("sub_goal", "focus_area", "plan")


def is_hidden(record) -> bool:
    """Is the loaded, current `record` hidden by the archived rule: archived itself, or
    under an archived sub-goal, focus area or plan? For the views that load one record."""
    while record is not None:
        if getattr(record, "archived_at", None) is not None:
            return True
        level = next((name for name in _PARENT_LEVELS if hasattr(record, name)), None)
        record = getattr(record, level) if level else None
    return False
