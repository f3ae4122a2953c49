"""Running the verification with the application's configuration, recording its result, and
what the integrity page shows (the last verification, the latest checkpoint)."""

import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from intranet.extensions import db
from intranet.history import checkpoints
from intranet.history.verify import GRACE_SECONDS, Report, verify_history
from intranet.models import IntegrityCheck

SUMMARY_LINES = 20


def run_verification(extra_logs=(), public_key=None, now=None) -> tuple[Report, float]:
    """Verify the history against the app's checkpoint log (and `extra_logs`), with the
    app's public key unless an auditor's is given. Returns the report and its seconds.

    Reads on a connection of its own, in one snapshot (REPEATABLE READ on PostgreSQL, one
    read transaction on SQLite), so that saves committed meanwhile cannot make the passes
    disagree."""
    app = current_app._get_current_object()
    logs = [checkpoints.log_path(app), *(Path(path) for path in extra_logs)]
    key = public_key if public_key is not None else checkpoints.app_public_key(app)
    started = time.perf_counter()
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        elif connection.dialect.name == "sqlite":
            # pysqlite runs SELECTs outside a transaction: each would see the latest commit.
            connection.exec_driver_sql("BEGIN")
        try:
            report = verify_history(
                connection,
                logs,
                key,
                checkpoints.interval(app),
                now,
                grace_seconds(app),
            )
        finally:
            connection.rollback()
    return report, time.perf_counter() - started


def grace_seconds(app) -> float:
    """How long after its commit a transaction may still lack a signed line."""
    value = app.config.get("CHECKPOINT_GRACE_SECONDS")
    return GRACE_SECONDS if value is None else float(value)


def summary_lines(report: Report, per_kind: int = 20) -> list[str]:
    """The problems as the command prints them: at most `per_kind` of each kind."""
    lines, shown = [], {}
    for problem in report.problems:
        shown[problem.kind] = shown.get(problem.kind, 0) + 1
        if shown[problem.kind] <= per_kind:
            lines.append(str(problem))
    hidden = report.problem_count - len(lines)
    if hidden > 0:
        lines.append(f"… and {hidden} more problems")
    return lines


def record_verification(
    report: Report, seconds: float, source: str, user_id: int | None = None
) -> IntegrityCheck:
    """Store the result of a verification (flushes; the caller commits)."""
    check = IntegrityCheck(
        ok=report.ok,
        source=source,
        user_id=user_id,
        transactions=report.transactions,
        version_rows=report.version_rows,
        checkpoints=report.checkpoints,
        problems=report.problem_count,
        head_transaction_id=report.head_id,
        duration_ms=round(seconds * 1000),
        summary="\n".join(summary_lines(report, per_kind=3)[:SUMMARY_LINES]) or None,
    )
    db.session.add(check)
    db.session.flush()
    return check


def latest_verification() -> IntegrityCheck | None:
    return db.session.scalars(
        select(IntegrityCheck).order_by(IntegrityCheck.id.desc()).limit(1)
    ).first()


@dataclass(frozen=True)
class CheckpointStatus:
    path: Path
    checkpoint: checkpoints.Checkpoint | None
    signature_valid: bool
    problem: str | None  # why there is none ("missing", "empty", "no key"), or why its
    # signature fails

    @property
    def written_at(self) -> datetime | None:
        """When it was written (naive UTC, like every time the pages show)."""
        if self.checkpoint is None:
            return None
        try:
            return datetime.strptime(self.checkpoint.time, "%Y-%m-%dT%H:%M:%S.%fZ")
        except ValueError:
            return None


def latest_checkpoint_status() -> CheckpointStatus:
    """The app log's last line and whether its signature holds under the app's key."""
    app = current_app._get_current_object()
    path = checkpoints.log_path(app)
    try:
        key = checkpoints.app_public_key(app)
        checkpoint, valid, problem = checkpoints.last_checkpoint(path, key)
    except FileNotFoundError:
        return CheckpointStatus(path, None, False, "missing")
    except (OSError, checkpoints.CheckpointError, ValueError) as error:
        return CheckpointStatus(path, None, False, str(error))
    return CheckpointStatus(path, checkpoint, valid, problem)
