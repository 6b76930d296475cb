"""A trainee's completion summary, and the `course` commands' plain errors."""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

from htcds_learn.course import read_completions
from htcds_learn.learn.lessons import LESSONS
from htcds_learn.learn.progress import ProgressRecord
from tests._cli import run_cli

ROOT = Path(__file__).resolve().parents[2]


run = run_cli  # progress, and course commands that stop before nbgrader starts


def test_a_trainee_writes_a_summary_the_trainer_reads_back(tmp_path, progress_home):
    record = ProgressRecord()  # in progress_home: lessons run by other tests record elsewhere
    record.record_attempt("01-what-is-core", lesson="01", correct=False)
    record.record_attempt("01-what-is-core", lesson="01", correct=True)
    record.record_attempt("01-picklists", lesson="01", correct=False)
    record.complete_lesson("00")
    record.complete_lesson("01")
    pages = tmp_path / "my-feedback" / "ex01-htcds-basics"
    pages.mkdir(parents=True)
    tag = html.escape(json.dumps({"assignment": "ex01-htcds-basics", "student": "amina",
                                  "notebook": "ex01-htcds-basics", "score": 7.0,
                                  "max_score": 10.0}))
    (pages / "ex01-htcds-basics.html").write_text(
        f'<html><head>\n<meta name="htcds-learn-score" content="{tag}">\n</head></html>')
    summaries = tmp_path / "summaries"

    result = run("progress", "--completion", str(summaries / "amina.json"),
                 "--trainee", "amina", "--feedback", str(tmp_path / "my-feedback"))

    assert result.returncode == 0, result.stderr
    assert (f"2 of {len(LESSONS)} lessons completed, 1 self-checks passed, 1 exercise score"
            in result.stdout)
    summary = json.loads((summaries / "amina.json").read_text())
    lesson01 = next(item for item in summary["lessons"] if item["lesson"] == "01")
    assert lesson01 == {"lesson": "01", "title": "Meet HTCDS", "completed": True,
                        "self_checks_attempted": 2, "self_checks_passed": 1}
    assert summary["exercises"] == [{"assignment": "ex01-htcds-basics", "max_score": 10.0,
                                     "notebook": "ex01-htcds-basics", "score": 7.0}]
    (summaries / "notes.json").write_text('{"hello": 1}')
    table, problems = read_completions(summaries)
    assert table.to_dict("records") == [{
        "trainee": "amina", "lessons_completed": 2, "lessons_total": len(LESSONS),
        "self_checks_passed": 1, "summary_made_at": summary["made_at"]}]
    assert problems == ["notes.json: skipped, it is not an htcds-learn completion summary. "
                        "Ask the trainee to run 'htcds-learn progress --completion' again."]


def test_a_summary_needs_the_trainee_id(tmp_path):
    result = run("progress", "--completion", str(tmp_path / "x.json"))
    assert result.returncode == 2
    assert result.stderr.startswith("Error: --completion needs --trainee")
    assert not (tmp_path / "x.json").exists()


def test_course_commands_explain_what_to_do_first(tmp_path):
    result = run("course", "--course", str(tmp_path), "grade")
    assert result.returncode == 2 and "is not a course folder" in result.stderr
    course = tmp_path / "course"
    shutil.copytree(ROOT / "exercises" / "source", course / "source")
    shutil.copy(ROOT / "exercises" / "nbgrader_config.py", course)
    result = run("course", "--course", str(course), "grade")
    assert result.returncode == 2
    assert "has not been released yet" in result.stderr and "course build" in result.stderr
    result = run("course", "--course", str(course), "report")
    assert result.returncode == 2 and "no gradebook yet" in result.stderr
    assert "Traceback" not in result.stderr
