"""Engine-level settings per database dialect."""

from datetime import datetime

from flask import Flask
from sqlalchemy import Table, case, event
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine

from intranet.extensions import db


def _tune_sqlite(dbapi_connection, connection_record):
    # WAL lets readers proceed during a write; the busy timeout makes concurrent
    # writers wait instead of failing with "database is locked".
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def init_app(app: Flask) -> None:
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _tune_sqlite)


def upsert(table: Table):
    """An INSERT that can take ON CONFLICT, in the session's dialect."""
    dialect = db.session.get_bind().dialect.name
    return (postgresql_insert if dialect == "postgresql" else sqlite_insert)(table)


def count_in_window(
    table: Table, key: dict, counter: str, now: datetime, since: datetime
) -> tuple[int, datetime]:
    """Add one to the `counter` of the row with `key` in one atomic upsert and return the new
    count and when its window began: parallel requests can never read the same count (no
    read-then-write). A window that began before `since` starts again at one, now."""
    expired = table.c.window_start < since
    statement = (
        upsert(table)
        .values(**key, **{counter: 1}, window_start=now)
        .on_conflict_do_update(
            index_elements=[table.c[name] for name in key],
            set_={
                counter: case((expired, 1), else_=table.c[counter] + 1),
                "window_start": case((expired, now), else_=table.c.window_start),
            },
        )
        .returning(table.c[counter], table.c.window_start)
    )
    count, window_start = db.session.execute(statement).one()
    return count, window_start
