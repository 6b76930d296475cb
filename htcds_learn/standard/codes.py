"""Country and language code lists that HTCDS points to (ISO 3166-1 and ISO 639).

HTCDS says "use ISO 3166 country codes" and "use ISO 639-2 language codes (two-letter codes
optional)". ISO 639-2 codes have three letters; two-letter codes are ISO 639-1. The package
therefore stores ISO 639-1 two-letter codes where a language has one and accepts ISO 639-2/3
three-letter codes too (see docs/upstream-defects.md, D4). The lists come from pycountry, which
packages the Debian iso-codes data.

>>> is_country_code("UA"), is_country_code("UK")
(True, False)
>>> is_language_code("en"), is_language_code("eng"), is_language_code("english")
(True, True, False)
>>> country_name("PH")
'Philippines'
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


@cache
def country_codes() -> tuple[str, ...]:
    """The 249 ISO 3166-1 alpha-2 codes, sorted (the list the official template validates)."""
    import pycountry

    return tuple(sorted(c.alpha_2 for c in pycountry.countries))


@cache
def _country_names() -> dict[str, str]:
    import pycountry

    return {c.alpha_2: getattr(c, "common_name", c.name) for c in pycountry.countries}


@cache
def language_codes_two_letter() -> tuple[str, ...]:
    """ISO 639-1 two-letter language codes, sorted."""
    import pycountry

    return tuple(sorted(lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2")))


@cache
def _language_index() -> dict[str, str]:
    """Every accepted language code -> the language's English name."""
    import pycountry

    index: dict[str, str] = {}
    for lang in pycountry.languages:
        for attribute in ("alpha_3", "bibliographic", "alpha_2"):
            code = getattr(lang, attribute, None)
            if code:
                index[code] = lang.name
    return index


def is_country_code(code: object) -> bool:
    """True for an ISO 3166-1 alpha-2 code in capitals, such as ``"NG"``."""
    return isinstance(code, str) and code in _country_names()


def is_language_code(code: object) -> bool:
    """True for an ISO 639-1 (``"fr"``) or ISO 639-2/3 (``"fra"``, ``"fre"``) code."""
    return isinstance(code, str) and code in _language_index()


def country_code_for(text: str) -> str | None:
    """The alpha-2 code for a country name, alpha-3 code or lower-case code, if there is one.

    >>> country_code_for("Nigeria"), country_code_for("UKR"), country_code_for("Atlantis")
    ('NG', 'UA', None)
    """
    import pycountry

    try:
        return pycountry.countries.lookup(str(text).strip()).alpha_2
    except LookupError:
        return None


def country_name(code: str) -> str:
    """The English short name of a country code; raises KeyError for an unknown code."""
    return _country_names()[code]


def language_name(code: str) -> str:
    """The English name of a language code; raises KeyError for an unknown code.

    >>> language_name("tl")
    'Tagalog'
    """
    return _language_index()[code]


def countries() -> pd.DataFrame:
    """All country codes with their names, as a table."""
    import pandas as pd

    names = _country_names()
    return pd.DataFrame({"code": list(country_codes()),
                         "name": [names[c] for c in country_codes()]})


def languages() -> pd.DataFrame:
    """Languages that have an ISO 639-1 two-letter code, with their three-letter codes."""
    import pandas as pd
    import pycountry

    rows = [
        {"code": lang.alpha_2, "alpha_3": lang.alpha_3, "name": lang.name}
        for lang in pycountry.languages if hasattr(lang, "alpha_2")
    ]
    return pd.DataFrame(rows).sort_values("code", ignore_index=True)
