"""Generalisation: fewer, coarser values, so that more people share each one.

Ages become CTDC's age bands, dates become years, places become countries, and a country seen
too rarely becomes its UN sub-region, then its region, then "Other". Each function works on
the distinct values of a column, so a million rows cost what a few thousand values cost.

>>> age_band([7, 17, 18, 45, 63, -1])
['0--8', '9--17', '18--20', '39--47', '48+', '']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd

from .coded import counts, distinct, from_codes, per_distinct

CTDC_AGE_BANDS = ((0, 8, "0--8"), (9, 17, "9--17"), (18, 20, "18--20"), (21, 23, "21--23"),
                  (24, 26, "24--26"), (27, 29, "27--29"), (30, 38, "30--38"),
                  (39, 47, "39--47"), (48, 200, "48+"))
OTHER = "Other"


def age_band(ages: Iterable[int]) -> list[str]:
    """CTDC's age bands for ages in years (negative or missing ages give "")."""
    values = pd.to_numeric(pd.Series(list(ages), dtype=object), errors="coerce").to_numpy(
        dtype=float)
    lows = np.array([low for low, _, _ in CTDC_AGE_BANDS])
    labels = np.array([label for _, _, label in CTDC_AGE_BANDS] + [""], dtype=object)
    index = np.searchsorted(lows, values, side="right") - 1
    index[~(values >= 0)] = len(CTDC_AGE_BANDS)  # negative or missing (NaN compares False)
    return labels[index].tolist()


def age_band_at(birthdates: pd.Series, dates: pd.Series) -> pd.Series:
    """The CTDC age band of each person on a date (age at registration, for CTDC).

    Each distinct date is read once, so a million rows cost what their dates cost.

    >>> age_band_at(pd.Series(["2006-05-02", ""]), pd.Series(["2023-05-01", "2023-05-01"])
    ...             ).tolist()
    ['9--17', '']
    """
    def parts(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        codes, uniques = distinct(values)
        parsed = pd.to_datetime(pd.Series(uniques, dtype=object), format="%Y-%m-%d",
                                errors="coerce")
        year = parsed.dt.year.to_numpy(dtype=float)
        day = (parsed.dt.month * 100 + parsed.dt.day).to_numpy(dtype=float)
        return year[codes], day[codes]

    birth_year, birth_day = parts(birthdates)
    year, day = parts(dates)
    ages = year - birth_year - (day < birth_day)
    lows = np.array([low for low, _, _ in CTDC_AGE_BANDS])
    labels = np.array([label for _, _, label in CTDC_AGE_BANDS] + [""], dtype=object)
    index = np.searchsorted(lows, np.nan_to_num(ages, nan=-1), side="right") - 1
    index[~(ages >= 0)] = len(CTDC_AGE_BANDS)  # missing or negative (NaN compares False)
    band_codes, bands = pd.factorize(labels[index])
    return pd.Series(pd.Categorical.from_codes(band_codes, bands), index=birthdates.index)


def year_of(dates: pd.Series, *, month: bool = False) -> pd.Series:
    """Dates 'YYYY-MM-DD' cut to the year ('2021') or the year and month ('2021-04').

    >>> year_of(pd.Series(["2021-04-06", "", None, "06/04/2021"])).tolist()
    ['2021', '', '', '']
    """
    width = 7 if month else 4

    def cut(text: object) -> str:
        text = str(text)
        return text[:width] if re.match(r"^\d{4}-\d{2}", text) else ""

    return per_distinct(dates, cut)


def country_of_place(places: pd.Series) -> pd.Series:
    """The ISO country code of a place written 'City, NG' (or 'NG-LA', or just 'NG').

    >>> country_of_place(pd.Series(["Lagos, NG", "NG-LA", "UA", "somewhere"])).tolist()
    ['NG', 'NG', 'UA', '']
    """
    def country(text: object) -> str:
        value = str(text or "").strip()
        match = re.search(r"(?:, |-|^)([A-Z]{2})(?:-\w+)?$", value)
        return match.group(1) if match else ""

    return per_distinct(places, country)


def lump_rare(values: pd.Series, *, minimum: int, other: str = OTHER) -> pd.Series:
    """Categories seen fewer than ``minimum`` times become ``other`` (blanks stay blank).

    >>> lump_rare(pd.Series(["NG"] * 2 + ["IS"]), minimum=2).tolist()
    ['NG', 'NG', 'Other']
    """
    codes, uniques, seen = counts(values)
    kept = np.array([u if n >= minimum or u == "" else other for u, n in zip(uniques, seen)],
                    dtype=object)
    return from_codes(codes, kept, values.index)


def _m49_name(key: str) -> str:
    words = key.lower().split("_")
    small = {"and", "the", "of"}
    return " ".join(w if w in small and i else w.capitalize() for i, w in enumerate(words))


@lru_cache(maxsize=1)
def un_regions() -> pd.DataFrame:
    """ISO 3166 alpha-2 code -> UN geographical region and sub-region (M49, UN Statistics
    Division), from the CC0 ``countrygroups`` package.

    >>> regions = un_regions().set_index("code")
    >>> regions.loc["NG", "subregion"], regions.loc["NG", "region"]
    ('Western Africa', 'Africa')
    """
    import countrygroups
    import pycountry

    top = countrygroups.UNSTATS_GEOGRAPHICAL_REGIONS
    rows = []

    def walk(group, region: str, name: str) -> None:
        children = [a for a in dir(group) if a.isupper() and not a.startswith("_")]
        in_children = {code for child in children for code in getattr(group, child)}
        for child in children:
            # A region's sub-regions, or an intermediate grouping: descend, but a grouping
            # inside a sub-region (the Channel Islands in Northern Europe) keeps its parent.
            walk(getattr(group, child), region, child if name == region or
                 child.endswith(("AFRICA", "AMERICA", "ASIA", "EUROPE", "CARIBBEAN",
                                 "MELANESIA", "MICRONESIA", "POLYNESIA", "ZEALAND"))
                 else name)
        for alpha3 in group:
            if alpha3 in in_children:
                continue
            country = pycountry.countries.get(alpha_3=alpha3)
            if country is not None:
                rows.append({"code": country.alpha_2, "subregion": _m49_name(name),
                             "region": _m49_name(region)})

    for region in (a for a in dir(top) if a.isupper() and not a.startswith("_")):
        walk(getattr(top, region), region, region)
    return pd.DataFrame(rows).drop_duplicates("code").sort_values("code", ignore_index=True)


def generalise_countries(codes: pd.Series, *, minimum: int, other: str = OTHER) -> pd.Series:
    """Countries seen fewer than ``minimum`` times become their UN sub-region, then region,
    then ``other``: each step only as far as needed (blanks stay blank).

    >>> s = pd.Series(["NG"] * 3 + ["GH", "SN", "FR"])
    >>> generalise_countries(s, minimum=2).tolist()
    ['NG', 'NG', 'NG', 'Western Africa', 'Western Africa', 'Other']
    """
    regions = un_regions()
    steps = (dict(zip(regions["code"], regions["subregion"])),
             dict(zip(regions["subregion"], regions["region"])))
    row_codes, uniques, seen = counts(codes)
    current = np.array([str(u) for u in uniques], dtype=object)
    for step in (*steps, None):
        total = pd.Series(seen).groupby(current).sum()
        rare = {v for v, n in total.items() if n < minimum and v != ""}
        if step is None:
            current = np.array([other if v in rare else v for v in current], dtype=object)
        else:
            current = np.array([step.get(v, v) if v in rare else v for v in current],
                               dtype=object)
    return from_codes(row_codes, current, codes.index)


def first_country(citizenship: pd.Series) -> pd.Series:
    """The first code of a ';'-separated citizenship list (CTDC keeps one citizenship).

    >>> first_country(pd.Series(["UA;RU", "NG", ""])).tolist()
    ['UA', 'NG', '']
    """
    return per_distinct(citizenship, lambda text: str(text).split(";")[0].strip())
