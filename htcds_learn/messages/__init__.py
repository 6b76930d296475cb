"""Every sentence the package shows a person, by id, from a catalogue per language.

Code keeps messages structured (an id and its values) and renders them only at the edge, when
a person reads them. The English catalogue is ``en.json``; another language is one more file
beside it (``fr.json``) with the same ids, and nothing else changes. A missing id in that file
falls back to English, so a half-done translation still works.

>>> str(Message("example.greeting", {"name": "Amina"}))
'Hello, Amina.'
>>> text("example.greeting", name="Amina", language="en")
'Hello, Amina.'
>>> with language("xx"):  # no such catalogue: English
...     text("example.greeting", name="Bo")
'Hello, Bo.'
"""

from __future__ import annotations

import json
import os
import string
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

DEFAULT_LANGUAGE = "en"
_active: list[str] = []


def folders() -> tuple[str, ...]:
    """Extra folders searched for catalogues before the package's own, from the environment
    variable HTCDS_LEARN_MESSAGES (folders separated as in PATH): a translation can be tried
    without touching the installed package."""
    return tuple(f for f in os.environ.get("HTCDS_LEARN_MESSAGES", "").split(os.pathsep) if f)


def catalogue(language: str) -> Mapping[str, str]:
    """The id -> template table of one language ({} when there is no such catalogue)."""
    return _catalogue(language, folders())


@cache
def _catalogue(language: str, extra: tuple[str, ...]) -> Mapping[str, str]:
    name = f"{language}.json"
    for folder in extra:
        path = Path(folder) / name
        if path.is_file():
            return _entries(path.read_text("utf-8"))
    try:
        return _entries(resources.files(__name__).joinpath(name).read_text("utf-8"))
    except (FileNotFoundError, OSError):
        return {}


def _entries(raw: str) -> dict[str, str]:
    return {key: value for key, value in json.loads(raw).items() if not key.startswith("_")}


def current_language() -> str:
    """The language messages render in: ``language(...)``, else HTCDS_LEARN_LANGUAGE, else en."""
    if _active:
        return _active[-1]
    return os.environ.get("HTCDS_LEARN_LANGUAGE", "").strip() or DEFAULT_LANGUAGE


@contextmanager
def language(code: str) -> Iterator[None]:
    """Render messages in ``code`` inside a ``with`` block."""
    _active.append(code)
    try:
        yield
    finally:
        _active.pop()


def has(message_id: str) -> bool:
    """Whether the English catalogue knows ``message_id``."""
    return message_id in catalogue(DEFAULT_LANGUAGE)


def template(message_id: str, language: str | None = None) -> str:
    """The raw template of ``message_id``, in ``language`` or English."""
    chosen = language or current_language()
    found = catalogue(chosen).get(message_id)
    if found is None:
        found = catalogue(DEFAULT_LANGUAGE).get(message_id)
    if found is None:
        raise KeyError(f"no message {message_id!r} in the catalogue")
    return found


def text(message_id: str, /, *, language: str | None = None, **values: Any) -> str:
    """Render ``message_id`` with ``values`` (missing values show as {name}, never crash)."""
    return string.Formatter().vformat(template(message_id, language), (), _Lenient(values))


class _Lenient(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True)
class Message:
    """A message kept as data (its id and values) until someone reads it."""

    id: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def render(self, language: str | None = None) -> str:
        return text(self.id, language=language, **self.values)

    def __str__(self) -> str:
        return self.render()


def ids() -> list[str]:
    """Every message id of the English catalogue, sorted."""
    return sorted(catalogue(DEFAULT_LANGUAGE))


def placeholders(message_id: str, language: str | None = None) -> set[str]:
    """The ``{names}`` a template uses (a translation must use the same ones)."""
    return {name for _, name, _, _ in string.Formatter().parse(template(message_id, language))
            if name}
