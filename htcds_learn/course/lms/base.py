"""What every LMS reader returns: who sent which notebook, when, and what was left out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

BROWSER_COPY = re.compile(r"\s*\(\d+\)$")  # "name (1)": a browser's second download
RENAMED = re.compile(r"(?:-Copy\d*|-\d+|\s*\(\d+\)|[ _-]copy)$", re.I)


@dataclass(frozen=True)
class LmsPerson:
    """A person as one LMS download names them. ``key`` is the LMS's own id for them (the
    Canvas user id, the Blackboard username; for Moodle the participant number, which is per
    assignment and so never becomes a course id)."""

    lms: str
    key: str
    name: str
    email: str = ""

    def describe(self) -> str:
        return f"{self.name} ({self.key})" if self.key and self.key != self.name else self.name


@dataclass
class Entry:
    """One notebook file one person sent."""

    person: LmsPerson
    notebook: str
    path: Path
    label: str
    submitted_at: datetime | None = None
    late: bool | None = None
    order: tuple = ()  # larger is newer
    ref: dict[str, str] = field(default_factory=dict)  # what the LMS needs to take it back
    note: str = ""


@dataclass
class Reading:
    """A reader's result: entries, files it could not use (with reasons) and routine notes."""

    lms: str
    entries: list[Entry] = field(default_factory=list)
    unmatched: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def label_of(path: Path, folder: Path, shown: str) -> str:
    return f"{shown}/{path.relative_to(folder).as_posix()}"


def file_time(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)


def notebook_for(file_name: str, notebooks: list[str]) -> tuple[str | None, bool]:
    """Which of the assignment's notebooks a file is, and whether it was renamed.

    >>> notebook_for("ex01-htcds-basics (1).ipynb", ["ex01-htcds-basics"])
    ('ex01-htcds-basics', False)
    >>> notebook_for("ex04-clean-a-dataset-1.ipynb", ["ex04-clean-a-dataset"])
    ('ex04-clean-a-dataset', True)
    >>> notebook_for("notes.ipynb", ["ex04-clean-a-dataset"])
    (None, False)
    """
    if not file_name.lower().endswith(".ipynb"):
        return None, False
    stem = BROWSER_COPY.sub("", file_name[: -len(".ipynb")])
    for notebook in notebooks:
        if stem == notebook or stem.endswith(notebook):
            return notebook, False
    bare = RENAMED.sub("", stem)
    for notebook in notebooks:
        if bare == notebook or bare.endswith(notebook):
            return notebook, True
    return None, False


def pick_notebooks(files: list[Path], notebooks: list[str]
                   ) -> tuple[list[tuple[Path, str, str]], list[tuple[Path, str]]]:
    """For one person's files: (file, notebook, note) to use and (file, reason) to leave.

    A lone notebook with another name is taken for the assignment's only notebook, with a
    note: the person is known, so nothing is guessed about who sent it.
    """
    used: list[tuple[Path, str, str]] = []
    left: list[tuple[Path, str]] = []
    stray: list[Path] = []
    for path in files:
        notebook, renamed = notebook_for(path.name, notebooks)
        if notebook is None:
            if path.suffix.lower() == ".ipynb":
                stray.append(path)
            else:
                left.append((path, "not a notebook (.ipynb) file"))
            continue
        used.append((path, notebook, f"renamed {path.name!r}; collected as {notebook}.ipynb"
                     if renamed else ""))
    if len(stray) == 1 and not used and len(notebooks) == 1:
        used.append((stray[0], notebooks[0], f"renamed {stray[0].name!r}; collected as "
                                             f"{notebooks[0]}.ipynb"))
    else:
        left += [(path, "a notebook, but not one of this exercise (expected "
                        + ", ".join(f"{n}.ipynb" for n in notebooks) + ")") for path in stray]
    return used, left
