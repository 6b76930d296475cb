"""Moodle's "Download all submissions" zip (mod/assign), in both of its layouts.

Moodle names each person's files after their full name and a *participant number*
(``assign::get_uniqueid_for_user``; underscores in the name become spaces):

- folders (the default since Moodle 3.1):
  ``Amina Yusuf_1284301_assignsubmission_file_/ex01-htcds-basics.ipynb`` (Moodle 4.1 and later
  drop the last underscore);
- flat ("Download submissions in folders" off):
  ``Amina Yusuf_1284301_assignsubmission_file_ex01-htcds-basics.ipynb``;
- online text entries: ``..._assignsubmission_onlinetext_/onlinetext.html``;
- with blind marking the name is the word ``Participant``.

The participant number differs from one assignment to the next, so it is kept only to send
grades and feedback back to this assignment (the grading worksheet's ``Identifier`` is
``Participant 1284301``), never as a course id.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from .base import Entry, LmsPerson, Reading, file_time, files_under, label_of, pick_notebooks

NAME = "moodle"
FOLDER = re.compile(r"^(?P<name>[^_]+)_(?P<pid>\d+)_assignsubmission_(?P<plugin>[a-z]+)_?$")
FLAT = re.compile(r"^(?P<name>[^_]+)_(?P<pid>\d+)_assignsubmission_(?P<plugin>[a-z]+)_"
                  r"(?P<rest>.+)$")
SIGNATURE = re.compile(r"_\d+_assignsubmission_")
BLIND = "Participant"


def _locate(path: Path, folder: Path) -> tuple[re.Match, Path] | None:
    parts = path.relative_to(folder).parts
    for index, part in enumerate(parts[:-1]):  # a folder, or a flat zip upload unpacked
        found = FOLDER.match(part) or FLAT.match(part)
        if found:
            return found, Path(*parts[index + 1:])
    found = FLAT.match(parts[-1])
    return (found, Path(found["rest"])) if found else None


def read(folder: Path, shown: str, notebooks: list[str],
         worksheet: dict[str, tuple[str, str]] | None = None) -> Reading:
    """Entries from a Moodle download; ``worksheet`` maps participant numbers to (full name,
    e-mail), from Moodle's grading worksheet, to tell same-name people apart."""
    reading = Reading(NAME)
    per_person: dict[tuple[str, str], list[tuple[Path, Path]]] = defaultdict(list)
    for path in files_under(folder):
        label = label_of(path, folder, shown)
        located = _locate(path, folder)
        if located is None:
            reading.unmatched.append((label, "not named as Moodle names submissions "
                                             "(Full Name_number_assignsubmission_file_...)"))
            continue
        found, inner = located
        if found["name"] == BLIND:
            reading.unmatched.append((label, "Moodle's blind marking hides who sent it; reveal "
                                             "identities in Moodle and download again"))
            continue
        if found["plugin"] == "onlinetext":
            reading.unmatched.append((label, f"an online text entry by {found['name']}, not a "
                                             "notebook; ask them to upload the .ipynb file"))
            continue
        if found["plugin"] != "file":
            reading.unmatched.append((label, f"a Moodle '{found['plugin']}' entry, not a file"))
            continue
        per_person[(found["pid"], found["name"])].append((path, inner))
    for (pid, name), files in sorted(per_person.items()):
        full_name, email = (worksheet or {}).get(pid, (name, ""))
        person = LmsPerson(NAME, pid, full_name or name, email)
        by_inner = {inner: path for path, inner in files}  # the file's own name, to match
        used, left = pick_notebooks(list(by_inner), notebooks)
        for inner, reason in left:
            reading.unmatched.append((label_of(by_inner[inner], folder, shown),
                                      f"from {name}: {reason}"))
        for inner, notebook, note in used:
            path = by_inner[inner]
            moment = file_time(path)  # Moodle stamps each entry with the file's upload time
            reading.entries.append(Entry(person, notebook, path, label_of(path, folder, shown),
                                         moment, None, (moment,),
                                         {"participant": pid, "fullname": name}, note))
    return reading
