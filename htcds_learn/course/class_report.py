"""The class report: what an instructor asks after grading, answered on one page.

``reports/class-report.html`` (self-contained, plots embedded) and the CSV tables behind it:

- ``people.csv`` - one row per person and exercise set: score, status, late, feedback page;
- ``exercises.csv`` - per exercise: submitted, mean, median, range, pass rate, late, queues;
- ``checks.csv`` - per check: its description (from the check itself), average points, passed;
- the queues: needs resubmission (damaged, or nbgrader could not grade it at all), waiting
  for manual grading, collected but not matched to a person, integrity flags, and who has no
  feedback page yet (a notebook whose Python stopped part-way keeps the points of the checks
  before it and is listed as graded, with the problem shown);
- the trainees' completion summaries, labelled as self-reported.

People come from the roster when there is one (``roster.csv`` in the course folder, or
``roster``), so each person has one row whatever LMS each exercise came through. Only the
exercises actually set (that anyone submitted, or those named) are counted. Percentages are
of the points that could be scored so far: a manually graded answer counts once a person has
marked it, so an all-correct trainee shows 100 % while their written answer waits.
``reports/grades.csv`` is nbgrader's own export, as before.
"""

from __future__ import annotations

import base64
import html
import io
import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import nbformat
import pandas as pd

from .._util.files import write_text_atomically
from .completion import read_completions
from .grading import RUN_KEY, graded_facts, read_ledger
from .intake import read_intake
from .layout import Course, CourseError
from .roster import Roster, read_roster

SCORE_COLOUR = "#1f6f8b"
MISSED_COLOUR = "#e69f00"
PASS_MARK = 50.0
STATUS_TEXT = {"graded": "graded", "failed": "needs resubmission",
               "manual": "waiting for manual grading", "missing": "not submitted"}


@dataclass
class ClassReport:
    """The tables behind the class report, and where they were written."""

    people: pd.DataFrame  # one row per (person, exercise set)
    exercises: pd.DataFrame  # one row per exercise set
    checks: pd.DataFrame  # one row per check
    completions: pd.DataFrame  # self-reported by trainees
    queues: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)
    protections: str = ""  # the sandbox protections grading could not have, if any

    @property
    def missing(self) -> pd.DataFrame:
        """(trainee, assignment) pairs with no submission, among the exercises set."""
        gone = self.people[self.people["status"] == STATUS_TEXT["missing"]]
        return gone.rename(columns={"person": "trainee", "exercise": "assignment"})[
            ["trainee", "assignment"]].reset_index(drop=True)


def check_descriptions(course: Course, assignment: str) -> dict[str, str]:
    """Each graded cell's description: a check's first comment line ('Check 4: the partner's
    questions.'), or a written answer's task heading."""
    found = {}
    for path in sorted((course.source / assignment).glob("*.ipynb")):
        heading = ""
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
            if cell.cell_type == "markdown" and first.startswith("#") and not meta.get("grade"):
                heading = first.lstrip("#").strip()
            if meta.get("grade") and meta.get("grade_id"):
                if not meta.get("solution") and first.startswith("#"):
                    found[meta["grade_id"]] = first.lstrip("#").strip()
                else:
                    found[meta["grade_id"]] = heading or meta["grade_id"]
    return found


def _protections(ledger: dict) -> str:
    """The sentence naming the sandbox protections the last grading run could not have."""
    run = ledger.get(RUN_KEY)
    if run is not None:
        return run.get("protections", "")
    from .sandbox import machine  # graded by nbgrader itself, in this folder, on this machine

    return machine().missing_sentence()


def _exercises_set(course: Course, assignments: list[str] | None) -> list[str]:
    if assignments:
        return course.check_assignments(assignments)
    known = course.assignments()
    return [a for a in known if any(course.submitted.glob(f"*/{a}"))
            or read_intake(course, a)["people"]]


def _gradebook_rows(course: Course, exercises: list[str]) -> tuple[dict, list[dict]]:
    """(person, exercise) -> submission facts, and one row per autograded check."""
    from nbgrader.api import Gradebook

    subs, checks = {}, []
    with Gradebook(course.db_url) as gradebook:
        known = {a.name for a in gradebook.assignments}
        for exercise in exercises:
            if exercise not in known:
                continue
            for submission in gradebook.assignment_submissions(exercise):
                who = submission.student.id
                possible = waiting = auto = 0.0
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        marked = grade.manual_score is not None or grade.auto_score is not None
                        if marked:
                            possible += grade.max_score
                        elif grade.needs_manual_grade:
                            waiting += grade.max_score
                        if grade.auto_score is not None:
                            auto += grade.max_score
                            checks.append({"exercise": exercise, "check": grade.name,
                                           "person": who, "score": float(grade.score),
                                           "points": float(grade.max_score)})
                subs[(who, exercise)] = {
                    "score": float(submission.score),
                    "penalty": float(submission.late_submission_penalty or 0.0),
                    "max_score": float(submission.max_score), "possible": possible,
                    "waiting": waiting,
                    "seconds_late": float(submission.total_seconds_late or 0.0),
                    "timestamp": submission.timestamp}
    return subs, checks


def _people_ids(roster: Roster | None, subs: dict, exercises: list[str], course: Course,
                completions: pd.DataFrame) -> list[str]:
    if roster is not None and len(roster):
        return roster.ids
    found = {who for who, _ in subs} | set(completions["trainee"])
    for exercise in exercises:
        found |= {p.parent.name for p in course.submitted.glob(f"*/{exercise}")}
    return sorted(found)


def _feedback_link(course: Course, who: str, exercise: str) -> str:
    pages = sorted((course.feedback / who / exercise).glob("*.html"))
    return os.path.relpath(pages[0], course.reports).replace(os.sep, "/") if pages else ""


def _tables(course: Course, roster: Roster | None, exercises: list[str],
            completions: pd.DataFrame, pass_mark: float, ledger: dict):
    subs, check_rows = _gradebook_rows(course, exercises)
    intake = {e: read_intake(course, e) for e in exercises}
    ids = _people_ids(roster, subs, exercises, course, completions)
    rows = []
    for who in ids:
        person = roster.get(who) if roster else None
        for exercise in exercises:
            record = intake[exercise]["people"].get(who, {})
            name = (person.name if person and person.name else "") or record.get("name") or ""
            facts = subs.get((who, exercise))
            entry = ledger.get(f"{exercise}/{who}", {})
            sent = (course.submitted / who / exercise).is_dir() or facts is not None
            if not sent:
                status = "missing"
            elif entry.get("status") == "failed" or (facts is None and entry):
                status = "failed"
            elif facts is None:
                status = "not graded yet"
            elif facts["waiting"] > 0:
                status = "manual"
            else:
                status = "graded"
            score = None if facts is None or status == "failed" else \
                max(0.0, facts["score"] - facts["penalty"])
            possible = facts["possible"] if facts else None
            late_lms = record.get("late")
            late = bool(late_lms) or bool(facts and facts["seconds_late"] > 0)
            rows.append({
                "person": who, "name": name, "exercise": exercise,
                "status": STATUS_TEXT.get(status, status),
                "score": score, "points_possible": possible,
                "percent": round(100 * score / possible, 1) if score is not None and possible
                else None,
                "points_waiting": facts["waiting"] if facts else 0.0,
                "late": late, "late_by": (f"{facts['seconds_late'] / 3600:.1f} h"
                                          if facts and facts["seconds_late"] > 0 else
                                          "LMS says late" if late_lms else ""),
                "late_penalty": facts["penalty"] if facts else 0.0,
                "feedback": _feedback_link(course, who, exercise) if sent else "",
                "problems": " | ".join(entry.get("problems", [])),
            })
    people = pd.DataFrame(rows, columns=[
        "person", "name", "exercise", "status", "score", "points_possible", "percent",
        "points_waiting", "late", "late_by", "late_penalty", "feedback", "problems"])

    summary = []
    for exercise in exercises:
        mine = people[people["exercise"] == exercise]
        sent = mine[mine["status"] != "not submitted"]
        values = mine["percent"].dropna()
        summary.append({
            "exercise": exercise, "people": len(mine), "submitted": len(sent),
            "graded": int(values.size),
            "mean": round(values.mean(), 1) if values.size else None,
            "median": round(values.median(), 1) if values.size else None,
            "min": values.min() if values.size else None,
            "max": values.max() if values.size else None,
            "pass_rate": round(100 * (values >= pass_mark).mean(), 1) if values.size else None,
            "late": int(mine["late"].sum()),
            "needs_resubmission": int((mine["status"] == "needs resubmission").sum()),
            "waiting_manual": int((mine["status"] == "waiting for manual grading").sum()),
        })
    exercise_table = pd.DataFrame(summary, columns=[
        "exercise", "people", "submitted", "graded", "mean", "median", "min", "max",
        "pass_rate", "late", "needs_resubmission", "waiting_manual"])

    per_check = pd.DataFrame(check_rows, columns=["exercise", "check", "person", "score",
                                                  "points"])
    failed = set(zip(people.loc[people["status"] == "needs resubmission", "person"],
                     people.loc[people["status"] == "needs resubmission", "exercise"]))
    per_check = per_check[[(p, e) not in failed for p, e in zip(per_check["person"],
                                                                  per_check["exercise"])]]
    per_check = per_check.assign(passed=per_check["score"] >= per_check["points"])
    checks = (per_check.groupby(["exercise", "check"], sort=False)
              .agg(graded=("passed", "size"), passed=("passed", "sum"),
                   points=("points", "first"), average_points=("score", "mean"))
              .reset_index())
    descriptions = {e: check_descriptions(course, e) for e in exercises}
    checks.insert(2, "description", [descriptions[e].get(c, c) for e, c in
                                     zip(checks["exercise"], checks["check"])])
    checks["average_points"] = checks["average_points"].round(2)
    checks["passed_share"] = (checks["passed"] / checks["graded"]).round(3)
    checks = checks.sort_values(["passed_share", "exercise", "check"],
                                ignore_index=True)
    return people, exercise_table, checks, intake, subs


def _queues(people: pd.DataFrame, intake: dict, course: Course) -> dict[str, pd.DataFrame]:
    cols = ["person", "name", "exercise"]
    resubmit = people[people["status"] == "needs resubmission"][cols + ["problems"]]
    manual = people[people["status"] == "waiting for manual grading"][cols + ["points_waiting"]]
    unmatched, flags = [], []
    for exercise, record in intake.items():
        for source, run in record.get("sources", {}).items():
            for path, reason in run.get("unmatched", []) + [
                    (p, f"skipped, {r}") for p, r in run.get("skipped", [])]:
                unmatched.append({"exercise": exercise, "source": source, "file": path,
                                  "reason": reason})
            for who, what in run.get("flags", []):
                flags.append({"person": who, "exercise": exercise, "flag": what})
    for folder in sorted(p for p in course.autograded.glob("*/*") if p.is_dir()):
        for flag in graded_facts(folder)[1]:
            flags.append({"person": folder.parent.name, "exercise": folder.name, "flag": flag})
    for row in people.itertuples():
        for problem in (row.problems or "").split(" | "):
            if re.search(r"changed|edited|unlocked|points|tamper", problem, re.I) and \
                    "time limit" not in problem:
                flags.append({"person": row.person, "exercise": row.exercise, "flag": problem})
    sent = people[people["status"].isin(["graded", "waiting for manual grading",
                                         "needs resubmission"])]
    no_page = sent[sent["feedback"] == ""][cols + ["status"]]
    late = people[people["late"]][cols + ["late_by", "late_penalty"]]
    return {"needs resubmission": resubmit.reset_index(drop=True),
            "waiting for manual grading": manual.reset_index(drop=True),
            "collected but not matched": pd.DataFrame(unmatched, columns=[
                "exercise", "source", "file", "reason"]),
            "integrity flags": pd.DataFrame(flags, columns=["person", "exercise", "flag"]),
            "late": late.reset_index(drop=True),
            "no feedback page": no_page.reset_index(drop=True)}


def _check_completions(done: pd.DataFrame, subs: dict, folder: Path | None) -> list[str]:
    """Sentences for summaries whose exercise scores differ from the gradebook."""
    notes: list[str] = []
    if folder is None:
        return notes
    for path in sorted(Path(folder).glob("*.json")):
        try:
            data = json.loads(path.read_text("utf-8"))
            who = str(data["trainee"])
            for item in data.get("exercises", []):
                facts = subs.get((who, item["assignment"]))
                if facts is None or abs(facts["score"] - float(item["score"])) > 1e-6:
                    real = "no graded submission" if facts is None else \
                        f"{facts['score']:g}/{facts['max_score']:g}"
                    notes.append(f"{path.name}: {who} claims {float(item['score']):g}/"
                                 f"{float(item['max_score']):g} on {item['assignment']}; the "
                                 f"gradebook has {real}.")
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
    return notes


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def score_distribution(people: pd.DataFrame, pass_mark: float = PASS_MARK):
    """One row per exercise: each person's score as a dot, the median as a bar."""
    from matplotlib.figure import Figure

    names = sorted(people["exercise"].unique())
    figure = Figure(figsize=(8, 0.6 * len(names) + 1.6), layout="constrained")
    axes = figure.subplots()
    for row, name in enumerate(names):
        values = people.loc[people["exercise"] == name, "percent"].dropna()
        jitter = [((i * 37) % 11 - 5) / 40 for i in range(len(values))]  # fixed, not random
        axes.scatter(values, [row + j for j in jitter], color=SCORE_COLOUR, alpha=0.6, s=18)
        if len(values):
            axes.plot([values.median()] * 2, [row - 0.35, row + 0.35], color="black", lw=2)
    axes.axvline(pass_mark, color="#999999", ls="--", lw=1)
    axes.set_yticks(range(len(names)), names)
    axes.set_xlim(-5, 105)
    axes.invert_yaxis()
    axes.set_title("Scores per exercise: a dot per person, a bar at the median")
    axes.set_xlabel(f"Score (% of the points that could be scored so far); dashed line: pass "
                    f"mark {pass_mark:g} %")
    return figure


def most_missed(checks: pd.DataFrame, *, top: int = 10):
    """The checks the fewest people passed, labelled with their descriptions."""
    from matplotlib.figure import Figure

    shown = checks[checks["passed_share"] < 1].head(top).iloc[::-1]
    figure = Figure(figsize=(9, 0.45 * len(shown) + 1.6), layout="constrained")
    axes = figure.subplots()
    labels = [f"{e[:4]} · {d[:60]}" for e, d in zip(shown["exercise"], shown["description"])]
    axes.barh(labels, 100 * (1 - shown["passed_share"]), color=MISSED_COLOUR)
    axes.set_xlim(0, 100)
    axes.set_title(f"The {len(shown)} checks most often missed")
    axes.set_xlabel("People who did not pass the check (%)")
    return figure


HEADINGS = {"mean": "mean %", "median": "median %", "min": "lowest %", "max": "highest %",
            "pass_rate": "passed %", "passed_share": "passed %", "graded": "graded",
            "average_points": "average points", "points_waiting": "points to mark",
            "late_by": "late by", "late_penalty": "penalty (points)"}


def _table(frame: pd.DataFrame, empty: str, links: str | None = None) -> str:
    if frame.empty:
        return f'<p class="empty">{html.escape(empty)}</p>'
    shown = frame.copy()
    if "passed_share" in shown:
        shown["passed_share"] = (100 * shown["passed_share"]).round(1)
    shown = shown.rename(columns=lambda c: HEADINGS.get(c, c.replace("_", " ")))
    if links and links in shown:
        shown[links] = [f'<a href="{html.escape(href)}">open</a>' if href else "none"
                        for href in shown[links]]
    return shown.to_html(index=False, border=0, classes="table", na_rep="",
                         escape=links is None, float_format=lambda v: f"{v:g}")


def _grid(people: pd.DataFrame, exercises: list[str]) -> pd.DataFrame:
    """One row per person, one column per exercise: the percent, or what is wrong."""
    cells: dict[tuple[str, str], dict[str, str]] = {}
    for row in people.itertuples():
        if row.status == "not submitted":
            text = "—"
        elif row.status == "needs resubmission":
            text = "resubmit"
        elif row.percent is None or pd.isna(row.percent):
            text = row.status
        else:
            text = f"{row.percent:g} %"
            if row.points_waiting:
                text += f" (+{row.points_waiting:g} pts to mark)"
        if row.late:
            text += " · late"
        link = (f' <a href="{html.escape(row.feedback)}">feedback</a>' if row.feedback else "")
        cells.setdefault((row.person, row.name), {})[row.exercise] = html.escape(text) + link
    grid = pd.DataFrame([{"person": p, "name": html.escape(n), **values}
                         for (p, n), values in cells.items()],
                        columns=["person", "name", *exercises])
    return grid


STYLE = """
body{font-family:system-ui,sans-serif;max-width:72em;margin:1.5em auto;padding:0 1em;
 color:#1b1b1b;line-height:1.4}
h1{margin-bottom:.2em} h2{margin-top:1.6em;border-bottom:2px solid #1f6f8b;padding-bottom:.2em}
.lead{color:#444}
.cards{display:flex;flex-wrap:wrap;gap:.6em;margin:1em 0}
.card{border:1px solid #ccd;border-radius:6px;padding:.5em .8em;min-width:8.5em;background:#f6f8fa}
.card b{display:block;font-size:1.6em}
.card.warn{background:#fff4e5;border-color:#e69f00}
.warning{background:#fff4e5;border-left:4px solid #e69f00;padding:.5em .8em}
table{border-collapse:collapse;margin:.5em 0;font-size:.95em}
td,th{padding:.25em .6em;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
th{background:#eef3f6}
img{max-width:100%}
.empty{color:#2e7d32}
.note{background:#f6f8fa;border-left:4px solid #1f6f8b;padding:.4em .8em}
"""


def _page(report: ClassReport, course: Course, exercises: list[str], pass_mark: float,
          people_count: int) -> str:
    people, queues = report.people, report.queues
    graded = int((people["percent"].notna()).sum())
    cards = [("people", people_count, False), ("exercises set", len(exercises), False),
             ("graded", graded, False),
             ("need resubmission", len(queues["needs resubmission"]), True),
             ("waiting for manual grading", len(queues["waiting for manual grading"]), True),
             ("files not matched", len(queues["collected but not matched"]), True),
             ("integrity flags", len(queues["integrity flags"]), True),
             ("late", len(queues["late"]), True)]
    card_html = "".join(
        f'<div class="card{" warn" if warn and n else ""}"><b>{n}</b>{html.escape(label)}</div>'
        for label, n, warn in cards)
    made = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    parts = [f"<h1>Class report: {html.escape(course.root.name)}</h1>",
             f'<p class="lead">Made {made}. Exercises set: {html.escape(", ".join(exercises))}. '
             f"Scores are % of the points that could be scored so far (written answers count "
             f"once marked); pass mark {pass_mark:g} %. All data in the exercises is "
             "synthetic.</p>",
             (f'<p class="warning"><strong>Protections missing while grading:</strong> '
              f"{html.escape(report.protections)}</p>" if report.protections else ""),
             f'<div class="cards">{card_html}</div>',
             "<h2>Exercises</h2>", _table(report.exercises, "No exercise has submissions.")]
    if people["percent"].notna().any():
        parts.append(f'<img alt="Scores per exercise" src="data:image/png;base64,'
                     f'{_png(score_distribution(people, pass_mark))}">')
    parts += ["<h2>Each person</h2>",
              "<p>— not submitted · resubmit: the notebook could not be graded · late: after "
              "the due date, or marked late by the LMS.</p>",
              _grid(people, exercises).to_html(index=False, border=0, escape=False,
                                                classes="table")]
    parts += ["<h2>Checks</h2>"]
    if (report.checks["passed_share"] < 1).any():
        parts.append(f'<img alt="Checks most often missed" src="data:image/png;base64,'
                     f'{_png(most_missed(report.checks))}">')
    parts.append(_table(report.checks, "No automatic checks have run yet."))
    hints = {
        "needs resubmission": "These notebooks could not be graded (damaged, or the code "
                              "crashed Python). Ask for a new copy, collect it and grade again.",
        "waiting for manual grading": "Mark these in Formgrader: open JupyterLab inside the "
                                      "course folder (see the guide), menu Nbgrader > "
                                      "Formgrader.",
        "collected but not matched": "Files the last collect could not give to a person. "
                                     "Rename the file as <id>/<notebook>.ipynb in a folder and "
                                     "collect that folder, or add the person to the roster.",
        "integrity flags": "Things to look at before you trust a score.",
        "late": "After the due date, or marked late by the LMS.",
        "no feedback page": "Run 'course feedback'; a submission that failed gets a page "
                            "that says why.",
    }
    empty = {"needs resubmission": "Every submission could be graded.",
             "waiting for manual grading": "Nothing is waiting for a person to grade.",
             "collected but not matched": "Every collected file was matched to a person.",
             "integrity flags": "Nothing was flagged.", "late": "Nothing was late.",
             "no feedback page": "Everyone who submitted has a feedback page."}
    for name, frame in queues.items():
        parts += [f"<h2>{html.escape(name.capitalize())} ({len(frame)})</h2>",
                  f'<p class="note">{html.escape(hints[name])}</p>', _table(frame, empty[name])]
    parts.append("<h2>Lessons completed (self-reported by the trainees, not checked)</h2>")
    parts.append(_table(report.completions.rename(columns={
        "lessons_completed": "lessons completed (self-reported)",
        "self_checks_passed": "self-checks passed (self-reported)"}),
        "No completion summaries were given (course report --completions FOLDER)."))
    if report.problems:
        parts += ["<h2>Notes</h2><ul>"]
        parts += [f"<li>{html.escape(problem)}</li>" for problem in report.problems]
        parts += ["</ul>"]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>Class report: {html.escape(course.root.name)}</title>"
            f"<style>{STYLE}</style></head><body>\n" + "\n".join(parts) + "\n</body></html>\n")


def report(course: Course, *, roster: Roster | Path | str | list[str] | None = None,
           completions: Path | str | None = None, assignments: list[str] | None = None,
           pass_mark: float = PASS_MARK) -> ClassReport:
    """Write ``reports/grades.csv``, ``reports/class-report.html`` and the CSVs behind it.

    ``roster``: a :class:`~.roster.Roster`, its file, or a list of ids (default: the course
    folder's ``roster.csv`` if there is one); ``completions``: a folder of completion
    summaries (``htcds-learn progress --completion``); ``assignments``: the exercises set
    (default: those anyone submitted); ``pass_mark``: in percent.
    """
    if not course.gradebook_path.exists():
        raise CourseError(f"{course.root} has no gradebook yet.",
                          "Run 'htcds-learn course build' and 'course grade' first.")
    if roster is None and (course.root / "roster.csv").is_file():
        roster = course.root / "roster.csv"
    if isinstance(roster, (str, Path)):
        roster = read_roster(roster)
    elif isinstance(roster, list):
        from .roster import Person

        roster = Roster([Person(who) for who in roster])
    course.reports.mkdir(parents=True, exist_ok=True)
    grades = course.reports / "grades.csv"
    staged = course.reports / ".grades.csv.tmp"
    course.nbgrader("export", "--to", str(staged))
    os.replace(staged, grades)

    done = pd.DataFrame(columns=["trainee", "lessons_completed", "lessons_total",
                                 "self_checks_passed", "summary_made_at"])
    problems: list[str] = []
    if completions is not None:
        done, problems = read_completions(completions)
    exercises = _exercises_set(course, assignments)
    ledger = read_ledger(course)
    people, exercise_table, checks, intake, subs = _tables(course, roster, exercises, done,
                                                           pass_mark, ledger)
    problems += _check_completions(done, subs, Path(completions) if completions else None)
    result = ClassReport(people, exercise_table, checks, done, {}, problems,
                         protections=_protections(ledger))
    result.queues = _queues(people, intake, course)
    people_count = len(roster) if roster is not None and len(roster) else \
        people["person"].nunique()
    for name, frame in (("people", people), ("exercises", exercise_table), ("checks", checks),
                        *[(key.replace(" ", "-"), frame) for key, frame in
                          result.queues.items()]):
        path = course.reports / f"{name}.csv"
        write_text_atomically(path, frame.to_csv(index=False))
        result.files[name] = path
    page = course.reports / "class-report.html"
    write_text_atomically(page, _page(result, course, exercises, pass_mark, people_count))
    result.files.update({"grades": grades, "class-report": page})
    return result
