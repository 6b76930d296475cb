"""What every command shares: its error type, a plain-text table, argument parsers."""

from __future__ import annotations

import argparse

from .. import standard
from ..errors import HtcdsLearnError


class CommandError(HtcdsLearnError):
    """A problem with the command line itself."""


def print_table(rows: list[dict], columns: list[str]) -> None:
    """Rows as aligned columns, for a terminal."""
    widths = {c: max([len(c)] + [len(str(r[c])) for r in rows]) for c in columns}
    print("  ".join(c.ljust(widths[c]) for c in columns).rstrip())
    print("  ".join("-" * widths[c] for c in columns))
    for r in rows:
        print("  ".join(str(r[c]).ljust(widths[c]) for c in columns).rstrip())


def whole_number(minimum: int, what: str):
    """An argument parser for whole numbers of at least ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text.replace("_", "").replace(",", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{what} must be a whole number, not '{text}'") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{what} must be {minimum} or more, not {value}")
        return value
    return parse


def locales(text: str) -> list[str]:
    from faker.config import AVAILABLE_LOCALES

    chosen = [part for part in text.replace(",", " ").split() if part]
    for locale in chosen:
        if locale not in AVAILABLE_LOCALES:
            hint = standard.suggest(locale, AVAILABLE_LOCALES)
            raise argparse.ArgumentTypeError(f"Faker has no locale '{locale}'. {hint}".strip())
    return chosen
