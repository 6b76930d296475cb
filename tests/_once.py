"""Work the suite's workers share: done once per run, by whichever worker asks first.

pytest-xdist hands a module's tests to whichever worker is free, so a module-scoped fixture
can be made on both workers, or twice on one when its tests arrive out of order (seen: three
exercises' nbgrader round trips, half a minute to a minute each, made twice in one run).
:func:`once` makes the result once, under the run's shared temporary folder; every later
asker, on any worker, waits for it and reads it.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of this whole run: shared by the workers, new for each run."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once(tmp_path_factory: pytest.TempPathFactory, name: str,
         make: Callable[[Path], dict[str, Any]], timeout: float = 1800) -> dict[str, Any]:
    """``make(folder)`` run once per test run (``folder`` is new and empty; the result must
    be JSON). An asker that comes while it runs waits; if it failed, every asker fails."""
    home = run_folder(tmp_path_factory) / "once" / name
    home.parent.mkdir(parents=True, exist_ok=True)
    result, failed = home / "result.json", home / "failed.txt"
    try:
        home.mkdir()  # atomic: exactly one asker makes it
    except FileExistsError:
        deadline = time.monotonic() + timeout
        while not result.exists():
            if failed.exists():
                pytest.fail(f"{name}: making it failed in another test: {failed.read_text()}")
            if time.monotonic() > deadline:
                pytest.fail(f"{name}: still not made after {timeout:.0f} s")
            time.sleep(0.2)
        return json.loads(result.read_text("utf-8"))
    try:
        value = make(home / "work")
    except BaseException as error:
        failed.write_text(f"{type(error).__name__}: {error}"[:4000], "utf-8")
        raise
    partial = home / "result.partial"
    partial.write_text(json.dumps(value), "utf-8")
    partial.replace(result)
    return value
