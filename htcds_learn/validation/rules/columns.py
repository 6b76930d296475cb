"""Rules about the columns themselves: is each one an HTCDS field still in use?

Both engines share these checks: they look at the header once, not at records.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ... import standard
from ...model import schema
from ..finding import HEADER, Finding
from ..registry import Rule, register


@register
class UnknownColumn(Rule):
    code = "unknown-column"
    severity = "warning"
    examples = ([{"Nationality": "NG"}],)

    def header(self, text: pd.DataFrame) -> Iterable[Finding]:
        known = schema.known_columns()
        for column in text.columns:
            if column not in known:
                hint = standard.did_you_mean(column, [f.name for f in standard.fields()])
                yield Finding(self.code, column, column, HEADER, hint)


@register
class DeprecatedField(Rule):
    code = "deprecated-field"
    severity = "warning"
    examples = ([{"vic_Vulnerabilities": "Poverty"}],)

    def header(self, text: pd.DataFrame) -> Iterable[Finding]:
        known = schema.known_columns()
        for column in text.columns:
            f = known.get(column)
            if f is not None and f.deprecated and (text[column].str.strip() != "").any():
                yield Finding(self.code, column, column, HEADER)
