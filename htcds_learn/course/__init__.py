"""Course tooling for trainers and instructors, built on nbgrader (never instead of it).

One module per step of a workshop's grading day:

- :mod:`.layout` - the course folder (an nbgrader course root) and running nbgrader in it;
- :mod:`.handout` - release every assignment and make one zip per assignment to hand out;
- :mod:`.roster` - one id per person, and how each LMS names them;
- :mod:`.inbox` - copy a folder or zip safely (no links followed, sizes capped);
- :mod:`.lms` - read Moodle, Canvas and Blackboard downloads as each names files;
- :mod:`.intake` - import trainees' submissions from a folder or an LMS download;
- :mod:`.inspect` - say plainly what is wrong with a submitted notebook;
- :mod:`.grading` - autograde everyone in parallel, with the same scores as serial nbgrader;
- :mod:`.checks` - exercise checks judged outside the trainee's kernel, on plain data;
- :mod:`.sandbox` - the sandbox a trainee's notebook kernel runs in;
- :mod:`.nbgrader_steps` - the grading steps the course's nbgrader_config.py switches on;
- :mod:`.feedback_pages` - per-trainee HTML feedback that shows no hidden test;
- :mod:`.class_report` - the grades CSV and a class report with plots;
- :mod:`.completion` - a trainee's completion summary, collected into the class report.

The command line is ``htcds-learn course build|collect|grade|feedback|report``.

The names below load on first use: an exercise's check cells import :mod:`.checks` inside a
trainee's kernel, which must not pay for nbgrader and the grading machinery.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "ClassReport": "class_report", "report": "class_report",
    "Person": "roster", "Roster": "roster", "read_roster": "roster",
    "completion_summary": "completion", "read_completions": "completion",
    "feedback": "feedback_pages",
    "GradingRun": "grading", "SubmissionResult": "grading", "grade": "grading",
    "build": "handout",
    "inspect_submission": "inspect",
    "CollectReport": "intake", "collect": "intake", "read_intake": "intake",
    "Course": "layout", "CourseError": "layout",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))
