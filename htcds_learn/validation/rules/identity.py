"""Rules about identifiers: one row per record."""

from __future__ import annotations

import operator
from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..._util.frames import factorize_exact
from ..context import FastTable, ReferenceTable
from ..finding import Finding
from ..registry import Change, FlawSite, Rule, flaw, register


def key_columns(columns: Iterable[str]) -> list[str]:
    """The columns that identify a row: a table's own identifier first."""
    columns = list(columns)
    for key in ("referral_id", "event_id", "support_plan_id", "comment_id",
                "organisation_id"):
        if key in columns:
            return [key]
    if "case_id" in columns and "person_id" in columns:
        return ["case_id", "person_id"]
    alone: list[str] = [key for key in ("person_id", "case_id") if key in columns]
    return alone[:1]


def maybe_repeated(cells: np.ndarray) -> np.ndarray:
    """For each cell: may another cell hold the same text? True for every cell that does
    (equal texts have equal hashes), and for the rare cell whose hash another text shares.

    Python keeps each text's hash, so this is integer work: sorting a million hashes finds
    the repeated ones faster than a hash table of a million texts.

    >>> maybe_repeated(np.array(["C-1", "C-2", "C-1", ""], dtype=object)).tolist()
    [True, False, True, False]
    """
    hashes = np.fromiter(map(hash, cells.tolist()), dtype=np.int64, count=len(cells))
    ordered = np.sort(hashes)
    repeated = ordered[1:][ordered[1:] == ordered[:-1]]
    return pd.Series(hashes).isin(repeated).to_numpy()


def later_repeats(table: FastTable, keys: list[str]) -> np.ndarray:
    """The positions of the rows whose identifiers (every column of ``keys``) an earlier row
    holds too, leaving out rows whose identifiers are all blank.

    Identifiers are nearly all different, so finding the distinct values of each key column
    costs more than it tells. One hashing pass over the first key finds the rows whose first
    identifier is repeated: only a row among them can repeat an earlier row. Those few rows
    are then compared exactly, all keys at once (exact codes, not the text: pandas would take
    'x' and 'x\\x00' for one value).
    """
    memo_key = ("later_repeats", *keys)
    remembered = table.memo.get(memo_key)
    if remembered is not None:  # duplicate-id and repeated-record both ask
        return remembered
    table.memo[memo_key] = found = _later_repeats(table, keys)
    return found


def _later_repeats(table: FastTable, keys: list[str]) -> np.ndarray:
    candidates = np.flatnonzero(maybe_repeated(table.column(keys[0]).array))
    if not len(candidates):
        return candidates
    cells = [pd.Series(table.column(k).array[candidates], dtype=object) for k in keys]
    codes = [factorize_exact(c) for c in cells]
    # The codes of the key columns make one integer per row while they fit in 63 bits.
    if np.prod([float(len(uniques)) for _, uniques in codes]) < 2.0**62:
        key = np.zeros(len(candidates), dtype=np.int64)
        for column_codes, uniques in codes:
            key = key * len(uniques) + column_codes
        repeated = pd.Series(key).duplicated(keep="first").to_numpy()
    else:
        repeated = pd.DataFrame({i: c for i, (c, _) in enumerate(codes)}).duplicated(
            keep="first").to_numpy()
    blank = np.logical_and.reduce([np.fromiter(map(operator.not_, map(str.strip, c)),
                                               dtype=bool, count=len(c)) for c in cells])
    return candidates[repeated & ~blank]


@register
class DuplicateId(Rule):
    """The same identifier (or pair of identifiers) in two rows: reported on the later row."""

    code = "duplicate-id"
    examples = ([{"case_id": "CASE-1", "person_id": "P-1"},
                 {"case_id": "CASE-1", "person_id": "P-1"}],
                [{"referral_id": "REF-1"}, {"referral_id": "REF-2"}, {"referral_id": "REF-1"}])

    def fast(self, table: FastTable) -> Iterable[Finding]:
        keys = key_columns(table.columns)
        if not keys:
            return
        for position in later_repeats(table, keys).tolist():
            yield Finding(self.code, keys[0],
                          "|".join(table.cell(k, position) for k in keys), position)

    def reference(self, table: ReferenceTable) -> Iterable[Finding]:
        keys = key_columns(table.columns)
        if not keys:
            return
        seen: set[tuple[str, ...]] = set()
        for record in table.records:
            key = tuple(record.cells[k] for k in keys)
            if key in seen and not all(record.blank(k) for k in keys):
                yield Finding(self.code, keys[0], "|".join(key), record.position)
            seen.add(key)

    @staticmethod
    @flaw("duplicate-case")
    def copy_previous_row(site: FlawSite) -> Change | None:
        if site.position > 0 and site.has("case_id"):
            original = site.cell("case_id")
            site.dirty.loc[site.position] = site.dirty.loc[site.position - 1].to_numpy()
            return "case_id", original, site.cell("case_id")
        return None
