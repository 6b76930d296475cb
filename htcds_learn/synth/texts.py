"""The words the generator writes into cases, read from a JSON file per language.

Closure reasons, case comments, referral details, event descriptions, perpetrator roles, plan
objectives, organisation names, salutations and job titles live in ``data/texts/en.json``, not
in the code. A translation is a copy of that file (``fr.json``) with every text translated. It
keeps the keys, the number and order of entries, and the ``{placeholders}``: so the same seed
draws the same cases, and only the words change. Loading checks exactly that; a key the copy
leaves out is taken from English, so a half-done translation still works.

>>> texts = load_texts()
>>> texts.closure_reasons[texts.closure_reason_after_referral]
'Case handed over to the receiving organisation after referral.'
>>> texts.comment_with_first_name.format(first_name="Amina", comment="Safety plan reviewed.")
'Spoke with Amina today. Safety plan reviewed.'

``text_provider.CaseTextProvider`` offers the same texts one at a time in any Faker.
"""

from __future__ import annotations

import json
import string
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from .. import standard
from ..errors import HtcdsLearnError

DEFAULT_LANGUAGE = "en"
# Values that are HTCDS names or keys, not words: a translation keeps them as they are.
_KEPT = {"type", "closure_reason_after_referral"}


class TextsError(HtcdsLearnError):
    """A texts file for the generator that cannot be used."""


@dataclass(frozen=True)
class OrganisationKind:
    """One kind of organisation each country has: its HTCDS ``org_Type`` and a name pattern
    in which ``{city}``, ``{country}`` and ``{company}`` are filled in."""

    type: str
    name: str


@dataclass(frozen=True)
class CaseTexts:
    """Every text the generator writes, in one language (see ``data/texts/en.json``)."""

    source: str
    organisations: tuple[OrganisationKind, ...]
    worker_titles: tuple[str, ...]
    salutations: dict[str, str]  # "feminine", "masculine", "other"
    closure_reasons: tuple[str, ...]
    closure_reason_after_referral: int  # which of closure_reasons a referral closes with
    incoming_referral_details: tuple[str, ...]
    outgoing_referral_details: tuple[str, ...]
    case_comments: tuple[str, ...]
    comment_with_first_name: str  # {first_name} {comment}
    comment_with_phone: str  # {comment} {phone}
    event_descriptions: dict[str, str]  # by hte_Type
    perpetrator_role_details: tuple[str, ...]
    support_plan_objectives: dict[str, str]  # by spl_Type
    support_plan_actions: str


def _read(path: Path | Any, where: str) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TextsError(f"{where}: no such file.", "Check the path or the language code.") \
            from None
    except (OSError, UnicodeDecodeError) as error:
        raise TextsError(f"{where}: cannot be read ({error}).",
                         "A texts file is a UTF-8 JSON file.") from None
    except json.JSONDecodeError as error:
        raise TextsError(f"{where}: not valid JSON (line {error.lineno}, column "
                         f"{error.colno}: {error.msg}).",
                         "Check for a missing comma or quote there.") from None
    if not isinstance(data, dict):
        raise TextsError(f"{where}: a texts file is a JSON object (curly brackets).")
    return {key: value for key, value in data.items() if not key.startswith("_")}


def _placeholders(text: str, where: str = "") -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        raise TextsError(f"{where}: a {{ or }} without its pair.",
                         "Placeholders look like {city}; write {{ or }} for a brace itself.") \
            from None


def _check_value(value: Any, english: Any, where: str) -> None:
    """``value`` has the shape of its English counterpart: the checks a translation passes."""
    shapes: dict[type, str] = {str: "a text", list: "a list", dict: "an object (curly brackets)"}
    shape = shapes[type(english)]
    if type(value) is not type(english):
        raise TextsError(f"{where}: expected {shape}, as in the English file.")
    if isinstance(english, str):
        if _placeholders(value, where) != _placeholders(english):
            wanted = ", ".join(f"{{{p}}}" for p in sorted(_placeholders(english))) or "none"
            raise TextsError(f"{where}: the placeholders differ from the English text.",
                             f"Keep exactly these: {wanted}.")
    elif isinstance(english, list):
        if len(value) != len(english):
            raise TextsError(f"{where}: {len(value)} entries, but the English file has "
                             f"{len(english)}.", "Translate each entry; do not add or remove.")
        for i, (item, english_item) in enumerate(zip(value, english)):
            _check_value(item, english_item, f"{where}[{i}]")
    else:
        if list(value) != list(english):
            raise TextsError(f"{where}: the keys differ from the English file.",
                             f"Keep these keys, in this order: {', '.join(english)}.")
        for key in english:
            if key in _KEPT and value[key] != english[key]:
                raise TextsError(f"{where}.{key}: keep {english[key]!r} as it is.",
                                 "It is an HTCDS value, not a word to translate.")
            _check_value(value[key], english[key], f"{where}.{key}")


def _merged(data: dict[str, Any], english: dict[str, Any], where: str) -> dict[str, Any]:
    """A translation checked against English, with the keys it leaves out taken from English."""
    unknown = [key for key in data if key not in english]
    if unknown:
        hint = standard.suggest(unknown[0], list(english)) or \
            f"The keys are: {', '.join(english)}."
        raise TextsError(f"{where}: '{unknown[0]}' is not a key of the texts file.", hint)
    for key, value in data.items():
        if key in _KEPT and value != english[key]:
            raise TextsError(f"{where}: {key}: keep {english[key]!r} as it is.",
                             "It names an entry, not a word to translate.")
        _check_value(value, english[key], f"{where}: {key}")
    return {**english, **data}


def _case_texts(data: dict[str, Any], source: str) -> CaseTexts:
    reasons = data["closure_reasons"]
    return CaseTexts(
        source=source,
        organisations=tuple(OrganisationKind(o["type"], o["name"])
                            for o in data["organisations"]),
        worker_titles=tuple(data["worker_titles"]),
        salutations=dict(data["salutations"]),
        closure_reasons=tuple(reasons.values()),
        closure_reason_after_referral=list(reasons).index(data["closure_reason_after_referral"]),
        incoming_referral_details=tuple(data["incoming_referral_details"]),
        outgoing_referral_details=tuple(data["outgoing_referral_details"]),
        case_comments=tuple(data["case_comments"]),
        comment_with_first_name=data["comment_with_first_name"],
        comment_with_phone=data["comment_with_phone"],
        event_descriptions=dict(data["event_descriptions"]),
        perpetrator_role_details=tuple(data["perpetrator_role_details"]),
        support_plan_objectives=dict(data["support_plan_objectives"]),
        support_plan_actions=data["support_plan_actions"],
    )


def _packaged(language: str) -> Any:
    return resources.files("htcds_learn").joinpath(f"data/texts/{language}.json")


@cache
def _english() -> dict[str, Any]:
    return _read(_packaged(DEFAULT_LANGUAGE), "the English texts file")


@cache
def _packaged_texts(language: str) -> CaseTexts:
    where = f"data/texts/{language}.json"
    if language == DEFAULT_LANGUAGE:
        return _case_texts(_english(), where)
    return _case_texts(_merged(_read(_packaged(language), where), _english(), where), where)


def load_texts(language_or_path: str | Path = DEFAULT_LANGUAGE) -> CaseTexts:
    """The generator's texts in a language the package holds ("en"), or from a JSON file.

    A file is checked against the English one (see the module's docstring), and read again
    at each call, so an edit shows at once.
    """
    text = str(language_or_path)
    if not (isinstance(language_or_path, Path) or text.endswith(".json")):
        return _packaged_texts(text)
    return _case_texts(_merged(_read(Path(text), text), _english(), text), text)
