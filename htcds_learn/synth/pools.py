"""Faker's names and places, drawn once per country into pools that columns sample from.

For each country, Faker (seeded per instance with ``seed_instance``) draws a pool of first
names, surnames, cities, streets and postcodes in that country's locale, once per process. A
Faker call costs tens of microseconds, so calling it per record would be slow; a pool entry is
then picked by a numpy index, as fast as any other column.

>>> from htcds_learn.synth.profile import load_profile
>>> pools = Pools(load_profile(), ["NG", "UA"])
>>> pool = pools.of("NG")
>>> len(pool.female) == POOL_SIZE, pools[1].code
(True, 'UA')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np

from .arrays import Texts, stable_seed
from .profile import Profile

POOL_SIZE = 160
POOL_SEED = 2_0_2026  # pools are part of the package version: change it and the data changes

# Methods whose provider keeps its values in a plain list, named here. Some locales build that
# list from a set, whose order changes from one Python process to the next (it_IT's cities):
# drawing from the sorted list keeps the data the same in every process.
_LIST_ATTRIBUTES = {"city": "cities"}


@dataclass(frozen=True)
class CountryPool:
    """Values Faker drew once for one country, to be sampled many times."""

    code: str
    female: Texts
    male: Texts
    surnames: Texts
    female_slugs: Texts
    male_slugs: Texts
    surname_slugs: Texts
    cities: Texts
    states: Texts
    streets: Texts
    postcodes: Texts
    companies: Texts = field(repr=False)
    street_lines: Texts = field(repr=False)  # "Street name 12"


class Pools:
    """The pool of each country the generator uses, by its index in ``countries`` or its code."""

    def __init__(self, profile: Profile, countries: list[str]) -> None:
        self._profile = profile
        self._codes = list(countries)
        self._index = {code: i for i, code in enumerate(countries)}
        self._pools: list[CountryPool | None] = [None] * len(countries)  # drawn when first used

    def __getitem__(self, country: int) -> CountryPool:
        pool = self._pools[country]
        if pool is None:
            code = self._codes[country]
            pool = self._pools[country] = _country_pool(code,
                                                        _freeze(self._profile.country(code)))
        return pool

    def of(self, code: str) -> CountryPool:
        """The pool of any country of the profile, by its code."""
        if code in self._index:
            return self[self._index[code]]
        return _country_pool(code, _freeze(self._profile.country(code)))


def slug(text: str) -> str:
    """Letters and digits of a name, in ASCII and lower case: the start of an e-mail address."""
    from faker.decode import unidecode

    ascii_text = unidecode(text).lower()
    return "".join(ch for ch in ascii_text if ch.isalnum())[:20] or "user"


def _draw(fake: Any, method: str, count: int, fallback: str = "") -> list[str]:
    attribute = _LIST_ATTRIBUTES.get(method)
    values_list = None
    if attribute:
        for provider in fake.get_providers():
            candidate = getattr(provider, attribute, None)
            if isinstance(candidate, (list, tuple)) and candidate:
                values_list = sorted(set(candidate))
                break
    values = []
    for _ in range(count):
        try:
            value = (fake.random_element(values_list) if values_list
                     else getattr(fake, method)())
        except AttributeError:
            value = fallback
        values.append(" ".join(str(value).split()))
    return values


# The providers the pools draw from, in Faker's own order. Misc: en_PH's street names use its
# gemstone names. Automotive: its list of cities (for number plates) comes before the address
# provider's when _draw looks for one, as in a full Faker (bn_BD has both). Making a Faker
# lists every provider's locale modules on disk: with all 26 default providers that took
# 1.0 of the course data's 2.4 s, for its 32 locales; with these five, 0.01 s.
_PROVIDERS = ("faker.providers.address", "faker.providers.automotive",
              "faker.providers.company", "faker.providers.misc", "faker.providers.person")
_METHODS = ("first_name_female", "first_name_male", "last_name", "city", "administrative_unit",
            "street_name", "street_address", "postcode", "company")


@cache
def _faker(locale: str) -> Any:
    """One Faker per locale, reseeded before each use, with only :data:`_PROVIDERS`, unless
    one of its methods needs another provider: then with all of them, as Faker makes it."""
    from faker import Faker

    fake = Faker(locale, providers=list(_PROVIDERS))
    for method in _METHODS:
        if hasattr(fake, method):  # a method this locale lacks is left to _draw's fallback
            try:
                getattr(fake, method)()
            except AttributeError:  # it calls a provider left out
                return Faker(locale)
    return fake


def _array(values: list[str]) -> Texts:
    return np.array(values, dtype=object)


@cache
def _country_pool(code: str, country_key: tuple) -> CountryPool:
    """Draw one country's pools with Faker, seeded per instance (cached per process)."""
    country = dict(country_key)
    locale = country["faker_locale"]

    def faker_for(kind: str, chosen_locale: str) -> Any:
        fake = _faker(chosen_locale)
        fake.seed_instance(stable_seed(POOL_SEED, code, kind))
        return fake

    # Each kind is drawn straight after its seeding: one Faker may serve several kinds.
    names = faker_for("names", country.get("name_locale") or locale)
    female = _draw(names, "first_name_female", POOL_SIZE)
    male = _draw(names, "first_name_male", POOL_SIZE)
    surnames = faker_for("surnames", country.get("surname_locale") or
                         country.get("name_locale") or locale)
    family = _draw(surnames, "last_name", POOL_SIZE)
    places = faker_for("places", locale)
    cities = country.get("cities") or sorted(set(_draw(places, "city", POOL_SIZE // 4)))
    states = country.get("states") or sorted(set(
        _draw(places, "administrative_unit", POOL_SIZE // 8, fallback="")) - {""})
    streets = _draw(places, "street_name" if hasattr(places, "street_name") else "street_address",
                    POOL_SIZE)
    postcodes = _draw(places, "postcode", POOL_SIZE, fallback="")
    # Every locale of the default profile has companies; a fallback keeps odd ones working.
    companies = _draw(places, "company", 4, fallback=f"{code} Trading")
    return CountryPool(
        code=code, female=_array(female), male=_array(male), surnames=_array(family),
        female_slugs=_array([slug(v) for v in female]),
        male_slugs=_array([slug(v) for v in male]),
        surname_slugs=_array([slug(v) for v in family]),
        cities=_array(list(cities)), states=_array(list(states) or [""]),
        streets=_array(streets), postcodes=_array(postcodes), companies=_array(companies),
        street_lines=_array([f"{street} {i % 97 + 1}" for i, street in enumerate(streets)]),
    )


def _freeze(value: Any) -> Any:
    """A profile entry as nested tuples, so it can key the cache of pools."""
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value
