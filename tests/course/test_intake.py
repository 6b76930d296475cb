"""`htcds-learn course collect` and `course build`: submissions in, handouts out."""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path

import nbformat
import pytest

from htcds_learn.course import Course, CourseError, build, collect

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = "ex02-synthetic-data"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"


@pytest.fixture
def course(tmp_path):
    root = tmp_path / "course"
    shutil.copytree(ROOT / "exercises" / "source" / ASSIGNMENT,
                    root / "source" / ASSIGNMENT)
    shutil.copy(ROOT / "exercises" / "nbgrader_config.py", root)
    return Course.open(root)


def notebook_bytes(text: str) -> bytes:
    cell = nbformat.v4.new_markdown_cell(text)
    cell.id = "only-cell"  # fixed, so the same text gives the same bytes
    return nbformat.writes(nbformat.v4.new_notebook(cells=[cell])).encode()


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_folders_per_trainee_and_flat_names_are_collected(course, tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "amina").mkdir(parents=True)
    (inbox / "amina" / NOTEBOOK).write_bytes(notebook_bytes("amina"))
    (inbox / f"bo_{ASSIGNMENT} (1).ipynb").write_bytes(notebook_bytes("bo"))
    (inbox / NOTEBOOK).write_bytes(notebook_bytes("whose?"))
    (inbox / "carl_ex01-htcds-basics.ipynb").write_bytes(notebook_bytes("wrong exercise"))
    (inbox / "notes.txt").write_text("hello")
    (inbox / ".DS_Store").write_bytes(b"\0")
    before = tree_digest(inbox)

    report = collect(course, ASSIGNMENT, inbox)

    assert tree_digest(inbox) == before  # the source is only read
    assert report.collected == {"amina": [ASSIGNMENT], "bo": [ASSIGNMENT]}
    assert (course.submitted / "bo" / ASSIGNMENT / NOTEBOOK).read_bytes() == notebook_bytes("bo")
    assert (course.submitted / "amina" / ASSIGNMENT / "timestamp.txt").exists()
    reasons = dict(report.unmatched)
    assert "which trainee" in reasons[f"inbox/{NOTEBOOK}"]
    assert f"not a notebook of {ASSIGNMENT}" in reasons["inbox/carl_ex01-htcds-basics.ipynb"]
    assert "not a notebook (.ipynb)" in reasons["inbox/notes.txt"]
    assert len(report.unmatched) == 3  # .DS_Store is not worth a line
    assert "could not be matched" in report.to_text()


def test_an_lms_zip_with_nested_zips_is_read_with_a_preset(course, tmp_path):
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr(f"Dee Ellis_222_assignsubmission_file_{NOTEBOOK}",
                         notebook_bytes("dee"))
    download = tmp_path / "moodle.zip"
    with zipfile.ZipFile(download, "w") as archive:
        archive.writestr(f"Amina Yusuf_111_assignsubmission_file_{NOTEBOOK}",
                         notebook_bytes("amina"))
        archive.write(inner, "bundle.zip")
    report = collect(course, ASSIGNMENT, download, lms="moodle")
    assert sorted(report.collected) == ["Amina-Yusuf", "Dee-Ellis"]
    assert report.unmatched == []


def test_a_custom_pattern_reads_the_timestamp(course, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / f"ex02_fay_attempt_2026-11-20-09-30-00_{NOTEBOOK}").write_bytes(
        notebook_bytes("fay"))
    report = collect(course, ASSIGNMENT, inbox, lms="blackboard")
    assert report.collected == {"fay": [ASSIGNMENT]}
    stamp = (course.submitted / "fay" / ASSIGNMENT / "timestamp.txt").read_text()
    assert stamp.startswith("2026-11-20 09:30:00")
    with pytest.raises(CourseError, match="named groups"):
        collect(course, ASSIGNMENT, inbox, pattern=r"(?P<who>\w+)")


def test_collecting_again_keeps_what_it_replaces(course, tmp_path):
    inbox = tmp_path / "inbox" / "amina"
    inbox.mkdir(parents=True)
    (inbox / NOTEBOOK).write_bytes(notebook_bytes("first"))
    collect(course, ASSIGNMENT, inbox.parent)
    assert collect(course, ASSIGNMENT, inbox.parent).unchanged == ["amina"]
    (inbox / NOTEBOOK).write_bytes(notebook_bytes("second"))
    report = collect(course, ASSIGNMENT, inbox.parent)
    assert report.replaced == ["amina"]
    current = course.submitted / "amina" / ASSIGNMENT / NOTEBOOK
    assert current.read_bytes() == notebook_bytes("second")
    (kept,) = (course.root / "replaced" / ASSIGNMENT).iterdir()
    assert (kept / NOTEBOOK).read_bytes() == notebook_bytes("first")


def test_bad_sources_get_a_clear_error(course, tmp_path):
    with pytest.raises(CourseError, match="does not exist"):
        collect(course, ASSIGNMENT, tmp_path / "nowhere")
    fake = tmp_path / "fake.zip"
    fake.write_text("not a zip")
    with pytest.raises(CourseError, match="fake.zip is not a readable zip"):
        collect(course, ASSIGNMENT, fake)
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("../../escape.ipynb", "{}")
    with pytest.raises(CourseError, match="outside its folder"):
        collect(course, ASSIGNMENT, evil)
    with pytest.raises(CourseError, match="no assignment 'ex99'"):
        collect(course, "ex99", tmp_path)
    with pytest.raises(CourseError, match="not a course folder"):
        Course.open(tmp_path)


def test_build_makes_the_same_zip_twice(course):
    (first,) = build(course)
    content = first.read_bytes()
    (second,) = build(course)
    assert second.read_bytes() == content
    with zipfile.ZipFile(second) as archive:
        assert archive.namelist() == [f"{ASSIGNMENT}/{NOTEBOOK}"]
