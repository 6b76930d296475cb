"""The ``htcds-learn`` command: a thin shell over the library, one command per function.

Errors become one ``Error: ...`` line and exit code 2, never a traceback.

    htcds-learn fields --core            # the 38 active Core fields
    htcds-learn field prs_Gender         # one field in full
    htcds-learn sections
    htcds-learn schema --format jsonschema --out case.schema.json
    htcds-learn schema --format tableschema --table core
    htcds-learn generate --cases 500 --seed 1 --format csv --out data/
    htcds-learn profile > my-profile.json  # the generator's proportions, to edit
    htcds-learn validate cases.xlsx --report findings.csv
    htcds-learn share cases.csv --purpose ctdc --k 11 --key-file KEY --out release/
    htcds-learn progress                 # your self-check progress
    htcds-learn progress --completion me.json --trainee amina   # to hand to your trainer
    htcds-learn course build             # trainers: release the exercises, zip handouts
    htcds-learn course collect ex01-htcds-basics downloads.zip --lms moodle
    htcds-learn course due ex01-htcds-basics "2026-11-25 17:00"
    htcds-learn course grade --workers 2 --timeout 60
    htcds-learn course feedback
    htcds-learn course report --completions summaries/
    htcds-learn course export --lms canvas
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__, schema, standard
from .errors import HtcdsLearnError
from .progress import ProgressRecord, write_json_atomically


class CommandError(HtcdsLearnError):
    """A problem with the command line itself."""


def _print_table(rows: list[dict], columns: list[str]) -> None:
    widths = {c: max([len(c)] + [len(str(r[c])) for r in rows]) for c in columns}
    print("  ".join(c.ljust(widths[c]) for c in columns).rstrip())
    print("  ".join("-" * widths[c] for c in columns))
    for r in rows:
        print("  ".join(str(r[c]).ljust(widths[c]) for c in columns).rstrip())


def cmd_fields(args: argparse.Namespace) -> int:
    chosen = standard.fields(args.section, core=True if args.core else None,
                             include_deprecated=args.all)
    rows = [{"name": f.name, "label": f.label, "type": f.type or "-",
             "core": "Core" if f.core else "", "status": f.status} for f in chosen]
    if args.format == "json":
        print(json.dumps(rows, indent=1, ensure_ascii=False))
    elif args.format == "names":
        print("\n".join(r["name"] for r in rows))
    else:
        _print_table(rows, ["name", "label", "type", "core", "status"])
        what = "active Core fields" if args.core else "fields"
        print(f"\n{len(rows)} {what}" + (f" in {args.section}" if args.section else "") + ".")
    return 0


def cmd_field(args: argparse.Namespace) -> int:
    f = standard.field(args.name)
    print(f.summary())
    print(f"Section: {f.section}")
    print(f"Description: {f.description or '(none given)'}")
    if f.notes:
        print(f"Notes: {f.notes}")
    if f.values:
        print("Allowed values (value name = label):")
        for v in f.values:
            print(f"  {v.name} = {v.label}")
    elif f.value_rule:
        print(f"Allowed values: {f.value_rule}")
    return 0


def cmd_sections(args: argparse.Namespace) -> int:
    rows = [{"section": s.name, "prefix": s.prefix or "-", "table": s.table or "-",
             "fields": len(s.fields)} for s in standard.sections()]
    _print_table(rows, ["section", "prefix", "table", "fields"])
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    if args.format == "jsonschema":
        if args.table:
            raise CommandError("--table goes with --format tableschema.",
                               "Leave it out to get the JSON Schema of a whole case.")
        document = schema.json_schema()
    else:
        document = schema.table_schema(args.table) if args.table else schema.table_schemas()
    if args.out:
        write_json_atomically(Path(args.out), document)
        print(f"Wrote {args.out}")
    else:
        print(json.dumps(document, indent=1, ensure_ascii=False))
    return 0


def _whole_number(minimum: int, what: str):
    def parse(text: str) -> int:
        try:
            value = int(text.replace("_", "").replace(",", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{what} must be a whole number, not '{text}'") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{what} must be {minimum} or more, not {value}")
        return value
    return parse


def _locales(text: str) -> list[str]:
    from faker.config import AVAILABLE_LOCALES

    chosen = [part for part in text.replace(",", " ").split() if part]
    for locale in chosen:
        if locale not in AVAILABLE_LOCALES:
            hint = standard.suggest(locale, AVAILABLE_LOCALES)
            raise argparse.ArgumentTypeError(f"Faker has no locale '{locale}'. {hint}".strip())
    return chosen


def cmd_generate(args: argparse.Namespace) -> int:
    from .dataset import write_dataset

    progress = sys.stderr.isatty() if args.progress is None else args.progress
    locales = [loc for group in args.locales or [] for loc in group] or None
    meta = write_dataset(args.out, args.cases, args.seed, fmt=args.format,
                         profile_path=args.profile, locales=locales, progress=progress)
    names = ", ".join(sorted(meta["files"]))
    print(f"Wrote {meta['cases']:,} synthetic cases (seed {meta['seed']}) to {args.out}: "
          f"{names} and dataset.json. No record describes a real person.")
    return 0


def cmd_profile(args: argparse.Namespace) -> int:
    from .profile import load_profile

    print(json.dumps(load_profile(args.file).data, indent=1, ensure_ascii=False))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Exit 0 when clean, 1 when there are errors, 2 when the file cannot be read."""
    from . import io
    from .validate import fix_table, validate_cases, validate_table

    path = Path(args.file)
    if path.suffix.lower() == ".json":
        report = validate_cases(io.read_cases(path), source=str(path))
        notes: list[str] = []
    else:
        loaded = io.read_table(path, sheet=args.sheet)
        report = validate_table(loaded.table, engine=args.engine, source=str(path),
                                header_rows=loaded.header_rows)
        notes = loaded.notes + [f"Column '{old}' read as {new}."
                                for old, new in loaded.renamed.items()]
        if args.fix:
            fixed, changes = fix_table(loaded.table, report)
            from .progress import write_text_atomically

            write_text_atomically(Path(args.fix), fixed.to_csv(index=False))
            print(f"Wrote {args.fix} with {len(changes):,} safe fixes; {path} is unchanged.")
    for note in notes:
        print(f"Note: {note}")
    print(report.summary())
    shown = report.findings.head(args.show)
    for message in shown["message"]:
        print(f"  {message}")
    if len(report.findings) > len(shown):
        print(f"  ... and {len(report.findings) - len(shown):,} more"
              + (f" (all in {args.report})." if args.report else " (use --report FILE.csv)."))
    if args.report:
        report.to_csv(args.report)
        print(f"Wrote the full report to {args.report}.")
    return 0 if report.ok else 1


def cmd_share(args: argparse.Namespace) -> int:
    """Prepare a file for sharing; refuse (exit 2) when the result fails its own checks."""
    from . import io, privacy
    from .progress import write_text_atomically

    if args.new_key:
        path = privacy.save_key(privacy.new_key(), args.new_key)
        print(f"Wrote a new key to {path}. Keep it apart from the data you share.")
        if not args.file:
            return 0
    if not args.file or not args.out:
        raise CommandError("share needs a FILE and --out DIR.",
                           "Example: htcds-learn share cases.csv --purpose ctdc --out release/")
    key = privacy.load_key(args.key_file) if args.key_file else None
    loaded = io.read_table(args.file, sheet=args.sheet)
    safe, report = privacy.share(loaded.table, purpose=args.purpose, k=args.k, l=args.l,
                                 key=key)
    out = Path(args.out)
    table = privacy.to_ctdc(safe) if args.ctdc else safe
    write_text_atomically(out / "shared.csv", table.to_csv(index=False))
    write_text_atomically(out / "release-report.md", report.to_markdown())
    print(f"Wrote {len(table):,} records to {out / 'shared.csv'} and the release report to "
          f"{out / 'release-report.md'}: k = {report.k_achieved}, "
          f"{report.rows_without_consent:,} records without consent left out.")
    return 0


def cmd_progress(args: argparse.Namespace) -> int:
    record = ProgressRecord()
    if args.completion:
        from .course import completion_summary

        if not args.trainee:
            raise CommandError("--completion needs --trainee with your id, e.g. --trainee amina.")
        summary = completion_summary(args.trainee, record, args.feedback)
        write_json_atomically(Path(args.completion), summary)
        print(f"Wrote your completion summary to {args.completion}: "
              f"{summary['lessons_completed']} of {summary['lessons_total']} lessons completed, "
              f"{summary['self_checks_passed']} self-checks passed, "
              f"{len(summary['exercises'])} exercise score(s). Hand this file to your trainer.")
        return 0
    table = record.summary()
    if table.empty:
        print(f"No self-checks answered yet (record: {record.path}).")
    else:
        print(table.to_string(index=False))
    return 0


GRADE_EXIT_CODES = """exit codes:
  0  every submission was graded
  1  some submissions could not be graded (damaged or crashed): they are listed, and the
     class report lists them under "Needs resubmission"
  2  the command could not run (a wrong folder, name or option); nothing was graded"""


def _course_grade(tooling, course, args: argparse.Namespace) -> int:
    """Grade with a progress line; third-party warnings go to reports/grading.log."""
    from .course.console import Progress, third_party_output_to

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
    if problems:
        print("Problems in the submissions graded now:")
        for r, problem in problems:
            print(f"  {r.student} / {r.assignment}: {problem}")
    if counts.get("skipped"):
        print(f"{counts['skipped']} unchanged submission(s) were not graded again; their "
              "problems are in the class report ('course report').")
    print(f"Warnings from nbgrader and Jupyter, if any, are in {log}.")
    failed = [r for r in run.results if r.status == "failed"]
    if failed:
        print(f"Exit code 1: {len(failed)} submission(s) could not be graded and need "
              "resubmission.")
    return 1 if failed else 0


def cmd_course(args: argparse.Namespace) -> int:
    from . import course as tooling

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
        from .course.lateness import parse_due, set_due_date

        due = None if args.when.lower() == "none" else parse_due(args.when)
        set_due_date(course, args.assignment, due)
        print(f"{args.assignment}: " + (f"due {due:%Y-%m-%d %H:%M %Z}. Grade again to apply "
                                        "the late policy in nbgrader_config.py."
                                        if due else "no due date."))
        return 0
    if args.step == "grade":
        return _course_grade(tooling, course, args)
    if args.step == "feedback":
        from .course.notices import failure_pages, without_feedback

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
        from .course.exports import export

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="htcds-learn",
        description="Learn the Human Trafficking Case Data Standard (HTCDS v2.0) with "
                    "synthetic data. " + standard.ATTRIBUTION,
    )
    parser.add_argument("--version", action="version", version=f"htcds-learn {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("fields", help="list HTCDS fields (--core for the 38 Core fields)")
    p.add_argument("--core", action="store_true", help="only the active Core fields")
    p.add_argument("--section", help="only one section, e.g. 'Person' or 'vic_'")
    p.add_argument("--all", action="store_true", help="include deprecated fields")
    p.add_argument("--format", choices=["table", "names", "json"], default="table")
    p.set_defaults(func=cmd_fields)

    p = sub.add_parser("field", help="show one field in full, with its allowed values")
    p.add_argument("name", help="a field name such as prs_Gender")
    p.set_defaults(func=cmd_field)

    p = sub.add_parser("sections", help="list the sections of the standard")
    p.set_defaults(func=cmd_sections)

    p = sub.add_parser("schema", help="export the JSON Schema or the Table Schemas")
    p.add_argument("--format", choices=["jsonschema", "tableschema"], required=True)
    p.add_argument("--table", help="with tableschema: one table, e.g. core or people")
    p.add_argument("--out", help="write to this file instead of the screen")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("generate", help="make synthetic cases (never about real people)")
    p.add_argument("--cases", type=_whole_number(1, "--cases"), required=True,
                   help="how many cases")
    p.add_argument("--seed", type=_whole_number(0, "--seed"), default=0,
                   help="the same seed gives the same data (default 0)")
    p.add_argument("--locales", type=_locales, action="append", metavar="LOCALES",
                   help="only countries with these Faker locales, e.g. 'en_NG,uk_UA'")
    p.add_argument("--profile", help="a profile JSON file (see 'htcds-learn profile')")
    p.add_argument("--format", choices=["json", "csv", "xlsx"], default="csv")
    p.add_argument("--out", required=True, help="the folder to write to")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="show a progress bar (default: when writing to a terminal)")
    p.set_defaults(func=cmd_generate)

    p = sub.add_parser("profile", help="print a generator profile, to copy and edit")
    p.add_argument("file", nargs="?", help="a profile file to check (default: the default)")
    p.set_defaults(func=cmd_profile)

    p = sub.add_parser("validate", help="check a CSV, Excel or JSON file against HTCDS "
                                        "(exit 0 clean, 1 errors, 2 unreadable)")
    p.add_argument("file", help="a .csv, .xlsx (IOM's template or any sheet) or .json file")
    p.add_argument("--report", help="write every finding to this CSV file")
    p.add_argument("--fix", help="write a copy with the safe fixes applied to this CSV file")
    p.add_argument("--sheet", help="the Excel sheet to read (default: the first)")
    p.add_argument("--engine", choices=["fast", "reference"], default="fast")
    p.add_argument("--show", type=_whole_number(0, "--show"), default=10,
                   help="how many findings to print (default 10)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("share", help="prepare a file for sharing: consent, minimise, "
                                     "pseudonymise, k-anonymise, with a release report")
    p.add_argument("file", nargs="?", help="a Core table: .csv or .xlsx")
    p.add_argument("--purpose", default="ctdc",
                   choices=["referral", "service-statistics", "research", "ctdc"])
    p.add_argument("--k", type=_whole_number(1, "--k"), default=11)
    p.add_argument("--l", type=_whole_number(1, "--l"), default=1)
    p.add_argument("--key-file", help="the secret key for pseudonyms (never shared)")
    p.add_argument("--new-key", metavar="FILE", help="make a new secret key file first")
    p.add_argument("--ctdc", action="store_true", help="write CTDC's public column layout")
    p.add_argument("--sheet", help="the Excel sheet to read")
    p.add_argument("--out", help="the folder for shared.csv and release-report.md")
    p.set_defaults(func=cmd_share)

    p = sub.add_parser("progress", help="show your self-check progress, or write a "
                                        "completion summary for your trainer")
    p.add_argument("--completion", metavar="FILE", help="write your completion summary here")
    p.add_argument("--trainee", help="your id on the course (with --completion)")
    p.add_argument("--feedback", metavar="FOLDER",
                   help="a folder of feedback pages you were given, to include your scores")
    p.set_defaults(func=cmd_progress)

    p = sub.add_parser("course", help="trainers: build, collect, due, grade, feedback, "
                                      "report, export (over nbgrader)")
    p.add_argument("--course", default="exercises",
                   help="the course folder, with nbgrader_config.py (default: exercises)")
    steps = p.add_subparsers(dest="step", metavar="STEP", required=True)
    q = steps.add_parser("build", help="release the assignments and zip them to hand out")
    q.add_argument("assignments", nargs="*", help="only these (default: all)")
    q = steps.add_parser("collect", help="import submissions from a folder or an LMS zip")
    q.add_argument("assignment")
    q.add_argument("source", help="a folder or a .zip of submissions")
    q.add_argument("--lms", choices=["blackboard", "canvas", "moodle", "folder"],
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
    q.add_argument("--workers", type=_whole_number(1, "--workers"),
                   help="worker processes (default: one more than CPU cores)")
    q.add_argument("--timeout", type=_whole_number(1, "--timeout"),
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
    p.set_defaults(func=cmd_course)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 0
    try:
        return args.func(args)
    except (HtcdsLearnError, KeyError) as error:
        message = error.args[0] if isinstance(error, KeyError) and error.args else str(error)
        print(f"Error: {message}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"Error: {error.strerror or error} ({getattr(error, 'filename', '')}).",
              file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
