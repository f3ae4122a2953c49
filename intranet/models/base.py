"""Shared model pieces: archiving, rule checks before every flush."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from intranet.personal_data import refuse_identity_numbers


def utc_now() -> datetime:
    # Naive UTC, like the issued_at of history transactions, so both compare directly.
    return datetime.now(UTC).replace(tzinfo=None)


class Archivable:
    """Records are archived, never deleted by users; archiving is a versioned change."""

    archived_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def archive(self) -> None:
        if self.archived_at is None:
            self.archived_at = utc_now()

    def unarchive(self) -> None:
        self.archived_at = None


def related(obj, relationship: str, model, foreign_key: str):
    """The related object, loaded by its key when only the key has been set so far."""
    value = getattr(obj, relationship)
    if value is None and getattr(obj, foreign_key) is not None:
        from intranet.extensions import db

        with db.session.no_autoflush:
            value = db.session.get(model, getattr(obj, foreign_key))
    return value


class RuleChecked:
    """Models list their free-text fields and may add rules in `check_rules`.

    The checks run before every flush, so imports, the CLI and the web all obey them.
    """

    free_text_fields: tuple[str, ...] = ()

    def apply_column_defaults(self) -> None:
        """Fill scalar column defaults now, since the rules run before the insert would."""
        for column in self.__table__.columns:
            default = column.default
            if default is not None and default.is_scalar and getattr(self, column.key) is None:
                setattr(self, column.key, default.arg)

    def check_rules(self) -> None:
        for field in self.free_text_fields:
            refuse_identity_numbers(field, getattr(self, field))


@event.listens_for(Session, "before_flush")
def _check_rules_before_flush(session, flush_context, instances):
    changed = [obj for obj in session.dirty if session.is_modified(obj)]
    for obj in session.new:
        if isinstance(obj, RuleChecked):
            obj.apply_column_defaults()
    for obj in [*session.new, *changed]:
        if isinstance(obj, RuleChecked):
            obj.check_rules()
