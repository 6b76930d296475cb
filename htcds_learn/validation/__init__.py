"""Checking case data against HTCDS: the rules, two engines that must agree, the report.

``rules`` says what can be wrong and why it matters (one object per rule, in a registry),
``engines`` finds it (a fast vectorised engine and a slow, obviously correct reference engine,
each a loop over the registry), ``cases`` checks nested case documents, ``report`` words the
findings, ``fix`` applies the safe fixes, ``flaws`` injects known mistakes so lessons can
measure what the checks find.
"""

from __future__ import annotations

from . import engines, flaws, rules
from .cases import validate_cases
from .engines import ENGINES, validate_table
from .finding import Finding
from .fix import fix_table
from .flaws import inject_flaws
from .registry import RULES, Rule
from .report import REPORT_COLUMNS, ValidationReport
from .rules import rules_table

__all__ = [
    "ENGINES", "REPORT_COLUMNS", "RULES", "Finding", "Rule", "ValidationReport", "engines",
    "fix_table", "flaws", "inject_flaws", "rules", "rules_table", "validate_cases",
    "validate_table",
]
