"""Columns as small integer codes and their distinct values, so a million rows cost little.

Every derived column of a release is a pandas Categorical: the work (canonical spelling,
generalisation, coarsening) is done once per distinct value, and grouping reads the codes
instead of hashing a million strings again. Distinct values are found exactly, NUL
characters included (:func:`htcds_learn._util.frames.factorize_exact`).

>>> values = pd.Series(["b", "a", None, "b"])
>>> codes, uniques = distinct(values)
>>> codes.tolist(), uniques.tolist()
([0, 1, 2, 0], ['b', 'a', ''])
>>> per_distinct(values, str.upper).tolist()
['B', 'A', '', 'B']
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from .._util.frames import factorize_exact

try:  # pandas' hash table for Python objects: exact (Python equality), NUL characters and all
    from pandas._libs.hashtable import PyObjectHashTable as _ObjectTable
except ImportError:  # pragma: no cover - a pandas without it: the public way below
    _ObjectTable = None


def distinct(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes (0, 1, 2, ...) and the distinct values; a missing value reads as ""."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy().astype(np.int64)
        uniques = np.asarray(values.cat.categories, dtype=object)
        if (codes < 0).any():
            where = np.flatnonzero(uniques == "")
            blank = int(where[0]) if len(where) else len(uniques)
            if not len(where):
                uniques = np.append(uniques, np.array([""], dtype=object))
            codes = np.where(codes < 0, blank, codes)
        return codes, uniques
    found = object_codes(values.to_numpy(dtype=object))
    if found is None:  # the public way: missing values read as "" first, then exact factorize
        text = values.astype(object)
        missing = text.isna().to_numpy()
        codes, uniques = factorize_exact(text.where(~missing, "") if missing.any() else text)
        return codes.astype(np.int64), np.asarray(uniques, dtype=object)
    codes, uniques = found
    missing = codes < 0
    if missing.any():  # a missing value reads as "": one value with any blank already there
        where = np.flatnonzero(uniques == "")
        if not len(where):
            uniques = np.append(uniques, np.array([""], dtype=object))
        codes[missing] = where[0] if len(where) else len(uniques) - 1
        codes, order = pd.factorize(codes)  # back in order of first appearance (ints: cheap)
        uniques = uniques[order]
    return codes.astype(np.int64, copy=False), uniques


def object_codes(array: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Codes (missing values -1) and distinct values in order of first appearance, from one
    pass of pandas' hash table for Python objects; None where this pandas lacks it.

    >>> codes, uniques = object_codes(np.array(["a", None, "a\\x00", "a"], dtype=object))
    >>> codes.tolist(), uniques.tolist()
    ([0, -1, 1, 0], ['a', 'a\\x00'])

    Exact, unlike ``pd.factorize`` on text (which hashes C strings, so "a" and "a\\x00b"
    meet), and with no separate passes for missing values and for checking exactness.
    """
    if _ObjectTable is None:
        return None
    try:
        uniques, codes = _ObjectTable(len(array)).factorize(array)
    except (TypeError, ValueError):  # pragma: no cover - a changed private signature
        return None
    return np.asarray(codes, dtype=np.int64), np.asarray(uniques, dtype=object)


def as_categories(table: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """``table`` with ``columns`` held as categoricals of their text (missing read as ""), so
    every later :func:`distinct` of them is free: each column is hashed once, not once per use.

    >>> as_categories(pd.DataFrame({"a": ["x", None, "x"]}), ["a"])["a"].cat.codes.tolist()
    [0, 1, 0]
    """
    out = table.copy(deep=False)
    for column in columns:
        if column in out and not isinstance(out[column].dtype, pd.CategoricalDtype):
            codes, uniques = distinct(out[column])
            out[column] = pd.Categorical.from_codes(codes, pd.Index(uniques, dtype=object))
    return out


def from_codes(codes: np.ndarray, values: Sequence[object] | np.ndarray,
               index: pd.Index) -> pd.Series:
    """A categorical Series whose row i holds ``values[codes[i]]`` (values may repeat)."""
    values = np.asarray(values, dtype=object) if not isinstance(values, np.ndarray) else values
    if not len(values):
        return pd.Series(pd.Categorical([] if not len(codes) else [""] * len(codes)),
                         index=index)
    new, categories = factorize_exact(pd.Series(values, dtype=object))
    return pd.Series(pd.Categorical.from_codes(new[codes], categories), index=index)


def per_distinct(values: pd.Series, work: Callable[[object], object]) -> pd.Series:
    """``work`` applied once per distinct value of ``values`` (blanks and missing as "")."""
    codes, uniques = distinct(values)
    return from_codes(codes, np.array([work(u) for u in uniques] + [""], dtype=object)[:len(
        uniques)] if len(uniques) else np.array([], dtype=object), values.index)


def counts(values: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Codes, distinct values, and how many rows hold each distinct value."""
    codes, uniques = distinct(values)
    return codes, uniques, np.bincount(codes, minlength=len(uniques))


def sort_order(table: pd.DataFrame, columns: Sequence[str]) -> np.ndarray:
    """Row positions that sort ``table`` by the text of ``columns`` (first column first)."""
    keys, space = [], 1
    for column in columns:
        codes, uniques = distinct(table[column])
        rank = np.argsort(np.argsort(uniques.astype(str), kind="stable"), kind="stable")
        keys.append((rank[codes], len(uniques)))
        space *= max(len(uniques), 1)
    if not keys:
        return np.arange(len(table))
    if space < 1 << 62:  # one integer key per row: one sort instead of one per column
        key = np.zeros(len(table), dtype=np.int64)
        for ranks, radix in keys:
            key = key * radix + ranks
        return np.argsort(key, kind="stable")
    return np.lexsort([ranks for ranks, _ in keys][::-1])


def distinct_values(table: pd.DataFrame, columns: Sequence[str]) -> set[str]:
    """Every distinct value, as text, found in ``columns``."""
    found: set[str] = set()
    for column in columns:
        found |= {str(u) for u in distinct(table[column])[1]}
    return found
