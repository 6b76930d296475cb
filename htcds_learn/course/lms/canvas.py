"""Canvas's "Download Submissions" zip, read as Canvas writes it (``ContentZipper``).

Each file is ``<sortable name>[_LATE]_<user id>_<attachment id>_<file name>``: the sortable
name ("Ali, Mohammed") lower-cased with every non-word character removed (``alimohammed``,
``коваленкоолена``), ``LATE`` in capitals when Canvas counts the submission late, the Canvas
user id (the person's key in the whole course), and the attachment id. A file uploaded again
under the same name is renamed ``name-1.ipynb``. With anonymous grading the name is left out
and the id is ``anon_<id>``. Text entries and links are ``..._text.html`` and
``..._link.html``.

Canvas writes no submission time into the download (the zip's entry times are when the zip was
made), so none is recorded; Canvas's own ``LATE`` mark is kept instead. The file name's prefix
is kept too: Canvas's "Upload submission comments" reads the user and attachment ids back from
it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from .base import Entry, LmsPerson, Reading, files_under, label_of, pick_notebooks

NAME = "canvas"
NAMED = re.compile(r"^(?P<name>.+?)_(?:(?P<late>LATE)_)?(?P<user>\d+)_(?P<rest>.+)$")
ANONYMOUS = re.compile(r"^(?:(?P<late>LATE)_)?(?P<user>anon_[A-Za-z0-9]+)_(?P<rest>.+)$")
UPLOAD = re.compile(r"^(?P<attachment>\d+)_(?P<file>.+)$")
SIGNATURE = re.compile(r"^.+_(?:LATE_)?\d+_\d+_.+$")


def read(folder: Path, shown: str, notebooks: list[str]) -> Reading:
    reading = Reading(NAME)
    per_person: dict[LmsPerson, list[tuple[Path, dict]]] = defaultdict(list)
    for path in files_under(folder):
        label = label_of(path, folder, shown)
        found = ANONYMOUS.match(path.name) or NAMED.match(path.name)
        if not found:
            reading.unmatched.append((label, "not named as Canvas names submissions "
                                             "(name_[LATE_]userid_attachmentid_file)"))
            continue
        name = found.groupdict().get("name") or found["user"]
        person = LmsPerson(NAME, found["user"], name)
        upload = UPLOAD.match(found["rest"])
        if upload is None:
            kind = ("a text entry" if found["rest"].startswith("text") else
                    "a link" if found["rest"].startswith("link") else "a file Canvas did not "
                                                                     "number")
            reading.unmatched.append((label, f"{kind} from {name}, not a notebook; ask them to "
                                             "upload the .ipynb file"))
            continue
        late = "LATE_" if found["late"] else ""
        prefix = (f"{name}_" if "name" in found.groupdict() else "") + \
            f"{late}{found['user']}_{upload['attachment']}"
        renamed = path.with_name(upload["file"])
        per_person[person].append((path, {"file": renamed.name, "prefix": prefix,
                                          "late": bool(found["late"]),
                                          "attachment": upload["attachment"],
                                          "user_id": found["user"]}))
    for person, files in sorted(per_person.items(), key=lambda item: item[0].key):
        by_file = {Path(info["file"]): (path, info) for path, info in files}
        used, left = pick_notebooks(list(by_file), notebooks)
        for shown_name, reason in left:
            path, _ = by_file[shown_name]
            reading.unmatched.append((label_of(path, folder, shown),
                                      f"from {person.name}: {reason}"))
        for shown_name, notebook, note in used:
            path, info = by_file[shown_name]
            if re.search(rf"^{re.escape(notebook)}-\d+\.ipynb$", shown_name.name):
                note = ""  # Canvas's own name for a file uploaded again, not a rename
            reading.entries.append(Entry(
                person, notebook, path, label_of(path, folder, shown), None, info["late"],
                (int(info["attachment"]),),  # a later upload has a larger attachment id
                {"prefix": info["prefix"], "user_id": info["user_id"],
                 "attachment": info["attachment"], "file": info["file"]}, note))
    return reading
