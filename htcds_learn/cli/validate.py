"""htcds-learn validate FILE: check a file against HTCDS."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..validation import ENGINES
from ._shared import whole_number


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("validate", help="check a CSV, Excel, ODS or JSON file against HTCDS "
                                        "(exit 0 clean, 1 errors, 2 unreadable)")
    p.add_argument("file", help="a .csv, .xlsx (IOM's template or any sheet), .ods or .json file")
    p.add_argument("--report", help="write every finding to this CSV file")
    p.add_argument("--fix", help="write a copy with the safe fixes applied to this CSV file")
    p.add_argument("--force", action="store_true",
                   help="replace the --report or --fix file if it exists (never the input)")
    p.add_argument("--sheet", help="the Excel or ODS sheet to read (default: the first)")
    p.add_argument("--engine", choices=ENGINES, default="fast")
    p.add_argument("--show", type=whole_number(0, "--show"), default=10,
                   help="how many findings to print (default 10)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Exit 0 when clean, 1 when there are errors, 2 when the file cannot be read."""
    from .. import io, messages
    from ..errors import InputError
    from ..io.writers import check_distinct, check_output, write_csv
    from ..validation import fix_table, validate_cases, validate_table

    path = Path(args.file)
    check_distinct([args.fix, args.report])
    for output in (args.fix, args.report):  # before the work, so a refusal costs nothing
        if output:
            check_output(output, inputs=[path], force=args.force)
    notes: list[str] = []
    if io.is_json(path):
        if args.fix:
            raise InputError.from_catalogue("io.validate.fix-needs-a-table", path=str(path))
        report = validate_cases(io.read_cases(path), source=str(path))
    else:
        loaded = io.read_table(path, sheet=args.sheet)
        report = validate_table(loaded.table, engine=args.engine, source=str(path),
                                header_rows=loaded.header_rows)
        notes = loaded.notes + [f"Column '{old}' read as {new}."
                                for old, new in loaded.renamed.items()]
        if args.fix:
            fixed, changes = fix_table(loaded.table, report)
            written = write_csv(fixed, args.fix, inputs=[path], force=args.force)
            print(f"Wrote {args.fix} with {len(changes):,} safe fixes; {path} is unchanged.")
            if written.neutralised:
                print(messages.text("io.write.neutralised", count=f"{written.neutralised:,}",
                                    path=args.fix))
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
        written = write_csv(report.findings, args.report, inputs=[path], force=args.force)
        print(f"Wrote the full report to {args.report}.")
        if written.neutralised:
            print(messages.text("io.write.neutralised", count=f"{written.neutralised:,}",
                                path=args.report))
    return 0 if report.ok else 1
