"""Fresh databases for the benchmark: a SQLite file, or a PostgreSQL database it creates."""

import os
import re
import tempfile
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade

from intranet import create_app

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:55432/postgres"
SECRET_KEY = "bench-secret-key"
# Cheap password hashes: the benchmark signs in many clients, and measures pages, not scrypt.
HASH_METHOD = "scrypt:2048:8:1"


def pg_admin_url() -> str:
    return os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL)


def checkpoint_files(url: str) -> dict:
    """Each benchmark database's own checkpoint log and signing key (never instance/'s):
    beside a SQLite file, in the temporary folder for PostgreSQL."""
    if url.startswith("sqlite:///"):
        stem = Path(url.removeprefix("sqlite:///"))
    else:
        stem = Path(tempfile.gettempdir()) / f"bench-{url.rsplit('/', 1)[1]}"
    return {
        "CHECKPOINT_LOG": f"{stem}.checkpoints.log",
        "CHECKPOINT_KEY": f"{stem}.checkpoint-key.pem",
    }


def fresh_database(kind: str, name: str, workdir: Path) -> str:
    """The URL of a new, empty database called `name` (with no checkpoint log yet)."""
    url = _fresh_database(kind, name, workdir)
    Path(checkpoint_files(url)["CHECKPOINT_LOG"]).unlink(missing_ok=True)
    return url


def _fresh_database(kind: str, name: str, workdir: Path) -> str:
    if kind == "sqlite":
        path = workdir / f"{name}.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    if kind != "postgresql":
        raise ValueError(f"unknown database kind {kind!r}")
    import psycopg

    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(f"bad database name {name!r}")
    admin = pg_admin_url()
    with psycopg.connect(
        admin.replace("postgresql+psycopg://", "postgresql://"), autocommit=True
    ) as c:
        c.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        c.execute(f"CREATE DATABASE {name}")
    return admin.rsplit("/", 1)[0] + "/" + name


def drop_database(url: str) -> None:
    if not url.startswith("postgresql"):
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = pg_admin_url().replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def make_app(url: str, **config) -> Flask:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": SECRET_KEY,
            "PASSWORD_HASH_METHOD": HASH_METHOD,
            **checkpoint_files(url),
            **config,
        }
    )
    return app


def migrate(app: Flask) -> None:
    with app.app_context():
        upgrade()
