"""The data-quality rules: what each one checks, why it matters, and both of its checks.

Every rule is one object in :data:`RULES` (see :mod:`htcds_learn.validation.registry`), written
in the module of its family:

* ``values``: a value its field's kind does not allow (picklists, codes, dates, numbers);
* ``dates``: dates that cannot be right, or come in the wrong order;
* ``text``: text too long, stray spaces;
* ``completeness``: consent and Core fields left blank where they apply;
* ``consistency``: fields that contradict each other;
* ``identity``: the same identifier twice;
* ``duplicates``: a record entered twice, or one person in two records, without identifiers;
* ``columns``: columns that are not HTCDS fields, or are deprecated;
* ``documents``: nested case documents: their JSON Schema, their links.

A rule's words (title, why it matters, its sentence and hint) are in the message catalogue,
``htcds_learn/messages/en.json``, under ``rule.<code>``.

>>> RULES["not-allowed-value"].severity
'error'
>>> describe("not-allowed-value", "Gender", "Femal", "Did you mean 'Feminine'?")
"Gender: 'Femal' is not an HTCDS value. Did you mean 'Feminine'?"
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...messages import catalogue
from ..registry import FLAWS, RULES, Rule, register
from ..report import describe
from . import (
    columns,
    completeness,
    consistency,
    dates,
    documents,
    duplicates,
    identity,
    text,
    values,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FLAWS", "RULES", "Rule", "columns", "completeness", "consistency", "dates",
           "describe", "documents", "duplicates", "identity", "ordered", "register",
           "rules_table", "text", "values"]


def ordered() -> list[Rule]:
    """The rules in the order of the rule book (the English message catalogue)."""
    position = {key: i for i, key in enumerate(catalogue("en"))}
    return sorted(RULES.values(),
                  key=lambda r: position.get(f"rule.{r.code}.title", len(position)))


def rules_table() -> pd.DataFrame:
    """Every rule as a table: code, severity, title, why it matters, fixable or not."""
    import pandas as pd

    return pd.DataFrame([{"rule": r.code, "severity": r.severity, "title": r.title,
                          "why it matters": r.why, "fixable": r.fixable} for r in ordered()])
