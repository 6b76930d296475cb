"""Where a case happens: the route from the country of origin to the country of exploitation,
the cities along it, and the person's mailing address.

Countries are numbers here: an index into the generator's list of countries. Routes follow the
profile: an origin is drawn by region weight, then a destination among its routes.

>>> import numpy as np
>>> from htcds_learn.synth.profile import load_profile
>>> routes = RouteProvider(load_profile(), ["NG", "GB", "IT"])
>>> route = routes.draw(np.random.default_rng(1), 200)
>>> sorted({routes.countries[o] for o in route.origin})
['NG']
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import ProfileError
from .arrays import Ints, Texts
from .pools import POOL_SIZE, Pools
from .profile import Profile


@dataclass(frozen=True)
class Route:
    """The country (index) of recruitment and the country (index) of exploitation."""

    origin: Ints
    destination: Ints


@dataclass(frozen=True)
class Places:
    """The person's mailing address, and the cities of recruitment and exploitation."""

    mailing_city: Texts
    mailing_state: Texts
    mailing_street: Texts
    mailing_postcode: Texts
    origin_city: Texts
    origin_city_index: Ints  # which of the country's pooled cities: its location identifier
    destination_city: Texts
    destination_city_index: Ints


class RouteProvider:
    """Origins by the profile's region weights, and each origin's destinations."""

    def __init__(self, profile: Profile, countries: list[str]) -> None:
        data = profile.data
        self.countries = countries
        index = {c: i for i, c in enumerate(countries)}
        region_weights = data["origin_regions"]["weights"]
        origins, weights = [], []
        for code in countries:
            country = data["countries"][code]
            if country.get("origin_weight", 0) <= 0:
                continue
            region = country["region"]
            in_region = sum(data["countries"][c].get("origin_weight", 0) for c in countries
                            if data["countries"][c]["region"] == region)
            origins.append(code)
            weights.append(region_weights[region] * country["origin_weight"] / in_region)
        if not origins:
            raise ProfileError("No origin country is left after choosing locales.",
                               "Add a locale of a country with an origin_weight.")
        self.origins = np.array([index[c] for c in origins])
        self.origin_weights = np.array(weights) / sum(weights)
        self.destinations: dict[int, tuple[Ints, np.ndarray]] = {}
        for code in origins:
            destinations = {d: w for d, w in data["countries"][code]["destinations"].items()
                            if d in index} or {code: 1}
            p = np.array(list(destinations.values()), dtype=float)
            self.destinations[index[code]] = (np.array([index[d] for d in destinations]),
                                              p / p.sum())

    def draw(self, rng: np.random.Generator, n: int) -> Route:
        origin = self.origins[rng.choice(len(self.origins), size=n, p=self.origin_weights)]
        destination = np.empty(n, dtype=np.int64)
        for o in np.unique(origin):
            where = np.flatnonzero(origin == o)
            dest, p = self.destinations[int(o)]
            destination[where] = dest[rng.choice(len(dest), size=len(where), p=p)]
        return Route(origin=origin, destination=destination)


class PlaceProvider:
    """Cities and addresses from each country's pool."""

    def __init__(self, pools: Pools) -> None:
        self.pools = pools

    def draw(self, rng: np.random.Generator, mailing: Ints, route: Route) -> Places:
        n = len(mailing)
        origin, destination = route.origin, route.destination
        city_pick = rng.random(n)
        street_pick = rng.integers(0, POOL_SIZE, size=n)
        columns = {name: np.empty(n, dtype=object) for name in (
            "mailing_city", "mailing_state", "mailing_street", "mailing_postcode",
            "origin_city", "destination_city")}
        origin_city_index = np.empty(n, dtype=np.int64)
        destination_city_index = np.empty(n, dtype=np.int64)
        for c in np.unique(np.concatenate([mailing, origin, destination])):
            pool = self.pools[c]
            k = len(pool.cities)
            where = mailing == c
            idx = (city_pick[where] * k).astype(int)
            columns["mailing_city"][where] = pool.cities[idx]
            columns["mailing_state"][where] = pool.states[idx % len(pool.states)]
            columns["mailing_street"][where] = pool.street_lines[street_pick[where]]
            columns["mailing_postcode"][where] = pool.postcodes[street_pick[where]]
            where = origin == c
            idx = rng.integers(0, k, size=int(where.sum()))
            columns["origin_city"][where], origin_city_index[where] = pool.cities[idx], idx
            where = destination == c
            idx = rng.integers(0, k, size=int(where.sum()))
            columns["destination_city"][where] = pool.cities[idx]
            destination_city_index[where] = idx
        return Places(**columns, origin_city_index=origin_city_index,
                      destination_city_index=destination_city_index)
