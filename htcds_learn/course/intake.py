"""Import trainees' submissions into nbgrader's ``submitted/<id>/<assignment>/`` folders.

Sources: a folder or a .zip: a folder per trainee, flat names read with a pattern, or an LMS
download read as that LMS writes it (:mod:`.lms`: Moodle, Canvas, Blackboard; found from the
file names unless ``lms`` says). The source is only read, and every file in it is treated as
hostile (:mod:`.inbox`: no symbolic link is followed, sizes are capped, archives are opened one
level deep).

**One id per person.** With a roster (:mod:`.roster`; ``roster.csv`` in the course folder is
used when none is given) every entry is matched to a roster id by the LMS's key, e-mail or
name, and ``collect`` refuses, listing them, to merge two people into one id or to guess.
Without a roster the id comes from the LMS's key for the person (the Blackboard username, the
Canvas name and user id, the Moodle full name), never from a number that changes from one
assignment to the next.

When a person sent several copies, the latest counts; a latest copy that is the blank handout
while an earlier one has answers is flagged. Lateness and the LMS's own keys are kept in
``intake/<assignment>.json`` for the class report and the gradebook exports. A submission that
replaces an older one moves the older one to ``replaced/`` rather than deleting it.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .._util.files import write_json_atomically
from . import lms as readers
from .inbox import Limits, gather
from .layout import Course, CourseError
from .lms import Entry, LmsPerson, Reading
from .lms.folders import DEFAULT_PATTERN, parse_time
from .names import person_id
from .roster import LMS_NAMES, Roster, read_roster

TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"
INTAKE = "intake"
CHOICES = ("moodle", "canvas", "blackboard", "folder")


@dataclass
class CollectReport:
    """What ``collect`` did, and what needs the instructor's attention."""

    assignment: str
    lms: str = "folder"
    collected: dict[str, list[str]] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unmatched: list[tuple[str, str]] = field(default_factory=list)  # files not used
    skipped: list[tuple[str, str]] = field(default_factory=list)  # unsafe files, not read
    refused: list[tuple[str, str]] = field(default_factory=list)  # people not collected
    flags: list[tuple[str, str]] = field(default_factory=list)  # (id, what to check)
    older: list[tuple[str, str]] = field(default_factory=list)  # (file, whose older copy)
    notes: list[str] = field(default_factory=list)
    people: dict[str, dict] = field(default_factory=dict)  # id -> what the intake record keeps

    @property
    def attention(self) -> list[str]:
        return ([f"{path}: {reason}" for path, reason in self.refused + self.unmatched]
                + [f"{path}: skipped, {reason}" for path, reason in self.skipped]
                + [f"{who}: {what}" for who, what in self.flags])

    def to_text(self) -> str:
        source = "a folder" if self.lms == "folder" else f"a {LMS_NAMES[self.lms]} download"
        lines = [f"{self.assignment}: collected {len(self.collected)} submission(s) from "
                 f"{source}"
                 + (f" ({len(self.replaced)} replacing an older one)" if self.replaced else "")
                 + (f", {len(self.unchanged)} unchanged" if self.unchanged else "") + "."]
        routine = list(self.notes)
        if self.older:
            routine.append(f"{len(self.older)} older copy(ies) not used (the latest counts): "
                           + ", ".join(sorted({who for _, who in self.older})) + ".")
        late = sorted(who for who, record in self.people.items() if record.get("late"))
        if late:
            routine.append(f"{len(late)} marked late by the LMS: {', '.join(late)}.")
        lines += [f"  {note}" for note in routine]
        attention = self.attention
        if attention:
            lines.append(f"Needs your attention ({len(attention)}):")
            lines += [f"  {line}" for line in attention]
        return "\n".join(lines)


def read_moodle_worksheet(path: Path | str) -> dict[str, tuple[str, str]]:
    """Participant number -> (full name, e-mail), from Moodle's grading worksheet CSV
    ("Identifier", "Full name", "Email address", ...; the identifier is "Participant N")."""
    path = Path(path)
    try:
        rows = list(csv.DictReader(io.StringIO(path.read_text("utf-8-sig"))))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise CourseError(f"Could not read the Moodle worksheet {path}: {error}.",
                          "Download it again: Moodle, the assignment, 'Download grading "
                          "worksheet'.") from error
    if not rows or "Identifier" not in rows[0]:
        raise CourseError(f"{path} has no 'Identifier' column: it is not Moodle's grading "
                          "worksheet.", "Download it from the assignment's grading actions.")
    found = {}
    for row in rows:
        number = re.search(r"(\d+)\s*$", row.get("Identifier") or "")
        if number:
            found[number.group(1)] = ((row.get("Full name") or "").strip(),
                                      (row.get("Email address") or "").strip())
    return found


def _derived_id(person: LmsPerson) -> str:
    if person.lms == "canvas":
        return person_id(person.key if person.key.startswith("anon_")
                         else f"{person.name}-{person.key}")
    if person.lms == "blackboard":
        return person_id(person.key)
    return person_id(person.name)


def _identify(people: list[LmsPerson], roster: Roster | None
              ) -> tuple[dict[LmsPerson, str], dict[LmsPerson, str]]:
    """(person -> course id) and (person -> why they were not collected)."""
    ids, refused = {}, {}
    for person in people:
        if roster is None:
            found = _derived_id(person)
            if found:
                ids[person] = found
            else:
                refused[person] = "the LMS gives no usable name or key for this person"
            continue
        if person.lms == "folder" and person_id(person.key) in roster:
            ids[person] = person_id(person.key)
            continue
        match = roster.match(person.lms, person.key, person.name, person.email)
        if match.person:
            ids[person] = match.person.id
        else:
            refused[person] = match.reason
    by_id = defaultdict(list)
    for person, found in ids.items():
        by_id[found].append(person)
    for found, group in by_id.items():
        if len(group) < 2:
            continue
        lms = LMS_NAMES.get(group[0].lms, "folder")
        keys = ", ".join(p.key for p in group)
        if roster is None:
            why = (f"{len(group)} different people in this {lms} download would all get the id "
                   f"{found!r} ({lms} keys {keys}); give a roster ("
                   + ("with their e-mails, and Moodle's grading worksheet with --worksheet"
                      if group[0].lms == "moodle" else "with their LMS keys") + ")")
        else:
            why = (f"{len(group)} different {lms} entries ({keys}) all match {found} on the "
                   "roster; refusing to merge them: add each person's LMS key to the roster")
        for person in group:
            ids.pop(person)
            refused[person] = why
    return ids, refused


def _solutions(notebook_path: Path) -> list[str] | None:
    try:
        import nbformat  # here, not above: importing it costs seconds every command pays

        notebook = nbformat.read(notebook_path, as_version=4)
    except Exception:  # a damaged file is not "the blank handout"; grading reports it
        return None
    return [cell.source.strip() for cell in notebook.cells
            if cell.get("metadata", {}).get("nbgrader", {}).get("solution")]


def _is_blank(path: Path, release: Path) -> bool:
    """True when every answer cell is as handed out (compared with the release)."""
    if not release.is_file():
        return False
    handed_out, sent = _solutions(release), _solutions(path)
    return handed_out is not None and sent is not None and bool(handed_out) and \
        sent == handed_out


def _read_source(folder: Path, shown: str, kind: str, notebooks: list[str], assignment: str,
                 pattern: str | None, roster: Roster | None,
                 worksheet: dict[str, tuple[str, str]] | None) -> Reading:
    if kind == "moodle":
        return readers.moodle.read(folder, shown, notebooks, worksheet)
    if kind == "canvas":
        return readers.canvas.read(folder, shown, notebooks)
    if kind == "blackboard":
        known = {p.keys["blackboard"] for p in roster.people
                 if "blackboard" in p.keys} if roster else set()
        return readers.blackboard.read(folder, shown, notebooks, known)
    return readers.folders.read(folder, shown, notebooks, assignment,
                                pattern or DEFAULT_PATTERN)


def _check_pattern(pattern: str) -> None:
    try:
        compiled = re.compile(pattern)
    except re.error as error:
        raise CourseError(f"The pattern {pattern!r} is not a regular expression ({error}).",
                          "Escape dots as \\. and name the groups.") from error
    if not {"student_id", "file_id"} <= set(compiled.groupindex):
        raise CourseError(f"The pattern {pattern!r} needs the named groups "
                          "(?P<student_id>...) and (?P<file_id>...).")


def collect(course: Course, assignment: str, source: Path | str, *,
            pattern: str | None = None, lms: str | None = None,
            roster: Roster | Path | str | None = None,
            worksheet: Path | str | None = None, limits: Limits | None = None
            ) -> CollectReport:
    """Copy the submissions for ``assignment`` found in ``source`` into the course.

    ``lms`` is moodle, canvas, blackboard or folder (default: found from the file names);
    ``pattern`` reads flat names (named groups ``student_id`` and ``file_id``, optionally
    ``timestamp``); ``roster`` is a :class:`~.roster.Roster` or its file (default: the course
    folder's ``roster.csv`` if there is one); ``worksheet`` is Moodle's grading worksheet for
    this assignment, which tells same-name Moodle participants apart by e-mail.
    """
    course.check_assignments([assignment])
    source = Path(source)
    if lms is not None and lms not in CHOICES:
        raise CourseError(f"Unknown LMS {lms!r}.", f"Choose one of {', '.join(CHOICES)}.")
    if pattern:
        _check_pattern(pattern)
        lms = lms or "folder"
    if roster is None and (course.root / "roster.csv").is_file():
        roster = course.root / "roster.csv"
    if roster is not None and not isinstance(roster, Roster):
        roster = read_roster(roster)
    sheet = read_moodle_worksheet(worksheet) if worksheet else None
    notebooks = course.notebooks(assignment)

    with tempfile.TemporaryDirectory(prefix="htcds-collect-") as scratch:
        folder = Path(scratch) / "source"
        folder.mkdir()
        gathered = gather(source, folder, limits)
        kind = lms or readers.detect(folder)
        reading = _read_source(folder, source.name, kind, notebooks, assignment, pattern,
                               roster, sheet)
        report = CollectReport(assignment, kind, skipped=gathered.skipped,
                               unmatched=reading.unmatched, notes=reading.notes)
        if lms is None and kind != "folder":
            report.notes.insert(0, f"Read as a {LMS_NAMES[kind]} download (from its file "
                                   "names; use --lms to say otherwise).")
        ids, refused = _identify(sorted({e.person for e in reading.entries},
                                        key=lambda p: (p.key, p.name)), roster)
        for person, why in refused.items():
            labels = sorted(e.label for e in reading.entries if e.person == person)
            report.refused.append((", ".join(labels), f"not collected: {why}"))

        chosen: dict[str, dict[str, Entry]] = defaultdict(dict)
        for entry in sorted((e for e in reading.entries if e.person in ids),
                            key=lambda e: e.order):
            who = ids[entry.person]
            previous = chosen[who].get(entry.notebook)
            if previous is not None:
                report.older.append((previous.label, who))
                if (_is_blank(entry.path, course.release / assignment / f"{entry.notebook}"
                                                                         ".ipynb")
                        and not _is_blank(previous.path, course.release / assignment
                                          / f"{entry.notebook}.ipynb")):
                    report.flags.append((who, f"the latest copy ({entry.label}) is the blank "
                                              f"handout, but an earlier one "
                                              f"({previous.label}) has answers. The latest was "
                                              "collected; to grade the earlier one, collect "
                                              "that file alone (see the guide)."))
            chosen[who][entry.notebook] = entry
        for who, files in sorted(chosen.items()):
            if _store(course, assignment, who, files, report):
                report.people[who] = _record(files)
        for who, files in chosen.items():
            for entry in files.values():
                if entry.note:
                    report.notes.append(f"{who}: {entry.note}.")
    _save_record(course, assignment, source.name, report)
    return report


def _record(files: dict[str, Entry]) -> dict:
    entry = max(files.values(), key=lambda e: e.order)
    return {"lms": entry.person.lms, "lms_key": entry.person.key, "name": entry.person.name,
            "email": entry.person.email,
            "late": any(e.late for e in files.values()) if any(
                e.late is not None for e in files.values()) else None,
            "submitted_at": entry.submitted_at.isoformat() if entry.submitted_at else None,
            "ref": entry.ref, "files": sorted(e.label for e in files.values())}


def read_intake(course: Course, assignment: str) -> dict:
    """The intake record of one assignment (empty when nothing was collected by ``collect``)."""
    path = course.root / INTAKE / f"{assignment}.json"
    if not path.is_file():
        return {"assignment": assignment, "people": {}, "sources": {}}
    return json.loads(path.read_text("utf-8"))


def _save_record(course: Course, assignment: str, source: str, report: CollectReport) -> None:
    record = read_intake(course, assignment)
    record["people"].update(report.people)
    record["sources"][source] = {
        "lms": report.lms, "collected_at": datetime.now(timezone.utc).isoformat(),
        "collected": sorted(report.collected) + sorted(report.unchanged),
        "unmatched": report.unmatched + report.refused,
        "skipped": report.skipped, "flags": report.flags}
    write_json_atomically(course.root / INTAKE / f"{assignment}.json", record)


def _read_stamp(folder: Path) -> datetime | None:
    stamp = folder / "timestamp.txt"
    return parse_time(stamp.read_text("utf-8")) if stamp.exists() else None


def _store(course: Course, assignment: str, student: str, files: dict[str, Entry],
           report: CollectReport) -> bool:
    """Write one trainee's submission folder atomically, keeping any older one. True when
    the submission is now the one in the course."""
    target = course.submitted / student / assignment
    times = [e.submitted_at for e in files.values() if e.submitted_at]
    moment = max(times) if times else None
    if target.exists():
        same = all((target / f"{name}.ipynb").exists()
                   and (target / f"{name}.ipynb").read_bytes() == entry.path.read_bytes()
                   for name, entry in files.items())
        if same:
            report.unchanged.append(student)
            return True
        old_moment = _read_stamp(target)
        if old_moment and moment and old_moment > moment:
            report.unmatched.append((f"{student}/{assignment}", "older than the submission "
                                                               "already collected; kept that"))
            return False
    target.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{assignment}."))
    try:
        for name, entry in files.items():
            shutil.copyfile(entry.path, building / f"{name}.ipynb")
        if moment:  # Canvas gives no time: then there is no timestamp.txt, as nbgrader allows
            (building / "timestamp.txt").write_text(moment.strftime(TIMESTAMP_FORMAT), "utf-8")
        if target.exists():
            keep = (course.root / "replaced" / assignment
                    / f"{student}-{datetime.now(timezone.utc):%Y%m%d-%H%M%S-%f}")
            keep.parent.mkdir(parents=True, exist_ok=True)
            os.replace(target, keep)
            report.replaced.append(student)
        os.replace(building, target)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    report.collected[student] = sorted(files)
    return True
