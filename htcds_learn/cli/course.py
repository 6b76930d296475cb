"""htcds-learn course STEP: the instructor's day, from the LMS download to the LMS gradebook.

build, collect, due, grade, feedback, report, export: each step calls one function of
:mod:`htcds_learn.course`.
"""

from __future__ import annotations

import argparse

from ..course.intake import CHOICES
from ._shared import CommandError, whole_number


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("course", help="trainers: build, collect, due, grade, feedback, "
                                      "report, export (over nbgrader)")
    p.add_argument("--course", default="exercises",
                   help="the course folder, with nbgrader_config.py (default: exercises)")
    steps = p.add_subparsers(dest="step", metavar="STEP", required=True)
    q = steps.add_parser("build", help="release the assignments and zip them to hand out")
    q.add_argument("assignments", nargs="*", help="only these (default: all)")
    q = steps.add_parser("collect", help="import submissions from a folder or an LMS zip")
    q.add_argument("assignment")
    q.add_argument("source", help="a folder or a .zip of submissions")
    q.add_argument("--lms", choices=list(CHOICES),
                   help="read file names as this LMS writes them (default: found from the "
                        "names)")
    q.add_argument("--roster", help="a CSV with id, name, email and the LMS keys (canvas, "
                                    "blackboard); default: roster.csv in the course folder")
    q.add_argument("--worksheet", help="Moodle's grading worksheet for this assignment: tells "
                                       "same-name Moodle participants apart by e-mail")
    q.add_argument("--pattern", help="a regular expression for file names, with the groups "
                                     "(?P<student_id>...) and (?P<file_id>...)")
    q = steps.add_parser("due", help="set an exercise's due date (nbgrader's), for lateness")
    q.add_argument("assignment")
    q.add_argument("when", help="e.g. '2026-11-25 17:00' (UTC) or 2026-11-25T17:00+03:00; "
                                "'none' removes it")
    q = steps.add_parser("grade", help="autograde everyone in parallel (same scores as "
                                       "nbgrader autograde)",
                         epilog=GRADE_EXIT_CODES,
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    q.add_argument("assignments", nargs="*", help="only these (default: all)")
    q.add_argument("--workers", type=whole_number(1, "--workers"),
                   help="worker processes (default: one more than CPU cores)")
    q.add_argument("--timeout", type=whole_number(1, "--timeout"),
                   help="seconds a cell may run before it is stopped (default: the course's, "
                        "60)")
    q.add_argument("--force", action="store_true", help="grade again even if unchanged")
    q = steps.add_parser("feedback", help="HTML feedback per trainee, without hidden tests; "
                                          "a page saying why for work that could not be graded")
    q.add_argument("assignments", nargs="*", help="only these (default: all)")
    q = steps.add_parser("report", help="the class report: scores, checks, queues, "
                                        "lateness, feedback links")
    q.add_argument("assignments", nargs="*",
                   help="the exercises set (default: those anyone submitted)")
    q.add_argument("--roster", help="the roster (CSV with an 'id' column, or one id per "
                                    "line); default: roster.csv in the course folder")
    q.add_argument("--completions", metavar="FOLDER",
                   help="a folder of the trainees' completion summaries (self-reported)")
    q.add_argument("--pass-mark", type=float, default=50.0,
                   help="the pass mark in percent (default 50)")
    q = steps.add_parser("export", help="grades (and feedback zips) for the LMS gradebook "
                                        "import")
    q.add_argument("assignments", nargs="*", help="only these (default: all graded)")
    q.add_argument("--lms", choices=["moodle", "canvas", "blackboard"], required=True)
    q.add_argument("--column", action="append", metavar="ASSIGNMENT=HEADER",
                   help="the LMS's column for an exercise, copied from its gradebook "
                        "download (Canvas 'Title (id)', Blackboard 'Name [...] |id')")
    q.add_argument("--roster", help="the roster, for LMS keys of people collected elsewhere")
    p.set_defaults(func=run)


GRADE_EXIT_CODES = """exit codes:
  0  every submission was graded
  1  some submissions could not be graded (damaged or crashed): they are listed, and the
     class report lists them under "Needs resubmission"
  2  the command could not run (a wrong folder, name or option); nothing was graded"""


def _course_grade(tooling, course, args: argparse.Namespace) -> int:
    """Grade with a progress line; third-party warnings go to reports/grading.log."""
    from ..course.console import Progress, third_party_output_to

    log = course.reports / "grading.log"
    state: dict = {}

    def start(to_grade: int, unchanged: int) -> None:
        state["progress"] = Progress(to_grade)
        print(f"Grading {to_grade} submission(s); {unchanged} unchanged since the last run "
              "(not graded again).", flush=True)

    def show(result) -> None:
        score = "-" if result.score is None else f"{result.score:g}/{result.max_score:g}"
        step = state["progress"].step() if "progress" in state else ""
        print(f"  {result.assignment:32} {result.student:24} {score:>9}  {result.status:21}"
              f"  [{step}]", flush=True)

    with third_party_output_to(log):
        run = tooling.grade(course, args.assignments, workers=args.workers,
                            timeout=args.timeout, force=args.force, on_result=show,
                            on_start=start)
    fresh = [r for r in run.results if r.status != "skipped"]
    counts: dict[str, int] = {}
    for r in run.results:
        counts[r.status] = counts.get(r.status, 0) + 1
    print(f"Done in {run.seconds:.0f} s with {run.workers} worker(s): "
          + ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) + ".")
    problems = [(r, p) for r in fresh for p in r.problems]
    problems += [(r, f"integrity: {flag}") for r in fresh for flag in r.integrity]
    if problems:
        print("Problems in the submissions graded now:")
        for r, problem in problems:
            print(f"  {r.student} / {r.assignment}: {problem}")
    if counts.get("skipped"):
        print(f"{counts['skipped']} unchanged submission(s) were not graded again; their "
              "problems are in the class report ('course report').")
    print(f"Warnings from nbgrader and Jupyter, if any, are in {log}.")
    if run.interrupted:
        print("Stopped by Ctrl-C: what was graded is kept; run the same command again to "
              "go on (exit code 130).")
        return 130  # what a shell expects after Ctrl-C
    failed = [r for r in run.results if r.status == "failed"]
    if failed:
        print(f"Exit code 1: {len(failed)} submission(s) could not be graded and need "
              "resubmission.")
    return 1 if failed else 0


def run(args: argparse.Namespace) -> int:
    from .. import course as tooling

    course = tooling.Course.open(args.course)
    if args.step == "build":
        for path in tooling.build(course, args.assignments):
            print(f"Released {path.stem}; handout: {path}")
        return 0
    if args.step == "collect":
        result = tooling.collect(course, args.assignment, args.source, pattern=args.pattern,
                                 lms=args.lms, roster=args.roster, worksheet=args.worksheet)
        print(result.to_text())
        return 0
    if args.step == "due":
        from ..course.lateness import parse_due, set_due_date

        due = None if args.when.lower() == "none" else parse_due(args.when)
        set_due_date(course, args.assignment, due)
        print(f"{args.assignment}: " + (f"due {due:%Y-%m-%d %H:%M %Z}. Grade again to apply "
                                        "the late policy in nbgrader_config.py."
                                        if due else "no due date."))
        return 0
    if args.step == "grade":
        return _course_grade(tooling, course, args)
    if args.step == "feedback":
        from ..course.notices import failure_pages, without_feedback

        names = course.check_assignments(args.assignments)
        pages = tooling.feedback(course, args.assignments)
        notices = failure_pages(course, names)
        print(f"Wrote {len(pages)} feedback page(s) under {course.feedback}.")
        if notices:
            print(f"{len(notices)} submission(s) could not be graded; each got a page that says "
                  "why and asks for a new copy:")
            for page in notices:
                print(f"  {page.parents[1].name} / {page.parent.name}")
        missing = without_feedback(course, names)
        if missing:
            print(f"{len(missing)} submission(s) have no feedback page yet (grade them first):")
            for student, assignment in missing:
                print(f"  {student} / {assignment}")
        return 0
    if args.step == "export":
        from ..course.exports import export

        columns = {}
        for item in args.column or []:
            assignment, sep, header = item.partition("=")
            if not sep or not header.strip():
                raise CommandError(f"--column {item!r} needs ASSIGNMENT=HEADER.",
                                   'Example: --column "ex04-clean-a-dataset=Ex 4 (40233)"')
            columns[assignment.strip()] = header.strip()
        roster = tooling.read_roster(args.roster) if args.roster else None
        result = export(course, args.lms, args.assignments, roster=roster, columns=columns)
        print(result.to_text())
        return 0
    result = tooling.report(course, roster=args.roster, completions=args.completions,
                            assignments=args.assignments, pass_mark=args.pass_mark)
    queues = result.queues
    print(f"Wrote {result.files['class-report']} (and the CSV tables beside it): "
          f"{result.people['person'].nunique()} people, {len(result.exercises)} exercise(s) "
          f"set, {len(result.missing)} missing submission(s), "
          f"{len(queues['needs resubmission'])} to resubmit, "
          f"{len(queues['waiting for manual grading'])} waiting for manual grading, "
          f"{len(queues['collected but not matched'])} file(s) not matched.")
    for problem in result.problems:
        print(f"  {problem}")
    return 0
