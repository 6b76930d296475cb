"""Find identifiers in free text, in the forms people really write them, and redact them.

Text is first put in Unicode normal form NFKC, which turns full-width letters, digits and
signs ("＠", "０８０３") into their plain forms. Then the scanner looks for:

* **numbers** of six or more digits, written with spaces, dots, dashes, slashes or brackets
  between them ("0803 123 4567", "0803.123.4567", "555-1234"), in any script's digits;
* **identity numbers**: one to four letters followed by five or more digits ("A12345678");
* **e-mail addresses**, also written out ("amina at example dot org", "amina(at)example.org");
* **the dataset's own names**, ignoring letter case and accents: as whole words in Latin
  script; with case endings in Cyrillic, Greek, Armenian and Georgian ("Мусы" for "Муса");
  and anywhere in a word in scripts written without spaces or with joined prefixes (Thai, Lao,
  Khmer, Burmese, Chinese, Japanese, Korean, Arabic, Hebrew, Devanagari and other Indic
  scripts).

A cell with letters in a script that none of the names is written in (and that is not Latin)
cannot be checked for names, so it is redacted whole. Redacting a word too many is safe;
missing a name is not.

>>> notes = pd.DataFrame({"note": ["Call Musa on 0803.123.4567 or musa at mail dot com"]})
>>> found = scan_text(notes, names=["Musa"], columns=["note"])
>>> sorted(set(found["kind"]))
['email', 'name', 'phone']
>>> redact(notes, found)["note"][0]
'Call [REDACTED] on [REDACTED] or [REDACTED]'
>>> redact_text("МУСЫ нет дома, звоните ０８０３ １２３ ４５６７", names=["Муса"])
'[REDACTED] нет дома, звоните [REDACTED]'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from .roles import FREE_TEXT, role

REDACTED = "[REDACTED]"

_SEPARATOR = r"[\s.\-/()]{0,3}"
_PATTERNS = {
    "email": re.compile(
        r"[\w.+-]+\s*(?:@|\(\s*at\s*\)|\[\s*at\s*\]|\{\s*at\s*\}|\s+at\s+)\s*[\w-]+"
        r"(?:\s*(?:\.|\(\s*dot\s*\)|\[\s*dot\s*\]|\{\s*dot\s*\}|\s+dot\s+)\s*[\w-]+)+",
        re.IGNORECASE),
    "id-number": re.compile(r"(?<![^\W\d_])[^\W\d_]{1,4}[\s-]?\d{5,}(?!\d)"),
    "phone": re.compile(r"\+?\d(?:" + _SEPARATOR + r"\d){5,}"),
}
_STEMMED = {"CYRILLIC", "GREEK", "ARMENIAN", "GEORGIAN"}
_SPACED = {"LATIN"} | _STEMMED
_ALWAYS_SCANNABLE = {"LATIN", "COMMON"}


def _script(character: str) -> str:
    """The script of a letter from its Unicode name ('CYRILLIC SMALL LETTER A' -> CYRILLIC)."""
    if not character.isalpha():
        return "COMMON"
    name = unicodedata.name(character, "")
    first = name.split(" ")[0]
    if first in ("CJK", "HIRAGANA", "KATAKANA", "HANGUL"):
        return "CJK"
    return first or "UNKNOWN"


def _fold(text: str) -> str:
    """Case and accents removed, for comparing names: 'José' -> 'jose'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class _Names:
    words: frozenset[str]  # Latin: whole words
    stems: tuple[str, ...]  # Cyrillic and others with case endings: word beginnings
    anywhere: tuple[str, ...]  # no spaces between words: anywhere in the text
    scripts: frozenset[str]


@lru_cache(maxsize=8)
def _prepare(names: tuple[str, ...]) -> _Names:
    words, stems, anywhere, scripts = set(), set(), set(), set()
    for name in names:
        for part in unicodedata.normalize("NFKC", name).split():
            part = part.strip(".,'\"()")
            if not part:
                continue
            script = next((s for s in map(_script, part) if s != "COMMON"), "COMMON")
            scripts.add(script)
            folded = _fold(part)
            if script in _STEMMED:
                # Case endings change the last letter or two: "Муса" -> "Мусы", "Мусой".
                stems.add(folded[:-1] if len(folded) >= 4 else folded)
            elif script in _SPACED or script == "COMMON":
                words.add(folded)
            else:
                anywhere.add(part)
    return _Names(frozenset(words), tuple(sorted(stems, key=len, reverse=True)),
                  tuple(sorted(anywhere, key=len, reverse=True)), frozenset(scripts))


def _digits_to_ascii(text: str) -> str:
    return "".join(str(unicodedata.digit(c)) if c.isdigit() and not c.isascii()
                   and unicodedata.digit(c, None) is not None else c for c in text)


def find_in_text(text: str, names: Iterable[str] = ()) -> tuple[str, list[tuple[int, int, str]]]:
    """The normalised text and the spans ``(start, end, kind)`` of what identifies a person.

    A span covering the whole text with kind "script" means the text is in a script that
    cannot be checked for names.
    """
    prepared = _prepare(tuple(sorted({n for n in names if isinstance(n, str) and n.strip()})))
    text = _digits_to_ascii(unicodedata.normalize("NFKC", text))
    scripts = {_script(c) for c in text if c.isalpha()}
    if scripts - _ALWAYS_SCANNABLE - prepared.scripts:
        return text, [(0, len(text), "script")]
    spans: list[tuple[int, int, str]] = []
    for kind, pattern in _PATTERNS.items():
        spans += [(m.start(), m.end(), kind) for m in pattern.finditer(text)]
    for word in re.finditer(r"[^\W\d_][\w'’-]*", text):
        folded = _fold(word.group(0))
        bare = re.sub(r"['’]s$", "", folded)
        if bare in prepared.words or folded in prepared.words or any(
                folded.startswith(stem) and len(folded) <= len(stem) + 4
                for stem in prepared.stems):
            spans.append((word.start(), word.end(), "name"))
    for name in prepared.anywhere:
        spans += [(m.start(), m.end(), "name") for m in re.finditer(re.escape(name), text)]
    return text, sorted(spans)


def redact_text(text: str, names: Iterable[str] = ()) -> str:
    """``text`` with every identifier found by :func:`find_in_text` replaced by [REDACTED]."""
    normal, spans = find_in_text(text, names)
    if any(kind == "script" for _, _, kind in spans):
        return REDACTED
    out, cursor = [], 0
    for start, end, _ in _merge(spans):
        out += [normal[cursor:start], REDACTED]
        cursor = end
    return "".join(out + [normal[cursor:]])


def _merge(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    merged: list[tuple[int, int, str]] = []
    for start, end, kind in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]), merged[-1][2])
        else:
            merged.append((start, end, kind))
    return merged


def scan_text(table: pd.DataFrame, *, names: Iterable[str] = (),
              columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Find identifiers in free-text columns: one row per match (position, field, kind, match).

    ``names`` are the dataset's own person names (first and second names): a comment that says
    "Spoke with Amina today" identifies Amina. By default every free-text field is scanned.
    """
    names = tuple(sorted({n for n in names if isinstance(n, str) and n.strip()}))
    columns = list(columns) if columns is not None else [
        c for c in table.columns if role(c) == FREE_TEXT]
    rows = []
    for column in columns:
        for position, text in enumerate(table[column].tolist()):
            if not isinstance(text, str) or not text.strip():
                continue
            normal, spans = find_in_text(text, names)
            rows += [(position, column, kind, normal[start:end], start, end)
                     for start, end, kind in spans]
    return pd.DataFrame(rows, columns=["position", "field", "kind", "match", "start", "end"])


def redact(table: pd.DataFrame, found: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` with every match of :func:`scan_text` replaced by [REDACTED].

    A redacted cell comes back in Unicode normal form (full-width signs as plain ones).
    """
    out = table.copy()
    for (position, column), matches in found.groupby(["position", "field"]):
        cell = out[column].iat[position]
        if (matches["kind"] == "script").any():
            text = REDACTED
        else:
            normal = _digits_to_ascii(unicodedata.normalize("NFKC", cell))
            spans = list(zip(matches["start"], matches["end"], matches["kind"]))
            pieces, cursor = [], 0
            for start, end, _ in _merge(spans):
                pieces += [normal[cursor:start], REDACTED]
                cursor = end
            text = "".join(pieces + [normal[cursor:]])
        out.iat[position, out.columns.get_loc(column)] = text
    return out
