"""Browser tests: the real application under gunicorn, driven by Debian's Chromium.

One server process per test session, on a free port on 127.0.0.1, against its own database
with the demo data: a temporary SQLite file, or — when TEST_DATABASE_URL names a PostgreSQL
database — a separate `<name>_browser` database on the same server, so that the per-test
emptying of the main suite's tables never reaches it. Tests that change data must therefore
leave the demo data usable for the tests that follow.

Screenshots of the pages go to test-artifacts/screenshots/ for reviewers.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy.engine import make_url

from intranet import ROOT, create_app
from intranet.core.clock import ClockFile, zone
from intranet.core.clock import now as clock_now
from intranet.extensions import db
from tests.browser.support import DEMO_PASSWORD, SCREENSHOTS, sign_in

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SERVER_START_TIMEOUT = 60


@dataclass
class LiveServer:
    url: str
    log: Path
    # For the few tests that must reset server-side bookkeeping (the write rate count).
    database_url: str = ""
    # The server's clock: tests read the server's today from it and move it forward.
    clock: ClockFile | None = None

    def now(self) -> datetime:
        """The server's now, in the municipality's zone."""
        return self.clock.utc_now().replace(tzinfo=UTC).astimezone(zone())

    def today(self) -> date:
        return self.now().date()

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _postgres_database(test_url: str):
    """A fresh `<name>_browser` database next to the test database; returns (url, drop)."""
    import psycopg
    from psycopg import sql

    url = make_url(test_url)
    name = f"{url.database}_browser"
    server = url.set(drivername="postgresql").render_as_string(hide_password=False)

    def run(statement):
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(statement)

    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    run(drop)
    run(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    browser_url = url.set(database=name).render_as_string(hide_password=False)
    return browser_url, lambda: run(drop)


def _wait_until_serving(url: str, process: subprocess.Popen, server: LiveServer) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited with {process.returncode}:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(f"{url}/login", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    pytest.fail(f"gunicorn did not answer on {url}:\n{server.log_tail()}")


def _prepare_database(database_url: str, checkpoint_files: dict) -> None:
    """`flask db upgrade` and `flask demo load`, run in this process: the package is already
    imported here, while a fresh interpreter takes seconds to import it."""
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "DEMO_PASSWORD": DEMO_PASSWORD} | checkpoint_files
    )
    runner = app.test_cli_runner()
    with app.app_context():  # as the `flask` command provides it
        for command in (["db", "upgrade"], ["demo", "load"]):
            result = runner.invoke(args=command)
            assert result.exit_code == 0, f"flask {' '.join(command)}: {result.output}"
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("browser")
    test_url = os.environ.get("TEST_DATABASE_URL")
    if test_url:
        database_url, drop_database = _postgres_database(test_url)
    else:
        database_url, drop_database = f"sqlite:///{workdir / 'browser.sqlite'}", lambda: None

    # The server's own checkpoint log and key, as in production beside its database.
    checkpoint_files = {
        "CHECKPOINT_LOG": str(workdir / "checkpoints.log"),
        "CHECKPOINT_KEY": str(workdir / "checkpoint-key.pem"),
    }
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "browser-test-secret",
        "DEMO_PASSWORD": DEMO_PASSWORD,
        "PYTHONUNBUFFERED": "1",
        **checkpoint_files,
    }
    _prepare_database(database_url, checkpoint_files)
    # Started after the demo data, so that the server's history stays in order; from here
    # on it runs with the real time, and a test may move it forward (never back).
    server_clock = ClockFile(workdir / "clock")
    server_clock.set(clock_now())
    env["CLOCK_FILE"] = str(server_clock.path)

    url = f"http://127.0.0.1:{_free_port()}"
    server = LiveServer(
        url=url, log=workdir / "gunicorn.log", database_url=database_url, clock=server_clock
    )
    with server.log.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", url[len("http://") :]]
            + ["--access-logfile", "-", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_serving(url, process, server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        drop_database()


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    return live_server.url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # A missing browser must fail the suite, never skip it or download one.
    assert Path(CHROMIUM).exists() or shutil.which(CHROMIUM), (
        f"Chromium not found at {CHROMIUM}: install Debian's `chromium` (or set CHROMIUM_PATH)"
    )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A Swedish browser in Sweden, like the users'; tests that need English ask for it.
    return {
        **browser_context_args,
        "locale": "sv-SE",
        "timezone_id": "Europe/Stockholm",
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


@pytest.fixture(scope="session", autouse=True)
def _screenshot_folder():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="session")
def signed_in_state(browser, browser_context_args, tmp_path_factory):
    """Storage state (the session cookie) per demo user, signed in once per session."""
    folder = tmp_path_factory.mktemp("signed-in")
    states = {}

    def state_for(username: str) -> str:
        if username not in states:
            context = browser.new_context(**browser_context_args)
            sign_in(context.new_page(), username)
            states[username] = str(folder / f"{username}.json")
            context.storage_state(path=states[username])
            context.close()
        return states[username]

    return state_for


@pytest.fixture
def page_as(browser, browser_context_args, signed_in_state):
    """A new page signed in as a demo user: `page_as("officer")`."""
    contexts = []

    def open_page(username: str, **context_args):
        arguments = {**browser_context_args, **context_args}
        context = browser.new_context(storage_state=signed_in_state(username), **arguments)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
