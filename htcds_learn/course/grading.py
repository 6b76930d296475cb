"""Autograde a whole class in parallel, with exactly the scores serial nbgrader gives.

nbgrader keeps its gradebook in one SQLite file and grades one submission at a time. Here
each submission is graded by the real nbgrader ``Autograde`` step in a worker process, in a
scratch copy of its assignment with a snapshot of the gradebook; the parent process alone
writes to the real gradebook, copying across exactly what nbgrader wrote in the scratch copy
(the submission's time, each grade's automatic score and review flag, each automatic comment,
the late penalty). The result is the gradebook serial ``nbgrader autograde`` leaves with the
course's configuration; the tests and ``benchmarks/bench_grading.py`` compare the two.

Trainees' code is untrusted. The course's nbgrader configuration runs each notebook in a
sandboxed kernel and judges the checks outside it (:mod:`.nbgrader_steps`); the scratch copy
holds no link to ``source/``, the gradebook or other trainees' work. A submission that loops
is stopped at the per-cell time limit; one that kills its kernel keeps the points of the checks
before; one that is not valid JSON, or had cells deleted, duplicated or retyped, is reported in
a sentence, as is any tampering with check cells, and the batch goes on.

Ctrl-C stops within seconds: no new work starts, running notebooks are cancelled, what was
graded is kept, and running the command again goes on from there. Re-running is safe:
unchanged submissions that graded cleanly are skipped, a changed one is graded again
(``force`` grades everything again).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

import pandas as pd

from .._util.files import write_json_atomically
from . import sandbox
from .inspect import inspect_submission, timed_out_cells
from .layout import Course, CourseError, tools_on_path

LEDGER = ".htcds-grading.json"
RUN_KEY = "_run"  # the ledger's entry about the last grading run itself
STOP_GRACE = 3.0  # seconds a worker gets to end its kernel after Ctrl-C


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
    integrity: list[str] = field(default_factory=list)


@dataclass
class GradingRun:
    """Every submission's result, in (assignment, trainee) order, and the time taken."""

    results: list[SubmissionResult]
    seconds: float
    workers: int
    protections: str = ""  # which sandbox protections this machine could not give
    interrupted: bool = False
    not_graded: int = 0  # submissions left for the next run after an interruption

    def to_frame(self) -> pd.DataFrame:
        rows = [{**asdict(r), "problems": " | ".join(r.problems),
                 "integrity": " | ".join(r.integrity)} for r in self.results]
        return pd.DataFrame(rows, columns=["assignment", "student", "status", "score",
                                           "max_score", "problems", "integrity", "seconds"])

    def to_text(self) -> str:
        counts = pd.Series([r.status for r in self.results], dtype=object).value_counts()
        lines = [f"Graded {len(self.results)} submission(s) in {self.seconds:.1f} s with "
                 f"{self.workers} worker(s): "
                 + ", ".join(f"{n} {status}" for status, n in counts.items()) + "."]
        if self.interrupted:
            lines.append(f"Stopped by Ctrl-C: {self.not_graded} submission(s) were not graded. "
                         "What was graded is kept; run the same command again to go on.")
        if self.protections:
            lines.append(self.protections)
        for r in self.results:
            for problem in r.problems:
                lines.append(f"  {r.student} / {r.assignment}: {problem}")
            for flag in r.integrity:
                lines.append(f"  {r.student} / {r.assignment}: integrity: {flag}")
        return "\n".join(lines)


def read_ledger(course: Course) -> dict[str, Any]:
    """The grading ledger: one entry per ``assignment/student`` plus the run's own entry."""
    path = course.root / LEDGER
    return json.loads(path.read_text("utf-8")) if path.exists() else {}


def ledger_entries(ledger: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(assignment, student, entry) for each graded submission, skipping the run's entry."""
    for key, entry in sorted(ledger.items()):
        if key != RUN_KEY and "/" in key:
            assignment, student = key.split("/", 1)
            yield assignment, student, entry


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


def _copy_without_links(source: Path, target: Path) -> list[str]:
    """Copy a folder, leaving out symbolic links (a link could point at anything on this
    machine); return the names left out."""
    skipped = []
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if path.is_symlink():
            skipped.append(relative.as_posix())
        elif path.is_dir():
            (target / relative).mkdir(parents=True, exist_ok=True)
        elif path.is_file():
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / relative)
    target.mkdir(parents=True, exist_ok=True)
    return skipped


def autograde_in_scratch(root: str, snapshot: str, assignment: str, student: str,
                         timeout: int | None, scratch_root: str | None = None
                         ) -> dict[str, Any]:
    """Worker: grade one submission with nbgrader in a scratch course; return where it is.

    nbgrader's own ``NbGraderAPI.autograde`` does the work, with the course's
    nbgrader_config.py, so sanitising, (sandboxed) execution and scoring are as configured.
    The scratch course holds copies of this assignment's source and of the submission (no
    links), and a snapshot of the gradebook.
    """
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    started = time.perf_counter()
    tools_on_path()
    course_root = Path(root)
    scratch = Path(tempfile.mkdtemp(prefix=f"grade-{student}-", dir=scratch_root))
    shutil.copytree(course_root / "source" / assignment, scratch / "source" / assignment,
                    symlinks=True, ignore=shutil.ignore_patterns(".*"))
    skipped = _copy_without_links(course_root / "submitted" / student / assignment,
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
            "skipped_links": skipped, "seconds": time.perf_counter() - started}


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
        shutil.copytree(produced, staged, symlinks=True)
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
        return ("the notebook's Python kernel could not start or stopped at once; nothing in "
                "it could be graded, so it scores zero.")
    lines = [line for line in text.splitlines() if line.strip()]
    last = next((line for line in reversed(lines) if "Error" in line), lines[-1] if lines else "")
    return f"nbgrader could not grade it ({last.strip()[:200]}); it scores zero."


def graded_facts(folder: Path) -> tuple[list[str], list[str]]:
    """(problems, integrity flags) the grading steps wrote into the autograded notebooks of
    one submission (``autograded/<trainee>/<assignment>``), one sentence each."""
    import nbformat

    problems, integrity = [], []
    for notebook_path in sorted(folder.glob("*.ipynb")):
        name = notebook_path.name
        for cell in timed_out_cells(notebook_path):
            problems.append(f"{name}: the cell '{cell}' ran past the time limit and was "
                            "stopped (an endless loop?); the checks after it could still run.")
        facts = nbformat.read(notebook_path, as_version=4).metadata.get("htcds_learn", {})
        stopped = facts.get("kernel_stopped")
        if stopped:
            problems.append(f"{name}: the Python kernel stopped in the cell '{stopped}' (the "
                            "code ended Python, used too much memory, or stopped answering); "
                            "the checks before it kept their points, the later ones score "
                            "zero.")
        for grade_id in facts.get("untrusted_checks", []):
            problems.append(f"{name}: the check '{grade_id}' is a plain nbgrader test (no "
                            "'answer = record(...)'): its score comes from the trainee's own "
                            "kernel and could be faked.")
        problems += [f"{name}: {problem}" for problem in facts.get("grader_problems", [])]
        integrity += [f"{name}: {flag}" for flag in facts.get("integrity", [])]
    return problems, integrity


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


# --- the workers ---------------------------------------------------------------------------


def _leave(signum, frame) -> None:
    raise SystemExit(128 + signum)


def _worker(connection, scratch_root: str) -> None:
    """A worker process: grade what the parent sends, one at a time, until told to stop.

    Ctrl-C reaches the whole terminal's process group; the parent alone decides what it
    means, so the worker ignores it. SIGTERM (the parent stopping it) ends the kernel
    through the normal clean-up, then the process.
    """
    import warnings

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _leave)
    # nbgrader's own gradebook code warns about SQLAlchemy autoflush (serial nbgrader does
    # too); in the instructor's terminal that is only noise between the scores.
    warnings.filterwarnings("ignore", module="nbgrader")
    warnings.filterwarnings("ignore", message=".*not in session.*")
    warnings.filterwarnings("ignore", message="Cell is missing an id field")
    tempfile.tempdir = scratch_root  # kernels' scratch folders too: the parent removes all
    while True:
        task = connection.recv()
        if task is None:
            return
        try:
            root, snapshot, assignment, student, timeout = task
            connection.send(("done", autograde_in_scratch(
                root, snapshot, assignment, student, timeout, scratch_root=scratch_root)))
        except Exception as error:  # reported by the parent as a failed submission
            connection.send(("error", f"{type(error).__name__}: {error}"))


class _Workers:
    """``count`` worker processes fed one task at a time; stoppable within seconds."""

    def __init__(self, count: int, scratch_root: Path) -> None:
        context = get_context("spawn")  # no inherited threads or open database handles
        self.idle: list[tuple[Any, Any]] = []
        self.busy: dict[Any, tuple[Any, Any]] = {}
        self.processes: list[tuple[Any, Any]] = []
        self.stopped = False
        for _ in range(count):
            parent, child = context.Pipe()
            process = context.Process(target=_worker, args=(child, str(scratch_root)),
                                      daemon=True)
            process.start()
            child.close()
            self.processes.append((process, parent))
            self.idle.append((process, parent))

    def give(self, task: tuple, key: Any) -> None:
        process, connection = self.idle.pop()
        connection.send(task)
        self.busy[connection] = (process, key)

    def finished(self, seconds: float) -> list[tuple[Any, str, Any]]:
        """(key, kind, result) for every task that finished within ``seconds``."""
        done: list[tuple[Any, str, Any]] = []
        ready: list[Any] = wait(list(self.busy), timeout=seconds)
        for connection in ready:
            process, key = self.busy.pop(connection)
            try:
                kind, result = connection.recv()
            except (EOFError, OSError):
                kind, result = "error", "the worker process stopped unexpectedly"
            self.idle.append((process, connection))
            done.append((key, kind, result))
        return done

    def stop(self, now: bool = False) -> None:
        """Idle workers leave; busy ones are ended (their kernels with them)."""
        if self.stopped:
            return
        self.stopped = True
        for process, connection in self.processes:
            if not process.is_alive():
                continue
            if (process, connection) in self.idle and not now:
                try:
                    connection.send(None)
                except OSError:
                    process.terminate()
            else:
                process.terminate()
        deadline = time.monotonic() + (0.5 if now else STOP_GRACE)
        for process, _ in self.processes:
            process.join(max(0.0, deadline - time.monotonic()))
        for process, connection in self.processes:
            if process.is_alive():
                _kill_tree(process.pid)
            process.join(1)
            sandbox.end_sandbox_user(process.pid)  # anything its kernels left behind
            connection.close()


def _kill_tree(pid: int) -> None:
    """Kill a process and everything it started (kernels outside a bubblewrap sandbox)."""
    try:
        import psutil

        children = psutil.Process(pid).children(recursive=True)
    except Exception:  # psutil missing, or the process already gone
        children = []
    for process in children:
        with suppress(Exception):
            process.kill()
    with suppress(OSError):
        os.kill(pid, signal.SIGKILL)


class _Interrupts:
    """Ctrl-C sets a flag instead of raising at a random place (a gradebook write must not
    be cut in half); a second Ctrl-C asks to stop without waiting for workers."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, signum, frame) -> None:
        self.count += 1


@contextmanager
def _catching_ctrl_c():
    handler = _Interrupts()
    try:
        previous = signal.signal(signal.SIGINT, handler)
    except ValueError:  # not the main thread: Ctrl-C is someone else's business
        yield handler
        return
    try:
        yield handler
    finally:
        signal.signal(signal.SIGINT, previous)


# --- grading -------------------------------------------------------------------------------


def _to_grade(course: Course, names: list[str], students: list[str] | None, ledger: dict,
              force: bool) -> tuple[list, list[SubmissionResult]]:
    """(submissions to grade, results of those skipped because unchanged since graded; they
    are not reported one by one: nothing happened to them)."""
    pending, results = [], []
    for assignment, student in submissions(course, names, students):
        key = f"{assignment}/{student}"
        digest = _digest(course.submitted / student / assignment)
        previous = ledger.get(key, {})
        if (not force and previous.get("digest") == digest and previous.get("status") != "failed"
                and (course.autograded / student / assignment).exists()):
            score, max_score = _score(course, assignment, student)
            results.append(SubmissionResult(assignment, student, "skipped", score, max_score,
                                            previous.get("problems", []), 0.0,
                                            previous.get("integrity", [])))
            continue
        problems = inspect_submission(course.source / assignment,
                                      course.submitted / student / assignment)
        pending.append((assignment, student, digest, problems))

    return pending, results


def grade(course: Course, assignments: list[str] | None = None, *,
          students: list[str] | None = None, workers: int | None = None,
          timeout: int | None = None, force: bool = False,
          on_result: Callable[[SubmissionResult], None] | None = None,
          on_start: Callable[[int, int], None] | None = None) -> GradingRun:
    """Autograde every submission (or those asked for) in ``workers`` processes (default:
    :func:`default_workers`).

    ``timeout`` is the per-cell time limit in seconds (default: the course's
    ``Execute.timeout``). ``on_start(to_grade, unchanged)`` is called once the work is
    known, and ``on_result`` as each submission is graded (not for those skipped).
    """
    started = time.perf_counter()
    names = course.check_assignments(assignments)
    released = set(course.released())  # one gradebook read, not one per assignment
    missing = [name for name in names if name not in released]
    if missing:
        raise CourseError(f"{', '.join(missing)} has not been released yet.",
                          "Run 'htcds-learn course build' first.")
    ledger_path = course.root / LEDGER
    ledger = read_ledger(course)
    workers = workers or default_workers()
    plan = sandbox.machine()
    protections = plan.missing_sentence()
    ledger[RUN_KEY] = {"protections": protections}

    pending, results = _to_grade(course, names, students, ledger, force)
    if on_start:
        on_start(len(pending), len(results))

    def finish(item, kind: str, outcome: Any) -> None:
        assignment, student, digest, problems = item
        integrity: list[str] = []
        seconds = 0.0
        if kind == "done":
            work = Path(outcome["scratch"])
            seconds = outcome["seconds"]
            problems += [f"{name} was left out: it is a link, not a file."
                         for name in outcome["skipped_links"]]
            try:
                _merge(course, work, assignment, student)
                found, integrity = graded_facts(work / "autograded" / student / assignment)
                problems += found
            finally:
                shutil.rmtree(work, ignore_errors=True)
            status = "graded-with-problems" if problems else "graded"
            if not outcome["success"]:
                status = "failed"
                problems.append(_explain_failure(outcome))
        else:
            status = "failed"
            problems.append(f"grading stopped with an error ({outcome}); it scores zero.")
        score, max_score = _score(course, assignment, student)
        result = SubmissionResult(assignment, student, status, score, max_score, problems,
                                  round(seconds, 2), integrity)
        ledger[f"{assignment}/{student}"] = {"digest": digest, "status": status,
                                             "problems": problems, "integrity": integrity}
        write_json_atomically(ledger_path, ledger)
        results.append(result)
        if on_result:
            on_result(result)

    interrupted = False
    queue = list(reversed(pending))
    if pending:
        # Everything a run makes (scratch courses, kernels' folders) lives under one folder,
        # removed at the end whatever happens.
        scratch_root = Path(tempfile.mkdtemp(prefix="htcds-grade-"))
        previous_plan = os.environ.get(sandbox.PLAN_VARIABLE)
        os.environ[sandbox.PLAN_VARIABLE] = plan.to_json()  # workers need not probe again
        pool = None
        try:
            with _catching_ctrl_c() as ctrl_c:
                snapshot = scratch_root / "gradebook.db"
                _snapshot(course.gradebook_path, snapshot)
                pool = _Workers(min(workers, len(pending)), scratch_root)
                while (queue or pool.busy) and not ctrl_c.count:
                    while queue and pool.idle and not ctrl_c.count:
                        item = queue.pop()
                        pool.give((str(course.root), str(snapshot), item[0], item[1],
                                   timeout), item)
                    for item, kind, outcome in pool.finished(0.2):
                        finish(item, kind, outcome)
                interrupted = bool(ctrl_c.count)
                if interrupted:
                    pool.stop(now=ctrl_c.count > 1)
        finally:
            if pool is not None:
                pool.stop(now=True)
            if previous_plan is None:
                os.environ.pop(sandbox.PLAN_VARIABLE, None)
            else:
                os.environ[sandbox.PLAN_VARIABLE] = previous_plan
            shutil.rmtree(scratch_root, ignore_errors=True)
    write_json_atomically(ledger_path, ledger)
    done = {(r.assignment, r.student) for r in results}
    left = sum(1 for item in pending if (item[0], item[1]) not in done)
    results.sort(key=lambda r: (r.assignment, r.student))
    return GradingRun(results, time.perf_counter() - started, workers, protections,
                      interrupted, left)
