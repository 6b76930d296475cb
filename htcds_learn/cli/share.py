"""htcds-learn share FILE: prepare a file for sharing, with its release report."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..privacy import PURPOSES
from ._shared import CommandError, whole_number


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("share", help="prepare a file for sharing: consent, minimise, "
                                     "pseudonymise, k-anonymise, with a release report")
    p.add_argument("file", nargs="?", help="a Core table: .csv or .xlsx")
    p.add_argument("--purpose", default="ctdc",
                   choices=list(PURPOSES))
    p.add_argument("--k", type=whole_number(1, "--k"), default=11)
    p.add_argument("--l", type=whole_number(1, "--l"), default=1)
    p.add_argument("--key-file", help="the secret key for pseudonyms (never shared)")
    p.add_argument("--new-key", metavar="FILE", help="make a new secret key file first")
    p.add_argument("--ctdc", action="store_true", help="write CTDC's public column layout")
    p.add_argument("--sheet", help="the Excel sheet to read")
    p.add_argument("--out", help="the folder for shared.csv and release-report.md")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Prepare a file for sharing; refuse (exit 2) when the result fails its own checks."""
    from .. import io, privacy
    from .._util.files import write_text_atomically

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
