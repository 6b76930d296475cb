"""Autograde a whole class in parallel, with exactly the scores serial nbgrader gives.

nbgrader keeps its gradebook in one SQLite file and grades one submission at a time. Here
each submission is graded by the real nbgrader ``Autograde`` step in a worker process, in a
scratch copy of the course with a snapshot of the gradebook; the parent process alone writes
to the real gradebook, copying across exactly what nbgrader wrote in the scratch copy (the
submission's time, each grade's automatic score and review flag, each automatic comment, the
late penalty). The result is the gradebook serial ``nbgrader autograde`` leaves; the tests
and ``benchmarks/bench_grading.py`` compare the two, score by score.

A submission that loops is stopped at the per-cell time limit; one that kills its kernel, is
not valid JSON, or had cells deleted, duplicated or retyped is reported in a sentence and the
batch goes on. Re-running is safe: unchanged submissions that graded cleanly are skipped, and
a changed one is graded again (``force`` grades everything again).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import closing
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pandas as pd

from .._util.files import write_json_atomically
from .inspect import inspect_submission, timed_out_cells
from .layout import Course, CourseError, tools_on_path

LEDGER = ".htcds-grading.json"


@dataclass
class SubmissionResult:
    """How one trainee's submission of one assignment was graded."""

    assignment: str
    student: str
    status: str  # graded, graded-with-problems, failed, skipped
    score: float | None = None
    max_score: float | None = None
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class GradingRun:
    """Every submission's result, in (assignment, trainee) order, and the time taken."""

    results: list[SubmissionResult]
    seconds: float
    workers: int

    def to_frame(self) -> pd.DataFrame:
        rows = [{**asdict(r), "problems": " | ".join(r.problems)} for r in self.results]
        return pd.DataFrame(rows, columns=["assignment", "student", "status", "score",
                                           "max_score", "problems", "seconds"])

    def to_text(self) -> str:
        counts = pd.Series([r.status for r in self.results]).value_counts()
        lines = [f"Graded {len(self.results)} submission(s) in {self.seconds:.1f} s with "
                 f"{self.workers} worker(s): "
                 + ", ".join(f"{n} {status}" for status, n in counts.items()) + "."]
        for r in self.results:
            for problem in r.problems:
                lines.append(f"  {r.student} / {r.assignment}: {problem}")
        return "\n".join(lines)


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _snapshot(database: Path, target: Path) -> None:
    """A consistent copy of a SQLite file (the backup API, not a byte copy)."""
    with closing(sqlite3.connect(database)) as source, closing(sqlite3.connect(target)) as copy:
        source.backup(copy)


def _course_config(root: Path) -> Any:
    from traitlets.config.loader import PyFileConfigLoader

    return PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()


def autograde_in_scratch(root: str, snapshot: str, assignment: str, student: str,
                         timeout: int | None) -> dict[str, Any]:
    """Worker: grade one submission with nbgrader in a scratch course; return where it is.

    Runs in a worker process. nbgrader's own ``NbGraderAPI.autograde`` does the work, with
    the course's nbgrader_config.py, so execution, sanitising and scoring are nbgrader's.
    """
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    started = time.perf_counter()
    tools_on_path()
    course_root = Path(root)
    scratch = Path(tempfile.mkdtemp(prefix=f"htcds-grade-{student}-"))
    (scratch / "source").symlink_to(course_root / "source", target_is_directory=True)
    shutil.copytree(course_root / "submitted" / student / assignment,
                    scratch / "submitted" / student / assignment)
    shutil.copyfile(snapshot, scratch / "gradebook.db")
    config = _course_config(course_root)
    config.CourseDirectory.root = str(scratch)
    config.CourseDirectory.db_url = f"sqlite:///{scratch / 'gradebook.db'}"
    if timeout is not None:
        config.Execute.timeout = timeout
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    outcome = api.autograde(assignment, student, force=True, create=True)
    return {"scratch": str(scratch), "success": bool(outcome.get("success")),
            "log": outcome.get("log", ""), "error": outcome.get("error", ""),
            "seconds": time.perf_counter() - started}


def _merge(course: Course, scratch: Path, assignment: str, student: str) -> None:
    """Copy what nbgrader wrote for one submission from the scratch gradebook to the course's."""
    import warnings

    from nbgrader.api import Gradebook, MissingEntry
    from sqlalchemy.exc import SAWarning

    with Gradebook(f"sqlite:///{scratch / 'gradebook.db'}") as graded, \
            Gradebook(course.db_url) as main, warnings.catch_warnings():
        # nbgrader's own submission code triggers SQLAlchemy autoflush warnings (it does in
        # serial nbgrader too); they say nothing about this merge.
        warnings.simplefilter("ignore", SAWarning)
        try:
            done = graded.find_submission(assignment, student)
        except MissingEntry:
            return  # nbgrader stopped before recording anything
        main.update_or_create_student(student)
        target = main.update_or_create_submission(assignment, student, timestamp=done.timestamp)
        for notebook in done.notebooks:
            into = main.find_submission_notebook(notebook.name, assignment, student)
            into.late_submission_penalty = notebook.late_submission_penalty
            into.flagged = notebook.flagged
            for grade in notebook.grades:
                other = main.find_grade(grade.name, notebook.name, assignment, student)
                other.auto_score = grade.auto_score
                other.manual_score = grade.manual_score
                other.extra_credit = grade.extra_credit
                other.needs_manual_grade = grade.needs_manual_grade
            for comment in notebook.comments:
                other = main.find_comment(comment.name, notebook.name, assignment, student)
                other.auto_comment = comment.auto_comment
                other.manual_comment = comment.manual_comment
        target.timestamp = done.timestamp
        main.db.commit()

    # The autograded notebooks replace the old ones in one rename; a failed grading leaves
    # none, as nbgrader does.
    produced = scratch / "autograded" / student / assignment
    final = course.autograded / student / assignment
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.exists():
        old = final.with_name(f".{assignment}.old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(final, old)
        shutil.rmtree(old, ignore_errors=True)
    if produced.exists():
        staged = final.with_name(f".{assignment}.new")
        shutil.rmtree(staged, ignore_errors=True)
        shutil.copytree(produced, staged)
        os.replace(staged, final)


def _score(course: Course, assignment: str, student: str) -> tuple[float | None, float | None]:
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(course.db_url) as gradebook:
        try:
            submission = gradebook.find_submission(assignment, student)
        except MissingEntry:
            return None, None
        return float(submission.score), float(submission.max_score)


def _explain_failure(outcome: dict[str, Any]) -> str:
    text = outcome["log"] + outcome["error"]
    if "DeadKernelError" in text or "Kernel died" in text:
        return ("the notebook's Python kernel stopped while it ran (the code crashed Python or "
                "used too much memory); nothing in it could be graded, so it scores zero.")
    if "UnresponsiveKernelError" in text or "became unresponsive" in text:
        return ("the notebook's kernel stopped answering and could not be interrupted (an "
                "endless loop that ignores interrupts?); it scores zero.")
    lines = [line for line in text.splitlines() if line.strip()]
    last = next((line for line in reversed(lines) if "Error" in line), lines[-1] if lines else "")
    return f"nbgrader could not grade it ({last.strip()[:200]}); it scores zero."


def default_workers() -> int:
    """One more worker than cores: a worker waits while its kernel starts and answers, and
    the spare worker fills those gaps (2 cores: 1.98x serial with 2 workers, 2.42x with 3)."""
    return (os.cpu_count() or 1) + 1


def submissions(course: Course, assignments: Iterable[str],
                students: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """(assignment, trainee) for every submission folder present."""
    wanted = set(students) if students else None
    found = []
    for assignment in assignments:
        for folder in sorted(course.submitted.glob(f"*/{assignment}")):
            student = folder.parent.name
            if folder.is_dir() and (wanted is None or student in wanted):
                found.append((assignment, student))
    return found


def grade(course: Course, assignments: list[str] | None = None, *,
          students: list[str] | None = None, workers: int | None = None,
          timeout: int | None = None, force: bool = False,
          on_result: Callable[[SubmissionResult], None] | None = None,
          on_start: Callable[[int, int], None] | None = None) -> GradingRun:
    """Autograde every submission (or those asked for) in ``workers`` processes (default:
    :func:`default_workers`).

    ``timeout`` is the per-cell time limit in seconds (default: the course's
    ``Execute.timeout``). ``on_start(to_grade, unchanged)`` is called once the work is
    known, and ``on_result`` as each submission finishes.
    """
    started = time.perf_counter()
    names = course.check_assignments(assignments)
    released = set(course.released())  # one gradebook read, not one per assignment
    missing = [name for name in names if name not in released]
    if missing:
        raise CourseError(f"{', '.join(missing)} has not been released yet.",
                          "Run 'htcds-learn course build' first.")
    ledger_path = course.root / LEDGER
    ledger = json.loads(ledger_path.read_text("utf-8")) if ledger_path.exists() else {}
    workers = workers or default_workers()

    pending, results = [], []
    for assignment, student in submissions(course, names, students):
        key = f"{assignment}/{student}"
        digest = _digest(course.submitted / student / assignment)
        previous = ledger.get(key, {})
        if (not force and previous.get("digest") == digest and previous.get("status") != "failed"
                and (course.autograded / student / assignment).exists()):
            score, max_score = _score(course, assignment, student)
            results.append(SubmissionResult(assignment, student, "skipped", score, max_score,
                                            previous.get("problems", [])))
            continue
        problems = inspect_submission(course.source / assignment,
                                      course.submitted / student / assignment)
        pending.append((assignment, student, digest, problems))
    if on_start:
        on_start(len(pending), len(results))

    with tempfile.TemporaryDirectory(prefix="htcds-grade-") as scratch:
        snapshot = Path(scratch) / "gradebook.db"
        _snapshot(course.gradebook_path, snapshot)
        context = get_context("spawn")  # no inherited threads or open database handles
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = {pool.submit(autograde_in_scratch, str(course.root), str(snapshot),
                                   assignment, student, timeout): (assignment, student, digest,
                                                                   problems)
                       for assignment, student, digest, problems in pending}
            for future in as_completed(futures):
                assignment, student, digest, problems = futures[future]
                outcome = future.result()
                work = Path(outcome["scratch"])
                try:
                    _merge(course, work, assignment, student)
                    for notebook in sorted((work / "autograded" / student / assignment)
                                           .glob("*.ipynb")):
                        for cell in timed_out_cells(notebook):
                            problems.append(
                                f"{notebook.name}: the cell '{cell}' ran past the time limit "
                                "and was stopped (an endless loop?); the checks after it "
                                "could still run.")
                finally:
                    shutil.rmtree(work, ignore_errors=True)
                status = "graded-with-problems" if problems else "graded"
                if not outcome["success"]:
                    status = "failed"
                    problems.append(_explain_failure(outcome))
                score, max_score = _score(course, assignment, student)
                result = SubmissionResult(assignment, student, status, score, max_score,
                                          problems, round(outcome["seconds"], 2))
                ledger[f"{assignment}/{student}"] = {"digest": digest, "status": status,
                                                     "problems": problems}
                write_json_atomically(ledger_path, ledger)
                results.append(result)
                if on_result:
                    on_result(result)

    results.sort(key=lambda r: (r.assignment, r.student))
    return GradingRun(results, time.perf_counter() - started, workers)
