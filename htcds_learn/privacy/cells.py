"""Small cells in published tables: hide them so that no attacker can work them out.

A count from 1 to ``threshold - 1`` can point to a person, so it is hidden (**primary
suppression**); a row or column total that small is hidden too. But hidden is not safe: the
visible cells and totals are equations, and counts are never negative, so an attacker with a
linear program can often pin a hidden cell down exactly ("[[4, 8], [0, 0]]" with its totals
shown hides nothing). So the table is **audited**: for every hidden cell, the smallest and
largest value it could have, given everything visible, is computed with scipy's ``linprog``
(HiGHS). While a primary cell's interval is narrower than the protection level (by default the
threshold), one more cell beside it is hidden (**secondary suppression**) and the audit runs
again. Hiding a cell only ever widens the others' intervals, so cells that passed stay passed.

>>> import pandas as pd
>>> table = protect_table(pd.DataFrame({"a": [4, 0], "b": [8, 0]}), threshold=11)
>>> table.published
          a     b  Total
0      <NA>  <NA>     12
1         0     0      0
Total  <NA>  <NA>     12
>>> table.intervals[["cell", "lowest", "highest"]].head(2).to_dict("records")
[{'cell': ('0', 'a'), 'lowest': 0, 'highest': 12}, {'cell': ('0', 'b'), 'lowest': 0, 'highest': 12}]
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

TOTAL = "Total"
PRIMARY, SECONDARY = "primary", "secondary"


@dataclass
class ProtectedTable:
    """A table ready to publish, with what was hidden and what an attacker can still learn."""

    published: pd.DataFrame  # hidden cells are <NA>; the last row and column are totals
    reason: pd.DataFrame  # "", "primary" or "secondary", cell by cell, totals included
    intervals: pd.DataFrame  # each hidden cell: the range an attacker can narrow it to
    threshold: int
    protection: int

    @property
    def hidden(self) -> pd.DataFrame:
        return self.reason != ""

    def narrowest(self) -> float:
        """The narrowest interval an attacker gets for a primary cell (inf if none hidden)."""
        primary = self.intervals[self.intervals["reason"] == PRIMARY]
        return float((primary["highest"] - primary["lowest"]).min()) if len(primary) else \
            math.inf

    def _repr_html_(self) -> str:
        """The published table with hidden cells coloured: primary red, secondary orange."""
        colour = {PRIMARY: "#f4b6b6", SECONDARY: "#fbd9a5", "": ""}
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in self.published.columns)
        rows = []
        for label, row in self.published.iterrows():
            cells = []
            for column, value in row.items():
                why = self.reason.loc[label, column]
                text = "hidden" if pd.isna(value) else f"{int(value):,}"
                style = f' style="background:{colour[why]}"' if why else ""
                cells.append(f"<td{style}>{text}</td>")
            rows.append(f"<tr><th>{html.escape(str(label))}</th>{''.join(cells)}</tr>")
        legend = ("<p><span style='background:#f4b6b6'>hidden: small count (primary)</span> "
                  "<span style='background:#fbd9a5'>hidden to protect it (secondary)</span></p>")
        return f"<table><tr><th></th>{head}</tr>{''.join(rows)}</table>{legend}"


def _with_totals(counts: pd.DataFrame) -> np.ndarray:
    values = counts.to_numpy(dtype=np.int64)
    full = np.zeros((values.shape[0] + 1, values.shape[1] + 1), dtype=np.int64)
    full[:-1, :-1] = values
    full[:-1, -1] = values.sum(axis=1)
    full[-1, :-1] = values.sum(axis=0)
    full[-1, -1] = values.sum()
    return full


def _equations(shape: tuple[int, int]) -> list[list[tuple[int, int, float]]]:
    """Every row and column relation of a table with totals: cells - total = 0."""
    rows, columns = shape
    equations = []
    for i in range(rows):
        equations.append([(i, j, 1.0) for j in range(columns - 1)] + [(i, columns - 1, -1.0)])
    for j in range(columns):
        equations.append([(i, j, 1.0) for i in range(rows - 1)] + [(rows - 1, j, -1.0)])
    return equations


def feasible_intervals(full: np.ndarray, hidden: np.ndarray,
                       cells: list[tuple[int, int]] | None = None
                       ) -> dict[tuple[int, int], tuple[float, float]]:
    """For hidden cells of a table with totals (last row and column), the lowest and highest
    values consistent with every visible number and with non-negative counts.

    >>> full = np.array([[3, 20, 23], [20, 30, 50], [23, 50, 73]])
    >>> hidden = np.zeros_like(full, dtype=bool); hidden[:2, :2] = True
    >>> feasible_intervals(full, hidden, [(0, 0)])
    {(0, 0): (0.0, 23.0)}
    """
    from scipy.optimize import linprog

    variables = {(int(i), int(j)): n for n, (i, j) in enumerate(np.argwhere(hidden))}
    wanted = list(variables) if cells is None else cells
    # Split the hidden cells into independent groups (linked through shared equations).
    parent = list(range(len(variables)))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    equations = []
    for equation in _equations(full.shape):
        unknown = [variables[(i, j)] for i, j, _ in equation if (i, j) in variables]
        if not unknown:
            continue
        for other in unknown[1:]:
            parent[root(other)] = root(unknown[0])
        known = sum(c * full[i, j] for i, j, c in equation if (i, j) not in variables)
        equations.append(([(variables[(i, j)], c) for i, j, c in equation
                           if (i, j) in variables], -known))
    groups: dict[int, list[int]] = {}
    for n in range(len(variables)):
        groups.setdefault(root(n), []).append(n)
    found = {}
    cell_of = {n: cell for cell, n in variables.items()}
    for cell in wanted:
        n = variables[cell]
        members = groups[root(n)]
        position = {m: p for p, m in enumerate(members)}
        rows = [eq for eq in equations if root(eq[0][0][0]) == root(n)]
        a = np.zeros((len(rows), len(members)))
        for r, (terms, _) in enumerate(rows):
            for m, c in terms:
                a[r, position[m]] += c
        b = np.array([rhs for _, rhs in rows], dtype=float)
        objective = np.zeros(len(members))
        objective[position[n]] = 1.0
        bounds = (0, None)
        low = linprog(objective, A_eq=a, b_eq=b, bounds=bounds, method="highs")
        high = linprog(-objective, A_eq=a, b_eq=b, bounds=bounds, method="highs")
        lowest = round(low.fun) if low.status == 0 else 0.0
        highest = math.inf if high.status == 3 else round(-high.fun) if high.status == 0 \
            else math.inf
        found[cell_of[n]] = (float(lowest), float(highest))
    return found


def _initial(full: np.ndarray, threshold: int) -> np.ndarray:
    reason = np.where((full > 0) & (full < threshold), PRIMARY, "").astype("<U9")
    # Lines with exactly one hidden cell give it away by subtraction: hide a second one.
    changed = True
    while changed:
        changed = False
        for lines, data in ((reason, full), (reason.T, full.T)):
            for i in range(lines.shape[0]):
                hidden = lines[i] != ""
                if hidden.sum() != 1:
                    continue
                visible = np.flatnonzero(~hidden)
                positive = visible[data[i, visible] > 0]
                pool = positive if len(positive) else visible
                if len(pool):
                    lines[i, pool[np.argmin(data[i, pool])]] = SECONDARY
                    changed = True
    return reason


def protect_table(counts: pd.DataFrame, *, threshold: int = 11, protection: int | None = None,
                  round_to: int | None = None) -> ProtectedTable:
    """Hide small cells and totals, and more cells until the linear-programming audit passes.

    ``protection``: the narrowest interval an attacker may get for a primary cell (default
    ``threshold``). ``round_to`` rounds the visible numbers to a multiple (the audit runs on
    the true counts; rounding only adds uncertainty).
    """
    protection = threshold if protection is None else protection
    full = _with_totals(counts)
    reason = _initial(full, threshold)

    def width(cell: tuple[int, int]) -> float:
        low, high = feasible_intervals(full, reason != "", [cell])[cell]
        return high - low

    # Hiding a cell only widens the other intervals, so a cell that passed stays passed:
    # each primary cell is made safe once, in turn.
    for cell in [(int(i), int(j)) for i, j in np.argwhere(reason == PRIMARY)]:
        current = width(cell)
        while current < protection:
            i, j = cell
            visible = reason == ""
            beside = np.zeros_like(visible)
            beside[i, :] = beside[:, j] = True
            pool = [(int(a), int(b)) for a, b in np.argwhere(visible & beside)] or \
                [(int(a), int(b)) for a, b in np.argwhere(visible)]
            if not pool:
                break  # everything is hidden already
            last = (full.shape[0] - 1, full.shape[1] - 1)
            pool.sort(key=lambda c: (full[c] == 0, c[0] == last[0] or c[1] == last[1],
                                     full[c]))
            best = None
            for candidate in pool[:3]:
                reason[candidate] = SECONDARY
                trial = width(cell)
                reason[candidate] = ""
                if best is None or trial > best[0]:
                    best = (trial, candidate)
                if trial >= protection:
                    break
            reason[best[1]] = SECONDARY
            current = best[0]
    spans = feasible_intervals(full, reason != "")
    index = [*map(str, counts.index), TOTAL]
    columns = [*map(str, counts.columns), TOTAL]
    shown = full.astype(float)
    if round_to:
        shown = np.round(shown / round_to) * round_to
    published = pd.DataFrame(shown, index=index, columns=columns).mask(reason != "").astype(
        "Int64")
    intervals = pd.DataFrame(
        [{"cell": (index[i], columns[j]), "reason": reason[i, j], "lowest": int(low),
          "highest": high if math.isinf(high) else int(high)}
         for (i, j), (low, high) in sorted(spans.items())],
        columns=["cell", "reason", "lowest", "highest"])
    return ProtectedTable(published, pd.DataFrame(reason, index=index, columns=columns),
                          intervals, threshold, protection)


def suppress_small_cells(counts: pd.DataFrame, *, threshold: int = 11,
                         round_to: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`protect_table`, as the published table (floats, hidden cells NaN, totals in the
    last row and column) and the mask of why each cell is hidden ("primary", "secondary")."""
    table = protect_table(counts, threshold=threshold, round_to=round_to)
    return table.published.astype(float), table.reason
