"""Fixtures: one app and schema per session (built by the migrations), a clean database per
test, a test client that signs in and carries the CSRF token like a browser.

TEST_DATABASE_URL selects the database (PostgreSQL in CI); SQLite in a temporary folder
otherwise. Under pytest-xdist each worker has its own database, checkpoint folder and
temporary folder, so the workers never see each other's rows, logs or keys.
"""

import atexit
import os
import re
import shutil
import tempfile

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.engine import make_url

from intranet import create_app
from intranet.extensions import db
from tests.factories import Factory

# Every app the tests start, in this process or as gunicorn, keeps its checkpoint log and
# signing key out of instance/ (read by intranet.config when create_app first imports it).
_CHECKPOINT_FOLDER = tempfile.mkdtemp(prefix="handlingsplan-checkpoints-")
atexit.register(shutil.rmtree, _CHECKPOINT_FOLDER, ignore_errors=True)
os.environ["CHECKPOINT_LOG"] = os.path.join(_CHECKPOINT_FOLDER, "checkpoints.log")
os.environ["CHECKPOINT_KEY"] = os.path.join(_CHECKPOINT_FOLDER, "checkpoint-key.pem")


def worker_database_url(url: str, worker: str) -> str:
    """The database of one xdist worker beside the one the suite was given:
    `<name>_<worker>` on the same PostgreSQL server, `<stem>-<worker>.<suffix>` for SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        stem, dot, suffix = (parsed.database or "").rpartition(".")
        name = f"{stem}-{worker}.{suffix}" if dot else f"{suffix}-{worker}"
    else:
        name = f"{parsed.database}_{worker}"
    return parsed.set(database=name).render_as_string(hide_password=False)


def _use_a_database_of_this_worker() -> None:
    """Under xdist, point TEST_DATABASE_URL at this worker's own database.

    On PostgreSQL it is created afresh here and dropped when the worker exits; the browser
    tests' `<name>_browser` database follows from it. Runs at import, before any app reads
    the variable; the controlling process (no worker id) and a plain run keep it as given.
    """
    url = os.environ.get("TEST_DATABASE_URL")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return
    os.environ["TEST_DATABASE_URL"] = own = worker_database_url(url, worker)
    if make_url(own).get_backend_name() == "sqlite":
        return

    import psycopg
    from psycopg import sql

    # The database the suite was given exists: CREATE DATABASE is issued from there.
    given = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    name = sql.Identifier(make_url(own).database)

    def run(statement):
        with psycopg.connect(given, autocommit=True) as connection:
            connection.execute(statement)

    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name)
    run(drop)
    run(sql.SQL("CREATE DATABASE {}").format(name))
    atexit.register(run, drop)


_use_a_database_of_this_worker()

DEMO_PASSWORD = "demo-password-for-tests"
PASSWORD = "a-long-test-password"
_TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"|name="csrf_token" type="hidden" value="([^"]+)"')


class Client(FlaskClient):
    """A test client that behaves like a signed-in browser: it knows its CSRF token."""

    def open(self, *args, **kwargs):
        # A fresh app context per request, as on a real server: its own `g` and its own
        # database session, separate from the test's.
        with self.application.app_context():
            return super().open(*args, **kwargs)

    def csrf_token(self) -> str:
        page = self.get("/login") if not self._signed_in() else self.get("/plans")
        match = _TOKEN.search(page.get_data(as_text=True))
        assert match, "no CSRF token on the page"
        return match.group(1) or match.group(2)

    def _signed_in(self) -> bool:
        with self.session_transaction() as session:
            return "_user_id" in session

    def login(self, username: str, password: str = PASSWORD):
        token = self.csrf_token()
        response = self.post(
            "/login", data={"username": username, "password": password, "csrf_token": token}
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    def post_form(self, url: str, data: dict | None = None, htmx: bool = False, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        headers = kwargs.pop("headers", {})
        if htmx:
            headers["HX-Request"] = "true"
        return self.post(url, data=data, headers=headers, **kwargs)

    def htmx_get(self, url: str, **kwargs):
        return self.get(url, headers={"HX-Request": "true"}, **kwargs)


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(config, items):
    """Every test under tests/browser/ is a `browser` test, marked by where it lives.

    They also form one xdist group: one worker starts the gunicorn server and Chromium
    once and runs them all, while the other workers run the rest of the suite (two
    servers and two browsers on a two-core machine would slow both down).
    """
    browser_tests = config.rootpath / "tests" / "browser"
    for item in items:
        if item.path.is_relative_to(browser_tests):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """No test is ever skipped: a skip (a missing browser, server or package) fails."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped, which this suite does not allow: {report.longrepr}"


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


def _drop_everything() -> None:
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path_factory),
            "DEMO_PASSWORD": DEMO_PASSWORD,
            "PASSWORD_HASH_METHOD": "scrypt:2048:8:1",
            "CHECKPOINT_KEY": str(tmp_path_factory.mktemp("key") / "checkpoint-key.pem"),
        }
    )
    app.test_client_class = Client
    with app.app_context():
        _drop_everything()
        upgrade()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _empty_all_tables() -> None:
    tables = [table.name for table in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as connection:
        # DELETE in dependency order: on tables this small it is far quicker than TRUNCATE.
        for name in tables:
            connection.execute(text(f'DELETE FROM "{name}"'))


@pytest.fixture(autouse=True)
def _clean_database(request):
    if "app" in request.fixturenames:
        # Each test empties the database, so each gets a checkpoint log of its own.
        from intranet.integrity import checkpoints

        app = request.getfixturevalue("app")
        folder = request.getfixturevalue("tmp_path")
        app.config["CHECKPOINT_LOG"] = str(folder / "checkpoints.log")
        checkpoints.reset(app)
    yield
    if "app" in request.fixturenames:
        app = request.getfixturevalue("app")
        with app.app_context():
            db.session.remove()
            _empty_all_tables()


@pytest.fixture
def app_context(app):
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app, app_context) -> Client:
    return app.test_client()


@pytest.fixture
def make(app_context) -> Factory:
    return Factory(PASSWORD)


@pytest.fixture
def demo(app_context):
    from intranet.demo.loader import load_demo

    return load_demo(DEMO_PASSWORD)
