"""`course collect` reads Moodle, Canvas and Blackboard downloads as each LMS names files, and
gives one id per person: from the roster when there is one, else from the LMS's person key."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest

from htcds_learn.course import Course, collect, read_intake, read_roster

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = "ex01-htcds-basics"
NB = ASSIGNMENT
ROSTER = """id,name,email,canvas,blackboard
amina,Amina Yusuf,amina@example.org,40111,a_yusuf
olena,Olena Kovalenko,olena@example.org,40123,
minh,Đặng Văn Minh,minh@example.org,,
mali1,Mohammed Ali,m.ali1@example.org,40121,
mali2,Mohammed Ali,m.ali2@example.org,40122,
sofia,Sofia Rossi,sofia@example.org,40127,
anh,Anh Pham,anh@example.org,40126,
john,John Smith,john@example.org,40118,
chidi,Chidi Okafor,chidi@example.org,,c_okafor
rahim,Rahim Uddin,rahim@example.org,,ruddin
"""


@pytest.fixture
def course(tmp_path, downloads):
    root = tmp_path / "course"
    shutil.copytree(ROOT / "exercises" / "source" / ASSIGNMENT, root / "source" / ASSIGNMENT)
    shutil.copy(ROOT / "exercises" / "nbgrader_config.py", root)
    release = root / "release" / ASSIGNMENT
    release.mkdir(parents=True)  # what `course build` hands out: the answer cell as a stub
    (release / f"{NB}.ipynb").write_bytes(downloads.notebook_bytes(downloads.STUB))
    return Course.open(root)


@pytest.fixture
def roster_file(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, "utf-8")
    return path


def submitted(course: Course, who: str) -> bytes:
    return (course.submitted / who / ASSIGNMENT / f"{NB}.ipynb").read_bytes()


# Moodle ------------------------------------------------------------------------------------

MOODLE_PEOPLE = {("Amina Yusuf", "1284301"): "a = 'amina'",
                 ("Олена Коваленко", "1284303"): "a = 'olena'",
                 ("Đặng Văn Minh", "1284304"): "a = 'minh'",
                 ("Mohammed Ali", "1284310"): "a = 'mali1'",
                 ("Mohammed Ali", "1284311"): "a = 'mali2'"}


def moodle_zip(tmp_path, downloads, folders=True):
    extra = {
        "Sofia Rossi_1284320_assignsubmission_file_/ex01-htcds-basics-Copy1.ipynb":
            downloads.notebook_bytes("a = 'sofia'"),
        "Kwame Mensah_1284330_assignsubmission_onlinetext_/onlinetext.html": b"<p>hi</p>",
    }
    upload = downloads.write_zip(tmp_path / "anh-upload.zip", {
        f"{NB}.ipynb": downloads.notebook_bytes("a = 'anh'"),
        f".ipynb_checkpoints/{NB}-checkpoint.ipynb": downloads.notebook_bytes("old")})
    extra["Anh Pham_1284326_assignsubmission_file_/my-work.zip"] = upload.read_bytes()
    if not folders:
        extra = {name.replace("_/", "_"): data for name, data in extra.items()}
    return downloads.write_zip(tmp_path / "moodle.zip", downloads.moodle(
        NB, MOODLE_PEOPLE, folders=folders, extra=extra))


@pytest.mark.parametrize("folders", [True, False], ids=["folders", "flat"])
def test_moodle_without_a_roster_ids_come_from_names_and_same_names_are_refused(
        course, tmp_path, downloads, folders):
    report = collect(course, ASSIGNMENT, moodle_zip(tmp_path, downloads, folders))
    assert report.lms == "moodle"
    assert sorted(report.collected) == sorted(["Amina-Yusuf", "Олена-Коваленко",
                                               "Đặng-Văn-Minh", "Sofia-Rossi", "Anh-Pham"])
    assert submitted(course, "Олена-Коваленко") == downloads.notebook_bytes("a = 'olena'")
    assert submitted(course, "Anh-Pham") == downloads.notebook_bytes("a = 'anh'")
    assert not any("1284" in who for who in report.collected)  # never the per-assignment number
    refused = " | ".join(reason for _, reason in report.refused)
    assert "2 different people in this Moodle download would all get the id 'Mohammed-Ali'" \
        in refused and "--worksheet" in refused
    assert not (course.submitted / "Mohammed-Ali").exists()
    reasons = dict(report.unmatched)
    assert any("online text entry by Kwame Mensah" in r for r in reasons.values())
    assert "Sofia-Rossi: renamed 'ex01-htcds-basics-Copy1.ipynb'" in "\n".join(report.notes)


def test_moodle_with_a_roster_and_the_worksheet_tells_same_names_apart(
        course, tmp_path, downloads, roster_file):
    worksheet = tmp_path / "worksheet.csv"
    worksheet.write_text(
        "Identifier,Full name,Email address,Status,Grade,Maximum Grade,Grade can be changed,"
        "Last modified (submission),Last modified (grade),Feedback comments\n"
        "Participant 1284310,Mohammed Ali,m.ali1@example.org,Submitted,,10.00,Yes,,,\n"
        "Participant 1284311,Mohammed Ali,m.ali2@example.org,Submitted,,10.00,Yes,,,\n",
        "utf-8")
    report = collect(course, ASSIGNMENT, moodle_zip(tmp_path, downloads), roster=roster_file,
                     worksheet=worksheet)
    assert sorted(report.collected) == ["amina", "anh", "mali1", "mali2", "minh", "olena",
                                        "sofia"]
    assert submitted(course, "mali2") == downloads.notebook_bytes("a = 'mali2'")
    assert submitted(course, "olena") == downloads.notebook_bytes("a = 'olena'")  # Cyrillic
    record = read_intake(course, ASSIGNMENT)["people"]
    assert record["mali1"]["ref"] == {"participant": "1284310", "fullname": "Mohammed Ali"}
    # without the worksheet the two are refused, never guessed
    again = collect(course, ASSIGNMENT, moodle_zip(tmp_path, downloads), roster=roster_file)
    refused = [reason for _, reason in again.refused]
    assert len(refused) == 2
    assert all("2 people on the roster are called Mohammed Ali (mali1, mali2)" in r
               for r in refused)


# Canvas ------------------------------------------------------------------------------------

def canvas_zip(tmp_path, downloads):
    name = downloads.canvas_name
    entries = {
        name("yusufamina", 40111, 900001, f"{NB}.ipynb"): "a = 'amina'",
        name("smithjohn", 40118, 900002, f"{NB}.ipynb", late=True): "a = 'john'",
        name("alimohammed", 40121, 900003, f"{NB}.ipynb"): "a = 'mali1'",
        name("alimohammed", 40122, 900004, f"{NB}.ipynb"): "a = 'mali2'",
        name("коваленкоолена", 40123, 900005, f"{NB}.ipynb"): "a = 'olena'",
        name("phamanh", 40126, 900006, f"{NB}.ipynb"): "a = 'anh, first upload'",
        name("phamanh", 40126, 900010, f"{NB}-1.ipynb"): "a = 'anh'",
        name("rossisofia", 40127, 900011, f"{NB}-1.ipynb", late=True): "a = 'sofia'",
    }
    data = {key: downloads.notebook_bytes(answer) for key, answer in entries.items()}
    data["mensahkwame_40130_text.html"] = b"<p>my answer</p>"
    return downloads.write_zip(tmp_path / "canvas.zip", data)


def test_canvas_without_a_roster_keeps_user_ids_late_marks_and_resubmissions(
        course, tmp_path, downloads):
    report = collect(course, ASSIGNMENT, canvas_zip(tmp_path, downloads), lms="canvas")
    assert sorted(report.collected) == [
        "alimohammed-40121", "alimohammed-40122", "phamanh-40126", "rossisofia-40127",
        "smithjohn-40118", "yusufamina-40111", "коваленкоолена-40123"]
    assert submitted(course, "alimohammed-40122") == downloads.notebook_bytes("a = 'mali2'")
    assert submitted(course, "phamanh-40126") == downloads.notebook_bytes("a = 'anh'")
    assert ("canvas.zip/phamanh_40126_900006_ex01-htcds-basics.ipynb", "phamanh-40126") \
        in report.older
    people = report.people
    assert people["smithjohn-40118"]["late"] is True
    assert people["rossisofia-40127"]["late"] is True
    assert people["yusufamina-40111"]["late"] is False
    assert people["smithjohn-40118"]["ref"]["prefix"] == "smithjohn_LATE_40118_900002"
    assert not (course.submitted / "smithjohn-40118" / ASSIGNMENT / "timestamp.txt").exists()
    assert any("a text entry from mensahkwame" in r for _, r in report.unmatched)
    assert "2 marked late by the LMS" in report.to_text()


def test_canvas_with_a_roster_matches_ids_then_names_and_refuses_to_guess(
        course, tmp_path, downloads, roster_file):
    report = collect(course, ASSIGNMENT, canvas_zip(tmp_path, downloads), roster=roster_file)
    assert sorted(report.collected) == ["amina", "anh", "john", "mali1", "mali2", "olena",
                                        "sofia"]
    assert submitted(course, "mali1") == downloads.notebook_bytes("a = 'mali1'")
    # a roster without the Canvas ids cannot tell the two Mohammed Alis apart: both refused
    bare = tmp_path / "bare.csv"
    bare.write_text("id,name\nmali1,Mohammed Ali\nmali2,Mohammed Ali\nolena,Olena Kovalenko\n",
                    "utf-8")
    other = Course.open(shutil.copytree(course.root, tmp_path / "other",
                                        ignore=shutil.ignore_patterns("submitted", "intake")))
    report = collect(other, ASSIGNMENT, canvas_zip(tmp_path, downloads), roster=bare)
    assert sorted(report.collected) == ["olena"]
    refused = dict(report.refused)
    assert "2 people on the roster are called alimohammed (mali1, mali2)" in \
        refused["canvas.zip/alimohammed_40121_900003_ex01-htcds-basics.ipynb"]
    assert "John Smith" not in report.to_text() and "smithjohn is not on" in report.to_text()


# Blackboard --------------------------------------------------------------------------------

def blackboard_zip(tmp_path, downloads, receipts=True):
    when = datetime
    attempts = [
        ("Chidi Okafor", "c_okafor", when(2026, 11, 21, 9, 30), "a = 'chidi'"),
        ("Amina Yusuf", "a_yusuf", when(2026, 11, 21, 10, 0), "a = 'amina'"),
        ("Rahim Uddin", "ruddin", when(2026, 11, 20, 8, 0), "a = 'rahim'"),
        ("Rahim Uddin", "ruddin", when(2026, 11, 22, 8, 0), downloads.STUB),  # blank, later
    ]
    return downloads.write_zip(tmp_path / "blackboard.zip", downloads.blackboard(
        "Ex01 HTCDS basics", NB, attempts, receipts=receipts))


def test_blackboard_reads_usernames_from_receipts_and_flags_a_later_blank_attempt(
        course, tmp_path, downloads):
    report = collect(course, ASSIGNMENT, blackboard_zip(tmp_path, downloads))
    assert report.lms == "blackboard"
    assert sorted(report.collected) == ["a_yusuf", "c_okafor", "ruddin"]
    assert report.unmatched == []  # receipts are receipts, not unmatched files
    assert "4 Blackboard receipt(s) read." in report.notes
    assert submitted(course, "ruddin") == downloads.notebook_bytes(downloads.STUB)  # latest
    (who, flag), = report.flags
    assert who == "ruddin" and "is the blank handout, but an earlier one" in flag
    stamp = (course.submitted / "c_okafor" / ASSIGNMENT / "timestamp.txt").read_text()
    assert stamp.startswith("2026-11-21 09:30:00")
    text = report.to_text()
    assert text.index("Needs your attention (1)") < text.index("ruddin: the latest copy")


def test_blackboard_without_receipts_uses_the_roster_usernames(course, tmp_path, downloads,
                                                               roster_file):
    report = collect(course, ASSIGNMENT, blackboard_zip(tmp_path, downloads, receipts=False),
                     lms="blackboard", roster=roster_file)
    assert sorted(report.collected) == ["amina", "chidi", "rahim"]
    assert read_intake(course, ASSIGNMENT)["people"]["chidi"]["ref"] == {"username": "c_okafor"}


def test_a_roster_must_not_give_one_key_to_two_people(tmp_path):
    bad = tmp_path / "roster.csv"
    bad.write_text("id,name,canvas\na,A,1\nb,B,1\n", "utf-8")
    with pytest.raises(Exception, match="the Canvas key '1' is given to both a and b"):
        read_roster(bad)
    bad.write_text("name\nA\n", "utf-8")
    with pytest.raises(Exception, match="has no 'id' column"):
        read_roster(bad)
