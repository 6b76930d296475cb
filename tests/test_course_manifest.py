"""The course manifest (htcds_learn/data/course.json) tells the truth about the course.

Every lesson and exercise it lists exists and every one that exists is listed; its points are
the notebooks' points; its times are at least what the notebooks take to read and do, and the
workshop times are 1.5 to 2 times the self-paced ones; its agendas have breaks, fit a day and
hold every step of their track once.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from htcds_learn.learn import course_plan
from htcds_learn.learn.lessons import (
    AGENDAS,
    EXERCISES,
    LESSONS,
    TIMING,
    TOPICS,
    TRACKS,
    Exercise,
    in_track,
    reading_estimate,
    step,
)

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "exercises" / "source"
LONGEST_BLOCK = 90  # minutes of teaching between two breaks
LAST_FINISH = "17:30"


def notebook_points(name: str) -> tuple[float, float]:
    """(all points, manually graded points) of an exercise, from nbgrader's cell metadata."""
    total = manual = 0.0
    for path in (SOURCE / name).glob("*.ipynb"):
        for cell in json.loads(path.read_text("utf-8"))["cells"]:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("grade"):
                total += meta.get("points", 0)
                manual += meta.get("points", 0) if meta.get("solution") else 0
    return total, manual


def test_every_lesson_and_exercise_is_listed_once_and_exists():
    assert sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb")) == sorted(
        lesson.notebook for lesson in LESSONS)
    assert sorted(p.name for p in SOURCE.iterdir() if p.is_dir()) == sorted(
        e.name for e in EXERCISES)
    numbers = [lesson.number for lesson in LESSONS]
    assert len(set(numbers)) == len(numbers)
    for work in EXERCISES:
        assert work.lessons and all(n in numbers for n in work.lessons), work.name


def test_tracks_and_topics_are_known():
    track_ids = {t.id for t in TRACKS}
    topic_ids = {t.id for t in TOPICS}
    for item in [*LESSONS, *EXERCISES]:
        assert item.tracks and set(item.tracks) <= track_ids, item
        assert set(item.topics if hasattr(item, "topics") else item.points) <= topic_ids, item


@pytest.mark.parametrize("work", EXERCISES, ids=lambda e: e.name)
def test_points_per_topic_add_up_to_the_notebooks_points(work: Exercise):
    total, manual = notebook_points(work.name)
    assert work.total_points == total, (
        f"{work.name}: the manifest gives {work.total_points:g} points, the notebook {total:g}")
    assert work.manual_points == manual, (
        f"{work.name}: {work.manual_points:g} manual points in the manifest, {manual:g} in "
        "the notebook")


def close_to(value: float, low: float, high: float, slack: float = 2.5) -> bool:
    return low - slack <= value <= high + slack


@pytest.mark.parametrize("item", [*LESSONS, *EXERCISES],
                         ids=lambda i: getattr(i, "number", getattr(i, "name", "")))
def test_times_are_honest(item):
    """Self-paced time covers the measured reading and doing; a workshop takes 1.5-2 times it."""
    if isinstance(item, Exercise):
        paths = list((SOURCE / item.name).glob("*.ipynb"))
    else:
        paths = [ROOT / "notebooks" / item.notebook]
    measured = sum(reading_estimate(path)["minutes"] for path in paths)
    assert item.self_paced >= measured, (
        f"{item}: {item.self_paced} minutes on your own, but reading and doing it takes "
        f"about {measured:.0f} by the manifest's method")
    if not isinstance(item, Exercise):  # a lesson's time is not padded either
        assert item.self_paced <= max(2 * measured, measured + 15), (item, measured)
    low, high = TIMING["workshop_factor"]
    assert close_to(item.workshop, low * item.self_paced, high * item.self_paced), (
        f"{item}: {item.workshop} minutes in a workshop is not 1.5 to 2 times "
        f"{item.self_paced}")


def minutes(clock: str) -> int:
    hours, mins = clock.split(":")
    return int(hours) * 60 + int(mins)


@pytest.mark.parametrize("agenda", AGENDAS, ids=lambda a: a.id)
def test_agendas_have_breaks_fit_a_day_and_cover_their_track(agenda):
    seen: list[str] = [*agenda.before, *agenda.after]
    for day in agenda.days:
        kinds = [item.kind for item in day]
        assert kinds.count("lunch") == 1, "every day has one lunch"
        assert minutes(day[-1].start) <= minutes(LAST_FINISH), f"the day ends at {day[-1].start}"
        block = 0
        for item in day:
            if item.kind in ("break", "lunch", "end"):
                assert item.kind == "end" or item.minutes >= 15
                block = 0
                continue
            block += item.minutes
            assert block <= LONGEST_BLOCK, (
                f"{agenda.id}: {block} minutes without a break, up to {item.title}")
            if item.ref:
                seen.append(item.ref)
                assert item.minutes == step(item.ref).workshop
    wanted = [getattr(s, "number", getattr(s, "name", "")) for s in in_track(agenda.track)]
    assert sorted(seen) == sorted(wanted), (
        f"{agenda.id}: each lesson and exercise of the {agenda.track} track appears once, "
        f"in the room, before or after")
    for ref in [*agenda.before, *agenda.after]:
        assert agenda.track in step(ref).tracks


def test_agenda_steps_keep_the_course_order():
    for agenda in AGENDAS:
        order = [getattr(s, "number", getattr(s, "name", "")) for s in in_track(agenda.track)]
        in_room = [item.ref for day in agenda.days for item in day if item.ref]
        positions = [order.index(ref) for ref in in_room]
        assert positions == sorted(positions), f"{agenda.id} teaches out of order"


def test_the_readme_and_the_guide_show_the_manifest():
    readme = (ROOT / "README.md").read_text("utf-8")
    guide = (ROOT / "trainers" / "README.md").read_text("utf-8")
    assert course_plan.course_map_markdown() in readme
    assert course_plan.agendas_markdown() in guide
    for lesson in LESSONS:
        assert re.search(rf"\| {re.escape(lesson.number)} \| \[{re.escape(lesson.title)}\]"
                         rf"\(notebooks/{re.escape(lesson.notebook)}\) \|", readme)


def test_files_trainees_hand_in_are_shipped_and_up_to_date():
    for work in EXERCISES:
        for name in work.trainee_files:
            assert (SOURCE / work.name / name).is_file(), (work.name, name)
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_exercise_files.py"),
                             "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
