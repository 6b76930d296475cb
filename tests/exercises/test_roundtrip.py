"""Every exercise, released and graded by the real nbgrader commands.

For each assignment in exercises/source/, in a temporary copy of the course: release it, then
autograde the solution, the untouched release, and the submissions in answers/<assignment>.json
(answers that follow the task text literally, which must score full marks, and plausibly wrong
ones, with the score each must get), and export the grades. nbgrader's exit codes say little
about grades, so the test reads the grades.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from htcds_learn.course import Course
from htcds_learn.course.grading import graded_facts
from htcds_learn.course.nbgrader_steps import is_check
from htcds_learn.course.simulate import solution_answers

ROOT = Path(__file__).resolve().parents[2]
COURSE = ROOT / "exercises"
ASSIGNMENTS = sorted(p.name for p in (COURSE / "source").iterdir() if p.is_dir())
ANSWERS = Path(__file__).resolve().parent / "answers"
SOLUTION_REGION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)
BUILD_OUTPUTS = ("release", "submitted", "autograded", "feedback", "gradebook.db")
_spec = importlib.util.spec_from_file_location("exercise_workbooks",
                                               Path(__file__).resolve().parent / "workbooks.py")
workbooks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(workbooks)


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def submit(course: Path, assignment: str, student: str, answers: dict[str, str],
           files: dict[str, str] | None = None) -> None:
    """A trainee's submission: the released notebook with their code in the answer cells, and
    the assignment's other files (workbooks), edited by hand as ``files`` names a recipe."""
    released = course / "release" / assignment
    target = course / "submitted" / student / assignment
    target.mkdir(parents=True)
    for path in released.iterdir():
        if path.is_file() and path.suffix != ".ipynb":
            shutil.copy2(path, target / path.name)
    for name, recipe in (files or {}).items():
        workbooks.RECIPES[recipe](target / name)
    for path in released.glob("*.ipynb"):
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if cell.metadata.get("nbgrader", {}).get("solution") and grade_id in answers:
                cell.source = answers[grade_id]
        nbformat.write(notebook, target / path.name)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_exercise_released_submitted_and_graded_by_nbgrader(assignment, tmp_path,
                                                                 subtests):
    """One test per assignment, each claim below a subtest of it: a test is what pytest-xdist
    hands to a worker, so the minute of real nbgrader work is done once, on one worker (as
    a module fixture shared by six tests it was made twice when worksteal split them)."""
    graded = round_trip(assignment, tmp_path)
    claims = [solution_scores_full_marks, solution_is_graded_by_the_trusted_checks,
              untouched_release_scores_zero, each_submission_scores_what_it_deserves,
              release_contains_no_solution_and_no_hidden_test]
    if graded["points"]["manual"]:
        claims.append(manual_answers_are_left_for_the_trainer)
    for claim in claims:
        with subtests.test(msg=claim.__name__):
            claim(graded)


def round_trip(assignment: str, folder: Path) -> dict:
    course = folder / "course"
    shutil.copytree(COURSE, course, ignore=shutil.ignore_patterns(*BUILD_OUTPUTS))
    nbgrader(course, "generate_assignment", assignment, "--force")

    source_answers = solution_answers(Course.open(course), assignment)
    points = {"auto": 0.0, "manual": 0.0}
    for path in (course / "source" / assignment).glob("*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade"):
                points["manual" if meta.get("solution") else "auto"] += meta.get("points", 0)
    answers = json.loads((ANSWERS / f"{assignment}.json").read_text("utf-8"))
    submissions = answers["submissions"]
    submit(course, assignment, "solution", source_answers, answers.get("solution_files"))
    submit(course, assignment, "untouched", {})
    for student, submission in submissions.items():
        submit(course, assignment, student, submission["answers"], submission.get("files"))

    nbgrader(course, "autograde", assignment, "--force")
    nbgrader(course, "export", "--to", "grades.csv")
    with open(course / "grades.csv", newline="") as handle:
        grades = {row["student_id"]: row for row in csv.DictReader(handle)
                  if row["assignment"] == assignment}
    return {"assignment": assignment, "course": course, "grades": grades,
            "answers": source_answers, "points": points, "submissions": submissions}


def solution_scores_full_marks(graded: dict) -> None:
    """Full marks for everything nbgrader grades itself; manual answers wait for a person."""
    row = graded["grades"]["solution"]
    points = graded["points"]
    assert float(row["max_score"]) == points["auto"] + points["manual"] > 0
    assert float(row["score"]) == points["auto"]


def solution_is_graded_by_the_trusted_checks(graded: dict) -> None:
    """Every check of the solution was judged by the grader (not the kernel) and passed, and
    grading raised no problem: no setup cell the grader could not run, no plain nbgrader
    check, no kernel stop, no integrity flag. A problem would mark even a right answer
    "graded-with-problems" in the class report."""
    folder = graded["course"] / "autograded" / "solution" / graded["assignment"]
    problems, integrity = graded_facts(folder)
    assert problems == [] and integrity == []
    checks = [cell.metadata["nbgrader"]["grade_id"]
              for path in (graded["course"] / "source" / graded["assignment"]).glob("*.ipynb")
              for cell in nbformat.read(path, as_version=4).cells if is_check(cell)]
    verdicts = {}
    for path in folder.glob("*.ipynb"):
        verdicts.update(nbformat.read(path, as_version=4).metadata["htcds_learn"]["checks"])
    assert checks and sorted(verdicts) == sorted(checks)
    assert {v["status"] for v in verdicts.values()} == {"passed"}


def manual_answers_are_left_for_the_trainer(graded: dict) -> None:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{graded['course'] / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(graded["assignment"], "solution")
        manual = [g for notebook in submission.notebooks for g in notebook.grades
                  if g.auto_score is None]
        assert manual and all(g.needs_manual_grade for g in manual)


def untouched_release_scores_zero(graded: dict) -> None:
    assert float(graded["grades"]["untouched"]["score"]) == 0


def each_submission_scores_what_it_deserves(graded: dict) -> None:
    """Literal answers get full marks; each plausible mistake costs its own points, no more."""
    assert any(s["score"] != "full" for s in graded["submissions"].values()), (
        "every assignment keeps at least one plausibly wrong answer")
    for student, submission in graded["submissions"].items():
        score = float(graded["grades"][student]["score"])
        expected = submission["score"]
        if expected == "full":
            assert score == graded["points"]["auto"], (student, score, submission["why"])
        elif expected == "less":
            assert 0 <= score < graded["points"]["auto"], (student, score, submission["why"])
        else:
            assert score == expected, (student, score, submission["why"])


def release_contains_no_solution_and_no_hidden_test(graded: dict) -> None:
    course, assignment = graded["course"], graded["assignment"]
    source_text = "\n".join(
        cell.source for path in (course / "source" / assignment).glob("*.ipynb")
        for cell in nbformat.read(path, as_version=4).cells)
    hidden = re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", source_text, re.S)
    assert hidden, "every assignment should have hidden tests"
    for path in (course / "release" / assignment).glob("*.ipynb"):
        released = path.read_text("utf-8")
        assert "BEGIN SOLUTION" not in released and "HIDDEN TESTS" not in released
        notebook = nbformat.read(path, as_version=4)
        released_code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
        released_lines = {line.strip() for line in released_code.splitlines()}
        regions = SOLUTION_REGION.findall(source_text)
        assert regions, "every assignment should have solution regions"
        solution_lines = [line.strip() for region in regions
                          for line in region.splitlines() if len(line.strip()) > 12]
        for line in solution_lines:
            assert line not in released_lines, f"solution code in the release: {line!r}"
        for block in hidden:
            for line in block.splitlines():
                if len(line.strip()) > 12:
                    assert line.strip() not in released_lines, f"hidden test leaked: {line!r}"
        for cell in notebook.cells:
            if cell.cell_type == "code":
                assert cell.outputs == []
