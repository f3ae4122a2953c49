"""The two Quick start commands, the test script and CI: each says what it runs, once.

The README's commands are read here (a reader copies them), but no script parses the
README: `.ci/run` calls `scripts/test`, which installs what the tests need and runs pytest.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

from intranet import ROOT
from tests.conftest import worker_database_url

TEST_SCRIPT = ROOT / "scripts" / "test"


def _quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    quick_start = readme[readme.index("## Quick start") :]
    quick_start = quick_start[: quick_start.index("\n## ", 1)]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)\n```", quick_start, re.S)]


def test_the_quick_start_has_exactly_two_commands():
    demo, tests = _quick_start_commands()
    assert demo.startswith("python3 -m venv .venv && ")
    assert demo.endswith(".venv/bin/flask --app wsgi demo serve")
    assert tests == "sh scripts/test"


def test_ci_runs_the_test_script_on_both_databases_and_never_reads_the_readme():
    ci = (ROOT / ".ci" / "run").read_text()
    commands = [line for line in ci.splitlines() if line and not line.startswith("#")]
    assert not any("README" in line for line in commands)
    assert commands.count("sh scripts/test") == 2
    first, second = (i for i, line in enumerate(commands) if line == "sh scripts/test")
    assert any("TEST_DATABASE_URL=" in line for line in commands[first:second])


def test_the_test_script_is_executable_sh():
    assert os.access(TEST_SCRIPT, os.X_OK)
    assert TEST_SCRIPT.read_text().startswith("#!/bin/sh\n")


def _fake_checkout(tmp_path: Path, venv: bool = True) -> tuple[Path, Path]:
    """A checkout with the real scripts/test and stand-ins that log how they are called:
    scripts/system-packages, python3 (makes the venv), .venv/bin/pip and .venv/bin/python."""
    checkout, calls = tmp_path / "checkout", tmp_path / "calls"
    (checkout / "scripts").mkdir(parents=True)
    shutil.copy(TEST_SCRIPT, checkout / "scripts" / "test")
    (checkout / "scripts" / "system-packages").write_text(f'echo "system-packages $*" >> {calls}\n')
    logger = f'#!/bin/sh\necho "$(basename "$0") $*" >> {calls}\n'
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "logger").write_text(logger)
    make_venv = (
        f"mkdir -p .venv/bin\nfor t in pip python; do cp {bin_dir / 'logger'} .venv/bin/$t; done\n"
    )
    (bin_dir / "python3").write_text(logger + make_venv)
    for tool in bin_dir.iterdir():
        tool.chmod(0o755)
    if venv:
        subprocess.run([bin_dir / "python3"], cwd=checkout, check=True)
        calls.unlink()
    return checkout, calls


def _run(tmp_path: Path, *args: str, venv: bool = True, **env: str) -> list[str]:
    checkout, calls = _fake_checkout(tmp_path, venv)
    environment = {**os.environ, "PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}", **env}
    environment.pop("TEST_WORKERS", None)
    environment.update(env)
    result = subprocess.run(
        ["sh", "scripts/test", *args],
        cwd=checkout,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return calls.read_text().splitlines()


def test_on_a_fresh_machine_it_installs_everything_then_runs_the_whole_suite(tmp_path):
    assert _run(tmp_path, venv=False) == [
        "system-packages ",
        "python3 -m venv .venv",
        "pip install -q --disable-pip-version-check -e .[test]",
        "python -m pytest -n 2 --dist loadgroup",
    ]


def test_arguments_pass_through_to_pytest(tmp_path):
    calls = _run(tmp_path, "-m", "not browser", "-x", "tests/matrix")
    assert calls[-1] == "python -m pytest -n 2 --dist loadgroup -m not browser -x tests/matrix"
    assert "python3 -m venv .venv" not in calls  # an existing .venv is reused


def test_fast_is_the_daily_tier_and_the_workers_can_be_chosen(tmp_path):
    calls = _run(tmp_path, "--fast", "tests/plans", TEST_WORKERS="0")
    assert calls[-1] == (
        "python -m pytest -n 0 --dist loadgroup -m not browser and not slow tests/plans"
    )


def test_each_xdist_worker_gets_a_database_of_its_own():
    postgresql = "postgresql+psycopg://postgres@127.0.0.1:5432/handlingsplan_test"
    assert worker_database_url(postgresql, "gw1") == (
        "postgresql+psycopg://postgres@127.0.0.1:5432/handlingsplan_test_gw1"
    )
    assert worker_database_url("sqlite:////tmp/x/test.sqlite", "gw0") == (
        "sqlite:////tmp/x/test-gw0.sqlite"
    )


def test_this_worker_runs_on_its_own_database(app):
    """Under xdist (as scripts/test runs the suite) the app's database names the worker."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if worker and os.environ.get("TEST_DATABASE_URL"):
        assert url == os.environ["TEST_DATABASE_URL"]
        assert worker in url
    elif not worker:
        assert "gw" not in url.rsplit("/", 1)[-1]


def test_the_browser_tests_are_marked_by_where_they_live():
    collected = subprocess.run(
        [*_pytest(), "--collect-only", "-q", "-m", "browser", "tests/browser", "tests/setup"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    tests = [line for line in collected.stdout.splitlines() if "::" in line]
    assert tests and all(line.startswith("tests/browser/") for line in tests)


def _pytest() -> list[str]:
    import sys

    return [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"]
