"""A small hierarchy of errors that a trainee can read.

Every error says what went wrong and, where it can, what to do instead. The command line turns
them into ``Error: ...`` lines and an exit code, never a traceback.
"""

from __future__ import annotations


class HtcdsLearnError(Exception):
    """The base of every error this package raises on purpose."""

    def __init__(self, message: str, hint: str = "") -> None:
        self.message = message
        self.hint = hint
        super().__init__(f"{message} {hint}".strip())


class UnknownFieldError(HtcdsLearnError, KeyError):
    """A field name that is not in HTCDS v2.0."""

    def __str__(self) -> str:  # KeyError would otherwise quote the whole message
        return self.args[0]


class UnknownValueError(HtcdsLearnError, ValueError):
    """A value that is not in a field's picklist (neither a value name nor a label)."""


class UnknownSectionError(HtcdsLearnError, KeyError):
    """A section name, prefix or table name that HTCDS does not have."""

    def __str__(self) -> str:
        return self.args[0]


class ProgressFileError(HtcdsLearnError):
    """The progress record could not be read or written."""


class ProfileError(HtcdsLearnError):
    """A generator profile (the proportions of synthetic data) that cannot be used."""


class InputError(HtcdsLearnError):
    """An input file that cannot be read: it names the file, and the row and field if known."""
