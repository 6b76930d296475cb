"""htcds-learn profile: print (or check) a generator profile, to copy and edit."""

from __future__ import annotations

import argparse
import json


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("profile", help="print a generator profile, to copy and edit")
    p.add_argument("file", nargs="?", help="a profile file to check (default: the default)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..synth.profile import load_profile

    print(json.dumps(load_profile(args.file).data, indent=1, ensure_ascii=False))
    return 0
