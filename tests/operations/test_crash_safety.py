"""Crash safety with the real server: gunicorn is killed (SIGKILL) in the middle of a
stream of saves; after a restart every save that was confirmed is there, with its version
and its history transaction, and no version or transaction is orphaned."""

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
import sqlalchemy_continuum
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, select, text

from intranet import ROOT, create_app
from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.integrity.checkpoints import load_or_create_key
from intranet.integrity.verify import verify_history
from intranet.models import Transaction, User
from tests.conftest import PASSWORD

_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
_TOKEN_IN_HEADERS = re.compile(r'"X-CSRFToken": "([^"]+)"')


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _checkpoint_files(database_url: str) -> dict:
    """The crash test's own checkpoint log and key, beside its database."""
    folder = Path(database_url.removeprefix("sqlite:///")).parent
    return {
        "CHECKPOINT_LOG": str(folder / "checkpoints.log"),
        "CHECKPOINT_KEY": str(folder / "checkpoint-key.pem"),
    }


def _prepare_database(url: str) -> tuple[int, int]:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "crash",
            "PASSWORD_HASH_METHOD": "scrypt:2048:8:1",
            **_checkpoint_files(url),
        }
    )
    with app.app_context():
        upgrade()
        with acting_as(None, "crash test"):
            admin = User(username="admin", display_name="Admin", role="admin")
            admin.set_password(PASSWORD)
            target = User(username="target", display_name="Namn start", role="viewer")
            target.set_password(PASSWORD)
            db.session.add_all([admin, target])
            db.session.commit()
        ids = admin.id, target.id
        db.session.remove()
        db.engine.dispose()
    return ids


class Server:
    """gunicorn with two workers on a free loopback port, in its own process group."""

    def __init__(self, database_url: str, log: Path):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        environment = dict(
            os.environ,
            DATABASE_URL=database_url,
            SECRET_KEY="crash-test-key",
            **_checkpoint_files(database_url),
        )
        self.log = log.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.port}",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=environment,
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )
        try:
            self._wait_until_serving()
        except BaseException:
            self.stop()
            raise

    def _wait_until_serving(self) -> None:
        for _ in range(300):
            assert self.process.poll() is None, "gunicorn exited during start-up"
            try:
                if requests.get(f"{self.base}/login", timeout=10).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise AssertionError("gunicorn did not start serving")

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.log.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        self.log.close()


def _signed_in_admin(server: Server) -> tuple[requests.Session, str]:
    browser = requests.Session()
    token = _TOKEN.search(browser.get(f"{server.base}/login", timeout=10).text).group(1)
    response = browser.post(
        f"{server.base}/login",
        data={"username": "admin", "password": PASSWORD, "csrf_token": token},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302
    # Signing in starts a new session, and with it a new CSRF token.
    page = browser.get(f"{server.base}/admin/users", timeout=10).text
    return browser, _TOKEN_IN_HEADERS.search(page).group(1)


def _save_name(server, browser, token, user_id, name) -> bool:
    response = browser.post(
        f"{server.base}/admin/users/{user_id}/edit",
        data={"display_name": name, "role": "viewer", "csrf_token": token},
        allow_redirects=False,
        timeout=10,
    )
    return response.status_code == 302


def _verify_history(connection, database_url: str) -> None:
    """The chain, every record and every checkpoint written before and after the kill."""
    files = _checkpoint_files(database_url)
    key = load_or_create_key(files["CHECKPOINT_KEY"]).public_key()
    report = verify_history(connection, [Path(files["CHECKPOINT_LOG"])], key)
    assert report.ok, f"the history does not verify after the crash: {report.problems[:5]}"
    assert report.checkpoints > 0


@pytest.mark.slow
def test_confirmed_saves_survive_a_crash(tmp_path):
    url = f"sqlite:///{tmp_path / 'crash.sqlite'}"
    admin_id, target_id = _prepare_database(url)
    server = Server(url, tmp_path / "gunicorn.log")
    confirmed: list[str] = []
    stop = threading.Event()

    def save_forever():
        browser, token = _signed_in_admin(server)
        number = refused = 0
        while not stop.is_set() and refused < 20:
            number += 1
            name = f"Namn {number}"
            try:
                if _save_name(server, browser, token, target_id, name):
                    confirmed.append(name)
                else:
                    refused += 1
            except requests.RequestException:
                return  # the server is gone

    saver = threading.Thread(target=save_forever)
    try:
        saver.start()
        while len(confirmed) < 10 and saver.is_alive():
            time.sleep(0.02)
        server.kill()  # mid-loop: a save is most likely in flight
        stop.set()
        saver.join(timeout=30)
    finally:
        stop.set()
        server.stop()
    assert len(confirmed) >= 10

    restarted = Server(url, tmp_path / "gunicorn.log")
    try:
        browser, token = _signed_in_admin(restarted)
        assert _save_name(restarted, browser, token, target_id, "Efter omstart")
        confirmed.append("Efter omstart")
    finally:
        restarted.stop()

    version = sqlalchemy_continuum.version_class(User).__table__
    transaction = Transaction.__table__
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            saved = dict(
                connection.execute(
                    select(version.c.display_name, version.c.transaction_id).where(
                        version.c.id == target_id
                    )
                ).all()
            )
            for name in confirmed:
                assert name in saved, f"confirmed save {name!r} lost"
                by = connection.scalar(
                    select(transaction.c.user_id).where(transaction.c.id == saved[name])
                )
                assert by == admin_id, f"save {name!r} has no transaction naming the admin"
            current = connection.scalar(
                select(User.__table__.c.display_name).where(User.__table__.c.id == target_id)
            )
            assert current == "Efter omstart"
            _assert_no_orphans(connection)
            _verify_history(connection, url)
    finally:
        engine.dispose()


def _assert_no_orphans(connection) -> None:
    version_tables = [name for name in db.metadata.tables if name.endswith("_version")]
    used = set()
    for name in version_tables:
        orphans = connection.scalar(
            text(
                f'SELECT count(*) FROM "{name}" v WHERE NOT EXISTS '
                '(SELECT 1 FROM "transaction" t WHERE t.id = v.transaction_id)'
            )
        )
        assert orphans == 0, f"{name} has versions without a transaction"
        used |= set(connection.scalars(text(f'SELECT DISTINCT transaction_id FROM "{name}"')))
    all_transactions = set(connection.scalars(select(Transaction.__table__.c.id)))
    assert all_transactions - used == set(), "transactions without any version"
    assert connection.scalar(select(func.count()).select_from(Transaction.__table__)) > 10
