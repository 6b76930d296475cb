"""The course map and the workshop agendas, as Markdown, written from the course manifest.

``scripts/build_docs.py`` puts these into the README and the facilitator guide, between
``<!-- BEGIN ... -->`` and ``<!-- END ... -->`` markers, so the times people read are the
manifest's times.

>>> print(course_map_markdown().splitlines()[2])
| # | Lesson | Track | On your own | In a workshop | Exercises |
>>> totals = track_totals("core")
>>> totals["lessons"] > 0 and totals["points"]["ethics"] > 0
True
"""

from __future__ import annotations

from typing import Any

from .lessons import (
    AGENDAS,
    EXERCISES,
    LESSONS,
    TOPICS,
    TRACKS,
    Agenda,
    Exercise,
    in_track,
    step,
)

TRACK_SHORT = {"core": "core", "data-officer": "data officer"}


def _tracks(tracks: tuple[str, ...]) -> str:
    if len(tracks) == len(TRACKS):
        return "both"
    return ", ".join(TRACK_SHORT.get(t, t) for t in tracks)


def _points(work: Exercise) -> str:
    return " / ".join(f"{work.points.get(topic.id, 0):g}" for topic in TOPICS)


def _hours(minutes: float) -> str:
    return f"{int(minutes) // 60} h {int(minutes) % 60:02d} min"


def track_totals(track_id: str) -> dict[str, Any]:
    """Minutes and points of one track: what a trainee on it reads, does and can score."""
    lessons = [item for item in LESSONS if track_id in item.tracks]
    exercises = [item for item in EXERCISES if track_id in item.tracks]
    return {
        "lessons": len(lessons),
        "exercises": len(exercises),
        "self_paced": sum(item.self_paced for item in lessons + exercises),  # type: ignore
        "workshop": sum(item.workshop for item in lessons + exercises),  # type: ignore
        "points": {topic.id: sum(e.points.get(topic.id, 0) for e in exercises)
                   for topic in TOPICS},
        "manual_points": sum(e.manual_points for e in exercises),
    }


def course_map_markdown() -> str:
    """The README's course map: lessons, exercises, tracks, minutes and points per topic."""
    topic_titles = " / ".join(topic.title.lower() for topic in TOPICS)
    lines = [
        "Times are honest estimates for a reader of English as a second language: *on your "
        "own* is self-paced, *in a workshop* is 1.5 to 2 times that.",
        "",
        "| # | Lesson | Track | On your own | In a workshop | Exercises |",
        "|---|---|---|---|---|---|",
    ]
    for item in LESSONS:
        works = ", ".join(f"`{name}`" for name in item.exercises)
        lines.append(f"| {item.number} | [{item.title}](notebooks/{item.notebook}) | "
                     f"{_tracks(item.tracks)} | {item.self_paced} min | {item.workshop} min | "
                     f"{works} |")
    lines += [
        "",
        f"| Exercise | What you do | Track | On your own | In a workshop | Points "
        f"({topic_titles}) | Marked by a trainer |",
        "|---|---|---|---|---|---|---|",
    ]
    for work in EXERCISES:
        lines.append(f"| `{work.name}` | {work.title} | {_tracks(work.tracks)} | "
                     f"{work.self_paced} min | {work.workshop} min | {_points(work)} | "
                     f"{work.manual_points:g} of {work.total_points:g} |")
    lines += ["", "| Track | Lessons | Exercises | On your own | In a workshop | Points "
              f"({topic_titles}) |", "|---|---|---|---|---|---|"]
    for track in TRACKS:
        totals = track_totals(track.id)
        points = " / ".join(f"{totals['points'][topic.id]:g}" for topic in TOPICS)
        lines.append(f"| {track.title} | {totals['lessons']} | {totals['exercises']} | "
                     f"{_hours(totals['self_paced'])} | {_hours(totals['workshop'])} | "
                     f"{points} |")
    return "\n".join(lines)


def tracks_markdown() -> str:
    """For trainers: each track step by step, with its times and points."""
    lines: list[str] = []
    for item in TRACKS:
        totals = track_totals(item.id)
        lines += [f"**{item.title}.** {item.description}", "",
                  "| Step | On your own | In a workshop | Points |", "|---|---|---|---|"]
        for part in in_track(item.id):
            if isinstance(part, Exercise):
                lines.append(f"| exercise `{part.name}`: {part.title} | {part.self_paced} | "
                             f"{part.workshop} | {part.total_points:g} |")
            else:
                lines.append(f"| lesson {part.number} {part.title} | {part.self_paced} | "
                             f"{part.workshop} | |")
        lines += [f"| **Total** | **{_hours(totals['self_paced'])}** | "
                  f"**{_hours(totals['workshop'])}** | "
                  f"**{sum(totals['points'].values()):g}** |", ""]
    return "\n".join(lines).rstrip("\n")


def _refs(refs: tuple[str, ...]) -> str:
    names = []
    for ref in refs:
        item = step(ref)
        if isinstance(item, Exercise):
            names.append(f"exercise `{item.name}` ({item.self_paced} min)")
        else:
            names.append(f"lesson {item.number} *{item.title}* ({item.self_paced} min)")
    return "; ".join(names)


def agenda_markdown(agenda: Agenda) -> str:
    """One agenda: what to do before, a timed table per day with its breaks, what to do after."""
    lines = [f"### {agenda.title}", "", agenda.description, ""]
    if agenda.before:
        minutes = sum(step(ref).self_paced for ref in agenda.before)
        lines += [f"**Before the workshop, on your own** (about {minutes} min): "
                  f"{_refs(agenda.before)}.", ""]
    for number, day in enumerate(agenda.days, start=1):
        if len(agenda.days) > 1:
            lines += [f"**Day {number}**", ""]
        lines += ["| Time | Session | Minutes |", "|---|---|---|"]
        for item in day:
            if item.kind == "end":
                lines.append(f"| {item.start} | End of the day | |")
                continue
            title = f"**{item.title}**" if item.kind in ("break", "lunch") else item.title
            lines.append(f"| {item.start} | {title} | {item.minutes} |")
        lines.append("")
    if agenda.after:
        minutes = sum(step(ref).self_paced for ref in agenda.after)
        lines += [f"**After the workshop, on your own** (about {minutes} min; collect the "
                  f"exercises within two weeks): {_refs(agenda.after)}.", ""]
    lines += [f"- {note}" for note in agenda.notes]
    return "\n".join(lines).rstrip("\n")


def agendas_markdown() -> str:
    """Every agenda of the manifest, for the facilitator guide."""
    return "\n\n".join(agenda_markdown(agenda) for agenda in AGENDAS)
