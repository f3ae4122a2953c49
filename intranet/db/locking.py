"""Optimistic locking: a save carries the version counter the user started from."""

from collections.abc import Callable

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from intranet.core.errors import EditConflict
from intranet.extensions import db


def update_locked(record, values: dict, expected_lock_version: int) -> None:
    """Apply `values` unless someone saved `record` since the user read `expected_lock_version`."""
    if record.lock_version != expected_lock_version:
        raise EditConflict(record, expected_lock_version)
    for key, value in values.items():
        setattr(record, key, value)


def flush_or_conflict(reload: Callable, expected_lock_version: int) -> None:
    """Flush; a row changed by a concurrent request between our read and write is a conflict
    with whatever `reload()` finds now. So is a row created by one: two people saving the
    first record of a kind at once (the first follow-up of a sub-goal and year) meet at the
    unique constraint, and the second gets the conflict view instead of a 500.

    The transaction cannot go on after a failed flush (PostgreSQL aborts it), so it is rolled
    back and `reload()` reads in a fresh one, which sees the other request's committed row."""
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise EditConflict(reload(), expected_lock_version) from None
    except IntegrityError:
        db.session.rollback()
        current = reload()
        if current is None:
            raise  # not a row someone else created meanwhile: a real error
        raise EditConflict(current, expected_lock_version) from None
