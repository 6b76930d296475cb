"""A few threads for array work that runs outside Python's lock (numpy sorts, pandas hashing).

Only speed depends on them: each task is independent and the results come back in order.

>>> thread_map(len, [[1], [1, 2], []])
[1, 2, 0]
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def workers(limit: int = 4) -> int:
    """The threads worth starting: the cores this process may use, at most ``limit``."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
        else os.cpu_count() or 1
    return max(1, min(limit, cores))


def thread_map(function: Callable[[T], R], items: Iterable[T], limit: int = 4) -> list[R]:
    """``list(map(function, items))``, on up to :func:`workers` threads."""
    items = list(items)
    count = min(workers(limit), len(items))
    if count < 2:
        return list(map(function, items))
    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(function, items))
