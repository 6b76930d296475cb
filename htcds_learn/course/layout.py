"""The course folder: an nbgrader course root, and running the real nbgrader commands in it.

>>> course = Course.open("exercises")
>>> course.assignments()[0]
'ex01-htcds-basics'
>>> course.notebooks("ex01-htcds-basics")
['ex01-htcds-basics']
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import HtcdsLearnError


def tools_on_path() -> None:
    """Put this Python's scripts folder first on PATH: nbgrader runs ``alembic`` from there
    when it creates a gradebook, and the folder is not on PATH when a venv is not activated."""
    scripts = str(Path(sys.executable).parent)
    if os.environ.get("PATH", "").split(os.pathsep)[0] != scripts:
        os.environ["PATH"] = scripts + os.pathsep + os.environ.get("PATH", "")


class CourseError(HtcdsLearnError):
    """A course folder, assignment or nbgrader step that cannot be used as asked."""


@dataclass(frozen=True)
class Course:
    """An nbgrader course root: ``nbgrader_config.py`` and ``source/<assignment>/``.

    Everything nbgrader makes (release/, submitted/, autograded/, feedback/, gradebook.db)
    lives beside them, as nbgrader expects; this package adds handout/ and reports/.
    """

    root: Path

    @classmethod
    def open(cls, root: Path | str) -> Course:
        root = Path(root).resolve()
        if not (root / "nbgrader_config.py").is_file() or not (root / "source").is_dir():
            raise CourseError(
                f"{root} is not a course folder: it needs nbgrader_config.py and source/.",
                "Use --course to point at the course (the repository's exercises/ folder).")
        return cls(root)

    # Folders, named as nbgrader names them.
    @property
    def source(self) -> Path:
        return self.root / "source"

    @property
    def release(self) -> Path:
        return self.root / "release"

    @property
    def submitted(self) -> Path:
        return self.root / "submitted"

    @property
    def autograded(self) -> Path:
        return self.root / "autograded"

    @property
    def feedback(self) -> Path:
        return self.root / "feedback"

    @property
    def handout(self) -> Path:
        return self.root / "handout"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def gradebook_path(self) -> Path:
        return self.root / "gradebook.db"

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.gradebook_path}"

    def assignments(self) -> list[str]:
        return sorted(p.name for p in self.source.iterdir()
                      if p.is_dir() and any(p.glob("*.ipynb")))

    def check_assignments(self, names: list[str] | None) -> list[str]:
        """The assignments asked for (all when ``names`` is empty), each checked to exist."""
        known = self.assignments()
        for name in names or []:
            if name not in known:
                raise CourseError(f"There is no assignment {name!r} in {self.source}.",
                                  f"Assignments: {', '.join(known)}.")
        return list(names) if names else known

    def notebooks(self, assignment: str) -> list[str]:
        """The notebook names (without .ipynb) an assignment asks trainees to submit."""
        return sorted(p.stem for p in (self.source / assignment).glob("*.ipynb"))

    def released(self) -> list[str]:
        """Assignments that nbgrader knows (``course build`` has been run for them)."""
        if not self.gradebook_path.exists():
            return []
        from nbgrader.api import Gradebook

        with Gradebook(self.db_url) as gradebook:
            return sorted(assignment.name for assignment in gradebook.assignments)

    def nbgrader(self, *args: str, timeout: float | None = None) -> str:
        """Run a real ``nbgrader`` command in the course folder; its log on success."""
        command = [sys.executable, "-m", "nbgrader", *args]
        tools_on_path()
        result = subprocess.run(command, cwd=self.root, capture_output=True, text=True,
                                timeout=timeout)
        if result.returncode != 0:
            errors = [line for line in result.stderr.splitlines()
                      if "ERROR" in line or "Error" in line][-5:]
            raise CourseError(f"'nbgrader {' '.join(args)}' failed in {self.root}:\n  "
                              + "\n  ".join(errors or result.stderr.splitlines()[-5:]),
                              "Run the same command in that folder to see its whole log.")
        return result.stderr
