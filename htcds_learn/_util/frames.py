"""Tables as text, the way a spreadsheet shows them, and exact grouping of text values.

>>> import pandas as pd
>>> as_text(pd.DataFrame({"age": [17.0, None], "adult": [False, True]})).to_dict("list")
{'age': ['17', ''], 'adult': ['False', 'True']}
"""

from __future__ import annotations

import ctypes
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from .threads import thread_map


def cell_text(value: Any) -> str:
    """One cell as a spreadsheet shows it: blanks as "", whole floats without ".0", dates as ISO.

    >>> [cell_text(v) for v in (None, float("nan"), 3.0, True, date(2024, 3, 9), "x")]
    ['', '', '3', 'True', '2024-03-09', 'x']
    """
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "True" if value else "False"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() \
            else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_BOOL_TEXT = np.array(["False", "True"], dtype=object)


def as_text(table: pd.DataFrame, *, renumber: bool = False) -> pd.DataFrame:
    """Every cell as text, blanks as "" (booleans as True/False), as a spreadsheet shows it.

    ``renumber`` gives the result a fresh 0, 1, 2, ... index (row positions).
    """
    return text_and_groups(table, renumber=renumber, group=False)[0]


# Rows grouped by the very object they hold: for each row the number of its object, and the
# first row of each object (see :func:`object_groups`).
ObjectGroups = tuple[np.ndarray, np.ndarray]


def text_and_groups(table: pd.DataFrame, *, renumber: bool = False, group: bool = True
                    ) -> tuple[pd.DataFrame, dict[str, ObjectGroups]]:
    """:func:`as_text`, and the rows of each text column grouped by object where many rows
    share one object (:func:`object_groups`).

    Whether a column holds only text is then asked of each distinct object, not of each of
    a million cells: the grouping costs about what that question cost, and it is what the
    fast validation engine needs anyway. The text is the same either way.

    >>> text, groups = text_and_groups(pd.DataFrame({"g": ["a", "b"] * 10_000}))
    >>> text["g"].tolist()[:3], groups["g"][0][:3].tolist(), groups["g"][1].tolist()
    (['a', 'b', 'a'], [0, 1, 0], [0, 1])
    """
    out, groups = {}, {}
    columns = []
    for column in table.columns:
        series = table[column]
        if isinstance(series.dtype, pd.api.extensions.ExtensionDtype):
            series = series.astype(object)  # Int64, boolean: plain values and pd.NA
        columns.append((column, series, series.to_numpy()))
    # Grouping is array work (pandas hashes addresses without Python's lock): the columns
    # are grouped side by side, on each core, before the rest is done one by one.
    wanted = [group and series.dtype == object for _, series, _ in columns]
    found = iter(thread_map(object_groups, [values for (_, _, values), want
                                            in zip(columns, wanted) if want]))
    for (column, series, values), want in zip(columns, wanted):
        grouped = next(found) if want else None
        if pd.api.types.is_bool_dtype(series.dtype):
            # Two text objects shared by every row (not a new one per row): a tenth of
            # the memory, and rows that share objects are grouped fast (object_groups).
            text = _BOOL_TEXT[values.astype(np.intp)]
        elif series.dtype == object and pd.api.types.infer_dtype(
                values if grouped is None else values[grouped[1]], skipna=False) == "string":
            text = values  # already text, no blanks to fill: the common case, kept as is
            if grouped is not None:
                groups[str(column)] = grouped
        else:
            text = np.array([cell_text(v) for v in values], dtype=object)
        out[str(column)] = text
    index = pd.RangeIndex(len(table)) if renumber else table.index
    return pd.DataFrame(out, index=index, copy=False), groups


def _object_addresses(values: np.ndarray) -> np.ndarray:
    """The address of each object in an object array (what the array itself stores)."""
    held = np.ascontiguousarray(values, dtype=object)
    raw = (ctypes.c_ssize_t * len(held)).from_address(held.ctypes.data)
    return np.ctypeslib.as_array(raw).copy()  # copied while ``held`` keeps the objects alive


# How many cells of a column are looked at to decide whether its rows share objects.
SHARED_SAMPLE = 10_000


def object_groups(values: np.ndarray, sample: int | None = None) -> ObjectGroups | None:
    """The rows grouped by the very object they hold, when many rows share one object:
    for each row the number of its object (in order of first appearance), and the first
    row of each object. None when the column is short or the first ``sample`` cells are
    mostly different objects (then grouping would cost more than it saves).

    A table read by pandas, or made by the generator, shares one string object between the
    rows that hold the same value, so grouping by object is integer work (no text is read).
    Two objects may still hold the same text: the groups are not the distinct values.

    >>> cells = np.array(["ab", "cd"] * 10 + ["".join(["a", "b"])], dtype=object)
    >>> by_object, first = object_groups(cells, sample=4)
    >>> by_object[:3].tolist(), first.tolist()
    ([0, 1, 0], [0, 1, 20])
    """
    sample = SHARED_SAMPLE if sample is None else sample
    if len(values) < 2 * sample or values.dtype != object:
        return None
    # How many distinct objects the column holds, guessed from the sample (Chao's estimate:
    # objects seen once in the sample mean many more unseen). Above a quarter of the rows,
    # grouping costs more than checking each cell, or than grouping by text.
    _, counts = np.unique(_object_addresses(values[:sample]), return_counts=True)
    once, twice = int((counts == 1).sum()), int((counts == 2).sum())
    if len(counts) + once * (once - 1) / (2 * (twice + 1)) > len(values) / 4:
        return None
    by_object, _ = pd.factorize(_object_addresses(values))
    first = np.empty(int(by_object.max(initial=-1)) + 1, dtype=np.int64)
    first[by_object[::-1]] = np.arange(len(values) - 1, -1, -1)
    return by_object, first


def factorize_exact(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    r"""``pd.factorize``, but exact for text with NUL characters.

    pandas 2.x hashes object strings as C strings, so '' and '\x00' (or 'a' and 'a\x00b')
    become one value (found by the engine-agreement property test). Such columns are
    factorised on an escaped copy; the distinct values returned are the originals.

    >>> codes, uniques = factorize_exact(pd.Series(["", "\x00", ""]))
    >>> codes.tolist(), list(uniques)
    ([0, 1, 0], ['', '\x00'])
    """
    codes, uniques = pd.factorize(values, sort=False)
    uniques = np.asarray(uniques, dtype=object)
    if not (values.to_numpy() != uniques[codes]).any():  # one C-level pass, ~20 ms per 1M
        return codes, uniques
    escaped = values.map(lambda v: v.encode("unicode_escape").decode("ascii")
                         if isinstance(v, str) else v)
    codes, _ = pd.factorize(escaped, sort=False)
    first = pd.Series(np.arange(len(codes))).groupby(codes).first().to_numpy()
    return codes, np.asarray(values.to_numpy()[first], dtype=object)
