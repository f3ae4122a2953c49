"""Running the verification with the application's configuration, recording its result, and
what the integrity page shows (the last verification, the latest checkpoint, the key).

"Verify now" runs one verification at a time across every worker and server (a lease row
claimed by a conditional UPDATE, expiring by itself if its holder dies), never in the
request's time (a thread of its own that outlives the request), and at most once per
VERIFY_NOW_MINUTES per user. A job runner will take the place of `_launch` later."""

import base64
import json
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from flask import Flask, current_app
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from intranet.core.clock import utc_now
from intranet.extensions import db
from intranet.integrity import checkpoints
from intranet.integrity.verify import GRACE_SECONDS, UNTRUSTED_KEY, Problem, Report, verify_history
from intranet.models import IntegrityCheck, IntegrityLease

VERIFY_LEASE = "verify"

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
    if public_key is None:
        # Without an auditor's copy, the app's own key is only worth what the configured
        # fingerprint says: a replaced key with a re-signed log verifies under itself.
        status = key_status(app)
        if status.trusted is False:
            report.add(
                Problem(
                    UNTRUSTED_KEY,
                    f"the checkpoints are signed with key {status.fingerprint}, not the "
                    f"trusted {status.configured} (CHECKPOINT_TRUSTED_FINGERPRINT): the key "
                    "was replaced and the log may have been signed again",
                )
            )
    return report, time.perf_counter() - started


@dataclass(frozen=True)
class KeyStatus:
    fingerprint: str | None  # of the key the app signs (and checks) the log with
    configured: str | None  # CHECKPOINT_TRUSTED_FINGERPRINT

    @property
    def trusted(self) -> bool | None:
        """True or False, None when there is nothing to compare."""
        if not self.configured or not self.fingerprint:
            return None
        return self.fingerprint == self.configured


def key_status(app: Flask) -> KeyStatus:
    configured = checkpoints.normal_fingerprint(app.config.get("CHECKPOINT_TRUSTED_FINGERPRINT"))
    try:
        key = checkpoints.app_public_key(app)
    except (OSError, ValueError, checkpoints.CheckpointError):
        key = None
    return KeyStatus(checkpoints.fingerprint(key) if key else None, configured or None)


def grace_seconds(app) -> float:
    """How long after its commit a transaction may still lack a signed line."""
    value = app.config.get("CHECKPOINT_GRACE_SECONDS")
    return GRACE_SECONDS if value is None else float(value)


def pending_text(report: Report, most: int = 20) -> str:
    """The transactions no signed line names yet but still inside the grace window: not a
    finding now, one at the next verification unless a line names them by then."""
    ids = ", ".join(str(i) for i in report.pending_ids[:most])
    more = f" and {len(report.pending_ids) - most} more" if len(report.pending_ids) > most else ""
    return (
        f"{report.pending} transactions not yet named by a signed checkpoint, within the "
        f"grace window (verify again later): {ids}{more}"
    )


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
    summary = "\n".join(summary_lines(report, per_kind=3)[:SUMMARY_LINES])
    for path in report.logs:
        # The page shows the summary: no server paths there.
        summary = summary.replace(str(path), path.name)
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
        summary=summary or None,
        pending=",".join(str(i) for i in report.pending_ids) or None,
    )
    db.session.add(check)
    db.session.flush()
    try:
        key = checkpoints.signing_key(current_app._get_current_object())
        check.signature = base64.b64encode(key.sign(_signed_result(check))).decode("ascii")
    except (OSError, ValueError, checkpoints.CheckpointError) as error:
        # Recorded unsigned: the page then shows it as a result it cannot vouch for.
        current_app.logger.error("Verification result not signed: %s", type(error).__name__)
    return check


def _signed_result(check: IntegrityCheck) -> bytes:
    """What the signature covers: every field the page shows, and the row's id and time so
    that an old result copied into a new row does not verify."""
    values = {
        "id": check.id,
        "checked_at": check.checked_at.isoformat() if check.checked_at else None,
        "ok": bool(check.ok),
        "source": check.source,
        "user_id": check.user_id,
        "transactions": check.transactions,
        "version_rows": check.version_rows,
        "checkpoints": check.checkpoints,
        "problems": check.problems,
        "head_transaction_id": check.head_transaction_id,
        "duration_ms": check.duration_ms,
        "summary": check.summary,
        "pending": check.pending,
    }
    return json.dumps(values, sort_keys=True, separators=(",", ":")).encode("utf-8")


def result_signed(check: IntegrityCheck) -> bool:
    """Whether the result carries a valid signature of the app's checkpoint key."""
    if not check.signature:
        return False
    try:
        key = checkpoints.app_public_key(current_app._get_current_object())
        if key is None:
            return False
        key.verify(base64.b64decode(check.signature, validate=True), _signed_result(check))
    except (InvalidSignature, ValueError, OSError, checkpoints.CheckpointError):
        return False
    return True


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
    # The newest transaction a signed line vouches for: (its line, id, chain hash) or None.
    vouched: tuple | None = None

    @property
    def written_at(self) -> datetime | None:
        """When the line vouching for the newest transaction was written (naive UTC, like
        every time the pages show)."""
        line = self.vouched[0] if self.vouched else self.checkpoint
        return checkpoints.parse_time(line.time) if line is not None else None


def latest_checkpoint_status() -> CheckpointStatus:
    """The app log's last line and whether its signature holds under the app's key."""
    app = current_app._get_current_object()
    path = checkpoints.log_path(app)
    try:
        key = checkpoints.app_public_key(app)
        checkpoint, valid, problem = checkpoints.last_checkpoint(path, key)
    except FileNotFoundError:
        return CheckpointStatus(path, None, False, "missing")
    except OSError as error:
        # strerror, not str(error): that names the file, and the page shows no server paths.
        return CheckpointStatus(path, None, False, error.strerror or type(error).__name__)
    except (checkpoints.CheckpointError, ValueError) as error:
        return CheckpointStatus(path, None, False, type(error).__name__)
    vouched = None
    if key is not None:
        try:
            vouched = checkpoints.newest_vouched(path, key)
        except OSError:
            vouched = None
    return CheckpointStatus(path, checkpoint, valid, problem, vouched)


# --- "verify now" -----------------------------------------------------------------------


@dataclass(frozen=True)
class Start:
    """What pressing "verify now" did: "started", "running" (someone's is) or "too_soon"."""

    outcome: str
    lease: IntegrityLease | None = None
    minutes: int = 0


def _minutes(app: Flask, name: str, default: float) -> float:
    value = app.config.get(name)
    return default if value is None else float(value)


def running_verification() -> IntegrityLease | None:
    """The verification in progress (its lease), if any."""
    return db.session.scalar(
        select(IntegrityLease).where(
            IntegrityLease.name == VERIFY_LEASE, IntegrityLease.expires_at > utc_now()
        )
    )


def minutes_until_allowed(user) -> int:
    """Minutes until `user` may start another verification (0: now)."""
    every = _minutes(current_app._get_current_object(), "VERIFY_NOW_MINUTES", 10)
    since = utc_now() - timedelta(minutes=every)
    latest = db.session.scalar(
        select(IntegrityCheck.checked_at)
        .where(
            IntegrityCheck.source == "web",
            IntegrityCheck.user_id == user.id,
            IntegrityCheck.checked_at > since,
        )
        .order_by(IntegrityCheck.checked_at.desc())
        .limit(1)
    )
    if latest is None:
        return 0
    left = latest + timedelta(minutes=every) - utc_now()
    return max(1, -(-int(left.total_seconds()) // 60))


def start_verification(user) -> Start:
    """Start a verification for `user` unless one runs or the user started one too lately."""
    app = current_app._get_current_object()
    running = running_verification()
    if running is not None:
        return Start("running", running)
    wait = minutes_until_allowed(user)
    if wait:
        return Start("too_soon", minutes=wait)
    started = _claim(app, user.id)
    if started is None:
        return Start("running", running_verification())
    _launch(app, user.id, started)
    return Start("started", running_verification())


def _claim(app: Flask, user_id: int) -> datetime | None:
    """Take the lease in a transaction of its own (committed at once, so every worker sees
    it); the start time names this holder, or None when another holds it."""
    table = IntegrityLease.__table__
    try:
        with db.engine.begin() as connection:
            connection.execute(table.insert().values(name=VERIFY_LEASE))
    except IntegrityError:
        pass  # there already
    now = utc_now()
    expires = now + timedelta(seconds=_minutes(app, "VERIFY_LEASE_SECONDS", 3600))
    with db.engine.begin() as connection:
        claimed = connection.execute(
            update(table)
            .where(
                table.c.name == VERIFY_LEASE,
                or_(table.c.expires_at.is_(None), table.c.expires_at <= now),
            )
            .values(user_id=user_id, started_at=now, expires_at=expires)
        ).rowcount
    return now if claimed == 1 else None


def _release(started: datetime) -> None:
    table = IntegrityLease.__table__
    with db.engine.begin() as connection:
        connection.execute(
            update(table)
            .where(table.c.name == VERIFY_LEASE, table.c.started_at == started)
            .values(expires_at=None)
        )


def _launch(app: Flask, user_id: int, started: datetime) -> threading.Thread:
    """Run the verification in a thread of its own, which outlives the request.

    A background job, not a timer: it runs once, now, for a user who asked. It stays a
    thread until a job runner gives such jobs a home (that work replaces it); checkpoints
    no longer use threads at all (see checkpoints.write_due)."""

    def verification():
        with app.app_context():
            try:
                report, seconds = run_verification()
                record_verification(report, seconds, "web", user_id)
                db.session.commit()
            except Exception:  # noqa: BLE001  (a thread: log it, never lose the lease)
                app.logger.exception("The verification started from the web failed")
                db.session.rollback()
            finally:
                db.session.remove()
                _release(started)

    thread = threading.Thread(target=verification, name="verify-now", daemon=True)
    app.extensions["verification_thread"] = thread
    thread.start()
    return thread
