"""htcds-learn field NAME: one field in full, with its allowed values."""

from __future__ import annotations

import argparse

from .. import standard


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("field", help="show one field in full, with its allowed values")
    p.add_argument("name", help="a field name such as prs_Gender")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
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
