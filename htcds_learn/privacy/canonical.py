"""Picklist values in one canonical spelling, so that nothing else can leave in their place.

A picklist column in a real file holds labels and names, odd letter case, members of a
multi-select in any order, and sometimes free text typed where a value was expected ("Musa
Ibrahim", a phone number). Before anything is counted or shared, every cell becomes the
standard's value name (members of a multi-select sorted in the standard's order, joined by
``;``); a value outside the picklist is blanked and counted, never passed on.

>>> import pandas as pd
>>> column = pd.Series(["sexual exploitation", "ForcedLabour;SexualExploitation",
...                     "SexualExploitation ; forced_labour", "Musa Ibrahim", ""])
>>> values, outside = canonical_column(column, "vic_TypeOfExploitation")
>>> values.tolist(), outside
(['SexualExploitation', 'ForcedLabour;SexualExploitation', \
'ForcedLabour;SexualExploitation', '', ''], 1)
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

import numpy as np
import pandas as pd

from .. import standard
from ..standard.codes import is_country_code
from .coded import counts, distinct, from_codes

DELIMITER = ";"
RARE_COMBINATION = "(rare combination)"  # a multi-select set seen too rarely to show


def _key(text: str) -> str:
    """Letters and digits only, case-folded: 'Sexual exploitation' == 'sexual_exploitation'."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\W_]+", "", folded)


@cache
def _lookup(field_name: str) -> tuple[dict[str, str], tuple[str, ...]]:
    """Normalised spelling -> value name, and the value names in the standard's order."""
    f = standard.field(field_name)
    spellings: dict[str, str] = {}
    for value in f.values:
        spellings.setdefault(_key(value.name), value.name)
        spellings.setdefault(_key(value.label), value.name)
    return spellings, f.value_names


def is_picklist(field_name: str) -> bool:
    """Whether a field has a list of allowed values (a picklist, multi-select or country list).

    >>> is_picklist("prs_Gender"), is_picklist("prs_Citizenship"), is_picklist("prs_FirstName")
    (True, True, False)
    """
    try:
        f = standard.field(field_name)
    except KeyError:
        return False
    return bool(f.values) or f.kind in ("country", "country_list")


def members(field_name: str) -> tuple[str, ...]:
    """The allowed values of a picklist field, in the standard's order."""
    return _lookup(field_name)[1]


@cache
def _order(field_name: str) -> dict[str, int]:
    return {name: i for i, name in enumerate(members(field_name))}


@lru_cache(maxsize=1 << 16)  # members repeat across cells; bounded, as cells may be free text
def _member(part: str, field_name: str, countries: bool) -> str:
    """The value name one member of a cell stands for, or "" when it is outside the picklist."""
    if countries:
        code = unicodedata.normalize("NFKC", part).strip().upper()
        return code if is_country_code(code) else ""
    return _lookup(field_name)[0].get(_key(part), "")


def _canonical_cell(text: str, field_name: str, multiple: bool,
                    countries: bool) -> tuple[str, bool]:
    """One cell's canonical text, and whether anything in it was outside the picklist."""
    if text == RARE_COMBINATION:  # a generalised value the release itself wrote
        return text, False
    parts = [p for p in (text.split(DELIMITER) if multiple else [text]) if p.strip()]
    found: list[str] = []
    outside = False
    for part in parts:
        name = _member(part, field_name, countries)
        if name:
            found.append(name)
        else:
            outside = True
    if countries:  # the first citizenship leads (CTDC keeps one); others follow in order
        ordered = list(dict.fromkeys(found))
    else:
        ordered = sorted(set(found), key=_order(field_name).__getitem__)
    return DELIMITER.join(ordered), outside


def canonical_column(values: pd.Series, field_name: str) -> tuple[pd.Series, int]:
    """``values`` in canonical spelling, and how many cells held something outside the picklist.

    Each distinct cell is worked out once, so a million rows cost what their distinct values
    cost. Blanks stay blank; a cell whose every part is outside the picklist becomes blank.
    """
    f = standard.field(field_name)
    countries = f.kind in ("country", "country_list")
    multiple = f.multiple or f.kind == "country_list"
    codes, uniques = distinct(values)
    worked = [_canonical_cell(str(u), field_name, multiple, countries) for u in uniques]
    canonical = np.array([w[0] for w in worked], dtype=object)
    outside = np.array([w[1] for w in worked], dtype=bool)
    return (from_codes(codes, canonical, values.index),
            int(np.bincount(codes, minlength=len(uniques))[outside].sum()))


def member_flags(values: pd.Series, field_name: str) -> pd.DataFrame:
    """One True/False column per member of a multi-select, from canonical values.

    >>> member_flags(pd.Series(["ForcedLabour;SexualExploitation", ""]),
    ...              "vic_TypeOfExploitation")[["ForcedLabour", "SexualExploitation"]]
       ForcedLabour  SexualExploitation
    0          True                True
    1         False               False
    """
    codes, uniques = distinct(values)
    sets = [set(str(u).split(DELIMITER)) for u in uniques]
    return pd.DataFrame({m: np.array([m in s for s in sets], dtype=bool)[codes]
                         for m in members(field_name)}, index=values.index)


def group_rare(values: pd.Series, *, minimum: int, other: str = RARE_COMBINATION) -> pd.Series:
    """Values (for example multi-select sets) seen fewer than ``minimum`` times become ``other``.

    Blanks stay blank: a blank is "not recorded", not a rare value.

    >>> group_rare(pd.Series(["A", "A", "A;B", ""]), minimum=2).tolist()
    ['A', 'A', '(rare combination)', '']
    """
    codes, uniques, seen = counts(values)
    kept = np.array([u if n >= minimum or u == "" else other for u, n in zip(uniques, seen)],
                    dtype=object)
    return from_codes(codes, kept, values.index)
