"""The core track needs no programming: its answers are plain values typed into a form.

For every core-track exercise, the answers that follow the task text literally (kept in
answers/<exercise>.json and graded full marks by the round trip) are only assignments of
plain values (text, numbers, None, lists, dictionaries), and the answer cells the trainee
receives are forms of that kind too.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import nbformat
import pytest

from htcds_learn.learn.lessons import EXERCISES

ROOT = Path(__file__).resolve().parents[2]
ANSWERS = Path(__file__).resolve().parent / "answers"
CORE = [e for e in EXERCISES if "core" in e.tracks]
SOLUTION = re.compile(r"### BEGIN SOLUTION\n.*?### END SOLUTION\n?", re.S)


def plain_values_only(code: str) -> list[str]:
    """What in ``code`` is more than typing plain values into names (empty when nothing)."""
    problems = []
    for node in ast.parse(code).body:
        if isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) for t in node.targets):
            try:
                ast.literal_eval(node.value)
            except ValueError:
                problems.append(ast.unparse(node))
        elif isinstance(node, ast.Raise) and ast.unparse(node) == "raise NotImplementedError()":
            continue  # the stub's own line, which the trainee may forget to delete
        else:
            problems.append(ast.unparse(node))
    return problems


def test_the_check_itself_tells_code_from_values():
    form = 'a = "B"\nb = {"x": ["y", None, 3]}\nraise NotImplementedError()'
    assert plain_values_only(form) == []
    assert plain_values_only("def f(x):\n    return x") != []
    assert plain_values_only('a = "B".lower()') != []


def test_the_core_track_covers_every_topic_with_exercises():
    topics = {topic for e in CORE for topic, points in e.points.items() if points}
    assert topics == {"ethics", "validation", "sharing"}


@pytest.mark.parametrize("exercise", CORE, ids=lambda e: e.name)
def test_core_answers_are_plain_values(exercise):
    submissions = json.loads((ANSWERS / f"{exercise.name}.json").read_text("utf-8"))
    literal = submissions["submissions"]["literal"]["answers"]
    for grade_id, code in literal.items():
        assert plain_values_only(code) == [], (exercise.name, grade_id)
    for path in (ROOT / "exercises" / "source" / exercise.name).glob("*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("solution") and cell.cell_type == "code":
                form = SOLUTION.sub("", cell.source)
                assert plain_values_only(form) == [], (exercise.name, meta["grade_id"])
