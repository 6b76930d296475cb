"""Consent: records without it never leave, and a referral needs consent to that referral.

HTCDS v2.0 records one general consent, ``con_Consent``, with the seven-item checklist below.
It cannot say "she agreed to be referred to this shelter", so a referral reads an extension
column, :data:`REFERRAL_CONSENT` (True or False), that the organisation records itself.

>>> import pandas as pd
>>> with_consent(pd.DataFrame({"con_Consent": [True, False, None, "true"]})).tolist()
[True, False, False, True]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._util.frames import factorize_exact
from .errors import refuse

CONSENT = "con_Consent"
REFERRAL_CONSENT = "con_ConsentToRefer"  # an extension: HTCDS has no field for it

CONSENT_CHECKLIST: tuple[tuple[str, str], ...] = (
    ("consent-or-assent", "The person consents (or, for a child, assents) to the interview."),
    ("purpose", "The person was told the purpose of the interview."),
    ("use-of-data", "The person was told how the data will and may be used."),
    ("research-use", "The person was told that non-identifying data may be used for research."),
    ("right-to-access", "The person was told they may ask for their personal data at any time."),
    ("retention", "The person was told how long the data will be kept."),
    ("withdrawal", "The person was told how to withdraw consent."),
)

_YES = {"True", "true", "TRUE", "1"}


def _is_yes(value: object) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value) == 1
    return isinstance(value, str) and value.strip() in _YES


def recorded_yes(table: pd.DataFrame, column: str) -> pd.Series:
    """True where ``column`` is recorded as yes (True, "true", 1); blank or anything else is no.

    >>> recorded_yes(pd.DataFrame({"x": ["1", "yes", "", 1]}), "x").tolist()
    [True, False, False, True]
    """
    values = table[column]
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.fillna(False).astype(bool)
    missing = values.isna().to_numpy()
    codes, uniques = factorize_exact(values[~missing])
    given = np.array([_is_yes(v) for v in uniques] + [False])
    out = np.zeros(len(values), dtype=bool)
    out[~missing] = given[codes]
    return pd.Series(out, index=table.index)


def with_consent(table: pd.DataFrame) -> pd.Series:
    """True for rows whose ``con_Consent`` is recorded as True; blank or False never counts."""
    if CONSENT not in table:
        raise refuse("privacy.no_consent_column")
    return recorded_yes(table, CONSENT)


def with_consent_to_refer(table: pd.DataFrame) -> pd.Series:
    """True for rows with general consent **and** consent to this referral recorded as True."""
    if REFERRAL_CONSENT not in table:
        raise refuse("privacy.no_referral_consent", column=REFERRAL_CONSENT)
    return with_consent(table) & recorded_yes(table, REFERRAL_CONSENT)
