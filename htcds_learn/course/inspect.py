"""Say plainly what is wrong with a submitted notebook, before and after nbgrader grades it.

nbgrader copes with most damage on its own (it restores locked cells, keeps the last copy of a
duplicated cell, re-adds deleted test cells, turns a retyped cell back), but it reports that in
a log nobody reads. These functions put the same facts in one sentence each, for the
instructor and for the trainee's feedback.

>>> import nbformat
>>> source = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
...     "assert x", metadata={"nbgrader": {"grade_id": "check", "grade": True}})])
>>> cell_problems(source, nbformat.v4.new_notebook(), "ex.ipynb")
["ex.ipynb: the cell 'check' was deleted; it was put back from the release for grading."]
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import nbformat

TIMEOUT_ERROR = "CellTimeoutError"


def _graded_cells(notebook: nbformat.NotebookNode) -> list[tuple[str, str, bool]]:
    """(grade_id, cell type, is graded) of every cell nbgrader tracks, in order."""
    cells = []
    for cell in notebook.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade_id") and (meta.get("grade") or meta.get("solution")
                                     or meta.get("locked") or meta.get("task")):
            cells.append((meta["grade_id"], cell.cell_type,
                          bool(meta.get("grade") or meta.get("task"))))
    return cells


def read_notebook(path: Path) -> tuple[nbformat.NotebookNode | None, str]:
    """The notebook, or None and a plain sentence saying why it cannot be read."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return None, (f"{path.name} is not a notebook (it is not text). Ask the trainee to "
                      "download it again from Jupyter (File > Download) and resubmit.")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return None, (f"{path.name} is damaged: it is not valid notebook JSON (line "
                      f"{error.lineno}, column {error.colno}: {error.msg}). Ask the trainee to "
                      "download it again from Jupyter (File > Download) and resubmit.")
    try:
        notebook = nbformat.convert(nbformat.from_dict(data), 4)  # parsed once, above
        nbformat.validate(notebook)
    except Exception as error:  # nbformat raises several kinds for malformed notebooks
        return None, (f"{path.name} is not a valid Jupyter notebook "
                      f"({str(error).splitlines()[0]}). Ask the trainee to resubmit it.")
    return notebook, ""


def cell_problems(source: nbformat.NotebookNode, submitted: nbformat.NotebookNode,
                  name: str) -> list[str]:
    """Cells deleted, duplicated or changed to another type, compared with the source."""
    expected = {grade_id: kind for grade_id, kind, _ in _graded_cells(source)}
    restored = {grade_id for grade_id, _, graded in _graded_cells(source) if graded}
    found = [(grade_id, kind) for grade_id, kind, _ in _graded_cells(submitted)]
    counts = Counter(grade_id for grade_id, _ in found)
    problems = []
    for grade_id in expected:
        if grade_id not in counts:
            problems.append(f"{name}: the cell '{grade_id}' was deleted; " + (
                "it was put back from the release for grading." if grade_id in restored else
                "nbgrader cannot put it back, so checks that need it may fail."))
    for grade_id, count in counts.items():
        if count > 1 and grade_id in expected:
            problems.append(f"{name}: the cell '{grade_id}' appears {count} times; only the "
                            "last copy was graded.")
    seen = set()
    for grade_id, cell_type in found:
        if grade_id in expected and cell_type != expected[grade_id] and grade_id not in seen:
            seen.add(grade_id)
            problems.append(f"{name}: the cell '{grade_id}' was changed from "
                            f"{expected[grade_id]} to {cell_type}; it was graded as "
                            f"{expected[grade_id]}.")
    return problems


def inspect_submission(source_dir: Path, submission_dir: Path) -> list[str]:
    """Every problem with one trainee's submission of one assignment, before grading.

    ``source_dir`` is ``source/<assignment>``; ``submission_dir`` is
    ``submitted/<trainee>/<assignment>``.
    """
    problems = []
    for source_path in sorted(source_dir.glob("*.ipynb")):
        submitted_path = submission_dir / source_path.name
        if not submitted_path.exists():
            problems.append(f"{source_path.name} was not submitted; it scores zero.")
            continue
        notebook, why = read_notebook(submitted_path)
        if notebook is None:
            problems.append(why)
            continue
        source = nbformat.read(source_path, as_version=4)
        problems.extend(cell_problems(source, notebook, source_path.name))
    return problems


def timed_out_cells(notebook_path: Path) -> list[str]:
    """The graded cells that nbgrader stopped at the time limit (usually an endless loop)."""
    notebook = nbformat.read(notebook_path, as_version=4)
    stopped = []
    for index, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type == "code" and any(
                output.get("ename") == TIMEOUT_ERROR for output in cell.get("outputs", [])):
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            stopped.append(grade_id or f"cell {index}")
    return stopped
