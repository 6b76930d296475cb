"""The instructor's day end to end: LMS downloads in, real grading, a class report that
answers the instructor's questions, and files each LMS's gradebook import reads.

One small class (a roster of five) does two exercises: ex01 through Canvas (one person
through Moodle), ex05 through Blackboard, with a damaged notebook, a late file, a person not
on the roster, a written answer waiting for manual marks and a completion summary that claims
too much.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import shutil
import zipfile
from datetime import datetime
from pathlib import Path

import nbformat
import pytest

from htcds_learn.course import Course, build, collect, feedback, grade, report
from htcds_learn.course.exports import (
    BLACKBOARD_COLUMNS,
    CANVAS_COLUMNS,
    MOODLE_COLUMNS,
    export,
)
from htcds_learn.course.lateness import parse_due, set_due_date
from htcds_learn.course.notices import failure_pages, without_feedback
from htcds_learn.course.simulate import write_submission

ROOT = Path(__file__).resolve().parents[2]
EX01, EX05 = "ex01-htcds-basics", "ex05-ethics-scenarios"
BUILD_OUTPUTS = ("release", "submitted", "autograded", "feedback", "gradebook.db", "handout",
                 "reports", ".htcds-grading.json", "intake")
ROSTER = """id,name,email,canvas,blackboard
amina,Amina Yusuf,amina@example.org,40111,a_yusuf
olena,Olena Kovalenko,olena@example.org,,
mali1,Mohammed Ali,m.ali1@example.org,40121,
mali2,Mohammed Ali,m.ali2@example.org,40122,m_ali2
emeka,Emeka Obi,emeka@example.org,40130,e_obi
"""
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def points(assignment: str, manual: bool = False) -> float:
    """The points of the assignment's automatic checks (or of its answers marked by hand),
    read from the source notebook, so the figures below follow the exercise."""
    path = ROOT / "exercises" / "source" / assignment / f"{assignment}.ipynb"
    return sum(cell.metadata["nbgrader"]["points"]
               for cell in nbformat.read(path, as_version=4).cells
               if cell.metadata.get("nbgrader", {}).get("grade")
               and bool(cell.metadata["nbgrader"].get("solution")) == manual)


def answer(course: Course, assignment: str, kind: str) -> bytes:
    """A notebook as a trainee of ``kind`` would send it (see course.simulate), with any
    written answer (a manually graded Markdown cell) filled in."""
    folder = write_submission(course, assignment, f"tmp-{kind}", kind)
    path = folder / f"{assignment}.ipynb"
    if kind == "broken":
        data = path.read_bytes()
    else:
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type == "markdown" and meta.get("solution"):
                cell.source = "The survivors gave their data for their support, not for it."
        data = nbformat.writes(notebook).encode()
    shutil.rmtree(folder.parent)
    return data


def zipped(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(zipfile.ZipInfo(name, (2026, 11, 22, 8, 0, 0)), data)
    return path


@pytest.fixture(scope="module")
def day(tmp_path_factory, downloads):
    tmp = tmp_path_factory.mktemp("day")
    course = Course.open(shutil.copytree(ROOT / "exercises", tmp / "course",
                                         ignore=shutil.ignore_patterns(*BUILD_OUTPUTS)))
    config = course.root / "nbgrader_config.py"
    config.write_text(config.read_text().replace("c.LatePenalty.percent_per_day = 0",
                                                 "c.LatePenalty.percent_per_day = 10"))
    (course.root / "roster.csv").write_text(ROSTER, "utf-8")
    build(course, [EX01, EX05])
    right1, broken1, partly1 = (answer(course, EX01, k) for k in ("right", "broken",
                                                                  "partly-right"))
    name = downloads.canvas_name
    canvas = zipped(tmp / "canvas.zip", {
        name("yusufamina", 40111, 900001, f"{EX01}.ipynb"): right1,
        name("alimohammed", 40121, 900003, f"{EX01}.ipynb", late=True): broken1,
        name("alimohammed", 40122, 900004, f"{EX01}-1.ipynb"): partly1,
        name("ångströmzoë", 40140, 900009, f"{EX01}.ipynb"): right1})
    collected = {"canvas": collect(course, EX01, canvas)}
    moodle = zipped(tmp / "moodle.zip", {
        f"Олена Коваленко_1284303_assignsubmission_file_/{EX01}.ipynb": right1})
    collected["moodle"] = collect(course, EX01, moodle)
    right5 = answer(course, EX05, "right")
    board = downloads.blackboard("Ex05 Ethics", EX05, [
        ("Amina Yusuf", "a_yusuf", datetime(2026, 11, 20, 9, 0), "x"),
        ("Mohammed Ali", "m_ali2", datetime(2026, 11, 22, 8, 0), "x")])
    board = {key: (right5 if key.endswith(".ipynb") else value) for key, value in board.items()}
    collected["blackboard"] = collect(course, EX05, zipped(tmp / "blackboard.zip", board))
    set_due_date(course, EX05, parse_due("2026-11-21 17:00"))
    run = grade(course, [EX01, EX05], workers=2, timeout=20)
    pages = feedback(course)
    notices = failure_pages(course, [EX01, EX05])
    summaries = tmp / "summaries"
    summaries.mkdir()
    full = points(EX01)  # both claim full marks on ex01; only amina has them
    for who in ("amina", "mali2"):
        (summaries / f"{who}.json").write_text(json.dumps({
            "format": "htcds-learn-completion/1", "trainee": who, "made_at": "2026-11-30",
            "lessons_completed": 8, "lessons_total": 8, "self_checks_passed": 20,
            "exercises": [{"assignment": EX01, "notebook": EX01, "score": full,
                           "max_score": full}]}))
    result = report(course, completions=summaries)
    return {"course": course, "collected": collected, "run": run, "pages": pages,
            "notices": notices, "report": result, "tmp": tmp}


def row(result, person, exercise):
    people = result.people
    (found,) = people[(people["person"] == person) & (people["exercise"] == exercise)] \
        .to_dict("records")
    return found


def test_collect_gives_each_person_their_roster_id(day):
    collected = day["collected"]
    assert sorted(collected["canvas"].collected) == ["amina", "mali1", "mali2"]
    assert collected["moodle"].collected == {"olena": [EX01]}
    assert sorted(collected["blackboard"].collected) == ["amina", "mali2"]
    refused = " ".join(reason for _, reason in collected["canvas"].refused)
    assert "ångströmzoë is not on" in refused


def test_the_report_counts_only_exercises_set_and_one_row_per_person(day):
    result = day["report"]
    assert list(result.exercises["exercise"]) == [EX01, EX05]
    assert len(result.people) == 5 * 2
    assert sorted(result.people["person"].unique()) == ["amina", "emeka", "mali1", "mali2",
                                                        "olena"]
    ex01 = result.exercises.set_index("exercise").loc[EX01]
    assert (ex01["people"], ex01["submitted"], ex01["graded"]) == (5, 4, 3)
    assert ex01["max"] == 100 and ex01["needs_resubmission"] == 1
    assert sorted(map(tuple, result.missing.values)) == [
        ("emeka", EX01), ("emeka", EX05), ("mali1", EX05), ("olena", EX05)]


def test_an_all_correct_trainee_shows_100_percent_while_a_written_answer_waits(day):
    amina = row(day["report"], "amina", EX05)
    assert amina["percent"] == 100.0
    assert amina["points_waiting"] == points(EX05, manual=True) > 0
    assert amina["status"] == "waiting for manual grading"
    waiting = day["report"].queues["waiting for manual grading"]
    assert sorted(waiting["person"]) == ["amina", "mali2"]


def test_damaged_work_needs_resubmission_and_is_not_waiting_for_a_person(day):
    queues = day["report"].queues
    assert list(queues["needs resubmission"]["person"]) == ["mali1"]
    assert "damaged" in queues["needs resubmission"]["problems"][0]
    assert "mali1" not in set(queues["waiting for manual grading"]["person"])
    (page,) = day["notices"]
    assert page == day["course"].feedback / "mali1" / EX01 / f"{EX01}.html"
    assert "could not be graded" in page.read_text("utf-8")
    assert without_feedback(day["course"], [EX01, EX05]) == []


def test_lateness_is_kept_and_the_penalty_applied_at_grading(day):
    late = row(day["report"], "mali2", EX05)  # Blackboard attempt after the due date
    # 10 % of the automatic points (the written answer waits for a person)
    assert late["late"] and late["late_penalty"] == pytest.approx(0.1 * points(EX05))
    assert late["score"] == pytest.approx(0.9 * points(EX05)) and late["percent"] == 90.0
    on_time = row(day["report"], "amina", EX05)
    assert not on_time["late"] and on_time["late_penalty"] == 0
    canvas_late = row(day["report"], "mali1", EX01)
    assert canvas_late["late"] and canvas_late["late_by"] == "LMS says late"


def test_checks_carry_their_descriptions_and_the_queues_are_separate(day):
    result = day["report"]
    checks = result.checks.set_index(["exercise", "check"])
    assert checks.loc[(EX01, "check1-1"), "description"] == 'Question 1: "Given name"'
    assert checks.loc[(EX01, "check1-1"), "graded"] == 3  # the damaged one is not counted
    unmatched = result.queues["collected but not matched"]
    assert any("ångströmzoë" in f for f in unmatched["file"])
    full = f"{points(EX01):g}"
    assert any(f"claims {full}/{full} on ex01-htcds-basics" in p and "mali2" in p
               for p in result.problems)
    page = result.files["class-report"].read_text("utf-8")
    assert "self-reported" in page and "Check 4: the partner" not in page  # ex04 not set
    assert '<td>Question 1: "Given name"</td>' in html.unescape(page)
    assert page.count("data:image/png;base64,") == 2
    for name in ("people", "exercises", "checks", "needs-resubmission"):
        assert result.files[name].exists()
    links = result.people.set_index(["person", "exercise"])["feedback"]
    target = (day["course"].reports / links[("amina", EX01)]).resolve()
    assert target == (day["course"].feedback / "amina" / EX01 / f"{EX01}.html").resolve()


def read_csv(path: Path, **options) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text("utf-8")), **options))


def test_canvas_gradebook_import_file_is_keyed_by_canvas_user_ids(day):
    course = day["course"]
    result = export(course, "canvas", [EX01], columns={EX01: "HTCDS basics (555)"})
    rows = read_csv(result.files[0])
    assert rows[0] == CANVAS_COLUMNS + ["HTCDS basics (555)"]
    full = f"{points(EX01):.2f}"
    assert rows[1][0].strip() == "Points Possible" and rows[1][5] == full
    by_id = {r[1]: r for r in rows[2:]}
    assert sorted(by_id) == ["40111", "40121", "40122"]
    assert by_id["40111"][5] == full and by_id["40121"][5] == "0.00"
    assert any("olena" in line for line in result.left_out)  # came through Moodle
    (feedback_zip,) = [p for p in result.files if p.suffix == ".zip"]
    with zipfile.ZipFile(feedback_zip) as archive:
        names = archive.namelist()
    # Canvas reads the user id and attachment id as the first two all-digit parts
    parsed = {tuple([part for part in n.split("_") if part.isdigit()][:2]) for n in names}
    assert ("40111", "900001") in parsed and ("40121", "900003") in parsed


def test_moodle_worksheet_and_feedback_zip_use_the_participant_number(day):
    course = day["course"]
    result = export(course, "moodle", [EX01])
    worksheet = result.files[0]
    rows = read_csv(worksheet)
    assert rows[0] == MOODLE_COLUMNS
    (olena,) = rows[1:]
    assert olena[:3] == ["Participant 1284303", "Olena Kovalenko", "olena@example.org"]
    assert olena[4:6] == [f"{points(EX01):.2f}"] * 2
    assert datetime.strptime(olena[8], "%Y-%m-%d %H:%M:%S")
    with zipfile.ZipFile(result.files[1]) as archive:
        assert archive.namelist() == [
            f"Олена Коваленко_1284303_assignfeedback_file/{EX01}.html"]


def test_blackboard_grade_center_upload_is_keyed_by_username(day):
    course = day["course"]
    result = export(course, "blackboard", [EX05])
    text = result.files[0].read_text("utf-8")
    rows = read_csv(result.files[0])
    total = points(EX05) + points(EX05, manual=True)
    assert rows[0] == BLACKBOARD_COLUMNS + [f"{EX05} [Total Pts: {total:g} Score]"]
    assert text.startswith('"Last Name","First Name","Username"')
    by_user = {r[2]: r for r in rows[1:]}
    # the automatic points less the 10 % late penalty; the written answer is not marked yet
    assert by_user["m_ali2"] == ["Ali", "Mohammed", "m_ali2", f"{0.9 * points(EX05):.2f}"]
    assert by_user["a_yusuf"][3] == f"{points(EX05):.2f}"


def test_the_class_report_reads_well_in_chromium(day, need, tmp_path):
    need(CHROMIUM.exists(), f"Debian's Chromium is not installed ({CHROMIUM}); "
                            "'apt-get install chromium' (.ci/run does)")
    playwright = pytest.importorskip("playwright.sync_api")
    artefacts = Path(os.environ.get("HTCDS_LEARN_ARTIFACTS", tmp_path))
    artefacts.mkdir(parents=True, exist_ok=True)
    page_path = day["report"].files["class-report"]
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(page_path.as_uri())
            assert page.title() == "Class report: course"
            assert page.locator("h2", has_text="Needs resubmission (1)").is_visible()
            images = page.locator("img")
            assert images.count() == 2
            for index in range(2):  # the plots decoded and have a size on screen
                assert images.nth(index).evaluate("i => i.naturalWidth") > 400
            page.screenshot(path=str(artefacts / "class-report.png"), full_page=True)
        finally:
            browser.close()
    assert (artefacts / "class-report.png").stat().st_size > 10_000
