"""htcds-learn progress: your self-check progress, or a completion summary."""

from __future__ import annotations

import argparse
from pathlib import Path

from .._util.files import write_json_atomically
from ..learn.progress import ProgressRecord
from ._shared import CommandError


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("progress", help="show your self-check progress, or write a "
                                        "completion summary for your trainer")
    p.add_argument("--completion", metavar="FILE", help="write your completion summary here")
    p.add_argument("--trainee", help="your id on the course (with --completion)")
    p.add_argument("--feedback", metavar="FOLDER",
                   help="a folder of feedback pages you were given, to include your scores")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    record = ProgressRecord()
    if args.completion:
        from ..course import completion_summary

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
