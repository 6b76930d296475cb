"""`htcds-learn course grade`: parallel grading that matches serial nbgrader (with the course's
configuration: sandboxed kernels, checks judged outside them), and survives looping, crashing,
damaged and mangled submissions, and being run twice."""

from __future__ import annotations

import csv
import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from htcds_learn.course import Course, build, feedback, grade, report
from htcds_learn.course.simulate import KINDS, write_submission

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = "ex01-htcds-basics"
BUILD_OUTPUTS = ("release", "submitted", "autograded", "feedback", "gradebook.db", "handout",
                 "reports", ".htcds-grading.json")
TIMEOUT = 4  # seconds per cell: long enough for every real cell, short for a loop


def source_cells() -> list:
    path = ROOT / "exercises" / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    return nbformat.read(path, as_version=4).cells


def check_ids() -> list[str]:
    """The ids of the exercise's automatic checks, in notebook order."""
    return [c.metadata.nbgrader.grade_id for c in source_cells() if c.cell_type == "code"
            and c.metadata.get("nbgrader", {}).get("grade")
            and not c.metadata.nbgrader.get("solution")]


def points_before_last_answer() -> float:
    """The points of the checks before the last answer cell (where "crashing" ends Python)."""
    cells = source_cells()
    answers = [i for i, c in enumerate(cells) if c.metadata.get("nbgrader", {}).get("solution")
               and c.cell_type == "code"]
    return sum(c.metadata.nbgrader.get("points", 0) for c in cells[:answers[-1]]
               if c.metadata.get("nbgrader", {}).get("grade"))


def fresh_course(path: Path) -> Course:
    shutil.copytree(ROOT / "exercises", path, ignore=shutil.ignore_patterns(*BUILD_OUTPUTS))
    return Course.open(path)


def grades_by_student(course: Course, tmp: Path) -> dict[str, dict]:
    """nbgrader's own export of the gradebook, one row per trainee."""
    out = tmp / f"grades-{course.root.name}.csv"
    course.nbgrader("export", "--to", str(out))
    with open(out, newline="") as handle:
        return {row["student_id"]: row for row in csv.DictReader(handle)}


def cell_scores(course: Course) -> dict[tuple[str, str], float | None]:
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gradebook:
        return {(s.student.id, g.name): g.auto_score
                for s in gradebook.assignment_submissions(ASSIGNMENT)
                for n in s.notebooks for g in n.grades}


@pytest.fixture(scope="module")
def workshop(tmp_path_factory):
    """One course graded in parallel by us, and a copy graded serially by nbgrader."""
    tmp = tmp_path_factory.mktemp("workshop")
    ours = fresh_course(tmp / "ours")
    zips = build(ours, [ASSIGNMENT])
    for kind in KINDS:
        write_submission(ours, ASSIGNMENT, kind, kind)
    serial = tmp / "serial"
    shutil.copytree(ours.root, serial)
    serial = Course.open(serial)
    result = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT,
                             f"--Execute.timeout={TIMEOUT}"], cwd=serial.root,
                            capture_output=True, text=True, timeout=600)
    # nbgrader exits 1 when any submission failed (here: the broken and crashing ones)
    assert result.returncode in (0, 1), result.stderr[-2000:]
    run = grade(ours, [ASSIGNMENT], workers=2, timeout=TIMEOUT)
    return {"ours": ours, "serial": serial, "run": run, "zips": zips, "tmp": tmp}


def result_of(workshop, student):
    return next(r for r in workshop["run"].results if r.student == student)


def test_build_releases_and_zips_the_assignment(workshop):
    import zipfile

    (path,) = workshop["zips"]
    assert path.name == f"{ASSIGNMENT}.zip"
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == [f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb"]
        text = archive.read(f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb").decode()
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text


def test_parallel_scores_are_identical_to_serial_nbgrader(workshop):
    ours = grades_by_student(workshop["ours"], workshop["tmp"])
    serial = grades_by_student(workshop["serial"], workshop["tmp"])
    assert set(ours) == set(KINDS)
    assert ours == serial
    assert cell_scores(workshop["ours"]) == cell_scores(workshop["serial"])


def test_each_kind_of_submission_scores_as_expected(workshop):
    scores = {r.student: r.score for r in workshop["run"].results}
    full = result_of(workshop, "right").max_score
    assert scores["right"] == full > 0
    assert 0 < scores["partly-right"] < full
    assert scores["blank"] == scores["broken"] == 0
    assert 0 < scores["looping"] < full  # the loop was stopped; the checks after it ran
    # the checks of tasks 1 and 2 ran before task 3 ended Python
    assert scores["crashing"] == points_before_last_answer() > 0
    assert result_of(workshop, "right").status == "graded"
    assert result_of(workshop, "right").problems == []
    table = workshop["run"].to_frame()
    assert sorted(table["student"]) == sorted(KINDS)
    assert table.set_index("student")["score"].to_dict() == scores


def test_a_looping_submission_is_stopped_and_reported(workshop):
    result = result_of(workshop, "looping")
    assert result.status == "graded-with-problems"
    assert any("time limit" in p and "task1" in p for p in result.problems)


def test_a_crashing_submission_keeps_the_points_before_the_crash_and_is_flagged(workshop):
    result = result_of(workshop, "crashing")
    assert result.status == "graded-with-problems"
    assert any("kernel stopped in the cell 'task3'" in p and "kept their points" in p
               for p in result.problems)
    assert len(workshop["run"].results) == len(KINDS)


def test_a_damaged_notebook_is_named_with_the_json_error(workshop):
    result = result_of(workshop, "broken")
    assert result.status == "failed"
    assert any(f"{ASSIGNMENT}.ipynb is damaged" in p and "line" in p for p in result.problems)


def test_mangled_cells_are_reported_one_sentence_each(workshop):
    problems = result_of(workshop, "mangled").problems
    assert any(f"'{check_ids()[-1]}' was deleted; it was put back" in p for p in problems)
    assert any("'task1' appears 2 times" in p for p in problems)
    assert any("'task3' was changed from code to markdown" in p for p in problems)


def test_running_again_skips_unchanged_work_and_regrades_changed(workshop, tmp_path):
    course = Course.open(shutil.copytree(workshop["ours"].root, tmp_path / "again"))
    before = grades_by_student(course, tmp_path)
    write_submission(course, ASSIGNMENT, "blank", "right",
                     timestamp="2026-11-25 11:00:00.000000 UTC")
    run = grade(course, [ASSIGNMENT], workers=2, timeout=TIMEOUT)
    status = {r.student: r.status for r in run.results}
    assert status["right"] == status["partly-right"] == status["mangled"] == "skipped"
    assert status["blank"] == "graded"  # it changed
    assert status["broken"] == "failed"  # failures are always tried again
    after = grades_by_student(course, tmp_path)
    assert float(after["blank"]["score"]) == float(before["right"]["score"])
    for student in ("right", "partly-right", "looping", "mangled"):
        assert after[student] == before[student]


def test_feedback_shows_no_hidden_test_code_or_traceback(workshop):
    course = workshop["ours"]
    pages = feedback(course, [ASSIGNMENT])
    graded = {p.parent.name for p in course.autograded.glob(f"*/{ASSIGNMENT}")}
    assert {page.parents[1].name for page in pages} == graded
    source = (course.source / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text("utf-8")
    notebook = nbformat.reads(source, as_version=4)
    hidden = [line.strip() for cell in notebook.cells
              for block in re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS",
                                      cell.source, re.S)
              for line in block.splitlines() if len(line.strip()) > 8]
    assert hidden
    for page in pages:
        text = html.unescape(page.read_text("utf-8"))
        assert "HIDDEN TESTS" not in text
        assert not re.search(r'<(script|link|img)[^>]+(src|href)="https?://', text), (
            f"{page} loads something from the internet")
        for line in hidden:
            assert line not in text, f"{page}: hidden test line shown: {line!r}"
    partly = html.unescape((course.feedback / "partly-right" / ASSIGNMENT /
                            f"{ASSIGNMENT}.html").read_text("utf-8"))
    # the trainee still sees why a check failed (task 2 was left as handed out)
    assert "Check not passed" in partly and "con_Consent: ask it." in partly
    assert '"score": ' in partly


def test_the_class_report_has_grades_plots_and_who_is_missing(workshop, tmp_path):
    course = workshop["ours"]
    summaries = tmp_path / "summaries"
    summaries.mkdir()
    (summaries / "bad.json").write_text("{not json", "utf-8")
    result = report(course, roster=["amina", *KINDS], completions=summaries)
    with open(result.files["grades"], newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["student_id"] for row in rows} == set(KINDS)
    assert result.missing.to_dict("records") == [{"trainee": "amina",
                                                  "assignment": ASSIGNMENT}]
    assert result.checks["passed_share"].is_monotonic_increasing
    assert set(result.checks["check"]) == set(check_ids())
    page = result.files["class-report"].read_text("utf-8")
    assert page.count("data:image/png;base64,") == 2
    assert "amina" in page and "bad.json" in page
    resubmit = result.queues["needs resubmission"]
    assert set(resubmit["person"]) == {"broken"}
    # a notebook whose kernel stopped keeps the points of the checks before (issue 12), and
    # the report says why the rest scored zero
    (crashing,) = result.people[result.people["person"] == "crashing"].to_dict("records")
    assert crashing["status"] == "graded" and crashing["score"] == points_before_last_answer()
    assert "kernel stopped" in crashing["problems"]
