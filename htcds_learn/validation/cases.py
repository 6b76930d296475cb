"""Check nested case documents: their JSON Schema, every table's rules, then the links and
timelines across their records."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import Any

from .context import CaseSet
from .engines import validate_table
from .finding import Finding
from .registry import RULES
from .report import ValidationReport, frame

# The rules that look across the records of case documents, in the order they are reported
# (after each document's JSON Schema and each table's own rules).
ACROSS_RECORDS = ("unknown-reference", "date-order")


def validate_cases(documents: Iterable[dict[str, Any]], *, source: str = "",
                   today: date | None = None) -> ValidationReport:
    """Check nested case documents: the JSON Schema, then every table's rules and references.

    A finding's row is the case's position in the file (the first case is row 1).
    """
    cases = CaseSet(list(documents))
    found: list[Finding] = list(RULES["schema"].cases(cases))
    for name, table in cases.tables.items():
        report = validate_table(table, today=today)
        case_ids = table.get("case_id")
        for item in report.items:
            if item.rule == "unknown-column":
                continue
            number = 0 if case_ids is None or item.position < 0 \
                else cases.number.get(case_ids.iat[item.position], 0)
            found.append(replace(item, row=number, table=name, unit="case"))
    for code in ACROSS_RECORDS:
        found += RULES[code].cases(cases)
    return ValidationReport(frame(found), len(cases.documents), source, "fast", [],
                            items=found)
