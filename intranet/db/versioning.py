"""Who, from where and why: the context stored on every history transaction.

SQLAlchemy-Continuum asks its plugins for the transaction's arguments when the
first versioned change of a database transaction is flushed. Inside a request
they come from the signed-in user and the request; in CLI commands and the demo
loader from `acting_as`.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import g, has_request_context, request
from sqlalchemy import event
from sqlalchemy_continuum import versioning_manager
from sqlalchemy_continuum.plugins.base import Plugin
from sqlalchemy_continuum.utils import is_versioned

from intranet.core.stored_text import check_stored_text, clean_stored_text


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    remote_addr: str | None = None
    note: str | None = None
    # Only the demo loader sets this, to tell the seeds' story in the years it happened.
    issued_at: datetime | None = None


_cli_actor: ContextVar[Actor | None] = ContextVar("cli_actor", default=None)


def set_change_note(note: str | None) -> None:
    """Attach the user's optional change note to this request's transaction.

    The note is checked when the transaction row is written (see `stored_note`)."""
    g.change_note = (note or "").strip() or None


def stored_note(note: str | None) -> str | None:
    """The note as the transaction row may hold it: the same guard as every stored text.

    The hash chain makes a transaction row permanent, so this is the last line of defence
    for notes from every source (forms, routes, imports, the CLI): it raises
    RuleViolation("note") for an identity number or a note longer than the column, which
    aborts the flush. Forms check the same before, to show the message by the field."""
    note = clean_stored_text(note or "", multiline=True).strip()
    if not note:
        return None
    check_stored_text("note", note, versioning_manager.transaction_cls.__table__.c.note.type.length)
    return note


def current_actor() -> Actor:
    actor = _cli_actor.get()
    if actor is not None:
        return actor
    if has_request_context():
        from flask_login import current_user

        user_id = current_user.id if current_user.is_authenticated else None
        return Actor(user_id, request.remote_addr, g.get("change_note"))
    return Actor(None)


@contextmanager
def acting_as(
    user_id: int | None,
    note: str | None = None,
    remote_addr: str | None = None,
    issued_at: datetime | None = None,
):
    """Attribute versioned changes made outside a request (CLI, demo loader)."""
    token = _cli_actor.set(Actor(user_id, remote_addr or "cli", note, issued_at))
    try:
        yield
    finally:
        _cli_actor.reset(token)


class ChangeContextPlugin(Plugin):
    def transaction_args(self, uow, session):
        actor = current_actor()
        note = stored_note(actor.note)
        args = {"user_id": actor.user_id, "remote_addr": actor.remote_addr, "note": note}
        if actor.issued_at is not None:
            args["issued_at"] = actor.issued_at
        return args


# Set on a session class by intranet.integrity.install once every step of the commit
# pipeline is attached to it.
PIPELINE_FLAG = "_history_pipeline_installed"


class PipelineMissing(RuntimeError):
    """A session without the commit pipeline tried to write a versioned record."""


def has_pipeline(session_class: type) -> bool:
    return bool(getattr(session_class, PIPELINE_FLAG, False))


def mark_pipeline(session_class: type) -> None:
    setattr(session_class, PIPELINE_FLAG, True)


def setup_versioning() -> None:
    """Continuum's make_versioned without its session listeners.

    make_versioned(session=...) would attach Continuum's flush and commit listeners to a
    session class now, at import; they are steps of the commit pipeline instead, attached in
    order with the chain and the checkpoints to the app's own session class by
    intranet.integrity.install. What has to happen before the models are defined (the class
    configuration listeners that build the version classes when mappers configure, the
    mapper and engine listeners that record operations) is done here, as make_versioned
    does it (SQLAlchemy-Continuum 2.0)."""
    manager = versioning_manager
    manager.plugins = [ChangeContextPlugin()]
    manager.options.update({"strategy": "validity", "create_composite_index": True})
    manager.user_cls = "User"
    manager.apply_class_configuration_listeners(sa.orm.Mapper)
    manager.track_operations(sa.orm.Mapper)
    for name, listener in (
        ("before_execute", manager.track_association_operations),
        ("rollback", manager.clear_connection),
        ("set_connection_execution_options", manager.track_cloned_connections),
    ):
        if not event.contains(sa.engine.Engine, name, listener):
            event.listen(sa.engine.Engine, name, listener)
    if not event.contains(sa.orm.Session, "before_flush", _refuse_without_pipeline):
        event.listen(sa.orm.Session, "before_flush", _refuse_without_pipeline, insert=True)
    if not event.contains(sa.orm.Session, "do_orm_execute", _refuse_bulk_writes):
        event.listen(sa.orm.Session, "do_orm_execute", _refuse_bulk_writes)


def _refuse_bulk_writes(state) -> None:
    # An ORM bulk INSERT, UPDATE or DELETE of a versioned model (session.execute(update(Plan)
    # ...)) never reaches a flush, so neither Continuum nor the guard below would see it: the
    # rows would change with no history. Refused on every session, the app's too; a change
    # goes through the objects.
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    if mapper is not None:
        model = mapper.class_ if is_versioned(mapper.class_) else None
    else:  # a statement on the model's table rather than the model
        versioned = {cls.__table__: cls for cls in versioning_manager.version_class_map}
        model = versioned.get(getattr(state.statement, "table", None))
    if model is not None:
        raise PipelineMissing(
            f"A bulk {state.statement.__visit_name__} of {model.__name__}, a versioned "
            "model, would change it without a history: change the objects instead."
        )


def _refuse_without_pipeline(session, flush_context, instances) -> None:
    # On every session (the global class): a worker or script whose session lacks the
    # pipeline would otherwise write versioned rows with no history transaction, or history
    # with no chain hash and no checkpoint. Refused before the flush writes anything.
    # Continuum's own version session flushes only transactions and version rows, which are
    # not versioned themselves, so it passes.
    if has_pipeline(type(session)):
        return
    changed = [obj for obj in session.dirty if session.is_modified(obj)]
    for obj in [*session.new, *session.deleted, *changed]:
        if is_versioned(obj):
            raise PipelineMissing(
                f"{type(obj).__name__} is versioned, but this {type(session).__name__} has no "
                "commit pipeline: write it through the app's session (intranet.extensions.db, "
                "inside create_app's app context), never a plain SQLAlchemy session."
            )
