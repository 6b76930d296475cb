"""htcds-learn fields: list HTCDS fields."""

from __future__ import annotations

import argparse
import json

from .. import standard
from ._shared import print_table


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("fields", help="list HTCDS fields (--core for the 38 Core fields)")
    p.add_argument("--core", action="store_true", help="only the active Core fields")
    p.add_argument("--section", help="only one section, e.g. 'Person' or 'vic_'")
    p.add_argument("--all", action="store_true", help="include deprecated fields")
    p.add_argument("--format", choices=["table", "names", "json"], default="table")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    chosen = standard.fields(args.section, core=True if args.core else None,
                             include_deprecated=args.all)
    rows = [{"name": f.name, "label": f.label, "type": f.type or "-",
             "core": "Core" if f.core else "", "status": f.status} for f in chosen]
    if args.format == "json":
        print(json.dumps(rows, indent=1, ensure_ascii=False))
    elif args.format == "names":
        print("\n".join(r["name"] for r in rows))
    else:
        print_table(rows, ["name", "label", "type", "core", "status"])
        what = "active Core fields" if args.core else "fields"
        print(f"\n{len(rows)} {what}" + (f" in {args.section}" if args.section else "") + ".")
    return 0
