"""A finding: one problem, kept as data until a person reads it.

A rule says *what* is wrong (its code), the engine says *where* (the row and the field), and the
finding carries the value and the parameters of the rule's sentence. Words come last, from the
message catalogue, when the report is made (:mod:`htcds_learn.validation.report`).

>>> Finding("not-allowed-value", "prs_Gender", "Femal", position=0).rule
'not-allowed-value'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from ..messages import Message

HEADER = -1  # the position of a finding about a whole column (the header row)


@dataclass(frozen=True)
class Finding:
    """One problem: the rule it breaks, where it is, the value, and its sentence's values.

    ``position`` is the row's place in the table the engine checked (0 for the first record,
    :data:`HEADER` for a column). ``row``, ``record`` and ``table`` say where a person finds
    it, and are filled in when it is reported: ``row`` is the spreadsheet row (or, for case
    documents, the case's number, with ``unit="case"``).
    """

    rule: str
    field: str
    value: Any = ""
    position: int = HEADER
    hint: Message | None = None  # None: the rule's own hint
    params: Mapping[str, Any] = dataclass_field(default_factory=dict)
    row: int = 0
    record: str = ""
    table: str = ""
    unit: str = "row"
