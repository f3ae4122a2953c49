"""Engine-level settings per database dialect."""

from flask import Flask
from sqlalchemy import event
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
