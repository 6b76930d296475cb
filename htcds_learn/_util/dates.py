"""Dates as the course writes them ('YYYY-MM-DD' text), and ages computed from them."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def age_in_years(birthdates: Any, dates: Any) -> np.ndarray:
    """Whole years between two columns of 'YYYY-MM-DD' dates (blank or bad dates give -1).

    >>> age_in_years(["2000-05-02", "2010-01-01"], ["2024-05-01", "2024-01-01"]).tolist()
    [23, 14]
    """
    start = pd.to_datetime(pd.Series(birthdates), format="%Y-%m-%d", errors="coerce")
    end = pd.to_datetime(pd.Series(dates), format="%Y-%m-%d", errors="coerce")
    years = end.dt.year - start.dt.year
    before_birthday = (end.dt.month * 100 + end.dt.day) < (start.dt.month * 100 + start.dt.day)
    return (years - before_birthday).fillna(-1).astype(int).to_numpy()
