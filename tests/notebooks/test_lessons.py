"""Every lesson executes top to bottom in a fresh kernel, and is stored clean and complete."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import htcds_learn as hl
from htcds_learn.learn import plots
from htcds_learn.learn.lessons import LESSONS, time_line

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
# The front door's names for the lesson pictures (hl.class_size_plot is plots.class_sizes).
PICTURES = sorted(name for name in hl.__all__ if getattr(getattr(hl, name), "__module__", "")
                  == plots.__name__ and callable(getattr(hl, name)))


def picture_cells(notebook):
    return [cell for cell in notebook.cells if cell.cell_type == "code" and any(
        re.search(rf"\bhl\.{name}\(", cell.source) for name in PICTURES)]


def test_the_lesson_list_matches_the_notebooks_folder():
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == sorted(
        lesson.notebook for lesson in LESSONS)


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
    assert time_line(lesson) in text[0], "the lesson states the manifest's two times"
    assert "**By the end of this lesson you can:**" in text[0]
    assert any(t.startswith("## Key points") for t in text)
    assert any(t.startswith("### For trainers") for t in text)
    assert f'hl.lesson_complete("{lesson.number}")' in notebook.cells[-1].source
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert len(cell.source.splitlines()) <= 12, (
                f"a long code cell in {lesson.notebook}: aim for under 12 lines")
            if not lesson.teaches_code:  # "Python you need" shows how a function is written
                assert not re.search(r"^\s*(def|class) ", cell.source, re.M), (
                    "no helper code in lessons: put it in the library")


@pytest.mark.slow
@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.number)
def test_lesson_executes_top_to_bottom(lesson, progress_home):
    notebook = nbformat.read(NOTEBOOKS / lesson.notebook, as_version=4)
    client = NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()  # raises CellExecutionError, with the cell and traceback, on any error
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert not [o for o in outputs if "<Figure size" in str(o.get("data", {}))], (
        "a chart came out as text")
    # Each picture is an image with alt text, wherever the notebook is read.
    for cell in picture_cells(notebook):
        images = [o for o in cell.outputs if "image/png" in o.get("data", {})]
        assert len(images) == 1, f"no picture from: {cell.source}"
        assert len(images[0].metadata["image/png"]["alt"]) > 40
    # Run All answers no self-check, so it does not mark the lesson done.
    saved = json.loads((progress_home / "progress.json").read_text()) if (
        progress_home / "progress.json").exists() else {"lessons": {}}
    assert "completed_at" not in saved["lessons"].get(lesson.number, {})


def _syllables(word: str) -> int:
    """Syllables by vowel groups (the usual English heuristic, close to textstat's counts)."""
    word = re.sub(r"[^a-z]", "", word.lower())
    if len(word) <= 3:
        return 1 if word else 0
    word = re.sub(r"(?:[^laeiouy]es|ed|[^laeiouy]e)$", "", word)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", re.sub(r"^y", "", word))))


def flesch_reading_ease(text: str) -> float:
    sentences = max(1, len(re.findall(r"[.!?:;](?:\s|$)", text)))
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", text)
    syllables = sum(_syllables(word) for word in words)
    return 206.835 - 1.015 * len(words) / sentences - 84.6 * syllables / len(words)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.number)
def test_the_lesson_prose_is_easy_to_read(lesson):
    """Flesch reading ease of 60 or more on what a trainee reads (not tables, headings, code
    or the trainers' cells): plain words and short sentences for second-language readers."""
    notebook = nbformat.read(NOTEBOOKS / lesson.notebook, as_version=4)
    prose = []
    for cell in notebook.cells:
        if cell.cell_type != "markdown" or cell.source.startswith("### For trainers"):
            continue
        lines = [line for line in cell.source.splitlines() if not line.startswith(("#", "|"))]
        text = re.sub(r"`[^`]*`", "code", " ".join(lines))
        prose.append(re.sub(r"[*_]", "", re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)))
    assert flesch_reading_ease(" ".join(prose)) >= 60



@pytest.mark.parametrize("columns", [1, 2, 3, 6])
def test_the_hidden_cells_picture_keeps_its_title_inside_the_picture(columns):
    """Lesson 05's published table has 3 columns; its one-line title ran past the right
    edge of the picture, so a trainee read '... to protect them in oran'."""
    import pandas as pd
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    names = [f"column {i}" for i in range(columns)]
    counts = pd.DataFrame([[40 + i for i in range(columns)]] * 3, columns=names)
    why = pd.DataFrame([["primary"] + [""] * (columns - 1)] + [[""] * columns] * 2,
                       columns=names)
    for hidden in (why, why != ""):  # with reasons (red and orange) and without
        figure = plots.suppressed_table(counts.mask(why != ""), hidden)
        canvas = FigureCanvasAgg(figure)
        canvas.draw()
        title = figure.axes[0].title.get_window_extent(canvas.get_renderer())
        assert title.x0 >= 0 and title.x1 <= figure.bbox.width, (columns, title)
