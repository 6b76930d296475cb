"""Global recoding: coarsen a whole column, one level at a time, while too many rows are unique.

Local suppression blanks values row by row; global recoding changes a whole column to a
coarser level (CTDC age bands to broad bands, countries to regions). Statistical disclosure
control recodes first and suppresses what is left, because a coarser value keeps more
information than a blank one. Each round tries the next level of every column and keeps the
one that rescues the most rows (from classes smaller than k) for the information it loses
(the drop in the column's entropy), if it rescues at least 1 % of the rows. While most rows
are at risk and no single level rescues any (a small table), the level that merges the most
classes is taken. It stops when at most ``tolerance`` of the rows are at risk, or when no
level helps any more.

>>> import pandas as pd
>>> from .columns import AGE
>>> ages = pd.Series(["9--17", "0--8", "18--20", "21--23", "24--26", "27--29"] * 2)
>>> recoded, chosen = recode_globally({"ageBroad": ages}, {"ageBroad": AGE}, 4)
>>> sorted(set(recoded["ageBroad"])), chosen
(['0--17', '18--29'], {'ageBroad': 'broad age bands (0--17, 18--29, 30--47, 48+)'})
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from .._util.threads import workers
from .columns import ReleaseColumn
from .risk import codes_of, combine


def _weight_bits(k: int) -> int:
    """Low bits of a class hash kept free for a row count capped at k (see :func:`_at_risk`)."""
    return max(int(k).bit_length(), 1)


def _at_risk(hashes: np.ndarray, capped: np.ndarray, k: int) -> tuple[int, int]:
    """Rows in classes smaller than k, and the number of classes.

    ``hashes`` are class hashes whose low bits (:func:`_weight_bits`) are zero; ``capped``
    holds each group's row count capped at k, which cannot change whether a class reaches k.
    One sort, no hash table: the count rides in the free low bits, so sorting brings each
    class together with its counts. Two classes share a key only if 64 - b random bits agree.
    """
    if not len(hashes):
        return 0, 0
    n = len(hashes)
    low = np.uint64((1 << _weight_bits(k)) - 1)
    keys = hashes | capped
    keys.sort()
    new_class = np.empty(n, dtype=bool)
    new_class[0] = True
    np.greater(keys[1:] ^ keys[:-1], low, out=new_class[1:])  # the hash bits differ
    starts = np.flatnonzero(new_class)
    running = np.cumsum(keys & low)  # class totals as differences of a running sum:
    ends = np.empty_like(starts)  # cheaper than reduceat over ~n tiny segments
    ends[:-1], ends[-1] = starts[1:], n
    totals = np.diff(running[ends - 1], prepend=np.uint64(0))
    return int(totals[totals < k].sum()), len(starts)


def recode_globally(values: dict[str, pd.Series], columns: dict[str, ReleaseColumn], k: int, *,
                    tolerance: float = 0.02, seed: int = 7
                    ) -> tuple[dict[str, pd.Series], dict[str, str]]:
    """Coarsen whole columns of ``values`` (name -> finest values) until few rows are at risk.

    Returns the values (recoded columns replaced) and, for each recoded column, the name of
    the level it was coarsened to.
    """
    names = list(values)
    if not names or k <= 1:
        return dict(values), {}
    n_rows = len(values[names[0]])
    ladders: dict[str, list[pd.Series]] = {
        name: [values[name]] + [level.apply(values[name], k) for level in columns[name].levels]
        for name in names}
    coded = {name: [codes_of(v) for v in ladder] for name, ladder in ladders.items()}
    row_item = combine([coded[n][0][0] for n in names], [coded[n][0][1] + 1 for n in names])
    n_items = int(row_item.max(initial=-1)) + 1
    first = np.full(n_items, -1, dtype=np.int64)
    first[row_item[::-1]] = np.arange(n_rows)[::-1]
    k = min(k, n_rows + 1)  # no class can reach a larger k either: the same answers
    capped = np.minimum(np.bincount(row_item, minlength=n_items), k).astype(np.uint64)
    rng = np.random.default_rng(seed)
    free = ~np.uint64((1 << _weight_bits(k)) - 1)  # random values keep the low bits free
    random = {name: [rng.integers(0, 2**63, size=n + 1, dtype=np.int64).astype(np.uint64) & free
                     for _, n in coded[name]] for name in names}
    item_codes = {name: [codes[first] for codes, _ in coded[name]] for name in names}
    level = dict.fromkeys(names, 0)

    def part(name: str, at: int) -> np.ndarray:
        return random[name][at][item_codes[name][at]]

    def step(name: str) -> np.ndarray:
        """What moving ``name`` one level up adds to every item's hash (mod 2**64)."""
        at = level[name]
        return part(name, at + 1) - part(name, at)

    hashes = np.zeros(n_items, dtype=np.uint64)
    for name in names:
        hashes += part(name, 0)

    def entropy(values: pd.Series) -> float:
        share = values.value_counts(normalize=True).to_numpy()
        return float(-(share * np.log2(share)).sum())

    information = {name: [entropy(v) for v in ladders[name]] for name in names}
    steps = {name: step(name) for name in names if len(ladders[name]) > 1}
    risk, classes = _at_risk(hashes, capped, k)

    def trial(name: str) -> tuple[np.ndarray, int, int]:
        hashed = hashes + steps[name]
        return (hashed, *_at_risk(hashed, capped, k))

    # The trials of a round are independent: on a second core they run side by side.
    with ThreadPoolExecutor(workers()) as pool:
        while risk > tolerance * n_rows:
            best = fallback = None
            open_names = [name for name in names if level[name] + 1 < len(ladders[name])]
            for name, (hashed, left, trial_classes) in zip(open_names,
                                                           pool.map(trial, open_names)):
                at = level[name]
                lost = max(information[name][at] - information[name][at + 1], 1e-9) / max(
                    information[name][0], 1e-9)
                gain = (risk - left) / (lost * n_rows)
                if risk - left >= 0.01 * n_rows and (best is None or gain > best[0]):
                    best = (gain, name, hashed, left, trial_classes)
                if fallback is None or (left, trial_classes) < (fallback[3], fallback[4]):
                    fallback = (0.0, name, hashed, left, trial_classes)
            # On a small table no single level may rescue anyone while most rows are unique:
            # then coarsen where it merges the most classes.
            chosen = best or (fallback if risk > 0.5 * n_rows else None)
            if chosen is None or (chosen[3], chosen[4]) >= (risk, classes):
                break
            _, name, hashes, risk, classes = chosen
            level[name] += 1
            if level[name] + 1 < len(ladders[name]):
                steps[name] = step(name)
    recoded = {name: ladders[name][level[name]] for name in names}
    chosen = {name: columns[name].levels[level[name] - 1].name for name in names if level[name]}
    return recoded, chosen
