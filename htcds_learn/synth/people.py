"""The person in each case: gender, names and salutation, then citizenship, languages,
education, family, identity number. Names come from the pool of the person's country of origin.

>>> import numpy as np
>>> from htcds_learn.synth.profile import load_profile
>>> from htcds_learn.synth.pools import Pools
>>> from htcds_learn.synth.texts import load_texts
>>> profile = load_profile()
>>> people = PeopleProvider(profile, ["NG"], Pools(profile, ["NG"]), load_texts())
>>> rng = np.random.default_rng(1)
>>> gender = people.gender(rng, 3)
>>> names = people.names(rng, gender, np.zeros(3, dtype=int), np.array([30, 12, 40]))
>>> names.salutation[1]  # no salutation under 16
''
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import standard
from .arrays import Flags, Ints, Texts, pick
from .places import Route
from .pools import POOL_SIZE, Pools
from .profile import Profile
from .texts import CaseTexts

FEMININE = ("Feminine", "TransgenderFeminine")
MASCULINE = ("Masculine", "TransgenderMasculine")
MARITAL_STATUSES = ("Single", "Married", "Divorced", "Separated", "Widowed")
MARITAL_WEIGHTS = (0.55, 0.3, 0.07, 0.06, 0.02)


@dataclass(frozen=True)
class Names:
    """prs_FirstName, prs_MiddleName, prs_SecondName and prs_Salutation, with the ASCII
    slugs of the first and second name that e-mail addresses are made of."""

    first_name: Texts
    first_slug: Texts
    middle_name: Texts
    second_name: Texts
    second_slug: Texts
    salutation: Texts


@dataclass(frozen=True)
class Identity:
    """Who the person is on paper, and in which languages they speak."""

    citizenship: Texts  # country codes; a few people hold two ("NG;GB")
    primary_language: Texts
    secondary_language: Texts
    education: Texts  # prs_HighestLevelOfEducation
    marital_status: Texts
    children: Ints  # prs_NumberOfChildren
    identity_number: Texts  # "SYN-" and nine digits, or blank
    deceased: Flags


class PeopleProvider:
    """Draws the person's columns; names from the pools, proportions from the profile."""

    def __init__(self, profile: Profile, countries: list[str], pools: Pools,
                 texts: CaseTexts) -> None:
        self.genders, self.gender_weights = profile.distribution("gender")
        self.codes = np.array(countries, dtype=object)
        self.languages = np.array([profile.country(c)["language"] for c in countries],
                                  dtype=object)
        self.education = np.array(standard.field("prs_HighestLevelOfEducation").value_names,
                                   dtype=object)
        self.pools = pools
        self.salutations = texts.salutations

    def gender(self, rng: np.random.Generator, n: int) -> Texts:
        """prs_Gender, by the profile's weights."""
        return pick(rng, self.genders, self.gender_weights, n)

    def names(self, rng: np.random.Generator, gender: Texts, origin: Ints,
              age_at_registration: Ints) -> Names:
        """Names from the pool of each person's country of origin, by gender."""
        n = len(gender)
        feminine = np.isin(gender, FEMININE) | (
            ~np.isin(gender, MASCULINE) & (rng.random(n) < 0.5))
        name_index = rng.integers(0, POOL_SIZE, size=n)
        surname_index = rng.integers(0, POOL_SIZE, size=n)
        first_name, first_slug, surname, surname_slug = (np.empty(n, dtype=object)
                                                         for _ in range(4))
        for c in np.unique(origin):
            pool = self.pools[c]
            where = origin == c
            f_where, m_where = where & feminine, where & ~feminine
            first_name[f_where] = pool.female[name_index[f_where]]
            first_slug[f_where] = pool.female_slugs[name_index[f_where]]
            first_name[m_where] = pool.male[name_index[m_where]]
            first_slug[m_where] = pool.male_slugs[name_index[m_where]]
            surname[where] = pool.surnames[surname_index[where]]
            surname_slug[where] = pool.surname_slugs[surname_index[where]]
        middle = np.where(rng.random(n) < 0.15,
                          first_name[rng.permutation(n)], "").astype(object)
        said = self.salutations
        salutation = np.where(gender == "Feminine", said["feminine"],
                              np.where(gender == "Masculine", said["masculine"], said["other"])
                              ).astype(object)
        salutation[age_at_registration < 16] = ""
        return Names(first_name=first_name, first_slug=first_slug, middle_name=middle,
                     second_name=surname, second_slug=surname_slug, salutation=salutation)

    def identity(self, rng: np.random.Generator, route: Route,
                 age_at_registration: Ints) -> Identity:
        """Citizenship and languages from the route; education and family from the age."""
        n = len(route.origin)
        codes, languages = self.codes, self.languages
        citizenship = codes[route.origin].copy()
        dual = np.flatnonzero(rng.random(n) < 0.02)
        other = codes[rng.integers(0, len(codes), size=len(dual))]
        citizenship[dual] = [f"{a};{b}" if a != b else a for a, b in
                             zip(citizenship[dual], other)]
        secondary = languages[route.destination].copy()
        secondary[(secondary == languages[route.origin]) | (rng.random(n) < 0.4)] = ""
        level = np.minimum(rng.binomial(6, 0.4, size=n) + 1, len(self.education) - 1)
        level = np.minimum(level, np.clip(age_at_registration // 4 - 1, 0, None))
        adult_now = age_at_registration >= 18
        marital = np.array(MARITAL_STATUSES, dtype=object)[
            rng.choice(len(MARITAL_STATUSES), size=n, p=MARITAL_WEIGHTS)]
        marital[~adult_now] = "Single"
        children = np.where(
            adult_now, rng.poisson(np.clip((age_at_registration - 18) / 10, 0, 3)), 0)
        has_id = rng.random(n) < 0.4
        drawn = rng.integers(0, 10**9, size=n)
        identity_number = np.full(n, "", dtype=object)
        identity_number[has_id] = [f"SYN-{v:09d}" for v in drawn[has_id]]
        return Identity(citizenship=citizenship, primary_language=languages[route.origin],
                        secondary_language=secondary, education=self.education[level],
                        marital_status=marital, children=children,
                        identity_number=identity_number, deceased=rng.random(n) < 0.002)
