"""The grades CSV and a class report with plots, for the instructor after grading.

``reports/grades.csv`` is nbgrader's own export. ``reports/class-report.html`` is one
self-contained page (plots embedded) with: the score distribution per exercise, the checks
most often missed, who has not submitted what, any problems grading reported, and the
trainees' completion summaries when they are given. The tables behind it are written as CSV
beside it.
"""

from __future__ import annotations

import base64
import html
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..progress import write_text_atomically
from .completion import read_completions
from .grading import LEDGER
from .layout import Course, CourseError

SCORE_COLOUR = "#1f6f8b"
MISSED_COLOUR = "#e69f00"


@dataclass
class ClassReport:
    """The tables behind the class report, and where it was written."""

    scores: pd.DataFrame  # one row per (trainee, assignment) submitted
    checks: pd.DataFrame  # one row per automatically graded check
    missing: pd.DataFrame  # (trainee, assignment) with no submission
    completions: pd.DataFrame
    problems: list[str] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)


def read_roster(path: Path | str) -> list[str]:
    """Trainee ids from a text file (one per line) or a CSV with an ``id`` column."""
    path = Path(path)
    try:
        if path.suffix.lower() == ".csv":
            frame = pd.read_csv(path, dtype=str)
            if "id" not in frame.columns:
                raise CourseError(f"{path} has no 'id' column (it has: "
                                  f"{', '.join(frame.columns)}).",
                                  "Name the column of trainee ids 'id', as nbgrader does.")
            return frame["id"].dropna().str.strip().tolist()
        return [line.strip() for line in path.read_text("utf-8").splitlines() if line.strip()]
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise CourseError(f"Could not read the roster {path}: {error}.",
                          "Give a text file with one trainee id per line.") from error


def _tables(course: Course, roster: list[str]) -> tuple[pd.DataFrame, pd.DataFrame,
                                                         pd.DataFrame]:
    from nbgrader.api import Gradebook

    scores, checks = [], []
    with Gradebook(course.db_url) as gradebook:
        students = sorted({s.id for s in gradebook.students} | set(roster))
        assignments = [a.name for a in gradebook.assignments]
        submitted = set()
        for assignment in assignments:
            for submission in gradebook.assignment_submissions(assignment):
                student = submission.student.id
                submitted.add((student, assignment))
                scores.append({"trainee": student, "assignment": assignment,
                               "score": float(submission.score),
                               "max_score": float(submission.max_score),
                               "needs_manual_grade": bool(submission.needs_manual_grade)})
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        if grade.auto_score is None:  # a written answer, graded by a person
                            continue
                        checks.append({"assignment": assignment, "check": grade.name,
                                       "trainee": student, "score": float(grade.score),
                                       "max_score": float(grade.max_score)})
    scores = pd.DataFrame(scores, columns=["trainee", "assignment", "score", "max_score",
                                           "needs_manual_grade"])
    scores["percent"] = (100 * scores["score"] / scores["max_score"].where(
        scores["max_score"] > 0)).round(1)
    per_check = pd.DataFrame(checks, columns=["assignment", "check", "trainee", "score",
                                              "max_score"])
    per_check["missed"] = per_check["score"] < per_check["max_score"]
    summary = (per_check.groupby(["assignment", "check"], sort=False)
               .agg(submissions=("missed", "size"), missed=("missed", "sum"),
                    points=("max_score", "first"))
               .reset_index())
    summary["missed_share"] = (summary["missed"] / summary["submissions"]).round(3)
    summary = summary.sort_values(["missed_share", "assignment", "check"],
                                  ascending=[False, True, True], ignore_index=True)
    missing = pd.DataFrame([{"trainee": s, "assignment": a} for s in students
                            for a in assignments if (s, a) not in submitted],
                           columns=["trainee", "assignment"])
    return scores, summary, missing


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def score_distribution(scores: pd.DataFrame):
    """One row per exercise: each trainee's score as a dot, and the median as a bar."""
    from matplotlib.figure import Figure

    names = sorted(scores["assignment"].unique())
    figure = Figure(figsize=(8, 0.6 * len(names) + 1.6), layout="constrained")
    axes = figure.subplots()
    for row, name in enumerate(names):
        values = scores.loc[scores["assignment"] == name, "percent"].dropna()
        jitter = [((i * 37) % 11 - 5) / 40 for i in range(len(values))]  # fixed, not random
        axes.scatter(values, [row + j for j in jitter], color=SCORE_COLOUR, alpha=0.6, s=18)
        if len(values):
            axes.plot([values.median()] * 2, [row - 0.35, row + 0.35], color="black", lw=2)
    axes.set_yticks(range(len(names)), names)
    axes.set_xlim(-5, 105)
    axes.invert_yaxis()
    axes.set_title("Scores per exercise (one dot per trainee; the bar is the median)")
    axes.set_xlabel("Score (% of the automatically graded points)")
    return figure


def most_missed(checks: pd.DataFrame, *, top: int = 10):
    """The checks the most trainees did not pass, as bars."""
    from matplotlib.figure import Figure

    shown = checks.head(top).iloc[::-1]
    figure = Figure(figsize=(8, 0.4 * len(shown) + 1.6), layout="constrained")
    axes = figure.subplots()
    labels = [f"{a} · {c}" for a, c in zip(shown["assignment"], shown["check"])]
    axes.barh(labels, 100 * shown["missed_share"], color=MISSED_COLOUR)
    axes.set_xlim(0, 100)
    axes.set_title(f"The {len(shown)} checks most often missed")
    axes.set_xlabel("Trainees who did not pass the check (%)")
    return figure


def _table_html(frame: pd.DataFrame, empty: str) -> str:
    if frame.empty:
        return f"<p>{html.escape(empty)}</p>"
    return frame.to_html(index=False, border=0, classes="table", na_rep="")


def _page(report: ClassReport, course: Course) -> str:
    scores, checks = report.scores, report.checks
    parts = [f"<h1>Class report: {html.escape(course.root.name)}</h1>",
             f"<p>{scores['trainee'].nunique()} trainee(s) submitted "
             f"{len(scores)} piece(s) of work; {len(report.missing)} are missing. All data in "
             "the exercises is synthetic.</p>"]
    if not scores.empty:
        wide = (scores.pivot(index="trainee", columns="assignment", values="percent")
                .rename_axis(columns=None).reset_index())
        parts += ["<h2>Scores per exercise</h2>",
                  f'<img alt="Scores per exercise" src="data:image/png;base64,'
                  f'{_png(score_distribution(scores))}">',
                  "<h3>Every trainee (% of automatically graded points)</h3>",
                  _table_html(wide, "")]
    if not checks.empty:
        parts += ["<h2>Checks most often missed</h2>",
                  f'<img alt="Checks most often missed" src="data:image/png;base64,'
                  f'{_png(most_missed(checks))}">',
                  _table_html(checks.head(15), "")]
    parts += ["<h2>Not submitted</h2>",
              _table_html(report.missing, "Everyone has submitted everything.")]
    manual = scores[scores["needs_manual_grade"]]
    parts += ["<h2>Waiting for a person to grade</h2>",
              _table_html(manual[["trainee", "assignment"]],
                          "No written answers are waiting to be graded.")]
    if report.problems:
        parts += ["<h2>Problems found while grading</h2><ul>"]
        parts += [f"<li>{html.escape(problem)}</li>" for problem in report.problems]
        parts += ["</ul>"]
    if not report.completions.empty:
        parts += ["<h2>Lessons completed (from the trainees' summaries)</h2>",
                  _table_html(report.completions, "")]
    style = ("body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}"
             "table{border-collapse:collapse}td,th{padding:.2em .6em;border-bottom:1px solid "
             "#ccc;text-align:left}img{max-width:100%}")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>Class report: {html.escape(course.root.name)}</title>"
            f"<style>{style}</style></head><body>\n" + "\n".join(parts) + "\n</body></html>\n")


def report(course: Course, *, roster: list[str] | None = None,
           completions: Path | str | None = None) -> ClassReport:
    """Write ``reports/grades.csv``, ``reports/class-report.html`` and the CSVs behind it.

    ``roster`` adds trainees who have not submitted anything; ``completions`` is a folder of
    completion summaries (``htcds-learn progress --completion``).
    """
    if not course.gradebook_path.exists():
        raise CourseError(f"{course.root} has no gradebook yet.",
                          "Run 'htcds-learn course build' and 'course grade' first.")
    course.reports.mkdir(parents=True, exist_ok=True)
    grades = course.reports / "grades.csv"
    staged = course.reports / ".grades.csv.tmp"
    course.nbgrader("export", "--to", str(staged))
    os.replace(staged, grades)

    done = pd.DataFrame(columns=["trainee"])
    problems: list[str] = []
    if completions is not None:
        done, problems = read_completions(completions)
    roster = getattr(roster, "ids", roster)
    scores, checks, missing = _tables(course, sorted(set(roster or []) | set(done["trainee"])))
    ledger_path = course.root / LEDGER
    if ledger_path.exists():
        for key, entry in sorted(json.loads(ledger_path.read_text("utf-8")).items()):
            assignment, student = key.split("/", 1)
            problems += [f"{student} / {assignment}: {p}" for p in entry.get("problems", [])]
    result = ClassReport(scores, checks, missing, done, problems)
    for name, frame in (("scores", scores), ("checks", checks), ("not-submitted", missing)):
        path = course.reports / f"{name}.csv"
        write_text_atomically(path, frame.to_csv(index=False))
        result.files[name] = path
    page = course.reports / "class-report.html"
    write_text_atomically(page, _page(result, course))
    result.files.update({"grades": grades, "class-report": page})
    return result
