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
    tasks: list[TaskResult] = []
    title, answers = "", []
    for cell in notebook.cells:
        meta = _nbgrader(cell)
        if cell.cell_type == "markdown" and _heading(cell.source):
            title = _heading(cell.source)
        if meta.get("solution"):
            answers.append(cell)
            continue
        if not meta.get("grade") or cell.cell_type != "code":
            continue
        tried = any(STUB not in _source(a) and TEXT_STUB not in _source(a) for a in answers)
        answer_error = next((_error_text(a.get("outputs", [])) for a in answers
                             if _error_text(a.get("outputs", []))), None)
        check_error = _error_text(cell.get("outputs", []))
        if not tried:
            status, message = "not tried", ""
        elif answer_error and answer_error[0] != "NotImplementedError":
            status = "error"
            message = (f"Your answer stopped with an error: {answer_error[0]}: "
                       f"{answer_error[1]}. Run the answer cell to see where.")
        elif check_error is None:
            status, message = "passed", ""
        elif check_error[0] == "AssertionError" and check_error[1]:
            status, message = "failed", check_error[1]
        else:
            status = "failed"
            message = (f"The check stopped with {check_error[0]}: {check_error[1]}".strip(": ")
                       + ". Look at what your answer gives back.")
        worked = [solutions[a["metadata"]["nbgrader"]["grade_id"]] for a in answers
                  if a["metadata"]["nbgrader"].get("grade_id") in solutions]
        tasks.append(TaskResult(meta.get("grade_id", ""), title or meta.get("grade_id", ""),
                                float(meta.get("points", 0)), status, message, worked))
        answers = []
    return ExerciseCheck(exercise, path, tasks)


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
