"""Share what an organisation knows without exposing the people in it.

The building blocks of safe sharing, each small and testable:

* **roles**: which fields identify a person directly, which do so in combination
  (quasi-identifiers), which are sensitive, which are free text;
* **consent**: the HTCDS consent checklist; records without consent never leave;
* **minimisation**: keep only the fields a declared purpose needs;
* **scanning**: find identifiers hiding in free text, and redact them;
* **pseudonyms**: keyed HMAC-SHA256, never a bare hash;
* **generalisation**: ages into CTDC's bands, dates into years;
* **disclosure risk**: equivalence classes, k-anonymity, l-diversity, local suppression;
* **small cells**: hide small counts in a table, and enough others that they cannot be
  worked out from the totals.

>>> key = b"a secret key that stays with the data protection officer"
>>> pseudonym("PRS-0000001", key) == pseudonym("PRS-0000001", key)
True
>>> pseudonym("PRS-0000001", key) == pseudonym("PRS-0000001", b"another key, another release")
False
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .. import standard
from ..errors import HtcdsLearnError

# --- roles ----------------------------------------------------------------------------------

# The roles are metadata of the standard (standard.privacy_role); they are named here too
# because every sharing step reads them.
DIRECT = standard.DIRECT_IDENTIFIER
QUASI = standard.QUASI_IDENTIFIER
SENSITIVE = standard.SENSITIVE
FREE_TEXT = standard.FREE_TEXT
OTHER = standard.OTHER_ROLE


def role(field_name: str) -> str:
    """The privacy role of a field (see :func:`htcds_learn.standard.privacy_role`).

    >>> role("prs_MobilePhone"), role("prs_Gender"), role("vic_TypeOfExploitation")
    ('direct identifier', 'quasi-identifier', 'sensitive')
    """
    return standard.privacy_role(field_name)


def roles_table() -> pd.DataFrame:
    """Every field with its privacy role, for reading in a lesson."""
    return pd.DataFrame([{"field": f.name, "label": f.label, "section": f.section,
                          "role": role(f.name)} for f in standard.fields(include_deprecated=True)])


# --- consent ----------------------------------------------------------------------------

CONSENT_CHECKLIST: tuple[tuple[str, str], ...] = (
    ("consent-or-assent", "The person consents (or, for a child, assents) to the interview."),
    ("purpose", "The person was told the purpose of the interview."),
    ("use-of-data", "The person was told how the data will and may be used."),
    ("research-use", "The person was told that non-identifying data may be used for research."),
    ("right-to-access", "The person was told they may ask for their personal data at any time."),
    ("retention", "The person was told how long the data will be kept."),
    ("withdrawal", "The person was told how to withdraw consent."),
)


def with_consent(table: pd.DataFrame) -> pd.Series:
    """True for rows whose ``con_Consent`` is recorded as True; blank or False never counts."""
    if "con_Consent" not in table:
        raise SharingError("The table has no con_Consent column, so nobody's consent is known.",
                           "Join the consent records first; without them nothing is shared.")
    values = table["con_Consent"]
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.fillna(False).astype(bool)
    codes, uniques = pd.factorize(values)
    given = np.array([v is True or (isinstance(v, (bool, np.bool_)) and bool(v))
                      or (not isinstance(v, bool) and str(v).strip() in ("True", "true", "TRUE",
                                                                          "1"))
                      for v in uniques] + [False])
    return pd.Series(given[codes], index=table.index)


# --- minimisation -------------------------------------------------------------------------

@dataclass(frozen=True)
class Purpose:
    name: str
    description: str
    fields: tuple[str, ...]


PURPOSES: dict[str, Purpose] = {p.name: p for p in (
    Purpose("referral", "Refer one person to a service that will support them: the receiving "
            "case worker needs to contact and help the person, nothing about the trafficker.",
            ("prs_FirstName", "prs_SecondName", "prs_Gender", "prs_Birthdate",
             "prs_PrimaryLanguage", "prs_SecondaryLanguage", "prs_MobilePhone",
             "vic_TraffickingStatus", "cas_ReasonForOutgoingReferral",
             "cas_OutgoingReferralDetails", "con_Consent")),
    Purpose("service-statistics", "Count the people an organisation served, by broad group, for "
            "a report: no names, no contact details, no free text.",
            ("prs_Gender", "prs_Birthdate", "prs_Citizenship", "vic_TraffickingStatus",
             "vic_TypeOfExploitation", "cas_Status", "cas_IncomingReferralDate",
             "con_Consent")),
    Purpose("research", "Study patterns of exploitation with an approved research partner, "
            "under a data-sharing agreement.",
            ("prs_Gender", "prs_Birthdate", "prs_Citizenship", "vic_MethodOfRecruitment",
             "vic_MethodsOfControl", "vic_TypeOfExploitation", "vic_ForcedLabourIndustry",
             "vic_TypeOfSexExploitation", "vic_RelationshipToTrafficker",
             "vic_LocationOfExploitation", "cas_IncomingReferralDate", "con_Consent")),
    Purpose("ctdc", "Contribute to a CTDC-style collaborative: the fields of CTDC's public "
            "layout, generalised and k-anonymised before they leave.",
            ("prs_Gender", "prs_Birthdate", "prs_Citizenship", "vic_MethodsOfControl",
             "vic_TypeOfExploitation", "vic_ForcedLabourIndustry", "vic_TypeOfSexExploitation",
             "vic_RelationshipToTrafficker", "vic_LocationOfExploitation",
             "cas_IncomingReferralDate", "con_Consent")),
)}


class SharingError(HtcdsLearnError):
    """A sharing step that would not be safe, or cannot be done as asked."""


def minimise(table: pd.DataFrame, purpose: str) -> pd.DataFrame:
    """Keep only the columns ``purpose`` needs (and the identifiers that join rows).

    >>> import pandas as pd
    >>> t = pd.DataFrame({"case_id": ["C-1"], "prs_FirstName": ["A"], "prs_Gender": ["Feminine"],
    ...                   "con_Consent": [True]})
    >>> list(minimise(t, "service-statistics").columns)
    ['case_id', 'prs_Gender', 'con_Consent']
    """
    if purpose not in PURPOSES:
        raise SharingError(f"'{purpose}' is not a declared purpose.",
                           f"Purposes: {', '.join(PURPOSES)}.")
    keep = {"case_id", "person_id", *PURPOSES[purpose].fields}
    return table[[c for c in table.columns if c in keep]].copy()


# --- scanning free text ----------------------------------------------------------------------

_PATTERNS = {
    "email": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    "phone": re.compile(r"\+?\d[\d ()-]{6,}\d"),
    "id-number": re.compile(r"\b[A-Z]{2,4}-?\d{6,}\b"),
}


def scan_text(table: pd.DataFrame, *, names: Iterable[str] = (),
              columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Find identifiers in free-text columns: e-mails, phone and ID-like numbers, and names.

    ``names`` are the dataset's own person names (first and second names): a comment that
    says "Spoke with Amina today" identifies Amina. One row per match.
    """
    columns = list(columns) if columns is not None else [
        c for c in table.columns if role(c) == FREE_TEXT]
    # Every name counts, short ones too ("An", "Li", "建"): redacting a word too many is
    # safe, missing a name is not.
    name_set = sorted({n.strip() for n in names if isinstance(n, str) and n.strip()}, key=len,
                      reverse=True)
    # Look-arounds, not \b: names in Thai or Devanagari end in combining vowel signs, which
    # are not "word" characters, so \b would never match after them.
    name_pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, name_set)) + r")(?!\w)") \
        if name_set else None
    rows = []
    for column in columns:
        for position, text in enumerate(table[column].tolist()):
            if not isinstance(text, str) or not text:
                continue
            for kind, pattern in _PATTERNS.items():
                rows += [(position, column, kind, m.group(0)) for m in pattern.finditer(text)]
            if name_pattern is not None:
                rows += [(position, column, "name", m.group(0))
                         for m in name_pattern.finditer(text)]
    return pd.DataFrame(rows, columns=["position", "field", "kind", "match"])


def redact(table: pd.DataFrame, found: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` with every match from :func:`scan_text` replaced by [REDACTED]."""
    out = table.copy()
    for (position, column), matches in found.groupby(["position", "field"]):
        text = out[column].iat[position]
        for match in sorted(set(matches["match"]), key=len, reverse=True):
            text = text.replace(match, "[REDACTED]")
        out.iat[position, out.columns.get_loc(column)] = text
    return out


# --- keyed pseudonyms ----------------------------------------------------------------------

MIN_KEY_BYTES = 16


def new_key() -> bytes:
    """A fresh random key (32 bytes). Keep it apart from every file you share."""
    return secrets.token_bytes(32)


def save_key(key: bytes, path: str | Path) -> Path:
    """Write a key to a file only its owner can read, atomically (never beside the data)."""
    from .._util.files import write_text_atomically

    path = Path(path)
    write_text_atomically(path, base64.b64encode(key).decode("ascii") + "\n", mode=0o600)
    os.chmod(path, 0o600)
    return path


def load_key(path: str | Path) -> bytes:
    """Read a key written by :func:`save_key`; refuse keys too short to be secret."""
    path = Path(path)
    try:
        key = base64.b64decode(path.read_text(encoding="ascii").strip(), validate=True)
    except FileNotFoundError:
        raise SharingError(f"{path}: no such key file.",
                           "Make one with htcds-learn share --new-key FILE.") from None
    except (ValueError, UnicodeDecodeError):
        raise SharingError(f"{path}: this is not a key file written by htcds-learn.") from None
    _check_key(key)
    return key


def _check_key(key: bytes) -> None:
    if not isinstance(key, (bytes, bytearray)) or len(key) < MIN_KEY_BYTES:
        raise SharingError(f"The key must be at least {MIN_KEY_BYTES} random bytes.",
                           "Use new_key(); a short or guessable key can be found by trying.")


def _pseudonymiser(key: bytes, prefix: str = "P-"):
    """A function value -> pseudonym for one key (the HMAC key is prepared once)."""
    _check_key(key)
    keyed = hmac.new(bytes(key), digestmod=hashlib.sha256)

    def one(value: object) -> str:
        digest = keyed.copy()
        digest.update(str(value).strip().encode("utf-8"))
        return prefix + digest.hexdigest()[:16]

    return one


def pseudonym(value: str, key: bytes, *, prefix: str = "P-") -> str:
    """A keyed pseudonym: HMAC-SHA256 of the value with the key, shortened to 16 hex digits.

    The same value and key always give the same pseudonym, so releases can be linked by
    whoever holds the key and by nobody else. Without the key, a list of every possible name
    does not help: a bare hash (sha256 of the name) could be reversed that way.
    """
    return _pseudonymiser(key, prefix)(value)


def pseudonymise(table: pd.DataFrame, columns: Sequence[str], key: bytes, *,
                 prefix: str = "P-") -> pd.DataFrame:
    """A copy of ``table`` with ``columns`` replaced by keyed pseudonyms (blanks stay blank)."""
    one = _pseudonymiser(key, prefix)
    out = table.copy()
    for column in columns:
        codes, uniques = pd.factorize(out[column])
        names = np.array([one(v) if str(v) != "" else "" for v in uniques] + [""], dtype=object)
        out[column] = names[codes]  # blanks and missing values stay blank
    return out


# --- generalisation ---------------------------------------------------------------------------

CTDC_AGE_BANDS = ((0, 8, "0--8"), (9, 17, "9--17"), (18, 20, "18--20"), (21, 23, "21--23"),
                  (24, 26, "24--26"), (27, 29, "27--29"), (30, 38, "30--38"),
                  (39, 47, "39--47"), (48, 200, "48+"))


def age_band(ages: Iterable[int]) -> list[str]:
    """CTDC's age bands for ages in years (negative or missing ages give "").

    >>> age_band([7, 17, 18, 45, 63, -1])
    ['0--8', '9--17', '18--20', '39--47', '48+', '']
    """
    values = pd.to_numeric(pd.Series(list(ages), dtype=object), errors="coerce").to_numpy(
        dtype=float)
    lows = np.array([low for low, _, _ in CTDC_AGE_BANDS])
    labels = np.array([label for _, _, label in CTDC_AGE_BANDS] + [""], dtype=object)
    index = np.searchsorted(lows, values, side="right") - 1
    index[~(values >= 0)] = len(CTDC_AGE_BANDS)  # negative or missing (NaN compares False)
    return labels[index].tolist()


def year_of(dates: pd.Series, *, month: bool = False) -> pd.Series:
    """Dates 'YYYY-MM-DD' cut to the year ('2021') or the year and month ('2021-04')."""
    width = 7 if month else 4
    text = dates.fillna("").astype(str)
    return text.where(text.str.match(r"^\d{4}-\d{2}"), "").str[:width]


def lump_rare(values: pd.Series, *, minimum: int, other: str = "Other") -> pd.Series:
    """Categories seen fewer than ``minimum`` times become ``other`` (blanks stay blank)."""
    counts = values.value_counts(dropna=False)
    rare = [v for v in counts[counts < minimum].index if not (isinstance(v, str) and v == "")]
    return values.where(~values.isin(rare), other)


def _m49_name(key: str) -> str:
    words = key.lower().split("_")
    small = {"and", "the", "of"}
    return " ".join(w if w in small and i else w.capitalize() for i, w in enumerate(words))


@lru_cache(maxsize=1)
def un_regions() -> pd.DataFrame:
    """ISO 3166 alpha-2 code -> UN geographical region and sub-region (M49, UN Statistics
    Division), from the CC0 ``countrygroups`` package.

    >>> regions = un_regions().set_index("code")
    >>> regions.loc["NG", "subregion"], regions.loc["NG", "region"]
    ('Western Africa', 'Africa')
    """
    import countrygroups
    import pycountry

    top = countrygroups.UNSTATS_GEOGRAPHICAL_REGIONS
    rows = []

    def walk(group, region: str, name: str) -> None:
        children = [a for a in dir(group) if a.isupper() and not a.startswith("_")]
        in_children = {code for child in children for code in getattr(group, child)}
        for child in children:
            # A region's sub-regions, or an intermediate grouping: descend, but a grouping
            # inside a sub-region (the Channel Islands in Northern Europe) keeps its parent.
            walk(getattr(group, child), region, child if name == region or
                 child.endswith(("AFRICA", "AMERICA", "ASIA", "EUROPE", "CARIBBEAN",
                                 "MELANESIA", "MICRONESIA", "POLYNESIA", "ZEALAND"))
                 else name)
        for alpha3 in group:
            if alpha3 in in_children:
                continue
            country = pycountry.countries.get(alpha_3=alpha3)
            if country is not None:
                rows.append({"code": country.alpha_2, "subregion": _m49_name(name),
                             "region": _m49_name(region)})

    for region in (a for a in dir(top) if a.isupper() and not a.startswith("_")):
        walk(getattr(top, region), region, region)
    return pd.DataFrame(rows).drop_duplicates("code").sort_values("code", ignore_index=True)


def generalise_countries(codes: pd.Series, *, minimum: int, other: str = "Other") -> pd.Series:
    """Countries seen fewer than ``minimum`` times become their UN sub-region, then region,
    then ``other``: each step only as far as needed (blanks stay blank).

    >>> s = pd.Series(["NG"] * 3 + ["GH", "SN", "FR"])
    >>> generalise_countries(s, minimum=2).tolist()
    ['NG', 'NG', 'NG', 'Western Africa', 'Western Africa', 'Other']
    """
    regions = un_regions().set_index("code")
    out = codes.fillna("").astype(str).copy()
    for level in ("subregion", "region"):
        counts = out.value_counts()
        rare = out.isin([v for v in counts[counts < minimum].index if v])
        mapped = out[rare].map(regions[level]) if level == "subregion" else out[rare].map(
            regions.drop_duplicates("subregion").set_index("subregion")["region"])
        out[rare] = mapped.where(mapped.notna(), out[rare])
    return lump_rare(out, minimum=minimum, other=other)


# --- disclosure risk ----------------------------------------------------------------------

def _combine(codes: Sequence[np.ndarray], radices: Sequence[int]) -> np.ndarray:
    """Class ids 0, 1, 2, ... from per-column integer codes (each code below its radix).

    The key is renumbered after each column, so it stays small and exact however many
    columns there are.
    """
    key = np.zeros(len(codes[0]) if len(codes) else 0, dtype=np.int64)
    for column_codes, radix in zip(codes, radices):
        key = pd.factorize(key * radix + column_codes)[0].astype(np.int64)
    return key


def _class_ids(table: pd.DataFrame, columns: Sequence[str]) -> np.ndarray:
    """One integer per row naming its equivalence class (missing values are values too).

    Each column is factorised to small integers and the integers are combined, which is far
    faster than grouping by several text columns.
    """
    factorised = [pd.factorize(table[column], use_na_sentinel=False) for column in columns]
    return _combine([codes for codes, _ in factorised],
                    [len(uniques) + 1 for _, uniques in factorised])


def _distinct_per_class(ids: np.ndarray, values: np.ndarray) -> np.ndarray:
    """For each class id, how many distinct values (integer codes) its rows hold."""
    width = int(values.max(initial=0)) + 1
    pairs = np.unique(ids.astype(np.int64) * width + values)
    return np.bincount(pairs // width, minlength=int(ids.max(initial=-1)) + 1)


def class_sizes(table: pd.DataFrame, quasi_identifiers: Sequence[str]) -> pd.Series:
    """For each row, how many rows share its combination of quasi-identifiers.

    A missing value is a value: pandas' groupby drops missing keys unless told not to, which
    would make classes look bigger than they are.
    """
    if not quasi_identifiers:
        return pd.Series(len(table), index=table.index)
    ids = _class_ids(table, quasi_identifiers)
    sizes = np.bincount(ids) if len(ids) else np.zeros(0, dtype=np.int64)
    return pd.Series(sizes[ids], index=table.index).astype(int)


def _diversity(table: pd.DataFrame, quasi_identifiers: Sequence[str],
               sensitive: str) -> np.ndarray:
    """For each row, how many distinct sensitive values its class holds."""
    ids = _class_ids(table, quasi_identifiers)
    values = pd.factorize(table[sensitive], use_na_sentinel=False)[0]
    return _distinct_per_class(ids, values)[ids]


def k_anonymity(table: pd.DataFrame, quasi_identifiers: Sequence[str]) -> int:
    """The size of the smallest equivalence class (0 for an empty table)."""
    return int(class_sizes(table, quasi_identifiers).min()) if len(table) else 0


def l_diversity(table: pd.DataFrame, quasi_identifiers: Sequence[str], sensitive: str) -> int:
    """The smallest number of distinct sensitive values in any equivalence class."""
    if not len(table):
        return 0
    return int(_diversity(table, quasi_identifiers, sensitive).min())


def k_and_l(table: pd.DataFrame, quasi_identifiers: Sequence[str],
            sensitive: str) -> tuple[int, int]:
    """k-anonymity and l-diversity together, grouping the rows only once."""
    if not len(table):
        return 0, 0
    ids = _class_ids(table, quasi_identifiers)
    values = pd.factorize(table[sensitive], use_na_sentinel=False)[0]
    return int(np.bincount(ids).min()), int(_distinct_per_class(ids, values).min())


def records_at_risk(table: pd.DataFrame, quasi_identifiers: Sequence[str], k: int) -> pd.Series:
    """True for rows in an equivalence class smaller than ``k``."""
    return class_sizes(table, quasi_identifiers) < k


SUPPRESSED = ""


def suppress_to_k(table: pd.DataFrame, quasi_identifiers: Sequence[str], k: int, *,
                  sensitive: str | None = None, l: int = 1,  # noqa: E741 - the usual name
                  ) -> tuple[pd.DataFrame, dict[str, int]]:
    """Local suppression until every class has at least ``k`` rows (and ``l`` sensitive values).

    Rows in classes that are too small lose, together, the quasi-identifier whose blanking
    leaves the fewest rows at risk (set to blank, which is then one value like any other);
    when no quasi-identifier is left to blank, the remaining rows are removed. Returns the
    new table and a log: how many values were blanked per column, and how many rows were
    removed. (The columns are worked on as integer codes, so each trial is cheap.)
    """
    out = table.copy()
    quasi = list(quasi_identifiers)
    log: dict[str, int] = {column: 0 for column in quasi}
    codes: dict[str, np.ndarray] = {}
    blank_code: dict[str, int] = {}
    radix: dict[str, int] = {}  # larger than any code of the column, blank included
    for column in quasi:
        column_codes, uniques = pd.factorize(out[column], use_na_sentinel=False)
        codes[column] = column_codes.astype(np.int64)
        found = np.flatnonzero(np.asarray(uniques, dtype=object) == SUPPRESSED)
        blank_code[column] = int(found[0]) if len(found) else len(uniques)
        radix[column] = len(uniques) + 1
    sensitive_codes = (pd.factorize(out[sensitive], use_na_sentinel=False)[0]
                       if sensitive is not None and l > 1 else None)

    def at_risk_now() -> np.ndarray:
        ids = _combine([codes[c] for c in quasi], [radix[c] for c in quasi])
        risky = np.bincount(ids)[ids] < k if len(ids) else np.zeros(0, dtype=bool)
        if sensitive_codes is not None and len(ids):
            risky |= _distinct_per_class(ids, sensitive_codes)[ids] < l
        return risky

    blanked: set[str] = set()
    at_risk = at_risk_now()
    while at_risk.any() and len(blanked) < len(quasi):
        best = None
        for column in (c for c in quasi if c not in blanked):
            saved = codes[column].copy()
            codes[column][at_risk] = blank_code[column]
            left = int(at_risk_now().sum())
            codes[column] = saved
            if best is None or left < best[0]:
                best = (left, column)
        column = best[1]
        changed = at_risk & (codes[column] != blank_code[column])
        codes[column][at_risk] = blank_code[column]
        out.loc[changed, column] = SUPPRESSED
        log[column] += int(changed.sum())
        blanked.add(column)
        at_risk = at_risk_now()
    log["rows removed"] = int(at_risk.sum())
    return out[~at_risk].copy(), log


# --- small cells in aggregate tables -------------------------------------------------------

def exposed_cells(hidden: np.ndarray) -> list[tuple[int, int]]:
    """The hidden cells that the row and column totals still determine exactly.

    Hidden cells are edges of a graph between rows and columns; the totals fix a cell's value
    exactly when its edge lies on no cycle (a bridge), and leave it free otherwise.

    >>> exposed_cells(np.array([[True, True], [False, False]]))
    [(0, 0), (0, 1)]
    >>> exposed_cells(np.array([[True, True], [True, True]]))
    []
    """
    cells = [tuple(int(i) for i in cell) for cell in np.argwhere(hidden)]
    n_rows = hidden.shape[0]
    neighbours: dict[int, list[tuple[int, int]]] = {}
    for index, (row, column) in enumerate(cells):
        neighbours.setdefault(row, []).append((n_rows + column, index))
        neighbours.setdefault(n_rows + column, []).append((row, index))
    exposed = []
    for index, (row, column) in enumerate(cells):
        seen, frontier = {row}, [row]
        while frontier and n_rows + column not in seen:
            node = frontier.pop()
            for other, edge in neighbours[node]:
                if edge != index and other not in seen:
                    seen.add(other)
                    frontier.append(other)
        if n_rows + column not in seen:
            exposed.append((row, column))
    return exposed


def suppress_small_cells(counts: pd.DataFrame, *, threshold: int = 11,
                         round_to: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hide counts from 1 to ``threshold - 1``, and enough others that none can be worked out.

    Returns the published table (hidden cells as NaN; row and column totals of the true
    counts, rounded to ``round_to`` if given) and a mask of which cells were hidden and why
    ("primary" or "secondary"). Secondary suppression: while a row or a column has exactly one
    hidden cell, the smallest visible non-zero cell beside it is hidden too, because a single
    hidden cell equals its total minus the visible ones. Then an audit (:func:`exposed_cells`)
    hides more cells until the totals determine no primary cell exactly.
    """
    values = counts.to_numpy(dtype=float)
    reason = np.where((values > 0) & (values < threshold), "primary", "").astype("<U9")
    changed = True
    while changed:
        changed = False
        for axis in (0, 1):
            lines = reason if axis == 1 else reason.T
            data = values if axis == 1 else values.T
            for i in range(lines.shape[0]):
                hidden = lines[i] != ""
                if hidden.sum() == 1:
                    visible = np.flatnonzero(~hidden)
                    if not len(visible):
                        continue
                    positive = visible[data[i, visible] > 0]
                    pool = positive if len(positive) else visible
                    choice = pool[np.argmin(data[i, pool])]
                    lines[i, choice] = "secondary"
                    changed = True
    # Audit: the rule above can leave a cell that the totals still fix (hidden zeros whose
    # sum the totals force to 0, say). Hide one more cell beside each exposed one until none is.
    while exposed := [cell for cell in exposed_cells(reason != "") if reason[cell] == "primary"]:
        row, column = exposed[0]
        visible = reason == ""
        beside = np.zeros_like(visible)
        beside[row, :] = beside[:, column] = True
        pool = np.argwhere(visible & beside) if (visible & beside).any() else np.argwhere(visible)
        if not len(pool):
            break  # everything is hidden already; nothing more can be done
        positive = pool[values[tuple(pool.T)] > 0]
        pool = positive if len(positive) else pool
        choice = tuple(pool[np.argmin(values[tuple(pool.T)])])
        reason[choice] = "secondary"
    published = counts.astype(float).mask(reason != "")
    row_totals = counts.sum(axis=1).astype(float)
    column_totals = counts.sum(axis=0).astype(float)
    if round_to:
        def rounded(x: pd.Series) -> pd.Series:
            return (x / round_to).round() * round_to

        published = published.apply(rounded)
        row_totals, column_totals = rounded(row_totals), rounded(column_totals)
    published["Total"] = row_totals
    published.loc["Total"] = [*column_totals.tolist(), float(counts.to_numpy().sum())
                              if not round_to else float(round(counts.to_numpy().sum()
                                                               / round_to) * round_to)]
    mask = pd.DataFrame(reason, index=counts.index, columns=counts.columns)
    return published, mask


__all__ = [
    "CONSENT_CHECKLIST", "CTDC_AGE_BANDS", "DIRECT", "FREE_TEXT", "PURPOSES", "QUASI",
    "SENSITIVE", "SharingError", "age_band", "class_sizes", "k_anonymity", "l_diversity",
    "load_key", "lump_rare", "minimise", "new_key", "pseudonym", "pseudonymise",
    "k_and_l", "records_at_risk", "redact", "role", "roles_table", "save_key", "scan_text",
    "suppress_small_cells", "suppress_to_k", "exposed_cells", "with_consent", "year_of",
    "share", "to_ctdc",
    "ReleaseReport", "DSA_CHECKLIST", "generalise_countries", "un_regions",
]


# --- the sharing pipeline -------------------------------------------------------------------

DEFAULT_QUASI_IDENTIFIERS = ("gender", "ageBroad", "citizenship", "CountryOfExploitation",
                             "yearOfRegistration")
DSA_CHECKLIST = (
    "The purpose is written down, and the recipient will use the data for nothing else.",
    "The recipient will not try to re-identify anyone, nor link the data with other data.",
    "The recipient keeps the data secure and lets only named people see it.",
    "The data is deleted (or returned) at an agreed date.",
    "The recipient will not pass the data on without written permission.",
    "Published figures follow the same small-cell rule (no count below the threshold).",
    "A breach is reported to the sharing organisation within an agreed time.",
)


@dataclass
class ReleaseReport:
    """What a sharing step did, and what risk is left: to read before anything leaves."""

    purpose: str
    rows_in: int
    rows_without_consent: int
    rows_suppressed: int
    rows_out: int
    removed_columns: list[str]
    generalised: dict[str, str]
    blanked: dict[str, int]
    quasi_identifiers: list[str]
    k_requested: int
    k_achieved: int
    sensitive: str | None
    l_requested: int
    l_achieved: int
    pseudonymised: bool
    residual_risks: list[str]

    def to_markdown(self) -> str:
        lines = [
            f"# Release report: {self.purpose}", "",
            PURPOSES[self.purpose].description, "",
            "## What happened to the records", "",
            f"- Records in: {self.rows_in:,}",
            f"- Removed because consent was not recorded as given: {self.rows_without_consent:,}",
            f"- Removed to reach k = {self.k_requested}"
            + (f" and l = {self.l_requested}" if self.l_requested > 1 else "")
            + f": {self.rows_suppressed:,}",
            f"- Records out: {self.rows_out:,} "
            f"({self.rows_out / self.rows_in:.0%} kept)" if self.rows_in else "- Records out: 0",
            "", "## What was removed, generalised and blanked", "",
            f"- Columns removed: {', '.join(self.removed_columns) or 'none'}",
        ]
        lines += [f"- {target}: {how}" for target, how in self.generalised.items()]
        lines += [f"- {column}: {count:,} values blanked (local suppression)"
                  for column, count in self.blanked.items() if count]
        lines += [
            "", "## Disclosure risk", "",
            f"- Quasi-identifiers: {', '.join(self.quasi_identifiers)}",
            f"- k-anonymity: {self.k_achieved} (asked for {self.k_requested})",
        ]
        if self.sensitive:
            lines.append(f"- l-diversity of {self.sensitive}: {self.l_achieved} "
                         f"(asked for {self.l_requested})")
        lines.append("- Identifiers: " + ("replaced by keyed pseudonyms (the key is not in this "
                                          "release)" if self.pseudonymised else "removed"))
        lines += ["", "## Residual risks", ""] + [f"- {risk}" for risk in self.residual_risks]
        lines += ["", "## Before sending: the data-sharing agreement", ""]
        lines += [f"- [ ] {item}" for item in DSA_CHECKLIST]
        return "\n".join(lines) + "\n"

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def _country_of(text: object) -> str:
    value = str(text or "").strip()
    match = re.search(r"(?:, |-)([A-Z]{2})(?:-\d+)?$", value)
    if match:
        return match.group(1)
    return value if re.fullmatch(r"[A-Z]{2}", value) else ""


def share(core: pd.DataFrame, *, purpose: str = "ctdc",
          quasi_identifiers: Sequence[str] | None = None, k: int = 11,
          sensitive: str | None = "vic_TypeOfExploitation", l: int = 1,  # noqa: E741
          key: bytes | None = None) -> tuple[pd.DataFrame, ReleaseReport]:
    """Prepare a Core table for sharing: consent, minimise, generalise, k-anonymise, check.

    Records without recorded consent never leave. Direct identifiers never leave: names,
    contact details, birth dates and addresses are removed, and the case and person
    identifiers are replaced by keyed pseudonyms (``key``) or removed. Ages become CTDC's
    bands, dates become years, countries seen fewer than ``k`` times become "Other", and
    local suppression makes every class of quasi-identifiers at least ``k`` rows (with ``l``
    distinct values of ``sensitive``). The result is checked before it is returned: if any
    check fails, :class:`SharingError` is raised and nothing is returned.
    """
    from .._util.dates import age_in_years

    if purpose not in PURPOSES:
        raise SharingError(f"'{purpose}' is not a declared purpose.",
                           f"Purposes: {', '.join(PURPOSES)}.")
    if k < 1 or l < 1:
        raise SharingError("k and l must be 1 or more.", "CTDC uses k = 11.")
    consented = with_consent(core)
    kept = core[consented]
    minimal = minimise(kept, purpose)
    out = pd.DataFrame(index=minimal.index)
    generalised: dict[str, str] = {}
    if "prs_Gender" in minimal:
        out["gender"] = minimal["prs_Gender"].fillna("")
    if "prs_Birthdate" in minimal and "cas_IncomingReferralDate" in kept:
        ages = age_in_years(kept["prs_Birthdate"], kept["cas_IncomingReferralDate"])
        out["ageBroad"] = age_band(ages)
        generalised["ageBroad"] = "birth date -> age at registration -> CTDC age band"
    if "prs_Citizenship" in minimal:
        first = minimal["prs_Citizenship"].fillna("").astype(str).str.split(";").str[0]
        out["citizenship"] = generalise_countries(first, minimum=k)
        generalised["citizenship"] = (f"first citizenship; countries seen < {k} times -> UN "
                                      "sub-region, then region, then Other")
    if "vic_LocationOfExploitation" in minimal:
        codes, uniques = pd.factorize(minimal["vic_LocationOfExploitation"])
        country = pd.Series(np.array([_country_of(u) for u in uniques] + [""],
                                     dtype=object)[codes], index=minimal.index)
        out["CountryOfExploitation"] = generalise_countries(country, minimum=k)
        generalised["CountryOfExploitation"] = (f"place -> country; countries seen < {k} "
                                                "times -> UN sub-region, region, Other")
    if "cas_IncomingReferralDate" in minimal:
        out["yearOfRegistration"] = year_of(minimal["cas_IncomingReferralDate"])
        generalised["yearOfRegistration"] = "incoming referral date -> year"
    for column in minimal.columns:
        if role(column) == SENSITIVE and column != "con_Consent":
            out[column] = minimal[column].fillna("")
    if key is not None:
        one = _pseudonymiser(key)
        out.insert(0, "pseudonym", [one(f"{c}|{p}") for c, p in
                                    zip(kept["case_id"], kept["person_id"])])
    if quasi_identifiers is None:  # the usual ones that this purpose's release has
        quasi_identifiers = [q for q in DEFAULT_QUASI_IDENTIFIERS if q in out]
    quasi = [q for q in quasi_identifiers if q in out]
    missing = [q for q in quasi_identifiers if q not in out]
    if missing:
        raise SharingError(f"The purpose '{purpose}' gives no column {', '.join(missing)}.",
                           f"Quasi-identifiers available: {', '.join(quasi)}.")
    if sensitive is not None and sensitive not in out:
        raise SharingError(f"'{sensitive}' is not in the release for '{purpose}'.")
    safe, log = suppress_to_k(out, quasi, k, sensitive=sensitive, l=l)
    safe = safe.reset_index(drop=True)
    removed = sorted(set(core.columns) - set(PURPOSES[purpose].fields) - {"case_id",
                                                                          "person_id"})
    removed += sorted(c for c in minimal.columns if role(c) in (DIRECT, FREE_TEXT))
    if key is None:
        removed += [c for c in ("case_id", "person_id") if c in core]
    report = ReleaseReport(
        purpose=purpose, rows_in=len(core), rows_without_consent=int((~consented).sum()),
        rows_suppressed=log.pop("rows removed"), rows_out=len(safe),
        removed_columns=sorted(set(removed)), generalised=generalised, blanked=log,
        quasi_identifiers=quasi, k_requested=k, k_achieved=k_anonymity(safe, quasi),
        sensitive=sensitive, l_requested=l,
        l_achieved=l_diversity(safe, quasi, sensitive) if sensitive else 0,
        pseudonymised=key is not None,
        residual_risks=[
            "Quasi-identifiers not listed above can still single someone out when combined "
            "with what a reader already knows (the mosaic effect).",
            "Small groups stay visible in aggregate tables: apply small-cell suppression to "
            "every published count.",
            "Sensitive values are shared as they are: a whole class with one value discloses "
            "it (check l-diversity)." if not sensitive or l < 2 else
            f"l = {l} limits, but does not remove, what can be inferred about a class.",
        ],
    )
    _check_release(core, safe, report)
    return safe, report


def _check_release(core: pd.DataFrame, safe: pd.DataFrame, report: ReleaseReport) -> None:
    """The release's own checks. Any failure stops it: nothing half-safe is returned."""
    problems = []
    if not report.rows_out:
        problems.append("no record is left to share")
    if report.rows_out and report.k_achieved < report.k_requested:
        problems.append(f"k is {report.k_achieved}, below {report.k_requested}")
    if report.rows_out and report.sensitive and report.l_achieved < report.l_requested:
        problems.append(f"l is {report.l_achieved}, below {report.l_requested}")
    direct = [c for c in safe.columns if role(c) == DIRECT]
    if direct:
        problems.append(f"direct identifiers in the output: {', '.join(direct)}")
    shared_values = pd.Series(pd.unique(pd.concat(
        [safe[c] for c in safe.columns if safe[c].dtype == object] or [pd.Series([], dtype=object)]
    ).to_numpy()), dtype=object)
    shared_values = shared_values[shared_values.astype(str).str.len() >= 4]
    leaked = set()
    for column in ("prs_FirstName", "prs_SecondName", "prs_Email", "prs_MobilePhone",
                   "prs_HomePhone", "prs_IdentityNumber", "case_id", "person_id"):
        if column in core:
            leaked |= set(shared_values[shared_values.isin(core[column])])
    if leaked:
        problems.append(f"{len(leaked)} identifying values still in the output")
    if problems:
        raise SharingError("The release failed its own checks: " + "; ".join(problems) + ".",
                           "Nothing was written. Generalise more, or raise k only as far as "
                           "the data allows.")


CTDC_MEANS = {  # HTCDS picklist value -> CTDC's meansOfControl column (defect D1)
    "DebtBondage": "meansOfControlDebtBondage", "TakesEarnings": "meansOfControlTakesEarnings",
    "RestrictsFinancialAccess": "meansOfControlRestrictsFinancialAccess",
    "PhysicalThreats": "meansOfControlThreats",
    "PsychologicalAbuse": "meansOfControlPsychologicalAbuse",
    "PhysicalAbuse": "meansOfControlPhysicalAbuse", "SexualAbuse": "meansOfControlSexualAbuse",
    "FalsePromises": "meansOfControlFalsePromises",
    "PsychoactiveSubstance": "meansOfControlPsychoactiveSubstances",
    "RestrictsMedicalCare": "meansOfControlRestrictsMedicalCare",
    "ExcessiveWorkingHours": "meansOfControlExcessiveWorkingHours",
    "ThreatensChildrenFamily": "meansOfControlUsesChildren",
    "ThreatsLawEnforcement": "meansOfControlThreatOfLawEnforcement",
    "WithholdsNecessities": "meansOfControlWithholdsNecessities",
    "WithholdsDocuments": "meansOfControlWithholdsDocuments", "Other": "meansOfControlOther",
}
CTDC_GENDER = {"Feminine": "Woman", "Masculine": "Man", "TransgenderFeminine":
               "Trans/Transgender/NonConforming", "TransgenderMasculine":
               "Trans/Transgender/NonConforming", "NonConforming":
               "Trans/Transgender/NonConforming", "NonSpecifiedUnknown": ""}


def to_ctdc(safe: pd.DataFrame) -> pd.DataFrame:
    """A shared table in CTDC's public column layout (flags are 1 or blank, as CTDC writes).

    HTCDS has no RestrictsMovement value (defect D1), so that CTDC column stays blank.
    """
    out = pd.DataFrame(index=safe.index)
    out["yearOfRegistration"] = safe.get("yearOfRegistration", "")
    out["gender"] = safe.get("gender", pd.Series("", index=safe.index)).map(
        lambda g: CTDC_GENDER.get(g, g))
    out["ageBroad"] = safe.get("ageBroad", "")
    out["citizenship"] = safe.get("citizenship", "")
    methods = safe.get("vic_MethodsOfControl", pd.Series("", index=safe.index)).fillna("")
    for value, column in CTDC_MEANS.items():
        out[column] = methods.map(lambda m, v=value: "1" if v in m.split(";") else "")
    out["meansOfControlRestrictsMovement"] = ""
    types = safe.get("vic_TypeOfExploitation", pd.Series("", index=safe.index)).fillna("")
    chosen = types.map(lambda t: set(t.split(";")) - {""})
    out["isForcedLabour"] = chosen.map(lambda t: "1" if "ForcedLabour" in t else "")
    out["isSexualExploit"] = chosen.map(lambda t: "1" if "SexualExploitation" in t else "")
    out["isOtherExploit"] = chosen.map(
        lambda t: "1" if t - {"ForcedLabour", "SexualExploitation"} else "")
    out["CountryOfExploitation"] = safe.get("CountryOfExploitation", "")
    return out.reset_index(drop=True)
