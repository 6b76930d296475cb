"""The ``htcds-learn`` command run inside the test process.

A subprocess pays Python's, pandas' and Faker's start-up (seconds on a loaded CI machine) for
every call; most command tests only need what the command prints and the exit code it gives,
which :func:`htcds_learn.cli.main` returns the same way. ``tests/test_cli.py`` still runs the
real ``python -m htcds_learn.cli`` for the entry point itself, and the course commands (which
drive nbgrader's applications) keep their subprocesses.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
from pathlib import Path

from htcds_learn.cli import main


def run_cli(*args: str, cwd: str | Path | None = None) -> subprocess.CompletedProcess:
    """What ``python -m htcds_learn.cli ARGS`` gives: exit code, stdout and stderr as text."""
    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as stop:  # argparse: --help, --version and usage errors
                code = stop.code if isinstance(stop.code, int) else 0 if stop.code is None else 1
    finally:
        os.chdir(here)
    return subprocess.CompletedProcess(["htcds-learn", *args], code, out.getvalue(),
                                       err.getvalue())
