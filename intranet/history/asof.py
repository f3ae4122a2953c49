"""Reading the data as they stood at a past moment, straight from the version tables.

A moment maps to the last history transaction issued at or before it; a version row is
valid at transaction T when it was written at or before T and not yet superseded at T
(the validity strategy's end_transaction_id), which indexed queries answer directly.
"""

from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from intranet.extensions import db
from intranet.models import Transaction

DELETE = 2  # Continuum's operation_type for a deleted row


def transaction_at(moment: datetime) -> int | None:
    """The id of the last transaction issued at or before `moment` (naive UTC), or None."""
    return db.session.scalar(
        select(func.max(Transaction.id)).where(Transaction.issued_at <= moment)
    )


def valid_at(version_class, transaction_id: int) -> ColumnElement[bool]:
    """Filter for the versions of `version_class` that were current at `transaction_id`."""
    return and_(
        version_class.transaction_id <= transaction_id,
        or_(
            version_class.end_transaction_id > transaction_id,
            version_class.end_transaction_id.is_(None),
        ),
        version_class.operation_type != DELETE,
    )
