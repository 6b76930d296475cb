"""Rules about identifiers: one row per record."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

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
        filled = ~np.logical_and.reduce([table.column(k).blank for k in keys])
        # Exact codes, not the text: pandas would take 'x' and 'x\x00' for one value. The
        # codes of the key columns make one integer per row while they fit in 63 bits.
        columns = [table.column(k) for k in keys]
        if np.prod([float(len(c.uniques)) for c in columns]) < 2.0**62:
            key = np.zeros(len(table), dtype=np.int64)
            for column in columns:
                key = key * len(column.uniques) + column.codes
            duplicated = pd.Series(key).duplicated(keep="first").to_numpy() & filled
        else:
            codes = pd.DataFrame({k: table.column(k).codes for k in keys})
            duplicated = codes.duplicated(keep="first").to_numpy() & filled
        for position in np.flatnonzero(duplicated).tolist():
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
