"""Per-trainee HTML feedback built from trusted parts: no hidden test, whatever the code did.

Hidden checks never run in a trainee's kernel (:mod:`.nbgrader_steps`), so no output of it
can quote them. The pages are still built from trusted parts only: each autograded notebook
is copied with every locked cell's source taken from the gradebook (as released), the check
cells showing only the grader's verdict, and any output line that quotes a hidden test
removed (:func:`.nbgrader_steps.safe_for_trainee`); as a last guard any hidden-test region
left is cut and its cell's outputs reduced to the error's one line. nbgrader then renders the
copies with its own feedback template and scores. Each page also carries its score in a
``<meta name="htcds-learn-score">`` tag, which a trainee's completion summary reads.
"""

from __future__ import annotations

import html
import json
import re
import tempfile
from pathlib import Path

import nbformat

from .._util.files import write_text_atomically
from .layout import Course
from .nbgrader_steps import release_sources, safe_for_trainee

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
                target.mkdir(parents=True)
                for path in sorted(folder.glob("*.ipynb")):
                    if path.is_symlink() or not path.is_file():
                        continue
                    notebook = nbformat.read(path, as_version=4)
                    sources = release_sources(course.db_url, assignment, path.stem)
                    safe = without_hidden_tests(safe_for_trainee(notebook, sources))
                    nbformat.write(safe, target / path.name)
            course.nbgrader("generate_feedback", assignment, "--force",
                            f"--CourseDirectory.autograded_directory={scratch_path.name}")
        for folder in graded:
            student = folder.parent.name
            for page in sorted((course.feedback / student / assignment).glob("*.html")):
                text = page.read_text("utf-8")
                tag = _score_tag(course, assignment, student, page.stem)
                text = re.sub(r'<meta name="htcds-learn-score"[^>]*>\n?', "", text)
                text = text.replace("<head>", f"<head>\n{tag}", 1)
                write_text_atomically(page, without_cdn_scripts(text))
                pages.append(page)
    return pages


CDN_SCRIPT = re.compile(r'<script[^>]*\bsrc="https?://[^"]*"[^>]*>\s*</script>\n?', re.I)


def without_cdn_scripts(text: str) -> str:
    """A page that loads nothing from the internet: nbgrader's template fetches MathJax from a
    CDN, which fails offline (and the exercises hold no formulas).

    >>> without_cdn_scripts('<script src="https://cdnjs.example/MathJax.js"> </script><p>ok</p>')
    '<p>ok</p>'
    """
    return CDN_SCRIPT.sub("", text)


def read_score_tags(folder: Path) -> list[dict]:
    """The scores carried by the feedback pages under ``folder`` (a trainee's copy)."""
    found = []
    for page in sorted(Path(folder).rglob("*.html")):
        match = re.search(r'<meta name="htcds-learn-score" content="([^"]*)">',
                          page.read_text("utf-8", errors="replace"))
        if match:
            found.append(json.loads(html.unescape(match.group(1))))
    return found
