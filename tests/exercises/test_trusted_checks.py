"""Every exercise is graded by trusted checks (see htcds_learn.course.checks): a cheap guard
so that a plain nbgrader assert, judged in the trainee's own kernel, cannot come back."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from htcds_learn.course.checks import split_check
from htcds_learn.course.nbgrader_steps import is_check, is_setup, release_form

SOURCE = Path(__file__).resolve().parents[2] / "exercises" / "source"
NOTEBOOKS = sorted(SOURCE.glob("*/*.ipynb"))


def test_there_are_exercises_to_check():
    assert len(NOTEBOOKS) >= 10


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.parent.name)
def test_every_graded_check_records_its_answers(path):
    cells = nbformat.read(path, as_version=4).cells
    checks = [cell for cell in cells if is_check(cell)]
    assert checks, "an exercise with no automatic check"
    plain = [cell.metadata["nbgrader"]["grade_id"] for cell in checks
             if split_check(cell.source) is None]
    assert plain == [], f"checks without 'answer = record(...)', judged in the kernel: {plain}"
    for cell in checks:
        name, _ = split_check(cell.source)
        assert name == "answer"
        # the recording statement is visible: the trainee's kernel must run it
        assert split_check(release_form(cell.source)) is not None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.parent.name)
def test_the_grader_runs_exactly_the_setup_cells_and_they_import_the_check_api(path):
    cells = nbformat.read(path, as_version=4).cells
    setup = [cell for cell in cells if cell.cell_type == "code"
             and is_setup(cell.metadata.get("nbgrader", {}).get("grade_id", ""))]
    assert setup and all(cell.metadata["nbgrader"].get("locked") for cell in setup)
    assert any("from htcds_learn.course.checks import" in cell.source for cell in setup)
