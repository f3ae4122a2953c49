"""Writes of the history domain: restore an earlier version, archive and bring back.

Services change and flush, never commit: the request commits once, so each restore or
archiving is one history transaction naming the signed-in user.
"""

from flask_babel import format_datetime
from sqlalchemy import select

from intranet.errors import EditConflict, RuleViolation
from intranet.extensions import db
from intranet.history.records import diff_states, load_versions
from intranet.models import (
    Board,
    SubGoal,
    SubGoalBoard,
    SubGoalLineage,
    SubGoalTag,
    Tag,
    Transaction,
)
from intranet.snapshot import Snapshot
from intranet.translation import lazy_gettext as _l

# Never copied back: identity, the optimistic lock counter (it must move forward) and the
# archive state (archiving has its own action, so a restore never silently hides a record).
NOT_RESTORED = frozenset({"id", "lock_version", "archived_at"})


def restore_note(transaction: Transaction) -> str:
    when = format_datetime(transaction.issued_at, "yyyy-MM-dd HH:mm")
    return str(
        _l(
            "Återställd till version från %(when)s (transaktion %(id)s)",
            when=when,
            id=transaction.id,
        )
    )


def check_lock_version(record, expected: int | None) -> None:
    """Raises EditConflict when the record changed since the user opened it."""
    current = getattr(record, "lock_version", None)
    if expected is not None and current is not None and current != expected:
        raise EditConflict(record, expected)


def restore_version(kind: str, record, transaction_id: int) -> bool:
    """Make `record` (and its links) look as it did at `transaction_id`.

    Returns False when the record already looks like that (nothing is written). Raises
    RuleViolation when the record did not exist at that transaction.
    """
    versions = load_versions(kind, record.id)
    target = versions.state_at(transaction_id) if versions else None
    if target is None:
        raise RuleViolation("transaction", _l("Posten fanns inte vid den tidpunkten."))
    current = versions.state_at(max(versions.transaction_ids))
    target_without_archive = {**target, "archived_at": current.get("archived_at")}
    if not diff_states(kind, current, target_without_archive):
        return False
    row = target["_row"]
    for column in record.__table__.columns:
        if column.key not in NOT_RESTORED and hasattr(row, column.key):
            setattr(record, column.key, getattr(row, column.key))
    if kind == "sub_goal":
        _restore_sub_goal_links(record, transaction_id)
    db.session.flush()
    return True


def _restore_sub_goal_links(sub_goal, transaction_id: int) -> None:
    past = Snapshot.at(transaction_id)
    BoardLink = past.table(SubGoalBoard)
    # The links as they were, with their order and days (a reorganisation's dates too).
    was = {
        row.board_id: row
        for row in db.session.execute(
            select(
                BoardLink.board_id, BoardLink.position, BoardLink.valid_from, BoardLink.valid_to
            ).where(BoardLink.sub_goal_id == sub_goal.id, past.existing(BoardLink))
        )
    }
    kept = [link for link in sub_goal.board_links if link.board_id in was]
    for link in kept:
        row = was[link.board_id]
        link.position, link.valid_from, link.valid_to = row.position, row.valid_from, row.valid_to
    present = {link.board_id for link in kept}
    kept += [
        SubGoalBoard(
            board=db.session.get(Board, row.board_id),
            board_id=row.board_id,
            position=row.position,
            valid_from=row.valid_from,
            valid_to=row.valid_to,
        )
        for row in was.values()
        if row.board_id not in present
    ]
    sub_goal.board_links = kept
    TagLink = past.table(SubGoalTag)
    tags = db.session.scalars(
        select(Tag)
        .where(
            Tag.id.in_(
                select(TagLink.tag_id).where(
                    TagLink.sub_goal_id == sub_goal.id, past.existing(TagLink)
                )
            )
        )
        .order_by(Tag.id)
    ).all()
    present_kinds = {tag.kind for tag in tags} | {link.tag.kind for link in sub_goal.tag_links}
    for tag_kind in present_kinds:
        sub_goal.set_tags(tag_kind, [tag for tag in tags if tag.kind == tag_kind])
    _restore_lineage(sub_goal, past)


def _restore_lineage(sub_goal, past: Snapshot) -> None:
    """The links to the earlier sub-goals it continued then (those that still exist)."""
    LineageLink = past.table(SubGoalLineage)
    wanted = set(
        db.session.scalars(
            select(LineageLink.continues_id).where(
                LineageLink.sub_goal_id == sub_goal.id, past.existing(LineageLink)
            )
        )
    )
    current = {
        link.continues_id: link
        for link in db.session.scalars(
            select(SubGoalLineage).where(SubGoalLineage.sub_goal_id == sub_goal.id)
        )
    }
    for continues_id, link in current.items():
        if continues_id not in wanted:
            db.session.delete(link)
    for continues_id in wanted - current.keys():
        earlier = db.session.get(SubGoal, continues_id)
        if earlier is not None:
            db.session.add(SubGoalLineage(sub_goal=sub_goal, continues=earlier))


def archive_record(record) -> None:
    """Archive instead of delete: the record leaves the normal views and stays in history."""
    record.archive()
    db.session.flush()


def unarchive_record(record) -> None:
    record.unarchive()
    db.session.flush()
