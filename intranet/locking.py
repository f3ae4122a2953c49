"""Optimistic locking: a save carries the version counter the user started from."""

from collections.abc import Callable

from sqlalchemy.orm.exc import StaleDataError

from intranet.errors import EditConflict
from intranet.extensions import db


def update_locked(record, values: dict, expected_lock_version: int) -> None:
    """Apply `values` unless someone saved `record` since the user read `expected_lock_version`."""
    if record.lock_version != expected_lock_version:
        raise EditConflict(record, expected_lock_version)
    for key, value in values.items():
        setattr(record, key, value)


def flush_or_conflict(reload: Callable, expected_lock_version: int) -> None:
    """Flush; a row changed by a concurrent request between our read and write is a conflict
    with whatever `reload()` finds now."""
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise EditConflict(reload(), expected_lock_version) from None
