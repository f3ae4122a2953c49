"""Under load: the production server (gunicorn) on a loopback port, concurrent clients.

Each client signs in over HTTP like a browser (GET /login, the CSRF token from the form,
POST /login), then loops until the phase's deadline. Saves go to follow-ups that only that
client writes, with the lock_version it expects, so a conflict would be a real error.
"""

import http.client
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import create_engine, text

from bench.databases import SECRET_KEY, checkpoint_files
from bench.generate import PASSWORD
from bench.measure import MATRIX_URL

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
_TOKEN = re.compile(rb'name="csrf_token" type="hidden" value="([^"]+)"|"X-CSRFToken": "([^"]+)"')
MIX = (("matrix", 2), ("sub_goal", 5), ("save", 3))
STARTUP_TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving bench.wsgi:app against `url`, output kept in a log file."""

    def __init__(self, url: str, workers: int, static_dir: Path, log: Path):
        self.port = free_port()
        self.log_path = log
        env = dict(
            os.environ,
            DATABASE_URL=url,
            SECRET_KEY=SECRET_KEY,
            BENCH_STATIC_DIR=str(static_dir),
            # The load clients write as fast as the server answers, far beyond any person:
            # the per-user write limit would refuse them and measure the 429 instead.
            WRITE_RATE_LIMIT="0",
            **checkpoint_files(url),
        )
        self.log = log.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                str(workers),
                "--bind",
                f"{HOST}:{self.port}",
                "--timeout",
                "120",
                "bench.wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: see {log}")
            try:
                status, _, _ = request(self.port, "GET", "/login")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start in time")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")


def request(port, method, path, body=None, cookies=None, headers=None):
    connection = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        all_headers = dict(headers or {})
        if cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        if body is not None:
            body = urlencode(body)
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        data = response.read()
        if cookies is not None:
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    cookies[name] = morsel.value
        return response.status, data, response
    finally:
        connection.close()


class Client:
    def __init__(self, port: int, username: str):
        self.port = port
        self.cookies: dict[str, str] = {}
        status, body, _ = request(port, "GET", "/login", cookies=self.cookies)
        token = self._token(body)
        status, body, _ = request(
            port,
            "POST",
            "/login",
            {"username": username, "password": PASSWORD, "csrf_token": token},
            self.cookies,
        )
        if status != 302:
            raise RuntimeError(f"sign-in failed for {username}: {status}")
        _, body, _ = request(port, "GET", "/plans", cookies=self.cookies)
        self.token = self._token(body)

    @staticmethod
    def _token(body: bytes) -> str:
        match = _TOKEN.search(body)
        if not match:
            raise RuntimeError("no CSRF token on the page")
        return (match.group(1) or match.group(2)).decode()

    def get(self, path, headers=None):
        return request(self.port, "GET", path, cookies=self.cookies, headers=headers)[:2]

    def post(self, path, data):
        return request(self.port, "POST", path, dict(data, csrf_token=self.token), self.cookies)[:2]


def _save_targets(url: str, clients: int) -> list[list[list]]:
    """Follow-ups of the active plan, split between clients: [sub_goal_id, year, lock]."""
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT sub_goal_id, year, lock_version FROM follow_up "
                "WHERE year BETWEEN 2022 AND 2026 AND archived_at IS NULL ORDER BY id"
            )
        ).all()
        sub_goals = [
            row[0]
            for row in connection.execute(
                text("SELECT id FROM sub_goal WHERE archived_at IS NULL ORDER BY id")
            )
        ]
    engine.dispose()
    return [[list(row) for row in rows[n::clients]] for n in range(clients)], sub_goals


def _phase(port, sessions, duration, choose, seed=0):
    """Every client loops until the deadline; returns per-kind latencies and errors."""
    deadline = time.monotonic() + duration
    results = []

    def run(index, client):
        rng = random.Random(seed * 1000 + index)
        latencies: dict[str, list[float]] = {}
        errors: list[str] = []
        while time.monotonic() < deadline:
            kind, method, path, data, expect, after = choose(rng, index)
            start = time.perf_counter()
            try:
                if method == "GET":
                    status, body = client.get(path, data)  # data: request headers, if any
                else:
                    status, body = client.post(path, data)
            except Exception as error:  # counted, never fatal to the run
                errors.append(f"{kind}: {error!r}")
                continue
            latencies.setdefault(kind, []).append(time.perf_counter() - start)
            if status != expect:
                errors.append(f"{kind} {path}: HTTP {status}")
            elif after:
                after()
        results.append((latencies, errors))

    threads = [
        threading.Thread(target=run, args=(index, client)) for index, client in enumerate(sessions)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + 180)
    elapsed = time.monotonic() - started
    latencies: dict[str, list[float]] = {}
    errors: list[str] = []
    for per_kind, errs in results:
        for kind, values in per_kind.items():
            latencies.setdefault(kind, []).extend(values)
        errors.extend(errs)
    return latencies, errors, elapsed


def _summary(latencies: dict, errors: list, elapsed: float) -> dict:
    every = sorted(value for values in latencies.values() for value in values)

    def pct(values, q):
        values = sorted(values)
        return (
            round(values[min(len(values) - 1, int(q * len(values)))] * 1000, 1) if values else None
        )

    return {
        "requests": len(every),
        "requests_per_s": round(len(every) / elapsed, 1),
        "p50_ms": pct(every, 0.50),
        "p99_ms": pct(every, 0.99),
        "errors": len(errors),
        "error_examples": errors[:5],
        "by_kind": {
            kind: {
                "requests": len(values),
                "per_s": round(len(values) / elapsed, 2),
                "p50_ms": pct(values, 0.5),
                "p99_ms": pct(values, 0.99),
                "median_ms": round(statistics.median(values) * 1000, 1),
            }
            for kind, values in sorted(latencies.items())
        },
    }


def run_load(url: str, duration: float, clients: int = 16, workers: int | None = None) -> dict:
    """The mixed workload for `duration` seconds, then the matrix alone and a static file of the
    same size alone for half as long each."""
    workers = workers or 2 * (os.cpu_count() or 1) + 1
    workdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    server = Server(url, workers, workdir, workdir / "gunicorn.log")
    try:
        admin = [f"admin{n:02d}" for n in range(1, 5)]
        sessions = [Client(server.port, admin[n % len(admin)]) for n in range(clients)]
        status, body = sessions[0].get(MATRIX_URL)
        if status != 200:
            raise RuntimeError(f"matrix: HTTP {status}")
        (workdir / "matrix-size.html").write_bytes(b"x" * len(body))
        targets, sub_goals = _save_targets(url, clients)
        kinds, weights = zip(*MIX, strict=True)

        def mixed(rng, index):
            kind = rng.choices(kinds, weights)[0]
            if kind == "save" and not targets[index]:
                kind = "sub_goal"  # a tiny data set has fewer follow-ups than clients
            if kind == "matrix":
                return kind, "GET", MATRIX_URL, None, 200, None
            if kind == "sub_goal":
                return kind, "GET", f"/sub-goals/{rng.choice(sub_goals)}", None, 200, None
            target = rng.choice(targets[index])
            sub_goal_id, year, lock = target
            data = {
                "status": rng.choice(("ongoing", "done")),
                "outcome": f"Belastningstest {rng.random():.6f}",
                "deviation_reason": "",
                "deviation_text": "",
                "next_steps": "",
                "lock_version": str(lock),
                "note": "",
            }

            def saved():
                target[2] += 1

            path = f"/sub-goals/{sub_goal_id}/follow-ups/{year}/edit"
            return kind, "POST", path, data, 302, saved

        mixed_result = _summary(*_phase(server.port, sessions, duration, mixed, seed=1))
        half = max(1.0, duration / 2)
        matrix_only = _summary(
            *_phase(
                server.port,
                sessions,
                half,
                lambda rng, i: ("matrix", "GET", MATRIX_URL, None, 200, None),
            )
        )
        # Each session's own validator (the page's validator names the user and the session).
        validators = [
            request(server.port, "GET", MATRIX_URL, cookies=client.cookies)[2].getheader("ETag")
            for client in sessions
        ]
        revalidated = _summary(
            *_phase(
                server.port,
                sessions,
                half,
                lambda rng, i: (
                    "revalidated",
                    "GET",
                    MATRIX_URL,
                    {"If-None-Match": validators[i]},
                    304,
                    None,
                ),
            )
        )
        static_only = _summary(
            *_phase(
                server.port,
                sessions,
                half,
                lambda rng, i: ("static", "GET", "/bench-static/matrix-size.html", None, 200, None),
            )
        )
    finally:
        server.stop()
    log = server.log_text()
    return {
        "workers": workers,
        "clients": clients,
        "duration_s": duration,
        "matrix_bytes": len(body),
        "mixed": mixed_result,
        "matrix_only": matrix_only,
        "revalidated": revalidated,
        "static_only": static_only,
        "matrix_vs_static_throughput": round(
            matrix_only["requests_per_s"] / static_only["requests_per_s"], 4
        )
        if static_only["requests_per_s"]
        else None,
        "revalidated_vs_static_throughput": round(
            revalidated["requests_per_s"] / static_only["requests_per_s"], 4
        )
        if static_only["requests_per_s"]
        else None,
        "mixed_p99_vs_p50": round(mixed_result["p99_ms"] / mixed_result["p50_ms"], 2)
        if mixed_result["p50_ms"]
        else None,
        "database_locked": log.count("database is locked"),
        "server_tracebacks": log.count("Traceback"),
    }
