"""Writes of the history domain: restore an earlier version, archive and bring back.

Services change and flush, never commit: the request commits once, so each restore or
archiving is one history transaction naming the signed-in user. Restoring itself uses the
services of every domain and lives in intranet.history.restoring.
"""

from flask_babel import format_datetime

from intranet.auth.policies import can_archive
from intranet.core.errors import EditConflict, NotAllowed
from intranet.core.translation import lazy_gettext as _l
from intranet.extensions import db
from intranet.models import RecordKind, Transaction, User


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


def _require_archive(user: User, kind: RecordKind, record) -> None:
    if not can_archive(user, kind, record):
        raise NotAllowed()


def archive_record(user: User, kind: RecordKind, record) -> None:
    """Archive instead of delete: the record leaves the normal views and stays in history.
    Raises NotAllowed (can_archive)."""
    _require_archive(user, kind, record)
    record.archive()
    db.session.flush()


def unarchive_record(user: User, kind: RecordKind, record) -> None:
    """Bring an archived record back. Raises NotAllowed (can_archive)."""
    _require_archive(user, kind, record)
    record.unarchive()
    db.session.flush()
