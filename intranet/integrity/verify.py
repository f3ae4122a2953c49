"""Verification of the history against everything it implies, and against the checkpoints.

1. The hash chain: every transaction's chain_hash is recomputed from its row and its version
   rows and the stored hash before it (link by link, so that each broken link is named).
2. What the chain does not hash but the history implies, per record of every versioned
   table: each version's end_transaction_id is the transaction of the record's next version
   (NULL for the last); operation types run insert, update …, delete (and insert again after
   a delete: links are removed and added back; an insert is never preceded by a version that
   left the record in place); the current row equals its latest version in
   every column the two tables share; a current row without a version, a latest version that
   is not a delete without its current row, and a current row whose latest version deletes
   it are reported.
3. Every signed checkpoint that can be read (intranet.integrity.checkpoints): its signature and
   its link to the line before it; that its transaction exists (a checkpoint beyond the newest
   transaction means the database is behind the checkpoint log: truncated, or restored from
   an older backup), with the same chain hash (else the chain was rewritten) and the same
   number of transactions up to it. Every transaction must be vouched for by a signed line
   of the process that committed it (the line names its id, or a run of ids with the hash of
   the last): one that no line names is a forgery, or a commit whose line could not be
   written; only those issued within the interval plus CHECKPOINT_GRACE_SECONDS before the
   verification are reported as pending instead. Lines written before lines named their
   transactions vouch for every transaction up to their head.
4. issued_at never decreases as transaction ids rise (a backdated transaction shows).

Everything streams: transactions in keyset batches with their version rows, each version
table and its current table as two cursors in key order merged record by record. Memory
holds one batch, one record's versions and the checkpoints read from the logs.
"""

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import groupby
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy_continuum import version_class as version_class_of
from sqlalchemy_continuum import versioning_manager

from intranet.core.clock import utc_now
from intranet.integrity import checkpoints
from intranet.integrity.authorization import authorization_digest
from intranet.integrity.chain import (
    GENESIS,
    canonical_content,
    next_hash,
    version_item,
    version_tables,
)
from intranet.models import Membership, Transaction, User
from intranet.models.accounts import credential_digest

BATCH = 2_000
MAX_PROBLEMS = 1_000
# Commits in flight while verify runs, and the deferred write of an interval, are not gaps.
GRACE_SECONDS = 60
# How far an app server's clock may run ahead of the verifier's: a transaction dated later
# than that was not committed yet when verify ran, so its date is forged.
CLOCK_SKEW_SECONDS = 5
INSERT, UPDATE, DELETE = 0, 1, 2
OPERATION_NAMES = {INSERT: "insert", UPDATE: "update", DELETE: "delete"}
CONTINUUM_COLUMNS = frozenset({"transaction_id", "end_transaction_id", "operation_type"})

# Problem kinds, each reported distinctly.
HASH = "hash"
ORPHAN = "orphan"
VALIDITY = "validity"
OPERATION = "operation"
CURRENT = "current"
CURRENT_MISSING = "current_missing"
UNVERSIONED = "unversioned"
LOG_MISSING = "log_missing"
NO_KEY = "no_key"
SIGNATURE = "checkpoint_signature"
LINK = "checkpoint_link"
BEHIND = "checkpoint_behind"
MISSING_TRANSACTION = "checkpoint_missing_transaction"
REWRITE = "checkpoint_rewrite"
COUNT = "checkpoint_count"
GAP = "checkpoint_gap"
ORDER = "issued_at_order"
CREDENTIAL = "credential"
UNTRUSTED_KEY = "untrusted_key"
FUTURE = "issued_at_future"
AUTHORIZATION = "authorization"


@dataclass(frozen=True)
class Problem:
    kind: str
    message: str
    table: str | None = None
    record: str | None = None
    column: str | None = None
    expected: object = None
    found: object = None
    transaction_id: int | None = None

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"


@dataclass
class Report:
    transactions: int = 0
    version_rows: int = 0
    current_rows: int = 0
    checkpoints: int = 0
    head_id: int | None = None
    head_hash: str = GENESIS
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    missing_logs: list[Path] = field(default_factory=list)
    # Transactions no line names yet, issued too recently to call that a problem.
    pending: int = 0
    pending_ids: list[int] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def kinds(self) -> set[str]:
        return {problem.kind for problem in self.problems}

    def of_kind(self, kind: str) -> list[Problem]:
        return [problem for problem in self.problems if problem.kind == kind]


def verify_history(
    connection,
    logs: list[Path] | None = None,
    public_key=None,
    interval_seconds: float = 0,
    now: datetime | None = None,
    grace_seconds: float = GRACE_SECONDS,
) -> Report:
    """Verify the chain, every record and every checkpoint in `logs` (none: no checkpoint
    checks). `now` (naive UTC) and the grace decide which unnamed transactions are still
    pending; tests pass it."""
    report = Report(logs=[Path(path) for path in logs or []])
    signed = _read_checkpoints(report, logs or [], public_key)
    coverage = None
    if logs:
        newest = now or utc_now()
        window = timedelta(seconds=interval_seconds + grace_seconds)
        # A forger controls issued_at: one dated after the verification (beyond a small
        # clock skew) is never pending, and is a finding of its own.
        coverage = _Coverage(
            signed, newest - window, newest + timedelta(seconds=CLOCK_SKEW_SECONDS)
        )
    _check_chain(connection, report, signed, coverage)
    _check_orphans(connection, report)
    for model, version_class in sorted(
        versioning_manager.version_class_map.items(), key=lambda item: item[0].__table__.name
    ):
        _check_records(connection, report, version_class.__table__, model.__table__)
    _check_credentials(connection, report)
    if logs:
        _check_sign_ins(connection, report, signed)
        _check_authorizations(connection, report, signed, grace_seconds)
        if report.transactions:
            for path in report.missing_logs:
                report.add(Problem(LOG_MISSING, f"checkpoint log {path} not found"))
        _check_unseen_checkpoints(report, signed)
    return report


# --- 1. the chain --------------------------------------------------------------------


class _Coverage:
    """Which transactions some signed line vouches for, asked in ascending id order; runs
    of those none does are reported as one problem each."""

    def __init__(self, signed: "_Signed", pending_since: datetime, pending_until: datetime):
        spans = sorted((first, last) for first, last, _, _ in signed.covers)
        self.spans: list[list[int]] = []
        for first, last in spans:
            if self.spans and first <= self.spans[-1][1] + 1:
                self.spans[-1][1] = max(self.spans[-1][1], last)
            else:
                self.spans.append([first, last])
        self.index = 0
        self.legacy_up_to = signed.legacy_up_to
        self.pending_since = pending_since
        self.pending_until = pending_until
        self.run: list = []  # first id, its issued_at, last id, count

    def covered(self, transaction_id: int) -> bool:
        if self.legacy_up_to is not None and transaction_id <= self.legacy_up_to:
            return True
        while self.index < len(self.spans) and self.spans[self.index][1] < transaction_id:
            self.index += 1
        return self.index < len(self.spans) and self.spans[self.index][0] <= transaction_id

    def see(self, report: Report, transaction_id: int, issued_at) -> None:
        if issued_at is not None and issued_at > self.pending_until:
            report.add(
                Problem(
                    FUTURE,
                    f"transaction {transaction_id} is dated {issued_at:%Y-%m-%d %H:%M:%S} "
                    f"UTC, later than this verification ({CLOCK_SKEW_SECONDS} s of clock "
                    "skew allowed): its date was forged",
                    "transaction",
                    str(transaction_id),
                    "issued_at",
                    found=issued_at,
                    transaction_id=transaction_id,
                )
            )
        if self.covered(transaction_id):
            self.close(report)
        elif issued_at is not None and self.pending_since <= issued_at <= self.pending_until:
            self.close(report)
            report.pending += 1
            report.pending_ids.append(transaction_id)
        elif self.run:
            self.run[2] = transaction_id
            self.run[3] += 1
        else:
            self.run = [transaction_id, issued_at, transaction_id, 1]

    def close(self, report: Report) -> None:
        if not self.run:
            return
        first, issued_at, last, count = self.run
        self.run = []
        ids = f"transaction {first}" if count == 1 else f"{count} transactions {first}–{last}"
        when = f"{issued_at:%Y-%m-%d %H:%M:%S} UTC" if issued_at else "an unknown time"
        report.add(
            Problem(
                GAP,
                f"gap: {ids} (from {when}) named by no signed checkpoint: not committed by "
                "the application (written into the database behind its back), or its "
                "checkpoint could not be written (see the application log) or was removed",
                "transaction",
                str(first),
                transaction_id=first,
            )
        )


def _check_chain(connection, report: Report, signed: "_Signed", coverage) -> None:
    table = Transaction.__table__
    tables = version_tables()
    by_transaction, cover_ends = signed.by_transaction, signed.cover_ends
    previous = GENESIS
    previous_issued = None
    last_id = None
    while True:
        query = select(table).order_by(table.c.id).limit(BATCH)
        if last_id is not None:
            query = query.where(table.c.id > last_id)
        rows = connection.execute(query).mappings().all()
        if not rows:
            break
        low, high = rows[0]["id"], rows[-1]["id"]
        items = defaultdict(list)
        for version_table in tables:
            result = connection.execute(
                select(version_table).where(version_table.c.transaction_id.between(low, high))
            ).mappings()
            for row in result:
                items[row["transaction_id"]].append(version_item(version_table, row))
        for row in rows:
            report.transactions += 1
            transaction_id, stored = row["id"], row["chain_hash"]
            expected = next_hash(previous, canonical_content(row, items.pop(transaction_id, [])))
            if stored != expected:
                reason = "not chained" if stored is None else "hash mismatch"
                report.add(
                    Problem(
                        HASH,
                        f"transaction {transaction_id} does not match the chain ({reason})",
                        "transaction",
                        str(transaction_id),
                        "chain_hash",
                        expected,
                        stored,
                        transaction_id,
                    )
                )
            issued_at = row["issued_at"]
            if previous_issued is not None and issued_at is not None:
                _check_order(report, previous_issued, transaction_id, issued_at)
            if issued_at is not None:
                previous_issued = (transaction_id, issued_at)
            for path, checkpoint in by_transaction.pop(transaction_id, ()):
                _compare_checkpoint(report, path, checkpoint, stored)
            for path, checkpoint, head in cover_ends.pop(transaction_id, ()):
                if head != stored:
                    _report_rewrite(report, path, checkpoint, transaction_id, head, stored)
            if coverage is not None:
                coverage.see(report, transaction_id, issued_at)
            # An unchained transaction is chained on as "" (see chain._previous_hash).
            previous = stored if stored is not None else ""
            report.head_id, report.head_hash = transaction_id, stored or ""
        last_id = high
    if coverage is not None:
        coverage.close(report)


def _check_order(report: Report, previous: tuple, transaction_id: int, issued_at) -> None:
    if issued_at >= previous[1]:
        return
    report.add(
        Problem(
            ORDER,
            f"transaction {transaction_id} was issued at {issued_at} UTC, before transaction "
            f"{previous[0]} ({previous[1]} UTC) ahead of it: ids are handed out in commit "
            "order, so it was backdated or written behind the application's back",
            "transaction",
            str(transaction_id),
            "issued_at",
            previous[1],
            issued_at,
            transaction_id,
        )
    )


def _check_orphans(connection, report: Report) -> None:
    """Version rows whose transaction row is gone (the chain alone would not notice when the
    deleted transaction was the newest)."""
    table = Transaction.__table__
    for version_table in version_tables():
        orphan = connection.execute(
            select(
                func.min(version_table.c.transaction_id), func.count(version_table.c.transaction_id)
            ).where(
                ~select(table.c.id).where(table.c.id == version_table.c.transaction_id).exists()
            )
        ).one()
        if orphan[1]:
            report.add(
                Problem(
                    ORPHAN,
                    f"transaction {orphan[0]} does not match the chain: {orphan[1]} rows of "
                    f"{version_table.name} belong to a transaction that is gone",
                    version_table.name,
                    column="transaction_id",
                    found=orphan[0],
                    transaction_id=orphan[0],
                )
            )


# --- 2. records ------------------------------------------------------------------------


def _check_records(connection, report: Report, version_table, current_table) -> None:
    key_names = [c.name for c in version_table.primary_key.columns if c.name != "transaction_id"]
    shared = [
        column.name
        for column in version_table.columns
        if column.name in current_table.c
        and column.name not in CONTINUUM_COLUMNS
        and column.name not in key_names
    ]
    streamed = {"stream_results": True, "max_row_buffer": BATCH}
    versions = connection.execute(
        select(version_table)
        .order_by(*(version_table.c[name] for name in key_names), version_table.c.transaction_id)
        .execution_options(**streamed)
    ).mappings()
    currents = connection.execute(
        select(*(current_table.c[name] for name in key_names + shared))
        .order_by(*(current_table.c[name] for name in key_names))
        .execution_options(**streamed)
    ).mappings()

    def key(row) -> tuple:
        return tuple(row[name] for name in key_names)

    name = current_table.name
    current = next(currents, None)
    for record_key, group in groupby(versions, key):
        record_versions = list(group)
        report.version_rows += len(record_versions)
        while current is not None and key(current) < record_key:
            report.add(_unversioned(name, current, key_names))
            report.current_rows += 1
            current = next(currents, None)
        row = None
        if current is not None and key(current) == record_key:
            row, current = current, next(currents, None)
            report.current_rows += 1
        problem = _first_version_problem(version_table.name, record_key, record_versions)
        if problem is None:
            problem = _compare_current(name, record_key, record_versions[-1], row, shared)
        if problem is not None:
            report.add(problem)
    while current is not None:
        report.add(_unversioned(name, current, key_names))
        report.current_rows += 1
        current = next(currents, None)


def _record_id(record_key: tuple) -> str:
    return "/".join(str(part) for part in record_key)


def _unversioned(table_name: str, row, key_names) -> Problem:
    record = _record_id(tuple(row[name] for name in key_names))
    return Problem(
        UNVERSIONED,
        f"{table_name} {record}: current row has no version in the history",
        table_name,
        record,
    )


def _first_version_problem(table_name: str, record_key: tuple, versions) -> Problem | None:
    record = _record_id(record_key)
    previous_operation = None
    for index, version in enumerate(versions):
        operation = version["operation_type"]
        transaction_id = version["transaction_id"]
        # Continuum records an insert that the same transaction changed again (after a
        # flush) as an update, and one it deleted again as a delete: so a record's first
        # version, and the first after a delete, may be any of the three. An insert never
        # follows a version that left the record in place.
        allowed = (
            (INSERT, UPDATE, DELETE) if previous_operation in (None, DELETE) else (UPDATE, DELETE)
        )
        if operation not in allowed:
            expected = " or ".join(OPERATION_NAMES[op] for op in allowed)
            found = OPERATION_NAMES.get(operation, repr(operation))
            return Problem(
                OPERATION,
                f"{table_name} {record}, version of transaction {transaction_id}: "
                f"operation_type expected {expected}, found {found}",
                table_name,
                record,
                "operation_type",
                expected,
                found,
                transaction_id,
            )
        following = versions[index + 1]["transaction_id"] if index + 1 < len(versions) else None
        if version["end_transaction_id"] != following:
            return Problem(
                VALIDITY,
                f"{table_name} {record}, version of transaction {transaction_id}: "
                f"end_transaction_id expected {following}, found {version['end_transaction_id']}",
                table_name,
                record,
                "end_transaction_id",
                following,
                version["end_transaction_id"],
                transaction_id,
            )
        previous_operation = operation
    return None


def _compare_current(table_name: str, record_key, latest, row, shared) -> Problem | None:
    record = _record_id(record_key)
    transaction_id = latest["transaction_id"]
    deleted = latest["operation_type"] == DELETE
    if row is None:
        if deleted:
            return None
        return Problem(
            CURRENT_MISSING,
            f"{table_name} {record}: the current row is gone, but its latest version "
            f"(transaction {transaction_id}) is not a delete",
            table_name,
            record,
            transaction_id=transaction_id,
        )
    if deleted:
        return Problem(
            CURRENT,
            f"{table_name} {record}: a current row exists, but its latest version "
            f"(transaction {transaction_id}) deletes it",
            table_name,
            record,
            transaction_id=transaction_id,
        )
    for column in shared:
        if latest[column] != row[column]:
            return Problem(
                CURRENT,
                f"{table_name} {record}: {column} expected {latest[column]!r} (the version of "
                f"transaction {transaction_id}), found {row[column]!r}",
                table_name,
                record,
                column,
                latest[column],
                row[column],
                transaction_id,
            )
    return None


# --- credentials ---------------------------------------------------------------------


def _check_credentials(connection, report: Report) -> None:
    """The password hash (kept out of the history) against its digest (in it)."""
    table = User.__table__
    rows = connection.execute(
        select(table.c.id, table.c.password_hash, table.c.credential_digest)
        .where(table.c.credential_digest.is_not(None))
        .order_by(table.c.id)
    )
    for row in rows:
        found = credential_digest(row.password_hash)
        if found != row.credential_digest:
            report.add(
                Problem(
                    CREDENTIAL,
                    f"user {row.id}: the password hash is not the one the history records "
                    "(changed behind the application's back)",
                    "user",
                    str(row.id),
                    "password_hash",
                    row.credential_digest,
                    found,
                )
            )


def _check_sign_ins(connection, report: Report, signed: "_Signed") -> None:
    """Each signed sign-in was checked against the credential the history gave the user
    then (or one a change committed while the sign-in ran gave them)."""
    if not signed.sign_ins:
        return
    versions = version_class_of(User).__table__
    table = Transaction.__table__
    by_user = defaultdict(list)
    for path, checkpoint in signed.sign_ins:
        by_user[checkpoint.sign_in[0]].append((path, checkpoint))
    for user_id, entries in sorted(by_user.items()):
        history = connection.execute(
            select(versions.c.transaction_id, versions.c.credential_digest, table.c.issued_at)
            .join(table, table.c.id == versions.c.transaction_id)
            .where(versions.c.id == user_id)
            .order_by(versions.c.transaction_id)
        ).all()
        for path, checkpoint in entries:
            written = checkpoints.parse_time(checkpoint.time)
            then = [row for row in history if row.transaction_id <= checkpoint.transaction_id]
            allowed = {then[-1].credential_digest} if then else set()
            allowed.update(
                row.credential_digest
                for row in history
                if row.transaction_id > checkpoint.transaction_id
                and (written is None or row.issued_at <= written)
            )
            if checkpoint.sign_in[1] not in allowed:
                report.add(
                    Problem(
                        CREDENTIAL,
                        f"{path} line {checkpoint.line_no}: user {user_id} signed in at "
                        f"{checkpoint.time} with a password hash the history never gave them "
                        "(swapped in behind the application's back)",
                        "user",
                        str(user_id),
                        "password_hash",
                        found=checkpoint.sign_in[1],
                        transaction_id=checkpoint.transaction_id,
                    )
                )


class _Authorizations:
    """One user's authorization as the history gives it at any transaction: the state after
    each transaction that changed it, folded once, then found by bisection."""

    def __init__(self, connection, user_id: int):
        users = version_class_of(User).__table__
        members = version_class_of(Membership).__table__
        user_rows = connection.execute(
            select(users.c.transaction_id, users.c.role, users.c.active, users.c.operation_type)
            .where(users.c.id == user_id)
            .order_by(users.c.transaction_id)
        ).all()
        member_rows = connection.execute(
            select(members.c.transaction_id, members.c.board_id, members.c.operation_type)
            .where(members.c.user_id == user_id)
            .order_by(members.c.transaction_id)
        ).all()
        self.changes = sorted(
            {row.transaction_id for row in user_rows} | {row.transaction_id for row in member_rows}
        )
        self.times = _issued_at(connection, self.changes)
        self.digests: list[str | None] = []
        self._states: list[tuple | None] = []
        user, boards = None, {}
        user_rows, member_rows = iter(user_rows), iter(member_rows)
        next_user, next_member = next(user_rows, None), next(member_rows, None)
        for transaction_id in self.changes:
            while next_user is not None and next_user.transaction_id == transaction_id:
                user = None if next_user.operation_type == DELETE else next_user
                next_user = next(user_rows, None)
            while next_member is not None and next_member.transaction_id == transaction_id:
                boards[next_member.board_id] = next_member.operation_type != DELETE
                next_member = next(member_rows, None)
            state = (
                None
                if user is None
                else (user.role, user.active, sorted(b for b, present in boards.items() if present))
            )
            self.digests.append(authorization_digest(*state) if state is not None else None)
            self._states.append(state)

    def _index(self, transaction_id: int) -> int:
        """The index of the last change at or before `transaction_id` (-1: none yet)."""
        return bisect.bisect_right(self.changes, transaction_id) - 1

    def at(self, transaction_id: int) -> tuple | None:
        """(role, active, boards) after `transaction_id`, or None when there was no user."""
        index = self._index(transaction_id)
        return self._states[index] if index >= 0 else None

    def digest(self, transaction_id: int) -> str | None:
        index = self._index(transaction_id)
        return self.digests[index] if index >= 0 else None

    # issued_at rises with the id (the chain pass reports it where not), so both walks stop
    # at the first change outside their time.
    def changed_shortly_before(self, transaction_id: int, since: datetime) -> list[int]:
        """Changes before `transaction_id` issued at or after `since`."""
        found = []
        for index in range(bisect.bisect_left(self.changes, transaction_id) - 1, -1, -1):
            issued = self.times.get(self.changes[index])
            if issued is None or issued < since:
                break
            found.append(self.changes[index])
        return found

    def changed_after(self, transaction_id: int, until: datetime) -> list[int]:
        """Changes after `transaction_id` issued at or before `until`."""
        found = []
        for changed in self.changes[bisect.bisect_right(self.changes, transaction_id) :]:
            issued = self.times.get(changed)
            if issued is None or issued > until:
                break
            found.append(changed)
        return found


def _issued_at(connection, transaction_ids) -> dict:
    """issued_at of the given transactions, read in batches."""
    table = Transaction.__table__
    ids = sorted(set(transaction_ids))
    times = {}
    for start in range(0, len(ids), 1000):
        batch = ids[start : start + 1000]
        times.update(
            connection.execute(
                select(table.c.id, table.c.issued_at).where(table.c.id.in_(batch))
            ).all()
        )
    return times


def _check_authorizations(connection, report: Report, signed: "_Signed", grace: float) -> None:
    """Each transaction's author acted under the authorization the history gave them at the
    transaction before (as the request loaded it at its start); a change of it committed
    while the request ran (within the grace window before) is accepted too. Sign-ins: the
    authorization at the head the line saw, or one committed before the line was written."""
    entries = [
        (path, line, tx, user, digest, None) for path, line, tx, user, digest in signed.authors
    ]
    for path, line in signed.sign_ins:
        if line.sign_in[2] is not None:
            entries.append(
                (path, line, None, line.sign_in[0], line.sign_in[2], line.transaction_id)
            )
    if not entries:
        return
    issued_at = _issued_at(connection, (entry[2] for entry in entries if entry[2] is not None))
    histories: dict = {}
    for path, line, transaction_id, user_id, digest, head in entries:
        history = histories.get(user_id)
        if history is None:
            history = histories[user_id] = _Authorizations(connection, user_id)
        if transaction_id is not None:
            issued = issued_at.get(transaction_id)
            if issued is None:
                continue  # a missing transaction is reported by the chain pass
            since = issued - timedelta(seconds=grace)
            recent = history.changed_shortly_before(transaction_id, since)
            points = {transaction_id - 1} | {t - 1 for t in recent}
        else:
            written = checkpoints.parse_time(line.time)
            later = history.changed_after(head, written) if written is not None else []
            points = {head, *later}
        if any(history.digest(point) == digest for point in points):
            continue
        state = history.at(max(points) if transaction_id is None else transaction_id - 1)
        given = (
            "nothing"
            if state is None
            else f"role {state[0]}, active {bool(state[1])}, boards {state[2]}"
        )
        what = (
            f"in transaction {transaction_id}"
            if transaction_id is not None
            else f"when signing in at {line.time}"
        )
        report.add(
            Problem(
                AUTHORIZATION,
                f"{path} line {line.line_no}: user {user_id} acted {what} under an "
                f"authorization the history does not give them (the history gives {given}): "
                "their role, active state or board memberships were changed behind the "
                "application's back",
                "user",
                str(user_id),
                "authorization",
                state,
                digest,
                transaction_id if transaction_id is not None else head,
            )
        )


# --- 3. checkpoints --------------------------------------------------------------------


@dataclass
class _Signed:
    """What the readable lines of every log say."""

    # Lines by the head they record, compared with its chain hash and count.
    by_transaction: dict = field(default_factory=lambda: defaultdict(list))
    # (first, last, chain hash of last, (path, line)) of every run of ids a line vouches for.
    covers: list = field(default_factory=list)
    # The last id of each run: [(path, line, hash)].
    cover_ends: dict = field(default_factory=lambda: defaultdict(list))
    # The highest head of a line written before lines named their transactions.
    legacy_up_to: int | None = None
    # (path, line) of every sign-in.
    sign_ins: list = field(default_factory=list)
    # (path, line, transaction id, author, authorization digest).
    authors: list = field(default_factory=list)


def _read_checkpoints(report: Report, logs: list[Path], public_key) -> _Signed:
    """Every readable checkpoint."""
    signed = _Signed()
    missing_logs = report.missing_logs
    for path in logs:
        path = Path(path)
        if not path.exists():
            # Reported after the chain pass, and only if there is a transaction to cover.
            missing_logs.append(path)
            continue
        if public_key is None:
            report.add(Problem(NO_KEY, f"no public key to check the signatures in {path}"))
            continue
        try:
            for line_no, checkpoint, problem in checkpoints.read_log(path, public_key):
                if checkpoint is None:
                    report.add(Problem(SIGNATURE, f"{path} line {line_no}: {problem}", str(path)))
                    continue
                report.checkpoints += 1
                if problem:
                    report.add(Problem(LINK, f"{path} line {line_no}: {problem}", str(path)))
                signed.by_transaction[checkpoint.transaction_id].append((path, checkpoint))
                if checkpoint.sign_in is not None:
                    signed.sign_ins.append((path, checkpoint))
                for transaction_id, author, digest in checkpoint.authors:
                    signed.authors.append((path, checkpoint, transaction_id, author, digest))
                if checkpoint.covers is None:
                    signed.legacy_up_to = max(signed.legacy_up_to or 0, checkpoint.transaction_id)
                    continue
                for first, last, head in checkpoint.covers:
                    signed.covers.append((first, last, head, (path, checkpoint)))
                    signed.cover_ends[last].append((path, checkpoint, head))
        except OSError as error:
            report.add(Problem(LOG_MISSING, f"checkpoint log {path} cannot be read: {error}"))
    return signed


def _report_rewrite(report: Report, path, checkpoint, transaction_id, head, stored) -> None:
    report.add(
        Problem(
            REWRITE,
            f"{path} line {checkpoint.line_no}: transaction {transaction_id} had chain hash "
            f"{head} at {checkpoint.time}, the database has {stored}: the chain was rewritten "
            "from this transaction or before",
            "transaction",
            str(transaction_id),
            "chain_hash",
            head,
            stored,
            transaction_id,
        )
    )


def _compare_checkpoint(report: Report, path, checkpoint, stored: str | None) -> None:
    where = f"{path} line {checkpoint.line_no}"
    if checkpoint.head != stored:
        _report_rewrite(
            report, path, checkpoint, checkpoint.transaction_id, checkpoint.head, stored
        )
    if checkpoint.count != report.transactions:
        report.add(
            Problem(
                COUNT,
                f"{where}: {checkpoint.count} transactions up to transaction "
                f"{checkpoint.transaction_id} when checkpointed, {report.transactions} now",
                "transaction",
                str(checkpoint.transaction_id),
                expected=checkpoint.count,
                found=report.transactions,
                transaction_id=checkpoint.transaction_id,
            )
        )


def _check_unseen_checkpoints(report: Report, signed: _Signed) -> None:
    """Checkpoints (and the runs they vouch for) whose transaction the chain pass never met."""
    head = report.head_id or 0
    unseen = {
        (checkpoint.transaction_id, str(path), checkpoint)
        for entries in signed.by_transaction.values()
        for path, checkpoint in entries
    } | {
        (transaction_id, str(path), checkpoint)
        for transaction_id, entries in signed.cover_ends.items()
        for path, checkpoint, _ in entries
    }
    unseen = sorted(unseen, key=lambda entry: (*entry[:2], entry[2].line_no))
    ahead = [entry for entry in unseen if entry[0] > head]
    if ahead:
        newest = ahead[-1]
        report.add(
            Problem(
                BEHIND,
                f"database is behind the checkpoint log: {newest[1]} line {newest[2].line_no} "
                f"names transaction {newest[0]} ({newest[2].time}), the newest transaction in "
                f"the database is {report.head_id}; {len(ahead)} checkpoints name transactions "
                "that are not there (the newest transactions were deleted, or an older backup "
                "was restored)",
                "transaction",
                str(newest[0]),
                expected=newest[0],
                found=report.head_id,
                transaction_id=newest[0],
            )
        )
    for transaction_id, path, checkpoint in unseen:
        if transaction_id <= head:
            report.add(
                Problem(
                    MISSING_TRANSACTION,
                    f"{path} line {checkpoint.line_no}: transaction "
                    f"{transaction_id} is missing from the database",
                    "transaction",
                    str(transaction_id),
                    transaction_id=transaction_id,
                )
            )
