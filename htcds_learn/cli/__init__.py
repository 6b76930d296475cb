"""The ``htcds-learn`` command: a thin shell over the library, one command per function,
one module per command (each has ``register`` for its parser and ``run``).

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
import sys
from collections.abc import Sequence

from .. import standard
from .._version import __version__
from ..errors import HtcdsLearnError
from . import (
    course,
    field,
    fields,
    generate,
    profile,
    progress,
    schema,
    sections,
    share,
    validate,
)
from ._shared import CommandError

# In the order ``htcds-learn --help`` lists them.
COMMANDS = (fields, field, sections, schema, generate, profile, validate, share, progress, course)

__all__ = ["COMMANDS", "CommandError", "build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="htcds-learn",
        description="Learn the Human Trafficking Case Data Standard (HTCDS v2.0) with "
                    "synthetic data. " + standard.ATTRIBUTION,
    )
    parser.add_argument("--version", action="version", version=f"htcds-learn {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.register(commands)
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
        message = (error.args[0] if isinstance(error, KeyError)
                   and not isinstance(error, HtcdsLearnError) and error.args else str(error))
        print(f"Error: {message}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"Error: {error.strerror or error} ({getattr(error, 'filename', '')}).",
              file=sys.stderr)
        return 2

