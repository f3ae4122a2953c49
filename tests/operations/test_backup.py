"""Backup and restore keep everything: the follow-ups and the full history.

On SQLite the restore goes into a new file; on PostgreSQL into a new database created
here (and dropped afterwards).
"""

import uuid

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.models import FollowUp, Transaction
from intranet.operations.services import OperationError, backup, restore


def _history_tables():
    return [db.metadata.tables["transaction"]] + [
        table for name, table in db.metadata.tables.items() if name.endswith("_version")
    ]


def _snapshot(database_url: str) -> dict:
    """The matrix-equivalent data (every follow-up's status) and every history row."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            follow_up = FollowUp.__table__
            data = {
                "follow_ups": connection.execute(
                    select(follow_up.c.sub_goal_id, follow_up.c.year, follow_up.c.status).order_by(
                        follow_up.c.sub_goal_id, follow_up.c.year
                    )
                ).all()
            }
            for table in _history_tables():
                data[table.name] = connection.execute(
                    select(table).order_by(*table.primary_key.columns)
                ).all()
        return data
    finally:
        engine.dispose()


@pytest.fixture
def fresh_database(app, tmp_path):
    """The URL of a new, empty database of the same kind as the test database."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        yield str(url.set(database=str(tmp_path / "restored.sqlite")))
        return
    name = f"hp_restore_{uuid.uuid4().hex[:12]}"
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def _some_history(make):
    sub_goal = make.sub_goal()
    follow_up = make.follow_up(sub_goal=sub_goal, status="ongoing")
    make.follow_up(sub_goal=sub_goal, year=sub_goal.plan.start_year + 1, status="done")
    with acting_as(None, "status change"):
        follow_up.status = "partly_done"
        follow_up.deviation_reason = "resources"
        follow_up.deviation_text = "Personalbrist under våren."
        db.session.commit()
    with acting_as(None, "archived"):
        follow_up.archive()
        db.session.commit()


@pytest.mark.postgresql
def test_backup_and_restore_into_a_fresh_database(app, make, tmp_path, fresh_database):
    _some_history(make)
    source_url = app.config["SQLALCHEMY_DATABASE_URI"]
    before = _snapshot(source_url)
    assert len(before["transaction"]) >= 5 and before["follow_up_version"]

    backup_file = backup(source_url, tmp_path / "backup.dump")
    assert backup_file.stat().st_size > 0
    restore(fresh_database, backup_file)

    assert _snapshot(fresh_database) == before


def test_restore_refuses_a_database_with_data(app, make, tmp_path):
    make.board()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    backup_file = backup(url, tmp_path / "backup.dump")
    db.session.remove()
    with pytest.raises(OperationError, match="not empty"):
        restore(url, backup_file)


def test_backup_will_not_overwrite_a_file(app, tmp_path):
    existing = tmp_path / "existing.dump"
    existing.write_text("keep me")
    with pytest.raises(OperationError, match="exists"):
        backup(app.config["SQLALCHEMY_DATABASE_URI"], existing)
    assert existing.read_text() == "keep me"


def test_cli_backup_and_forced_restore(app, make, tmp_path):
    _some_history(make)
    db.session.remove()
    runner = app.test_cli_runner()
    backup_file = tmp_path / "cli.dump"
    result = runner.invoke(args=["backup", str(backup_file)])
    assert result.exit_code == 0, result.output
    before = _snapshot(app.config["SQLALCHEMY_DATABASE_URI"])

    with acting_as(None, "after the backup"):
        follow_up = db.session.scalars(select(FollowUp)).first()
        follow_up.status = "cancelled"
        follow_up.deviation_reason = "other"
        follow_up.deviation_text = "Avbrutet."
        db.session.commit()
    db.session.remove()

    refused = runner.invoke(args=["restore", str(backup_file)])
    assert refused.exit_code != 0
    assert "--force" in refused.output
    result = runner.invoke(args=["restore", str(backup_file), "--force"])
    assert result.exit_code == 0, result.output
    assert _snapshot(app.config["SQLALCHEMY_DATABASE_URI"]) == before
    after = select(Transaction).where(Transaction.note == "after the backup")
    assert db.session.scalar(after) is None


def test_restoring_an_older_backup_leaves_the_database_behind_the_checkpoint_log(
    app, make, tmp_path
):
    """The checkpoint log is not in the backup and is not rolled back with it."""
    from intranet.integrity import verify
    from intranet.integrity.service import run_verification

    _some_history(make)
    db.session.remove()
    runner = app.test_cli_runner()
    backup_file = tmp_path / "older.dump"
    assert runner.invoke(args=["backup", str(backup_file)]).exit_code == 0
    with acting_as(None, "after the backup"):
        follow_up = db.session.scalars(select(FollowUp)).first()
        follow_up.next_steps = "Nytt efter säkerhetskopian."
        db.session.commit()
        newest = db.session.scalar(select(func.max(Transaction.id)))
    db.session.remove()
    assert run_verification()[0].ok

    result = runner.invoke(args=["restore", str(backup_file), "--force"])
    assert result.exit_code == 0, result.output
    assert "behind the checkpoint log" in result.output
    report, _ = run_verification()
    assert [problem.kind for problem in report.problems] == [verify.BEHIND]
    assert "database is behind the checkpoint log" in report.problems[0].message
    assert report.problems[0].expected == newest
    verdict = runner.invoke(args=["audit", "verify"])
    assert verdict.exit_code == 1
    assert "database is behind the checkpoint log" in verdict.output
