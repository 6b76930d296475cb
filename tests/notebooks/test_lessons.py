"""Every lesson executes top to bottom in a fresh kernel, and is stored clean and complete."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from htcds_learn.learn.lessons import LESSONS

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"


def test_the_lesson_list_matches_the_notebooks_folder():
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == [
        lesson.notebook for lesson in LESSONS]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.number)
def test_stored_without_outputs(lesson):
    notebook = json.loads((NOTEBOOKS / lesson.notebook).read_text("utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.number)
def test_lesson_shape(lesson):
    notebook = nbformat.read(NOTEBOOKS / lesson.notebook, as_version=4)
    nbformat.validate(notebook)
    text = [c.source for c in notebook.cells if c.cell_type == "markdown"]
    assert text[0].startswith(f"# {lesson.number} · {lesson.title}\n")
    assert f"*About {lesson.minutes} minutes.*" in text[0]
    assert "**By the end of this lesson you can:**" in text[0]
    assert any(t.startswith("## Key points") for t in text)
    assert any(t.startswith("### For trainers") for t in text)
    assert f'hl.lesson_complete("{lesson.number}")' in notebook.cells[-1].source
    for cell in notebook.cells:
        if cell.cell_type == "code":
            is_self_check = re.match(r"hl\.(single_choice|multiple_choice|number|short_text)\(",
                                     cell.source)
            assert is_self_check or len(cell.source.splitlines()) <= 12, (
                f"a long code cell in {lesson.notebook}: aim for under 12 lines")
            assert not re.search(r"^\s*(def|class) ", cell.source, re.M), (
                "no helper code in lessons: put it in the library")


@pytest.mark.slow
@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.number)
def test_lesson_executes_top_to_bottom(lesson, progress_home):
    notebook = nbformat.read(NOTEBOOKS / lesson.notebook, as_version=4)
    client = NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()  # raises CellExecutionError, with the cell and traceback, on any error
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors
    # The last cell marked the lesson complete in the trainee's (temporary) progress record.
    saved = json.loads((progress_home / "progress.json").read_text())
    assert "completed_at" in saved["lessons"][lesson.number]
