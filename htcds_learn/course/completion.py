"""A trainee's completion summary, and reading a class's summaries back for the report.

A trainee runs ``htcds-learn progress --completion me.json --trainee ID`` and hands the file
in; the trainer points ``htcds-learn course report --completions FOLDER`` at the files.
The summary says which lessons are done, how many self-checks were passed, and the exercise
scores on any feedback pages the trainee has been given. It holds no case data.

>>> from htcds_learn.learn.progress import ProgressRecord
>>> summary = completion_summary("amina", ProgressRecord("/nonexistent/progress.json"))
>>> summary["lessons_completed"], summary["lessons_total"] == len(LESSONS)
(0, True)
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from ..learn.lessons import LESSONS
from ..learn.progress import ProgressRecord
from .feedback_pages import read_score_tags
from .layout import CourseError

FORMAT = "htcds-learn-completion/1"


def completion_summary(trainee: str, record: ProgressRecord | None = None,
                       feedback_folder: Path | str | None = None) -> dict[str, Any]:
    """One trainee's lessons, self-checks and exercise scores, as a JSON-ready dict."""
    if not trainee.strip():
        raise CourseError("A completion summary needs the trainee's id.",
                          "Use the id your trainer gave you, e.g. --trainee amina.")
    record = record or ProgressRecord()
    progress = record.summary().set_index("lesson")  # the counts the trainee's own view shows
    lessons = []
    for lesson in LESSONS:
        done = lesson.number in progress.index
        lessons.append({
            "lesson": lesson.number, "title": lesson.title,
            "completed": done and bool(progress.at[lesson.number, "completed"]),
            "self_checks_attempted": int(progress.at[lesson.number, "attempted"]) if done else 0,
            "self_checks_passed": int(progress.at[lesson.number, "passed"]) if done else 0,
        })
    exercises = []
    if feedback_folder is not None:
        exercises = [{key: tag[key] for key in ("assignment", "notebook", "score", "max_score")}
                     for tag in read_score_tags(Path(feedback_folder))]
    return {
        "format": FORMAT, "trainee": trainee.strip(),
        "made_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "lessons": lessons,
        "lessons_completed": sum(item["completed"] for item in lessons),
        "lessons_total": len(LESSONS),
        "self_checks_passed": sum(item["self_checks_passed"] for item in lessons),
        "self_checks_attempted": sum(item["self_checks_attempted"] for item in lessons),
        "exercises": exercises,
    }


def read_completions(folder: Path | str) -> tuple[pd.DataFrame, list[str]]:
    """One row per trainee from the summaries in ``folder``, and a sentence per bad file.

    A damaged or foreign file does not stop the report; it is named in the problems.
    """
    rows, problems = [], []
    for path in sorted(Path(folder).glob("*.json")):
        try:
            data = json.loads(path.read_text("utf-8"))
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                raise ValueError("it is not an htcds-learn completion summary")
            rows.append({"trainee": str(data["trainee"]),
                         "lessons_completed": int(data["lessons_completed"]),
                         "lessons_total": int(data["lessons_total"]),
                         "self_checks_passed": int(data["self_checks_passed"]),
                         "summary_made_at": str(data.get("made_at", ""))})
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as error:
            problems.append(f"{path.name}: skipped, {error}. Ask the trainee to run "
                            "'htcds-learn progress --completion' again.")
    frame = pd.DataFrame(rows, columns=["trainee", "lessons_completed", "lessons_total",
                                        "self_checks_passed", "summary_made_at"])
    return frame.drop_duplicates("trainee", keep="last"), problems
