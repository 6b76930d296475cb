"""Per-trainee HTML feedback that shows neither hidden test code nor its traceback lines.

nbgrader's ``generate_feedback`` renders the autograded notebook as it is, hidden tests and
all. Here each autograded notebook is first copied with every hidden-test region removed and,
in those cells, every output reduced to the error's one-line name and message; nbgrader then
renders the copies with its own feedback template and scores. Each page also carries its
score in a ``<meta name="htcds-learn-score">`` tag, which a trainee's completion summary reads.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import tempfile
from pathlib import Path

import nbformat

from .._util.files import write_text_atomically
from .layout import Course

BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
HIDDEN_REGION = re.compile(rf"^[ \t]*{BEGIN}.*?^[ \t]*{END}[ \t]*$\n?", re.S | re.M)
PLACEHOLDER = "# (hidden checks ran here)\n"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def without_hidden_tests(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy safe to show a trainee: hidden regions removed, their cells' outputs reduced.

    >>> cell = nbformat.v4.new_code_cell("x = 1\\n### BEGIN HIDDEN TESTS\\nassert x == 2\\n"
    ...                                  "### END HIDDEN TESTS")
    >>> cell.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue="",
    ...                 traceback=["assert x == 2", "AssertionError"])]
    >>> safe = without_hidden_tests(nbformat.v4.new_notebook(cells=[cell]))
    >>> safe.cells[0].source
    'x = 1\\n# (hidden checks ran here)\\n'
    >>> safe.cells[0].outputs[0].traceback
    ['AssertionError']
    """
    safe = nbformat.from_dict(json.loads(json.dumps(notebook)))
    for cell in safe.cells:
        if cell.cell_type != "code" or BEGIN not in cell.source:
            continue
        cell.source = HIDDEN_REGION.sub(PLACEHOLDER, cell.source)
        if BEGIN in cell.source:  # an unterminated region: hide from its start
            cell.source = cell.source[:cell.source.index(BEGIN)] + PLACEHOLDER
        reduced = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                message = ANSI.sub("", f"{output.get('ename', 'Error')}: "
                                       f"{output.get('evalue', '')}").rstrip(": ")
                reduced.append(nbformat.v4.new_output(
                    "error", ename=output.get("ename", "Error"),
                    evalue=output.get("evalue", ""), traceback=[message]))
        cell.outputs = reduced
    return safe


def _score_tag(course: Course, assignment: str, student: str, notebook: str) -> str:
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gradebook:
        graded = gradebook.find_submission_notebook(notebook, assignment, student)
        data = {"assignment": assignment, "notebook": notebook, "student": student,
                "score": float(graded.score), "max_score": float(graded.max_score)}
    return (f'<meta name="htcds-learn-score" content="{html.escape(json.dumps(data))}">')


def feedback(course: Course, assignments: list[str] | None = None) -> list[Path]:
    """Write ``feedback/<trainee>/<assignment>/<notebook>.html`` for every graded submission.

    Returns the pages written. Uses ``nbgrader generate_feedback`` on sanitised copies, so the
    pages look like nbgrader's and ``nbgrader release_feedback`` can hand them back.
    """
    pages = []
    for assignment in course.check_assignments(assignments):
        graded = sorted(course.autograded.glob(f"*/{assignment}"))
        if not graded:
            continue
        with tempfile.TemporaryDirectory(prefix=".feedback-", dir=course.root) as scratch:
            scratch_path = Path(scratch)
            for folder in graded:
                target = scratch_path / folder.parent.name / assignment
                shutil.copytree(folder, target)
                for path in target.glob("*.ipynb"):
                    path.chmod(0o644)
                    notebook = nbformat.read(path, as_version=4)
                    nbformat.write(without_hidden_tests(notebook), path)
            course.nbgrader("generate_feedback", assignment, "--force",
                            f"--CourseDirectory.autograded_directory={scratch_path.name}")
        for folder in graded:
            student = folder.parent.name
            for page in sorted((course.feedback / student / assignment).glob("*.html")):
                text = page.read_text("utf-8")
                tag = _score_tag(course, assignment, student, page.stem)
                text = re.sub(r'<meta name="htcds-learn-score"[^>]*>\n?', "", text)
                text = text.replace("<head>", f"<head>\n{tag}", 1)
                write_text_atomically(page, text)
                pages.append(page)
    return pages


def read_score_tags(folder: Path) -> list[dict]:
    """The scores carried by the feedback pages under ``folder`` (a trainee's copy)."""
    found = []
    for page in sorted(Path(folder).rglob("*.html")):
        match = re.search(r'<meta name="htcds-learn-score" content="([^"]*)">',
                          page.read_text("utf-8", errors="replace"))
        if match:
            found.append(json.loads(html.unescape(match.group(1))))
    return found
