"""Synthetic HTCDS cases: plausible, consistent, reproducible, and never about a real person.

How it works, and why it is fast:

1. **Pools.** For each country, Faker (seeded per instance with ``seed_instance``) draws a pool
   of first names, surnames, cities, streets and postcodes in that country's locale, once per
   process. A Faker call costs tens of microseconds, so calling it per record would be slow.
2. **Columns.** Cases are then drawn column by column with one numpy random generator: which
   pool entry, which picklist value, which date. Every rule that ties fields together (ages and
   dates, exploitation subtypes, closure reasons, routes) is applied to whole columns at once.
3. **Blocks.** Cases are made in blocks of ``BLOCK`` cases. Block *b* draws from its own
   generator, seeded with ``(seed, b)``: the same seed gives the same bytes whether you ask for
   500 cases or stream a million, and memory stays bounded while streaming.

Everything the generator makes is marked synthetic: a ``synthetic`` column in every table and
``"synthetic": true`` in every case document. Identity numbers start with ``SYN-`` and e-mail
addresses use the reserved ``example.*`` domains, so no real address is ever formed.

>>> gen = CaseGenerator(seed=7)
>>> core = gen.core_table(3)
>>> core.loc[0, "case_id"], bool(core["synthetic"].all())
('CASE-0000001', True)
>>> gen.core_table(3).equals(core)  # same seed, same data
True
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property
from typing import Any

import numpy as np
import pandas as pd

from .. import standard
from ..standard.codes import country_name as codes_country_name
from .profile import Profile, load_profile

BLOCK = 5_000
POOL_SIZE = 160
POOL_SEED = 2_0_2026  # pools are part of the package version: change it and the data changes
DELIMITER = ";"
EMAIL_DOMAINS = np.array(["example.org", "example.com", "example.net"], dtype=object)
EPOCH = date(1900, 1, 1).toordinal()
LAST_DAY = date(2035, 12, 31).toordinal()
FEMININE_NAMES = {"Feminine", "TransgenderFeminine"}
MASCULINE_NAMES = {"Masculine", "TransgenderMasculine"}

ORGANISATION_KINDS = (  # (org_Type, name pattern)
    ("NGO", "{city} Safe House"),
    ("NGO", "{country} Anti-Trafficking Hotline"),
    ("LawEnforcement", "{city} Police Anti-Trafficking Unit"),
    ("LegalService", "{city} Legal Aid Centre"),
    ("HealthServiceOrganisation", "{city} Community Health Clinic"),
    ("ImmigrationService", "{country} Immigration Service, {city} Office"),
    ("LocalGovernmentOrganisation", "{city} Social Welfare Department"),
    ("CorporateBusiness", "{company}"),
)
WORKERS_PER_ORGANISATION = 2
USERS_PER_COUNTRY = 5
WORKER_TITLES = ("Case worker", "Social worker", "Outreach worker", "Legal adviser")

CLOSURE_REASONS = (
    "Support goals met; the person asked to close the case.",
    "The person moved and chose not to continue with the service.",
    "Case handed over to the receiving organisation after referral.",
    "No contact for six months after three follow-up attempts.",
    "The person returned home and was linked to local services.",
)
INCOMING_DETAILS = (
    "Referred by the hotline after a call from a neighbour.",
    "Identified during a labour inspection and referred for shelter.",
    "Self-referred at the drop-in centre; needs housing and legal advice.",
    "Referred by police after an operation; interpreter needed.",
    "Referred by a health clinic after an emergency visit.",
)
OUTGOING_DETAILS = (
    "Referred for long-term shelter and counselling.",
    "Referred for return and reintegration support.",
    "Referred for legal representation in criminal proceedings.",
    "Referred for vocational training and job placement.",
)
COMMENTS = (
    "First interview held with an interpreter; the person was calm and asked about safety.",
    "Accompanied the person to a medical appointment.",
    "Discussed options for legal support; the person will decide next week.",
    "Follow-up call made; the person is settled in the shelter.",
    "Safety plan reviewed together.",
)
EVENT_DESCRIPTIONS = {
    "Recruitment": "Offered a job by an acquaintance; travel costs to be repaid from wages.",
    "Transit": "Travelled by bus with a group; documents held by the escort.",
    "Exploitation": "Made to work long hours without pay; not allowed to leave.",
}
ROLE_DETAILS = (
    "Arranged the job offer and the travel.",
    "Ran the workplace and kept the wages.",
    "Drove the group across the border.",
    "Kept the passports and collected the 'debt'.",
)
PLAN_OBJECTIVES = {
    "Health": "Regain physical and mental health.",
    "Legal": "Understand legal options and obtain documents.",
    "Livelihood": "Find safe, paid work.",
    "SocialCare": "Live safely with stable housing.",
    "Education": "Return to school or training.",
    "Financial": "Open a bank account and budget independently.",
    "RightsBasedTraining": "Know labour and migrant rights.",
    "SexualExploitationRehabilitation": "Recover with specialised counselling.",
    "LabourExploitationRehabilitation": "Recover and claim unpaid wages.",
}
PLAN_ACTIONS = "Weekly meetings with the case worker; referral to partner services as needed."


def _stable_seed(*parts: object) -> int:
    """A seed from text that is the same in every process (``hash()`` is not)."""
    return zlib.crc32(":".join(map(str, parts)).encode("utf-8"))


@cache
def _date_strings() -> np.ndarray:
    """'YYYY-MM-DD' for every day from 1900 to 2035, shared so a million dates cost little."""
    return np.array([date.fromordinal(d).isoformat() for d in range(EPOCH, LAST_DAY + 1)],
                    dtype=object)


def _iso(ordinals: np.ndarray) -> np.ndarray:
    return _date_strings()[ordinals - EPOCH]


@cache
def _ymd() -> tuple[np.ndarray, np.ndarray]:
    days = np.arange(EPOCH, LAST_DAY + 1)
    as_dates = [date.fromordinal(int(d)) for d in days]
    years = np.array([d.year for d in as_dates])
    month_day = np.array([d.month * 100 + d.day for d in as_dates])
    return years, month_day


def whole_years_between(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Completed years from ``start`` to ``end`` (day ordinals), as an age is counted."""
    years, month_day = _ymd()
    a, b = start - EPOCH, end - EPOCH
    return years[b] - years[a] - (month_day[b] < month_day[a])


def _numbered(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    """'PREFIX0000042'-style strings, built from digit arithmetic rather than a Python loop."""
    numbers = np.asarray(numbers, dtype=np.int64)
    head = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    matrix = np.empty((len(numbers), len(head) + width), dtype=np.uint8)
    matrix[:, :len(head)] = head
    matrix[:, len(head):] = numbers[:, None] // powers % 10 + 48
    size = matrix.shape[1]
    return matrix.view(f"S{size}").ravel().astype(f"U{size}").astype(object)


def _slug(text: str) -> str:
    from faker.decode import unidecode

    ascii_text = unidecode(text).lower()
    return "".join(ch for ch in ascii_text if ch.isalnum())[:20] or "user"


@dataclass(frozen=True)
class CountryPool:
    """Values Faker drew once for one country, to be sampled many times."""

    code: str
    female: np.ndarray
    male: np.ndarray
    surnames: np.ndarray
    female_slugs: np.ndarray
    male_slugs: np.ndarray
    surname_slugs: np.ndarray
    cities: np.ndarray
    states: np.ndarray
    streets: np.ndarray
    postcodes: np.ndarray
    companies: np.ndarray = field(repr=False)
    street_lines: np.ndarray = field(repr=False, default=None)  # "Street name 12"


# Methods whose provider keeps its values in a plain list, named here. Some locales build that
# list from a set, whose order changes from one Python process to the next (it_IT's cities):
# drawing from the sorted list keeps the data the same in every process.
_LIST_ATTRIBUTES = {"city": "cities"}


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


@cache
def _faker(locale: str) -> Any:
    """One Faker per locale, reseeded before each use: making a Faker scans its provider
    modules on disk, which cost more than all the drawing (1.2 of 2.3 s for the course data)."""
    from faker import Faker

    return Faker(locale)


@cache
def _country_pool(code: str, country_key: tuple) -> CountryPool:
    """Draw one country's pools with Faker, seeded per instance (cached per process)."""
    from faker import Faker

    country = dict(country_key)
    locale = country["faker_locale"]

    def faker_for(kind: str, chosen_locale: str) -> Faker:
        fake = _faker(chosen_locale)
        fake.seed_instance(_stable_seed(POOL_SEED, code, kind))
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
    companies = _draw(places, "company", 4, fallback=f"{code} Trading")

    def array(values: list[str]) -> np.ndarray:
        return np.array(values, dtype=object)

    return CountryPool(
        code=code, female=array(female), male=array(male), surnames=array(family),
        female_slugs=array([_slug(v) for v in female]),
        male_slugs=array([_slug(v) for v in male]),
        surname_slugs=array([_slug(v) for v in family]),
        cities=array(list(cities)), states=array(list(states) or [""]),
        streets=array(streets), postcodes=array(postcodes), companies=array(companies),
        street_lines=array([f"{street} {i % 97 + 1}" for i, street in enumerate(streets)]),
    )


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def _pick(rng: np.random.Generator, names: list[str], weights: np.ndarray, size: int
          ) -> np.ndarray:
    return np.array(names, dtype=object)[rng.choice(len(names), size=size, p=weights)]


_LABEL_TABLES: dict[tuple[str, ...], np.ndarray] = {}


def _join_flags(flags: np.ndarray, names: list[str]) -> np.ndarray:
    """Rows of booleans -> 'A;B' strings.

    Each combination is a number (one bit per name); its label is made the first time it is
    seen and kept in a table indexed by that number, so later rows need only a take.
    """
    if flags.shape[1] == 0:
        return np.full(flags.shape[0], "", dtype=object)
    weights = 1 << np.arange(flags.shape[1], dtype=np.int64)
    keys = flags.astype(np.int64) @ weights
    table = _LABEL_TABLES.setdefault(tuple(names), np.full(1 << len(names), None, dtype=object))
    missing = np.unique(keys[table[keys] == None])  # noqa: E711 - element-wise test
    for key in missing.tolist():
        table[key] = DELIMITER.join(n for bit, n in enumerate(names) if key >> bit & 1)
    return table[keys]


class CaseGenerator:
    """Makes synthetic HTCDS cases from a seed and a profile.

    ``locales`` restricts the countries to those whose Faker locale is listed.
    """

    def __init__(self, seed: int = 0, profile: Profile | None = None,
                 locales: list[str] | None = None) -> None:
        from ..errors import ProfileError

        if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
            raise ValueError(f"The seed must be a whole number of 0 or more, not {seed!r}.")
        self.seed = int(seed)
        self.profile = profile or load_profile()
        data = self.profile.data
        allowed = [c for c in self.profile.countries()
                   if locales is None or data["countries"][c]["faker_locale"] in locales]
        if not allowed:
            used = sorted({v["faker_locale"] for v in data["countries"].values()})
            raise ProfileError(f"None of the locales {', '.join(locales or [])} is used by the "
                               f"profile '{self.profile.name}'.",
                               f"Choose from: {', '.join(used)}.")
        self.countries = allowed
        self._index = {c: i for i, c in enumerate(allowed)}
        region_weights = data["origin_regions"]["weights"]
        origins, weights = [], []
        for code in allowed:
            country = data["countries"][code]
            if country.get("origin_weight", 0) <= 0:
                continue
            region = country["region"]
            in_region = sum(data["countries"][c].get("origin_weight", 0) for c in allowed
                            if data["countries"][c]["region"] == region)
            origins.append(code)
            weights.append(region_weights[region] * country["origin_weight"] / in_region)
        if not origins:
            raise ProfileError("No origin country is left after choosing locales.",
                               "Add a locale of a country with an origin_weight.")
        self._origins = np.array([self._index[c] for c in origins])
        self._origin_p = np.array(weights) / sum(weights)
        self._routes: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for code in origins:
            destinations = {d: w for d, w in data["countries"][code]["destinations"].items()
                            if d in self._index} or {code: 1}
            dest = np.array([self._index[d] for d in destinations])
            p = np.array(list(destinations.values()), dtype=float)
            self._routes[self._index[code]] = (dest, p / p.sum())

    # --- pools -------------------------------------------------------------------------
    def pool(self, code: str) -> CountryPool:
        return _country_pool(code, _freeze(self.profile.country(code)))

    def _country_attr(self, key: str) -> np.ndarray:
        return np.array([self.profile.country(c)[key] for c in self.countries], dtype=object)

    # --- the victim-level columns of one block ------------------------------------------
    def _block(self, block: int) -> dict[str, np.ndarray]:
        """All victim-level columns of one full block of cases.

        A block is always drawn whole, even when fewer cases are wanted, so that case 7 is
        the same whether 10 or 10,000 cases are asked for; callers keep the first rows.
        """
        rng = np.random.default_rng([self.seed, block])
        profile = self.profile
        n = BLOCK
        out: dict[str, np.ndarray] = {}
        case_number = np.arange(block * BLOCK + 1, (block + 1) * BLOCK + 1)
        out["case_number"] = case_number

        origin = self._origins[rng.choice(len(self._origins), size=n, p=self._origin_p)]
        destination = np.empty(n, dtype=np.int64)
        for o in np.unique(origin):
            where = np.flatnonzero(origin == o)
            dest, p = self._routes[int(o)]
            destination[where] = dest[rng.choice(len(dest), size=len(where), p=p)]
        out["origin"], out["destination"] = origin, destination

        names, p = profile.distribution("gender")
        gender = _pick(rng, names, p, n)
        out["gender"] = gender

        # Dates: registration, then the ages and the trafficking timeline that lead to it.
        first_year, last_year = profile.data["registration_years"]
        start = date(first_year, 1, 1).toordinal()
        end = date(last_year, 12, 31).toordinal()
        registration = rng.integers(start, end + 1, size=n)
        bands = profile.bands("age_at_registration")
        band = rng.choice(len(bands), size=n, p=bands[:, 2])
        age = rng.integers(bands[band, 0], bands[band, 1] + 1)
        birth = registration - (age * 365.25).astype(np.int64) - rng.integers(0, 365, size=n)
        birth = np.minimum(birth, registration - 30)
        months = profile.bands("months_in_trafficking")
        band = rng.choice(len(months), size=n, p=months[:, 2])
        span = (rng.integers(months[band, 0], months[band, 1] + 1) * 30.4).astype(np.int64)
        span += rng.integers(7, 60, size=n)  # from recruitment to the first exploitation
        span = np.clip(span, 3, np.maximum(registration - birth - 1, 3))
        recruitment = registration - span
        transit = recruitment + np.maximum(1, (span * rng.uniform(0.02, 0.15, n)).astype(int))
        exploitation = transit + np.maximum(1, ((registration - transit)
                                                * rng.uniform(0.05, 0.4, n)).astype(int))
        exploitation = np.minimum(exploitation, registration - 1)
        transit = np.minimum(transit, exploitation)
        out.update(registration=registration, birth=birth, recruitment=recruitment,
                   transit=transit, exploitation=exploitation)
        age_at_registration = whole_years_between(birth, registration)
        age_at_recruitment = whole_years_between(birth, recruitment)
        out["age_at_registration"] = age_at_registration
        out["age_at_recruitment"] = age_at_recruitment

        # Exploitation: one type (two for some), drawn per gender; consistent subtypes.
        type_names = list(standard.field("vic_TypeOfExploitation").value_names)
        flags = np.zeros((n, len(type_names)), dtype=bool)
        tables = profile.data["exploitation"]["by_gender"]
        second = rng.random(n) < profile.data["exploitation"]["second_type_probability"]
        for group in np.unique(gender):
            rows = np.flatnonzero(gender == group)
            table = tables.get(group, tables["other"])
            columns = np.array([type_names.index(k) for k in table])
            p = np.array(list(table.values()), dtype=float)
            p /= p.sum()
            flags[rows, columns[rng.choice(len(columns), size=len(rows), p=p)]] = True
            extra = rows[second[rows]]
            flags[extra, columns[rng.choice(len(columns), size=len(extra), p=p)]] = True
        child_labour = type_names.index("ChildLabour")
        adult = age_at_recruitment >= 18
        moved = flags[:, child_labour] & adult
        flags[moved, child_labour] = False
        flags[moved, type_names.index("ForcedLabour")] = True
        out["vic_TypeOfExploitation"] = _join_flags(flags, type_names)
        sexual = flags[:, type_names.index("SexualExploitation")]
        labour = flags[:, type_names.index("ForcedLabour")]
        out["sexual"], out["labour"] = sexual, labour

        sex_names, p = profile.distribution("sex_exploitation_types")
        all_sex = list(standard.field("vic_TypeOfSexExploitation").value_names)
        sex_flags = np.zeros((n, len(all_sex)), dtype=bool)
        sex_columns = np.array([all_sex.index(name) for name in sex_names])
        first = rng.choice(len(sex_names), size=n, p=p)
        sex_flags[np.arange(n), sex_columns[first]] = True
        extra = rng.random(n) < 0.15
        other = rng.choice(len(sex_names), size=n, p=p)
        sex_flags[np.flatnonzero(extra), sex_columns[other[extra]]] = True
        sex_flags[~sexual] = False
        out["vic_TypeOfSexExploitation"] = _join_flags(sex_flags, all_sex)

        industries, p = profile.distribution("forced_labour_industries")
        industry = _pick(rng, industries, p, n)
        industry[~labour] = ""
        out["vic_ForcedLabourIndustry"] = industry

        methods = profile.data["methods_of_control"]["probabilities"]
        method_names = list(standard.field("vic_MethodsOfControl").value_names)
        probabilities = np.array([methods.get(m, 0.0) for m in method_names])
        control = rng.random((n, len(method_names))) < probabilities
        none = ~control.any(axis=1)
        control[none, method_names.index("FalsePromises")] = True
        out["vic_MethodsOfControl"] = _join_flags(control, method_names)

        recruit_names, p = profile.distribution("methods_of_recruitment")
        recruitment_method = _pick(rng, recruit_names, p, n)
        out["vic_MethodOfRecruitment"] = recruitment_method
        online = np.isin(recruitment_method, ["ThroughOnlineSocialNetworks",
                                              "ThroughAnOnlineAdvertisement"])
        sites, p = profile.distribution("recruitment_websites")
        website = _pick(rng, sites, p, n)
        website[~online] = ""
        out["vic_RecruitmentWebsitesAndApps"] = website
        relations, p = profile.distribution("relationship_to_trafficker")
        relation = _pick(rng, relations, p, n)
        family = (recruitment_method == "ThroughFamilyOrFamilyEvents") & (rng.random(n) < 0.8)
        relation[family] = "Familial"
        out["vic_RelationshipToTrafficker"] = relation
        for key, column in (("trafficking_status", "vic_TraffickingStatus"),
                            ("status_decision_org", "vic_TraffickingStatusDecisionMakingOrg"),
                            ("case_status", "cas_Status")):
            names, p = profile.distribution(key)
            out[column] = _pick(rng, names, p, n)
        status = out["cas_Status"]
        closed = np.isin(status, ["Closed", "ClosedReferred"])
        reason = np.array(CLOSURE_REASONS, dtype=object)[rng.integers(0, len(CLOSURE_REASONS),
                                                                       size=n)]
        reason[~closed] = ""
        reason[status == "ClosedReferred"] = CLOSURE_REASONS[2]
        out["cas_ReasonForCaseClosure"] = reason
        outgoing = (status == "ClosedReferred") | (
            rng.random(n) < profile.data["outgoing_referral_probability"])
        out["outgoing"] = outgoing

        # People's details, from their country's pools.
        feminine = np.isin(gender, list(FEMININE_NAMES)) | (
            ~np.isin(gender, list(MASCULINE_NAMES)) & (rng.random(n) < 0.5))
        name_index = rng.integers(0, POOL_SIZE, size=n)
        surname_index = rng.integers(0, POOL_SIZE, size=n)
        first_name = np.empty(n, dtype=object)
        first_slug = np.empty(n, dtype=object)
        surname = np.empty(n, dtype=object)
        surname_slug = np.empty(n, dtype=object)
        for c in np.unique(origin):
            pool = self.pool(self.countries[c])
            where = origin == c
            f_where, m_where = where & feminine, where & ~feminine
            first_name[f_where] = pool.female[name_index[f_where]]
            first_slug[f_where] = pool.female_slugs[name_index[f_where]]
            first_name[m_where] = pool.male[name_index[m_where]]
            first_slug[m_where] = pool.male_slugs[name_index[m_where]]
            surname[where] = pool.surnames[surname_index[where]]
            surname_slug[where] = pool.surname_slugs[surname_index[where]]
        out["prs_FirstName"], out["prs_SecondName"] = first_name, surname
        middle = np.where(rng.random(n) < 0.15,
                          first_name[rng.permutation(n)], "").astype(object)
        out["prs_MiddleName"] = middle
        salutation = np.where(np.isin(gender, ["Feminine"]), "Ms",
                              np.where(np.isin(gender, ["Masculine"]), "Mr", "Mx")).astype(object)
        salutation[age_at_registration < 16] = ""
        out["prs_Salutation"] = salutation

        has_email = rng.random(n) < 0.5
        number = rng.integers(1, 100, size=n)
        domain = EMAIL_DOMAINS[rng.integers(0, len(EMAIL_DOMAINS), size=n)]
        email = np.full(n, "", dtype=object)
        email[has_email] = [f"{a}.{b}{c}@{d}" for a, b, c, d in zip(
            first_slug[has_email], surname_slug[has_email], number[has_email],
            domain[has_email])]
        out["prs_Email"] = email

        calling = self._country_attr("calling_code")
        digits = np.array([self.profile.country(c)["national_digits"] for c in self.countries])
        mailing = np.where(rng.random(n) < 0.7, destination, origin)
        out["mailing"] = mailing
        for column, share in (("prs_MobilePhone", 0.85), ("prs_HomePhone", 0.2)):
            length = digits[mailing]
            national = rng.integers(10 ** (length - 1), 10 ** length - 1)
            has = rng.random(n) < share
            phone = np.full(n, "", dtype=object)
            for c in np.unique(mailing[has]):
                where = has & (mailing == c)
                phone[where] = _numbered(f"+{calling[c]}", national[where], int(digits[c]))
            out[column] = phone

        city_pick = rng.random(n)
        street_pick = rng.integers(0, POOL_SIZE, size=n)
        city = np.empty(n, dtype=object)
        state = np.empty(n, dtype=object)
        street = np.empty(n, dtype=object)
        postcode = np.empty(n, dtype=object)
        origin_city = np.empty(n, dtype=object)
        destination_city = np.empty(n, dtype=object)
        origin_city_index = np.empty(n, dtype=np.int64)
        destination_city_index = np.empty(n, dtype=np.int64)
        for c in np.unique(np.concatenate([mailing, origin, destination])):
            pool = self.pool(self.countries[c])
            k = len(pool.cities)
            where = mailing == c
            idx = (city_pick[where] * k).astype(int)
            city[where] = pool.cities[idx]
            state[where] = pool.states[idx % len(pool.states)]
            street[where] = pool.street_lines[street_pick[where]]
            postcode[where] = pool.postcodes[street_pick[where]]
            where = origin == c
            idx = rng.integers(0, k, size=int(where.sum()))
            origin_city[where], origin_city_index[where] = pool.cities[idx], idx
            where = destination == c
            idx = rng.integers(0, k, size=int(where.sum()))
            destination_city[where], destination_city_index[where] = pool.cities[idx], idx
        out.update(prs_MailingCity=city, prs_MailingState=state, prs_MailingStreet=street,
                   prs_MailingPostalCode=postcode, origin_city=origin_city,
                   destination_city=destination_city, origin_city_index=origin_city_index,
                   destination_city_index=destination_city_index)

        codes = np.array(self.countries, dtype=object)
        citizenship = codes[origin].copy()
        dual = np.flatnonzero(rng.random(n) < 0.02)
        other = codes[rng.integers(0, len(codes), size=len(dual))]
        citizenship[dual] = [f"{a};{b}" if a != b else a for a, b in
                             zip(citizenship[dual], other)]
        out["prs_Citizenship"] = citizenship
        out["prs_MailingCountry"] = codes[mailing]
        languages = self._country_attr("language")
        out["prs_PrimaryLanguage"] = languages[origin]
        secondary = languages[destination].copy()
        secondary[(secondary == languages[origin]) | (rng.random(n) < 0.4)] = ""
        out["prs_SecondaryLanguage"] = secondary

        education = list(standard.field("prs_HighestLevelOfEducation").value_names)
        level = np.minimum(rng.binomial(6, 0.4, size=n) + 1, len(education) - 1)
        level = np.minimum(level, np.clip(age_at_registration // 4 - 1, 0, None))
        out["prs_HighestLevelOfEducation"] = np.array(education, dtype=object)[level]
        adult_now = age_at_registration >= 18
        marital = np.array(["Single", "Married", "Divorced", "Separated", "Widowed"],
                           dtype=object)[rng.choice(5, size=n, p=[0.55, 0.3, 0.07, 0.06, 0.02])]
        marital[~adult_now] = "Single"
        out["prs_MaritalStatus"] = marital
        out["prs_NumberOfChildren"] = np.where(
            adult_now, rng.poisson(np.clip((age_at_registration - 18) / 10, 0, 3)), 0)
        has_id = rng.random(n) < 0.4
        identity = rng.integers(0, 10**9, size=n)
        out["prs_IdentityNumber"] = np.full(n, "", dtype=object)
        out["prs_IdentityNumber"][has_id] = [f"SYN-{v:09d}" for v in identity[has_id]]
        out["prs_Deceased"] = rng.random(n) < 0.002

        # Organisations, case workers and users in the country where the case is handled.
        orgs_per_country = len(ORGANISATION_KINDS) - 1  # the business is not a service
        referring = rng.integers(0, orgs_per_country, size=n)
        out["referring_org"] = referring
        out["referring_worker"] = rng.integers(0, WORKERS_PER_ORGANISATION, size=n)
        out["owner"] = rng.integers(0, USERS_PER_COUNTRY, size=n)
        international = origin != destination
        migration = outgoing & international & (rng.random(n) < 0.6)
        out["outgoing_reason"] = np.where(migration, "MigrationOrChangeOfLocation",
                                          np.where(rng.random(n) < 0.85,
                                                   "AdditionalServicesRequired", "Other")
                                          ).astype(object)
        out["referred_country"] = np.where(migration, origin, destination)
        out["referred_org"] = (referring + 1 + rng.integers(0, orgs_per_country - 1, size=n)) \
            % orgs_per_country
        out["referred_worker"] = rng.integers(0, WORKERS_PER_ORGANISATION, size=n)
        out["incoming_reason"] = np.array(
            ["AdditionalServicesRequired", "MigrationOrChangeOfLocation", "Other"],
            dtype=object)[rng.choice(3, size=n, p=[0.7, 0.2, 0.1])]
        out["incoming_details"] = np.array(INCOMING_DETAILS, dtype=object)[
            rng.integers(0, len(INCOMING_DETAILS), size=n)]
        out["outgoing_details"] = np.array(OUTGOING_DETAILS, dtype=object)[
            rng.integers(0, len(OUTGOING_DETAILS), size=n)]
        out["outgoing_date"] = registration + rng.integers(7, 240, size=n)
        out["consent"] = rng.random(n) < profile.data["consent_probability"]["value"]
        out["block"] = np.array([block])  # child tables draw from a second stream
        return out

    # --- organisations, workers and users: fixed per country ------------------------------
    def organisation_id(self, country: int, index: int) -> str:
        return f"ORG-{self.countries[country]}-{index + 1:02d}"

    def worker_id(self, country: int, org: int, index: int) -> str:
        return f"PRS-{self.countries[country]}-W{org + 1:02d}{index + 1}"

    def user_id(self, country: int, index: int) -> str:
        return f"USR-{self.countries[country]}-{index + 1:02d}"

    def location_id(self, country: int, city_index: int) -> str:
        return f"LOC-{self.countries[country]}-{city_index + 1:03d}"

    @cached_property
    def _organisation_rows(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Every service organisation and its case workers, for every country."""
        organisations, workers = [], []
        for c, code in enumerate(self.countries):
            pool = self.pool(code)
            rng = np.random.default_rng([self.seed, _stable_seed("organisations", code)])
            country_name = codes_country_name(code)
            calling = self.profile.country(code)["calling_code"]
            digits = self.profile.country(code)["national_digits"]
            for k, (kind, pattern) in enumerate(ORGANISATION_KINDS):
                city = pool.cities[k % len(pool.cities)]
                name = pattern.format(city=city, country=country_name,
                                      company=pool.companies[0])
                organisations.append({
                    "organisation_id": self.organisation_id(c, k),
                    "org_Name": name, "org_Type": kind, "org_ShippingCity": city,
                    "org_ShippingCountry": code,
                    "org_ShippingStreet": f"{pool.streets[k]} {k + 1}",
                    "org_ShippingPostalCode": pool.postcodes[k],
                    "org_Phone": f"+{calling}{rng.integers(10 ** (digits - 1), 10 ** digits)}",
                })
                if kind == "CorporateBusiness":
                    continue
                for w in range(WORKERS_PER_ORGANISATION):
                    female = bool(rng.random() < 0.6)
                    names = pool.female if female else pool.male
                    i = int(rng.integers(0, POOL_SIZE))
                    j = int(rng.integers(0, POOL_SIZE))
                    slug = (pool.female_slugs if female else pool.male_slugs)[i]
                    workers.append({
                        "person_id": self.worker_id(c, k, w),
                        "prs_Salutation": "Ms" if female else "Mr",
                        "prs_FirstName": names[i], "prs_SecondName": pool.surnames[j],
                        "prs_Gender": "Feminine" if female else "Masculine",
                        "prs_Title": WORKER_TITLES[(k + w) % len(WORKER_TITLES)],
                        "prs_Email": f"{slug}.{pool.surname_slugs[j]}@example.org",
                        "prs_MailingCountry": code,
                    })
        return pd.DataFrame(organisations), pd.DataFrame(workers)

    # --- public API ---------------------------------------------------------------------
    def _blocks(self, n_cases: int, progress: bool = False) -> Iterator[tuple[int, int]]:
        """(block number, how many of its cases to keep) for ``n_cases`` cases."""
        blocks: Any = ((block, min(BLOCK, n_cases - start))
                       for block, start in enumerate(range(0, n_cases, BLOCK)))
        if progress:
            blocks = _progress(blocks, total=-(-n_cases // BLOCK), unit="block")
        return blocks

    def iter_core(self, n_cases: int, *, progress: bool = False) -> Iterator[pd.DataFrame]:
        """The Core table in blocks of ``BLOCK`` rows: for streaming large datasets.

        (Sharing blocks among processes was measured and gave nothing on two cores: sending
        the strings back costs as much as making them.)
        """
        for block, keep in self._blocks(n_cases, progress):
            yield pd.DataFrame(self._core_columns(self._block(block), keep), copy=False)

    def core_table(self, n_cases: int, *, progress: bool = False) -> pd.DataFrame:
        """One row per victim with the 38 Core columns of IOM's template (lookups as names)."""
        parts = [self._core_columns(self._block(block), keep)
                 for block, keep in self._blocks(n_cases, progress)]
        if not parts:
            return pd.DataFrame(self._core_columns(self._block(0), 0), copy=False)
        # Joining the columns' arrays is several times faster than pd.concat of frames.
        columns = {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}
        return pd.DataFrame(columns, copy=False)

    def iter_tables(self, n_cases: int, *, progress: bool = False
                    ) -> Iterator[dict[str, pd.DataFrame]]:
        """The flat tables block by block, then one last part with the shared records.

        Each block holds ``BLOCK`` cases with their people, contexts, referrals, events,
        plans, comments, consents and Core rows. The last part holds the organisations, the
        places and the case workers those cases point to. Concatenating the parts gives
        :meth:`tables`; streaming them keeps memory bounded for very large datasets.
        """
        used_locations: set[tuple[int, int]] = set()
        for block, keep in self._blocks(n_cases, progress):
            parts = self._tables_from_block(self._block(block), keep, used_locations)
            yield {name: _finish(name, frame) for name, frame in _ordered(parts).items()}
        organisations, workers = self._organisation_rows
        locations = self._locations(sorted(used_locations))
        yield {"people": _finish("people", workers),
               "organisations": _finish("organisations",
                                        pd.concat([organisations, locations],
                                                  ignore_index=True))}

    def tables(self, n_cases: int, *, progress: bool = False) -> dict[str, pd.DataFrame]:
        """Every flat table (one per section) and the Core table, joined by identifiers."""
        parts: dict[str, list[pd.DataFrame]] = {}
        for chunk in self.iter_tables(n_cases, progress=progress):
            for name, frame in chunk.items():
                parts.setdefault(name, []).append(frame)
        tables = {name: pd.concat(frames, ignore_index=True) for name, frames in parts.items()}
        for name in ("people", "organisations"):
            tables[name] = _finish(name, tables[name])  # restore dtypes after concatenation
        return _ordered(tables)

    def _locations(self, pairs: list[tuple[int, int]]) -> pd.DataFrame:
        rows = []
        for c, i in pairs:
            city = self.pool(self.countries[c]).cities[i]
            rows.append({"organisation_id": self.location_id(c, i), "org_Name": city,
                         "org_ShippingCity": city, "org_ShippingCountry": self.countries[c]})
        return pd.DataFrame(rows, columns=["organisation_id", "org_Name", "org_ShippingCity",
                                           "org_ShippingCountry"])

    def documents(self, n_cases: int, *, progress: bool = False) -> Iterator[dict[str, Any]]:
        """Nested case documents (valid against the package's JSON Schema), streamed.

        Each document carries the people and organisations it points to.
        """
        from ..model import tables_to_documents

        organisations, workers = self._organisation_rows
        every_place = [(c, i) for c, code in enumerate(self.countries)
                       for i in range(len(self.pool(code).cities))]
        shared_people = _finish("people", workers)
        shared_organisations = _finish("organisations", pd.concat(
            [organisations, self._locations(every_place)], ignore_index=True))
        for part in self.iter_tables(n_cases, progress=progress):
            if "cases" not in part:
                continue  # the closing part holds only the shared records
            tables = dict(part)
            tables["people"] = pd.concat([part["people"], shared_people], ignore_index=True)
            tables["organisations"] = shared_organisations
            yield from tables_to_documents(tables)

    # --- block -> tables --------------------------------------------------------------------
    @cached_property
    def _lookup_tables(self) -> dict[str, np.ndarray]:
        """Identifiers and display names by (country, index), so rows need only a take."""
        organisations, workers = self._organisation_rows
        org_names = dict(zip(organisations["organisation_id"], organisations["org_Name"]))
        worker_names = dict(zip(workers["person_id"],
                                workers["prs_FirstName"] + " " + workers["prs_SecondName"]))
        width = max(len(ORGANISATION_KINDS), USERS_PER_COUNTRY)
        countries = range(len(self.countries))
        org_ids = np.array([[self.organisation_id(c, i) for i in range(width)]
                            for c in countries], dtype=object)
        worker_ids = np.array([[[self.worker_id(c, o, w)
                                 for w in range(WORKERS_PER_ORGANISATION)]
                                for o in range(len(ORGANISATION_KINDS))] for c in countries],
                              dtype=object)
        cities = max(len(self.pool(code).cities) for code in self.countries)
        places = np.empty((len(self.countries), cities), dtype=object)
        place_ids = np.empty((len(self.countries), cities), dtype=object)
        for c, code in enumerate(self.countries):
            for i, city in enumerate(self.pool(code).cities):
                places[c, i] = f"{city}, {code}"
                place_ids[c, i] = self.location_id(c, i)
        return {
            "org_ids": org_ids,
            "org_names": np.vectorize(lambda i: org_names.get(i, ""), otypes=[object])(org_ids),
            "user_ids": np.array([[self.user_id(c, i) for i in range(width)] for c in countries],
                                 dtype=object),
            "worker_ids": worker_ids,
            "worker_names": np.vectorize(lambda i: worker_names.get(i, ""),
                                         otypes=[object])(worker_ids),
            "places": places,
            "place_ids": place_ids,
        }

    def _core_from_block(self, b: dict[str, np.ndarray]) -> pd.DataFrame:
        return pd.DataFrame(self._core_columns(b, len(b["case_number"])), copy=False)

    def _core_columns(self, b: dict[str, np.ndarray], keep: int) -> dict[str, np.ndarray]:
        """The Core table's columns for the first ``keep`` cases of a block."""
        b = {key: value[:keep] for key, value in b.items() if key != "block"}
        n = keep
        look = self._lookup_tables
        codes = np.array(self.countries, dtype=object)
        org_names, worker_names = look["org_names"], look["worker_names"]
        referring = org_names[b["destination"], b["referring_org"]]
        referred = org_names[b["referred_country"], b["referred_org"]]
        referring_worker = worker_names[b["destination"], b["referring_org"],
                                        b["referring_worker"]]
        referred_worker = worker_names[b["referred_country"], b["referred_org"],
                                       b["referred_worker"]]
        outgoing = b["outgoing"]
        blank = np.full(n, "", dtype=object)
        data = {
            "case_id": self._case_ids(b["case_number"]),
            "person_id": self._victim_ids(b["case_number"]),
            "cas_CaseOwner": look["user_ids"][b["destination"], b["owner"]],
            "prs_Salutation": b["prs_Salutation"],
            "prs_FirstName": b["prs_FirstName"],
            "prs_SecondName": b["prs_SecondName"],
            "con_Consent": b["consent"],
            "prs_Birthdate": _iso(b["birth"]),
            "prs_Gender": b["gender"],
            "prs_Citizenship": b["prs_Citizenship"],
            "prs_Title": blank,
            "prs_Email": b["prs_Email"],
            "prs_HomePhone": b["prs_HomePhone"],
            "prs_MobilePhone": b["prs_MobilePhone"],
            "prs_MailingCity": b["prs_MailingCity"],
            "prs_MailingCountry": codes[b["mailing"]],
            "prs_MailingState": b["prs_MailingState"],
            "prs_MailingStreet": b["prs_MailingStreet"],
            "prs_MailingPostalCode": b["prs_MailingPostalCode"],
            "vic_TraffickingStatus": b["vic_TraffickingStatus"],
            "vic_TraffickingStatusDecisionMakingOrg": b["vic_TraffickingStatusDecisionMakingOrg"],
            "vic_MethodOfRecruitment": b["vic_MethodOfRecruitment"],
            "vic_LocationOfRecruitment": look["places"][b["origin"], b["origin_city_index"]],
            "vic_MethodsOfControl": b["vic_MethodsOfControl"],
            "vic_TypeOfExploitation": b["vic_TypeOfExploitation"],
            "vic_ForcedLabourIndustry": b["vic_ForcedLabourIndustry"],
            "vic_TypeOfSexExploitation": b["vic_TypeOfSexExploitation"],
            "vic_LocationOfExploitation": look["places"][b["destination"],
                                                         b["destination_city_index"]],
            "cas_Status": b["cas_Status"],
            "cas_ReferringOrganisation": referring,
            "cas_IncomingReferralDate": _iso(b["registration"]),
            "cas_ReferringPrimaryCaseWorker": referring_worker,
            "cas_ReasonForIncomingReferral": b["incoming_reason"],
            "cas_IncomingReferralDetails": b["incoming_details"],
            "cas_ReferredOrganisation": np.where(outgoing, referred, ""),
            "cas_ReferredPrimaryCaseWorker": np.where(outgoing, referred_worker, ""),
            "cas_ReasonForOutgoingReferral": np.where(outgoing, b["outgoing_reason"], ""),
            "cas_OutgoingReferralDate": np.where(outgoing, _iso(b["outgoing_date"]), ""),
            "cas_OutgoingReferralDetails": np.where(outgoing, b["outgoing_details"], ""),
            "cas_ReasonForCaseClosure": b["cas_ReasonForCaseClosure"],
        }
        data["synthetic"] = np.ones(n, dtype=bool)
        return data

    def _case_ids(self, numbers: np.ndarray) -> np.ndarray:
        return _numbered("CASE-", numbers, 7)

    def _victim_ids(self, numbers: np.ndarray) -> np.ndarray:
        return _numbered("PRS-", numbers, 7)

    def _ids(self, table: str, countries: np.ndarray, indexes: np.ndarray) -> np.ndarray:
        """Identifiers from a lookup table ("org_ids", "user_ids", "place_ids") by a take."""
        return self._lookup_tables[table][countries, indexes]

    def _worker_ids(self, countries: np.ndarray, orgs: np.ndarray, workers: np.ndarray
                    ) -> np.ndarray:
        return self._lookup_tables["worker_ids"][countries, orgs, workers]

    def _tables_from_block(self, b: dict[str, np.ndarray], keep: int,
                           used_locations: set[tuple[int, int]]) -> dict[str, pd.DataFrame]:
        """Every table for one block; only the rows of its first ``keep`` cases are kept."""
        tables = self._all_tables_from_block(b)
        for country, city in (("origin", "origin_city_index"),
                              ("destination", "destination_city_index")):
            used_locations.update(zip(b[country][:keep].tolist(), b[city][:keep].tolist()))
        if keep == BLOCK:
            return tables
        kept = set(self._case_ids(b["case_number"][:keep]))
        people = set(self._victim_ids(b["case_number"][:keep]))
        for name, frame in tables.items():
            if name == "people":
                perpetrators = tables["perpetrator_contexts"]
                people |= set(perpetrators.loc[perpetrators["case_id"].isin(kept), "person_id"])
                tables[name] = frame[frame["person_id"].isin(people)]
            else:
                tables[name] = frame[frame["case_id"].isin(kept)]
        return tables

    def _all_tables_from_block(self, b: dict[str, np.ndarray]) -> dict[str, pd.DataFrame]:
        n = len(b["case_number"])
        rng = np.random.default_rng([self.seed, int(b["block"][0]), 1])
        codes = np.array(self.countries, dtype=object)
        case_id = self._case_ids(b["case_number"])
        person_id = self._victim_ids(b["case_number"])
        registration = b["registration"]
        owner = self._ids("user_ids", b["destination"], b["owner"])
        tables: dict[str, pd.DataFrame] = {}
        tables["cases"] = pd.DataFrame({
            "case_id": case_id, "cas_Status": b["cas_Status"],
            "cas_ReasonForCaseClosure": b["cas_ReasonForCaseClosure"], "cas_CaseOwner": owner})
        people = {
            "person_id": person_id,
            **{k: b[k] for k in ("prs_Salutation", "prs_FirstName", "prs_MiddleName",
                                 "prs_SecondName")},
            "prs_Birthdate": _iso(b["birth"]), "prs_Gender": b["gender"],
            "prs_Deceased": b["prs_Deceased"], "prs_MaritalStatus": b["prs_MaritalStatus"],
            "prs_NumberOfChildren": b["prs_NumberOfChildren"],
            "prs_PrimaryLanguage": b["prs_PrimaryLanguage"],
            "prs_SecondaryLanguage": b["prs_SecondaryLanguage"],
            "prs_HighestLevelOfEducation": b["prs_HighestLevelOfEducation"],
            "prs_Citizenship": b["prs_Citizenship"],
            "prs_IdentityNumber": b["prs_IdentityNumber"],
            **{k: b[k] for k in ("prs_Email", "prs_HomePhone", "prs_MobilePhone",
                                 "prs_MailingCity", "prs_MailingState", "prs_MailingStreet",
                                 "prs_MailingPostalCode")},
            "prs_MailingCountry": codes[b["mailing"]],
        }
        victims = {
            "case_id": case_id, "person_id": person_id,
            "vic_TraffickingStatus": b["vic_TraffickingStatus"],
            "vic_TraffickingStatusDecisionMakingOrg": b["vic_TraffickingStatusDecisionMakingOrg"],
            "vic_RelationshipToTrafficker": b["vic_RelationshipToTrafficker"],
            "vic_AgeWhenTrafficked": b["age_at_recruitment"],
            "vic_RecruitmentWebsitesAndApps": b["vic_RecruitmentWebsitesAndApps"],
            "vic_MethodOfRecruitment": b["vic_MethodOfRecruitment"],
            "vic_LocationOfRecruitment": self._ids("place_ids", b["origin"],
                                                   b["origin_city_index"]),
            "vic_MethodsOfControl": b["vic_MethodsOfControl"],
            "vic_TypeOfExploitation": b["vic_TypeOfExploitation"],
            "vic_ForcedLabourIndustry": b["vic_ForcedLabourIndustry"],
            "vic_TypeOfSexExploitation": b["vic_TypeOfSexExploitation"],
            "vic_LocationOfExploitation": self._ids("place_ids", b["destination"],
                                                    b["destination_city_index"]),
        }
        tables["victim_contexts"] = pd.DataFrame(victims)

        # Referrals: one incoming per case, an outgoing one for some.
        outgoing = b["outgoing"]
        incoming = pd.DataFrame({
            "referral_id": [f"REF-{i:07d}-1" for i in b["case_number"]],
            "case_id": case_id, "direction": "incoming",
            "cas_ReferringOrganisation": self._ids("org_ids", b["destination"],
                                                   b["referring_org"]),
            "cas_IncomingReferralDate": _iso(registration),
            "cas_ReferringPrimaryCaseWorker": self._worker_ids(
                b["destination"], b["referring_org"], b["referring_worker"]),
            "cas_ReasonForIncomingReferral": b["incoming_reason"],
            "cas_IncomingReferralDetails": b["incoming_details"],
        })
        out_rows = np.flatnonzero(outgoing)
        outgoing_frame = pd.DataFrame({
            "referral_id": [f"REF-{i:07d}-2" for i in b["case_number"][out_rows]],
            "case_id": case_id[out_rows], "direction": "outgoing",
            "cas_ReferredOrganisation": self._ids("org_ids",
                                                  b["referred_country"][out_rows],
                                                  b["referred_org"][out_rows]),
            "cas_ReferredPrimaryCaseWorker": self._worker_ids(
                b["referred_country"][out_rows], b["referred_org"][out_rows],
                b["referred_worker"][out_rows]),
            "cas_ReasonForOutgoingReferral": b["outgoing_reason"][out_rows],
            "cas_OutgoingReferralDate": _iso(b["outgoing_date"][out_rows]),
            "cas_OutgoingReferralDetails": b["outgoing_details"][out_rows],
        })
        tables["referrals"] = pd.concat([incoming, outgoing_frame]).sort_values(
            "referral_id", kind="stable")

        # Events: recruitment, transit, exploitation, in order of date and place.
        kinds = np.array(["Recruitment", "Transit", "Exploitation"], dtype=object)
        transit_in_origin = rng.random(n) < 0.5
        event_country = np.stack([b["origin"], np.where(transit_in_origin, b["origin"],
                                                        b["destination"]), b["destination"]], 1)
        event_city = np.stack([b["origin_city"],
                               np.where(transit_in_origin, b["origin_city"],
                                        b["destination_city"]),
                               b["destination_city"]], 1)
        event_date = np.stack([b["recruitment"], b["transit"], b["exploitation"]], 1)
        tables["trafficking_events"] = pd.DataFrame({
            "event_id": [f"EVT-{i:07d}-{k}" for i in b["case_number"] for k in (1, 2, 3)],
            "case_id": np.repeat(case_id, 3), "person_id": np.repeat(person_id, 3),
            "hte_City": event_city.ravel(), "hte_Country": codes[event_country.ravel()],
            "hte_Date": _iso(event_date.ravel()), "hte_Type": np.tile(kinds, n),
            "hte_Description": np.tile(np.array([EVENT_DESCRIPTIONS[k] for k in kinds],
                                                dtype=object), n),
        })

        # Perpetrators: 0-3 per case, as people with a perpetrator context.
        counts_names, counts_p = self.profile.distribution("perpetrators_per_case")
        counts = np.array(counts_names, dtype=int)[rng.choice(len(counts_names), size=n,
                                                              p=counts_p)]
        owner_row = np.repeat(np.arange(n), counts)
        k = len(owner_row)
        ordinal = np.concatenate([np.arange(c) for c in counts]) if k else np.zeros(0, int)
        perp_id = np.array([f"PRS-{b['case_number'][r]:07d}-P{o + 1}"
                            for r, o in zip(owner_row, ordinal)], dtype=object)
        perp_country = np.where(rng.random(k) < 0.5, b["origin"][owner_row],
                                b["destination"][owner_row])
        perp_female = rng.random(k) < 0.35
        perp_first = np.empty(k, dtype=object)
        perp_last = np.empty(k, dtype=object)
        name_i = rng.integers(0, POOL_SIZE, size=k)
        last_i = rng.integers(0, POOL_SIZE, size=k)
        for c in np.unique(perp_country):
            pool = self.pool(self.countries[c])
            where = perp_country == c
            perp_first[where & perp_female] = pool.female[name_i[where & perp_female]]
            perp_first[where & ~perp_female] = pool.male[name_i[where & ~perp_female]]
            perp_last[where] = pool.surnames[last_i[where]]
        perp_birth = registration[owner_row] - rng.integers(20 * 365, 60 * 365, size=k)
        roles = ["RecruiterOrIntermediary", "Exploiter", "Transporter", "BrokerTravelAgent",
                 "Smuggler", "Abuser", "Other"]
        role_flags = rng.random((k, len(roles))) < [0.45, 0.5, 0.15, 0.05, 0.05, 0.1, 0.03]
        role_flags[~role_flags.any(axis=1), 1] = True
        all_roles = list(standard.field("per_RoleInProcess").value_names)
        full_flags = np.zeros((k, len(all_roles)), dtype=bool)
        for j, role in enumerate(roles):
            full_flags[:, all_roles.index(role)] = role_flags[:, j]
        business = rng.random(k) < 0.1
        perpetrator_people = pd.DataFrame({
            "person_id": perp_id,
            "prs_FirstName": perp_first, "prs_SecondName": perp_last,
            "prs_Birthdate": _iso(perp_birth),
            "prs_Gender": np.where(perp_female, "Feminine", "Masculine").astype(object),
            "prs_Citizenship": codes[perp_country],
        })
        tables["perpetrator_contexts"] = pd.DataFrame({
            "case_id": case_id[owner_row], "person_id": perp_id,
            "per_RoleInProcess": _join_flags(full_flags, all_roles),
            "per_RoleDetails": np.array(ROLE_DETAILS, dtype=object)[
                rng.integers(0, len(ROLE_DETAILS), size=k)],
            "per_Organisation": np.where(
                business, self._ids("org_ids", perp_country,
                                    np.full(k, len(ORGANISATION_KINDS) - 1)), ""),
        })
        tables["people"] = pd.concat([pd.DataFrame(people), perpetrator_people],
                                     ignore_index=True)

        # Support plans: 0-3 per case, matched to the exploitation.
        plan_counts = rng.choice(4, size=n, p=[0.25, 0.35, 0.25, 0.15])
        plan_row = np.repeat(np.arange(n), plan_counts)
        m = len(plan_row)
        plan_ordinal = np.concatenate([np.arange(c) for c in plan_counts]) if m \
            else np.zeros(0, int)
        common = np.array(["Health", "Legal", "Livelihood", "SocialCare", "Financial",
                           "RightsBasedTraining"], dtype=object)
        plan_type = common[rng.integers(0, len(common), size=m)]
        first_plan = plan_ordinal == 0
        specialised = np.where(b["sexual"][plan_row], "SexualExploitationRehabilitation",
                               np.where(b["labour"][plan_row],
                                        "LabourExploitationRehabilitation", "SocialCare"))
        plan_type[first_plan] = specialised[first_plan]
        child = b["age_at_registration"][plan_row] < 18
        plan_type[child & (plan_ordinal == 1)] = "Education"
        planned_end = registration[plan_row] + rng.integers(60, 400, size=m)
        finished = np.isin(b["cas_Status"][plan_row], ["Closed", "ClosedReferred"])
        actual_end = registration[plan_row] + rng.integers(30, 400, size=m)
        tables["support_plans"] = pd.DataFrame({
            "support_plan_id": [f"SPL-{b['case_number'][r]:07d}-{o + 1}"
                                for r, o in zip(plan_row, plan_ordinal)],
            "case_id": case_id[plan_row], "person_id": person_id[plan_row],
            "spl_Objectives": np.array([PLAN_OBJECTIVES[t] for t in plan_type], dtype=object),
            "spl_ActionPlan": PLAN_ACTIONS,
            "spl_PlannedEndDate": _iso(planned_end),
            "spl_ActualEndDate": np.where(finished, _iso(actual_end), "").astype(object),
            "spl_Type": plan_type,
        })

        # Comments: 0-3 per case. Some mention the person's first name or phone, as real
        # notes do: the safe-sharing lessons scan for exactly this.
        comment_counts = rng.choice(4, size=n, p=[0.2, 0.4, 0.25, 0.15])
        comment_row = np.repeat(np.arange(n), comment_counts)
        q = len(comment_row)
        comment_ordinal = np.concatenate([np.arange(c) for c in comment_counts]) if q \
            else np.zeros(0, int)
        text = np.array(COMMENTS, dtype=object)[rng.integers(0, len(COMMENTS), size=q)]
        name_leak = rng.random(q) < 0.15
        text[name_leak] = [f"Spoke with {b['prs_FirstName'][r]} today. {t}"
                           for r, t in zip(comment_row[name_leak], text[name_leak])]
        phone = b["prs_MobilePhone"][comment_row]
        phone_leak = (rng.random(q) < 0.05) & (phone != "")
        text[phone_leak] = [f"{t} New number: {p}." for t, p in
                            zip(text[phone_leak], phone[phone_leak])]
        tables["case_comments"] = pd.DataFrame({
            "comment_id": [f"CCO-{b['case_number'][r]:07d}-{o + 1}"
                           for r, o in zip(comment_row, comment_ordinal)],
            "case_id": case_id[comment_row], "author_id": owner[comment_row],
            "comment_date": _iso(registration[comment_row] + (comment_ordinal + 1)
                                 * rng.integers(3, 60, size=q)),
            "cco_CaseComment": text,
        })

        # Consent: one record per victim; for a child, who consented and the child's assent.
        child_now = b["age_at_registration"] < 18
        given_by = np.where(child_now, np.where(rng.random(n) < 0.7, "ParentOrGuardian",
                                                "AppointedGuardian"), "Self").astype(object)
        assent = pd.array(np.where(child_now, rng.random(n) < 0.9, False), dtype="boolean")
        assent[~child_now] = pd.NA
        tables["consents"] = pd.DataFrame({
            "case_id": case_id, "person_id": person_id, "consent_date": _iso(registration),
            "consent_given_by": given_by, "child_assent": assent, "con_Consent": b["consent"],
        })
        tables["core"] = self._core_from_block(b)
        return tables


def _ordered(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    order = ["cases", "people", "organisations", "victim_contexts", "perpetrator_contexts",
             "referrals", "trafficking_events", "support_plans", "case_comments", "consents",
             "core"]
    return {name: tables[name] for name in order if name in tables}


def _finish(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Columns in Table Schema order, blanks as empty strings, and the synthetic mark."""
    from ..model.schema import table_schema

    columns = [c["name"] for c in table_schema(name)["fields"]]
    frame = frame.copy()
    frame["synthetic"] = True
    for column in columns:
        if column not in frame:
            frame[column] = ""
    frame = frame[columns]
    for column in columns:
        if frame[column].dtype == object:
            frame[column] = frame[column].where(frame[column].notna(), "")
    if name == "people" and "prs_NumberOfChildren" in frame:
        frame["prs_NumberOfChildren"] = pd.array(
            pd.to_numeric(frame["prs_NumberOfChildren"].replace("", pd.NA)), dtype="Int64")
    if name == "people":
        frame["prs_Deceased"] = pd.array(frame["prs_Deceased"].replace("", pd.NA),
                                         dtype="boolean")
    frame.attrs["synthetic"] = True
    return frame.reset_index(drop=True)


def _progress(items: Iterator[Any], total: int, unit: str) -> Iterator[Any]:
    """A progress bar (tqdm) for long runs: on stderr in a terminal, a widget in notebooks."""
    from tqdm.auto import tqdm

    return tqdm(items, total=total, unit=unit, desc="Generating")


def generate_tables(n_cases: int, seed: int = 0, *, profile: Profile | None = None,
                    locales: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """Every flat table for ``n_cases`` synthetic cases (see :class:`CaseGenerator`)."""
    return CaseGenerator(seed, profile, locales).tables(n_cases)


def generate_cases(n_cases: int, seed: int = 0, *, profile: Profile | None = None,
                   locales: list[str] | None = None) -> list[dict[str, Any]]:
    """``n_cases`` synthetic nested case documents."""
    return list(CaseGenerator(seed, profile, locales).documents(n_cases))


COURSE_CASES = 500
COURSE_SEED = 2026


def course_dataset() -> dict[str, pd.DataFrame]:
    """The course's own 500 synthetic cases (the same as the files in synthetic_data/)."""
    return generate_tables(COURSE_CASES, COURSE_SEED)


def generate_core(n_cases: int, seed: int = 0, *, profile: Profile | None = None,
                  locales: list[str] | None = None) -> pd.DataFrame:
    """The one-row-per-victim Core table for ``n_cases`` synthetic cases."""
    return CaseGenerator(seed, profile, locales).core_table(n_cases)
