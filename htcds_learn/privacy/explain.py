"""Small pictures for lessons: rows coloured by equivalence class, with each class's size.

>>> import pandas as pd
>>> toy = pd.DataFrame({"gender": ["Woman", "Woman", "Man"], "ageBroad": ["18--20"] * 3})
>>> shown = ClassTable(toy, ["gender", "ageBroad"], k=2)
>>> shown.sizes.tolist(), "background" in shown._repr_html_()
([2, 2, 1], True)
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd

from .risk import class_ids, class_sizes

# Colour-blind-safe pastel colours (Okabe-Ito, lightened), one per class, reused in turn.
_COLOURS = ("#cfe8f7", "#fde2b8", "#c9efe0", "#f9d7e6", "#e6e1f5", "#f6f1b8", "#d9e8c5",
            "#f3d2c1")
_AT_RISK = "#b8001f"


class ClassTable:
    """A table whose rows are coloured by equivalence class over ``quasi_identifiers``; rows
    in classes smaller than ``k`` are marked "at risk"."""

    def __init__(self, table: pd.DataFrame, quasi_identifiers: Sequence[str], k: int) -> None:
        self.table = table
        self.quasi = list(quasi_identifiers)
        self.k = k
        self.ids = class_ids(table, self.quasi)
        self.sizes = class_sizes(table, self.quasi)

    @staticmethod
    def toy_data() -> pd.DataFrame:
        """Twelve made-up people without names, for the first look at equivalence classes.

        >>> ClassTable.toy_data().shape
        (12, 5)
        """
        rows = [
            ("Woman", "18--20", "UA", "2022", "Sexual"),
            ("Woman", "18--20", "UA", "2023", "Sexual"),
            ("Woman", "18--20", "UA", "2023", "Labour"),
            ("Woman", "21--23", "NG", "2022", "Labour"),
            ("Woman", "21--23", "NG", "2022", "Sexual"),
            ("Woman", "21--23", "NG", "2023", "Labour"),
            ("Woman", "21--23", "NG", "2023", "Labour"),
            ("Man", "18--20", "UA", "2022", "Labour"),
            ("Man", "18--20", "UA", "2023", "Labour"),
            ("Man", "21--23", "NG", "2022", "Labour"),
            ("Man", "21--23", "NG", "2022", "Sexual"),
            ("Man", "21--23", "NG", "2023", "Labour"),
        ]
        return pd.DataFrame(rows, columns=["gender", "ageBroad", "citizenship", "year",
                                           "exploitation"])

    def _repr_html_(self) -> str:
        order = pd.Series(self.ids).rank(method="dense").astype(int).to_numpy() - 1
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in self.table.columns)
        rows = []
        for position, (_, row) in enumerate(self.table.iterrows()):
            colour = _COLOURS[order[position] % len(_COLOURS)]
            size = int(self.sizes.iloc[position])
            risk = (f"<td style='color:{_AT_RISK};font-weight:bold'>{size}: at risk</td>"
                    if size < self.k else f"<td>{size}</td>")
            cells = "".join(
                f"<td style='background:{colour}'>{html.escape(str(v))}</td>"
                if c in self.quasi else f"<td>{html.escape(str(v))}</td>"
                for c, v in row.items())
            rows.append(f"<tr>{cells}{risk}</tr>")
        return (f"<table><tr>{head}<th>class size</th></tr>{''.join(rows)}</table>"
                f"<p>Same colour = same values in {', '.join(self.quasi)}: one equivalence "
                f"class. k = {int(self.sizes.min()) if len(self.sizes) else 0}.</p>")
