"""Test harness: every test runs with its own Jupyter, IPython and home folders.

The environment is set when this file is imported, before any Jupyter module reads it, so no
test writes into the repository or the real home folder. At the end of the run the harness
checks that the repository's files are exactly as they were.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
_SANDBOX = Path(tempfile.mkdtemp(prefix="htcds-learn-tests-"))

for _name in ("HOME", "HTCDS_LEARN_HOME", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR",
              "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "MPLCONFIGDIR"):
    _path = _SANDBOX / _name.lower()
    _path.mkdir(parents=True, exist_ok=True)
    os.environ[_name] = str(_path)
os.environ["JUPYTER_PLATFORM_DIRS"] = "1"
os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
os.environ["MPLBACKEND"] = "Agg"
# Subprocesses (nbgrader, jupyter, the CLI) come from the same environment as the tests.
os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")

from hypothesis import settings  # noqa: E402 - after the environment is set

settings.register_profile("htcds", database=None, deadline=None)
settings.load_profile("htcds")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Each worker starts with its share of the tests marked ``long`` (minutes each).

    ``--dist worksteal`` first gives each worker an equal run of consecutive tests, and an
    idle worker then takes tests from the end of a busy one's queue. A long test found late,
    or two in one worker's run, would keep that worker busy alone at the end; so the long
    tests, longest first, are dealt out to the start of each worker's run.
    """
    workers = getattr(config, "workerinput", {}).get("workercount", 1)
    long_tests = sorted((item for item in items if item.get_closest_marker("long")),
                        key=lambda item: -item.get_closest_marker("long").kwargs["seconds"])
    if workers < 2 or not long_tests:
        return
    rest = [item for item in items if not item.get_closest_marker("long")]
    ordered, remaining = [], len(items)
    for worker in range(workers):
        size = remaining // (workers - worker)  # worksteal's first split, worker by worker
        remaining -= size
        mine = long_tests[worker::workers]
        taken = max(size - len(mine), 0)
        ordered += mine + rest[:taken]
        rest = rest[taken:]
    items[:] = ordered + rest


def _repo_state() -> str:
    try:
        return subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all", "--ignored=no"],
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return ""


_STATE_AT_START = _repo_state()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if hasattr(session.config, "workerinput"):
        return  # only the main pytest process checks, once
    changed = set(_repo_state().splitlines()) ^ set(_STATE_AT_START.splitlines())
    if changed:
        print("\nThe tests changed files in the repository:\n  " + "\n  ".join(sorted(changed)))
        session.exitstatus = 1


@pytest.fixture(scope="session")
def repo() -> Path:
    """The repository root (read only: tests copy what they need to change)."""
    return ROOT


@pytest.fixture
def progress_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty folder for a trainee's progress record."""
    home = tmp_path / "trainee"
    monkeypatch.setenv("HTCDS_LEARN_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def need():
    """``need(condition, reason)``: skip with the reason when a system tool is missing (a
    laptop without Chromium, say), but fail where HTCDS_LEARN_REQUIRE_BROWSER is set (CI)."""

    def check(condition: bool, reason: str) -> None:
        if not condition:
            if os.environ.get("HTCDS_LEARN_REQUIRE_BROWSER"):
                pytest.fail(f"{reason} (HTCDS_LEARN_REQUIRE_BROWSER is set)")
            pytest.skip(reason)

    return check


@pytest.fixture(scope="session")
def free_port():
    """``free_port()``: a port on 127.0.0.1 that nothing listens on now, for a test server."""
    import socket

    def pick() -> int:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            return probe.getsockname()[1]

    return pick
