"""Ctrl-C during `htcds-learn course grade`: it stops within seconds, keeps what was graded,
leaves no scratch folder and no process behind, and the next run goes on from there.

The command runs as a real subprocess in a process group of its own, as in a terminal; the
test sends SIGINT to the whole group (what Ctrl-C does), twice, once the first result shows.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from htcds_learn.course import Course, build
from htcds_learn.course.simulate import write_submission

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = "ex01-htcds-basics"
BUILD_OUTPUTS = ("release", "submitted", "autograded", "feedback", "gradebook.db", "handout",
                 "reports", ".htcds-grading.json")
TRAINEES = {"a-right": "right", "b-loop": "looping", "c-loop": "looping", "d-loop": "looping",
            "e-right": "right"}


def command(course: Course, timeout: int) -> list[str]:
    return [sys.executable, "-m", "htcds_learn.cli", "course", "--course", str(course.root),
            "grade", ASSIGNMENT, "--workers", "2", "--timeout", str(timeout)]


def processes_mentioning(text: str) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if text in line:
                found.append(line[:200])
    return found


@pytest.mark.long(seconds=104)
def test_ctrl_c_stops_grading_within_seconds_and_a_rerun_goes_on(tmp_path):
    course = Course.open(shutil.copytree(ROOT / "exercises", tmp_path / "course",
                                         ignore=shutil.ignore_patterns(*BUILD_OUTPUTS)))
    build(course, [ASSIGNMENT])
    for student, kind in TRAINEES.items():
        write_submission(course, ASSIGNMENT, student, kind)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    grading = subprocess.Popen(command(course, 60), env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    seen = []
    for line in grading.stdout:
        seen.append(line)
        if "a-right" in line:
            break
    else:
        raise AssertionError("grading ended before any result:\n" + "".join(seen))
    stopped_at = time.monotonic()
    os.killpg(grading.pid, signal.SIGINT)
    time.sleep(0.3)
    os.killpg(grading.pid, signal.SIGINT)  # an impatient second Ctrl-C must not hang it
    rest, _ = grading.communicate(timeout=60)
    took = time.monotonic() - stopped_at
    output = "".join(seen) + rest
    assert grading.returncode == 130, output
    assert took < 15, f"took {took:.1f} s to stop"
    assert "Stopped by Ctrl-C" in output and "run the same command again" in output

    ledger = json.loads((course.root / ".htcds-grading.json").read_text("utf-8"))
    graded = {key.split("/")[1] for key in ledger if not key.startswith("_")}
    assert "a-right" in graded and len(graded) < len(TRAINEES), output
    assert ledger[f"{ASSIGNMENT}/a-right"]["status"] == "graded", (ledger, output)
    assert (course.autograded / "a-right" / ASSIGNMENT).is_dir()
    assert list(scratch.iterdir()) == []  # no scratch folder left behind
    time.sleep(1)
    assert processes_mentioning(str(scratch)) == []
    assert processes_mentioning(str(course.root)) == []

    again = subprocess.run(command(course, 3), env=env, capture_output=True, text=True,
                           timeout=600)
    assert again.returncode == 0, again.stdout + again.stderr
    # the re-run grades only what the first run did not finish; the rest is kept
    assert again.stdout.startswith(f"Grading {len(TRAINEES) - len(graded)} submission(s); "
                                   f"{len(graded)} unchanged since the last run")
    statuses = {line.split()[1]: line.split()[3] for line in again.stdout.splitlines()
                if line.strip().startswith(ASSIGNMENT)}
    assert set(statuses) == set(TRAINEES) - graded
    assert all(status in ("graded", "graded-with-problems") for status in statuses.values())
    ledger = json.loads((course.root / ".htcds-grading.json").read_text("utf-8"))
    assert ledger[f"{ASSIGNMENT}/a-right"]["status"] == "graded"
    assert list(scratch.iterdir()) == []
