"""Check my work: a self-paced trainee's check of an exercise, with no instructor needed.

``hl.check_exercise("ex01-htcds-basics")`` (the last cell of every exercise in the trainee's
workspace) runs the trainee's **saved** notebook in a fresh kernel, on a scratch copy, and reads
the result of each visible check cell. It answers task by task, in the trainee's terms:

- ✔ the visible check passed (the grading runs more checks than these);
- ✘ the check failed, with the check's own message (it says what to look at);
- ⚠ the answer stopped with an error, with the last line of the error;
- "not tried yet" while the answer cell still holds nbgrader's ``raise NotImplementedError()``.

Once a task has been tried, a worked answer is offered: the model answer for that task, read
from the course's exercise source (never copied into the workspace). It works with whatever
the exercises contain: tasks are found from nbgrader's cell metadata (answer cells and graded
check cells), and the task's title from the heading above it.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .workspace import CHECK_ROLE, course_folder, workspace_folder

STUB = "raise NotImplementedError()"
TEXT_STUB = "YOUR ANSWER HERE"
CELL_TIMEOUT = 60


@dataclass
class TaskResult:
    """What the check found for one graded check cell and the answer cells before it."""

    check_id: str
    title: str
    points: float
    status: str  # "passed" | "failed" | "error" | "not tried"
    message: str = ""
    worked_answer: list[str] = field(default_factory=list)

    @property
    def tried(self) -> bool:
        return self.status != "not tried"


@dataclass
class ExerciseCheck:
    """The result of checking one exercise notebook; shows itself as a table in a notebook."""

    exercise: str
    notebook: Path
    tasks: list[TaskResult]

    def summary(self) -> str:
        passed = sum(task.status == "passed" for task in self.tasks)
        return (f"{passed} of {len(self.tasks)} visible checks passed in {self.exercise}. "
                "Your trainer's grading also runs hidden checks.")

    def _repr_html_(self) -> str:
        symbols = {"passed": "✔", "failed": "✘", "error": "⚠", "not tried": "–"}
        rows = []
        for task in self.tasks:
            words = {"passed": "The visible check passed.", "not tried": "Not tried yet."}
            said = task.message or words.get(task.status, "")
            rows.append(f"<tr><td style='font-size:1.2em'>{symbols[task.status]}</td>"
                        f"<td><b>{html.escape(task.title)}</b></td>"
                        f"<td style='text-align:left'>{html.escape(said)}</td></tr>")
        worked = "".join(
            f"<details><summary>Worked answer: {html.escape(task.title)}</summary>"
            + "".join(f"<pre>{html.escape(code)}</pre>" for code in task.worked_answer)
            + "</details>" for task in self.tasks if task.tried and task.worked_answer)
        note = ("<p><i>Checked your notebook as last saved. Save (Ctrl + S) before you "
                "check again. Worked answers appear for the tasks you have tried: try "
                "first, then compare.</i></p>")
        return (f"<p><b>{html.escape(self.summary())}</b></p>"
                "<table class='htcds-exercise-check'><tbody>" + "".join(rows)
                + f"</tbody></table>{worked}{note}")


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return source if isinstance(source, str) else "".join(source)


def _nbgrader(cell: dict[str, Any]) -> dict[str, Any]:
    return cell.get("metadata", {}).get("nbgrader", {})


def _heading(text: str) -> str:
    for line in text.splitlines():
        if line.startswith("#"):
            return line.lstrip("#").strip()
    return ""


def _error_text(outputs: list[dict[str, Any]]) -> tuple[str, str] | None:
    for output in outputs:
        if output.get("output_type") == "error":
            return output.get("ename", ""), output.get("evalue", "")
    return None


def _solutions(source_notebook: Path) -> dict[str, str]:
    """The model answer of every answer cell, by grade_id, from the course's source."""
    if not source_notebook.exists():
        return {}
    notebook = json.loads(source_notebook.read_text("utf-8"))
    found = {}
    for cell in notebook["cells"]:
        meta = _nbgrader(cell)
        if meta.get("solution"):
            text = _source(cell)
            inside = re.findall(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", text, re.S)
            found[meta["grade_id"]] = textwrap_dedent("".join(inside) if inside else text)
    return found


def textwrap_dedent(text: str) -> str:
    import textwrap

    return textwrap.dedent(text).strip()


def check_notebook(path: Path | str, exercise: str = "",
                   source_notebook: Path | None = None) -> ExerciseCheck:
    """Run a saved exercise notebook in a fresh kernel and judge its visible checks."""
    import nbformat
    from nbclient import NotebookClient

    path = Path(path)
    exercise = exercise or path.stem
    notebook = nbformat.read(path, as_version=4)
    notebook.cells = [cell for cell in notebook.cells if
                      cell.get("metadata", {}).get("htcds_learn", {}).get("role") != CHECK_ROLE]
    with tempfile.TemporaryDirectory(prefix="htcds-check-") as scratch:
        # A scratch copy of the exercise's folder, so running it changes nothing of the
        # trainee's (data files beside the notebook come along).
        work = Path(scratch) / "work"
        shutil.copytree(path.parent, work, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        client = NotebookClient(notebook, timeout=CELL_TIMEOUT, kernel_name="python3",
                                allow_errors=True, interrupt_on_timeout=True,
                                resources={"metadata": {"path": str(work)}})
        previous = os.environ.get("HTCDS_LEARN_CHECKING")
        os.environ["HTCDS_LEARN_CHECKING"] = "1"
        try:
            client.execute(stderr=subprocess.DEVNULL)  # the kernel's own log is not for trainees
        finally:
            if previous is None:
                os.environ.pop("HTCDS_LEARN_CHECKING", None)
    solutions = _solutions(source_notebook) if source_notebook else {}
    tasks = [_judge_task(group, solutions) for group in _task_groups(notebook.cells)]
    return ExerciseCheck(exercise, path, tasks)


@dataclass
class _TaskCells:
    title: str
    answers: list[dict[str, Any]] = field(default_factory=list)
    checks: list[dict[str, Any]] = field(default_factory=list)


def _task_groups(cells: list[dict[str, Any]]) -> list[_TaskCells]:
    """A task is its answer cells and the check cells after them, up to the next heading.

    The visible checks of a task may sit in a locked cell of their own (a "shape" check, not
    graded) or in the graded check cells; both count. Cells before the first answer under a
    heading (a table to read, say) belong to no task.
    """
    groups: list[_TaskCells] = []
    title, current = "", None
    for cell in cells:
        meta = _nbgrader(cell)
        if cell.get("cell_type") == "markdown" and _heading(_source(cell)):
            title, current = _heading(_source(cell)), None
            continue
        if meta.get("solution"):
            if current is None or current.checks:
                current = _TaskCells(title or meta.get("grade_id", ""))
                groups.append(current)
            current.answers.append(cell)
        elif cell.get("cell_type") == "code" and current is not None and meta.get("locked"):
            current.checks.append(cell)
    return [group for group in groups if any(_nbgrader(c).get("grade") for c in group.checks)]


FAILED_CHECK = ("AssertionError", "CheckFailed")


def _judge_task(group: _TaskCells, solutions: dict[str, str]) -> TaskResult:
    graded = [cell for cell in group.checks if _nbgrader(cell).get("grade")]
    check_id = _nbgrader(graded[0]).get("grade_id", "")
    points = float(sum(_nbgrader(cell).get("points", 0) for cell in graded))
    answers = group.answers
    tried = any(STUB not in _source(a) and TEXT_STUB not in _source(a) for a in answers)
    answer_error = next((_error_text(a.get("outputs", [])) for a in answers
                         if _error_text(a.get("outputs", []))), None)
    check_error = next((_error_text(c.get("outputs", [])) for c in group.checks
                        if _error_text(c.get("outputs", []))), None)
    if not tried:
        status, message = "not tried", ""
    elif answer_error and answer_error[0] != "NotImplementedError":
        status = "error"
        message = (f"Your answer stopped with an error: {answer_error[0]}: "
                   f"{answer_error[1]}. Run the answer cell to see where.")
    elif check_error is None:
        status, message = "passed", ""
    elif check_error[0] in FAILED_CHECK and check_error[1]:
        status, message = "failed", check_error[1]
    else:
        status = "failed"
        message = (f"The check stopped with {check_error[0]}: {check_error[1]}".strip(": ")
                   + ". Look at what your answer gives back.")
    worked = [solutions[_nbgrader(a)["grade_id"]] for a in answers
              if _nbgrader(a).get("grade_id") in solutions]
    return TaskResult(check_id, group.title, points, status, message, worked)


def check_exercise(exercise: str) -> ExerciseCheck | str:
    """Check the trainee's saved copy of ``exercise`` (see the module's help)."""
    if os.environ.get("NBGRADER_EXECUTION") or os.environ.get("HTCDS_LEARN_CHECKING"):
        return "(Check my work runs only in your own copy, not while grading.)"
    here = Path.cwd() / f"{exercise}.ipynb"
    path = here if here.exists() else (
        workspace_folder() / "exercises" / exercise / f"{exercise}.ipynb")
    if not path.exists():
        from ..errors import HtcdsLearnError

        raise HtcdsLearnError(f"There is no saved copy of {exercise} at {path}.",
                              "Open the exercise from the 'exercises' folder of your "
                              "workspace, save it, and run this cell again.")
    source = course_folder() / "exercises" / "source" / exercise / f"{exercise}.ipynb"
    return check_notebook(path, exercise, source)
