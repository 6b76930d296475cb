"""htcds-learn sections: the sections of the standard."""

from __future__ import annotations

import argparse

from .. import standard
from ._shared import print_table


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("sections", help="list the sections of the standard")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    rows = [{"section": s.name, "prefix": s.prefix or "-", "table": s.table or "-",
             "fields": len(s.fields)} for s in standard.sections()]
    print_table(rows, ["section", "prefix", "table", "fields"])
    return 0
