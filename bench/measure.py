"""Measurements inside one process, through Flask's test client: each pair of things compared
is timed alternately, A then B, so that noise from other work on the machine hits both."""

import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from flask import Flask, render_template
from flask_login import login_user
from sqlalchemy import event, func, select
from sqlalchemy_continuum import versioning_manager

import intranet.matrix.routes as matrix_routes
from bench.generate import PASSWORD
from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.followups.services import record_follow_up
from intranet.integrity import checkpoints
from intranet.integrity.chain import version_tables
from intranet.integrity.service import run_verification
from intranet.models import FollowUp, SubGoal, Transaction, User

MATRIX_URL = "/matrix?plan=all&from_year=2012&to_year=2032"
# After the last transaction of the synthetic history (which ends 2026-10-31).
AS_OF = "2026-11-01"
AS_OF_MIDDLE = "2019-06-30"
AUDIT_PAGE_SIZE = 50
AUDIT_DEEP_PAGE = 1000


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


def alternate(repeats: int, *actions: Callable[[], None], warmup: int = 1) -> list[list[float]]:
    """Run the actions in turn `repeats` times (after `warmup` untimed rounds)."""
    samples: list[list[float]] = [[] for _ in actions]
    for round_no in range(warmup + repeats):
        for index, action in enumerate(actions):
            start = time.perf_counter()
            action()
            elapsed = time.perf_counter() - start
            if round_no >= warmup:
                samples[index].append(elapsed)
    return samples


@contextmanager
def counting_queries(app: Flask):
    counter = {"n": 0}

    def count(*args, **kwargs):
        counter["n"] += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", count)


@contextmanager
def versioning_disabled():
    """Switch SQLAlchemy-Continuum off: its before/after-flush listeners return at once."""
    versioning_manager.options["versioning"] = False
    try:
        yield
    finally:
        versioning_manager.options["versioning"] = True


class Visitor:
    """A signed-in test client of one app."""

    def __init__(self, app: Flask, username: str):
        self.app = app
        self.client = app.test_client()
        response = self.client.post("/login", data={"username": username, "password": PASSWORD})
        if response.status_code != 302:
            raise RuntimeError(f"cannot sign in as {username}: {response.status_code}")
        self.username = username

    def get(self, url: str, expect: int = 200) -> bytes:
        response = self.client.get(url)
        if response.status_code != expect:
            raise RuntimeError(f"GET {url}: {response.status_code}")
        return response.get_data()

    def post(self, url: str, data: dict, expect: int = 302) -> None:
        response = self.client.post(url, data=data)
        if response.status_code != expect:
            raise RuntimeError(f"POST {url}: {response.status_code} {response.get_data()[:300]!r}")


def matrix_context(visitor: Visitor, url: str) -> dict:
    """The template context the matrix view renders, captured from one real request."""
    captured = {}
    original = matrix_routes.page_or_block

    def capture(template, block, status=200, **context):
        captured.update(context)
        return original(template, block, status=status, **context)

    matrix_routes.page_or_block = capture
    visitor.app.extensions["matrix_cache"].clear()  # render, so the context has the Matrix
    try:
        visitor.get(url)
    finally:
        matrix_routes.page_or_block = original
    captured.pop("region_html", None)  # the floor renders the whole template
    return captured


def render_floor(app: Flask, username: str, url: str, context: dict) -> Callable[[], None]:
    """Render the same page from the same Matrix already in memory: the framework's floor."""

    def render():
        with app.test_request_context(url):
            app.preprocess_request()
            login_user(db.session.scalar(select(User).where(User.username == username)))
            render_template("matrix/matrix.html", **context)
            db.session.remove()

    return render


def baseline_bytes(app: Flask, username: str, url: str, context: dict) -> int:
    """The size of the same matrix in the markup before the lean cells (bench/baseline/, a
    copy of the template of November 2026): the baseline of the HTML size target."""
    from jinja2 import ChoiceLoader, FileSystemLoader

    from intranet.models import ReportingRound

    environment = app.jinja_env.overlay(
        loader=ChoiceLoader([FileSystemLoader(Path(__file__).parent), app.jinja_loader])
    )
    with app.test_request_context(url):
        app.preprocess_request()
        login_user(db.session.scalar(select(User).where(User.username == username)))
        values = dict(context, locked_years=ReportingRound.closed_years())
        app.update_template_context(values)
        html = environment.get_template("baseline/matrix.html").render(values)
        db.session.remove()
    return len(html.encode())


SINCE = "2026-10-01"  # the last month of the generated history: many cells changed since


def _uncached(visitor: Visitor, url: str) -> Callable[[], None]:
    """The request with the rendered-matrix cache emptied first: loading and rendering."""

    def get():
        visitor.app.extensions["matrix_cache"].clear()
        visitor.get(url)

    return get


def matrix_figures(app: Flask, visitor: Visitor, repeats: int) -> dict:
    """Target 1 and the first half of target 2."""
    as_of_url = f"{MATRIX_URL}&as_of={AS_OF}"
    context = matrix_context(visitor, MATRIX_URL)
    rows = context["matrix"].row_count
    floor = render_floor(app, visitor.username, MATRIX_URL, context)
    baseline = baseline_bytes(app, visitor.username, MATRIX_URL, context)
    with counting_queries(app) as counter:
        body = visitor.get(MATRIX_URL)
        current_queries = counter["n"]
        counter["n"] = 0
        visitor.get(as_of_url)
        as_of_queries = counter["n"]
    server, rendering, as_of, middle = alternate(
        repeats,
        lambda: visitor.get(MATRIX_URL),
        floor,
        lambda: visitor.get(as_of_url),
        lambda: visitor.get(f"{MATRIX_URL}&as_of={AS_OF_MIDDLE}"),
    )
    since_cold, current_cold = alternate(
        repeats, _uncached(visitor, f"{MATRIX_URL}&since={SINCE}"), _uncached(visitor, MATRIX_URL)
    )
    return {
        "matrix_uncached_ms": median_ms(current_cold),
        "changes_since_ms": median_ms(since_cold),
        "changes_since_vs_current": round(
            statistics.median(since_cold) / statistics.median(current_cold), 2
        ),
        "matrix_rows": rows,
        "matrix_bytes": len(body),
        "matrix_baseline_bytes": baseline,
        "matrix_bytes_vs_baseline": round(len(body) / baseline, 3),
        "matrix_ms": median_ms(server),
        "matrix_render_floor_ms": median_ms(rendering),
        "matrix_vs_floor": round(statistics.median(server) / statistics.median(rendering), 2),
        "matrix_queries": current_queries,
        "as_of_queries": as_of_queries,
        "as_of_ms": median_ms(as_of),
        "as_of_middle_ms": median_ms(middle),
        "as_of_vs_current": round(statistics.median(as_of) / statistics.median(server), 2),
    }


def as_of_depth(shallow: Visitor, deep: Visitor, repeats: int) -> dict:
    """Target 2, second half: the as-of matrix on a short and on a long history."""
    url = f"{MATRIX_URL}&as_of={AS_OF}"
    short, long = alternate(repeats, lambda: shallow.get(url), lambda: deep.get(url))
    return {
        # The same content on both sides (see generate.collapse_history): sizes should match.
        "as_of_shallow_bytes": len(shallow.get(url)),
        "as_of_deep_bytes": len(deep.get(url)),
        "as_of_shallow_ms": median_ms(short),
        "as_of_deep_ms": median_ms(long),
        "as_of_deep_vs_shallow": round(statistics.median(long) / statistics.median(short), 2),
    }


def _follow_ups_to_save(app: Flask) -> list[tuple[int, int]]:
    with app.app_context():
        rows = db.session.execute(
            select(FollowUp.sub_goal_id, FollowUp.year)
            .where(FollowUp.year.between(2022, 2026), FollowUp.archived_at.is_(None))
            .order_by(FollowUp.id)
        ).all()
    return [tuple(row) for row in rows]


def _lock_version(sub_goal_id: int, year: int) -> int:
    return db.session.scalar(
        select(FollowUp.lock_version).where(
            FollowUp.sub_goal_id == sub_goal_id, FollowUp.year == year
        )
    )


def save_figures(app: Flask, visitor: Visitor, repeats: int) -> dict:
    """Target 3: a follow-up save with versioning against the same save without it.

    Measured twice: the whole POST (form, permission check, save, commit, redirect), which is
    the target, and the service call with its commit alone, which shows the versioning cost
    most sharply.
    """
    targets = _follow_ups_to_save(app)
    turn = {"n": 0}

    def next_target():
        turn["n"] += 1
        sub_goal_id, year = targets[(turn["n"] * 7) % len(targets)]
        with app.app_context():
            lock = _lock_version(sub_goal_id, year)
        return sub_goal_id, year, lock, turn["n"]

    def post(versioned: bool):
        sub_goal_id, year, lock, n = next_target()
        data = {
            "status": "ongoing" if n % 2 else "done",
            "outcome": f"Uppdaterad redovisning, sparning {n}.",
            "deviation_reason": "",
            "deviation_text": "",
            "next_steps": "Fortsätt enligt plan.",
            "lock_version": str(lock),
            "note": "",
        }
        url = f"/sub-goals/{sub_goal_id}/follow-ups/{year}/edit"
        start = time.perf_counter()
        if versioned:
            visitor.post(url, data)
        else:
            with versioning_disabled():
                visitor.post(url, data)
        return time.perf_counter() - start

    admin_id = _user_id(app, visitor.username)

    def service(versioned: bool):
        sub_goal_id, year, lock, n = next_target()
        values = {"status": "ongoing" if n % 2 else "done", "outcome": f"Servicesparning {n}."}
        with app.app_context():
            sub_goal = db.session.get(SubGoal, sub_goal_id)
            _ = sub_goal.plan
            admin = db.session.get(User, admin_id)
            start = time.perf_counter()
            with acting_as(admin_id, None, "bench"):
                if versioned:
                    record_follow_up(admin, sub_goal, year, values, lock)
                    db.session.commit()
                else:
                    with versioning_disabled():
                        record_follow_up(admin, sub_goal, year, values, lock)
                        db.session.commit()
            return time.perf_counter() - start

    timings = {"post_on": [], "post_off": [], "service_on": [], "service_off": []}
    for round_no in range(repeats + 2):
        pairs = (
            ("post_on", post, True),
            ("post_off", post, False),
            ("service_on", service, True),
            ("service_off", service, False),
        )
        for name, action, versioned in pairs:
            elapsed = action(versioned)
            if round_no >= 2:
                timings[name].append(elapsed)
    on, off = statistics.median(timings["post_on"]), statistics.median(timings["post_off"])
    s_on, s_off = (
        statistics.median(timings["service_on"]),
        statistics.median(timings["service_off"]),
    )
    return {
        "save_versioned_ms": median_ms(timings["post_on"]),
        "save_unversioned_ms": median_ms(timings["post_off"]),
        "save_versioned_vs_unversioned": round(on / off, 2),
        "service_save_versioned_ms": median_ms(timings["service_on"]),
        "service_save_unversioned_ms": median_ms(timings["service_off"]),
        "service_save_versioned_vs_unversioned": round(s_on / s_off, 2),
    }


def _user_id(app: Flask, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def audit_figures(app: Flask, visitor: Visitor, repeats: int) -> dict:
    """Target 4: the audit log's first page against page 1 000 (or the last full page)."""
    response = visitor.client.get("/audit")
    if response.status_code == 404:
        return {"audit_skipped": "GET /audit does not exist on this branch yet"}
    if response.status_code != 200:
        raise RuntimeError(f"GET /audit: {response.status_code}")
    with app.app_context():
        total = db.session.scalar(select(func.count(Transaction.id)))
        page = max(2, min(AUDIT_DEEP_PAGE, total // AUDIT_PAGE_SIZE))
        # Page p starts after the (p-1)*50 newest transactions: `before` is the oldest of those.
        before = db.session.scalar(
            select(Transaction.id)
            .order_by(Transaction.id.desc())
            .offset((page - 1) * AUDIT_PAGE_SIZE - 1)
            .limit(1)
        )
    first, deep = alternate(
        repeats, lambda: visitor.get("/audit"), lambda: visitor.get(f"/audit?before={before}")
    )
    return {
        "audit_transactions": total,
        "audit_deep_page": page,
        "audit_first_ms": median_ms(first),
        "audit_deep_ms": median_ms(deep),
        "audit_deep_vs_first": round(statistics.median(deep) / statistics.median(first), 2),
    }


def _plain_select(app: Flask) -> Callable[[], int]:
    """Every row that verify reads, read once with a plain SELECT: the transactions, every
    version table and every versioned current table (streamed, as verify streams them)."""
    with app.app_context():
        tables = [Transaction.__table__, *version_tables()]
        tables += [model.__table__ for model in versioning_manager.version_class_map]

    def read() -> int:
        rows = 0
        with app.app_context(), db.engine.connect() as connection:
            for table in tables:
                result = connection.execute(
                    select(table).execution_options(stream_results=True, max_row_buffer=2000)
                )
                for _ in result:
                    rows += 1
            connection.rollback()
        return rows

    return read


def verify_figures(app: Flask, repeats: int) -> dict:
    """`flask audit verify` (chain, every record, the checkpoints) against a plain SELECT of
    the same rows, on the generated history with a checkpoint of its head."""
    with app.app_context():
        checkpoints.write_head(app)
    outcome = {}

    def verification():
        with app.app_context():
            report, _ = run_verification()
            db.session.remove()
        if not report.ok:
            raise RuntimeError(f"verify failed on the benchmark data: {report.problems[:3]}")
        outcome["report"] = report

    plain = _plain_select(app)
    outcome["rows"] = plain()
    verified, selected = alternate(repeats, verification, plain, warmup=0)
    report = outcome["report"]
    return {
        "verify_transactions": report.transactions,
        "verify_version_rows": report.version_rows,
        "verify_checkpoints": report.checkpoints,
        "verify_select_rows": outcome["rows"],
        "verify_ms": median_ms(verified),
        "verify_select_ms": median_ms(selected),
        "verify_vs_select": round(statistics.median(verified) / statistics.median(selected), 2),
    }
