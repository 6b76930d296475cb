"""The columns a release can carry: where each comes from, what it tells whom, how to coarsen.

A released column is made from HTCDS fields by one function (the finest level), and can be
coarsened along a ladder of levels when the finest values single people out: CTDC age bands,
then broad bands, then minor or adult; a country, then its UN sub-region, then its region.
Each column declares the kind of knowledge it carries (see :mod:`.threats`), which decides who
can know it, and which values it may hold: a release checks every cell against that list
before anything leaves, so nothing else can ride out in a column.

>>> import pandas as pd
>>> rows = pd.DataFrame({"prs_Birthdate": ["2006-05-02"], "cas_IncomingReferralDate":
...                      ["2023-05-01"]})
>>> AGE.derive(rows, 11)[0].tolist(), AGE.levels[0].apply(pd.Series(["9--17"]), 11).tolist()
(['9--17'], ['0--17'])
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .canonical import DELIMITER, RARE_COMBINATION, canonical_column, group_rare, members
from .coded import distinct, from_codes, per_distinct
from .generalise import (
    CTDC_AGE_BANDS,
    OTHER,
    age_band_at,
    country_of_place,
    first_country,
    generalise_countries,
    un_regions,
    year_of,
)
from .threats import CONTROL, DATES, DEMOGRAPHICS, EXPLOITATION, PLACES, RECRUITMENT

Values = pd.Series


@dataclass(frozen=True)
class Level:
    """One step coarser: a name for the report and the function that makes it from the
    column's finest values (and k, for grouping what stays rare)."""

    name: str
    apply: Callable[[Values, int], Values]


@dataclass(frozen=True)
class ReleaseColumn:
    """A column a release can carry (see the module docstring)."""

    name: str
    sources: tuple[str, ...]
    kind: str
    description: str
    derive: Callable[[pd.DataFrame, int], tuple[Values, int]]
    allowed: Callable[[str], bool]
    levels: tuple[Level, ...] = ()
    multiselect: bool = False
    extra: dict = field(default_factory=dict)

    def available(self, table: pd.DataFrame) -> bool:
        return all(source in table for source in self.sources)


# --- values each column may hold ------------------------------------------------------------

def _in_sets(allowed_members: set[str]) -> Callable[[str], bool]:
    def check(value: str) -> bool:
        return value in ("", RARE_COMBINATION) or all(
            part in allowed_members for part in value.split(DELIMITER))
    return check


def _countries_or_regions(value: str) -> bool:
    regions = un_regions()
    return value in ("", OTHER) or (re.fullmatch(r"[A-Z]{2}", value) is not None
                                    and value in set(regions["code"])) or value in set(
        regions["subregion"]) or value in set(regions["region"])


_BANDS = {label for _, _, label in CTDC_AGE_BANDS} | {"0--17", "18--29", "30--47", "18+", ""}
_YEAR = re.compile(r"\d{4}(--\d{4})?")


# --- finest values --------------------------------------------------------------------------

def _picklist(source: str) -> Callable[[pd.DataFrame, int], tuple[Values, int]]:
    def derive(rows: pd.DataFrame, k: int) -> tuple[Values, int]:
        return canonical_column(rows[source], source)
    return derive


def _picklist_sets(source: str, *, group: bool) -> Callable[[pd.DataFrame, int],
                                                            tuple[Values, int]]:
    def derive(rows: pd.DataFrame, k: int) -> tuple[Values, int]:
        values, outside = canonical_column(rows[source], source)
        return (group_rare(values, minimum=k) if group else values), outside
    return derive


def _age(rows: pd.DataFrame, k: int) -> tuple[Values, int]:
    return age_band_at(rows["prs_Birthdate"], rows["cas_IncomingReferralDate"]), 0


def _citizenship(rows: pd.DataFrame, k: int) -> tuple[Values, int]:
    codes, outside = canonical_column(rows["prs_Citizenship"], "prs_Citizenship")
    return generalise_countries(first_country(codes), minimum=k), outside


def _exploitation_country(rows: pd.DataFrame, k: int) -> tuple[Values, int]:
    places = rows["vic_LocationOfExploitation"]
    codes, uniques = distinct(places)
    found = country_of_place(pd.Series(uniques, dtype=object)).astype(str).to_numpy()
    unreadable = (found == "") & np.array([str(u).strip() != "" for u in uniques], dtype=bool)
    countries = from_codes(codes, found, places.index)
    outside = int(np.bincount(codes, minlength=len(uniques))[unreadable].sum())
    return generalise_countries(countries, minimum=k), outside


def _year(rows: pd.DataFrame, k: int) -> tuple[Values, int]:
    return year_of(rows["cas_IncomingReferralDate"]), 0


# --- coarser levels -------------------------------------------------------------------------

CTDC_GENDER = {"Feminine": "Woman", "Masculine": "Man", "TransgenderFeminine":
               "Trans/Transgender/NonConforming", "TransgenderMasculine":
               "Trans/Transgender/NonConforming", "NonConforming":
               "Trans/Transgender/NonConforming", "NonSpecifiedUnknown": ""}

_BROAD = {"0--8": "0--17", "9--17": "0--17", "18--20": "18--29", "21--23": "18--29",
          "24--26": "18--29", "27--29": "18--29", "30--38": "30--47", "39--47": "30--47",
          "48+": "48+"}


def _mapped(mapping: dict[str, str]) -> Callable[[Values, int], Values]:
    return lambda values, k: per_distinct(values, lambda v: mapping.get(str(v), ""))


def _majority(values: Values, k: int) -> Values:
    return per_distinct(values, lambda v: "" if not v else "0--17" if v in ("0--8", "9--17")
                        else "18+")


def _region(level: str) -> Callable[[Values, int], Values]:
    def coarsen(values: Values, k: int) -> Values:
        regions = un_regions()
        by_code = dict(zip(regions["code"], regions[level]))
        subregion_to_region = dict(zip(regions["subregion"], regions["region"]))

        def one(value: object) -> str:
            value = str(value)
            if value in by_code:
                return by_code[value]
            if level == "region" and value in subregion_to_region:
                return subregion_to_region[value]
            return value
        return generalise_countries(per_distinct(values, one), minimum=k)
    return coarsen


def _period(years: int) -> Callable[[Values, int], Values]:
    def coarsen(values: Values, k: int) -> Values:
        def one(value: object) -> str:
            text = str(value)
            if not re.fullmatch(r"\d{4}", text):
                return ""
            start = int(text) - int(text) % years
            return f"{start}--{start + years - 1}"
        return per_distinct(values, one)
    return coarsen


_MAIN_TYPES = ("ForcedLabour", "SexualExploitation")


def _main_types(values: Values, k: int) -> Values:
    def one(value: object) -> str:
        text = str(value)
        if text in ("", RARE_COMBINATION):
            return "" if not text else "Other"
        parts = set(text.split(DELIMITER))
        main = [t for t in _MAIN_TYPES if t in parts]
        return DELIMITER.join(main + (["Other"] if parts - set(_MAIN_TYPES) else []))
    return per_distinct(values, one)


# CTDC's synthetic data set groups the means of control in eight; the same groups here.
CONTROL_GROUPS = {
    "DebtBondage": "DebtBondageOrEarnings", "TakesEarnings": "DebtBondageOrEarnings",
    "PhysicalThreats": "Threats", "ThreatensChildrenFamily": "Threats",
    "ThreatsLawEnforcement": "Threats", "PsychologicalAbuse": "Abuse",
    "PhysicalAbuse": "Abuse", "SexualAbuse": "Abuse", "FalsePromises": "FalsePromises",
    "PsychoactiveSubstance": "DrugsOrAlcohol", "RestrictsFinancialAccess": "DeniesBasicNeeds",
    "RestrictsMedicalCare": "DeniesBasicNeeds", "WithholdsNecessities": "DeniesBasicNeeds",
    "ExcessiveWorkingHours": "ExcessiveWorkingHours",
    "WithholdsDocuments": "WithholdsDocuments", "Other": "Other",
}
_GROUP_ORDER = list(dict.fromkeys(CONTROL_GROUPS.values()))


def _control_groups(values: Values, k: int) -> Values:
    def one(value: object) -> str:
        text = str(value)
        if text in ("", RARE_COMBINATION):
            return text
        groups = {CONTROL_GROUPS[p] for p in text.split(DELIMITER) if p in CONTROL_GROUPS}
        return DELIMITER.join(g for g in _GROUP_ORDER if g in groups)
    return group_rare(per_distinct(values, one), minimum=k)


# --- the catalogue --------------------------------------------------------------------------

GENDER = ReleaseColumn(
    "gender", ("prs_Gender",), DEMOGRAPHICS, "prs_Gender, HTCDS value names",
    _picklist("prs_Gender"),
    lambda v: v in ("", *members("prs_Gender"), *CTDC_GENDER.values()),
    (Level("CTDC's three genders", _mapped(CTDC_GENDER)),))
AGE = ReleaseColumn(
    "ageBroad", ("prs_Birthdate", "cas_IncomingReferralDate"), DEMOGRAPHICS,
    "age at registration (birth date and incoming referral date), CTDC's age bands",
    _age, lambda v: v in _BANDS,
    (Level("broad age bands (0--17, 18--29, 30--47, 48+)", _mapped(_BROAD)),
     Level("minor or adult", _majority)))
CITIZENSHIP = ReleaseColumn(
    "citizenship", ("prs_Citizenship",), DEMOGRAPHICS,
    "first citizenship; a country seen fewer than k times becomes its UN sub-region, region, "
    "or Other", _citizenship, _countries_or_regions,
    (Level("UN sub-region", _region("subregion")), Level("UN region", _region("region"))))
EXPLOITATION_COUNTRY = ReleaseColumn(
    "CountryOfExploitation", ("vic_LocationOfExploitation",), PLACES,
    "country of the place of exploitation; rare countries as for citizenship",
    _exploitation_country, _countries_or_regions,
    (Level("UN sub-region", _region("subregion")), Level("UN region", _region("region"))))
YEAR = ReleaseColumn(
    "yearOfRegistration", ("cas_IncomingReferralDate",), DATES,
    "year of the incoming referral date", _year,
    lambda v: v == "" or _YEAR.fullmatch(v) is not None,
    (Level("two-year periods", _period(2)), Level("four-year periods", _period(4))))
EXPLOITATION_TYPE = ReleaseColumn(
    "vic_TypeOfExploitation", ("vic_TypeOfExploitation",), EXPLOITATION,
    "picklist members only, sorted; combinations seen fewer than k times grouped",
    _picklist_sets("vic_TypeOfExploitation", group=True),
    _in_sets(set(members("vic_TypeOfExploitation"))),
    (Level("forced labour, sexual exploitation, other", _main_types),), multiselect=True)
EXPLOITATION_TYPE_ALL = ReleaseColumn(
    "vic_TypeOfExploitation", ("vic_TypeOfExploitation",), EXPLOITATION,
    "picklist members only, sorted", _picklist_sets("vic_TypeOfExploitation", group=False),
    _in_sets(set(members("vic_TypeOfExploitation"))), multiselect=True)
RECRUITMENT_METHOD = ReleaseColumn(
    "vic_MethodOfRecruitment", ("vic_MethodOfRecruitment",), RECRUITMENT,
    "picklist value names only", _picklist("vic_MethodOfRecruitment"),
    lambda v: v in ("", *members("vic_MethodOfRecruitment")))
CONTROL_METHODS = ReleaseColumn(
    "vic_MethodsOfControl", ("vic_MethodsOfControl",), CONTROL,
    "picklist members only, sorted; combinations seen fewer than k times grouped",
    _picklist_sets("vic_MethodsOfControl", group=True),
    _in_sets(set(members("vic_MethodsOfControl")) | set(_GROUP_ORDER)),
    (Level("CTDC's eight groups of means of control", _control_groups),), multiselect=True)
CONTROL_METHODS_ALL = ReleaseColumn(
    "vic_MethodsOfControl", ("vic_MethodsOfControl",), CONTROL,
    "picklist members only, sorted", _picklist_sets("vic_MethodsOfControl", group=False),
    _in_sets(set(members("vic_MethodsOfControl"))), multiselect=True)
TRAFFICKING_STATUS = ReleaseColumn(
    "vic_TraffickingStatus", ("vic_TraffickingStatus",), "case",
    "picklist value names only", _picklist("vic_TraffickingStatus"),
    lambda v: v in ("", *members("vic_TraffickingStatus")))


def vocabulary_problems(table: pd.DataFrame, columns: dict[str, ReleaseColumn]) -> dict[str, int]:
    """For each released column, how many cells hold a value it may not hold."""
    problems = {}
    for name, column in columns.items():
        if name not in table:
            continue
        bad = per_distinct(table[name], lambda v, c=column: "" if c.allowed(str(v)) else "x")
        if (count := int((bad == "x").sum())):
            problems[name] = count
    return problems




def _main_type(rows: pd.DataFrame, k: int) -> tuple[Values, int]:
    values, outside = canonical_column(rows["vic_TypeOfExploitation"], "vic_TypeOfExploitation")
    return _main_types(values, k), outside


EXPLOITATION_MAIN = ReleaseColumn(
    "exploitation", ("vic_TypeOfExploitation",), EXPLOITATION,
    "main type of exploitation: ForcedLabour, SexualExploitation, Other, or a combination",
    _main_type, _in_sets({"ForcedLabour", "SexualExploitation", "Other"}))
