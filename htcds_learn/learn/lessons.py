"""The course manifest: lessons, exercises, tracks, topics, times and agendas, in one file.

Everything here is read from ``htcds_learn/data/course.json``. The README's course map, the
facilitator guide's agendas, the completion summaries and the tests all read it from here, so
a lesson's title, time or track is written down once.

>>> [lesson.notebook for lesson in LESSONS][:2]
['00-welcome.ipynb', '01-meet-htcds.ipynb']
>>> lesson("01").exercise
'ex01-htcds-basics'
>>> exercise("ex01-htcds-basics").lessons
('01',)
>>> [t.id for t in TRACKS]
['core', 'data-officer']
>>> time_line(Lesson("99", "example", "An example", self_paced=20, workshop=35))
'*About 20 minutes on your own, or 35 minutes in a workshop.*'
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

MANIFEST = Path(__file__).resolve().parents[1] / "data" / "course.json"


@dataclass(frozen=True)
class Track:
    id: str
    title: str
    description: str


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    description: str


@dataclass(frozen=True)
class Exercise:
    """A graded nbgrader assignment (``exercises/source/<name>/``)."""

    name: str
    title: str
    lessons: tuple[str, ...]
    tracks: tuple[str, ...]
    self_paced: int
    workshop: int
    points: Mapping[str, float]  # points per topic, manual points included
    manual_points: float = 0
    # files the trainee edits and hands in with the notebook (a workbook): graded as handed in
    trainee_files: tuple[str, ...] = ()

    @property
    def total_points(self) -> float:
        return sum(self.points.values())

    @property
    def auto_points(self) -> float:
        """The points nbgrader gives by itself; the rest wait for a trainer."""
        return self.total_points - self.manual_points

    @property
    def minutes(self) -> int:
        return self.self_paced


@dataclass(frozen=True)
class Lesson:
    """A lesson notebook (``notebooks/<number>-<slug>.ipynb``)."""

    number: str
    slug: str
    title: str
    self_paced: int
    workshop: int
    tracks: tuple[str, ...] = ("core", "data-officer")
    topics: tuple[str, ...] = ()
    exercises: tuple[str, ...] = ()
    teaches_code: bool = False

    @property
    def notebook(self) -> str:
        return f"{self.number}-{self.slug}.ipynb"

    @property
    def minutes(self) -> int:
        """The self-paced time (the shorter of the two)."""
        return self.self_paced

    @property
    def exercise(self) -> str:
        """The lesson's first exercise, or '' when it has none."""
        return self.exercises[0] if self.exercises else ""


@dataclass(frozen=True)
class AgendaItem:
    kind: str  # lesson, exercise, break, lunch or session
    title: str
    minutes: int
    start: str  # "09:00"
    ref: str = ""  # the lesson number or exercise name


@dataclass(frozen=True)
class Agenda:
    id: str
    title: str
    track: str
    description: str
    before: tuple[str, ...]
    days: tuple[tuple[AgendaItem, ...], ...]
    after: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())


def _read_manifest(path: Path = MANIFEST) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


COURSE: dict[str, Any] = _read_manifest()
TIMING: Mapping[str, Any] = MappingProxyType(COURSE["timing"])
TRACKS: tuple[Track, ...] = tuple(Track(**t) for t in COURSE["tracks"])
TOPICS: tuple[Topic, ...] = tuple(Topic(**t) for t in COURSE["topics"])
EXERCISES: tuple[Exercise, ...] = tuple(
    Exercise(name=e["name"], title=e["title"], lessons=tuple(e["lessons"]),
             tracks=tuple(e["tracks"]), self_paced=e["self_paced"], workshop=e["workshop"],
             points=MappingProxyType(dict(e["points"])), manual_points=e["manual_points"],
             trainee_files=tuple(e.get("trainee_files", ())))
    for e in COURSE["exercises"])
LESSONS: tuple[Lesson, ...] = tuple(
    Lesson(number=item["number"], slug=item["slug"], title=item["title"],
           self_paced=item["self_paced"], workshop=item["workshop"],
           tracks=tuple(item["tracks"]), topics=tuple(item["topics"]),
           exercises=tuple(e.name for e in EXERCISES if e.lessons[-1] == item["number"]),
           teaches_code=item.get("teaches_code", False))
    for item in COURSE["lessons"])


T = TypeVar("T")


def _find(items: tuple[T, ...], key: str, wanted: str, what: str) -> T:
    """The item whose ``key`` attribute is ``wanted``, or a KeyError listing them all."""
    for item in items:
        if getattr(item, key) == wanted:
            return item
    raise KeyError(f"There is no {what} {wanted!r}. {what.capitalize()}s: "
                   f"{', '.join(getattr(item, key) for item in items)}.")


def lesson(number: str) -> Lesson:
    """Look up a lesson by its number ('00', 'P1')."""
    return _find(LESSONS, "number", number, "lesson")


def exercise(name: str) -> Exercise:
    """Look up an exercise by its assignment name ('ex01-htcds-basics')."""
    return _find(EXERCISES, "name", name, "exercise")


def track(track_id: str) -> Track:
    return _find(TRACKS, "id", track_id, "track")


def in_track(track_id: str) -> list[Lesson | Exercise]:
    """A track's lessons and exercises in course order: each exercise after its last lesson.

    >>> [getattr(step, "number", getattr(step, "name", "")) for step in in_track("core")][:3]
    ['00', '01', 'ex01-htcds-basics']
    """
    track(track_id)
    steps: list[Lesson | Exercise] = []
    for item in LESSONS:
        if track_id in item.tracks:
            steps.append(item)
        steps += [exercise(name) for name in item.exercises if track_id in exercise(name).tracks]
    return steps


def time_line(item: Lesson) -> str:
    """The line under a lesson's title that states its times (checked by the tests)."""
    return (f"*About {item.self_paced} minutes on your own, or {item.workshop} minutes in a "
            f"workshop.*")


_SELF_CHECK = re.compile(r"\s*hl\.(check|single_choice|multiple_choice|number|short_text)\(")


def reading_estimate(notebook: str | Path) -> dict[str, float]:
    """Measure a notebook the way the manifest's timing method says (see ``TIMING``).

    Counts the words a learner reads (trainer cells left out), the code cells they run and the
    self-checks they answer, and turns them into minutes for a reader of English as a second
    language. Graded cells of an exercise count as items.
    """
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    words = code = checks = graded = 0
    for cell in cells:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
            graded += 1
        if cell["cell_type"] == "markdown":
            if not source.lstrip().startswith("### For trainers"):
                words += len(source.split())
        elif cell["cell_type"] == "code" and not cell.get("metadata", {}).get("nbgrader"):
            if _SELF_CHECK.match(source):
                checks += 1
            else:
                code += 1
    minutes = (words / TIMING["words_per_minute"] + code * TIMING["minutes_per_code_cell"]
               + checks * TIMING["minutes_per_self_check"]
               + graded * TIMING["minutes_per_graded_item"])
    return {"words": words, "code_cells": code, "self_checks": checks, "graded_items": graded,
            "minutes": round(minutes, 1)}


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _agenda_item(raw: Mapping[str, Any], start: int) -> AgendaItem:
    if "lesson" in raw:
        item = lesson(raw["lesson"])
        return AgendaItem("lesson", f"{item.number} {item.title}", item.workshop,
                          _clock(start), item.number)
    if "exercise" in raw:
        work = exercise(raw["exercise"])
        return AgendaItem("exercise", f"Exercise {work.name}", work.workshop, _clock(start),
                          work.name)
    for kind in ("break", "lunch"):
        if kind in raw:
            return AgendaItem(kind, raw.get("title", kind.capitalize()), raw[kind],
                              _clock(start))
    return AgendaItem("session", raw["session"], raw["minutes"], _clock(start))


def _agenda(raw: Mapping[str, Any]) -> Agenda:
    days = []
    for day in raw["days"]:
        hours, minutes = (int(part) for part in raw.get("start", "09:00").split(":"))
        clock = hours * 60 + minutes
        items = []
        for entry in day:
            item = _agenda_item(entry, clock)
            items.append(item)
            clock += item.minutes
        items.append(AgendaItem("end", "End of the day", 0, _clock(clock)))
        days.append(tuple(items))
    return Agenda(id=raw["id"], title=raw["title"], track=raw["track"],
                  description=raw["description"], before=tuple(raw.get("before", ())),
                  days=tuple(days), after=tuple(raw.get("after", ())),
                  notes=tuple(raw.get("notes", ())))


AGENDAS: tuple[Agenda, ...] = tuple(_agenda(raw) for raw in COURSE["agendas"])


def step(ref: str) -> Lesson | Exercise:
    """A lesson (by number) or an exercise (by name)."""
    return exercise(ref) if ref.startswith("ex") else lesson(ref)
