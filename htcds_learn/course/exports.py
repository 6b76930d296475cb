"""Grades and feedback back to the LMS, in the files each LMS's own import reads.

Every row is keyed by the LMS's own key for the person, as ``collect`` found it in that LMS's
download (``intake/<assignment>.json``) or as the roster gives it. The grade is nbgrader's
score less any late penalty.

- **Moodle** (per assignment), the *grading worksheet* that "Upload grading worksheet" reads
  (``mod/assign/gradingtable.php`` writes it, ``feedback/offline/importgradeslib.php`` reads it):
  ``Identifier, Full name, Email address, Status, Grade, Maximum Grade, Grade can be changed,
  Last modified (submission), Last modified (grade), Feedback comments``. Moodle matches rows
  by ``Identifier`` ("Participant 1284301", the number in its download) and needs ``Grade``
  and ``Last modified (grade)``; the headers are Moodle's English ones, so import with Moodle
  set to English. Feedback pages go in a zip for "Upload multiple feedback files in a zip"
  (``feedback/file/importziplib.php``): ``Full Name_1284301_assignfeedback_file/page.html``.
- **Canvas** (one file), a *Gradebook* CSV that Gradebook > Import reads
  (``lib/gradebook_importer.rb``): ``Student, ID, SIS User ID, SIS Login ID, Section``, then
  one column per assignment named ``Title (assignment id)`` as in Canvas's own export, and a
  ``Points Possible`` row. Canvas matches people by ``ID`` (the user id in its download).
  Feedback pages go in a zip for "Upload submission comments": each file keeps the download's
  ``name_[LATE_]userid_attachmentid_`` prefix, from which Canvas reads the user and attachment.
- **Blackboard** (one file), a Grade Center upload (Work Offline > Upload): ``Last Name, First
  Name, Username``, then one column per assignment, every field quoted. Blackboard matches
  people by ``Username`` and columns by the ``|column id`` at the end of a header, as in its
  own download (``Ex06 [Total Pts: 10 Score] |12345``); a header without one makes a new
  column. Blackboard has no bulk upload of feedback files.

Give each assignment's LMS column (Canvas ``Title (id)``, Blackboard ``Name [...] |id``) with
``columns``; copy it from the LMS's own gradebook download.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .._util.files import write_atomically, write_text_atomically
from .intake import read_intake
from .layout import Course, CourseError
from .roster import Roster, read_roster

MOODLE_COLUMNS = ["Identifier", "Full name", "Email address", "Status", "Grade",
                  "Maximum Grade", "Grade can be changed", "Last modified (submission)",
                  "Last modified (grade)", "Feedback comments"]
CANVAS_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
BLACKBOARD_COLUMNS = ["Last Name", "First Name", "Username"]
ZIP_TIME = (2026, 1, 1, 0, 0, 0)


@dataclass
class Export:
    """Files written for one LMS, and the people left out with the reason."""

    lms: str
    files: list[Path] = field(default_factory=list)
    rows: int = 0
    left_out: list[str] = field(default_factory=list)

    def to_text(self) -> str:
        lines = [f"Wrote {len(self.files)} file(s) for {self.lms.capitalize()} "
                 f"({self.rows} grade(s)):"] + [f"  {path}" for path in self.files]
        if self.left_out:
            lines.append(f"Left out ({len(self.left_out)}):")
            lines += [f"  {line}" for line in self.left_out]
        return "\n".join(lines)


def _grades(course: Course, assignment: str) -> dict[str, tuple[float, float, float]]:
    """person -> (grade after penalty, max score, penalty)."""
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gradebook:
        if assignment not in {a.name for a in gradebook.assignments}:
            return {}
        return {s.student.id: (max(0.0, float(s.score) - float(s.late_submission_penalty or 0)),
                               float(s.max_score), float(s.late_submission_penalty or 0))
                for s in gradebook.assignment_submissions(assignment)}


def _key(course: Course, roster: Roster | None, lms: str, assignment: str, who: str
         ) -> tuple[str, dict]:
    """The LMS's key for a person in one assignment, and what collect kept about them."""
    record = read_intake(course, assignment)["people"].get(who, {})
    if record.get("lms") == lms and record.get("lms_key"):
        return record["lms_key"], record
    person = roster.get(who) if roster else None
    if person and lms != "moodle" and person.keys.get(lms):
        return person.keys[lms], {"name": person.name, "email": person.email}
    return "", record


def _name(course_roster: Roster | None, who: str, record: dict) -> str:
    person = course_roster.get(who) if course_roster else None
    return (person.name if person and person.name else "") or record.get("name") or who


def _csv(rows: list[list[str]], quote_all: bool = False) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
                        lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue()


def _comment(grade: float, max_score: float, penalty: float) -> str:
    text = f"Automatic grading: {grade:g} of {max_score:g} points"
    if penalty:
        text += f" (after a late penalty of {penalty:g})"
    return text + ". Your feedback page shows each check."


def export_moodle(course: Course, assignments: list[str], roster: Roster | None,
                  out: Path) -> Export:
    result = Export("moodle")
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    for assignment in assignments:
        rows, pages = [MOODLE_COLUMNS], []
        for who, (grade, max_score, penalty) in sorted(_grades(course, assignment).items()):
            key, record = _key(course, roster, "moodle", assignment, who)
            if not key:
                result.left_out.append(f"{who} / {assignment}: not collected from a Moodle "
                                       "download, so there is no Moodle participant number")
                continue
            person = roster.get(who) if roster else None
            email = (person.email if person else "") or record.get("email", "")
            stamp = record.get("submitted_at") or ""
            rows.append([f"Participant {key}", _name(roster, who, record), email,
                         "Submitted for grading", f"{grade:.2f}", f"{max_score:.2f}", "Yes",
                         stamp[:19].replace("T", " "), now,
                         _comment(grade, max_score, penalty)])
            folder = f"{record.get('ref', {}).get('fullname') or _name(roster, who, record)}" \
                     f"_{key}_assignfeedback_file"
            pages += [(f"{folder}/{page.name}", page)
                      for page in sorted((course.feedback / who / assignment).glob("*.html"))]
        path = out / f"moodle-{assignment}-grading-worksheet.csv"
        write_text_atomically(path, _csv(rows))
        result.files.append(path)
        result.rows += len(rows) - 1
        if pages:
            result.files.append(_zip(out / f"moodle-{assignment}-feedback.zip", pages))
    return result


def export_canvas(course: Course, assignments: list[str], roster: Roster | None, out: Path,
                  columns: dict[str, str]) -> Export:
    result = Export("canvas")
    table: dict[str, dict] = {}
    maxima = {}
    for assignment in assignments:
        pages = []
        for who, (grade, max_score, _) in sorted(_grades(course, assignment).items()):
            maxima[assignment] = max_score
            key, record = _key(course, roster, "canvas", assignment, who)
            if not key:
                result.left_out.append(f"{who} / {assignment}: no Canvas user id (not collected "
                                       "from a Canvas download, and not on the roster)")
                continue
            row = table.setdefault(key, {"name": _name(roster, who, record)})
            row[assignment] = f"{grade:.2f}"
            prefix = record.get("ref", {}).get("prefix")
            if prefix:
                pages += [(f"{prefix}_{page.stem}-feedback.html", page) for page in
                          sorted((course.feedback / who / assignment).glob("*.html"))]
        if pages:
            result.files.append(_zip(out / f"canvas-{assignment}-feedback.zip", pages))
    headers = [columns.get(a, a) for a in assignments]
    rows = [CANVAS_COLUMNS + headers,
            ["    Points Possible", "", "", "", ""] + [f"{maxima.get(a, 0):.2f}"
                                                      for a in assignments]]
    for key, row in sorted(table.items(), key=lambda item: item[1]["name"]):
        rows.append([row["name"], key, "", "", ""] + [row.get(a, "") for a in assignments])
    path = out / "canvas-gradebook.csv"
    write_text_atomically(path, _csv(rows))
    result.files.insert(0, path)
    result.rows = len(rows) - 2
    return result


def export_blackboard(course: Course, assignments: list[str], roster: Roster | None,
                      out: Path, columns: dict[str, str]) -> Export:
    result = Export("blackboard")
    table: dict[str, dict] = {}
    maxima = {}
    for assignment in assignments:
        for who, (grade, max_score, _) in sorted(_grades(course, assignment).items()):
            maxima[assignment] = max_score
            key, record = _key(course, roster, "blackboard", assignment, who)
            if not key:
                result.left_out.append(f"{who} / {assignment}: no Blackboard username (not "
                                       "collected from Blackboard, and not on the roster)")
                continue
            table.setdefault(key, {"name": _name(roster, who, record)})[assignment] = \
                f"{grade:.2f}"
    headers = [columns.get(a, f"{a} [Total Pts: {maxima.get(a, 0):g} Score]")
               for a in assignments]
    rows = [BLACKBOARD_COLUMNS + headers]
    for key, row in sorted(table.items()):
        parts = row["name"].split()
        last, first = (parts[-1], " ".join(parts[:-1])) if len(parts) > 1 else (row["name"], "")
        rows.append([last, first, key] + [row.get(a, "") for a in assignments])
    path = out / "blackboard-grade-center.csv"
    write_text_atomically(path, _csv(rows, quote_all=True))
    result.files.append(path)
    result.rows = len(rows) - 1
    return result


def _zip(target: Path, pages: list[tuple[str, Path]]) -> Path:
    def write(temporary: Path) -> None:
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, page in pages:
                info = zipfile.ZipInfo(name, ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, page.read_bytes())

    write_atomically(target, write)
    return target


def export(course: Course, lms: str, assignments: list[str] | None = None, *,
           roster: Roster | None = None, columns: dict[str, str] | None = None) -> Export:
    """Write ``reports/lms/`` files for ``lms`` (moodle, canvas or blackboard)."""
    if not course.gradebook_path.exists():
        raise CourseError(f"{course.root} has no gradebook yet.",
                          "Run 'course build', 'course collect' and 'course grade' first.")
    if roster is None and (course.root / "roster.csv").is_file():
        roster = read_roster(course.root / "roster.csv")
    names = course.check_assignments(assignments)
    if not assignments:
        names = [a for a in names if _grades(course, a)]
    for assignment in columns or {}:
        course.check_assignments([assignment])
    out = course.reports / "lms"
    if lms == "moodle":
        return export_moodle(course, names, roster, out)
    if lms == "canvas":
        return export_canvas(course, names, roster, out, columns or {})
    if lms == "blackboard":
        return export_blackboard(course, names, roster, out, columns or {})
    raise CourseError(f"Unknown LMS {lms!r}.", "Choose moodle, canvas or blackboard.")
