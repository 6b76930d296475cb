"""The `course` commands as an instructor meets them in a terminal: quiet scores, a progress
line, documented exit codes, re-grades that report only what changed, and no one left
without a feedback page."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from htcds_learn.course import Course, build
from htcds_learn.course.simulate import write_submission

ROOT = Path(__file__).resolve().parents[2]
EX01 = "ex01-htcds-basics"
BUILD_OUTPUTS = ("release", "submitted", "autograded", "feedback", "gradebook.db", "handout",
                 "reports", ".htcds-grading.json", "intake")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "htcds_learn.cli", *args],
                          capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cli")
    course = Course.open(shutil.copytree(ROOT / "exercises", tmp / "course",
                                         ignore=shutil.ignore_patterns(*BUILD_OUTPUTS)))
    build(course, [EX01])
    for student, kind in (("amina", "right"), ("bo", "broken"), ("cy", "partly-right")):
        write_submission(course, EX01, student, kind)
    first = run("course", "--course", str(course.root), "grade", EX01, "--workers", "2",
                "--timeout", "20")
    write_submission(course, EX01, "cy", "right", timestamp="2026-11-26 10:00:00.000000 UTC")
    second = run("course", "--course", str(course.root), "grade", EX01, "--workers", "2",
                 "--timeout", "20")
    return {"course": course, "first": first, "second": second}


def test_grading_output_has_scores_and_progress_but_no_third_party_warnings(graded):
    first = graded["first"]
    assert first.returncode == 1, first.stderr  # bo's notebook could not be graded
    assert first.stderr == ""
    lines = first.stdout.splitlines()
    assert lines[0] == "Grading 3 submission(s); 0 unchanged since the last run (not graded " \
                       "again)."
    scored = [line for line in lines if line.startswith(f"  {EX01}")]
    assert len(scored) == 3 and scored[-1].endswith("[3/3, done]")
    assert any("about" in line and "left]" in line for line in scored[:-1])
    assert "WARNING" not in first.stdout and "SAWarning" not in first.stdout
    assert "Exit code 1: 1 submission(s) could not be graded" in first.stdout
    log = graded["course"].reports / "grading.log"
    assert log.exists()
    assert f"are in {log}" in first.stdout


def test_a_regrade_reports_only_what_changed(graded):
    second = graded["second"].stdout
    assert second.startswith("Grading 2 submission(s); 1 unchanged")  # cy changed, bo retried
    assert "amina" not in second.split("Problems")[0].split("Done")[0]
    assert "1 unchanged submission(s) were not graded again" in second
    problems = second.split("Problems in the submissions graded now:")[1]
    assert "bo / ex01" in problems and "amina" not in problems


def test_the_exit_codes_are_documented_in_the_help():
    helped = run("course", "grade", "--help")
    assert "exit codes:" in helped.stdout
    assert "1  some submissions could not be graded" in helped.stdout
    assert "2  the command could not run" in helped.stdout


def test_feedback_gives_every_submission_a_page_and_says_who_could_not_be_graded(graded):
    course = graded["course"]
    result = run("course", "--course", str(course.root), "feedback", EX01)
    assert result.returncode == 0, result.stderr
    assert "1 submission(s) could not be graded; each got a page" in result.stdout
    assert f"  bo / {EX01}" in result.stdout
    assert "no feedback page yet" not in result.stdout
    assert (course.feedback / "bo" / EX01 / f"{EX01}.html").exists()


def test_due_report_and_export_from_the_command_line(graded):
    course = graded["course"]
    due = run("course", "--course", str(course.root), "due", EX01, "2026-11-25 17:00")
    assert due.returncode == 0 and "due 2026-11-25 17:00 UTC" in due.stdout
    bad = run("course", "--course", str(course.root), "due", EX01, "next tuesday-ish")
    assert bad.returncode == 2 and "is not a date and time" in bad.stderr
    assert "Traceback" not in bad.stderr
    report = run("course", "--course", str(course.root), "report")
    assert report.returncode == 0, report.stderr
    assert "3 people, 1 exercise(s) set, 0 missing submission(s), 1 to resubmit" in report.stdout
    export = run("course", "--course", str(course.root), "export", "--lms", "canvas",
                 "--column", f"{EX01}=HTCDS basics (555)")
    assert export.returncode == 0, export.stderr
    assert "Left out (3)" in export.stdout and "no Canvas user id" in export.stdout
    wrong = run("course", "--course", str(course.root), "export", "--lms", "canvas",
                "--column", "ex01")
    assert wrong.returncode == 2 and "needs ASSIGNMENT=HEADER" in wrong.stderr


def test_the_readme_and_the_guide_agree_with_the_course_settings():
    """One time limit everywhere (the walkthrough found 60 and 30), and both say how to start
    Formgrader and bring in an unmatched file."""
    import re

    config = (ROOT / "exercises" / "nbgrader_config.py").read_text("utf-8")
    (limit,) = set(re.findall(r"^c\.Execute\.timeout = (\d+)$", config, re.M))
    readme = (ROOT / "README.md").read_text("utf-8")
    guide = (ROOT / "trainers" / "README.md").read_text("utf-8")
    assert f"({limit} s per cell)" in readme
    assert f"The time limit\n   per cell is {limit} seconds" in guide
    assert not re.search(r"--timeout \d+", readme + guide)
    for text in (readme, guide):
        flat = " ".join(text.replace("*", "").split())
        assert "inside `exercises/`" in flat and "Formgrader" in flat
    assert "To bring one in: make a folder named after the person's id" in \
        " ".join(guide.split())
    assert "roster.csv" in readme and "roster.csv" in guide
