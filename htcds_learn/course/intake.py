"""Import trainees' submissions into nbgrader's ``submitted/<trainee>/<assignment>/`` folders.

Sources: a folder or a .zip, laid out per trainee (``<trainee>/<notebook>.ipynb``, as nbgrader's
own ``submitted/`` or a shared drive) or flat, as an LMS download names files. Flat names are
read with a regular expression with the named groups of nbgrader's ``zip_collect``
(``FileNameCollector.named_regexp``): ``student_id``, ``file_id`` and, optionally,
``timestamp``. Presets cover common LMS downloads; the default reads ``<trainee>_<notebook>``.

The source is only read. Every file that could not be matched to a trainee and a notebook is
reported with the reason; a submission that replaces an older one moves the older one to
``replaced/`` rather than deleting it.

>>> match_name("amina_ex01-htcds-basics (1).ipynb", DEFAULT_PATTERN, ["ex01-htcds-basics"])
('amina', 'ex01-htcds-basics', None)
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from .layout import Course, CourseError

DEFAULT_PATTERN = r"^(?P<student_id>[^_]+)_(?P<file_id>.+)\.ipynb$"
LMS_PATTERNS = {
    # Blackboard: <assignment>_<user>_attempt_<YYYY-MM-DD-HH-MM-SS>_<file>
    "blackboard": r"^.+?_(?P<student_id>[^_]+)_attempt_(?P<timestamp>[0-9-]+)_"
                  r"(?P<file_id>.+)\.ipynb$",
    # Canvas: <name>_[late_]<user id>_<submission id>_<file>
    "canvas": r"^(?P<student_id>[^_]+)_(?:late_)?\d+_\d+_(?P<file_id>.+)\.ipynb$",
    # Moodle: <Full Name>_<participant id>_assignsubmission_file_<file>
    "moodle": r"^(?P<student_id>[^_]+)_\d+_assignsubmission_file_(?P<file_id>.+)\.ipynb$",
}
IGNORED = {".DS_Store", "Thumbs.db", "desktop.ini", "__MACOSX", ".ipynb_checkpoints"}
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"
BROWSER_COPY = re.compile(r"\s*\(\d+\)$")  # "name (1)": a browser's second download


@dataclass
class CollectReport:
    """What ``collect`` did: submissions collected, left as they were, and files not used."""

    assignment: str
    collected: dict[str, list[str]] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unmatched: list[tuple[str, str]] = field(default_factory=list)

    def to_text(self) -> str:
        lines = [f"{self.assignment}: collected {len(self.collected)} submission(s)"
                 + (f" ({len(self.replaced)} replacing an older one)" if self.replaced else "")
                 + (f", {len(self.unchanged)} unchanged" if self.unchanged else "") + "."]
        if self.unmatched:
            lines.append(f"{len(self.unmatched)} file(s) could not be matched to a trainee "
                         "and a notebook:")
            lines += [f"  {path}: {reason}" for path, reason in self.unmatched]
        return "\n".join(lines)


def safe_student_id(raw: str) -> str:
    """A trainee id that is safe as a folder name: 'Amina Yusuf' -> 'Amina-Yusuf'."""
    text = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9.@-]+", "-", text).strip("-.")


def match_name(name: str, pattern: str, notebooks: list[str]
               ) -> tuple[str, str, str | None] | None:
    """(trainee, notebook, timestamp text) read from a file name, or None."""
    found = re.match(pattern, name)
    if not found:
        return None
    groups = found.groupdict()
    file_id = BROWSER_COPY.sub("", groups["file_id"])
    for notebook in notebooks:  # an LMS may add its own prefix before the notebook name
        if file_id == notebook or file_id.endswith(notebook):
            file_id = notebook
            break
    return groups["student_id"], file_id, groups.get("timestamp")


def _parse_time(text: str | None) -> datetime | None:
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


def _extract(archive: Path, into: Path) -> None:
    """Unzip safely (no entry may escape ``into``), unzipping archives inside once more."""
    try:
        with zipfile.ZipFile(archive) as handle:
            for info in handle.infolist():
                target = (into / info.filename).resolve()
                if not target.is_relative_to(into.resolve()):
                    raise CourseError(f"{archive} has an entry outside its folder: "
                                      f"{info.filename!r}.", "Check where the file came from.")
                handle.extract(info, into)
                if not info.is_dir():
                    stamp = datetime(*info.date_time).timestamp()
                    os.utime(target, (stamp, stamp))
    except zipfile.BadZipFile as error:
        raise CourseError(f"{archive} is not a readable zip file ({error}).",
                          "Download it again from the LMS.") from error
    for inner in sorted(into.rglob("*.zip")):
        folder = inner.with_suffix("")
        folder.mkdir(exist_ok=True)
        _extract(inner, folder)
        inner.unlink()


def _candidates(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and not IGNORED.intersection(p.parts)
                  and not p.name.startswith("._"))


def _read_stamp(folder: Path) -> datetime | None:
    stamp = folder / "timestamp.txt"
    return _parse_time(stamp.read_text("utf-8")) if stamp.exists() else None


def collect(course: Course, assignment: str, source: Path | str, *,
            pattern: str | None = None, lms: str | None = None) -> CollectReport:
    """Copy the submissions for ``assignment`` found in ``source`` into the course.

    ``pattern`` is a regular expression for flat file names (named groups ``student_id`` and
    ``file_id``, optionally ``timestamp``); ``lms`` picks a preset (blackboard, canvas,
    moodle). Folders named after a trainee are always understood.
    """
    course.check_assignments([assignment])
    source = Path(source)
    if not source.exists():
        raise CourseError(f"{source} does not exist.", "Give the folder or .zip of submissions.")
    if lms and lms not in LMS_PATTERNS:
        raise CourseError(f"Unknown LMS {lms!r}.", f"Choose one of {', '.join(LMS_PATTERNS)}.")
    if pattern:
        try:
            compiled = re.compile(pattern)
        except re.error as error:
            raise CourseError(f"The pattern {pattern!r} is not a regular expression ({error}).",
                              "Escape dots as \\. and name the groups.") from error
        if not {"student_id", "file_id"} <= set(compiled.groupindex):
            raise CourseError(f"The pattern {pattern!r} needs the named groups "
                              "(?P<student_id>...) and (?P<file_id>...).")
    flat_pattern = pattern or LMS_PATTERNS.get(lms or "", DEFAULT_PATTERN)
    notebooks = course.notebooks(assignment)
    report = CollectReport(assignment)

    with tempfile.TemporaryDirectory(prefix="htcds-collect-") as scratch:
        if source.is_file():
            folder = Path(scratch) / "archive"
            folder.mkdir()
            _extract(source, folder)
            shown = PurePosixPath(source.name)
        else:
            folder, shown = source, PurePosixPath(source.name)
        found: dict[str, dict[str, tuple[Path, datetime]]] = {}
        for path in _candidates(folder):
            label = str(shown / path.relative_to(folder).as_posix())
            if path.suffix != ".ipynb":
                report.unmatched.append((label, "not a notebook (.ipynb) file"))
                continue
            stem = BROWSER_COPY.sub("", path.stem)
            parents = [p for p in path.relative_to(folder).parts[:-1]
                       if p not in {assignment, "submitted"}]
            matched = None
            if stem in notebooks and parents:
                matched = (parents[-1], stem, None)
            else:
                matched = match_name(path.name, flat_pattern, notebooks)
            if matched is None:
                report.unmatched.append((label, "the name does not say which trainee it is "
                                                "from (expected <trainee>/<notebook>.ipynb or "
                                                "a name matching the pattern)"))
                continue
            raw_student, file_id, stamp_text = matched
            student = safe_student_id(raw_student)
            if file_id not in notebooks or not student:
                report.unmatched.append((label, f"not a notebook of {assignment} (expected "
                                                + ", ".join(f"{n}.ipynb" for n in notebooks)
                                                + ")"))
                continue
            moment = (_parse_time(stamp_text)
                      or datetime.fromtimestamp(path.stat().st_mtime, timezone.utc))
            previous = found.setdefault(student, {}).get(file_id)
            if previous is not None:
                older, newer = sorted([previous, (path, moment)], key=lambda item: item[1])
                report.unmatched.append((str(shown / older[0].relative_to(folder).as_posix()),
                                         f"an older copy of {student}'s {file_id}.ipynb; "
                                         "the newer one was used"))
                found[student][file_id] = newer
            else:
                found[student][file_id] = (path, moment)

        for student, files in sorted(found.items()):
            _store(course, assignment, student, files, report)
    return report


def _store(course: Course, assignment: str, student: str,
           files: dict[str, tuple[Path, datetime]], report: CollectReport) -> None:
    """Write one trainee's submission folder atomically, keeping any older one."""
    target = course.submitted / student / assignment
    moment = max(moment for _, moment in files.values())
    if target.exists():
        same = all((target / f"{name}.ipynb").exists()
                   and (target / f"{name}.ipynb").read_bytes() == path.read_bytes()
                   for name, (path, _) in files.items())
        if same:
            report.unchanged.append(student)
            return
        old_moment = _read_stamp(target)
        if old_moment and old_moment > moment:
            report.unmatched.append((f"{student}/{assignment}",
                                     "older than the submission already collected; kept that"))
            return
    target.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{assignment}."))
    try:
        for name, (path, _) in files.items():
            shutil.copyfile(path, building / f"{name}.ipynb")
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
