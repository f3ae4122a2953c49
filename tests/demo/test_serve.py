"""The README's demo command: a real process that migrates, loads and serves."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow  # a fresh interpreter migrates and loads the demo: about 3 s
def test_demo_serve_migrates_loads_and_serves(tmp_path):
    port = _free_port()
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite'}",
        "DEMO_PASSWORD": "demo-password-for-tests",
        "SECRET_KEY": "test",
    }
    flask = [sys.executable, "-m", "flask", "--app", "wsgi", "demo", "serve", "--port", str(port)]
    server = subprocess.Popen(
        flask, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as page:
                    assert page.status == 200
                    assert "Logga in" in page.read().decode()
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "the demo server did not start"
                time.sleep(0.3)
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]
    assert "Demo password: demo-password-for-tests" in output
    assert "records created" in output
