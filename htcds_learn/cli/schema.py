"""htcds-learn schema: export the JSON Schema or the Table Schemas."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .._util.files import write_json_atomically
from ..model import schema
from ._shared import CommandError


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("schema", help="export the JSON Schema or the Table Schemas")
    p.add_argument("--format", choices=["jsonschema", "tableschema"], required=True)
    p.add_argument("--table", help="with tableschema: one table, e.g. core or people")
    p.add_argument("--out", help="write to this file instead of the screen")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
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
