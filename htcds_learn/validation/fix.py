"""Safe fixes: the ones no person needs to decide (a label for its value name, spaces, ...)."""

from __future__ import annotations

import pandas as pd

from .._util.frames import as_text
from ..model import schema
from .engines import validate_table
from .registry import RULES
from .report import ValidationReport


def fix_table(table: pd.DataFrame, report: ValidationReport | None = None
              ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply the safe fixes; return a new table and a log of every change.

    Safe fixes: spaces trimmed; labels and case variants turned into value names; Excel date
    numbers into dates; yes/no into True/False; country names into codes. Nothing else is
    touched, and the input table is never modified.
    """
    report = report or validate_table(table)
    fixed = as_text(table, renumber=True).copy()
    known = schema.known_columns()
    log = []
    with_fix = [code for code, rule in RULES.items() if rule.has_fix]
    for _, finding in report.findings[report.findings["rule"].isin(with_fix)].iterrows():
        position = int(finding["row"]) - report.first_row
        column = finding["field"]
        if position < 0 or column not in fixed:
            continue
        old = fixed.at[position, column]
        new = RULES[finding["rule"]].fix(known.get(column), old, finding["value"])
        if new is not None and new != old:
            fixed.at[position, column] = new
            log.append({"row": int(finding["row"]), "field": column, "rule": finding["rule"],
                        "old": old, "new": new})
    return fixed, pd.DataFrame(log, columns=["row", "field", "rule", "old", "new"])
