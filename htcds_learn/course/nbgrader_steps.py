"""The grading steps this course adds to nbgrader, switched on in its nbgrader_config.py.

nbgrader decides an autograded cell's score from what the trainee's own kernel printed: code
in that kernel can fake a pass. With these steps, every nbgrader command run in the course
(``nbgrader autograde``, the formgrader's buttons, ``htcds-learn course grade``) grades the
same, safer way:

1. :class:`NoteTampering` notes edited or unlocked check cells and changed points (nbgrader
   silently restores them) in the notebook's ``htcds_learn`` metadata, as integrity flags.
2. :class:`KeepHiddenChecksOut` removes the hidden part of every trusted check cell (one
   that starts with ``answer = record(...)``, see :mod:`.checks`) before the notebook runs,
   so the hidden checks never reach the trainee's kernel.
3. :class:`SandboxedExecute` runs the notebook in a sandboxed kernel (:mod:`.sandbox`). When
   the kernel dies, the cells before keep their results and the rest are marked not run.
4. :class:`TrustedChecks` judges every trusted check cell here, in the grading process, on
   the answers the cell recorded as plain data, and writes the verdict as the cell's output
   (nbgrader's own SaveAutoGrades then stores it as the score).
5. :class:`TrustedFeedback` makes ``nbgrader generate_feedback`` pages from trusted parts.
"""

from __future__ import annotations

import asyncio
import re
from queue import Empty
from typing import Any

import nbformat
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from traitlets import Float, Integer

from . import checks
from .sandbox import SandboxedKernelManager

METADATA = "htcds_learn"
BEGIN, END = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
NOT_RUN = "CellNotRun"
KERNEL_STOPPED = "KernelStopped"


def release_form(source: str) -> str:
    """A cell's source as trainees get it: the hidden-test region removed (as nbgrader's
    ClearHiddenTests does; an unterminated region hides to the end).

    >>> release_form("a = 1\\n### BEGIN HIDDEN TESTS\\nassert a == 2\\n### END HIDDEN TESTS\\nb")
    'a = 1\\nb'
    """
    kept, hidden = [], False
    for line in source.split("\n"):
        if BEGIN in line:
            hidden = True
        elif END in line:
            hidden = False
        elif not hidden:
            kept.append(line)
    return "\n".join(kept)


def hidden_lines(source: str, shortest: int = 12) -> list[str]:
    """The lines of ``source``'s hidden-test regions long enough to recognise elsewhere."""
    found, hidden = [], False
    for line in source.split("\n"):
        if BEGIN in line:
            hidden = True
        elif END in line:
            hidden = False
        elif hidden and len(line.strip()) >= shortest:
            found.append(line.strip())
    return found


def gradebook_cells(db_url: str, assignment: str, notebook: str) -> tuple[dict, dict]:
    """{grade_id: source cell} and {grade_id: points} from the gradebook (the trusted copy
    of what the instructor wrote)."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gradebook:
        found = gradebook.find_notebook(notebook, assignment)
        sources = {cell.name: _Source(cell.name, cell.cell_type, bool(cell.locked),
                                      cell.source or "") for cell in found.source_cells}
        points = {cell.name: float(cell.max_score) for cell in found.grade_cells}
    return sources, points


def release_sources(db_url: str, assignment: str, notebook: str) -> dict:
    """{grade_id: source cell} for one released notebook (see :func:`safe_for_trainee`)."""
    return gradebook_cells(db_url, assignment, notebook)[0]


def _gradebook_cells(resources: dict) -> tuple[dict, dict]:
    info = resources["nbgrader"]
    return gradebook_cells(info["db_url"], info["assignment"], info["notebook"])


class _Source:
    __slots__ = ("name", "cell_type", "locked", "source")

    def __init__(self, name: str, cell_type: str, locked: bool, source: str) -> None:
        self.name, self.cell_type, self.locked, self.source = name, cell_type, locked, source


def _meta(cell: Any) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def is_check(cell: Any) -> bool:
    """An automatically graded test cell (graded, not an answer)."""
    meta = _meta(cell)
    return bool(meta.get("grade")) and not meta.get("solution") and cell.cell_type == "code"


def is_setup(grade_id: str) -> bool:
    """Whether a locked code cell is a setup cell, which the grader runs before the checks
    that use its names: its id is ``setup`` or starts with ``setup-``.

    The other locked code cells run only in the trainee's kernel: tables to read, and
    "shape" checks that give early feedback on the trainee's own variables (those names
    exist only in the kernel, so the grader could not run them).

    >>> [is_setup(name) for name in ("setup", "setup-2", "check1-shape", "report")]
    [True, True, False, False]
    """
    return grade_id == "setup" or grade_id.startswith("setup-")


class NoteTampering(NbGraderPreprocessor):
    """Integrity flags: check and setup cells edited or unlocked, points changed.

    Runs before nbgrader's OverwriteCells puts the instructor's versions back. It also drops
    whatever ``htcds_learn`` metadata a submission brought: a submission never speaks for
    itself.
    """

    def preprocess(self, nb, resources):
        nb.metadata.pop(METADATA, None)
        for cell in nb.cells:
            cell.get("metadata", {}).pop(METADATA, None)
        sources, points = _gradebook_cells(resources)
        flags = []
        for cell in nb.cells:
            meta = _meta(cell)
            grade_id = meta.get("grade_id")
            if not grade_id or grade_id not in sources:
                continue
            source = sources[grade_id]
            watched = source.locked and (source.cell_type == "code" or grade_id in points)
            if watched and not meta.get("locked"):
                flags.append(f"the locked cell '{grade_id}' was unlocked")
            if watched and cell.cell_type == source.cell_type and (
                    cell.source.strip() != release_form(source.source).strip()):
                flags.append(f"the locked cell '{grade_id}' was edited")
            if grade_id in points and meta.get("grade"):
                try:
                    claimed = float(meta.get("points", 0))
                except (TypeError, ValueError):
                    claimed = float("nan")
                if claimed != points[grade_id]:
                    flags.append(f"the points of '{grade_id}' were changed from "
                                 f"{points[grade_id]:g} to {meta.get('points')!s:.20}")
        nb.metadata[METADATA] = {"integrity": list(dict.fromkeys(flags))}
        return nb, resources


class KeepHiddenChecksOut(NbGraderPreprocessor):
    """Remove the hidden part of every trusted check cell before the notebook runs: the
    grader judges it (:class:`TrustedChecks`), the trainee's kernel never sees it. Plain
    nbgrader test cells (not written with ``record``) are left as nbgrader runs them."""

    def preprocess_cell(self, cell, resources, index):
        if is_check(cell) and checks.split_check(cell.source) is not None:
            cell.source = release_form(cell.source)
        return cell, resources


class SandboxedExecute(Execute):
    """nbgrader's Execute, with the kernel in the sandbox and partial credit after a crash.

    When the kernel dies (``os._exit``, the memory limit) or stops answering even to an
    interrupt, the cell where it happened gets an error output saying so, the cells after it
    are marked not run, and grading goes on with what ran before.
    """

    interrupt_grace = Float(
        30.0, help="Seconds to wait for a kernel to answer after a timed-out cell was "
                   "interrupted, before it counts as stopped.").tag(config=True)
    max_output_bytes = Integer(
        64 * 2**20, help="Output kept from one notebook; the rest is dropped.").tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        super().__init__(*args, **kwargs)
        self._stopped: str = ""
        self._output_bytes = 0

    def preprocess(self, nb, resources, km=None):
        self._stopped, self._output_bytes = "", 0
        nb, resources = super().preprocess(nb, resources, km=km)
        if self._stopped:
            nb.metadata.setdefault(METADATA, {})["kernel_stopped"] = self._stopped
        return nb, resources

    def preprocess_cell(self, cell, resources, index):
        if self._stopped:
            if cell.cell_type == "code":
                cell.outputs = [nbformat.v4.new_output(
                    "error", ename=NOT_RUN, evalue="not run: the kernel had stopped",
                    traceback=[f"{NOT_RUN}: this cell did not run because the Python "
                               "kernel had stopped in an earlier cell."])]
            return cell, self.resources
        from nbclient.exceptions import CellTimeoutError, DeadKernelError

        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._stop(cell, "the Python kernel stopped while this cell ran (the code "
                             "ended Python or used more memory than allowed)")
        except CellTimeoutError:  # the cell itself is stopped by error_on_timeout: this is
            # the kernel no longer sending its output at all
            self._stop(cell, "the Python kernel stopped sending its output while this cell "
                             "ran (the code broke the kernel)")
        return cell, self.resources

    def _stop(self, cell, why: str) -> None:
        self._stopped = _meta(cell).get("grade_id") or "a cell without an nbgrader id"
        cell.outputs = list(cell.get("outputs", [])) + [nbformat.v4.new_output(
            "error", ename=KERNEL_STOPPED, evalue=why,
            traceback=[f"{KERNEL_STOPPED}: {why}."])]

    async def _async_handle_timeout(self, timeout, cell=None):
        reply = await super()._async_handle_timeout(timeout, cell)
        # The interrupted cell's own reply shows the kernel is still there; none means it
        # ignores interrupts, and every later cell would wait out its whole time limit too.
        try:
            await asyncio.wait_for(self.kc.shell_channel.get_msg(timeout=self.interrupt_grace),
                                   self.interrupt_grace + 1)
        except (Empty, asyncio.TimeoutError):
            if cell is not None:
                self._stop(cell, "the Python kernel stopped answering, even to an interrupt")
        return reply

    def output(self, outs, msg, display_id, cell_index):
        size = len(str(msg.get("content", "")))
        self._output_bytes += size
        if self._output_bytes > self.max_output_bytes:
            return None
        return super().output(outs, msg, display_id, cell_index)


def _answers(cell) -> tuple[Any, str]:
    """The answers a check cell recorded (the last, if several), or None and why not."""
    data, error = None, ""
    for output in cell.get("outputs", []):
        if output.get("output_type") in ("display_data", "execute_result") and \
                checks.MIME in output.get("data", {}):
            data = output["data"][checks.MIME]
        elif output.get("output_type") == "error" and not error:
            error = f"{output.get('ename', 'Error')}: {output.get('evalue', '')}".rstrip(": ")
    return data, error


def verdict_outputs(verdict: checks.Verdict) -> list:
    """The check cell's outputs for a verdict, in the form nbgrader scores: an error output
    for zero, a number for partial credit, nothing more for full marks."""
    outputs = []
    text = verdict.printed
    if verdict.status == "partial":
        text += "".join(f"Not yet: {m}\n" for m in verdict.messages)
    if text:
        outputs.append(nbformat.v4.new_output("stream", name="stdout", text=text))
    if verdict.status == "partial":
        outputs.append(nbformat.v4.new_output(
            "execute_result", data={"text/plain": f"{verdict.score:g}"}, execution_count=None))
    elif verdict.status in ("failed", "not-run"):
        message = " ".join(verdict.messages) or "The check did not pass."
        outputs.append(nbformat.v4.new_output(
            "error", ename="CheckNotPassed", evalue=message,
            traceback=[f"Check not passed: {m}" for m in verdict.messages]
            or ["Check not passed."]))
    return outputs


class TrustedChecks(NbGraderPreprocessor):
    """Judge every trusted check cell in the grading process, on the recorded answers.

    The notebook's locked setup cells (:func:`is_setup`) are run here first (the gradebook's
    copies), so checks can use the names they define. A plain nbgrader test cell keeps the
    verdict of the trainee's kernel and is listed in the notebook's metadata as such.
    """

    check_timeout = Integer(120, help="Seconds one check may run in the grader."
                            ).tag(config=True)

    def preprocess(self, nb, resources):
        sources, points = _gradebook_cells(resources)
        # The gradebook's setup cells, whatever the submission did to its copies of them
        setup = [sources[name].source for name in sorted(sources) if is_setup(name)
                 and sources[name].locked and sources[name].cell_type == "code"
                 and name not in points]
        namespace, problems = checks.prepare(setup)
        results, untrusted = {}, []
        stopped = nb.metadata.get(METADATA, {}).get("kernel_stopped", "")
        for cell in nb.cells:
            grade_id = _meta(cell).get("grade_id")
            source = sources.get(grade_id)
            if source is None or cell.cell_type != "code":
                continue
            if is_check(cell):
                if checks.split_check(source.source) is None:
                    untrusted.append(grade_id)
                    continue
                data, error = _answers(cell)
                if any(o.get("ename") == NOT_RUN for o in cell.get("outputs", [])):
                    error = f"the Python kernel had stopped in '{stopped}' before this check"
                verdict = checks.judge(source.source, data, namespace,
                                       points.get(grade_id, 0.0), not_run=error,
                                       timeout=self.check_timeout)
                cell.outputs = verdict_outputs(verdict)
                results[grade_id] = verdict.to_dict()
        info = nb.metadata.setdefault(METADATA, {})
        info.update(checks=results, untrusted_checks=untrusted, grader_problems=problems)
        return nb, resources


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def safe_for_trainee(nb: nbformat.NotebookNode, sources: dict) -> nbformat.NotebookNode:
    """A copy of an autograded notebook that a trainee may see.

    Built from trusted parts: every locked cell's source is the release's (from the
    gradebook, hidden tests removed); check cells keep only the grader's verdict; outputs
    the trainee's kernel produced lose any line that quotes a hidden test, and recorded
    answer data is dropped.
    """
    import json

    safe = nbformat.from_dict(json.loads(json.dumps(nb)))
    secret = [line for s in sources.values() for line in hidden_lines(s.source)]
    for cell in safe.cells:
        meta = _meta(cell)
        source = sources.get(meta.get("grade_id"))
        if source is not None and source.locked:
            cell.source = release_form(source.source)
        elif BEGIN in cell.source:  # a trainee's own cell cannot hold hidden tests
            cell.source = release_form(cell.source)
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            data.pop(checks.MIME, None)
            if output.get("output_type") in ("display_data", "execute_result") and not data:
                continue
            _scrub_output(output, secret)
            kept.append(output)
        cell.outputs = kept
    return safe


def _scrub(text: str, secret: list[str]) -> str:
    if not secret or not text:
        return text
    lines = text.split("\n")
    return "\n".join("(a line of the hidden checks was removed here)"
                     if any(s in ANSI.sub("", line) for s in secret) else line
                     for line in lines)


def _scrub_output(output, secret: list[str]) -> None:
    if "text" in output:
        output["text"] = _scrub(output["text"], secret)
    for key in ("evalue",):
        if key in output:
            output[key] = _scrub(output[key], secret)
    if "traceback" in output:
        output["traceback"] = [_scrub(line, secret) for line in output["traceback"]]
    data = output.get("data", {})
    for mime in list(data):
        if isinstance(data[mime], str):
            data[mime] = _scrub(data[mime], secret)
        elif isinstance(data[mime], list):
            data[mime] = [_scrub(line, secret) if isinstance(line, str) else line
                          for line in data[mime]]
        elif not mime.startswith("image/"):
            data.pop(mime)  # structured data we cannot read line by line


class TrustedFeedback(NbGraderPreprocessor):
    """``nbgrader generate_feedback`` shows what :func:`safe_for_trainee` keeps."""

    def preprocess(self, nb, resources):
        sources, _ = _gradebook_cells(resources)
        return safe_for_trainee(nb, sources), resources
