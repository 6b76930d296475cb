"""The grading steps the course adds to nbgrader: pieces that need no kernel.

Feedback from trusted parts, the release form of a check cell, and the verdict written in the
form nbgrader's own scoring reads (so SaveAutoGrades stores the grader's score).
"""

from __future__ import annotations

import nbformat
from nbgrader.utils import determine_grade

from htcds_learn.course.checks import MIME, Verdict
from htcds_learn.course.nbgrader_steps import (
    _Source,
    release_form,
    safe_for_trainee,
    verdict_outputs,
)

CHECK = ('answer = record(x=variable("x"))\nexpect(answer["x"] == 1, "x should be 1")\n'
         '### BEGIN HIDDEN TESTS\nexpect(answer["x"] != 99, "secret_expected_value_99")\n'
         '### END HIDDEN TESTS')


def check_cell(outputs) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("tampered", metadata={"nbgrader": {
        "grade_id": "check1", "grade": True, "solution": False, "locked": True,
        "points": 4}})
    cell.outputs = outputs
    return cell


def test_nbgrader_scores_each_verdict_as_the_grader_decided():
    for score, status in ((4.0, "passed"), (2.5, "partial"), (0.0, "failed"),
                          (0.0, "not-run")):
        verdict = Verdict(score, 4.0, status, ["why"] if score < 4 else [], "")
        assert determine_grade(check_cell(verdict_outputs(verdict))) == (score, 4.0)


def test_feedback_keeps_the_trainees_work_and_drops_hidden_lines_and_answer_data():
    answer = nbformat.v4.new_code_cell("x = 1\nprint(In)", metadata={"nbgrader": {
        "grade_id": "task1", "solution": True, "grade": False, "locked": False}})
    answer.outputs = [nbformat.v4.new_output("stream", name="stdout", text=(
        "my own output\nexpect(answer[\"x\"] != 99, \"secret_expected_value_99\")\n"))]
    check = check_cell([
        nbformat.v4.new_output("display_data", data={MIME: {"version": 1, "answers": []}}),
        nbformat.v4.new_output("stream", name="stdout", text="Check 1 passed\n")])
    notebook = nbformat.v4.new_notebook(cells=[answer, check])
    sources = {"check1": _Source("check1", "code", True, CHECK),
               "task1": _Source("task1", "code", False, "### BEGIN SOLUTION\nx = 1\n")}
    safe = safe_for_trainee(notebook, sources)
    text = nbformat.writes(safe)
    assert "secret_expected_value_99" not in text and "HIDDEN" not in text
    assert safe.cells[0].source == "x = 1\nprint(In)"
    assert safe.cells[0].outputs[0].text.startswith("my own output\n(a line of the hidden")
    assert safe.cells[1].source == release_form(CHECK)  # the released check, not "tampered"
    assert MIME not in text and "Check 1 passed" in text
    assert notebook.cells[1].source == "tampered"  # the input is left as it was
