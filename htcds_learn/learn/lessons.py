"""The course's lessons and exercises, in order: the one place that lists them.

>>> [lesson.notebook for lesson in LESSONS][:2]
['00-welcome.ipynb', '01-meet-htcds.ipynb']
>>> lesson("01").exercise
'ex01-htcds-basics'
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Lesson:
    number: str
    slug: str
    title: str
    minutes: int
    exercise: str = ""

    @property
    def notebook(self) -> str:
        return f"{self.number}-{self.slug}.ipynb"


LESSONS: tuple[Lesson, ...] = (
    Lesson("00", "welcome", "Welcome to htcds-learn", 20),
    Lesson("01", "meet-htcds", "Meet HTCDS", 45, "ex01-htcds-basics"),
    Lesson("02", "synthetic-data", "Synthetic data", 40, "ex02-synthetic-data"),
    Lesson("03", "validation", "Validation", 50, "ex03-validation-rules"),
    Lesson("04", "messy-spreadsheets", "Messy spreadsheets", 50, "ex04-clean-a-dataset"),
    Lesson("05", "data-ethics", "Data ethics", 50, "ex05-ethics-scenarios"),
    Lesson("06", "pseudonymisation", "Pseudonymisation", 45, "ex06-pseudonymise-for-referral"),
    Lesson("07", "safe-sharing", "Safe sharing", 60, "ex07-statistics-release"),
)


def lesson(number: str) -> Lesson:
    """Look up a lesson by its two-digit number."""
    for item in LESSONS:
        if item.number == number:
            return item
    raise KeyError(f"There is no lesson {number!r}. Lessons: "
                   f"{', '.join(item.number for item in LESSONS)}.")
