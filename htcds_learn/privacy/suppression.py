"""Local suppression: blank a few values, or remove a few rows, until k and l hold.

Rows in a class smaller than ``k`` are at risk. Each round tries every quasi-identifier: if
its value were blanked in the rows at risk, which of them would land in a class of at least
``k``? The column that rescues the most rows wins, and only the rescued rows lose that value.
When no single column rescues anyone, the column that merges the most small classes is blanked
in all of them, and rows still at risk when nothing is left to blank are removed. Then the
same is done for l-diversity, over the classes of an adversary who does not know the sensitive
columns; a class that no merge can make diverse has its sensitive values blanked instead (a
class with nothing recorded discloses nothing). Whole classes always move together, so a class
that was safe never shrinks: reaching l does not undo k.

The work is done on the distinct rows (with their counts), and classes are compared by a
64-bit hash of their codes (Zobrist hashing: the hash of a row is the sum of one random number
per column value, so blanking one value changes it by one subtraction and one addition). The
result is measured again exactly afterwards by every caller that reports it.

>>> import pandas as pd
>>> t = pd.DataFrame({"age": ["18--20"] * 3 + ["", "", "21--23", "48+"], "gender": ["F"] * 7})
>>> safe, log = suppress_to_k(t, ["age", "gender"], 3)
>>> safe["age"].tolist(), log
(['18--20', '18--20', '18--20', '', '', '', ''], {'age': 2, 'gender': 0, 'rows removed': 0})
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
import pandas as pd

from .coded import distinct, from_codes
from .risk import combine, diversity_of_codes, member_table, sensitive_values

SUPPRESSED = ""


class _Items:
    """The distinct rows of a table over some columns, as integer codes, with their counts."""

    def __init__(self, table: pd.DataFrame, columns: list[str], seed: int = 20240611) -> None:
        self.columns = columns
        self.uniques: list[np.ndarray] = []
        self.blank: list[int] = []
        codes = []
        for column in columns:
            column_codes, uniques = distinct(table[column])  # a missing value is a blank
            where = np.flatnonzero(uniques == SUPPRESSED)
            if not len(where):
                uniques = np.append(uniques, np.array([SUPPRESSED], dtype=object))
            self.blank.append(int(where[0]) if len(where) else len(uniques) - 1)
            self.uniques.append(uniques)
            codes.append(column_codes)
        sizes = [len(u) for u in self.uniques]
        self.row_item = combine(codes, [n + 1 for n in sizes]) if columns else \
            np.zeros(len(table), dtype=np.int64)
        n_items = int(self.row_item.max(initial=-1)) + 1
        first = np.full(n_items, -1, dtype=np.int64)
        first[self.row_item[::-1]] = np.arange(len(table))[::-1]
        self.first = first
        self.codes = np.column_stack([c[first] for c in codes]) if columns else \
            np.zeros((n_items, 0), dtype=np.int64)
        self.original = self.codes.copy()
        self.weight = np.bincount(self.row_item, minlength=n_items).astype(np.int64)
        self.alive = np.ones(n_items, dtype=bool)
        rng = np.random.default_rng(seed)
        self.random = [rng.integers(0, 2**63, size=n + 1, dtype=np.int64).astype(np.uint64)
                       for n in sizes]
        self._hashes: dict[tuple[int, ...], np.ndarray] = {}

    def index(self, column: str) -> int:
        return self.columns.index(column)

    def hashes(self, columns: Sequence[int]) -> np.ndarray:
        """Each item's class hash over ``columns`` (kept up to date by :meth:`blank_out`;
        callers must not change the array)."""
        key = tuple(columns)
        if key not in self._hashes:
            total = np.zeros(len(self.codes), dtype=np.uint64)
            for c in columns:
                total += self.random[c][self.codes[:, c]]
            self._hashes[key] = total
        return self._hashes[key]

    def blank_out(self, items: np.ndarray, c: int) -> None:
        """Blank column ``c`` in ``items``, and move their hashes with them."""
        change = self.random[c][self.blank[c]] - self.random[c][self.codes[items, c]]
        for columns, total in self._hashes.items():
            if c in columns:
                total[items] += change
        self.codes[items, c] = self.blank[c]

    def moved(self, hashes: np.ndarray, items: np.ndarray, c: int) -> np.ndarray:
        """The hashes of ``items`` if column ``c`` were blanked in them."""
        return (hashes[items] - self.random[c][self.codes[items, c]]
                + self.random[c][np.full(len(items), self.blank[c])])


def _group(hashes: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct hashes (in order of first appearance), each item's class, and class weights."""
    inverse, unique = pd.factorize(hashes)  # a hash table: no sort needed
    return unique, inverse, np.bincount(inverse, weights=weights, minlength=len(unique))


def _reach_k(items: _Items, quasi: list[int], k: int) -> None:
    while True:
        alive = np.flatnonzero(items.alive)
        hashes = items.hashes(quasi)
        unique, inverse, totals = _group(hashes[alive], items.weight[alive])
        risky = totals[inverse] < k
        if not risky.any():
            return
        risk = alive[risky]
        safe = pd.Index(unique[totals >= k])
        safe_totals = np.append(totals[totals >= k], 0)  # -1 from get_indexer: not safe
        best: tuple[float, float, int, np.ndarray] | None = None
        for c in quasi:
            moved = items.moved(hashes, risk, c)
            new_unique, new_inverse, new_totals = _group(moved, items.weight[risk])
            totals_after = new_totals + safe_totals[safe.get_indexer(new_unique)]
            rescued = totals_after[new_inverse] >= k
            score = float(items.weight[risk][rescued].sum())
            cost = float(items.weight[risk][rescued & (items.codes[risk, c]
                                                       != items.blank[c])].sum())
            if score and (best is None or (score, -cost) > (best[0], -best[1])):
                best = (score, cost, c, risk[rescued])
        if best is not None:
            _, _, c, chosen = best
            items.blank_out(chosen, c)
            continue
        # Nobody can be rescued by one blank: merge the most small classes, or give up.
        options = [c for c in quasi if (items.codes[risk, c] != items.blank[c]).any()]
        if not options:
            items.alive[risk] = False
            return
        merged = min(options, key=lambda c: len(np.unique(items.moved(hashes, risk, c))))
        items.blank_out(risk, merged)


def _failing(class_of: np.ndarray, codes: np.ndarray, members: np.ndarray | None,
             l: int) -> np.ndarray:  # noqa: E741
    """Per item: does its class lack ``l`` distinct recorded values of this sensitive column
    (or hold a multi-select member in every recorded row)? ``members`` says, per distinct
    value (a code), which members of a multi-select it holds."""
    return (diversity_of_codes(class_of, codes, members) < l)[class_of]


class _Sensitive:
    """A sensitive column at item level: codes (-1 = not recorded), for a multi-select the
    members each code holds, and its position among the item columns (it may be a
    quasi-identifier too)."""

    def __init__(self, codes: np.ndarray, members: np.ndarray | None, position: int) -> None:
        self.codes, self.members, self.position = codes, members, position


def _reach_l(items: _Items, quasi: list[int], sensitive: list[_Sensitive],
             l: int) -> None:  # noqa: E741
    """Merge classes (blank a quasi-identifier) or, where that cannot help, blank the
    sensitive values of a class that would disclose them: a class with nothing recorded
    discloses nothing."""
    while True:
        alive = np.flatnonzero(items.alive)
        hashes = items.hashes(quasi)

        def failing(h: np.ndarray, alive: np.ndarray = alive) -> list[np.ndarray]:
            class_of = pd.factorize(h[alive])[0].astype(np.int64)  # hashing: no sort needed
            return [_failing(class_of, s.codes[alive], s.members, l) for s in sensitive]

        fails = failing(hashes)
        risky = np.logical_or.reduce(fails)
        if not risky.any():
            return
        risk = alive[risky]
        best: tuple[float, int, np.ndarray] | None = None
        for c in quasi:
            trial = hashes.copy()
            trial[risk] = items.moved(hashes, risk, c)
            rescued = ~np.logical_or.reduce(failing(trial))[risky]
            score = float(items.weight[risk][rescued].sum())
            if score and (best is None or score > best[0]):
                best = (score, c, risk[rescued])
        if best is not None:
            _, c, chosen = best
            items.blank_out(chosen, c)
            continue
        for s, fail in zip(sensitive, fails):  # blank what would be disclosed
            chosen = alive[fail]
            s.codes[chosen] = -1
            items.blank_out(chosen, s.position)


def suppress_to_k(table: pd.DataFrame, quasi_identifiers: Sequence[str], k: int, *,
                  sensitive: str | Sequence[str] | None = None, l: int = 1,  # noqa: E741
                  l_quasi_identifiers: Sequence[str] | None = None,
                  multiselect: Collection[str] | None = None,
                  ) -> tuple[pd.DataFrame, dict[str, int]]:
    """Local suppression until every class has ``k`` rows and ``l`` sensitive values.

    ``sensitive`` is one column or several; l is measured over the classes of
    ``l_quasi_identifiers`` (by default the quasi-identifiers that are not sensitive
    themselves: what an adversary who does not know the sensitive columns can know). Returns
    the kept rows (blanked values are "") and a log: values blanked per column, and rows
    removed. The input is not modified. ``multiselect`` is as for
    :func:`.risk.sensitive_values`.
    """
    quasi = list(dict.fromkeys(quasi_identifiers))
    wanted = [] if sensitive is None else [sensitive] if isinstance(sensitive, str) \
        else list(sensitive)
    wanted = wanted if l > 1 else []
    l_quasi = [c for c in (l_quasi_identifiers if l_quasi_identifiers is not None else quasi)
               if c not in wanted] if wanted else []
    columns = list(dict.fromkeys(quasi + l_quasi + wanted))
    items = _Items(table, columns)
    if quasi and k > 1:
        _reach_k(items, [items.index(c) for c in quasi], k)
    if wanted:
        sensitive_codes = []
        for column in wanted:
            values, multiple = sensitive_values(table, column, multiselect=multiselect)
            codes, uniques = distinct(values)
            codes = np.where(uniques[codes] == "", -1, codes) if len(uniques) else codes
            members = member_table(uniques) if multiple else None
            item_codes = codes[items.first]
            # A sensitive column may be a quasi-identifier too, blanked while reaching k.
            position = items.index(column)
            item_codes[items.codes[:, position] == items.blank[position]] = -1
            sensitive_codes.append(_Sensitive(item_codes, members, position))
        _reach_l(items, [items.index(c) for c in l_quasi], sensitive_codes, l)
    out = table.copy()
    log: dict[str, int] = {column: 0 for column in quasi}
    changed_items = items.codes != items.original
    kept = items.alive[items.row_item]
    for position, column in enumerate(columns):
        changed = changed_items[items.row_item, position] & kept
        if not changed.any():
            continue
        log[column] = log.get(column, 0) + int(changed.sum())
        # Every blank is written the same way: a None beside a "" would be two classes.
        written = from_codes(items.codes[items.row_item, position], items.uniques[position],
                             out.index)
        categorical = isinstance(table[column].dtype, pd.CategoricalDtype)
        out[column] = written if categorical else written.astype(object)
    log["rows removed"] = int((~kept).sum())
    return out[kept].copy(), log
