"""The one clock (intranet.core.clock): nothing else asks the system for the time, it freezes
and advances, a server follows its clock file, and "today" is the municipality's day."""

import ast
import os
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from intranet import ROOT, create_app
from intranet.core import clock
from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.integrity import checkpoints
from intranet.integrity.service import run_verification
from intranet.models import Transaction

STOCKHOLM = ZoneInfo("Europe/Stockholm")
PACKAGE = ROOT / "intranet"
CLOCK_MODULE = PACKAGE / "core" / "clock.py"

# 23:30 UTC on 1 March is 00:30 on 2 March in Stockholm: a UTC server's date.today() is a day
# behind for the first hour (two in summer) of every Stockholm day.
AFTER_STOCKHOLM_MIDNIGHT = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
# 23:30 UTC on New Year's Eve is already the new year in Stockholm.
AFTER_STOCKHOLM_NEW_YEAR = datetime(2024, 12, 31, 23, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _system_clock_afterwards():
    yield
    clock.unfreeze()
    clock.use_file(None)


# --- (a) no other reader of the system's time ---------------------------------------------

# module -> its attributes that read the system's date or time
_SYSTEM_TIME = {
    "datetime.date": {"today"},
    "datetime.datetime": {"now", "utcnow", "today"},
    "time": {"time", "time_ns", "localtime", "gmtime", "ctime", "asctime", "strftime"},
}
# The database's clock is another system clock: SQL functions for now, and SQL text naming it.
_SQL_NOW = {"now", "current_timestamp", "current_date", "current_time", "localtimestamp", "sysdate"}
_SQL_NOW_WORDS = ("CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME", "LOCALTIMESTAMP", "NOW()")


def system_time_reads(source: str) -> list[str]:
    """Every place in `source` that reads the system's or the database's date or time, as
    `line: what`; the names imported from datetime and time are followed through aliases."""
    tree = ast.parse(source)
    bound: dict[str, str] = {}  # local name -> "datetime", "datetime.date", "time", …
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in ("datetime", "time"):
                    bound[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module in ("datetime", "time"):
            for alias in node.names:
                qualified = f"{node.module}.{alias.name}"
                bound[alias.asname or alias.name] = qualified
                if node.module == "time" and alias.name in _SYSTEM_TIME["time"]:
                    found.append(f"{node.lineno}: from time import {alias.name}")

    def qualified(value) -> str | None:
        if isinstance(value, ast.Name):
            return bound.get(value.id)
        if isinstance(value, ast.Attribute):
            inner = qualified(value.value)
            return f"{inner}.{value.attr}" if inner else None
        return None

    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            owner = qualified(node.value)
            if owner in _SYSTEM_TIME and node.attr in _SYSTEM_TIME[owner]:
                found.append(f"{node.lineno}: {owner}.{node.attr}")
            elif (
                isinstance(node.value, ast.Name)
                and node.value.id == "func"
                and node.attr.lower() in _SQL_NOW
            ):
                found.append(f"{node.lineno}: func.{node.attr}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "text"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and any(word in node.args[0].value.upper() for word in _SQL_NOW_WORDS)
        ):
            found.append(f"{node.lineno}: SQL text reading the database's clock")
    return sorted(set(found))


def test_the_scan_finds_every_way_of_reading_the_system_time():
    source = """
import datetime
import datetime as dt
import time
from datetime import date, datetime as DT
from time import time as seconds
from sqlalchemy import func, text

date.today()
DT.now(UTC)
DT.utcnow()
dt.datetime.today()
datetime.date.today()
time.time()
time.localtime()
column = Column(DateTime, default=DT.utcnow)
func.now()
func.CURRENT_TIMESTAMP()
text("UPDATE t SET at = CURRENT_TIMESTAMP")
time.monotonic()
date.fromisoformat("2020-01-01")
DT.combine(date(2020, 1, 1), time(0))
"""
    found = system_time_reads(source)
    assert {int(line.split(":")[0]) for line in found} == {6, *range(9, 20)}, found


def test_nothing_in_the_package_but_the_clock_reads_the_system_time():
    offenders = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == CLOCK_MODULE:
            continue
        found = system_time_reads(path.read_text(encoding="utf-8"))
        if found:
            offenders[str(path.relative_to(ROOT))] = found
    assert offenders == {}, "read the time through intranet.core.clock"


# --- (b) freezing, advancing, the clock file ----------------------------------------------


def test_a_frozen_clock_stands_still_until_advanced():
    with clock.freeze(datetime(2026, 3, 2, 0, 30, tzinfo=STOCKHOLM)):
        assert clock.is_frozen()
        assert clock.utc_now() == datetime(2026, 3, 1, 23, 30)  # naive UTC, as stored
        assert clock.now() == datetime(2026, 3, 2, 0, 30, tzinfo=STOCKHOLM)
        assert clock.now().utcoffset() == timedelta(hours=1)
        time.sleep(0.01)
        assert clock.utc_now() == datetime(2026, 3, 1, 23, 30)
        assert clock.advance(timedelta(minutes=90)) == datetime(2026, 3, 2, 1, 0)
        assert clock.utc_now() == datetime(2026, 3, 2, 1, 0)
        with pytest.raises(ValueError):
            clock.advance(timedelta(seconds=-1))
    assert not clock.is_frozen()
    assert abs(clock.utc_now() - datetime.now(UTC).replace(tzinfo=None)) < timedelta(seconds=5)
    with pytest.raises(RuntimeError):
        clock.advance(timedelta(minutes=1))


def test_a_naive_moment_is_taken_as_utc():
    clock.freeze(datetime(2026, 7, 1, 22, 30))
    assert clock.today() == date(2026, 7, 2)  # summer time: UTC+2
    assert clock.local_day(datetime(2026, 7, 1, 21, 59)) == date(2026, 7, 1)


def test_the_zone_is_the_municipalitys_setting(app):
    clock.freeze(AFTER_STOCKHOLM_MIDNIGHT)
    with app.app_context():
        assert app.config["MUNICIPALITY_TIMEZONE"] == "Europe/Stockholm"
        assert clock.today() == date(2026, 3, 2)
    other = create_app({"MUNICIPALITY_TIMEZONE": "America/New_York", "TESTING": True})
    with other.app_context():
        assert clock.today() == date(2026, 3, 1)
        assert clock.now().tzinfo == ZoneInfo("America/New_York")


def test_a_clock_file_runs_on_from_its_moment_and_only_forward(tmp_path):
    shared = clock.ClockFile(tmp_path / "clock")
    shared.set(AFTER_STOCKHOLM_MIDNIGHT)
    # A second reader (another worker) of the same file tells the same time.
    other = clock.ClockFile(tmp_path / "clock")
    first = shared.utc_now()
    assert timedelta(0) <= first - datetime(2026, 3, 1, 23, 30) < timedelta(seconds=5)
    time.sleep(0.02)
    later = other.utc_now()
    assert later > first  # it runs on: a server's transactions stay in order
    moved = shared.advance(timedelta(minutes=1))
    assert moved >= later + timedelta(minutes=1)
    assert other.utc_now() >= moved
    with pytest.raises(ValueError):
        shared.advance(timedelta(minutes=-1))


def test_an_app_configured_with_a_clock_file_follows_it(tmp_path):
    path = tmp_path / "clock"
    path.write_text("2026-03-02T00:30:00+01:00\n")
    server = create_app({"CLOCK_FILE": str(path), "TESTING": True})
    with server.app_context():
        assert clock.today() == date(2026, 3, 2)
        assert clock.utc_now() - datetime(2026, 3, 1, 23, 30) < timedelta(seconds=5)


def test_a_broken_clock_file_stops_the_clock_rather_than_guess(tmp_path):
    path = tmp_path / "clock"
    path.write_text("2026-03-02T00:30:00\n")  # no offset: which zone?
    clock.use_file(path)
    with pytest.raises(RuntimeError, match="offset"):
        clock.utc_now()
    os.remove(path)
    with pytest.raises(RuntimeError):
        clock.utc_now()


def test_history_written_under_a_frozen_clock_is_dated_by_it_and_verifies(app, make):
    """issued_at, the checkpoint lines' times and verify's "now" all read the one clock."""
    clock.freeze(AFTER_STOCKHOLM_MIDNIGHT)
    follow_up = make.follow_up()
    clock.advance(timedelta(minutes=5))
    with acting_as(None, "efter fem minuter"):
        follow_up.outcome = "Ändrad"
        db.session.commit()
    times = db.session.scalars(select(Transaction.issued_at).order_by(Transaction.id)).all()
    assert times[0] == datetime(2026, 3, 1, 23, 30)
    assert times[-1] == datetime(2026, 3, 1, 23, 35)
    lines = checkpoints.log_path(app).read_text().splitlines()
    assert '"time":"2026-03-01T23:35:00.000000Z"' in lines[-1].replace(" ", "")
    report, _ = run_verification()
    assert report.ok, [str(problem) for problem in report.problems]


# --- (c) the municipality's today on the pages and in the functions -------------------------


def _plan_with_round(make, deadline: date, start_year=2024, end_year=2027):
    board = make.board(name="Nämnden")
    plan = make.plan(start_year=start_year, end_year=end_year)
    area = make.focus_area(plan=plan)
    make.sub_goal(focus_area=area, code="1.1", title="Delmålet", boards=[board])
    make.reporting_round(plan=plan, year=2025, deadline=deadline)
    return plan, board


@pytest.mark.parametrize(
    ("deadline", "passed"), [(date(2026, 3, 1), True), (date(2026, 3, 2), False)]
)
def test_the_start_page_counts_a_deadline_as_passed_from_stockholms_midnight(
    client, make, deadline, passed
):
    with clock.freeze(AFTER_STOCKHOLM_MIDNIGHT):
        _, board = _plan_with_round(make, deadline=deadline)
        client.login(make.user("officer", boards=[board]).username)
        page = client.get("/").get_data(as_text=True)
    assert f"Sista dag: {deadline.isoformat()}" in page
    assert (f"Sista dag: {deadline.isoformat()} (passerad)" in page) is passed


def test_file_names_carry_stockholms_date(client, make):
    with clock.freeze(AFTER_STOCKHOLM_MIDNIGHT):
        plan, _ = _plan_with_round(make, deadline=date(2026, 3, 1))
        client.login(make.user("auditor").username)
        audit = client.get("/audit.csv")
        matrix = client.get(f"/matrix.csv?plan={plan.id}")
    assert audit.status_code == 200 and matrix.status_code == 200
    assert "granskningslogg-2026-03-02.csv" in audit.headers["Content-Disposition"]
    assert "malmatris-2026-03-02.csv" in matrix.headers["Content-Disposition"]


def test_the_matrix_validator_turns_over_at_stockholms_midnight_not_utcs(client, make):
    with clock.freeze(datetime(2026, 3, 1, 22, 59, 30, tzinfo=UTC)):  # 23:59:30 in Stockholm
        plan, board = _plan_with_round(make, deadline=date(2026, 3, 1))
        client.login(make.user("officer", boards=[board]).username)
        before = client.get(f"/matrix?plan={plan.id}")
        assert client.get(f"/matrix?plan={plan.id}").headers["ETag"] == before.headers["ETag"]
        clock.advance(timedelta(minutes=1))  # 00:00:30 in Stockholm, still 1 March in UTC
        after = client.get(
            f"/matrix?plan={plan.id}", headers={"If-None-Match": before.headers["ETag"]}
        )
    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]


def test_this_year_is_stockholms_on_new_years_night(client, make):
    from intranet.reports.charts import report_charts
    from intranet.reports.queries import build_report

    with clock.freeze(AFTER_STOCKHOLM_NEW_YEAR):
        assert clock.today() == date(2025, 1, 1)
        plan, board = _plan_with_round(
            make, deadline=date(2025, 2, 15), start_year=2023, end_year=2026
        )
        client.login(make.user("officer", boards=[board]).username)
        page = client.get(f"/matrix?plan={plan.id}").get_data(as_text=True)
        charts = report_charts(build_report(plan.id))
    assert "Rapporterat för 2025 per nämnd" in page
    assert charts[-1].title == "Status per nämnd 2025"


def test_as_of_accepts_stockholms_today_and_refuses_its_tomorrow(app_context):
    from intranet.reading.asof import BadMoment, parse_as_of

    with clock.freeze(AFTER_STOCKHOLM_MIDNIGHT):
        assert parse_as_of("2026-03-02").utc == datetime(2026, 3, 1, 23, 30)  # now, not later
        with pytest.raises(BadMoment):
            parse_as_of("2026-03-03")
