"""The tamper-evident history: the commit pipeline, the hash chain written on every commit,
the signed checkpoints, verification, and the integrity service and command line.

The commit pipeline is what a plain `db.session.commit()` runs. `install(db)` (called by
create_app) attaches every step, in this order, to the session class of `db` alone (the
one its sessionmaker derived from intranet.extensions.AppSession), never to SQLAlchemy's
global Session:

Before flush
  0. Rule checks (intranet.models.base): control characters removed, identity numbers and
     over-long texts refused, each model's own rules. Not a pipeline step: they belong to
     the models and run for every session, first, so that a refused record never reaches
     the history transaction and the message names its field.
  1. Authorization evidence (authorization.capture_authorization): the signed-in user's
     board memberships as loaded at the start of the request, before its own changes, so
     that a role raised behind the history's back and put back shows in verify.
  2. Versioning (SQLAlchemy-Continuum's before_flush): the history transaction with its
     author, address and change note (intranet.db.versioning.ChangeContextPlugin). Its row
     insert first takes the chain's lock (chain.serialise_chain, a mapper event of
     Transaction: PostgreSQL's advisory lock, SQLite's write lock), held until commit, so
     transaction ids are handed out in commit order, the previous transaction is always
     committed and chained, and issued_at rises with the id.
At flush
  3. Continuum's mapper and engine listeners (attached with the models, see
     intranet.db.versioning.setup_versioning) record each insert, update and delete.
After flush
  4. Versioning (Continuum's after_flush): the version rows of everything flushed.
Before commit
  5. The hash chain (chain.chain_new_transactions): a last flush, then every new history
     transaction is hashed with the one before it and its version rows, in the same
     database transaction; the checkpoint due is prepared (checkpoints.prepare: the
     transaction count while the lock holds).
After commit
  6. Continuum clears its unit of work.
  7. The signed checkpoint (checkpoints.write_after_commit): the line naming what this
     commit chained, appended outside the database; with CHECKPOINT_INTERVAL_SECONDS the
     commit joins the deferred line instead, written in-line by the next commit, request
     or app context end once the interval has passed, or at process exit (no timer
     thread). A failure only logs: the save is committed.
After rollback
  8. Continuum clears its unit of work; the prepared checkpoint is forgotten.

A session of any other class that flushes a versioned record is refused before anything
is written (intranet.db.versioning.PipelineMissing): a worker or script can no longer write
unchained history by skipping an import. A bulk INSERT, UPDATE or DELETE of a versioned
model, which never reaches a flush, is refused on every session, this one included.
"""

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy_continuum import versioning_manager

from intranet.db.versioning import has_pipeline, mark_pipeline


def _steps():
    """(event, listener) of the session's pipeline, in the order they run."""
    from intranet.integrity import authorization, chain, checkpoints

    manager = versioning_manager
    return (
        ("before_flush", authorization.capture_authorization),
        ("before_flush", manager.before_flush),
        ("after_flush", manager.after_flush),
        ("before_commit", chain.chain_new_transactions),
        ("after_commit", manager.clear),
        ("after_commit", checkpoints.write_after_commit),
        ("after_rollback", manager.clear),
        ("after_rollback", checkpoints.forget_after_rollback),
    )


def install(db) -> type[Session]:
    """Attach the commit pipeline to `db`'s own session class (once; create_app calls it).

    That class is the one db's sessionmaker made for itself: sessionmaker always derives a
    class of its own from the class it is given (intranet.extensions.AppSession), so no
    other session in the process, not even another sessionmaker's AppSession, runs these
    listeners."""
    from flask_sqlalchemy.session import Session as FlaskSession

    from intranet.extensions import AppSession
    from intranet.integrity import chain
    from intranet.models import Transaction

    session_class = db.session.session_factory.class_
    if session_class in (Session, FlaskSession, AppSession):
        # A class that sessions other than db's are made of: its listeners would run there.
        raise TypeError(f"{session_class.__name__} is not the session class of db alone")
    if has_pipeline(session_class):
        return session_class
    for name, listener in _steps():
        event.listen(session_class, name, listener)
    if not event.contains(Transaction, "before_insert", chain.serialise_chain):
        event.listen(Transaction, "before_insert", chain.serialise_chain)
    mark_pipeline(session_class)
    return session_class


def init_app(app: Flask) -> None:
    from intranet.integrity import checkpoints, cli

    cli.init_app(app)

    @app.teardown_appcontext
    def _write_due_checkpoint(error):
        # The deferred line of an interval, once due, in-line at the end of a request (or
        # CLI command) rather than on a timer thread.
        checkpoints.write_due(app)
