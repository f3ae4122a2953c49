"""A synthetic municipality, generated deterministically from a seed.

The structure (boards, users, the strategy, plans, focus areas, sub-goals and their links) is
written through the application's own versioned write path: the ORM inside `acting_as`.

The history that follows (every follow-up and activity created, then edited again and again
over the simulated years 2012–2026, a few records per transaction as officers save them) is
described as a list of `Step`s. A step is one history transaction. Two executors write the
same steps:

- `write_steps_orm`: the ORM with SQLAlchemy-Continuum, one commit per step, exactly like a
  user's save (slow: about a millisecond per version row);
- `write_steps_bulk`: plain INSERTs of the rows Continuum would write (the transaction row,
  the current rows, and version rows with transaction_id, end_transaction_id and
  operation_type), hundreds of times faster. tests/bench/ checks that both write identical
  rows for the same steps.
"""

import functools
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, insert, select, text
from sqlalchemy_continuum import version_class
from werkzeug.security import generate_password_hash

from intranet.accounts.services import create_user
from intranet.auth.actors import SYSTEM
from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.integrity import chain, checkpoints
from intranet.models import (
    DEVIATION_REASONS,
    Activity,
    Board,
    FocusArea,
    FollowUp,
    Plan,
    Strategy,
    SubGoal,
    Tag,
    Transaction,
)

SEED = 20_122_032
PASSWORD = "bench-password-123"


@functools.cache
def _bench_password_hash() -> str:
    return generate_password_hash(PASSWORD)


REMOTE_ADDR = "bench"
PLANS = (
    (2012, 2016, "closed"),
    (2017, 2021, "closed"),
    (2022, 2026, "active"),
    (2027, 2032, "draft"),
)
AREAS_PER_PLAN = 8
BOARDS = 10
USERS = 50
FULL_SUB_GOALS = 400
ACTIVITIES_PER_SUB_GOAL = 5
# Edits after the records are created; with the ~6 000 creation versions this gives just over
# 200 000 version rows at scale 1, in about 56 000 transactions (1 100 audit-log pages).
FULL_EDITS = 196_000
EDITS_PER_TRANSACTION = (1, 6)
HISTORY_START = datetime(2012, 2, 1, 8, 0)
HISTORY_END = datetime(2026, 10, 31, 16, 0)
CREATED_AT = datetime(2012, 1, 10, 9, 0)

FOLLOW_UP = "follow_up"
ACTIVITY = "activity"
INSERT, UPDATE = 0, 1  # Continuum's operation_type

_WORDS = [
    "samverkan",
    "brobyggare",
    "skola",
    "förskola",
    "hälsa",
    "arbetsmarknad",
    "boende",
    "kultur",
    "språk",
    "föräldrar",
    "utbildning",
    "kartläggning",
    "dialog",
    "uppsökande",
    "insats",
    "nätverk",
    "referensgrupp",
    "rekrytering",
    "handledning",
    "uppföljning",
    "enkät",
    "workshop",
    "informationsträff",
    "ungdomar",
]


@dataclass
class Step:
    """One history transaction: who, when, why, and the records it creates or changes."""

    issued_at: datetime
    user_id: int | None
    note: str
    # (kind, key, values): key is (sub_goal_id, year) for a follow-up and the activity's
    # ordinal for an activity; values are all fields on create, the changed ones on update.
    ops: list[tuple[str, tuple | int, dict]] = field(default_factory=list)


@dataclass
class Municipality:
    """What the structure step made, as plain values."""

    admin_ids: list[int]
    officer_ids: list[int]
    usernames: dict[str, list[str]]  # role -> usernames
    sub_goals: list[tuple[int, int, int]]  # (id, plan start, plan end)


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words)).capitalize() + "."


def build_structure(scale: float, seed: int = SEED) -> Municipality:
    """Boards, users, strategy, plans, focus areas and sub-goals through the ORM."""
    rng = random.Random(seed)
    with acting_as(None, "Bench: nämnder och konton", REMOTE_ADDR, CREATED_AT - timedelta(1)):
        boards = [
            Board(name=f"Nämnd {n:02d}", administration=f"Förvaltning {n:02d}")
            for n in range(1, BOARDS + 1)
        ]
        db.session.add_all(boards)
        db.session.flush()
        roles = ["admin"] * 4 + ["auditor"] * 3 + ["viewer"] * 3 + ["officer"] * (USERS - 10)
        usernames: dict[str, list[str]] = defaultdict(list)
        admin_ids, officer_ids = [], []
        for n, role in enumerate(roles, start=1):
            name = f"{role}{n:02d}"
            member_of = [boards[n % BOARDS], boards[(n + 3) % BOARDS]] if role == "officer" else []
            user = create_user(SYSTEM, name, f"Bench {role} {n}", role, PASSWORD, member_of)
            # The history should not depend on the wall clock: the password dates from the
            # account's creation (the same transaction, so still one version row).
            user.password_changed_at = CREATED_AT - timedelta(1)
            # Nor on a salt: every account shares one hash made once per process, so the
            # credential digest (versioned and chained) is the same on every writer's path.
            user.password_hash = _bench_password_hash()
            usernames[role].append(name)
            (admin_ids if role == "admin" else officer_ids if role == "officer" else []).append(
                user.id
            )
        districts = [Tag(kind="district", name=f"Stadsdel {n}") for n in range(1, 9)]
        groups = [Tag(kind="target_group", name=f"Målgrupp {n}") for n in range(1, 7)]
        db.session.add_all(districts + groups)
        db.session.commit()

    per_plan = max(1, round(FULL_SUB_GOALS * scale / len(PLANS)))
    with acting_as(admin_ids[0], "Bench: strategi och planer", REMOTE_ADDR, CREATED_AT):
        strategy = Strategy(title="Strategi 2012–2032", start_year=2012, end_year=2032)
        db.session.add(strategy)
        created = []
        for start, end, status in PLANS:
            plan = Plan(
                strategy=strategy,
                title=f"Handlingsplan {start}–{end}",
                start_year=start,
                end_year=end,
                status=status,
            )
            db.session.add(plan)
            areas = [
                FocusArea(plan=plan, number=str(n), title=f"Fokusområde {n}: {_sentence(rng, 3)}")
                for n in range(1, AREAS_PER_PLAN + 1)
            ]
            db.session.add_all(areas)
            counters: dict[int, int] = defaultdict(int)
            for n in range(per_plan):
                area = areas[n % AREAS_PER_PLAN]
                counters[n % AREAS_PER_PLAN] += 1
                sub_goal = SubGoal(
                    focus_area=area,
                    code=f"{area.number}.{counters[n % AREAS_PER_PLAN]}",
                    title=_sentence(rng, rng.randint(6, 14)),
                    description=_sentence(rng, 25),
                )
                db.session.add(sub_goal)
                sub_goal.set_boards(rng.sample(boards, rng.choice((1, 1, 2))))
                sub_goal.set_tags("district", [rng.choice(districts)])
                sub_goal.set_tags("target_group", [rng.choice(groups)])
                created.append((sub_goal, start, end))
        db.session.commit()
    return Municipality(
        admin_ids,
        officer_ids,
        dict(usernames),
        [(sub_goal.id, start, end) for sub_goal, start, end in created],
    )


def _follow_up_values(rng: random.Random, year: int, edit: int) -> dict:
    status = rng.choice(("ongoing", "ongoing", "done", "partly_done", "not_done", "ongoing"))
    deviating = status in ("partly_done", "not_done")
    return {
        "status": status,
        "outcome": f"Redovisning {year}, version {edit}: {_sentence(rng, rng.randint(20, 60))}",
        "deviation_reason": rng.choice(list(DEVIATION_REASONS)) if deviating else None,
        "deviation_text": _sentence(rng, 12) if deviating else None,
        "next_steps": _sentence(rng, 10) if rng.random() < 0.5 else None,
    }


def plan_history(town: Municipality, scale: float, seed: int = SEED, edits: int | None = None):
    """The steps that create every follow-up and activity, then edit them over the years."""
    rng = random.Random(seed + 1)
    steps: list[Step] = []
    follow_ups: dict[tuple[int, int], dict] = {}
    activities: dict[int, dict] = {}
    activity_years: dict[int, tuple[int, int]] = {}
    for plan_no, (start, end, _) in enumerate(PLANS):
        step = Step(CREATED_AT + timedelta(hours=1 + plan_no), town.admin_ids[0], "Bench: ny plan")
        for sub_goal_id, plan_start, plan_end in town.sub_goals:
            if plan_start != start:
                continue
            for year in range(start, end + 1):
                values = {
                    "sub_goal_id": sub_goal_id,
                    "year": year,
                    "status": "not_started",
                    "outcome": None,
                    "deviation_reason": None,
                    "deviation_text": None,
                    "next_steps": None,
                }
                follow_ups[(sub_goal_id, year)] = values
                step.ops.append((FOLLOW_UP, (sub_goal_id, year), values))
            for _ in range(ACTIVITIES_PER_SUB_GOAL):
                first = rng.randint(plan_start, plan_end)
                ordinal = len(activities)
                values = {
                    "sub_goal_id": sub_goal_id,
                    "title": _sentence(rng, rng.randint(3, 8)),
                    "description": _sentence(rng, 20),
                    "planned_from_year": first,
                    "planned_to_year": rng.randint(first, plan_end),
                    "responsible_unit": f"Enhet {rng.randint(1, 30)}",
                    "status": "planned",
                }
                activities[ordinal] = values
                activity_years[ordinal] = (plan_start, plan_end)
                step.ops.append((ACTIVITY, ordinal, values))
        steps.append(step)

    total_edits = round(FULL_EDITS * scale) if edits is None else edits
    low, high = EDITS_PER_TRANSACTION
    counts: list[int] = []
    while sum(counts) < total_edits:
        counts.append(min(rng.randint(low, high), total_edits - sum(counts)))
    span = (HISTORY_END - HISTORY_START).total_seconds()
    moments = sorted(rng.random() * span for _ in counts)
    fu_by_year: dict[int, list] = defaultdict(list)
    for key in follow_ups:
        fu_by_year[key[1]].append(key)
    act_by_year: dict[int, list] = defaultdict(list)
    for ordinal, (plan_start, plan_end) in activity_years.items():
        for year in range(plan_start, plan_end + 1):
            act_by_year[year].append(ordinal)
    edit_count: dict = defaultdict(int)
    for n, (offset, count) in enumerate(zip(moments, counts, strict=True)):
        when = HISTORY_START + timedelta(seconds=round(offset))
        # Reports of last year are still being completed in the first quarter.
        years = [when.year, when.year - 1] if when.month <= 3 else [when.year]
        candidates_fu = [key for year in years for key in fu_by_year.get(year, ())]
        candidates_act = act_by_year.get(when.year, [])
        step = Step(when, rng.choice(town.officer_ids), f"Bench: ändring {n + 1}")
        chosen: set = set()
        for _ in range(count * 10):  # distinct records; bounded for tiny data sets
            if len(chosen) == count:
                break
            if candidates_fu and (not candidates_act or rng.random() < 0.6):
                kind, key = FOLLOW_UP, rng.choice(candidates_fu)
            elif candidates_act:
                kind, key = ACTIVITY, rng.choice(candidates_act)
            else:
                break
            if (kind, key) in chosen:
                continue
            chosen.add((kind, key))
            edit_count[(kind, key)] += 1
            edit = edit_count[(kind, key)]
            if kind == FOLLOW_UP:
                values = _follow_up_values(rng, key[1], edit)
            else:
                values = {
                    "status": rng.choice(("planned", "ongoing", "ongoing", "done")),
                    "description": f"Läge {edit}: {_sentence(rng, 20)}",
                }
            step.ops.append((kind, key, values))
        if step.ops:
            steps.append(step)
    return steps


def collapse_history(steps: list[Step]) -> list[Step]:
    """The same current data with a short history: every record created once, directly with
    the values it ends up with, and no edits. Compared with the full steps this isolates the
    cost of history depth (the pages render the same content)."""
    final: dict = {}
    for step in steps:
        for kind, key, values in step.ops:
            final.setdefault((kind, key), {}).update(values)
    collapsed = []
    seen: set = set()
    for step in steps:
        ops = []
        for kind, key, _ in step.ops:
            if (kind, key) not in seen:
                seen.add((kind, key))
                ops.append((kind, key, final[(kind, key)]))
        if ops:
            collapsed.append(Step(step.issued_at, step.user_id, step.note, ops))
    return collapsed


def write_steps_orm(steps: list[Step]) -> None:
    """Write the steps through the ORM and Continuum, one commit per step."""
    objects: dict = {}
    for step in steps:
        with acting_as(step.user_id, step.note, REMOTE_ADDR, step.issued_at):
            for kind, key, values in step.ops:
                if (kind, key) not in objects:
                    model = FollowUp if kind == FOLLOW_UP else Activity
                    obj = model(**values)
                    db.session.add(obj)
                    objects[(kind, key)] = obj
                else:
                    obj = objects[(kind, key)]
                    for name, value in values.items():
                        setattr(obj, name, value)
            db.session.commit()


def _next_id(column) -> int:
    return (db.session.scalar(select(func.max(column))) or 0) + 1


def _columns(model) -> list[str]:
    return [column.key for column in model.__table__.columns]


def write_steps_bulk(steps: list[Step], chunk: int = 5_000) -> None:
    """Insert what Continuum would write for the steps, without the ORM.

    Ids are handed out as the database would (the next integer); each record's versions get
    operation_type INSERT then UPDATE, lock_version 1, 2, …, and each version's
    end_transaction_id is the transaction of the record's next version.
    """
    session = db.session
    tx_id = _next_id(Transaction.id)
    next_ids = {FOLLOW_UP: _next_id(FollowUp.id), ACTIVITY: _next_id(Activity.id)}
    models = {FOLLOW_UP: FollowUp, ACTIVITY: Activity}
    columns = {kind: _columns(model) for kind, model in models.items()}
    ids: dict = {}
    current: dict = {}
    transactions = []
    versions: dict[str, list[dict]] = {FOLLOW_UP: [], ACTIVITY: []}
    last_version: dict = {}
    for step in steps:
        transactions.append(
            {
                "id": tx_id,
                "issued_at": step.issued_at,
                "remote_addr": REMOTE_ADDR,
                "user_id": step.user_id,
                "note": step.note,
                "chain_hash": None,
            }
        )
        for kind, key, values in step.ops:
            if (kind, key) not in ids:
                ids[(kind, key)] = next_ids[kind]
                next_ids[kind] += 1
                row = dict.fromkeys(columns[kind])
                row.update(values, id=ids[(kind, key)], lock_version=1)
                operation = INSERT
            else:
                row = dict(current[(kind, key)])
                row.update(values)
                row["lock_version"] += 1
                operation = UPDATE
                last_version[(kind, key)]["end_transaction_id"] = tx_id
            current[(kind, key)] = row
            version = dict(row, transaction_id=tx_id, end_transaction_id=None)
            version["operation_type"] = operation
            versions[kind].append(version)
            last_version[(kind, key)] = version
        tx_id += 1

    # Straight to the connection: the session refuses bulk writes of versioned models (they
    # would have no history); this writer makes the history rows and their chain itself.
    connection = session.connection()

    def insert_all(table, rows):
        for start in range(0, len(rows), chunk):
            connection.execute(insert(table), rows[start : start + chunk])

    _chain(session, transactions, versions)
    insert_all(Transaction.__table__, transactions)
    for kind, model in models.items():
        rows = [row for (k, _), row in current.items() if k == kind]
        insert_all(model.__table__, sorted(rows, key=lambda row: row["id"]))
        insert_all(version_class(model).__table__, versions[kind])
    if session.get_bind().dialect.name == "postgresql":
        for table in ("transaction", "follow_up", "activity"):
            session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f'(SELECT max(id) FROM "{table}"))'
                )
            )
    session.commit()
    # This writer committed them itself: its signed line vouches for them, as a save's does.
    checkpoints.write_committed(
        current_app._get_current_object(),
        [(transaction["id"], transaction["chain_hash"]) for transaction in transactions],
    )


def _chain(session, transactions: list[dict], versions: dict[str, list[dict]]) -> None:
    """Fill in chain_hash as intranet.integrity.chain does at commit, from the rows in memory.

    The canonical content is built exactly like `chain.transaction_content` builds it from the
    database (the smoke test compares the hashes with those of the ORM path).
    """
    tables = {
        FOLLOW_UP: version_class(FollowUp).__table__,
        ACTIVITY: version_class(Activity).__table__,
    }
    by_transaction: dict[int, list[dict]] = defaultdict(list)
    for kind, rows in versions.items():
        for row in rows:
            by_transaction[row["transaction_id"]].append(chain.version_item(tables[kind], row))
    previous = chain.GENESIS
    if transactions:
        before = session.execute(
            select(Transaction.chain_hash)
            .where(Transaction.id < transactions[0]["id"])
            .order_by(Transaction.id.desc())
            .limit(1)
        ).first()
        if before is not None:
            previous = before.chain_hash or ""  # as chain._previous_hash does
    for transaction in transactions:
        content = chain.canonical_content(transaction, by_transaction.get(transaction["id"], []))
        transaction["chain_hash"] = previous = chain.next_hash(previous, content)


def version_rows() -> int:
    """All version rows in the database."""
    total = 0
    for table in db.metadata.sorted_tables:
        if table.name.endswith("_version"):
            total += db.session.scalar(select(func.count()).select_from(table))
    return total
