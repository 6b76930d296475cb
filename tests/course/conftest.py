"""Shared by the course tests: LMS downloads built in each platform's real naming scheme.

The schemes (see each reader's docstring for the source):
- Moodle: ``Full Name_<participant>_assignsubmission_file_/<file>`` (folders) or
  ``Full Name_<participant>_assignsubmission_file_<file>`` (flat);
- Canvas: ``<sortablename>[_LATE]_<userid>_<attachmentid>_<file>[-N]``;
- Blackboard: ``<Assignment>_<username>_attempt_<YYYY-MM-DD-HH-MM-SS>_<file>`` and a ``.txt``
  receipt per attempt.
"""

from __future__ import annotations

import sys
import zipfile
from datetime import datetime
from pathlib import Path

import nbformat
import pytest

STUB = "# YOUR CODE HERE\nraise NotImplementedError()"


def notebook_bytes(answer: str) -> bytes:
    """A one-task notebook with nbgrader metadata; the answer cell holds ``answer``."""
    cell = nbformat.v4.new_code_cell(answer, metadata={"nbgrader": {
        "grade_id": "task1", "solution": True, "grade": False, "locked": False,
        "schema_version": 3}})
    cell.id = "task1"
    return nbformat.writes(nbformat.v4.new_notebook(cells=[cell])).encode()


def write_zip(path: Path, entries: dict[str, bytes],
              times: dict[str, tuple] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, (times or {}).get(name, (2026, 11, 25, 9, 0, 0)))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return path


def moodle(notebook: str, people: dict[tuple[str, str], str], *, folders: bool = True,
           extra: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """{(full name, participant number): answer} as Moodle's "Download all submissions"."""
    entries = {}
    for (name, number), answer in people.items():
        prefix = f"{name}_{number}_assignsubmission_file_"
        entries[f"{prefix}/{notebook}.ipynb" if folders else f"{prefix}{notebook}.ipynb"] = \
            notebook_bytes(answer)
    entries.update(extra or {})
    return entries


def canvas_name(sortable: str, user: int, attachment: int, file: str, late: bool = False
                ) -> str:
    return f"{sortable}{'_LATE' if late else ''}_{user}_{attachment}_{file}"


def blackboard_receipt(title: str, name: str, username: str, when: datetime,
                       files: list[tuple[str, str]]) -> bytes:
    """A Blackboard receipt; ``files`` are (original file name, name in the download)."""
    listed = "".join(f"\tOriginal filename: {original}\n\tFilename: {stored}\n"
                     for original, stored in files)
    return (f"Name: {name} ({username})\nAssignment: {title}\n"
            f"Date Submitted: {when:%A, %d %B %Y %H:%M:%S} o'clock GMT\n"
            "Current Grade: Needs Grading\n\n"
            "Submission Field:\nThere is no student submission text data for this "
            "assignment.\n\nComments:\nThere are no student comments for this assignment.\n\n"
            f"Files:\n{listed or 'No files were attached to this submission.'}\n").encode()


def blackboard(title: str, notebook: str,
               attempts: list[tuple[str, str, datetime, str]], *, receipts: bool = True
               ) -> dict[str, bytes]:
    """[(full name, username, when, answer)] as Blackboard's assignment file download."""
    entries = {}
    for name, username, when, answer in attempts:
        stem = f"{title}_{username}_attempt_{when:%Y-%m-%d-%H-%M-%S}"
        stored = f"{stem}_{notebook}.ipynb"
        entries[stored] = notebook_bytes(answer)
        if receipts:
            entries[f"{stem}.txt"] = blackboard_receipt(title, name, username, when,
                                                        [(f"{notebook}.ipynb", stored)])
    return entries


@pytest.fixture(scope="session")
def downloads():
    """This module: the download builders above, for tests (conftest is not importable)."""
    return sys.modules[__name__]
