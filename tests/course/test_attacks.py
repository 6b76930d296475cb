"""Playing the trainee: cheating submissions graded by the real `htcds-learn course grade`.

Each cheating submission is a real notebook, made from the released exercise the way a
mischievous trainee would, and graded with the command an instructor runs. Every attack must
fail: the submission scores what its honest answers deserve, no hidden-test line appears in
any feedback page, the gradebook and ``source/`` are unchanged by the trainee's code, nothing
reaches the network, and no process outlives grading. Tampering with check cells is flagged
in the grading summary and the class report.

The attacks need the full sandbox (Linux with bubblewrap); without it the test skips with the
reason, or fails where HTCDS_LEARN_REQUIRE_BROWSER is set (as in CI).
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest

from htcds_learn.course import Course, build
from htcds_learn.course.simulate import solution_answers

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = "ex01-htcds-basics"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
BUILD_OUTPUTS = ("release", "submitted", "autograded", "feedback", "gradebook.db", "handout",
                 "reports", ".htcds-grading.json")
MARK = "htcds-attack"  # in every attacking process's command line, to find survivors

def task_points(*tasks: str) -> float:
    """The points of the checks that judge ``tasks``, read from the source notebook: in ex01
    the checks of task N are called checkN-... (check1-1 to check1-8 judge task1)."""
    source = nbformat.read(ROOT / "exercises" / "source" / ASSIGNMENT / NOTEBOOK, as_version=4)
    total = 0.0
    for cell in source.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution"):
            task = "task" + meta["grade_id"].split("-")[0].removeprefix("check")
            total += meta["points"] if task in tasks else 0
    return total


# What each submission's honest answers deserve: the points of the tasks it answered honestly
# and did not disturb (ex01: task1 8, task2 4, task3 3 points, one per answer).
EXPECTED = {"honest": task_points("task1", "task2", "task3"),
            "eq-cheat": task_points("task3"),  # its task1 and task2 values are all wrong
            "swallow": task_points("task1"), "snoop": task_points("task1"),
            "daemon": task_points("task1"), "leak": task_points("task1", "task2", "task3"),
            "crash": task_points("task1", "task2"),  # task3 ends Python
            "deleted": task_points("task1", "task2"),  # task3 and its checks deleted
            "tampered": task_points("task1", "task2", "task3")}

# Every value is wrong ('prs_Title', 'maybe', 'A') but, in the kernel, equal to everything.
EQ_CHEAT = {
    "task1": '''
class Sly(str):  # equal to everything, never different
    def __eq__(self, other):
        return True
    def __ne__(self, other):
        return False
    __hash__ = str.__hash__
    def strip(self, *args):
        return self
    def upper(self):
        return self
    def lower(self):
        return self

QUESTIONS = ["Given name", "Family name", "Date of birth", "Gender",
             "Nationality (the passport or passports the caller holds)", "Mobile number",
             "How was the person recruited? (a job offer, a relative, an online advert ...)",
             "Did the person agree to the interview and to the use of their data?"]
intake_mapping = {q: Sly("prs_Title") for q in QUESTIONS}
''',
    "task2": '''
first_call = {"con_Consent": Sly("maybe"), "prs_MailingStreet": Sly("maybe"),
              "prs_Title": Sly("maybe")}
core_means = Sly("A")
''',
}

# Errors swallowed, isinstance patched, the check helpers replaced in the kernel; no answer.
SWALLOW = {
    "task2": '''
get_ipython().set_custom_exc((BaseException,), lambda *args, **kwargs: None)
import builtins
real_isinstance = builtins.isinstance
builtins.isinstance = lambda value, kind: kind in (list, dict, str) or real_isinstance(value, kind)
import htcds_learn.course.checks as checks

class Everything(dict):
    def __getitem__(self, key):
        return "ask"
    def raised(self, *args):
        return False

checks.expect = expect = lambda *args, **kwargs: None
checks.record = record = lambda **answers: Everything()
raise NotImplementedError()
''',
}


def snoop(course: Path, port: int) -> dict[str, str]:
    return {"task2": f'''
import glob, os, socket, sqlite3
found = []
places = glob.glob({str(course)!r} + "/**", recursive=True)
places += glob.glob("../../../source/**/*.ipynb", recursive=True)
places += glob.glob("/tmp/**/*.ipynb", recursive=True) + glob.glob("/tmp/**/*.db", recursive=True)
for path in places:
    try:
        with open(path, "rb") as handle:
            text = handle.read()
    except OSError:
        continue
    if b"HIDDEN TESTS" in text or b"BEGIN SOLUTION" in text or b"records it. Hint" in text:
        found.append(path)
print("FOUND", found)
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=3).sendall(b"{MARK}")
    print("NETWORK OPEN")
except OSError as error:
    print("NO NETWORK", type(error).__name__)
'''}


def daemon(course: Path, marker: Path) -> dict[str, str]:
    code = f'''
import os, sqlite3, time
if os.fork():
    os._exit(0)
os.setsid()
if os.fork():
    os._exit(0)
time.sleep(4)
try:
    db = sqlite3.connect({str(course / "gradebook.db")!r})
    db.execute("update grade set auto_score = 999")
    db.commit()
except Exception:
    pass
for path in ({str(course / "source" / ASSIGNMENT / NOTEBOOK)!r}, {str(marker)!r}):
    try:
        with open(path, "a") as handle:
            handle.write("tampered")
    except Exception:
        pass
time.sleep(60)
'''
    return {"task2": f'''
import subprocess, sys
subprocess.Popen([sys.executable, "-c", {code!r}, "{MARK}-daemon"], start_new_session=True)
'''}


LEAK = {
    "task1": '''
ip = get_ipython()
def show_history(*args, **kwargs):
    print("\\n".join(ip.user_ns.get("In", [])))
    print("\\n".join(ip.history_manager.input_hist_raw))
def show_cell(info):
    print(info.raw_cell)
ip.events.register("post_run_cell", show_history)
ip.events.register("pre_run_cell", show_cell)
''',
}


def released(course: Course) -> nbformat.NotebookNode:
    return nbformat.read(course.release / ASSIGNMENT / NOTEBOOK, as_version=4)


def submit(course: Course, student: str, answers: dict[str, str], *,
           edit=None) -> None:
    notebook = released(course)
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id].strip("\n")
    if edit:
        edit(notebook)
    target = course.submitted / student / ASSIGNMENT
    target.mkdir(parents=True)
    nbformat.write(notebook, target / NOTEBOOK)


def with_honest(course: Course, answers: dict[str, str], keep: tuple[str, ...]) -> dict:
    honest = solution_answers(course, ASSIGNMENT)
    return {**{k: honest[k] for k in keep}, **answers}


def delete_task3(notebook) -> None:
    """Task 3 gone, with its answer cell and all its checks."""
    notebook.cells = [c for c in notebook.cells if not re.match(
        r"(task3|check3|values-to-read)", c.metadata.get("nbgrader", {}).get("grade_id", ""))]


def tamper(notebook) -> None:
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade_id") == "check1-1":
            cell.source = 'print("Check 1 passed")'
            meta["locked"] = False
            meta["points"] = 40


def folder_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


def survivors(*needles: str) -> list[str]:
    """Processes whose command line holds one of ``needles``, other than this test's own."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if any(needle in command for needle in needles):
            found.append(f"{entry.name}: {command[:200]}")
    return found


def htcds(course: Course, *args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "htcds_learn.cli", "course", "--course",
                           str(course.root), *args], capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="module")
def attacked(tmp_path_factory, need):
    from htcds_learn.course import sandbox

    need(sys.platform.startswith("linux") and sandbox.machine().bwrap is not None,
         "the grading sandbox needs Linux and bubblewrap ('apt-get install bubblewrap')")
    tmp = tmp_path_factory.mktemp("attacks")
    course = Course.open(shutil.copytree(ROOT / "exercises", tmp / "course",
                                         ignore=shutil.ignore_patterns(*BUILD_OUTPUTS)))
    build(course, [ASSIGNMENT])
    marker = tmp / "the-daemon-was-here"
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.5)
    knocks: list[bytes] = []
    listening = True

    def listen():
        while listening:
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            knocks.append(connection.recv(100))
            connection.close()

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    honest = solution_answers(course, ASSIGNMENT)
    submit(course, "honest", honest)
    submit(course, "eq-cheat", with_honest(course, EQ_CHEAT, ("task3",)))
    submit(course, "swallow", with_honest(course, SWALLOW, ("task1",)))
    submit(course, "snoop", with_honest(course, snoop(course.root,
                                                      listener.getsockname()[1]), ("task1",)))
    submit(course, "daemon", with_honest(course, daemon(course.root, marker), ("task1",)))
    submit(course, "leak", with_honest(course, LEAK, ("task2", "task3")) | {
        "task1": LEAK["task1"] + honest["task1"]})
    submit(course, "crash", with_honest(course, {"task3": "import os\nos._exit(1)"},
                                        ("task1", "task2")))
    submit(course, "deleted", honest, edit=delete_task3)
    submit(course, "tampered", honest, edit=tamper)

    source_before = folder_hash(course.source)
    graded = htcds(course, "grade", ASSIGNMENT, "--workers", "2", "--timeout", "60")
    gradebook_after_grading = course.gradebook_path.read_bytes()
    time.sleep(6)  # longer than the daemon waits before it strikes
    listening = False
    thread.join(5)
    listener.close()
    pages = htcds(course, "feedback", ASSIGNMENT)
    report = htcds(course, "report")
    return {"course": course, "graded": graded, "pages": pages, "report": report,
            "source_before": source_before, "marker": marker, "knocks": knocks,
            "gradebook_after_grading": gradebook_after_grading}


def scores(course: Course) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gradebook:
        return {s.student.id: s.score for s in gradebook.assignment_submissions(ASSIGNMENT)}


def test_every_cheating_submission_scores_what_its_honest_answers_deserve(attacked):
    assert attacked["graded"].returncode == 0, attacked["graded"].stdout + \
        attacked["graded"].stderr
    assert scores(attacked["course"]) == EXPECTED


def test_the_trainee_code_saw_no_hidden_test_and_no_network(attacked):
    notebook = nbformat.read(attacked["course"].autograded / "snoop" / ASSIGNMENT / NOTEBOOK,
                             as_version=4)
    printed = "".join(o.get("text", "") for c in notebook.cells for o in c.get("outputs", []))
    assert "FOUND []" in printed
    assert "NO NETWORK" in printed and "NETWORK OPEN" not in printed
    assert attacked["knocks"] == []


def test_no_feedback_page_shows_a_line_of_the_hidden_tests(attacked):
    course = attacked["course"]
    assert attacked["pages"].returncode == 0, attacked["pages"].stderr
    source = nbformat.read(course.source / ASSIGNMENT / NOTEBOOK, as_version=4)
    hidden = [line.strip() for cell in source.cells
              for block in re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS",
                                      cell.source, re.S)
              for line in block.splitlines() if len(line.strip()) > 12]
    assert hidden
    pages = sorted(course.feedback.glob(f"*/{ASSIGNMENT}/*.html"))
    assert {page.parents[1].name for page in pages} == set(EXPECTED)
    for page in pages:
        text = html.unescape(page.read_text("utf-8"))
        for line in hidden:
            assert line not in text, f"{page}: hidden test line shown: {line!r}"
    leak = html.unescape((course.feedback / "leak" / ASSIGNMENT / f"{ASSIGNMENT}.html")
                         .read_text("utf-8"))
    assert "post_run_cell" in leak  # the trainee's own code and output are still shown


def test_the_gradebook_and_source_are_untouched_and_no_process_survives(attacked):
    course = attacked["course"]
    assert folder_hash(course.source) == attacked["source_before"]
    assert course.gradebook_path.read_bytes() == attacked["gradebook_after_grading"]
    assert not attacked["marker"].exists()
    assert survivors(MARK, str(course.root)) == []


def test_a_crash_keeps_the_points_before_it_and_a_deleted_answer_and_check_do_not_stop_grading(
        attacked):
    out = attacked["graded"].stdout
    assert re.search(r"crash / ex01-htcds-basics: .*kernel stopped in the cell 'task3'", out)
    for check in ("check3-debt", "check3-follow", "check3-female"):
        assert re.search(rf"deleted / ex01-htcds-basics: .*'{check}' was deleted; it was put "
                         "back", out)
    assert "KeyError" not in out


def test_tampering_is_flagged_in_the_summary_and_the_class_report(attacked):
    out = attacked["graded"].stdout
    for flag in ("the locked cell 'check1-1' was unlocked",
                 "the locked cell 'check1-1' was edited",
                 "the points of 'check1-1' were changed from 1 to 40"):
        assert f"tampered / {ASSIGNMENT}: integrity: {NOTEBOOK}: {flag}" in out
    flagged = {line.split(" / ")[0].strip() for line in out.splitlines() if "integrity:" in line}
    assert flagged == {"tampered"}
    assert attacked["report"].returncode == 0, attacked["report"].stderr
    page = html.unescape((attacked["course"].reports / "class-report.html").read_text("utf-8"))
    assert "Integrity flags" in page and "the points of 'check1-1' were changed" in page
