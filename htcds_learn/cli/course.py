"""htcds-learn course STEP: trainers' build, collect, grade, feedback and report."""

from __future__ import annotations

import argparse

from ..course.intake import LMS_PATTERNS
from ._shared import whole_number


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("course", help="trainers: build, collect, grade, feedback, report "
                                      "(over nbgrader)")
    p.add_argument("--course", default="exercises",
                   help="the course folder, with nbgrader_config.py (default: exercises)")
    steps = p.add_subparsers(dest="step", metavar="STEP", required=True)
    q = steps.add_parser("build", help="release the assignments and zip them to hand out")
    q.add_argument("assignments", nargs="*", help="only these (default: all)")
    q = steps.add_parser("collect", help="import submissions from a folder or an LMS zip")
    q.add_argument("assignment")
    q.add_argument("source", help="a folder or a .zip of submissions")
    q.add_argument("--lms", choices=sorted(LMS_PATTERNS),
                   help="read file names as this LMS writes them")
    q.add_argument("--pattern", help="a regular expression for file names, with the groups "
                                     "(?P<student_id>...) and (?P<file_id>...)")
    q = steps.add_parser("grade", help="autograde everyone in parallel (same scores as "
                                       "nbgrader autograde)")
    q.add_argument("assignments", nargs="*", help="only these (default: all)")
    q.add_argument("--workers", type=whole_number(1, "--workers"),
                   help="worker processes (default: one more than CPU cores)")
    q.add_argument("--timeout", type=whole_number(1, "--timeout"),
                   help="seconds a cell may run before it is stopped (default: the course's)")
    q.add_argument("--force", action="store_true", help="grade again even if unchanged")
    q = steps.add_parser("feedback", help="HTML feedback per trainee, without hidden tests")
    q.add_argument("assignments", nargs="*", help="only these (default: all)")
    q = steps.add_parser("report", help="the grades CSV and a class report with plots")
    q.add_argument("--roster", help="a file of trainee ids (one per line, or a CSV with an "
                                    "'id' column), to list who has not submitted")
    q.add_argument("--completions", metavar="FOLDER",
                   help="a folder of the trainees' completion summaries")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from .. import course as tooling

    course = tooling.Course.open(args.course)
    if args.step == "build":
        for path in tooling.build(course, args.assignments):
            print(f"Released {path.stem}; handout: {path}")
        return 0
    if args.step == "collect":
        result = tooling.collect(course, args.assignment, args.source, pattern=args.pattern,
                                 lms=args.lms)
        print(result.to_text())
        return 0
    if args.step == "grade":
        def show(result: tooling.SubmissionResult) -> None:
            score = "-" if result.score is None else f"{result.score:g}/{result.max_score:g}"
            print(f"  {result.assignment:32} {result.student:20} {score:>9}  {result.status}",
                  flush=True)

        run = tooling.grade(course, args.assignments, workers=args.workers,
                            timeout=args.timeout, force=args.force, on_result=show)
        print(run.to_text())
        if run.interrupted:
            return 130  # what a shell expects after Ctrl-C
        return 1 if any(r.status == "failed" for r in run.results) else 0
    if args.step == "feedback":
        pages = tooling.feedback(course, args.assignments)
        print(f"Wrote {len(pages)} feedback page(s) under {course.feedback}.")
        return 0
    roster = tooling.read_roster(args.roster) if args.roster else None
    result = tooling.report(course, roster=roster, completions=args.completions)
    print(f"Wrote {result.files['grades']} and {result.files['class-report']}: "
          f"{result.scores['trainee'].nunique()} trainee(s), "
          f"{len(result.missing)} missing submission(s).")
    for problem in result.problems:
        print(f"  {problem}")
    return 0
