"""Tamper evidence: a hash chain over every transaction and its version rows."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy_continuum import version_class

from intranet.core import clock
from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.integrity.verify import verify_history
from intranet.models import Board, FollowUp, SubGoal, Transaction


class _Result:
    def __init__(self, report):
        self.report = report
        self.ok = report.ok
        hashes = report.of_kind("hash") + report.of_kind("orphan")
        self.first_bad_id = hashes[0].transaction_id if hashes else None


def _verify():
    """The chain checks alone: what these tests tamper with."""
    result = _Result(verify_history(db.session.connection()))
    db.session.rollback()
    return result


def test_every_transaction_is_chained_in_the_same_commit(make):
    follow_up = make.follow_up()
    follow_up.outcome = "Ändrad"
    db.session.commit()
    hashes = db.session.scalars(select(Transaction.chain_hash).order_by(Transaction.id)).all()
    assert hashes and all(hashes)
    assert len(set(hashes)) == len(hashes)
    assert _verify().ok


def test_verify_passes_on_demo_data_and_names_a_tampered_transaction(app, demo):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    count = db.session.query(Transaction).count()
    assert f"OK: {count} transactions verified" in result.output
    newest = db.session.scalars(select(Transaction).order_by(Transaction.id.desc())).first()
    assert f"Latest: transaction {newest.id}, chain hash {newest.chain_hash}" in result.output

    # Someone edits a history row behind the application's back.
    FollowUpVersion = version_class(FollowUp)
    victim = db.session.execute(
        select(FollowUpVersion.id, FollowUpVersion.transaction_id)
        .where(FollowUpVersion.status == "ongoing")
        .order_by(FollowUpVersion.transaction_id)
    ).first()
    db.session.execute(
        update(FollowUpVersion.__table__)
        .where(FollowUpVersion.__table__.c.id == victim.id)
        .where(FollowUpVersion.__table__.c.transaction_id == victim.transaction_id)
        .values(status="done")
    )
    db.session.commit()

    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"transaction {victim.transaction_id} does not match" in result.output


def test_changing_a_transaction_note_or_deleting_a_version_row_breaks_the_chain(make):
    sub_goal = make.sub_goal()
    first = db.session.scalar(select(Transaction.id).order_by(Transaction.id.desc()))
    sub_goal.title = "Ny titel"
    db.session.commit()
    assert _verify().ok

    db.session.execute(text("UPDATE \"transaction\" SET note = 'x' WHERE id = :id"), {"id": first})
    db.session.commit()
    assert _verify().first_bad_id == first

    db.session.execute(
        text("UPDATE \"transaction\" SET note = 'test data' WHERE id = :id"), {"id": first}
    )
    db.session.commit()
    assert _verify().ok
    SubGoalVersion = version_class(SubGoal)
    last = db.session.scalar(select(Transaction.id).order_by(Transaction.id.desc()))
    db.session.execute(
        SubGoalVersion.__table__.delete().where(SubGoalVersion.__table__.c.transaction_id == last)
    )
    db.session.commit()
    assert _verify().first_bad_id == last


def test_later_validity_bookkeeping_does_not_break_the_chain(make):
    follow_up = make.follow_up()
    for status in ("done", "ongoing", "done"):
        follow_up.status = status
        db.session.commit()
    assert _verify().ok


def test_a_transaction_expired_before_commit_is_still_chained(make):
    follow_up = make.follow_up()
    follow_up.outcome = "Ändrad"
    db.session.flush()
    db.session.expire_all()
    db.session.commit()
    newest = db.session.scalars(select(Transaction).order_by(Transaction.id.desc())).first()
    assert newest.chain_hash
    assert _verify().ok


def _hold_the_write_lock(connection) -> None:
    """Take, on another connection, what a versioned write must wait for."""
    from intranet.integrity.chain import CHAIN_LOCK_KEY

    if connection.dialect.name == "postgresql":
        connection.execute(select(func.pg_advisory_xact_lock(CHAIN_LOCK_KEY)))
    else:
        connection.exec_driver_sql('UPDATE "transaction" SET id = id WHERE 0')


def test_a_transaction_is_dated_once_it_holds_the_write_lock(app, make):
    """A writer that waits for another's commit must not be dated before it: ids follow
    commit order, and verify holds issued_at to rise with the id. On SQLite a writer used
    to take its time before waiting for the database's write lock, so a burst of saves
    looked backdated."""
    board = make.board(name="Före")
    db.session.commit()
    start = clock.utc_now().replace(microsecond=0)
    later = start + timedelta(seconds=30)
    errors = []

    def rename():
        try:
            with app.app_context(), acting_as(None, "Byter namn"):
                db.session.get(Board, board.id).name = "Efter"
                db.session.commit()
        except Exception as error:  # noqa: BLE001  (reported by the assertion below)
            errors.append(error)

    with clock.freeze(start), db.engine.connect() as holder:
        holder.begin()
        _hold_the_write_lock(holder)
        writer = threading.Thread(target=rename)
        writer.start()
        writer.join(timeout=0.5)  # now waiting for the lock (or, on the old code, dated)
        assert writer.is_alive()
        clock.advance(later - start)
        holder.commit()
        writer.join(timeout=30)
    assert errors == []
    db.session.expire_all()
    newest = db.session.scalars(select(Transaction).order_by(Transaction.id.desc())).first()
    assert newest.note == "Byter namn"
    assert newest.issued_at == later
    assert _verify().ok


@pytest.mark.postgresql
def test_versioned_writes_hold_the_chain_lock_until_commit(make):
    """Two concurrent commits must not chain off the same predecessor: on PostgreSQL the
    writer holds an advisory lock from its first versioned flush until commit."""
    from intranet.integrity.chain import CHAIN_LOCK_KEY

    follow_up = make.follow_up()
    follow_up.outcome = "Pågående ändring"
    db.session.flush()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as other:
            taken = other.scalar(select(func.pg_try_advisory_xact_lock(CHAIN_LOCK_KEY)))
            other.rollback()
        assert taken is False
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as other:
            assert other.scalar(select(func.pg_try_advisory_xact_lock(CHAIN_LOCK_KEY)))
            other.rollback()
    assert _verify().ok


def test_a_deleted_transaction_row_is_named_and_the_history_still_shows(client, make):
    make.user("auditor", username="revisorn")
    follow_up = make.follow_up()
    follow_up.outcome = "Ändrad"
    db.session.commit()
    victim = db.session.scalar(select(func.max(Transaction.id)))
    db.session.execute(text('DELETE FROM "transaction" WHERE id = :id'), {"id": victim})
    db.session.commit()
    # Even the newest transaction, which no later hash covers, is missed.
    result = _verify()
    assert (result.ok, result.first_bad_id) == (False, victim)
    client.login("revisorn")
    response = client.get(f"/history/follow_up/{follow_up.id}")
    assert response.status_code == 200
    assert f"transaktion {victim}" in response.get_data(as_text=True)


def test_a_column_added_later_leaves_rows_chained_before_it_verifiable(make):
    """focus_area.description came with a migration: a version row chained before it has
    no such key in its hashed content, and a NULL there must hash as it did then."""
    from intranet.integrity.chain import _row_content
    from intranet.models import FocusArea

    area = make.focus_area()
    db.session.commit()
    table = version_class(FocusArea).__table__
    row = dict(db.session.execute(select(table)).mappings().one())
    assert row["description"] is None
    assert "description" not in _row_content(table, row)
    assert "title" in _row_content(table, row)
    area.description = "Fokusområdets egen text."
    db.session.commit()
    rows = db.session.execute(select(table).order_by(table.c.transaction_id)).mappings().all()
    assert _row_content(table, rows[-1])["description"] == "Fokusområdets egen text."
    assert _verify().ok
