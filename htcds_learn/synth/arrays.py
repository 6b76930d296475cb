"""Whole-column helpers the providers share: weighted picks, flags joined into lists, numbers.

The generator draws every value of a block at once, as numpy arrays. ``Ints``, ``Flags`` and
``Texts`` name the three kinds of array the typed block holds.

>>> numbered("CASE-", np.array([1, 42]), 7).tolist()
['CASE-0000001', 'CASE-0000042']
>>> join_flags(np.array([[True, False, True], [False, False, False]]), ["A", "B", "C"]).tolist()
['A;C', '']
>>> stable_seed("organisations", "NG") == stable_seed("organisations", "NG")
True
"""

from __future__ import annotations

import zlib

import numpy as np
from numpy.typing import NDArray

from ..model.schema import MULTISELECT_DELIMITER

Ints = NDArray[np.int64]
Flags = NDArray[np.bool_]
Texts = NDArray[np.object_]  # Python strings, as pandas keeps text


def stable_seed(*parts: object) -> int:
    """A seed from text that is the same in every process (``hash()`` is not)."""
    return zlib.crc32(":".join(map(str, parts)).encode("utf-8"))


def numbered(prefix: str, numbers: Ints, width: int) -> Texts:
    """'PREFIX0000042'-style strings, built from digit arithmetic rather than a Python loop."""
    numbers = np.asarray(numbers, dtype=np.int64)
    head = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    matrix = np.empty((len(numbers), len(head) + width), dtype=np.uint8)
    matrix[:, :len(head)] = head
    matrix[:, len(head):] = numbers[:, None] // powers % 10 + 48
    size = matrix.shape[1]
    return matrix.view(f"S{size}").ravel().astype(f"U{size}").astype(object)


def pick(rng: np.random.Generator, names: list[str], weights: np.ndarray, size: int) -> Texts:
    """``size`` names drawn with the given weights."""
    return np.array(names, dtype=object)[rng.choice(len(names), size=size, p=weights)]


def as_texts(values: tuple[str, ...] | list[str]) -> Texts:
    """A tuple of texts as an array that fancy indexing can draw from."""
    return np.array(values, dtype=object)


_LABEL_TABLES: dict[tuple[str, ...], Texts] = {}


def join_flags(flags: Flags, names: list[str]) -> Texts:
    """Rows of booleans -> 'A;B' strings.

    Each combination is a number (one bit per name); its label is made the first time it is
    seen and kept in a table indexed by that number, so later rows need only a take.
    """
    if flags.shape[1] == 0:
        return np.full(flags.shape[0], "", dtype=object)
    weights = 1 << np.arange(flags.shape[1], dtype=np.int64)
    keys = flags.astype(np.int64) @ weights
    table = _LABEL_TABLES.setdefault(tuple(names), np.full(1 << len(names), None, dtype=object))
    missing = np.unique(keys[table[keys] == None])  # noqa: E711 - element-wise test
    for key in missing.tolist():
        table[key] = MULTISELECT_DELIMITER.join(n for bit, n in enumerate(names) if key >> bit & 1)
    return table[keys]
