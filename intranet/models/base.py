"""Shared model pieces: archiving, rule checks before every flush."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import DateTime, String, Text, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column

from intranet.core.clock import utc_now
from intranet.core.stored_text import check_stored_text, clean_stored_text

# Column info for strings that are not written by people (hashes, derived sort keys): they are
# cleaned and length-checked like every string, but not searched for identity numbers.
NOT_FREE_TEXT = {"free_text": False}


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


@dataclass(frozen=True)
class TextColumn:
    key: str
    multiline: bool
    max_length: int | None
    free_text: bool


_text_columns: dict[type, tuple[TextColumn, ...]] = {}


def text_columns(model: type) -> tuple[TextColumn, ...]:
    """Every String and Text column of the model, read from its table: a new column is
    guarded without anyone having to remember it."""
    found = _text_columns.get(model)
    if found is None:
        found = tuple(
            TextColumn(
                attribute.key,
                isinstance(column.type, Text),
                None if isinstance(column.type, Text) else column.type.length,
                column.info.get("free_text", True),
            )
            for attribute in inspect(model).column_attrs
            for column in attribute.columns[:1]
            if isinstance(column.type, String)
        )
        _text_columns[model] = found
    return found


class RuleChecked:
    """Stored text is guarded for every String and Text column; models add their own rules
    by overriding `check_rules` (and calling it on super first).

    The checks run before every flush, so imports, the CLI and the web all obey them; the
    plan import runs them on in-memory objects for its preview.
    """

    # Rules that another module adds to a model without the model importing it (the
    # lineage rules of plans, focus areas and sub-goals): see add_rule.
    added_rules: tuple = ()

    @classmethod
    def add_rule(cls, rule) -> None:
        """Run `rule(record)` after the model's own rules, on every flush."""
        cls.added_rules = (*cls.added_rules, rule)

    def check_all_rules(self) -> None:
        self.check_rules()
        for rule in type(self).added_rules:
            rule(self)

    def apply_column_defaults(self) -> None:
        """Fill scalar column defaults now, since the rules run before the insert would."""
        for column in self.__table__.columns:
            default = column.default
            if default is not None and default.is_scalar and getattr(self, column.key) is None:
                setattr(self, column.key, default.arg)

    def check_rules(self) -> None:
        """Remove control characters from every text column (see intranet.core.stored_text), then
        refuse identity numbers and texts longer than the column allows."""
        for column in text_columns(type(self)):
            value = getattr(self, column.key)
            if not isinstance(value, str):
                continue
            cleaned = clean_stored_text(value, column.multiline)
            if cleaned != value:
                setattr(self, column.key, cleaned)
            check_stored_text(column.key, cleaned, column.max_length, column.free_text)


# First among the flush listeners: a refused record must not get as far as the history
# transaction, and the message should name the record's field rather than the note. On
# every session, not a step of the commit pipeline (intranet.integrity): the rules belong
# to the models, and hold for unversioned records and sessions without the pipeline too.
@event.listens_for(Session, "before_flush", insert=True)
def _check_rules_before_flush(session, flush_context, instances):
    changed = [obj for obj in session.dirty if session.is_modified(obj)]
    for obj in session.new:
        if isinstance(obj, RuleChecked):
            obj.apply_column_defaults()
    for obj in [*session.new, *changed]:
        if isinstance(obj, RuleChecked):
            obj.check_all_rules()
