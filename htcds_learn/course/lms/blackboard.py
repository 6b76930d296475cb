"""Blackboard Learn's Grade Center "Assignment File Download", with its receipts.

Each attempt's files are ``<Assignment>_<username>_attempt_<YYYY-MM-DD-HH-MM-SS>_<file name>``
and each attempt has a receipt, ``<Assignment>_<username>_attempt_<...>.txt``::

    Name: Chidi Okafor (c_okafor)
    Assignment: Ex06 Pseudonymise
    Date Submitted: Tuesday, 25 November 2026 10:00:00 o'clock GMT
    ...
    Files:
        Original filename: ex06-pseudonymise-for-referral.ipynb
        Filename: Ex06 Pseudonymise_c_okafor_attempt_2026-11-25-10-00-00_ex06-...ipynb

Usernames may hold underscores (``c_okafor``), and so may assignment names, so the username is
read from the receipt; without one, from the roster's Blackboard usernames, the assignment
name other receipts give, or the part the download's names share. Receipts are read as
receipts: they are counted, never listed as unmatched files. Every attempt is in the download;
the latest counts (the intake flags a latest attempt that is the blank handout).
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

from .base import Entry, LmsPerson, Reading, files_under, label_of, notebook_for

NAME = "blackboard"
ATTEMPT = re.compile(r"^(?P<stem>.+)_attempt_(?P<when>\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d)"
                     r"(?:_(?P<file>.+)|\.txt)$")
SIGNATURE = re.compile(r"_attempt_\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d")
RECEIPT_NAME = re.compile(r"^Name:\s*(?P<name>.*?)\s*\((?P<user>[^()]*)\)\s*$", re.M)
RECEIPT_ASSIGNMENT = re.compile(r"^Assignment:\s*(?P<title>.+?)\s*$", re.M)
RECEIPT_FILE = re.compile(r"^\s*Filename:\s*(?P<file>.+?)\s*$", re.M)


def _attempt(name: str) -> re.Match[str]:
    """The parts of an attempt's file name (only called on names ATTEMPT already matched)."""
    found = ATTEMPT.match(name)
    assert found is not None, name
    return found


def _read_receipts(paths: list[Path]) -> tuple[dict[str, tuple[str, str]], set[str],
                                               list[tuple[str, str, str]]]:
    """(file name -> (username, name)), assignment titles, and (stem, username, name)."""
    by_file, titles, people = {}, set(), []
    for path in paths:
        text = path.read_text("utf-8", errors="replace")
        who = RECEIPT_NAME.search(text)
        title = RECEIPT_ASSIGNMENT.search(text)
        if title:
            titles.add(title["title"])
        if who:
            people.append((_attempt(path.name)["stem"], who["user"], who["name"]))
            for listed in RECEIPT_FILE.finditer(text):
                by_file[listed["file"]] = (who["user"], who["name"])
    return by_file, titles, people


def _username(stem: str, titles: set[str], known: set[str], shared: str) -> str:
    for title in sorted(titles, key=len, reverse=True):
        if stem.startswith(title + "_"):
            return stem[len(title) + 1:]
    matches = [user for user in known if stem.endswith("_" + user)]
    if matches:
        return max(matches, key=len)
    if shared and stem.startswith(shared) and len(stem) > len(shared):
        return stem[len(shared):]
    return stem.rsplit("_", 1)[-1]


def read(folder: Path, shown: str, notebooks: list[str], known_usernames: set[str]
         ) -> Reading:
    """``known_usernames``: Blackboard usernames on the roster, to read names with '_'."""
    reading = Reading(NAME)
    files = files_under(folder)
    receipts = [p for p in files if p.suffix == ".txt" and ATTEMPT.match(p.name)]
    by_file, titles, receipt_people = _read_receipts(receipts)
    stems = sorted({found["stem"] for p in files if (found := ATTEMPT.match(p.name))})
    shared = os.path.commonprefix(stems) if len(stems) > 1 else ""
    shared = shared[: shared.rfind("_") + 1] if "_" in shared else ""
    names = {user: name for _, user, name in receipt_people}
    per_attempt: dict[tuple[str, str], list[Path]] = defaultdict(list)
    for path in files:
        if path in receipts:
            continue
        label = label_of(path, folder, shown)
        found = _attempt(path.name)
        if not found or not found["file"]:
            reading.unmatched.append((label, "not named as Blackboard names attempts "
                                             "(Assignment_username_attempt_date_file)"))
            continue
        user = by_file.get(path.name, (None,))[0] or _username(found["stem"], titles,
                                                               known_usernames, shared)
        per_attempt[(user, found["when"])].append(path)
    for (user, when), paths in sorted(per_attempt.items()):
        moment = datetime.strptime(when, "%Y-%m-%d-%H-%M-%S").replace(tzinfo=timezone.utc)
        person = LmsPerson(NAME, user, names.get(user, user))
        for path in paths:
            found = _attempt(path.name)
            notebook, renamed = notebook_for(found["file"], notebooks)
            label = label_of(path, folder, shown)
            if notebook is None:
                reason = ("a notebook, but not one of this exercise" if path.suffix == ".ipynb"
                          else "not a notebook (.ipynb) file")
                reading.unmatched.append((label, f"from {user}: {reason}"))
                continue
            reading.entries.append(Entry(
                person, notebook, path, label, moment, None, (moment,), {"username": user},
                f"renamed {found['file']!r}; collected as {notebook}.ipynb" if renamed else ""))
    users_with_files = {user for (user, _) in per_attempt}
    for stem, user, name in receipt_people:
        if user not in users_with_files:
            users_with_files.add(user)
            reading.unmatched.append((f"{shown}/{stem}", f"{name} ({user}) sent an attempt "
                                                         "with no file"))
    if receipts:
        reading.notes.append(f"{len(receipts)} Blackboard receipt(s) read.")
    return reading
