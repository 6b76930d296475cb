"""Days as whole numbers (ordinals), as the generator draws dates, and back to 'YYYY-MM-DD'.

Dates are drawn as day numbers, so whole columns of them cost little. ``iso`` turns them into
the text the tables hold, from one shared table of every day from 1900 to 2035.

>>> from datetime import date
>>> birth, today = date(2000, 5, 2).toordinal(), date(2024, 5, 1).toordinal()
>>> whole_years_between(np.array([birth]), np.array([today])).tolist()
[23]
>>> iso(np.array([today])).tolist()
['2024-05-01']
"""

from __future__ import annotations

from datetime import date
from functools import cache

import numpy as np

from .arrays import Ints, Texts

EPOCH = date(1900, 1, 1).toordinal()
LAST_DAY = date(2035, 12, 31).toordinal()


@cache
def _date_strings() -> Texts:
    """'YYYY-MM-DD' for every day from 1900 to 2035, shared so a million dates cost little."""
    return np.array([date.fromordinal(d).isoformat() for d in range(EPOCH, LAST_DAY + 1)],
                    dtype=object)


def iso(ordinals: Ints) -> Texts:
    """Day numbers as 'YYYY-MM-DD' text."""
    return _date_strings()[ordinals - EPOCH]


@cache
def _years_and_month_days() -> tuple[Ints, Ints]:
    days = np.arange(EPOCH, LAST_DAY + 1)
    as_dates = [date.fromordinal(int(d)) for d in days]
    years = np.array([d.year for d in as_dates])
    month_day = np.array([d.month * 100 + d.day for d in as_dates])
    return years, month_day


def whole_years_between(start: Ints, end: Ints) -> Ints:
    """Completed years from ``start`` to ``end`` (day ordinals), as an age is counted."""
    years, month_day = _years_and_month_days()
    a, b = start - EPOCH, end - EPOCH
    return years[b] - years[a] - (month_day[b] < month_day[a])
