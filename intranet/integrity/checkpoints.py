"""Signed checkpoints of the hash chain's head, kept outside the database.

Anyone who can write the database can also delete the newest transactions or rewrite the
chain from some point on and recompute every hash: the chain alone cannot tell. A checkpoint
is a line appended to a log file that does not live in the database (and optionally sent to
syslog): the head transaction's id, its chain hash, the number of transactions up to it, the
time, the digest of the log's previous line and an Ed25519 signature over all of it. The
verifier compares every checkpoint it can read with the chain (see intranet.integrity.verify).

When: after every commit that wrote a history transaction (CHECKPOINT_INTERVAL_SECONDS = 0),
or at most every N seconds, with one deferred write for the commits in between. The line is
written after the commit, never inside the transaction, and a failure only logs: a user's
save never fails because of the log.

The deferred write has no thread or timer of its own: it is written in-line by whoever in
the process comes first once the interval has passed: the next commit (its own line names
the deferred transactions too), the end of the next request or app context
(`write_due`, hooked by intranet.integrity.init_app), and at the latest when the process
exits (`write_pending`, atexit: a gunicorn worker's graceful exit, the end of a CLI
command). A quiet worker therefore leaves its last batch unnamed until one of those; verify
reports such transactions as pending within the interval plus CHECKPOINT_GRACE_SECONDS and
as a gap after it, so a deployment with an interval should have each worker see a request
within that time (frequent health checks make that likely, not certain) until a job
runner writes due lines on its own.

Writers of one file take an exclusive lock on it, so several worker processes of one host
can share a log (several hosts: one log each).
"""

import atexit
import base64
import fcntl
import hashlib
import json
import logging
import logging.handlers
import os
import threading
import time
import weakref
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from flask import Flask, current_app, has_app_context
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intranet.core import clock

GENESIS = "0" * 64
SYSLOG_TAG = "handlingsplan-checkpoint: "
_TAIL_CHUNK = 4096
_log = logging.getLogger(__name__)


class CheckpointError(Exception):
    """A checkpoint or key that cannot be read or written; the message says why."""


# --- keys ------------------------------------------------------------------------------


def load_or_create_key(path: str | Path) -> Ed25519PrivateKey:
    """The signing key at `path`, created (mode 0600) when there is none yet."""
    path = Path(path)
    try:
        return _read_private_key(path)
    except FileNotFoundError:
        pass
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: of several workers starting at once, exactly one creates the key.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        time.sleep(0.05)
        return _read_private_key(path)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    return key


def _read_private_key(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise CheckpointError(f"{path} does not hold an Ed25519 private key.")
    return key


def load_public_key(path: str | Path) -> Ed25519PublicKey:
    """An auditor's copy of the public key (PEM, as `flask audit public-key` prints it)."""
    key = serialization.load_pem_public_key(Path(path).read_bytes())
    if not isinstance(key, Ed25519PublicKey):
        raise CheckpointError(f"{path} does not hold an Ed25519 public key.")
    return key


def public_key_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def fingerprint(key: Ed25519PublicKey) -> str:
    """SHA-256 of the raw public key, in hex: what an auditor configures as the trusted
    key (CHECKPOINT_TRUSTED_FINGERPRINT) and compares by eye."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def normal_fingerprint(text: str | None) -> str:
    """A configured fingerprint as `fingerprint` writes it (colons, spaces and case aside)."""
    return "".join(ch for ch in (text or "").lower() if ch in "0123456789abcdef")


def key_id(key: Ed25519PublicKey) -> str:
    """A short fingerprint naming the key a line was signed with (for key changes)."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


# --- lines -----------------------------------------------------------------------------


def _signed_bytes(payload: dict) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("utf-8")


def line_digest(line: bytes) -> str:
    """What the next line names as its predecessor: sha256 of the line without its newline."""
    return hashlib.sha256(line.rstrip(b"\n")).hexdigest()


def make_line(key: Ed25519PrivateKey, payload: dict) -> bytes:
    signature = base64.b64encode(key.sign(_signed_bytes(payload))).decode("ascii")
    return _signed_bytes({**payload, "signature": signature}) + b"\n"


@dataclass(frozen=True)
class Checkpoint:
    line_no: int
    transaction_id: int
    head: str
    count: int
    time: str
    previous: str
    key: str
    digest: str  # of this line, for the next one
    # The transactions this line vouches for, as (first id, last id, chain hash of the last):
    # the ones the writing process committed itself. None for a line written before lines
    # named them (it vouched for every transaction up to its head); () for a line that only
    # records the head it saw (`flask audit checkpoint`) and vouches for nothing.
    covers: tuple[tuple[int, int, str], ...] | None = None
    # A sign-in: (user id, the credential digest the password was checked against, the
    # digest of the user's authorization then or None).
    sign_in: tuple | None = None
    # (transaction id, author, authorization digest) of the transactions it names.
    authors: tuple = ()


class BadLine(Exception):
    """A line that is no valid checkpoint; `checkpoint` holds what it claims, when legible."""

    def __init__(self, reason: str, checkpoint: "Checkpoint | None" = None):
        super().__init__(reason)
        self.checkpoint = checkpoint


def parse_line(text: str, line_no: int, public_key: Ed25519PublicKey) -> Checkpoint:
    """One line of a checkpoint log (or of a syslog copy: text before the JSON is ignored).

    Raises BadLine with the reason when it is not a checkpoint or its signature fails."""
    start = text.find("{")
    if start < 0:
        raise BadLine("not a checkpoint")
    body = text[start:].rstrip("\n")
    try:
        data = json.loads(body)
        signature = base64.b64decode(data.pop("signature"), validate=True)
        payload = dict(data)
        checkpoint = Checkpoint(
            line_no=line_no,
            transaction_id=int(data["transaction_id"]),
            head=str(data["head"]),
            count=int(data["count"]),
            time=str(data["time"]),
            previous=str(data["previous"]),
            key=str(data.get("key", "")),
            digest=line_digest(body.encode("utf-8")),
            covers=_read_covers(data.get("covers")),
            sign_in=_read_sign_in(data.get("sign_in")),
            authors=tuple(
                (int(tx), int(user), str(digest)) for tx, user, digest in data.get("authors", ())
            ),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise BadLine(f"unreadable ({error.__class__.__name__})") from None
    try:
        public_key.verify(signature, _signed_bytes(payload))
    except InvalidSignature:
        if checkpoint.key and checkpoint.key != key_id(public_key):
            raise BadLine(f"signed with another key ({checkpoint.key})", checkpoint) from None
        raise BadLine("signature does not match (the line was changed)", checkpoint) from None
    return checkpoint


def _read_covers(value) -> tuple | None:
    if value is None:
        return None
    covers = tuple((int(first), int(last), str(head)) for first, last, head in value)
    if any(first > last for first, last, _ in covers):
        raise ValueError("a range that ends before it starts")
    return covers


def _read_sign_in(value) -> tuple[int, str] | None:
    if value is None:
        return None
    authorization = value.get("authorization")
    return int(value["user"]), str(value["credential"]), authorization


def ranges(committed) -> list[list]:
    """(id, chain hash) pairs as [first id, last id, hash of the last] for each run of
    consecutive ids: the last hash fixes the content of the whole run through the chain."""
    result: list[list] = []
    for transaction_id, head in sorted(committed):
        if result and result[-1][1] + 1 == transaction_id:
            result[-1][1:] = [transaction_id, head]
        else:
            result.append([transaction_id, transaction_id, head])
    return result


def _last_line(descriptor: int) -> bytes:
    """The file's last line without its newline (b"" for an empty file); a line cut short
    by a crash counts as the last line."""
    position = os.fstat(descriptor).st_size
    data = b""
    while position > 0:
        start = max(0, position - _TAIL_CHUNK)
        data = os.pread(descriptor, position - start, start) + data
        position = start
        body = data[:-1] if data.endswith(b"\n") else data
        cut = body.rfind(b"\n")
        if cut >= 0:
            return body[cut + 1 :]
    return data[:-1] if data.endswith(b"\n") else data


def append(path: str | Path, key: Ed25519PrivateKey, values: dict) -> bytes:
    """Append one signed line after the log's last line, under an exclusive file lock."""
    path = Path(path)
    descriptor = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        last = _last_line(descriptor)
        prefix = b""
        if last and os.pread(descriptor, 1, os.fstat(descriptor).st_size - 1) != b"\n":
            prefix = b"\n"  # a line cut short by a crash stays a line of its own
        payload = {
            **values,
            "previous": line_digest(last) if last else GENESIS,
            "key": key_id(key.public_key()),
        }
        line = make_line(key, payload)
        os.write(descriptor, prefix + line)
        return line
    finally:
        os.close(descriptor)  # releases the lock


def read_log(path: str | Path, public_key: Ed25519PublicKey):
    """Every line of a log: yields (line_no, Checkpoint or None, problem text or None).

    A line whose predecessor digest does not match the line before it is still yielded as
    a checkpoint (its own signature holds) with the problem that a line before it was
    deleted or changed."""
    previous = GENESIS
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line_no, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                checkpoint = parse_line(text, line_no, public_key)
            except BadLine as error:
                yield line_no, None, str(error)
                previous = line_digest(text[max(text.find("{"), 0) :].encode("utf-8"))
                continue
            problem = None
            if checkpoint.previous != previous:
                problem = "does not follow the line before it (a line was deleted or changed)"
            previous = checkpoint.digest
            yield line_no, checkpoint, problem


def last_checkpoint(path: str | Path, public_key: Ed25519PublicKey | None):
    """The log's last line: (Checkpoint or None, signature valid, problem or None)."""
    descriptor = os.open(Path(path), os.O_RDONLY)
    try:
        last = _last_line(descriptor)
    finally:
        os.close(descriptor)
    if not last.strip():
        return None, False, "empty"
    if public_key is None:
        return None, False, "no key"
    try:
        return parse_line(last.decode("utf-8", errors="replace"), 0, public_key), True, None
    except BadLine as error:
        return error.checkpoint, False, str(error)


def newest_vouched(path: str | Path, public_key: Ed25519PublicKey, tail: int = 1 << 20):
    """The newest transaction a validly signed line of the log's last `tail` bytes vouches
    for (names in its covers): (Checkpoint of that line, transaction id, its chain hash), or
    None. A line's head is only what it saw: a sign-in or `audit checkpoint` line vouches for
    nothing, so it never counts here."""
    with open(path, "rb") as handle:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        handle.seek(max(0, size - tail))
        data = handle.read()
    lines = data.split(b"\n")
    if size > tail:
        lines = lines[1:]  # the first may be cut
    best = None
    for text in lines:
        if not text.strip():
            continue
        try:
            checkpoint = parse_line(text.decode("utf-8", errors="replace"), 0, public_key)
        except BadLine:
            continue
        if checkpoint.covers is None:  # older lines vouched for everything up to the head
            candidates = [(checkpoint.transaction_id, checkpoint.head)]
        else:
            candidates = [(last, head) for _, last, head in checkpoint.covers]
        for transaction_id, head in candidates:
            if best is None or transaction_id > best[1]:
                best = (checkpoint, transaction_id, head)
    return best


# --- the application's checkpoints ---------------------------------------------------


TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def now_text() -> str:
    return clock.utc_now().strftime(TIME_FORMAT)


def parse_time(text: str) -> datetime | None:
    """A line's time as naive UTC (like issued_at), or None when it is not one."""
    try:
        return datetime.strptime(text, TIME_FORMAT)
    except ValueError:
        return None


@dataclass
class _State:
    """Per application: the last (transaction id, count) this process checkpointed, so the
    count is one indexed range count (or none) instead of a count of the whole table."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    counted: tuple[int, int] | None = None
    last_written: float = 0.0
    # (id, chain hash) of transactions this process committed that no line names yet.
    pending: list = field(default_factory=list)
    pending_authors: list = field(default_factory=list)
    keys: dict = field(default_factory=dict)
    syslog: logging.Logger | None = None


def _state(app: Flask) -> _State:
    return app.extensions.setdefault("checkpoints", _State())


def reset(app: Flask) -> None:
    """Forget what this process knew (tests empty the database between tests)."""
    app.extensions["checkpoints"] = _State()


def log_path(app: Flask) -> Path:
    return Path(app.config.get("CHECKPOINT_LOG") or Path(app.instance_path) / "checkpoints.log")


def key_path(app: Flask) -> Path:
    return Path(app.config.get("CHECKPOINT_KEY") or Path(app.instance_path) / "checkpoint-key.pem")


def signing_key(app: Flask) -> Ed25519PrivateKey:
    state = _state(app)
    path = key_path(app)
    key = state.keys.get(path)
    if key is None:
        key = state.keys[path] = load_or_create_key(path)
    return key


def app_public_key(app: Flask) -> Ed25519PublicKey | None:
    """The app's public key, or None when it has no key yet (verify never creates one)."""
    path = key_path(app)
    if not path.exists():
        return None
    return signing_key(app).public_key()


def interval(app: Flask) -> float:
    return float(app.config.get("CHECKPOINT_INTERVAL_SECONDS") or 0)


def _count_up_to(connection, state: _State, transaction_id: int) -> int:
    from intranet.models import Transaction

    table = Transaction.__table__
    if state.counted is not None and state.counted[0] < transaction_id:
        since, count = state.counted
        added = connection.scalar(
            select(func.count())
            .select_from(table)
            .where(table.c.id > since, table.c.id <= transaction_id)
        )
        return count + added
    return connection.scalar(
        select(func.count()).select_from(table).where(table.c.id <= transaction_id)
    )


def prepare(session: Session, connection, committed: list[tuple[int, str]], authors=()) -> None:
    """Called by the chain just before commit, in the transaction, with the (id, chain
    hash) of each transaction this commit chains, newest last.

    Counts the transactions up to the newest (one indexed range count; the whole table once
    per process) while the chain lock still guarantees that every lower id is committed,
    and leaves the line to be written after the commit. With an interval, a commit inside
    it only joins the deferred write."""
    if not has_app_context():
        return
    app = current_app._get_current_object()
    state = _state(app)
    with state.lock:
        if not _due(app, state):
            session.info["checkpoint"] = {"deferred": committed, "authors": list(authors)}
            return
        transaction_id, head = committed[-1]
        count = _count_up_to(connection, state, transaction_id)
        state.counted = (transaction_id, count)
    session.info["checkpoint"] = {
        "committed": committed,
        "values": {"transaction_id": transaction_id, "head": head, "count": count},
        "authors": list(authors),
    }


def write(app: Flask, values: dict, committed=(), authors=()) -> bytes:
    """Sign and append one checkpoint to the log (and syslog when configured).

    The line names the transactions in `committed` and those of this process that an
    earlier line failed to name: only the process that committed a transaction vouches for
    it, never one that merely saw it in the database."""
    state = _state(app)
    with state.lock:
        named = [*state.pending, *committed]
        named_authors = [*state.pending_authors, *authors]
        state.pending, state.pending_authors = [], []
    payload = {**values, "covers": values.get("covers", []) + ranges(named), "time": now_text()}
    if named_authors:
        # [transaction id, its author, digest of the authorization the request ran with]
        payload["authors"] = sorted(named_authors)
    try:
        line = append(log_path(app), signing_key(app), payload)
    except BaseException:
        with state.lock:
            # Named by the next line this process manages to write.
            state.pending[:0] = named
            state.pending_authors[:0] = named_authors
        raise
    state.last_written = time.monotonic()
    if app.config.get("CHECKPOINT_SYSLOG"):
        _syslog(app).info("%s%s", SYSLOG_TAG, line.decode("utf-8").rstrip("\n"))
    return line


def write_committed(app: Flask, committed: list[tuple[int, str]]) -> bytes | None:
    """A checkpoint naming transactions this process has committed (the deferred write of
    an interval; a bulk writer's batch)."""
    from intranet.extensions import db

    state = _state(app)
    with state.lock:
        newest = max([*state.pending, *committed], default=None)
    if newest is None:
        return None
    with db.engine.connect() as connection:
        with state.lock:
            count = _count_up_to(connection, state, newest[0])
            state.counted = (newest[0], count)
        connection.rollback()
    return write(app, {"transaction_id": newest[0], "head": newest[1], "count": count}, committed)


def _syslog(app: Flask) -> logging.Logger:
    state = _state(app)
    if state.syslog is None:
        address = app.config.get("CHECKPOINT_SYSLOG_ADDRESS") or (
            "/dev/log" if os.path.exists("/dev/log") else "localhost:514"
        )
        if not address.startswith("/"):
            host, _, port = address.rpartition(":")
            address = (host or "localhost", int(port))
        logger = logging.getLogger(f"{__name__}.syslog.{id(app)}")
        logger.propagate = False
        logger.setLevel(logging.INFO)
        handler = logging.handlers.SysLogHandler(address=address)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        state.syslog = logger
    return state.syslog


def write_head(app: Flask, extra: dict | None = None) -> bytes | None:
    """A checkpoint of the database's current head, on demand. It records what the head
    was (so that deleting transactions or restoring an older backup shows) but vouches for
    no transaction: it was not committed by this process, and a forger may have added it."""
    from intranet.extensions import db
    from intranet.models import Transaction

    table = Transaction.__table__
    with db.engine.connect() as connection:
        head = connection.execute(
            select(table.c.id, table.c.chain_hash).order_by(table.c.id.desc()).limit(1)
        ).first()
        if head is None:
            return None
        state = _state(app)
        with state.lock:
            count = _count_up_to(connection, state, head.id)
            state.counted = (head.id, count)
        connection.rollback()
    values = {"transaction_id": head.id, "head": head.chain_hash, "count": count}
    return write(app, {**values, **(extra or {})})


def adopt_existing(app: Flask) -> bytes | None:
    """Vouch for every transaction there is: an operator's decision at an upgrade, the one
    line that names transactions this process did not commit."""
    from intranet.extensions import db
    from intranet.models import Transaction

    table = Transaction.__table__
    with db.engine.connect() as connection:
        first = connection.scalar(select(func.min(table.c.id)))
        head = connection.execute(
            select(table.c.id, table.c.chain_hash).order_by(table.c.id.desc()).limit(1)
        ).first()
        connection.rollback()
    if head is None:
        return None
    return write_head(app, {"covers": [[first, head.id, head.chain_hash]]})


def write_sign_in(
    app: Flask, user_id: int, credential: str, authorization: str | None = None
) -> None:
    """Sign that this user signed in with the credential of this digest, so that a hash
    swapped in for the sign-in and swapped back afterwards is still caught by verify; a
    failure only logs, like every checkpoint."""
    try:
        sign_in = {"user": user_id, "credential": credential}
        if authorization is not None:
            sign_in["authorization"] = authorization
        write_head(app, {"sign_in": sign_in})
    except Exception as error:  # noqa: BLE001  (never fail the sign-in because of the log)
        _report_failure(app, error)


def _report_failure(app: Flask, error: Exception) -> None:
    # The request id is added to the line by the app logger's filter (intranet.web.security).
    app.logger.error(
        "Checkpoint not written to %s: %s: %s", log_path(app), type(error).__name__, error
    )


def _due(app: Flask, state: _State) -> bool:
    return interval(app) <= 0 or time.monotonic() - state.last_written >= interval(app)


def write_due(app: Flask) -> None:
    """Write the deferred line of an interval once the interval has passed (at the end of a
    request or app context); nothing when nothing waits or the interval still runs. A
    failure only logs."""
    state = app.extensions.get("checkpoints")
    if state is None or not state.pending:
        return
    with state.lock:
        if not state.pending or not _due(app, state):
            return
    try:
        write_committed(app, [])
    except Exception as error:  # noqa: BLE001  (the request's work is done: never fail it)
        _report_failure(app, error)


def write_pending(app: Flask) -> None:
    """Write the deferred line now, due or not: the process is about to exit, and no other
    process may vouch for what this one committed."""
    state = app.extensions.get("checkpoints")
    if state is None or not state.pending:
        return
    try:
        with app.app_context():
            write_committed(app, [])
    except Exception as error:  # noqa: BLE001  (at exit: report, never raise)
        _report_failure(app, error)


# Every app of this process that deferred a line, for the exit.
_deferring: "weakref.WeakSet[Flask]" = weakref.WeakSet()


@atexit.register
def _write_pending_at_exit() -> None:
    for app in list(_deferring):
        write_pending(app)


def write_after_commit(session):
    """After commit: write the line `prepare` left, or add the commit to the deferred one."""
    pending = session.info.pop("checkpoint", None)
    if pending is None or not has_app_context():
        return
    app = current_app._get_current_object()
    try:
        if "deferred" in pending:
            state = _state(app)
            with state.lock:
                state.pending.extend(pending["deferred"])
                state.pending_authors.extend(pending.get("authors", ()))
            _deferring.add(app)
        else:
            write(app, pending["values"], pending["committed"], pending.get("authors", ()))
    except Exception as error:  # noqa: BLE001  (the save is committed: never fail it now)
        _report_failure(app, error)


def forget_after_rollback(session):
    """After rollback: nothing was committed, so nothing is to be named."""
    session.info.pop("checkpoint", None)
