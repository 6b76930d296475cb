"""The class roster: one id per person, and how to find that person in each LMS's download.

A roster is a CSV file with an ``id`` column and, where known, ``name``, ``email`` and each
LMS's own key for the person: ``canvas`` (the Canvas user id, the number in Canvas's file
names and gradebook), ``blackboard`` (the Blackboard username) and ``moodle`` (the name as
Moodle shows it, when it differs from ``name``). A plain text file with one id per line is a
roster of ids only.

:meth:`Roster.match` finds the person an LMS entry belongs to: by the LMS's key first, then by
e-mail, then by name (folded, so "Коваленко Олена", "Olena Kovalenko" and Canvas's
``kovalenkoolena`` are one name). It never guesses: when two people on the roster share the
name, or the person found has another key in that LMS, there is no match and the reason
says what to add to the roster.

>>> roster = Roster([Person("p01", "Mohammed Ali", keys={"canvas": "40121"}),
...                  Person("p02", "Mohammed Ali", keys={"canvas": "40122"}),
...                  Person("p03", "Olena Kovalenko")])
>>> roster.match("canvas", "40122", "alimohammed").person.id
'p02'
>>> roster.match("moodle", "1284303", "Олена Коваленко").person.id
'p03'
>>> print(roster.match("moodle", "1284310", "Mohammed Ali").reason)  # doctest: +ELLIPSIS
2 people on the roster are called Mohammed Ali (p01, p02); add their e-mail ...
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from .layout import CourseError
from .names import fold, name_keys, person_id

LMS_NAMES = {"moodle": "Moodle", "canvas": "Canvas", "blackboard": "Blackboard"}
KEY_COLUMNS = {  # roster column (lower case) -> the LMS whose key it holds
    "canvas": "canvas", "canvas_id": "canvas", "canvas user id": "canvas",
    "blackboard": "blackboard", "blackboard_username": "blackboard", "username": "blackboard",
    "moodle": "moodle", "moodle_name": "moodle",
}
HINTS = {"moodle": "e-mail (and give Moodle's grading worksheet with --worksheet)",
         "canvas": "Canvas user ids (column 'canvas')",
         "blackboard": "Blackboard usernames (column 'blackboard')"}


@dataclass(frozen=True)
class Person:
    """One person on the course: the id used everywhere, and what the LMSs call them."""

    id: str
    name: str = ""
    email: str = ""
    keys: dict[str, str] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Match:
    """The person an LMS entry belongs to, or None and the reason there is no match."""

    person: Person | None
    reason: str = ""


class Roster:
    """People on the course, looked up by LMS key, e-mail or folded name."""

    def __init__(self, people: list[Person], source: str = "the roster") -> None:
        self.people = people
        self.source = source
        problems = []
        ids = [person.id for person in people]
        problems += [f"the id {who!r} is given twice" for who in sorted(set(ids))
                     if ids.count(who) > 1]
        for lms in LMS_NAMES:
            owners: dict[str, str] = {}
            for person in people:
                key = person.keys.get(lms)
                if key and key in owners and lms != "moodle":
                    problems.append(f"the {LMS_NAMES[lms]} key {key!r} is given to both "
                                    f"{owners[key]} and {person.id}")
                if key:
                    owners[key] = person.id
        if problems:
            raise CourseError(f"{source} cannot be used: " + "; ".join(problems) + ".",
                              "Give each person one row, one id and their own LMS keys.")
        self._by_id = {person.id: person for person in people}

    def __len__(self) -> int:
        return len(self.people)

    def __contains__(self, person_id_: str) -> bool:
        return person_id_ in self._by_id

    def get(self, person_id_: str) -> Person | None:
        return self._by_id.get(person_id_)

    @property
    def ids(self) -> list[str]:
        return [person.id for person in self.people]

    def match(self, lms: str, key: str, name: str, email: str = "") -> Match:
        """The person behind an LMS entry (``key``: that LMS's id for them)."""
        lms_name = LMS_NAMES.get(lms, lms)
        if key:
            for person in self.people:
                if person.keys.get(lms) == key and lms != "moodle":
                    return Match(person)
        if email:
            found = [p for p in self.people if p.email and p.email.casefold() == email.casefold()]
            if len(found) == 1:
                return Match(found[0])
        wanted = fold(name)
        if not wanted:
            return Match(None, f"the {lms_name} entry has no name to look up on {self.source}")
        found = [p for p in self.people
                 if wanted in name_keys(p.name) | name_keys(p.keys.get("moodle", ""))]
        if len(found) > 1:
            return Match(None, f"{len(found)} people on the roster are called {name} "
                               f"({', '.join(p.id for p in found)}); add their "
                               f"{HINTS.get(lms, 'LMS keys')} to {self.source} to tell them apart")
        if not found:
            return Match(None, f"{name} is not on {self.source}; add a row for them (or their "
                               f"{HINTS.get(lms, 'LMS key')})")
        person = found[0]
        other = person.keys.get(lms)
        if lms != "moodle" and other and key and other != key:
            return Match(None, f"{name} matches {person.id} by name, but {self.source} gives "
                               f"{person.id} the {lms_name} key {other}, not {key}: a different "
                               "person with the same name; add a row for them")
        return Match(person)


def _people_from_csv(text: str, source: str) -> list[Person]:
    reader = csv.DictReader(io.StringIO(text))
    columns = {(c or "").strip().casefold(): c for c in reader.fieldnames or []}
    if "id" not in columns:
        raise CourseError(f"{source} has no 'id' column (it has: "
                          f"{', '.join(reader.fieldnames or [])}).",
                          "Add a column 'id' with each person's course id; 'name', 'email', "
                          "'canvas', 'blackboard' and 'moodle' are optional.")
    email_column = columns.get("email") or columns.get("e-mail") or columns.get("email address")
    people = []
    for line, row in enumerate(reader, start=2):
        raw_id = (row.get(columns["id"]) or "").strip()
        if not raw_id:
            if any((value or "").strip() for value in row.values()):
                raise CourseError(f"{source}, line {line}: the id is empty.",
                                  "Give every person an id (letters, digits, '-' or '.').")
            continue
        if person_id(raw_id) != raw_id:
            raise CourseError(f"{source}, line {line}: the id {raw_id!r} cannot be a folder "
                              f"name.", f"Use letters, digits, '-', '.' or '@', e.g. "
                                        f"{person_id(raw_id) or 'amina-yusuf'!r}.")
        keys: dict[str, str] = {}
        for column, lms in KEY_COLUMNS.items():
            if column in columns and (row.get(columns[column]) or "").strip():
                keys.setdefault(lms, row[columns[column]].strip())
        people.append(Person(raw_id, (row.get(columns.get("name", "")) or "").strip(),
                             (row.get(email_column or "") or "").strip(), keys))
    return people


def read_roster(path: Path | str) -> Roster:
    """A roster from a CSV file (see the module) or a text file of ids, one per line."""
    path = Path(path)
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise CourseError(f"Could not read the roster {path}: {error}.",
                          "Give a CSV file with an 'id' column (UTF-8).") from error
    if path.suffix.lower() == ".csv":
        try:
            people = _people_from_csv(text, str(path))
        except csv.Error as error:
            raise CourseError(f"{path} is not a readable CSV file ({error}).",
                              "Save it again as CSV (UTF-8).") from error
    else:
        people = []
        for line, raw in enumerate(text.splitlines(), start=1):
            raw = raw.strip()
            if raw and person_id(raw) != raw:
                raise CourseError(f"{path}, line {line}: the id {raw!r} cannot be a folder name.",
                                  "Use letters, digits, '-', '.' or '@'.")
            if raw:
                people.append(Person(raw))
    return Roster(people, f"the roster ({path.name})")
