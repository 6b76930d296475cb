"""Readers for LMS downloads, one module per LMS, each faithful to how that LMS names files.

- :mod:`.moodle` - Moodle's "Download all submissions" (folders or flat, online text, zips);
- :mod:`.canvas` - Canvas's "Download Submissions" (sortable names, ``LATE``, user ids, ``-1``);
- :mod:`.blackboard` - Blackboard's "Assignment File Download" (usernames, attempts, receipts);
- :mod:`.folders` - a folder per trainee, or flat names read with a pattern.

:func:`detect` says which LMS made a download, from its file names.
"""

from __future__ import annotations

from pathlib import Path

from . import blackboard, canvas, folders, moodle
from .base import Entry, LmsPerson, Reading

READERS = ("moodle", "canvas", "blackboard")


def detect(folder: Path) -> str:
    """The LMS whose naming most of the files follow, or "folder".

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "smithjohn_LATE_40118_5551_ex04.ipynb").write_text("{}")
    ...     detect(Path(tmp))
    'canvas'
    """
    names = [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()]
    if not names:
        return "folder"
    scores = {
        "moodle": sum(bool(moodle.SIGNATURE.search(n)) for n in names),
        "blackboard": sum(bool(blackboard.SIGNATURE.search(n)) for n in names),
        "canvas": sum(bool(canvas.SIGNATURE.match(Path(n).name)) for n in names),
    }
    best = max(scores, key=lambda lms: (scores[lms], lms == "moodle", lms == "blackboard"))
    return best if scores[best] * 2 > len(names) else "folder"


__all__ = ["Entry", "LmsPerson", "READERS", "Reading", "blackboard", "canvas", "detect",
           "folders", "moodle"]
