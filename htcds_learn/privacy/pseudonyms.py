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
import secrets
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._util.frames import factorize_exact
from .keys import check_key

try:  # CPython's own SHA-256: copying its state is a memcpy, cheaper than OpenSSL's context copy
    from _sha256 import sha256 as _sha256  # Python 3.11
except ImportError:  # pragma: no cover - other Pythons
    try:
        from _sha2 import sha256 as _sha256  # Python 3.12 and later
    except ImportError:
        _sha256 = hashlib.sha256


def new_salt() -> str:
    """A fresh random salt for one release (16 bytes as hex)."""
    return secrets.token_hex(16)


_BLOCK = 64  # SHA-256's block size, in bytes (RFC 2104)


def _prekeyed(key: bytes, salt: str) -> tuple[Any, Any]:
    """SHA-256 states already fed HMAC's inner and outer padded key (and the salt).

    HMAC(key, m) = H((key ^ opad) + H((key ^ ipad) + m)). The two padded keys are one block
    each, so their states can be computed once and copied for every value: half the work of
    a fresh ``hmac.new`` per value, with the same result (a test compares the two).
    """
    padded = (hashlib.sha256(key).digest() if len(key) > _BLOCK else key).ljust(_BLOCK, b"\0")
    inner = _sha256(bytes(b ^ 0x36 for b in padded))
    outer = _sha256(bytes(b ^ 0x5C for b in padded))
    if salt:
        inner.update(b"salt:" + salt.encode("ascii") + b"|")
    return inner, outer


def pseudonymiser(key: bytes, *, salt: str = "", prefix: str = "P-") -> Callable[[object], str]:
    """A function value -> pseudonym for one key and salt (the HMAC key is prepared once)."""
    check_key(key)
    inner, outer = _prekeyed(bytes(key), salt)

    def one(value: object) -> str:
        digest = inner.copy()
        digest.update(str(value).strip().encode("utf-8"))
        final = outer.copy()
        final.update(digest.digest())
        return prefix + final.digest()[:8].hex()

    return one


def pseudonyms_of(values: Iterable[str], key: bytes, *, salt: str = "",
                  prefix: str = "P-") -> list[str]:
    """The pseudonym of every value (already text and trimmed), in one tight loop; a blank
    value stays blank.

    >>> key = bytes(range(32))
    >>> pseudonyms_of(["PRS-0000001"], key) == [pseudonym("PRS-0000001", key)]
    True
    """
    check_key(key)
    inner, outer = _prekeyed(bytes(key), salt)
    copy_inner, copy_outer = inner.copy, outer.copy
    digests: list[bytes] = []
    append = digests.append
    for value in _encoded(values):
        if not value:
            append(b"")
            continue
        digest = copy_inner()
        digest.update(value)
        final = copy_outer()
        final.update(digest.digest())
        append(final.digest())
    # 8 bytes as hex (cheaper than 32); a blank value stays blank
    return [prefix + d[:8].hex() if d else "" for d in digests]


def _encoded(values: Iterable[str]) -> list[bytes]:
    """Every value as UTF-8, encoded in one call where no value holds a NUL to split on."""
    values = values if isinstance(values, list) else list(values)
    joined = "\0".join(values)
    if joined.count("\0") == max(len(values) - 1, 0):
        return joined.encode("utf-8").split(b"\0") if values else []
    return [value.encode("utf-8") for value in values]


def pseudonym(value: str, key: bytes, *, salt: str = "", prefix: str = "P-") -> str:
    """A keyed pseudonym: HMAC-SHA256 of the (salted) value with the key, 16 hex digits."""
    return pseudonymiser(key, salt=salt, prefix=prefix)(value)


def pseudonymise(table: pd.DataFrame, columns: Sequence[str], key: bytes, *, salt: str = "",
                 prefix: str = "P-") -> pd.DataFrame:
    """A copy of ``table`` with ``columns`` replaced by keyed pseudonyms (blanks stay blank)."""
    check_key(key)
    out = table.copy()
    for column in columns:
        values = out[column].astype(object)
        if _mostly_distinct(values):  # hashing each row costs less than finding repeats
            codes, uniques = None, values.to_numpy()
        else:
            codes, uniques = factorize_exact(values)
        try:
            text = list(map(str.strip, uniques))  # all text: the common case, one C loop
        except TypeError:  # numbers, or missing values (which stay blank)
            text = ["" if pd.isna(v) else str(v).strip() for v in uniques]
        names = np.array(pseudonyms_of(text, key, salt=salt, prefix=prefix), dtype=object)
        out[column] = names if codes is None else names[codes]
    return out


def _mostly_distinct(values: pd.Series, sample: int = 10_000) -> bool:
    """Whether most values are different (identifiers), judged on the first rows."""
    head = values.iloc[:sample]
    return len(values) > sample and head.nunique() > 0.8 * len(head)
