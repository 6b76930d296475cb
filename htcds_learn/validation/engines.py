"""Check HTCDS records and say, in plain words, what is wrong and how to fix it.

Two engines check the same rules (:mod:`htcds_learn.validation.rules`) and must agree; each is
one loop over the rule registry:

* ``engine="fast"`` (the default) works on whole columns with pandas: for large tables.
* ``engine="reference"`` checks one record at a time: each row against a JSON Schema with the
  ``jsonschema`` library, then the rules a schema cannot express (dates in order, a closed
  case needs a reason, duplicates). It is slow and simple, so it is easy to trust.

The result is a :class:`ValidationReport`: one row per finding, with the row number as a
spreadsheet shows it.

>>> import pandas as pd
>>> table = pd.DataFrame({"prs_Gender": ["Feminine", "Femal"],
...                       "cas_Status": ["Active", "Follow up"]})
>>> report = validate_table(table)
>>> print(report.findings.loc[0, "message"])
Row 3, Gender: 'Femal' is not an HTCDS value. Did you mean 'Feminine'?
>>> validate_table(table, engine="reference").findings.equals(report.findings)
True
"""

from __future__ import annotations

import gc
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from datetime import date

import pandas as pd

from .._util.frames import ObjectGroups, as_text, text_and_groups
from ..errors import ChoiceError
from .context import FastTable, ReferenceTable
from .finding import Finding
from .registry import RULES, Rule
from .report import REPORT_COLUMNS, ValidationReport, table_report
from .rules import rules_table

ENGINES = ("fast", "reference")  # the fast one for use, the reference one to check it

__all__ = ["ENGINES", "REPORT_COLUMNS", "ValidationReport", "fast", "reference",
           "rules_table", "validate_table"]


def _rules(method: str, skip: Collection[str]) -> list[Rule]:
    return [rule for code, rule in RULES.items() if rule.implements(method) and code not in skip]


def header(text: pd.DataFrame, skip: Collection[str] = ()) -> list[Finding]:
    """The findings about the columns themselves (both engines share them)."""
    return [f for rule in _rules("header", skip) for f in rule.header(text)]


def fast(text: pd.DataFrame, today: date, skip: Collection[str] = (),
         groups: Mapping[str, ObjectGroups] | None = None) -> list[Finding]:
    """Every rule's fast check, over whole columns (``groups``: see ``text_and_groups``)."""
    table = FastTable(text, today, groups)
    return [f for rule in _rules("fast", skip) for f in rule.fast(table)]


def reference(text: pd.DataFrame, today: date, skip: Collection[str] = ()) -> list[Finding]:
    """Every rule's reference check, one record at a time."""
    table = ReferenceTable(text, today)
    return [f for rule in _rules("reference", skip) for f in rule.reference(table)]


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a table is checked, then restore it.

    A check makes many small objects (findings, their report rows) while lists of a
    million cells are alive, and every full collection walks those lists again: on a
    million rows that was 1.5 s of 9. Nothing the check makes needs collecting early.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def validate_table(table: pd.DataFrame, *, engine: str = "fast", source: str = "",
                   header_rows: int = 1, today: date | None = None,
                   skip: Collection[str] = ()) -> ValidationReport:
    """Check a flat table (a Core table, a section table, a spreadsheet) against HTCDS.

    ``header_rows`` is how many rows sit above the data in the file (1 for a CSV, 2 for IOM's
    Excel template), so that row numbers match what a person sees in a spreadsheet.
    ``skip`` names rules not to check (for example the duplicate rules, ``repeated-record``
    and ``likely-same-person``, the slowest on millions of rows).

    >>> skipped = validate_table(pd.DataFrame({"con_Consent": [""]}), skip={"missing-consent"})
    >>> len(skipped.findings)
    0
    """
    if engine not in ENGINES:
        raise ChoiceError.from_catalogue("validation.engine", choices=", ".join(
            map(repr, ENGINES)), value=repr(engine))
    unknown = sorted(set(skip) - set(RULES))
    if unknown:
        raise ValueError(f"no such rule to skip: {', '.join(unknown)}")
    today = today or date.today()
    with cycle_collection_paused():
        if engine == "fast":
            text, groups = text_and_groups(table, renumber=True)
            found = header(text, skip) + fast(text, today, skip, groups)
        else:
            text = as_text(table, renumber=True)
            found = header(text, skip) + reference(text, today, skip)
        findings, items = table_report(found, text, first_row=header_rows + 1)
        # The engine's findings (the report holds located copies) go now, while the cycle
        # collector sleeps: else its next pass walks 50,000 of them for nothing.
        del found
    return ValidationReport(findings, len(text), source, engine, list(text.columns),
                            header_rows + 1, items)
