"""Tamper evidence: every history transaction carries a hash chained to the one before it.

chain_hash(T) = sha256(chain_hash(T-1) + canonical content of T), where T-1 is the previous
transaction by id and the content is the transaction row plus every version row written in
it. end_transaction_id is left out: the validity strategy fills it in later, legitimately.

The hash is computed in the same database transaction as the change (before commit). On
PostgreSQL an advisory lock, taken just before the transaction row is inserted and held
until commit, serialises versioned writes, so ids are handed out in commit order and "the
previous transaction by id" is always committed and chained. On SQLite the database's own
write lock does the same, taken at the same moment (see serialise_chain).
"""

import hashlib
import json

from sqlalchemy import false, func, inspect, select, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy_continuum import versioning_manager

from intranet.integrity import checkpoints
from intranet.integrity.authorization import request_authorization
from intranet.models import Transaction

GENESIS = "0" * 64
# An arbitrary constant naming the chain's advisory lock (pg_advisory_xact_lock takes a bigint).
CHAIN_LOCK_KEY = 4_711_2018
TRANSACTION_FIELDS = ("id", "issued_at", "user_id", "remote_addr", "note")
UNHASHED_COLUMNS = frozenset({"end_transaction_id"})


def version_tables():
    return sorted(
        (cls.__table__ for cls in versioning_manager.version_class_map.values()),
        key=lambda table: table.name,
    )


_PLAIN = frozenset({type(None), bool, int, str})


def _canonical(value):
    # type() first: verification calls this for every value of every version row.
    if type(value) in _PLAIN or isinstance(value, bool | int | str):
        return value
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


_hashed_columns: dict = {}


def _row_content(table, row) -> dict:
    # NULL is left out of the content: a version row written before a migration added a
    # (nullable) column then hashes exactly as it did, with no list of such columns to keep.
    # Nothing is lost: setting or clearing a value still adds or removes its key.
    names = _hashed_columns.get(table)
    if names is None:
        names = _hashed_columns[table] = tuple(
            column.name for column in table.columns if column.name not in UNHASHED_COLUMNS
        )
    return {name: _canonical(row[name]) for name in names if row[name] is not None}


def transaction_content(connection, transaction_row, tables=None) -> str:
    """The canonical (sorted JSON) content of one transaction and its version rows.

    `tables` narrows the search to the version tables known to hold its rows (an
    optimisation at commit time); verification always searches them all.
    """
    rows = []
    for table in version_tables() if tables is None else sorted(tables, key=lambda t: t.name):
        result = connection.execute(
            select(table).where(table.c.transaction_id == transaction_row["id"])
        ).mappings()
        rows.extend(version_item(table, row) for row in result)
    return canonical_content(transaction_row, rows)


def version_item(table, row) -> dict:
    """One version row as the chain's content lists it."""
    return {"table": table.name, "row": _row_content(table, row)}


def canonical_content(transaction_row, items: list[dict]) -> str:
    """The one definition of a transaction's hashed content, given its `version_item`s in
    any order: the commit, the verifier and the benchmark's bulk writer all build it here."""
    if len(items) > 1:
        items = sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    content = {
        "transaction": {field: _canonical(transaction_row[field]) for field in TRANSACTION_FIELDS},
        "versions": items,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def next_hash(previous: str, content: str) -> str:
    return hashlib.sha256((previous + content).encode("utf-8")).hexdigest()


def _transaction_row(connection, transaction_id: int):
    table = Transaction.__table__
    return connection.execute(select(table).where(table.c.id == transaction_id)).mappings().one()


def _previous_hash(connection, transaction_id: int) -> str:
    table = Transaction.__table__
    previous = connection.execute(
        select(table.c.chain_hash)
        .where(table.c.id < transaction_id)
        .order_by(table.c.id.desc())
        .limit(1)
    ).first()
    if previous is None:
        return GENESIS
    # An unchained predecessor is chained as "" so that verification names it.
    return previous.chain_hash or ""


def chain_transaction(connection, transaction_id: int, tables=None, row=None) -> str:
    """Chain one transaction; `row` may give its fields when they are already in memory."""
    row = row or _transaction_row(connection, transaction_id)
    digest = next_hash(
        _previous_hash(connection, transaction_id), transaction_content(connection, row, tables)
    )
    table = Transaction.__table__
    connection.execute(update(table).where(table.c.id == transaction_id).values(chain_hash=digest))
    return digest


def serialise_chain(mapper, connection, target):
    """Before the transaction row is inserted (a mapper event of Transaction), and so before
    its issued_at is taken: wait for the writers ahead, so that the times rise with the ids.

    PostgreSQL: the chain's advisory lock. SQLite: its one write lock, which a writer would
    otherwise take at its first write, perhaps after the transaction was dated; an UPDATE
    that matches no row takes it (and waits busy_timeout for it) and changes nothing."""
    if connection.dialect.name == "postgresql":
        connection.execute(select(func.pg_advisory_xact_lock(CHAIN_LOCK_KEY)))
    elif connection.dialect.name == "sqlite":
        table = Transaction.__table__
        connection.execute(update(table).where(false()).values(id=table.c.id))


def chain_new_transactions(session):
    """Before commit: hash every transaction this session wrote into the chain."""
    if session.in_nested_transaction():
        return
    # Continuum writes the last version rows during this flush; the hash must cover them.
    session.flush()
    uow = _unit_of_work(session)
    # Transactions read from the database and expired by an earlier commit were chained
    # then; checking them again would cost a query each.
    candidates = {
        id(obj): obj
        for obj in session.identity_map.values()
        if isinstance(obj, Transaction) and not inspect(obj).expired
    }
    if uow is not None and uow.current_transaction is not None:
        candidates[id(uow.current_transaction)] = uow.current_transaction
    unchained = sorted(
        (obj for obj in candidates.values() if obj.id is not None and obj.chain_hash is None),
        key=lambda obj: obj.id,
    )
    if not unchained:
        return
    connection = session.connection()
    written, row = None, None
    if uow is not None and len(unchained) == 1 and uow.current_transaction is unchained[0]:
        written = {type(version).__table__ for version in uow.version_objs.values()}
        # Just inserted by this session, so its fields are the ones in the database.
        row = {field: getattr(unchained[0], field) for field in TRANSACTION_FIELDS}
    committed, authors = [], []
    acting = request_authorization()
    for transaction in unchained:
        digest = chain_transaction(connection, transaction.id, written, row)
        set_committed_value(transaction, "chain_hash", digest)
        committed.append((transaction.id, digest))
        if acting is not None and transaction.user_id == acting[0]:
            authors.append([transaction.id, acting[0], acting[1]])
    # What this commit adds, to be named in a signed line once the commit has succeeded.
    checkpoints.prepare(session, connection, committed, authors)


def _unit_of_work(session):
    """Continuum's unit of work for this session, if it versioned anything (never made here)."""
    connection = versioning_manager.session_connection_map.get(session)
    return versioning_manager.units_of_work.get(connection) if connection is not None else None
