"""Simulated trainees' submissions: a rehearsal of grading day, for benchmarks and tests.

Every kind of submission an instructor meets: right, partly right, blank (the release as
handed out), broken (not valid JSON), looping, crashing its kernel, and mangled (a check
deleted, an answer duplicated, an answer cell turned into Markdown). The "right" answers are
the source's solution regions, so a simulation needs no answer key of its own.

>>> course = Course.open("exercises")
>>> sorted(solution_answers(course, "ex01-htcds-basics"))
['task1', 'task2', 'task3']
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat

from .layout import Course

KINDS = ("right", "partly-right", "blank", "broken", "looping", "crashing", "mangled")
SOLUTION_MARKER = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*$\n?", re.M)
LOOP = "while True:  # never ends\n    pass\n"
CRASH = "import os\nos._exit(1)  # stops the kernel at once\n"


def solution_answers(course: Course, assignment: str) -> dict[str, str]:
    """The source's answer for every answer cell, without nbgrader's solution markers."""
    answers = {}
    for path in sorted((course.source / assignment).glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("solution"):
                answers[meta["grade_id"]] = SOLUTION_MARKER.sub("", cell.source)
    return answers


def _answer_cells(notebook: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("solution")
            and cell.cell_type == "code"]


def _fill(notebook: nbformat.NotebookNode, answers: dict[str, str], kind: str
          ) -> nbformat.NotebookNode:
    cells = _answer_cells(notebook)
    chosen = {cell.metadata.nbgrader.grade_id for cell in cells}
    if kind == "partly-right":  # the first half of the answers, the rest left blank
        chosen = {cell.metadata.nbgrader.grade_id for cell in cells[:max(1, len(cells) // 2)]}
    if kind != "blank":
        for cell in notebook.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in answers and grade_id in chosen:
                cell.source = answers[grade_id]
    if kind == "looping" and cells:
        cells[0].source = LOOP + cells[0].source
    if kind == "crashing" and cells:
        cells[-1].source = CRASH
    if kind == "mangled" and cells:
        checks = [i for i, c in enumerate(notebook.cells)
                  if c.metadata.get("nbgrader", {}).get("grade")
                  and not c.metadata.nbgrader.get("solution")]
        first = notebook.cells.index(cells[0])
        duplicate = copy.deepcopy(cells[0])
        duplicate.id = f"{cells[0].get('id', 'cell')}-copy"
        notebook.cells.insert(first + 1, duplicate)
        if len(cells) > 1:
            last = cells[-1]
            last.cell_type = "markdown"
            last.pop("outputs", None)
            last.pop("execution_count", None)
        if checks:
            del notebook.cells[checks[-1] + 1]  # +1: one cell was inserted before it
    return notebook


def write_submission(course: Course, assignment: str, student: str, kind: str,
                     timestamp: str = "2026-11-25 10:00:00.000000 UTC") -> Path:
    """Write ``submitted/<student>/<assignment>/`` from the release, as a ``kind`` trainee."""
    if kind not in KINDS:
        raise ValueError(f"Unknown kind {kind!r}; choose one of {', '.join(KINDS)}.")
    answers = solution_answers(course, assignment)
    target = course.submitted / student / assignment
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted((course.release / assignment).glob("*.ipynb")):
        if kind == "broken":  # a download cut short: half the JSON
            text = path.read_text("utf-8")
            (target / path.name).write_text(text[: len(text) // 2], "utf-8")
            continue
        notebook = _fill(nbformat.read(path, as_version=4), answers, kind)
        nbformat.write(notebook, target / path.name)
    (target / "timestamp.txt").write_text(timestamp, "utf-8")
    return target


def simulate_workshop(course: Course, trainees: int, kinds: dict[str, int] | None = None
                      ) -> dict[str, str]:
    """Submissions for every released assignment from ``trainees`` trainees.

    ``kinds`` says how many trainees are of each kind other than "right" (default: a mix
    in which most are right or partly right). Returns trainee -> kind.
    """
    kinds = kinds if kinds is not None else {"partly-right": trainees // 3, "blank": 2,
                                             "broken": 1, "looping": 1, "crashing": 1,
                                             "mangled": 1}
    plan: list[str] = [kind for kind, n in kinds.items() for _ in range(n)]
    plan += ["right"] * max(0, trainees - len(plan))
    who = {f"trainee{i + 1:02d}": kind for i, kind in enumerate(plan[:trainees])}
    for assignment in course.released():
        for student, kind in who.items():
            write_submission(course, assignment, student, kind)
    return who
