"""htcds-learn generate: write a synthetic dataset (never about real people)."""

from __future__ import annotations

import argparse
import sys

from ..synth.dataset import FORMATS
from ._shared import locales, whole_number


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("generate", help="make synthetic cases (never about real people)")
    p.add_argument("--cases", type=whole_number(1, "--cases"), required=True,
                   help="how many cases")
    p.add_argument("--seed", type=whole_number(0, "--seed"), default=0,
                   help="the same seed gives the same data (default 0)")
    p.add_argument("--locales", type=locales, action="append", metavar="LOCALES",
                   help="only countries with these Faker locales, e.g. 'en_NG,uk_UA'")
    p.add_argument("--profile", help="a profile JSON file (see 'htcds-learn profile')")
    p.add_argument("--format", choices=FORMATS, default="csv")
    p.add_argument("--out", required=True, help="the folder to write to")
    p.add_argument("--force", action="store_true",
                   help="replace the files of an earlier dataset in that folder")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="show a progress bar (default: when writing to a terminal)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..synth.dataset import write_dataset

    progress = sys.stderr.isatty() if args.progress is None else args.progress
    locales = [loc for group in args.locales or [] for loc in group] or None
    meta = write_dataset(args.out, args.cases, args.seed, fmt=args.format,
                         profile_path=args.profile, locales=locales, progress=progress,
                         force=args.force)
    names = ", ".join(sorted(meta["files"]))
    print(f"Wrote {meta['cases']:,} synthetic cases (seed {meta['seed']}) to {args.out}: "
          f"{names} and dataset.json. No record describes a real person.")
    return 0
