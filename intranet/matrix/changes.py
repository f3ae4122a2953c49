"""What changed since a moment: the follow-ups whose status, outcome or deviation differ
between the snapshot then and now, with who changed them last and when, where the reader
may read the follow-up's history (who changed what when is history: can_read_record_history).

Built on the snapshot reader (what stood then is `Snapshot.at(then)`, what stands now
`Snapshot.current()`), in three queries however many rows: the follow-ups then, the
follow-ups now, and the last transaction after `then` that wrote each changed follow-up.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import format_datetime
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from sqlalchemy_continuum import version_class

from intranet.auth.policies import can_read_past, can_read_record_history
from intranet.extensions import db
from intranet.models import (
    DEVIATION_REASONS,
    STATUSES,
    FollowUp,
    Meeting,
    RecordKind,
    SubGoal,
    SubGoalBoard,
    Transaction,
    User,
)
from intranet.reading.asof import parse_as_of, transaction_at
from intranet.reading.snapshot import Snapshot

COMPARED = ("status", "outcome", "deviation_reason", "deviation_text")


@dataclass(frozen=True)
class Change:
    sub_goal_id: int
    year: int
    before_status: str | None
    status: str | None
    fields: tuple[str, ...]  # which of COMPARED differ
    # Who changed it last and when: None for the system, or when the reader may not read
    # the follow-up's history (`attributed` False).
    changed_by: str | None
    changed_by_id: int | None
    changed_at: datetime | None  # naive UTC
    attributed: bool = True

    @property
    def before_label(self) -> str:
        return str(STATUSES.get(self.before_status, "")) if self.before_status else ""

    @property
    def status_label(self) -> str:
        return str(STATUSES.get(self.status, "")) if self.status else ""


@dataclass(frozen=True)
class Since:
    text: str
    transaction_id: int  # the state "then": changes are those after it
    meeting: bool = False  # since the start of the last meeting


def since_meeting(meeting: Meeting) -> Since:
    """Since the start of a meeting: every change after the transaction that started it,
    so what was saved during the meeting itself is marked at the next one."""
    versions = version_class(Meeting)
    started = db.session.scalar(
        select(func.min(versions.transaction_id)).where(versions.id == meeting.id)
    )
    return Since(format_datetime(meeting.started_at, "yyyy-MM-dd HH:mm"), started or 0, True)


def parse_since(value: str) -> Since:
    """`YYYY-MM-DD` means since the start of that day (Stockholm), `YYYY-MM-DDTHH:MM` since
    that minute; raises BadMoment (with a message for the user) like `as_of`."""
    text = (value or "").strip()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        moment = parse_as_of(text)
    else:
        parse_as_of(text)  # refuses a day that has not come yet
        moment = parse_as_of((day - timedelta(days=1)).isoformat())
    return Since(text, transaction_at(moment.utc) or 0)


def _key(row) -> tuple[int, int]:
    return (row.sub_goal_id, row.year)


def _history_readable(reader, follow_up_ids: set[int]) -> set[int]:
    """The follow-ups (of `follow_up_ids`) whose history `reader` may read, in at most four
    queries however many (none for who may read no past at all)."""
    if not follow_up_ids or not can_read_past(reader):
        return set()
    follow_ups = db.session.scalars(
        select(FollowUp)
        .where(FollowUp.id.in_(follow_up_ids))
        .options(
            selectinload(FollowUp.sub_goal)
            .selectinload(SubGoal.board_links)
            .selectinload(SubGoalBoard.board)
        )
    )
    return {
        follow_up.id
        for follow_up in follow_ups
        if can_read_record_history(reader, RecordKind.FOLLOW_UP, follow_up)
    }


def changes_since(transaction_id: int, sub_goal_ids, years: range, reader) -> dict[tuple, Change]:
    """Changes after `transaction_id` of the visible follow-ups of `sub_goal_ids` (a list or
    a select of ids) in `years`, keyed by (sub_goal_id, year). Who made each and when is
    given only where `reader` may read the follow-up's history; elsewhere the change is
    marked without them (`attributed` False)."""

    versions = version_class(FollowUp)
    # Every change writes a version row: a follow-up without one after the moment is the
    # same then and now, so only those with one are read twice (an indexed look-up instead
    # of the whole matrix as of the moment).
    touched = select(versions.id).where(versions.transaction_id > transaction_id)
    where = (
        lambda table: table.sub_goal_id.in_(sub_goal_ids),
        lambda table: table.year.between(years[0], years[-1]),
        lambda table: table.id.in_(touched),
    )
    then = {_key(row): row for row in Snapshot.at(transaction_id).rows(FollowUp, *where)}
    now = {_key(row): row for row in Snapshot.current().rows(FollowUp, *where)}
    differing = {}
    for key in then.keys() | now.keys():
        before, after = then.get(key), now.get(key)
        fields = tuple(
            name
            for name in COMPARED
            if (getattr(before, name) if before else None)
            != (getattr(after, name) if after else None)
        )
        if fields:
            differing[key] = (before, after, fields)
    if not differing:
        return {}

    ids = {row.id for before, after, _ in differing.values() for row in (before, after) if row}
    readable = _history_readable(reader, ids)
    last = (
        select(versions.id, func.max(versions.transaction_id).label("transaction_id"))
        .where(versions.id.in_(readable), versions.transaction_id > transaction_id)
        .group_by(versions.id)
        .subquery()
    )
    who = (
        {
            record.id: (record.display_name, record.user_id, record.issued_at)
            for record in db.session.execute(
                select(last.c.id, User.display_name, Transaction.user_id, Transaction.issued_at)
                .join(Transaction, Transaction.id == last.c.transaction_id)
                .outerjoin(User, User.id == Transaction.user_id)
            )
        }
        if readable
        else {}
    )
    # What a cell held before is the past itself: shown only to those who may read it; a
    # viewer at the projector sees what changed and what it is now.
    past_reader = can_read_past(reader)
    changes = {}
    for key, (before, after, fields) in differing.items():
        record = after or before
        name, user_id, when = who.get(record.id, (None, None, None))
        changes[key] = Change(
            key[0],
            key[1],
            before.status if before and past_reader else None,
            after.status if after else None,
            fields,
            name,
            user_id,
            when,
            record.id in readable,
        )
    return changes


def deviation_label(code: str | None) -> str:
    return str(DEVIATION_REASONS.get(code, code or ""))
