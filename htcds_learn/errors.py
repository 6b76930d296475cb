"""A small hierarchy of errors that a trainee can read.

Every error says what went wrong and, where it can, what to do instead. The command line turns
them into ``Error: ...`` lines and an exit code, never a traceback.
"""

from __future__ import annotations

from typing import Any

from .messages import Message, has


class HtcdsLearnError(Exception):
    """The base of every error this package raises on purpose.

    ``message`` and ``hint`` are text or catalogue messages (``htcds_learn.messages.Message``);
    the error is worded when it is shown, in the language of that moment.

    >>> str(HtcdsLearnError.from_catalogue("example.greeting", name="Amina"))
    'Hello, Amina.'
    """

    def __init__(self, message: str | Message, hint: str | Message = "") -> None:
        self.message = message
        self.hint = hint
        super().__init__(message, hint)

    @classmethod
    def from_catalogue(cls, message_id: str, /, **values: Any) -> HtcdsLearnError:
        """The error worded by catalogue entry ``message_id`` (and ``message_id.hint`` if any)."""
        hint_id = f"{message_id}.hint"
        return cls(Message(message_id, values), Message(hint_id, values) if has(hint_id) else "")

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class UnknownFieldError(HtcdsLearnError, KeyError):
    """A field name that is not in HTCDS v2.0."""

    def __str__(self) -> str:  # KeyError would otherwise quote the whole message
        return HtcdsLearnError.__str__(self)


class UnknownValueError(HtcdsLearnError, ValueError):
    """A value that is not in a field's picklist (neither a value name nor a label)."""


class UnknownSectionError(HtcdsLearnError, KeyError):
    """A section name, prefix or table name that HTCDS does not have."""

    def __str__(self) -> str:
        return HtcdsLearnError.__str__(self)


class UnknownNameError(HtcdsLearnError, KeyError):
    """A name of the package's model (an entity, a flat table) that does not exist."""

    def __str__(self) -> str:
        return HtcdsLearnError.__str__(self)


class ChoiceError(HtcdsLearnError, ValueError):
    """An option that is not one of the choices (an engine, a flaw kind, a rate)."""


class ProgressFileError(HtcdsLearnError):
    """The progress record could not be read or written."""


class ProfileError(HtcdsLearnError):
    """A generator profile (the proportions of synthetic data) that cannot be used."""


class InputError(HtcdsLearnError):
    """An input file that cannot be read: it names the file, and the row and field if known."""
