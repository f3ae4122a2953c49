"""scripts/system-packages installs the system packages the tests need, or names them."""

import os
import subprocess
from pathlib import Path

from intranet import ROOT

SCRIPT = ROOT / "scripts" / "system-packages"


def _stand_ins(tmp_path: Path, uid: str, apt_exit: int) -> tuple[dict, Path]:
    """A PATH with `id` answering `uid`, and an apt-get that logs its calls and exits."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "apt-calls"
    (bin_dir / "id").write_text(f"#!/bin/sh\necho {uid}\n")
    (bin_dir / "apt-get").write_text(f'#!/bin/sh\necho "$@" >> {calls}\nexit {apt_exit}\n')
    for tool in bin_dir.iterdir():
        tool.chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "APT_GET": str(bin_dir / "apt-get"),
        "CHROMIUM_PATH": str(tmp_path / "no-chromium-here"),
    }
    return env, calls


def _run(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["sh", str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=60
    )


def test_missing_packages_are_installed_as_root(tmp_path):
    env, calls = _stand_ins(tmp_path, uid="0", apt_exit=0)
    result = _run(env)
    assert result.returncode == 0, result.stderr
    update, install = calls.read_text().splitlines()
    assert update.startswith("update")
    assert install.startswith("install -y") and "chromium" in install.split()


def test_without_root_it_fails_at_once_naming_the_package(tmp_path):
    env, calls = _stand_ins(tmp_path, uid="1000", apt_exit=0)
    result = _run(env)
    assert result.returncode == 1
    assert not calls.exists()
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "apt-get install chromium" in lines[0]


def test_a_failed_installation_names_the_package(tmp_path):
    env, _calls = _stand_ins(tmp_path, uid="0", apt_exit=100)
    result = _run(env, "--postgresql")
    assert result.returncode == 1
    assert "chromium" in result.stderr.strip().splitlines()[-1]


def test_nothing_is_installed_when_nothing_is_missing(tmp_path):
    env, calls = _stand_ins(tmp_path, uid="0", apt_exit=0)
    env["CHROMIUM_PATH"] = "/bin/sh"  # any executable stands in for the browser here
    result = _run(env)
    assert result.returncode == 0, result.stderr
    assert not calls.exists()
