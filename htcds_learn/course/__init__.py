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
- :mod:`.feedback_pages` - per-trainee HTML feedback that shows no hidden test;
- :mod:`.class_report` - the grades CSV and a class report with plots;
- :mod:`.completion` - a trainee's completion summary, collected into the class report.

The command line is ``htcds-learn course build|collect|grade|feedback|report``.
"""

from __future__ import annotations

from .class_report import ClassReport, report
from .completion import completion_summary, read_completions
from .feedback_pages import feedback
from .grading import GradingRun, SubmissionResult, grade
from .handout import build
from .inspect import inspect_submission
from .intake import CollectReport, collect, read_intake
from .layout import Course, CourseError
from .roster import Person, Roster, read_roster

__all__ = [
    "ClassReport", "CollectReport", "Course", "CourseError", "GradingRun", "Person", "Roster",
    "SubmissionResult", "build", "collect", "completion_summary", "feedback", "grade",
    "inspect_submission", "read_completions", "read_intake", "read_roster", "report",
]
