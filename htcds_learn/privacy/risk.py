"""Disclosure risk: equivalence classes, k-anonymity and l-diversity, measured exactly.

Rows with the same values in the quasi-identifiers form an **equivalence class**; k is the
size of the smallest one. l counts the distinct **canonical** values of a sensitive column in
each class: letter case, order and spelling variants of one value are one value, a blank is
no value, and for a multi-select a class in which one member is in every row has l = 1,
because it discloses that member for everyone in it.

A missing value is a value when classes are formed (pandas' groupby would drop it), and text
with NUL characters is grouped exactly (see :func:`htcds_learn._util.frames.factorize_exact`).

>>> import pandas as pd
>>> t = pd.DataFrame({"gender": ["F", "F", "F", "M"],
...                   "vic_TypeOfExploitation": ["SexualExploitation", "sexual exploitation",
...                                              "ForcedLabour;SexualExploitation", ""]})
>>> k_anonymity(t, ["gender"]), l_diversity(t, ["gender"], "vic_TypeOfExploitation")
(1, 1)
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
import pandas as pd

from .. import standard
from .._util.frames import factorize_exact
from .canonical import DELIMITER, canonical_column, is_picklist
from .coded import distinct, object_codes


def codes_of(values: pd.Series) -> tuple[np.ndarray, int]:
    """Small integer codes for a column, and how many there are; missing is a value too.

    >>> codes_of(pd.Series(["x", "x\\x00", None, "x"]))[0].tolist()
    [0, 1, 2, 0]
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()  # int8 or int16: no copy needed to combine them
        n = len(values.cat.categories)
        if (codes < 0).any():
            return np.where(codes < 0, n, codes).astype(np.int64), n + 1
        return codes, n
    found = object_codes(values.to_numpy(dtype=object))
    if found is not None:  # one pass of a hash table: exact, missing values as -1
        codes, uniques = found
        missing = codes < 0
        if missing.any():
            codes[missing] = len(uniques)
            return codes, len(uniques) + 1
        return codes, len(uniques)
    missing = values.isna().to_numpy()
    if not missing.any():
        codes, uniques = factorize_exact(values)
        return codes.astype(np.int64), len(uniques)
    codes = np.full(len(values), -1, dtype=np.int64)
    present, uniques = factorize_exact(values[~missing])
    codes[~missing] = present
    codes[missing] = len(uniques)
    return codes, len(uniques) + 1


_SMALL = 1 << 16  # slots always cheap to count into, whatever the number of rows


def _dense(cells: int, rows: int) -> bool:
    """Whether ``cells`` slots (a key space, a class x value matrix) are few enough to count
    into an array directly, rather than sorting the keys found.

    Counting costs about one step per slot, sorting about log2(rows) per row: so up to
    rows x log2(rows) slots. A fixed floor of millions of slots instead made every call on a
    5,000-row table fill and scan a 128 MB array (share took 3 s there, not 0.3 s).
    """
    return cells <= max(_SMALL, rows * rows.bit_length())


def dense_ids(key: np.ndarray, space: int) -> np.ndarray:
    """Renumber integer keys (each below ``space``) 0, 1, 2, ... in order of first appearance.

    The same ids as ``pd.factorize(key)[0]``, without hashing: each key's first row is found
    by one scatter, then the keys are ranked by it.

    >>> dense_ids(np.array([7, 3, 7, 0]), 8).tolist()
    [0, 1, 0, 2]
    """
    first = np.full(space, len(key), dtype=np.int64)
    first[key[::-1]] = np.arange(len(key) - 1, -1, -1, dtype=np.int64)
    present = np.flatnonzero(first < len(key))
    rank = np.empty(space, dtype=np.int64)
    rank[present[np.argsort(first[present], kind="stable")]] = np.arange(len(present))
    return rank[key]


def combine(codes: Sequence[np.ndarray], radices: Sequence[int], *,
            renumber: bool = True) -> np.ndarray:
    """Class ids 0, 1, 2, ... (in order of first appearance) from per-column integer codes
    (each code below its radix).

    While the product of the radices fits, the codes make one mixed-radix key, renumbered
    once; past that, the key is renumbered after each column, so it stays small and exact
    however many columns there are. With ``renumber=False`` a small key is returned as it is:
    the same classes, but some numbers name no row (enough for counting).

    >>> combine([np.array([1, 0, 1]), np.array([2, 2, 2])], [2, 3]).tolist()
    [0, 1, 0]
    >>> combine([np.array([1, 0, 1]), np.array([2, 2, 2])], [2, 3], renumber=False).tolist()
    [5, 2, 5]
    """
    key = np.zeros(len(codes[0]) if len(codes) else 0, dtype=np.int64)
    space = 1
    for column_codes, radix in zip(codes, radices):
        if space * radix >= 1 << 62:  # would overflow: renumber what we have first
            key = pd.factorize(key)[0].astype(np.int64)
            space = int(key.max(initial=-1)) + 1
        key *= radix  # in place: one pass per column, no new arrays
        key += column_codes
        space *= radix
    if not renumber and space <= max(_SMALL, len(key) // 16):  # counts stay small arrays
        return key
    if _dense(space, len(key)):
        return dense_ids(key, space)
    return pd.factorize(key)[0].astype(np.int64)


def class_ids(table: pd.DataFrame, columns: Sequence[str], *,
              renumber: bool = True) -> np.ndarray:
    """One integer per row naming its equivalence class over ``columns`` (0, 1, 2, ... in
    order of first appearance; with ``renumber=False``, possibly with gaps, which is
    cheaper when only the classes' sizes or contents are wanted)."""
    if not len(columns):
        return np.zeros(len(table), dtype=np.int64)
    factorised = [codes_of(table[column]) for column in columns]
    return combine([c for c, _ in factorised], [n + 1 for _, n in factorised],
                   renumber=renumber)


def class_sizes(table: pd.DataFrame, quasi_identifiers: Sequence[str]) -> pd.Series:
    """For each row, how many rows share its combination of quasi-identifiers.

    >>> t = pd.DataFrame({"g": ["F", None, None, "F"], "a": ["18--20", None, None, "18--20"]})
    >>> class_sizes(t, ["g", "a"]).tolist()
    [2, 2, 2, 2]
    """
    ids = class_ids(table, list(quasi_identifiers))
    sizes = np.bincount(ids) if len(ids) else np.zeros(0, dtype=np.int64)
    return pd.Series(sizes[ids], index=table.index).astype(int)


def k_anonymity(table: pd.DataFrame, quasi_identifiers: Sequence[str]) -> int:
    """The size of the smallest equivalence class (0 for an empty table)."""
    return int(class_sizes(table, quasi_identifiers).min()) if len(table) else 0


def sensitive_values(table: pd.DataFrame, sensitive: str, *,
                     multiselect: Collection[str] | None = None) -> tuple[pd.Series, bool]:
    """The sensitive column ready for l, and whether it holds sets (a multi-select).

    With ``multiselect`` None, a picklist field of the standard is first put in canonical
    spelling (so variants of one value are one value, and free text is no value), and is a
    set when the standard says so. A release passes the names of its set columns instead: its
    values are canonical already.
    """
    values = table[sensitive]
    if multiselect is None and is_picklist(sensitive):
        values = canonical_column(values, sensitive)[0]
        f = standard.field(sensitive)
        return values, f.multiple and bool(f.values)
    if not isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype(object).where(values.notna(), "")
    return values, multiselect is not None and sensitive in multiselect


def member_table(uniques: np.ndarray) -> np.ndarray:
    """For each distinct value (a set written 'A;B'), one True/False per member found."""
    sets = [set(str(u).split(DELIMITER)) - {""} for u in uniques]
    found = sorted(set().union(*sets)) if sets else []
    return np.array([[m in s for m in found] for s in sets], dtype=bool).reshape(
        len(sets), len(found))


def diversity_per_class(ids: np.ndarray, values: pd.Series, *, multiselect: bool = False
                        ) -> np.ndarray:
    """For each class id: the distinct recorded values, 1 if a multi-select member is in every
    recorded row, and a very large number for a class with nothing recorded (nothing to
    disclose)."""
    codes, uniques = distinct(values)
    recorded = (uniques != "")[codes] if len(uniques) else np.zeros(len(codes), dtype=bool)
    return diversity_of_codes(ids, np.where(recorded, codes, -1),
                              member_table(uniques) if multiselect else None)


def diversity_of_codes(ids: np.ndarray, codes: np.ndarray, members: np.ndarray | None
                       ) -> np.ndarray:
    """:func:`diversity_per_class` of value codes (-1: not recorded); ``members`` says, per
    code, which members of a multi-select it holds (None: not a multi-select)."""
    n_classes = int(ids.max(initial=-1)) + 1
    recorded = codes >= 0
    width = int(codes.max(initial=0)) + 1
    pairs = ids[recorded] * width + codes[recorded]
    with_member = None
    if _dense(n_classes * width, len(ids)):
        # One count per (class, value) pair: everything else is read off this small matrix.
        per_pair = np.bincount(pairs, minlength=n_classes * width).reshape(n_classes, width)
        different = (per_pair > 0).sum(axis=1, dtype=np.int64)
        rows = per_pair.sum(axis=1)
        if members is not None:
            with_member = per_pair @ members[:width].astype(np.int64)
    else:
        found, count = np.unique(pairs, return_counts=True)
        in_class = found // width
        different = np.bincount(in_class, minlength=n_classes).astype(np.int64)
        rows = np.bincount(in_class, weights=count, minlength=n_classes).astype(np.int64)
        if members is not None:
            with_member = np.zeros((n_classes, members.shape[1]), dtype=np.int64)
            for j, member in enumerate(members.T):
                with_member[:, j] = np.bincount(in_class, weights=count * member[found % width],
                                                minlength=n_classes)
    if with_member is not None and with_member.shape[1]:
        everyone = ((with_member == rows[:, None]) & (rows[:, None] > 0)).any(axis=1)
        different = np.where(everyone, np.minimum(different, 1), different)
    return np.where(rows > 0, different, np.iinfo(np.int64).max)


def l_diversity(table: pd.DataFrame, quasi_identifiers: Sequence[str], sensitive: str, *,
                multiselect: Collection[str] | None = None) -> int:
    """The smallest number of distinct canonical values of ``sensitive`` in any class.

    0 when no class has a recorded value (nothing was measured). See
    :func:`sensitive_values` for ``multiselect``.

    >>> t = pd.DataFrame({"q": ["a"] * 3, "vic_TypeOfExploitation": [
    ...     "ForcedLabour;SexualExploitation", "SexualExploitation", "Other;SexualExploitation"]})
    >>> l_diversity(t, ["q"], "vic_TypeOfExploitation")  # everyone includes SexualExploitation
    1
    """
    if not len(table):
        return 0
    return l_of_classes(class_ids(table, list(quasi_identifiers)), table, sensitive,
                        multiselect=multiselect)


def l_of_classes(ids: np.ndarray, table: pd.DataFrame, sensitive: str, *,
                 multiselect: Collection[str] | None = None) -> int:
    """:func:`l_diversity` for classes already formed (``ids`` from :func:`class_ids`), so
    that one grouping serves every sensitive column."""
    if not len(table):
        return 0
    values, multiple = sensitive_values(table, sensitive, multiselect=multiselect)
    smallest = int(diversity_per_class(ids, values, multiselect=multiple).min(
        initial=np.iinfo(np.int64).max))
    return 0 if smallest == np.iinfo(np.int64).max else smallest


def k_and_l(table: pd.DataFrame, quasi_identifiers: Sequence[str],
            sensitive: str, *, multiselect: Collection[str] | None = None) -> tuple[int, int]:
    """k-anonymity and l-diversity together, the classes formed once.

    >>> t = pd.DataFrame({"q": ["a", "a", "b", "b"], "s": ["x", "y", "x", "x"]})
    >>> k_and_l(t, ["q"], "s")
    (2, 1)
    """
    if not len(table):
        return 0, 0
    ids = class_ids(table, list(quasi_identifiers), renumber=False)
    sizes = np.bincount(ids)
    return int(sizes[sizes > 0].min()), l_of_classes(ids, table, sensitive,
                                                     multiselect=multiselect)


def records_at_risk(table: pd.DataFrame, quasi_identifiers: Sequence[str], k: int) -> pd.Series:
    """True for rows in an equivalence class smaller than ``k``."""
    return class_sizes(table, quasi_identifiers) < k
