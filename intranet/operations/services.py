"""Backup and restore of the whole database: current data and the full history.

SQLite: the online backup API (consistent while the app keeps running).
PostgreSQL: pg_dump's custom format and pg_restore, found via PG_BIN or PATH; the client
tools should be of the server's major version.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import create_engine, func, inspect, select, table
from sqlalchemy.engine import URL, make_url


class OperationError(Exception):
    """A backup or restore that cannot be done; the message says why."""


def _sqlite_path(url: URL) -> str:
    if not url.database or url.database == ":memory:":
        raise OperationError("An in-memory SQLite database cannot be backed up or restored.")
    return url.database


def _pg_tool(name: str) -> str:
    pg_bin = os.environ.get("PG_BIN")
    if pg_bin and (Path(pg_bin) / name).exists():
        return str(Path(pg_bin) / name)
    found = shutil.which(name)
    if not found:
        raise OperationError(f"{name} not found: set PG_BIN to PostgreSQL's bin directory.")
    return found


def _pg_connection(url: URL) -> tuple[str, dict]:
    """A libpq URL without the password, and the environment that carries it."""
    environment = dict(os.environ)
    if url.password:
        # Not on the command line, where other users of the machine could read it.
        environment["PGPASSWORD"] = str(url.password)
    libpq = url.set(drivername="postgresql", password=None)
    return libpq.render_as_string(hide_password=False), environment


def _run(command: list[str], environment: dict) -> None:
    result = subprocess.run(command, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        raise OperationError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-2000:]}")


def database_is_empty(database_url: str) -> bool:
    """True when no table of the database holds a row (a fresh or just-created database)."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            for name in inspect(connection).get_table_names():
                if connection.scalar(select(func.count()).select_from(table(name))):
                    return False
        return True
    finally:
        engine.dispose()


def backup(database_url: str, path: str | Path) -> Path:
    """Write a complete, consistent copy of the database to `path`."""
    url = make_url(database_url)
    path = Path(path)
    if path.exists():
        raise OperationError(f"{path} exists already; choose a new file name.")
    path.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        target = sqlite3.connect(path)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
    elif url.get_backend_name() == "postgresql":
        connection, environment = _pg_connection(url)
        _run([_pg_tool("pg_dump"), "-Fc", "--no-owner", "-f", str(path), connection], environment)
    else:
        raise OperationError(f"Backups of {url.get_backend_name()} are not supported.")
    path.chmod(0o600)
    return path


def restore(database_url: str, path: str | Path, force: bool = False) -> None:
    """Replace the database's content with the backup at `path`.

    Refuses a database that holds data unless `force`, so a mistyped URL cannot wipe one.
    """
    url = make_url(database_url)
    path = Path(path)
    if not path.is_file():
        raise OperationError(f"No backup file at {path}.")
    if not force and not database_is_empty(database_url):
        raise OperationError("The database is not empty; use --force to overwrite it.")
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(path)
        target = sqlite3.connect(_sqlite_path(url))
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    elif url.get_backend_name() == "postgresql":
        connection, environment = _pg_connection(url)
        _run(
            [
                _pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "-d",
                connection,
                str(path),
            ],
            environment,
        )
    else:
        raise OperationError(f"Restores into {url.get_backend_name()} are not supported.")
