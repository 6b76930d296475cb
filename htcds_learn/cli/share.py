"""htcds-learn share FILE: prepare a file for sharing by a purpose, with its release report."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..privacy import PURPOSES
from ._shared import CommandError, whole_number


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "share", help="prepare a file for sharing by a purpose (referral, service statistics, "
                      "research, CTDC): written whole into a new folder with a release report")
    p.add_argument("file", nargs="?", help="a Core table: .csv or .xlsx")
    p.add_argument("--purpose", default="research", choices=list(PURPOSES),
                   help="the release policy to follow")
    p.add_argument("--recipient", default="", help="who receives the release (a referral: "
                                                   "the partner organisation)")
    p.add_argument("--k", type=whole_number(1, "--k"), help="k (default: the purpose's)")
    p.add_argument("--l", type=whole_number(1, "--l"), help="l (default: the purpose's)")
    p.add_argument("--key-file", help="the secret key for pseudonyms (never in the release)")
    p.add_argument("--new-key", metavar="FILE", help="make a new key file (never replaces one)")
    p.add_argument("--linkable", metavar="REASON", help="pseudonyms that link across releases "
                                                        "to this recipient, and why")
    p.add_argument("--ledger", help="the organisation's release ledger (default: "
                                    "release-ledger.json in ~/.htcds-learn)")
    p.add_argument("--sheet", help="the Excel sheet to read")
    p.add_argument("--out", help="a new folder for the release and its report")
    p.add_argument("--force", action="store_true", help="replace an existing release folder")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Prepare a file for sharing; refuse (exit 2) when the result fails its own checks."""
    from .. import io, privacy
    from ..privacy.keys import is_inside
    from ..privacy.ledger import default_path

    if args.new_key:
        path = privacy.save_key(privacy.new_key(), args.new_key)
        print(f"Wrote a new key to {path}. Keep it apart from the data you share.")
        if not args.file:
            return 0
    if not args.file or not args.out:
        raise CommandError("share needs a FILE and --out DIR.",
                           "Example: htcds-learn share cases.csv --purpose research "
                           "--recipient 'University X' --out release/")
    out = Path(args.out)
    if out.exists() and not args.force:
        raise privacy.SharingError.from_catalogue("privacy.release_folder_exists",
                                                  folder=str(out))
    if is_inside(Path(args.file), out):
        raise CommandError(f"The input {args.file} is inside the release folder {out}.",
                           "Write the release to a new folder of its own.")
    key = privacy.load_key(args.key_file, release_folder=out) if args.key_file else None
    ledger = privacy.Ledger(args.ledger or default_path())
    loaded = io.read_table(args.file, sheet=args.sheet)
    release = privacy.share(loaded.table, purpose=args.purpose, k=args.k, l=args.l, key=key,
                            recipient=args.recipient, linkable=args.linkable, ledger=ledger)
    folder = release.write(out, force=args.force)
    report = release.report
    what = (f"{report.rows_out:,} records" if release.table is not None
            else f"{len(release.tables)} tables")
    k = f"k = {report.k_achieved}, " if release.table is not None and args.purpose != \
        "referral" else ""
    print(f"Wrote {what} and the release report to {folder}: {k}"
          f"{report.rows_without_consent:,} records without consent left out.")
    return 0
