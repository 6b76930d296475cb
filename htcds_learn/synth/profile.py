"""Generator profiles: the proportions synthetic cases are drawn from, as plain data.

A profile is a JSON file a trainer can copy and edit (``data/profiles/default.json``). Every
distribution names its source: figures from CTDC's public data story, or round teaching
assumptions, which are said to be assumptions. Loading checks the file thoroughly, so a typo
gives a clear message instead of strange data.

>>> profile = load_profile()
>>> names, weights = profile.distribution("gender")
>>> names[0], round(float(weights[0]), 3)
('Feminine', 0.735)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from .. import standard
from ..errors import ProfileError
from ..standard import codes

# Which HTCDS field each weighted distribution draws values for.
DISTRIBUTION_FIELDS = {
    "gender": "prs_Gender",
    "sex_exploitation_types": "vic_TypeOfSexExploitation",
    "forced_labour_industries": "vic_ForcedLabourIndustry",
    "methods_of_recruitment": "vic_MethodOfRecruitment",
    "recruitment_websites": "vic_RecruitmentWebsitesAndApps",
    "relationship_to_trafficker": "vic_RelationshipToTrafficker",
    "trafficking_status": "vic_TraffickingStatus",
    "status_decision_org": "vic_TraffickingStatusDecisionMakingOrg",
    "case_status": "cas_Status",
}
REQUIRED = [
    "name", "sources", "registration_years", "origin_regions", "countries",
    "age_at_registration", "months_in_trafficking", "exploitation", "methods_of_control",
    "outgoing_referral_probability", "perpetrators_per_case", "consent_probability",
    *DISTRIBUTION_FIELDS,
]


def _weights(values: dict[str, Any], where: str) -> tuple[list[str], np.ndarray]:
    if not isinstance(values, dict) or not values:
        raise ProfileError(f"{where}: expected a table of names and weights.",
                           'Write it like {"Feminine": 74, "Masculine": 26}.')
    for name, weight in values.items():
        if not isinstance(weight, (int, float)) or isinstance(weight, bool) or weight < 0:
            raise ProfileError(f"{where}.{name}: the weight {weight!r} is not a number >= 0.")
    total = float(sum(values.values()))
    if total <= 0:
        raise ProfileError(f"{where}: the weights add up to 0.", "Give at least one a weight.")
    return list(values), np.array(list(values.values()), dtype=float) / total


def _check_value_names(names: list[str], field_name: str, where: str) -> None:
    allowed = standard.field(field_name).value_names
    for name in names:
        if name not in allowed:
            hint = standard.suggest(name, list(allowed)) or (
                f"Allowed: {', '.join(allowed)}.")
            raise ProfileError(f"{where}: '{name}' is not a value name of {field_name}.", hint)


@dataclass(frozen=True)
class Profile:
    """A validated profile. ``data`` is the JSON content; helpers give numpy-ready weights."""

    data: dict[str, Any]
    source: str

    @property
    def name(self) -> str:
        return self.data["name"]

    def distribution(self, key: str) -> tuple[list[str], np.ndarray]:
        entry = self.data[key]
        return _weights(entry.get("weights", entry), key)

    def country(self, code: str) -> dict[str, Any]:
        return self.data["countries"][code]

    def countries(self) -> list[str]:
        return list(self.data["countries"])

    def bands(self, key: str) -> np.ndarray:
        """Rows of (low, high, probability) for a banded distribution such as ages."""
        rows = np.array(self.data[key]["bands"], dtype=float)
        rows[:, 2] /= rows[:, 2].sum()
        return rows


def _validate(data: Any, where: str) -> None:
    if not isinstance(data, dict):
        raise ProfileError(f"{where}: a profile is a JSON object (curly brackets).")
    missing = [key for key in REQUIRED if key not in data]
    if missing:
        raise ProfileError(f"{where}: missing {', '.join(missing)}.",
                           "Start from a copy of the default profile (htcds-learn profile).")
    countries = data["countries"]
    if not isinstance(countries, dict) or not countries:
        raise ProfileError(f"{where}: 'countries' must list at least one country.")
    for code, country in countries.items():
        _validate_country(code, country, data, f"{where}: countries.{code}")
    origins = {c for c, v in countries.items() if v.get("origin_weight", 0) > 0
               and v.get("destinations")}
    if not origins:
        raise ProfileError(f"{where}: no country has an origin_weight and destinations.")
    _weights(data["origin_regions"]["weights"], f"{where}: origin_regions")
    _validate_distributions(data, where)
    _validate_numbers(data, where)


def _validate_country(code: str, country: dict[str, Any], data: dict[str, Any],
                      here: str) -> None:
    """One entry of ``countries``: its code, locales, phone numbers, language and routes."""
    if not codes.is_country_code(code):
        found = codes.country_code_for(code)
        raise ProfileError(f"{here}: '{code}' is not an ISO 3166 two-letter code.",
                           f"Did you mean '{found}'?" if found else "")
    _validate_locales(country, here)
    calling, digits = str(country.get("calling_code", "")), country.get("national_digits")
    if not calling.isdigit() or not isinstance(digits, int) or not 4 <= digits <= 12 \
            or len(calling) + digits > 15:
        raise ProfileError(f"{here}: calling_code and national_digits must make an E.164 "
                           "number of at most 15 digits.", 'For Nigeria: "234" and 10.')
    if not codes.is_language_code(country.get("language")):
        raise ProfileError(f"{here}.language: {country.get('language')!r} is not an ISO "
                           "639 language code.", "Use a two-letter code such as 'en'.")
    if country.get("region") not in data["origin_regions"]["weights"]:
        raise ProfileError(f"{here}.region: {country.get('region')!r} is not one of the "
                           "origin_regions.")
    for destination in country.get("destinations", {}):
        if destination not in data["countries"]:
            raise ProfileError(f"{here}.destinations: '{destination}' is not a country of "
                               "this profile.", "Add it under 'countries', or remove it.")
    if country.get("destinations"):
        _weights(country["destinations"], f"{here}.destinations")
    for key in ("cities", "states"):
        if key in country and not (isinstance(country[key], list) and country[key]):
            raise ProfileError(f"{here}.{key}: give a list of names, or leave it out.")


def _validate_locales(country: dict[str, Any], here: str) -> None:
    from faker.config import AVAILABLE_LOCALES

    for key in ("faker_locale", "name_locale", "surname_locale"):
        locale = country.get(key)
        if (key == "faker_locale" or locale is not None) and locale not in AVAILABLE_LOCALES:
            raise ProfileError(f"{here}.{key}: Faker has no locale {locale!r}.",
                               standard.suggest(str(locale), AVAILABLE_LOCALES))


def _validate_distributions(data: dict[str, Any], where: str) -> None:
    """Weights are numbers, and the names they weigh are the fields' value names."""
    for key, field_name in DISTRIBUTION_FIELDS.items():
        entry = data[key]
        names, _ = _weights(entry.get("weights", entry), f"{where}: {key}")
        _check_value_names(names, field_name, f"{where}: {key}")
    for gender, table in data["exploitation"]["by_gender"].items():
        names, _ = _weights(table, f"{where}: exploitation.by_gender.{gender}")
        _check_value_names(names, "vic_TypeOfExploitation",
                           f"{where}: exploitation.by_gender.{gender}")
    methods = data["methods_of_control"]["probabilities"]
    _check_value_names(list(methods), "vic_MethodsOfControl", f"{where}: methods_of_control")


def _validate_numbers(data: dict[str, Any], where: str) -> None:
    """Probabilities, years, bands and counts are in range."""
    methods = data["methods_of_control"]["probabilities"]
    for name, p in [*methods.items(),
                    ("outgoing_referral_probability", data["outgoing_referral_probability"]),
                    ("exploitation.second_type_probability",
                     data["exploitation"]["second_type_probability"]),
                    ("consent_probability", data["consent_probability"]["value"])]:
        if not isinstance(p, (int, float)) or not 0 <= p <= 1:
            raise ProfileError(f"{where}: {name}: {p!r} is not a probability from 0 to 1.")
    first, last = data["registration_years"]
    if not (isinstance(first, int) and isinstance(last, int) and 1990 <= first <= last <= 2100):
        raise ProfileError(f"{where}: registration_years must be two years, oldest first.",
                           "For example [2015, 2025].")
    for key in ("age_at_registration", "months_in_trafficking"):
        for row in data[key]["bands"]:
            if len(row) != 3 or not row[0] <= row[1] or row[2] < 0:
                raise ProfileError(f"{where}: {key}: {row!r} is not [low, high, weight].")
    per_case = data["perpetrators_per_case"]["weights"]
    if not all(re.fullmatch(r"[0-9]{1,2}", str(k)) and int(k) <= 10 for k in per_case):
        raise ProfileError(f"{where}: perpetrators_per_case: counts must be 0 to 10.")


def load_profile(path: str | Path | None = None) -> Profile:
    """Load and check a profile; without a path, the default teaching profile."""
    if path is None:
        text = resources.files("htcds_learn").joinpath("data/profiles/default.json").read_text(
            "utf-8")
        where = "default profile"
    else:
        where = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ProfileError(f"{where}: no such file.", "Check the path.") from None
        except (OSError, UnicodeDecodeError) as error:
            raise ProfileError(f"{where}: cannot be read ({error}).",
                               "A profile is a UTF-8 JSON file.") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ProfileError(f"{where}: not valid JSON (line {error.lineno}, column "
                           f"{error.colno}: {error.msg}).",
                           "Check for a missing comma or quote there.") from None
    _validate(data, where)
    return Profile(data, where)
