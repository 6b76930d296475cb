"""`htcds-learn course collect` and `course build`: submissions in, handouts out."""

from __future__ import annotations

import hashlib
import io
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
    assert "Needs your attention (3)" in report.to_text()


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
    with pytest.raises(CourseError, match="no assignment 'ex99'"):
        collect(course, "ex99", tmp_path)
    with pytest.raises(CourseError, match="not a course folder"):
        Course.open(tmp_path)


def test_a_symlink_in_a_folder_is_never_followed(course, tmp_path):
    """A trainee's folder holding links to the solution notebook, to /etc/shadow and to a
    folder: each is skipped and named; nothing they point at is read or copied."""
    secret = tmp_path / "secret.txt"
    secret.write_text("root:$6$secret-hash")
    inbox = tmp_path / "inbox"
    for who in ("amina", "mallory", "eve", "ivan"):
        (inbox / who).mkdir(parents=True)
    (inbox / "amina" / NOTEBOOK).write_bytes(notebook_bytes("amina"))
    (inbox / "mallory" / NOTEBOOK).symlink_to(course.source / ASSIGNMENT / NOTEBOOK)
    (inbox / "eve" / NOTEBOOK).symlink_to("/etc/shadow")
    (inbox / "ivan" / "sub").symlink_to(secret.parent, target_is_directory=True)
    (inbox / "ivan" / NOTEBOOK).symlink_to(secret)

    report = collect(course, ASSIGNMENT, inbox)

    assert report.collected == {"amina": [ASSIGNMENT]}
    skipped = dict(report.skipped)
    assert "a symbolic link" in skipped[f"inbox/mallory/{NOTEBOOK}"]
    assert "/etc/shadow" in skipped[f"inbox/eve/{NOTEBOOK}"]
    assert "never followed" in skipped["inbox/ivan/sub"]
    for path in course.root.rglob("*"):
        if path.is_file():
            assert b"secret-hash" not in path.read_bytes()
            assert "BEGIN SOLUTION" not in path.read_text("utf-8", errors="replace") \
                or "source" in path.parts
    assert "skipped, a symbolic link" in report.to_text()


def test_a_zip_bomb_nested_zips_and_climbing_names_are_skipped(course, tmp_path):
    """A 300 KB entry that inflates to 300 MB, a zip in a zip in a zip, and entry names that
    climb out of the folder: each is reported and left out; the rest is collected."""
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr(f"dee_{NOTEBOOK}", notebook_bytes("dee, too deep"))
    middle = io.BytesIO()
    with zipfile.ZipFile(middle, "w") as archive:
        archive.writestr("inner.zip", inner.getvalue())
        archive.writestr(f"cy_{NOTEBOOK}", notebook_bytes("cy"))
    download = tmp_path / "download.zip"
    with zipfile.ZipFile(download, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"amina_{NOTEBOOK}", notebook_bytes("amina"))
        archive.writestr("middle.zip", middle.getvalue())
        archive.writestr("../../escape.ipynb", notebook_bytes("escape"))
        archive.writestr("/abs/olga_x.ipynb", notebook_bytes("absolute"))
        archive.writestr("..\\..\\win_x.ipynb", notebook_bytes("windows"))
        with archive.open(f"bomb_{NOTEBOOK}", "w") as bomb:
            zeros = bytes(1024 * 1024)
            for _ in range(300):
                bomb.write(zeros)
    assert download.stat().st_size < 2 * 1024 * 1024

    report = collect(course, ASSIGNMENT, download)

    assert sorted(report.collected) == ["amina", "cy"]
    skipped = dict(report.skipped)
    assert "zip bomb" in skipped[f"download.zip/bomb_{NOTEBOOK}"]
    assert "300.0 MB" in skipped[f"download.zip/bomb_{NOTEBOOK}"]
    assert "only one level" in skipped["download.zip/middle.zip/inner.zip"]
    for name in ("../../escape.ipynb", "/abs/olga_x.ipynb", "..\\..\\win_x.ipynb"):
        assert "outside the archive" in skipped[f"download.zip/{name}"]
    assert not (tmp_path.parent / "escape.ipynb").exists()
    assert not list(course.root.rglob("*escape*")) and not list(course.root.rglob("*bomb*"))
    assert not (course.submitted / "dee").exists()


def test_build_makes_the_same_zip_twice(course):
    (first,) = build(course)
    content = first.read_bytes()
    (second,) = build(course)
    assert second.read_bytes() == content
    with zipfile.ZipFile(second) as archive:
        assert archive.namelist() == [f"{ASSIGNMENT}/{NOTEBOOK}"]
