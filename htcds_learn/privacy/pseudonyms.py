"""Keyed pseudonyms, salted per release unless a linkable release is asked for.

A pseudonym is HMAC-SHA256 of the identifier with the key, shortened to 16 hex digits. Without
the key, a list of every name does not help (a bare hash could be reversed that way). But the
same key and value always give the same pseudonym, so two releases made with one key can be
joined row for row by **anyone** who holds both, not only by the key holder. Each release
therefore mixes a fresh random salt into its pseudonyms: within one release the same person
has one pseudonym; across releases, nobody can link them. The organisation keeps the salt in
its ledger, so the key holder can still find a case from its pseudonym.

>>> key = bytes(range(32))  # a key made by new_key() in real use
>>> pseudonym("PRS-0000001", key) == pseudonym("PRS-0000001", key)
True
>>> pseudonym("PRS-0000001", key, salt="release-1") == pseudonym("PRS-0000001", key,
...                                                               salt="release-2")
False
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from .._util.frames import factorize_exact
from .keys import check_key


def new_salt() -> str:
    """A fresh random salt for one release (16 bytes as hex)."""
    return secrets.token_hex(16)


def pseudonymiser(key: bytes, *, salt: str = "", prefix: str = "P-") -> Callable[[object], str]:
    """A function value -> pseudonym for one key and salt (the HMAC key is prepared once)."""
    check_key(key)
    keyed = hmac.new(bytes(key), digestmod=hashlib.sha256)
    if salt:
        keyed.update(b"salt:" + salt.encode("ascii") + b"|")

    def one(value: object) -> str:
        digest = keyed.copy()
        digest.update(str(value).strip().encode("utf-8"))
        return prefix + digest.hexdigest()[:16]

    return one


def pseudonym(value: str, key: bytes, *, salt: str = "", prefix: str = "P-") -> str:
    """A keyed pseudonym: HMAC-SHA256 of the (salted) value with the key, 16 hex digits."""
    return pseudonymiser(key, salt=salt, prefix=prefix)(value)


def pseudonymise(table: pd.DataFrame, columns: Sequence[str], key: bytes, *, salt: str = "",
                 prefix: str = "P-") -> pd.DataFrame:
    """A copy of ``table`` with ``columns`` replaced by keyed pseudonyms (blanks stay blank)."""
    one = pseudonymiser(key, salt=salt, prefix=prefix)
    out = table.copy()
    for column in columns:
        values = out[column].astype(object).where(out[column].notna(), "")
        codes, uniques = factorize_exact(values)
        names = np.array([one(v) if str(v).strip() != "" else "" for v in uniques], dtype=object)
        out[column] = names[codes]
    return out
