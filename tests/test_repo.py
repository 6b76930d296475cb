"""The repository keeps its promises: two set-up commands, CI runs them, nothing generated."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

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
               f"| " in readme
        assert f"| {lesson.self_paced} min | {lesson.workshop} min |" in readme
        for exercise in lesson.exercises:
            assert f"`{exercise}`" in readme


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
    """ruff, with the complexity rule: no function over 15 (pyproject.toml says where not yet)."""
    result = subprocess.run(["ruff", "check", "--no-cache", "."], cwd=repo,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout

    def complexity_found(branches: int) -> bool:
        code = "def f(x):\n" + "".join(f"    if x == {i}:\n        return {i}\n"
                                        for i in range(branches))
        result = subprocess.run(["ruff", "check", "--no-cache", "--stdin-filename",
                                 "htcds_learn/x.py", "-"], cwd=repo, capture_output=True,
                                text=True, input=code)
        return "C901" in result.stdout

    assert complexity_found(15) and not complexity_found(14)  # complexity 16 fails, 15 passes


def test_the_types_check(repo, tmp_path):
    """mypy over the package (pyproject.toml's [tool.mypy]; its cache outside the repository)."""
    result = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path)],
                            cwd=repo, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


def test_the_front_door_exports_what_it_lists():
    import htcds_learn as hl

    assert [name for name in hl.__all__ if not hasattr(hl, name)] == []
    assert len(hl.__all__) == len(set(hl.__all__))


def test_the_front_door_offers_lazily_what_its_type_checked_imports_say(repo):
    """htcds_learn/__init__.py names each export twice: in the table its __getattr__ loads
    from (_FROM), and as imports under TYPE_CHECKING for type checkers. They must agree, and
    cover __all__ (but the two constants it defines itself)."""
    import ast

    import htcds_learn as hl

    tree = ast.parse((repo / "htcds_learn" / "__init__.py").read_text("utf-8"))
    (checking,) = [node for node in tree.body if isinstance(node, ast.If)
                   and getattr(node.test, "id", "") == "TYPE_CHECKING"]
    typed = {alias.asname or alias.name: ("." * node.level + node.module, alias.name)
             for node in checking.body if isinstance(node, ast.ImportFrom)
             for alias in node.names}
    assert typed == hl._FROM
    assert set(hl.__all__) == set(hl._FROM) | {"HTCDS_VERSION", "__version__"}
    assert set(hl.__all__) <= set(dir(hl))
    with pytest.raises(AttributeError, match="has no attribute 'no_such_thing'"):
        hl.no_such_thing  # noqa: B018


def test_nbgrader_loads_the_grading_steps_without_the_data_libraries():
    """Every nbgrader command in the course folder loads these (exercises/nbgrader_config.py):
    with the front door loading everything, each paid a second for pandas and the rest."""
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys\n"
         "import htcds_learn.course.nbgrader_steps, htcds_learn.course.nbgrader_fixes\n"
         "import htcds_learn.course.lateness, htcds_learn.learn.lessons\n"
         "print(sorted({'pandas', 'numpy', 'faker', 'matplotlib', 'scipy'} & set(sys.modules)))"],
        capture_output=True, text=True, timeout=120)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip() == "[]"


def test_the_facilitator_guide_times_every_lesson(repo):
    guide = (repo / "trainers" / "README.md").read_text("utf-8")
    for lesson in LESSONS:
        assert f"{lesson.number} {lesson.title}" in guide, lesson.number
        for exercise in lesson.exercises:
            assert exercise in guide
    one_day = guide.split("### One day")[1].split("###")[0]
    assert "**Lunch**" in one_day and "**Break**" in one_day
