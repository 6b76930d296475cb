"""Submissions not from an LMS: a folder per trainee, or flat names read with a pattern.

``<trainee>/<notebook>.ipynb`` (also nbgrader's own ``submitted/<trainee>/<assignment>/``) and
flat names read with a regular expression that has nbgrader's ``zip_collect`` groups
(``FileNameCollector.named_regexp``): ``student_id``, ``file_id`` and, optionally,
``timestamp``. The default reads ``<trainee>_<notebook>.ipynb``.

>>> re.match(DEFAULT_PATTERN, "amina_ex01-htcds-basics.ipynb").group("student_id")
'amina'
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

from .base import BROWSER_COPY, Entry, LmsPerson, Reading, file_time, files_under, label_of

NAME = "folder"
DEFAULT_PATTERN = r"^(?P<student_id>[^_]+)_(?P<file_id>.+)\.ipynb$"


def parse_time(text: str | None) -> datetime | None:
    """A submission time as nbgrader or an LMS writes it, in UTC; None if unreadable."""
    if not text:
        return None
    for form in ("%Y-%m-%d-%H-%M-%S", "%Y-%m-%d %H:%M:%S.%f %Z", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text.strip(), form).replace(tzinfo=timezone.utc)
        except ValueError:
            continue
    try:
        from dateutil.parser import parse  # an nbgrader dependency

        moment = parse(text)
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    except (ValueError, OverflowError):
        return None


def _stamp_near(path: Path, folder: Path) -> datetime | None:
    """nbgrader's ``timestamp.txt`` beside a submitted notebook, if there is one."""
    stamp = path.parent / "timestamp.txt"
    if stamp.is_file() and stamp.parent != folder:
        return parse_time(stamp.read_text("utf-8", errors="replace"))
    return None


def read(folder: Path, shown: str, notebooks: list[str], assignment: str,
         pattern: str = DEFAULT_PATTERN) -> Reading:
    reading = Reading(NAME)
    for path in files_under(folder):
        label = label_of(path, folder, shown)
        if path.name == "timestamp.txt" and path.parent != folder:
            continue
        if path.suffix.lower() != ".ipynb":
            reading.unmatched.append((label, "not a notebook (.ipynb) file"))
            continue
        stem = BROWSER_COPY.sub("", path.stem)
        parents = [p for p in path.relative_to(folder).parts[:-1]
                   if p not in {assignment, "submitted"}]
        stamp_text = None
        if stem in notebooks and parents:
            raw, notebook = parents[-1], stem
        else:
            found = re.match(pattern, path.name)
            if not found:
                where = f" (it is in the folder {parents[-1]!r})" if parents else ""
                reading.unmatched.append((label, "the name does not say which trainee it is "
                                                 "from and which notebook it is (expected "
                                                 "<trainee>/<notebook>.ipynb or a name "
                                                 f"matching the pattern){where}"))
                continue
            groups = found.groupdict()
            raw, stamp_text = groups["student_id"], groups.get("timestamp")
            notebook = BROWSER_COPY.sub("", groups["file_id"])
            notebook = next((n for n in notebooks if notebook == n or notebook.endswith(n)),
                            notebook)
        if notebook not in notebooks:
            reading.unmatched.append((label, f"not a notebook of {assignment} (expected "
                                             + ", ".join(f"{n}.ipynb" for n in notebooks)
                                             + ")"))
            continue
        moment = parse_time(stamp_text) or _stamp_near(path, folder) or file_time(path)
        reading.entries.append(Entry(LmsPerson(NAME, raw, raw), notebook, path, label, moment,
                                     None, (moment,)))
    return reading
