"""The organisations, case workers, users and places of every country: fixed for a seed.

Each country has one organisation of each kind in the texts file (a safe house, a hotline, a
police unit, ...; the last is a business a perpetrator may run), two case workers in each
service, five users who own cases, and a location record for each pooled city. Cases point to
them by index; this module gives their identifiers and names, and their own table rows.

>>> from htcds_learn.synth.profile import load_profile
>>> from htcds_learn.synth.pools import Pools
>>> from htcds_learn.synth.texts import load_texts
>>> profile = load_profile()
>>> directory = Directory(0, ["NG"], profile, Pools(profile, ["NG"]), load_texts())
>>> organisations, workers = directory.rows
>>> organisations.loc[0, "organisation_id"], workers.loc[0, "person_id"]
('ORG-NG-01', 'PRS-NG-W011')
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from ..standard.codes import country_name
from .arrays import Ints, Texts, numbered, stable_seed
from .pools import POOL_SIZE, CountryPool, Pools
from .profile import Profile
from .texts import CaseTexts

WORKERS_PER_ORGANISATION = 2
USERS_PER_COUNTRY = 5
LOCATION_COLUMNS = ["organisation_id", "org_Name", "org_ShippingCity", "org_ShippingCountry"]


def case_ids(numbers: Ints) -> Texts:
    """'CASE-0000042' for case 42."""
    return numbered("CASE-", numbers, 7)


def victim_ids(numbers: Ints) -> Texts:
    """'PRS-0000042': the person whose case is number 42."""
    return numbered("PRS-", numbers, 7)


def organisation_id(code: str, index: int) -> str:
    return f"ORG-{code}-{index + 1:02d}"


def worker_id(code: str, organisation: int, index: int) -> str:
    return f"PRS-{code}-W{organisation + 1:02d}{index + 1}"


def user_id(code: str, index: int) -> str:
    return f"USR-{code}-{index + 1:02d}"


def location_id(code: str, city_index: int) -> str:
    return f"LOC-{code}-{city_index + 1:03d}"


@dataclass(frozen=True)
class Lookups:
    """Identifiers and display names by (country, index, ...), so rows need only a take."""

    org_ids: Texts  # [country, organisation]
    org_names: Texts
    user_ids: Texts  # [country, user]
    worker_ids: Texts  # [country, organisation, worker]
    worker_names: Texts
    places: Texts  # [country, city]: "City, CC", as the Core table names a location
    place_ids: Texts


class Directory:
    """Every country's organisations, workers, users and places, made from the seed."""

    def __init__(self, seed: int, countries: list[str], profile: Profile, pools: Pools,
                 texts: CaseTexts) -> None:
        self.seed = seed
        self.countries = countries
        self.profile = profile
        self.pools = pools
        self.kinds = texts.organisations
        self.titles = texts.worker_titles
        self.salutations = texts.salutations
        self.business = len(self.kinds) - 1  # the index of the business, in every country

    @cached_property
    def rows(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The organisations table rows and the case workers' people rows."""
        organisations: list[dict[str, Any]] = []
        workers: list[dict[str, Any]] = []
        for c, code in enumerate(self.countries):
            self._country_rows(code, self.pools[c], organisations, workers)
        return pd.DataFrame(organisations), pd.DataFrame(workers)

    def _country_rows(self, code: str, pool: CountryPool, organisations: list[dict[str, Any]],
                      workers: list[dict[str, Any]]) -> None:
        rng = np.random.default_rng([self.seed, stable_seed("organisations", code)])
        name_of_country = country_name(code)
        calling = self.profile.country(code)["calling_code"]
        digits = self.profile.country(code)["national_digits"]
        for k, kind in enumerate(self.kinds):
            city = pool.cities[k % len(pool.cities)]
            organisations.append({
                "organisation_id": organisation_id(code, k),
                "org_Name": kind.name.format(city=city, country=name_of_country,
                                             company=pool.companies[0]),
                "org_Type": kind.type, "org_ShippingCity": city, "org_ShippingCountry": code,
                "org_ShippingStreet": f"{pool.streets[k]} {k + 1}",
                "org_ShippingPostalCode": pool.postcodes[k],
                "org_Phone": f"+{calling}{rng.integers(10 ** (digits - 1), 10 ** digits)}",
            })
            if kind.type == "CorporateBusiness":
                continue  # a business has no case workers
            for w in range(WORKERS_PER_ORGANISATION):
                workers.append(self._worker(rng, code, pool, k, w))

    def _worker(self, rng: np.random.Generator, code: str, pool: CountryPool, organisation: int,
                index: int) -> dict[str, Any]:
        female = bool(rng.random() < 0.6)
        names = pool.female if female else pool.male
        i = int(rng.integers(0, POOL_SIZE))
        j = int(rng.integers(0, POOL_SIZE))
        slug = (pool.female_slugs if female else pool.male_slugs)[i]
        return {
            "person_id": worker_id(code, organisation, index),
            "prs_Salutation": self.salutations["feminine" if female else "masculine"],
            "prs_FirstName": names[i], "prs_SecondName": pool.surnames[j],
            "prs_Gender": "Feminine" if female else "Masculine",
            "prs_Title": self.titles[(organisation + index) % len(self.titles)],
            "prs_Email": f"{slug}.{pool.surname_slugs[j]}@example.org",
            "prs_MailingCountry": code,
        }

    @cached_property
    def lookups(self) -> Lookups:
        organisations, workers = self.rows
        org_names = dict(zip(organisations["organisation_id"], organisations["org_Name"]))
        worker_names = dict(zip(workers["person_id"],
                                workers["prs_FirstName"] + " " + workers["prs_SecondName"]))
        width = max(len(self.kinds), USERS_PER_COUNTRY)
        codes = self.countries
        org_ids = np.array([[organisation_id(code, i) for i in range(width)] for code in codes],
                           dtype=object)
        worker_ids = np.array([[[worker_id(code, o, w) for w in range(WORKERS_PER_ORGANISATION)]
                                for o in range(len(self.kinds))] for code in codes],
                              dtype=object)
        cities = max(len(self.pools[c].cities) for c in range(len(codes)))
        places = np.empty((len(codes), cities), dtype=object)
        place_ids = np.empty((len(codes), cities), dtype=object)
        for c, code in enumerate(codes):
            for i, city in enumerate(self.pools[c].cities):
                places[c, i] = f"{city}, {code}"
                place_ids[c, i] = location_id(code, i)
        return Lookups(
            org_ids=org_ids,
            org_names=np.vectorize(lambda i: org_names.get(i, ""), otypes=[object])(org_ids),
            user_ids=np.array([[user_id(code, i) for i in range(width)] for code in codes],
                              dtype=object),
            worker_ids=worker_ids,
            worker_names=np.vectorize(lambda i: worker_names.get(i, ""),
                                      otypes=[object])(worker_ids),
            places=places, place_ids=place_ids)

    def locations(self, pairs: list[tuple[int, int]]) -> pd.DataFrame:
        """Location records (organisations-table rows) for these (country, city index) pairs."""
        rows = []
        for c, i in pairs:
            city = self.pools[c].cities[i]
            code = self.countries[c]
            rows.append({"organisation_id": location_id(code, i), "org_Name": city,
                         "org_ShippingCity": city, "org_ShippingCountry": code})
        return pd.DataFrame(rows, columns=LOCATION_COLUMNS)

    def every_location(self) -> pd.DataFrame:
        """A location record for every pooled city of every country."""
        return self.locations([(c, i) for c in range(len(self.countries))
                               for i in range(len(self.pools[c].cities))])
