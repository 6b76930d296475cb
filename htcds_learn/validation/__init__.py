"""Checking case data against HTCDS: the rules, two engines that must agree, the report.

``rules`` says what can be wrong and why it matters, ``engines`` finds it (a fast vectorised
engine and a slow, obviously correct reference engine), ``flaws`` injects known mistakes so
lessons can measure what the checks find.
"""

from __future__ import annotations

from . import engines, flaws, rules
from .engines import (
    ENGINES,
    REPORT_COLUMNS,
    ValidationReport,
    fix_table,
    validate_cases,
    validate_table,
)
from .flaws import inject_flaws
from .rules import RULES, Rule, rules_table

__all__ = [
    "ENGINES", "REPORT_COLUMNS", "RULES", "Rule", "ValidationReport", "engines", "fix_table",
    "flaws", "inject_flaws", "rules", "rules_table", "validate_cases", "validate_table",
]
