"""Rules about fields that must agree with each other within a record."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from ...standard import annotations as notes
from ..context import FastTable, ReferenceTable
from ..finding import Finding
from ..registry import Rule, register


class SubtypeRule(Rule):
    """A subtype filled in although the type it describes is not chosen
    (``only_with`` in ``standard/notes.py``)."""

    def __init__(self, code: str, field: str, **kwargs: object) -> None:
        super().__init__(code, "error", **kwargs)  # type: ignore[arg-type]
        only_with = notes.annotation(field).only_with
        assert only_with is not None, f"{field} has no only_with annotation"
        self.field = field
        self.other, self.needs = only_with

    def fast(self, table: FastTable) -> Iterable[Finding]:
        if self.other not in table or self.field not in table:
            return
        source = table.column(self.other)
        has = np.array([self.needs in items for items in source.item_sets], dtype=bool)
        wrong = ~table.column(self.field).blank & ~source.per_row(has)
        for position in np.flatnonzero(wrong).tolist():
            yield Finding(self.code, self.field, table.cell(self.field, position), position)

    def reference(self, table: ReferenceTable) -> Iterable[Finding]:
        if self.other not in table or self.field not in table:
            return
        for record in table.records:
            if not record.blank(self.field) and self.needs not in record.items(self.other):
                yield Finding(self.code, self.field, record.cells[self.field], record.position)


register(SubtypeRule("sex-subtype-without-sexual-exploitation", "vic_TypeOfSexExploitation",
                     examples=[[{"vic_TypeOfExploitation": "ForcedLabour",
                                 "vic_TypeOfSexExploitation": "Prostitution"}]]))
register(SubtypeRule("industry-without-forced-labour", "vic_ForcedLabourIndustry",
                     examples=[[{"vic_TypeOfExploitation": "SexualExploitation",
                                 "vic_ForcedLabourIndustry": "F_Construction"}]]))

REASON = "cas_ReasonForCaseClosure"


@register
class ClosedWithoutReason(Rule):
    """A closed case with no reason for closing (``needed_when`` in the annotations)."""

    code = "closed-without-reason"
    examples = ([{"cas_Status": "Closed", REASON: ""}],)

    def __init__(self) -> None:
        super().__init__()
        needed_when = notes.annotation(REASON).needed_when
        assert needed_when is not None
        self.status, self.closed = needed_when

    def fast(self, table: FastTable) -> Iterable[Finding]:
        if self.status in table and REASON in table:
            source = table.column(self.status)
            closed = source.per_row(pd.Series(source.checked, dtype=object).isin(
                list(self.closed)).to_numpy())
            for position in np.flatnonzero(closed & table.column(REASON).blank).tolist():
                yield Finding(self.code, REASON, table.cell(self.status, position), position)

    def reference(self, table: ReferenceTable) -> Iterable[Finding]:
        if self.status in table and REASON in table:
            for record in table.records:
                if record.cells[self.status] in self.closed and record.blank(REASON):
                    yield Finding(self.code, REASON, record.cells[self.status],
                                  record.position)
