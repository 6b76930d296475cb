"""Due dates and a late-penalty policy, applied by nbgrader itself when it grades.

The due date of an exercise is nbgrader's own (``assignment.duedate`` in the gradebook, as
``nbgrader db assignment add --duedate`` sets it); :func:`set_due_date` writes it. nbgrader
then knows how late each submission is from its ``timestamp.txt``, and its
``AssignLatePenalties`` step asks a plugin for the penalty. :class:`LatePenalty` is that plugin:
each started day late takes ``percent_per_day`` % off the notebook's score, up to
``max_percent`` %. The course's ``nbgrader_config.py`` switches it on, so ``nbgrader
autograde`` and ``htcds-learn course grade`` give the same scores; with ``percent_per_day = 0``
(the default) lateness is only reported.

Canvas writes no submission time into its download, only its own ``LATE`` mark; such a
submission is shown as late in the class report, but no time-based penalty can be computed.

>>> LatePenalty(percent_per_day=10, max_percent=30).late_submission_penalty("amina", 8.0, 1)
0.8
>>> LatePenalty(percent_per_day=10, max_percent=30).late_submission_penalty("amina", 8.0, 5 * 86400)
2.4
>>> LatePenalty().late_submission_penalty("amina", 8.0, 86400) is None
True
"""

from __future__ import annotations

import math
from datetime import datetime, timezone

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Float

from .layout import Course, CourseError

DAY = 86400


class LatePenalty(LateSubmissionPlugin):
    """nbgrader late-submission plugin: a percentage of the score per started day late."""

    percent_per_day = Float(0.0, help="Percent of the notebook's score taken off for each "
                                      "started day late (0: no penalty).").tag(config=True)
    max_percent = Float(100.0, help="The most a penalty may take, in percent of the "
                                    "score.").tag(config=True)

    def late_submission_penalty(self, student_id: str, score: float,
                                total_seconds_late: float) -> float | None:
        if self.percent_per_day <= 0 or total_seconds_late <= 0:
            return None
        days = math.ceil(total_seconds_late / DAY)
        share = min(self.percent_per_day * days, self.max_percent) / 100
        return round(score * share, 2)


def parse_due(text: str) -> datetime:
    """A due date such as '2026-11-25 17:00' (UTC unless it names a zone)."""
    from dateutil.parser import ParserError, parse

    try:
        moment = parse(text)
    except (ParserError, ValueError, OverflowError) as error:
        raise CourseError(f"{text!r} is not a date and time.",
                          "Write it like 2026-11-25 17:00 (UTC) or 2026-11-25T17:00+03:00.") \
            from error
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def set_due_date(course: Course, assignment: str, due: datetime | None) -> None:
    """Record (or, with None, remove) an exercise's due date in nbgrader's gradebook."""
    from nbgrader.api import Gradebook

    if assignment not in course.released():
        raise CourseError(f"{assignment} has not been released yet.",
                          "Run 'htcds-learn course build' first.")
    stored = due.astimezone(timezone.utc).replace(tzinfo=None) if due else None
    with Gradebook(course.db_url) as gradebook:
        gradebook.update_or_create_assignment(assignment, duedate=stored)


def due_dates(course: Course) -> dict[str, datetime]:
    """Every exercise's due date (UTC), as the gradebook holds them."""
    from nbgrader.api import Gradebook

    if not course.gradebook_path.exists():
        return {}
    with Gradebook(course.db_url) as gradebook:
        return {a.name: a.duedate.replace(tzinfo=timezone.utc)
                for a in gradebook.assignments if a.duedate}
