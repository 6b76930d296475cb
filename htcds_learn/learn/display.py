"""Tables a person can read: whole cells (no "…"), no index, labels instead of field names.

``hl.show(table)`` displays a table or a count in a notebook without pandas' developer
details: no 0-based row numbers, no ``dtype`` footer, no ``<NA>``, counts as whole numbers,
and long messages wrapped instead of cut. ``labels=True`` heads HTCDS columns with their
labels ("Gender (prs_Gender)").

>>> import pandas as pd
>>> table = pd.Series({"Feminine": 3, "Masculine": 2}, name="count").rename_axis("prs_Gender")
>>> show(table, labels=True).frame.columns.tolist()
['Gender (prs_Gender)', 'Number']
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from .. import standard


def _heading(column: Any, labels: bool) -> str:
    name = str(column)
    if labels and name in standard.load().by_name:
        return f"{standard.load().by_name[name].label} ({name})"
    return name


class Table:
    """A table ready to be read by a person; shows itself as HTML in a notebook."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame

    def _repr_html_(self) -> str:
        head = "".join(f"<th style='text-align:left'>{html.escape(str(c))}</th>"
                       for c in self.frame.columns)
        rows = "".join(
            "<tr>" + "".join(f"<td style='text-align:left;white-space:normal'>"
                             f"{html.escape(_cell(value))}</td>" for value in row) + "</tr>"
            for row in self.frame.itertuples(index=False))
        return (f"<table class='htcds-table'><thead><tr>{head}</tr></thead>"
                f"<tbody>{rows}</tbody></table>")

    def __repr__(self) -> str:
        return self.frame.to_string(index=False)


def _cell(value: Any) -> str:
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def show(table: pd.DataFrame | pd.Series, *, labels: bool = False,
         count_name: str = "Number") -> Table:
    """A DataFrame or a Series of counts, shown whole and plainly (see the module's help)."""
    if isinstance(table, pd.Series):
        frame = table.rename(count_name).reset_index()
    else:
        frame = table.reset_index(drop=True)
    frame = frame.rename(columns={c: _heading(c, labels) for c in frame.columns})
    return Table(frame)
