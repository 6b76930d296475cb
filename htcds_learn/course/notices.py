"""A feedback page for every submission, even one that could not be graded.

``course feedback`` renders nbgrader's pages for graded notebooks. A notebook that nbgrader
could not grade (damaged, or its code crashed Python) has no autograded copy, so it would get
no page and the trainee would hear nothing. :func:`failure_pages` writes a short page for
each of those, from the grading ledger's own sentences (never from the notebook), and
:func:`without_feedback` lists anyone who still has no page.
"""

from __future__ import annotations

import html
from pathlib import Path

from .._util.files import write_text_atomically
from .grading import ledger_entries, read_ledger
from .layout import Course

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:44em;margin:2em auto;padding:0 1em;
line-height:1.5}} .box{{border-left:4px solid #e69f00;background:#fff4e5;padding:.6em 1em}}
</style></head><body>
<h1>{title}</h1>
<div class="box"><p><b>Your notebook could not be graded.</b> It scores 0 for now.</p>
<ul>{problems}</ul></div>
<p>What to do: open your notebook in Jupyter, check that it opens and runs from top to
bottom (Kernel &gt; Restart and Run All), save it, download it again (File &gt; Download) and
send it to your trainer once more.</p>
</body></html>
"""


def failure_pages(course: Course, assignments: list[str]) -> list[Path]:
    """Write a page for each failed submission that has none; return the pages written."""
    written = []
    for assignment, student, entry in ledger_entries(read_ledger(course)):
        if assignment not in assignments or entry.get("status") != "failed":
            continue
        folder = course.feedback / student / assignment
        if any(folder.glob("*.html")):
            continue
        for notebook in course.notebooks(assignment):
            page = folder / f"{notebook}.html"
            items = "".join(f"<li>{html.escape(problem)}</li>"
                            for problem in entry.get("problems", []))
            write_text_atomically(page, PAGE.format(title=html.escape(f"{assignment}: "
                                                                      f"{notebook}"),
                                                    problems=items))
            written.append(page)
    return written


def without_feedback(course: Course, assignments: list[str]) -> list[tuple[str, str]]:
    """(trainee, assignment) for every submission that has no feedback page."""
    missing = []
    for assignment in assignments:
        for folder in sorted(course.submitted.glob(f"*/{assignment}")):
            student = folder.parent.name
            if not any((course.feedback / student / assignment).glob("*.html")):
                missing.append((student, assignment))
    return missing
