"""Generalisation: fewer, coarser values, so that more people share each one.

Ages become CTDC's age bands, dates become years, places become countries, and a country seen
too rarely becomes its UN sub-region, then its region, then "Other". Each function works on
the distinct values of a column, so a million rows cost what a few thousand values cost.

>>> age_band([7, 17, 18, 45, 63, -1])
['0--8', '9--17', '18--20', '39--47', '48+', '']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

import numpy as np
import pandas as pd

from .._util.dates import age_in_years
from .._util.frames import factorize_exact

CTDC_AGE_BANDS = ((0, 8, "0--8"), (9, 17, "9--17"), (18, 20, "18--20"), (21, 23, "21--23"),
                  (24, 26, "24--26"), (27, 29, "27--29"), (30, 38, "30--38"),
                  (39, 47, "39--47"), (48, 200, "48+"))
OTHER = "Other"


def per_distinct(values: pd.Series, work: Callable[[object], object]) -> pd.Series:
    """``work`` applied once per distinct value of ``values`` (blanks and missing as "").

    >>> per_distinct(pd.Series(["a", "b", "a", None]), str.upper).tolist()
    ['A', 'B', 'A', '']
    """
    text = values.astype(object).where(values.notna(), "")
    codes, uniques = factorize_exact(text)
    done = np.array([work(u) for u in uniques] + [""], dtype=object)
    return pd.Series(done[codes], index=values.index, dtype=object)


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

    >>> age_band_at(pd.Series(["2006-05-02"]), pd.Series(["2023-05-01"])).tolist()
    ['9--17']
    """
    return pd.Series(age_band(age_in_years(birthdates.to_numpy(), dates.to_numpy())),
                     index=birthdates.index, dtype=object)


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
    codes, uniques = factorize_exact(values.astype(object).where(values.notna(), ""))
    counts = np.bincount(codes, minlength=len(uniques))
    keep = np.array([c >= minimum or u == "" for c, u in zip(counts, uniques)], dtype=bool)
    return pd.Series(np.where(keep, np.asarray(uniques, dtype=object), other)[codes],
                     index=values.index, dtype=object)


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
    regions = un_regions().set_index("code")
    region_of_subregion = regions.drop_duplicates("subregion").set_index("subregion")["region"]
    out = codes.astype(object).where(codes.notna(), "").astype(str)
    for step in (regions["subregion"], region_of_subregion):
        counts = out.value_counts()
        rare = out.isin([v for v in counts[counts < minimum].index if v])
        mapped = out[rare].map(step)
        out[rare] = mapped.where(mapped.notna(), out[rare])
    return lump_rare(out, minimum=minimum, other=other)


def first_country(citizenship: pd.Series) -> pd.Series:
    """The first code of a ';'-separated citizenship list (CTDC keeps one citizenship).

    >>> first_country(pd.Series(["UA;RU", "NG", ""])).tolist()
    ['UA', 'NG', '']
    """
    return per_distinct(citizenship, lambda text: str(text).split(";")[0].strip())
