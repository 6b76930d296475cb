"""The repository keeps its promises: two set-up commands, CI runs them, nothing generated."""

from __future__ import annotations

import re
import subprocess

from htcds_learn.learn.lessons import LESSONS


def test_the_readme_gives_the_two_commands(repo):
    readme = (repo / "README.md").read_text("utf-8")
    assert "python3 run.py lab" in readme and "python3 run.py test" in readme
    assert "--no-browser" in readme and "Windows" in readme
    assert "CC BY 4.0" in readme


def test_ci_runs_the_readme_test_command_exactly(repo):
    lines = [line for line in (repo / ".ci" / "run").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert lines[-1] == "exec python3 run.py test"


def test_the_readme_lists_every_lesson(repo):
    readme = (repo / "README.md").read_text("utf-8")
    for lesson in LESSONS:
        assert f"| {lesson.number} | [{lesson.title}](notebooks/{lesson.notebook}) " \
               f"| {lesson.minutes} min |" in readme
        if lesson.exercise:
            assert f"`{lesson.exercise}`" in readme


def test_faker_is_pinned_exactly_and_constraints_pin_everything(repo):
    pyproject = (repo / "pyproject.toml").read_text()
    assert re.search(r'"faker==\d+\.\d+\.\d+"', pyproject)
    constraints = [line for line in (repo / "constraints.txt").read_text().splitlines()
                   if line and not line.startswith((" ", "#"))]
    assert len(constraints) > 50
    assert all("==" in line for line in constraints), "every constraint is an exact pin"


def test_no_build_output_or_notebook_output_is_tracked(repo):
    tracked = subprocess.run(["git", "ls-files"], cwd=repo, capture_output=True,
                             text=True).stdout.split()
    for output in ("exercises/release/", "exercises/submitted/", "exercises/autograded/",
                   "exercises/feedback/", "exercises/gradebook.db", ".venv/"):
        assert not any(path.startswith(output) for path in tracked), output


def test_the_lint_is_clean(repo):
    result = subprocess.run(["ruff", "check", "--no-cache", "."], cwd=repo,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_the_front_door_exports_what_it_lists():
    import htcds_learn as hl

    assert [name for name in hl.__all__ if not hasattr(hl, name)] == []
    assert len(hl.__all__) == len(set(hl.__all__))


def test_the_facilitator_guide_times_every_lesson(repo):
    guide = (repo / "trainers" / "README.md").read_text("utf-8")
    for lesson in LESSONS:
        assert f"| {lesson.number} {lesson.title} | {lesson.minutes} |" in guide, lesson.number
        if lesson.exercise:
            assert lesson.exercise.split("-")[0] in guide
    one_day = guide.split("### One day")[1].split("###")[0]
    minutes = [int(m) for m in re.findall(r"\| (\d+) \|\n", one_day)]
    assert sum(minutes) >= sum(lesson.minutes for lesson in LESSONS)
