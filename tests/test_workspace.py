"""The trainee's workspace: built from the course, safe to rebuild, resettable, and free of
solutions and hidden tests; its Jupyter settings; and "Check my work" on an exercise copy."""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

import pytest

from htcds_learn.course import Course
from htcds_learn.course.simulate import solution_answers
from htcds_learn.learn import workspace
from htcds_learn.learn.exercise_check import check_notebook

EXERCISE = "ex01-htcds-basics"


def lesson_sources(path: Path) -> list[str]:
    return ["".join(c["source"]) for c in json.loads(path.read_text())["cells"]]


@pytest.fixture(scope="module")
def course(repo, tmp_path_factory):
    """A copy of the course with one exercise (releasing all seven takes a minute)."""
    root = tmp_path_factory.mktemp("course")
    for folder in ("notebooks", "synthetic_data"):
        shutil.copytree(repo / folder, root / folder)
    (root / "exercises" / "source").mkdir(parents=True)
    shutil.copy(repo / "exercises" / "nbgrader_config.py", root / "exercises")
    shutil.copytree(repo / "exercises" / "source" / EXERCISE,
                    root / "exercises" / "source" / EXERCISE)
    return root


@pytest.fixture(scope="module")
def built(course, tmp_path_factory):
    folder = tmp_path_factory.mktemp("workspace") / "workspace"
    space = workspace.Workspace(course, folder)
    assert space.prepare() == []
    return space


@pytest.mark.slow
def test_the_workspace_holds_lessons_exercise_copies_and_data_and_no_solutions(built, course):
    folder = built.folder
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == [
        "data", "exercises", "lessons", "my-files"]
    for lesson in sorted((course / "notebooks").glob("*.ipynb")):
        assert lesson_sources(folder / "lessons" / lesson.name) == lesson_sources(lesson)
    assert (folder / "lessons" / "glossary.md").exists()
    assert (folder / "data" / "csv" / "core.csv").exists()
    copy = folder / "exercises" / EXERCISE / f"{EXERCISE}.ipynb"
    text = copy.read_text()
    source = (course / "exercises" / "source" / EXERCISE / f"{EXERCISE}.ipynb").read_text()
    assert "BEGIN SOLUTION" in source and "BEGIN HIDDEN TESTS" in source
    for secret in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "expected_task1",
                   '"Family name\\": \\"prs_SecondName'):
        assert secret not in text
    assert "raise NotImplementedError()" in text
    assert f'hl.check_exercise(\\"{EXERCISE}\\")' in text
    # Nothing of the instructor's course is in the trainee's folder.
    names = {p.name for p in folder.rglob("*")}
    assert not names & {"source", "gradebook.db", "nbgrader_config.py", "tests", "release"}


@pytest.mark.slow
def test_rebuilding_keeps_edited_copies_updates_untouched_ones_and_reset_restores(
        built, course):
    lessons = built.folder / "lessons"
    edited = json.loads((lessons / "02-synthetic-data.ipynb").read_text())
    edited["cells"][0]["source"] = "# my own notes\n"
    (lessons / "02-synthetic-data.ipynb").write_text(json.dumps(edited))
    for name in ("02-synthetic-data.ipynb", "03-validation.ipynb"):
        shipped = json.loads((course / "notebooks" / name).read_text())
        shipped["cells"][-2]["source"] = "A new sentence in the course."
        (course / "notebooks" / name).write_text(json.dumps(shipped))
    notes = built.prepare()
    assert notes == ["Lesson 02 has a new version. Your copy has your own changes, so it was "
                     "kept. To get the new one: python3 run.py reset 02"]
    assert "A new sentence" in (lessons / "03-validation.ipynb").read_text()
    assert "# my own notes" in (lessons / "02-synthetic-data.ipynb").read_text()
    target, backup = built.reset("02")
    assert "A new sentence" in target.read_text() and "# my own notes" in backup.read_text()
    assert backup.parent == built.folder / ".backups"
    with pytest.raises(KeyError, match="no lesson or exercise '99'"):
        built.reset("99")


def test_saving_replaces_widget_outputs_with_a_run_again_note():
    widget = {"output_type": "display_data", "metadata": {},
              "data": {workspace.WIDGET_MIME: {"model_id": "x"}, "text/plain": "VBox()"}}
    image = {"output_type": "display_data", "metadata": {}, "data": {"image/png": "iVBOR"}}
    model = {"type": "notebook", "content": {"metadata": {"widgets": {"state": {}}}, "cells": [
        {"cell_type": "code", "outputs": [widget, image]}]}}
    workspace.strip_widget_outputs(model)
    outputs = model["content"]["cells"][0]["outputs"]
    assert outputs[1] == image and workspace.WIDGET_MIME not in outputs[0]["data"]
    assert "Run this cell" in outputs[0]["data"]["text/html"]
    assert "widgets" not in model["content"]["metadata"]


def test_the_trainee_settings_hide_nbgrader_and_keep_the_course_tools_on_path(tmp_path):
    config = workspace.trainee_settings(tmp_path, Path("/venv/bin"))
    server = json.loads((config / "jupyter_server_config.json").read_text())
    assert set(server["ServerApp"]["jpserver_extensions"].values()) == {False}
    assert server["MappingKernelManager"]["cull_idle_timeout"] > 0
    lab = json.loads((config / "jupyter_lab_config.json").read_text())
    assert lab["LabApp"]["news_url"] is None
    news = (config / "lab/user-settings/@jupyterlab/apputils-extension"
            / "notification.jupyterlab-settings")
    assert json.loads(news.read_text()) == {"fetchNews": "false"}
    page = json.loads((config / "labconfig" / "page_config.json").read_text())
    assert page["disabledExtensions"] == {"@jupyter/nbgrader": True}
    if "terminado_settings" in server["ServerApp"]:
        rcfile = Path(server["ServerApp"]["terminado_settings"]["shell_command"][2])
        assert 'export PATH="/venv/bin:$PATH"' in rcfile.read_text()


@pytest.mark.slow
def test_check_my_work_answers_task_by_task_and_offers_worked_answers_once_tried(
        built, course, tmp_path):
    copy = built.folder / "exercises" / EXERCISE / f"{EXERCISE}.ipynb"
    notebook = json.loads(copy.read_text())
    answers = {cell["metadata"]["nbgrader"]["grade_id"]: cell for cell in notebook["cells"]
               if cell["metadata"].get("nbgrader", {}).get("solution")}
    answers["task1"]["source"] = 'intake_mapping = {"Given name": "prs_GivenName"}'
    answers["task2"]["source"] = solution_answers(Course.open(course / "exercises"),
                                                  EXERCISE)["task2"]
    attempt = tmp_path / EXERCISE / f"{EXERCISE}.ipynb"
    attempt.parent.mkdir()
    attempt.write_text(json.dumps(notebook))
    source = course / "exercises" / "source" / EXERCISE / f"{EXERCISE}.ipynb"
    result = check_notebook(attempt, EXERCISE, source)
    statuses = [(task.title.split(" ·")[0], task.status) for task in result.tasks]
    assert statuses == [("Task 1", "failed"), ("Task 2", "passed"), ("Task 3", "not tried")]
    assert "These questions have no answer yet" in result.tasks[0].message
    assert [task.points for task in result.tasks] == [8, 4, 3]  # each task's graded points
    page = result._repr_html_()
    assert "1 of 3 visible checks passed" in page and "hidden checks" in page
    assert "Worked answer: Task 2" in page and "Worked answer: Task 3" not in page
    assert "prs_FirstName" in page  # the worked answer of task 1 (tried, though wrong)
    assert html.escape('core_means = "B"') in page  # and of task 2
    assert json.loads(attempt.read_text()) == notebook  # the trainee's file is untouched


def test_a_copy_the_workspace_did_not_make_is_never_overwritten(tmp_path, repo):
    course = tmp_path / "course"
    (course / "notebooks").mkdir(parents=True)
    shutil.copy(repo / "notebooks" / "00-welcome.ipynb", course / "notebooks")
    (course / "synthetic_data").mkdir()
    (course / "exercises" / "source").mkdir(parents=True)
    mine = tmp_path / "space" / "lessons" / "00-welcome.ipynb"
    mine.parent.mkdir(parents=True)
    mine.write_text(json.dumps({"cells": [{"cell_type": "markdown", "source": "mine"}]}))
    notes = workspace.Workspace(course, tmp_path / "space").prepare()
    assert "python3 run.py reset 00" in notes[0]
    assert "mine" in mine.read_text()
