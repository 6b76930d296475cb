"""Make realistic dirty data from clean synthetic records, and keep the answer key.

Real spreadsheets arrive with typos, labels instead of value names, blanks, impossible dates
and stray spaces. :func:`inject_flaws` puts such problems into a copy of a table, at most one
per row, and returns the ground truth of what it changed, so a trainee's checks or cleaning
can be scored by precision and recall.

>>> import htcds_learn as hl
>>> dirty, truth = inject_flaws(hl.generate_core(200, seed=1), rate=0.1, seed=3)
>>> len(truth) > 0, set(truth.columns) >= {"row", "field", "kind", "original", "injected"}
(True, True)
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from .. import standard
from .._util.frames import as_text

KINDS = {
    # kind: the rule a validator should report (empty: no rule can see it)
    "picklist-typo": "not-allowed-value",
    "label-instead-of-name": "label-not-name",
    "missing-core": "missing-core",
    "missing-consent": "missing-consent",
    "impossible-date": "date-out-of-range",
    "invalid-date": "bad-date",
    "reversed-dates": "date-order",
    "malformed-phone": "bad-phone",
    "duplicate-case": "duplicate-id",
    "swapped-names": "",
    "wrong-country-code": "bad-country",
    "stray-spaces": "stray-spaces",
    "excel-date-serial": "excel-date-serial",
}
PICKLISTS = ("prs_Gender", "cas_Status", "vic_TraffickingStatus",
             "vic_TraffickingStatusDecisionMakingOrg", "vic_MethodOfRecruitment",
             "cas_ReasonForIncomingReferral")
REQUIRED_TEXT = ("prs_FirstName", "prs_SecondName", "prs_Birthdate", "prs_Gender",
                 "prs_Citizenship", "prs_MailingCity", "prs_MailingCountry",
                 "vic_TraffickingStatus", "vic_MethodOfRecruitment", "cas_Status",
                 "cas_IncomingReferralDate")
TEXT = ("prs_FirstName", "prs_SecondName", "prs_MailingCity", "prs_MailingStreet")
EXCEL_EPOCH = date(1899, 12, 30).toordinal()


def _typo(value: str, rng: np.random.Generator) -> str:
    """Drop or double one letter inside the word, as a hurried typist does."""
    i = int(rng.integers(1, max(len(value) - 1, 2)))
    return value[:i] + value[i + 1:] if rng.random() < 0.6 else value[:i] + value[i] + value[i:]


def inject_flaws(table: pd.DataFrame, rate: float = 0.05, kinds: list[str] | None = None,
                 seed: int = 0, *, header_rows: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A copy of ``table`` with flaws in about ``rate`` of its rows, and the ground truth.

    ``kinds`` chooses among :data:`KINDS` (default: all that the table's columns allow). The
    truth has one row per flaw: the spreadsheet ``row``, ``field``, ``kind``, the ``original``
    and ``injected`` values, and the ``rule`` a validator should report. The input is never
    modified.
    """

    if not 0 <= rate <= 1:
        raise ValueError(f"rate must be from 0 to 1, not {rate}")
    chosen = list(KINDS) if kinds is None else list(kinds)
    unknown = [k for k in chosen if k not in KINDS]
    if unknown:
        raise ValueError(f"Unknown flaw kinds: {unknown}. Kinds: {', '.join(KINDS)}.")
    rng = np.random.default_rng([seed, 7])
    dirty = as_text(table, renumber=True).copy()  # a deep copy: the input stays as it was
    columns = set(dirty.columns)
    truth = []
    flawed_rows = np.flatnonzero(rng.random(len(dirty)) < rate)
    for position in flawed_rows.tolist():
        for kind in rng.permutation(chosen).tolist():
            change = _apply(kind, dirty, position, columns, rng)
            if change:
                field, original, injected = change
                truth.append({"row": position + header_rows + 1, "field": field,
                              "kind": kind, "original": original, "injected": injected,
                              "rule": KINDS[kind]})
                break
    return dirty, pd.DataFrame(truth, columns=["row", "field", "kind", "original",
                                               "injected", "rule"])


def _apply(kind: str, dirty: pd.DataFrame, i: int, columns: set[str],
           rng: np.random.Generator) -> tuple[str, str, str] | None:
    """Make one flaw of ``kind`` in row ``i``, if the row allows it."""

    def cell(column: str) -> str:
        return dirty.at[i, column]

    def put(column: str, value: str) -> tuple[str, str, str]:
        original = cell(column)
        dirty.at[i, column] = value
        return column, original, value

    if kind == "picklist-typo":
        options = [c for c in PICKLISTS if c in columns and len(cell(c)) > 3]
        if options:
            column = options[int(rng.integers(len(options)))]
            field = standard.field(column)
            for _ in range(5):
                value = _typo(cell(column), rng)
                folded = value.casefold()
                if all(folded not in (v.name.casefold(), v.label.casefold())
                       for v in field.values):
                    return put(column, value)
    elif kind == "label-instead-of-name":
        options = [c for c in PICKLISTS if c in columns and cell(c)
                   and standard.value_label(c, cell(c)).casefold() != cell(c).casefold()]
        if options:
            column = options[int(rng.integers(len(options)))]
            return put(column, standard.value_label(column, cell(column)))
    elif kind == "missing-core":
        options = [c for c in REQUIRED_TEXT if c in columns and cell(c)]
        if options:
            return put(options[int(rng.integers(len(options)))], "")
    elif kind == "missing-consent":
        if "con_Consent" in columns and cell("con_Consent"):
            return put("con_Consent", "")
    elif kind == "impossible-date":
        if "prs_Birthdate" in columns and cell("prs_Birthdate"):
            year = int(rng.integers(2031, 2060))
            return put("prs_Birthdate", f"{year}{cell('prs_Birthdate')[4:]}")
    elif kind == "invalid-date":
        options = [c for c in ("prs_Birthdate", "cas_IncomingReferralDate")
                   if c in columns and cell(c)]
        if options:
            column = options[int(rng.integers(len(options)))]
            y, m, d = cell(column).split("-")
            value = f"{d}/{m}/{y}" if rng.random() < 0.5 else f"{y}-02-30"
            return put(column, value)
    elif kind == "reversed-dates":
        if {"prs_Birthdate", "cas_IncomingReferralDate"} <= columns and \
                cell("prs_Birthdate") and cell("cas_IncomingReferralDate"):
            born = date.fromisoformat(cell("prs_Birthdate"))
            before = date.fromordinal(born.toordinal() - int(rng.integers(30, 3000)))
            if before.year >= 1990:
                return put("cas_IncomingReferralDate", before.isoformat())
    elif kind == "malformed-phone":
        if "prs_MobilePhone" in columns and cell("prs_MobilePhone").startswith("+"):
            number = cell("prs_MobilePhone")
            value = ("0" + number[-9:] if rng.random() < 0.5
                     else f"{number[:4]} {number[4:7]} {number[7:]}")
            return put("prs_MobilePhone", value)
    elif kind == "duplicate-case":
        if i > 0 and "case_id" in columns:
            original = cell("case_id")
            dirty.loc[i] = dirty.loc[i - 1].to_numpy()
            return "case_id", original, cell("case_id")
    elif kind == "swapped-names":
        if {"prs_FirstName", "prs_SecondName"} <= columns and cell("prs_FirstName") and \
                cell("prs_SecondName") and cell("prs_FirstName") != cell("prs_SecondName"):
            first, second = cell("prs_FirstName"), cell("prs_SecondName")
            dirty.at[i, "prs_FirstName"], dirty.at[i, "prs_SecondName"] = second, first
            return "prs_FirstName", first, second
    elif kind == "wrong-country-code":
        options = [c for c in ("prs_MailingCountry", "prs_Citizenship")
                   if c in columns and len(cell(c)) == 2]
        if options:
            import pycountry

            column = options[int(rng.integers(len(options)))]
            country = pycountry.countries.get(alpha_2=cell(column))
            wrong = {"GB": "UK"}.get(cell(column)) or (
                country.alpha_3 if rng.random() < 0.5 else country.name)
            return put(column, wrong)
    elif kind == "stray-spaces":
        options = [c for c in TEXT if c in columns and cell(c)]
        if options:
            column = options[int(rng.integers(len(options)))]
            return put(column, f" {cell(column)}  ")
    elif kind == "excel-date-serial":
        options = [c for c in ("prs_Birthdate", "cas_IncomingReferralDate")
                   if c in columns and cell(c)]
        if options:
            column = options[int(rng.integers(len(options)))]
            serial = date.fromisoformat(cell(column)).toordinal() - EXCEL_EPOCH
            return put(column, str(serial))
    return None


def score(found: pd.DataFrame, truth: pd.DataFrame) -> dict[str, float]:
    """Precision and recall of found problems against the truth, by (row, field).

    Only flaws a validator can see count towards recall (``rule`` not empty).

    >>> truth = pd.DataFrame({"row": [2, 5], "field": ["prs_Gender", "case_id"],
    ...                       "rule": ["not-allowed-value", "duplicate-id"]})
    >>> found = pd.DataFrame({"row": [2, 9], "field": ["prs_Gender", "cas_Status"]})
    >>> score(found, truth)
    {'precision': 0.5, 'recall': 0.5, 'found': 2, 'true': 2}
    """
    visible = truth[truth["rule"] != ""]
    expected = set(zip(visible["row"], visible["field"]))
    got = set(zip(found["row"], found["field"]))
    hits = len(expected & got)
    return {"precision": hits / len(got) if got else 1.0,
            "recall": hits / len(expected) if expected else 1.0,
            "found": len(got), "true": len(expected)}
