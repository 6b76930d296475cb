"""Make realistic dirty data from clean synthetic records, and keep the answer key.

Real spreadsheets arrive with typos, labels instead of value names, blanks, impossible dates
and stray spaces. :func:`inject_flaws` puts such problems into a copy of a table, at most one
per row, and returns the ground truth of what it changed, so a trainee's checks or cleaning
can be scored by precision and recall. Each flaw is made by an injector that lives beside the
rule that should find it (``validation/rules/``).

>>> import htcds_learn as hl
>>> dirty, truth = inject_flaws(hl.generate_core(200, seed=1), rate=0.1, seed=3)
>>> len(truth) > 0, set(truth.columns) >= {"row", "field", "kind", "original", "injected"}
(True, True)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._util.frames import as_text
from ..errors import ChoiceError
from . import rules  # noqa: F401  (its modules register the flaws beside their rules)
from .registry import FLAWS, Change, Flaw, FlawSite, flaw, register_flaw

# The order in which a flawed row tries the kinds is drawn from this list, so the order is
# part of what a seed means: changing it changes every dirty table made with that seed.
ORDER = ("picklist-typo", "label-instead-of-name", "missing-core", "missing-consent",
         "impossible-date", "invalid-date", "reversed-dates", "malformed-phone",
         "duplicate-case", "swapped-names", "wrong-country-code", "stray-spaces",
         "excel-date-serial", "repeated-record", "same-person-again")


@flaw("swapped-names")
def swapped_names(site: FlawSite) -> Change | None:
    """First and second names swapped: a real mistake that no rule can see."""
    if site.has("prs_FirstName", "prs_SecondName") and site.cell("prs_FirstName") and \
            site.cell("prs_SecondName") and \
            site.cell("prs_FirstName") != site.cell("prs_SecondName"):
        first, second = site.cell("prs_FirstName"), site.cell("prs_SecondName")
        site.dirty.at[site.position, "prs_FirstName"] = second
        site.dirty.at[site.position, "prs_SecondName"] = first
        return "prs_FirstName", first, second
    return None


register_flaw(Flaw("swapped-names", "", swapped_names))

# kind: the rule a validator should report (empty: no rule can see it)
KINDS: dict[str, str] = {kind: FLAWS[kind].rule for kind in ORDER}


def inject_flaws(table: pd.DataFrame, rate: float = 0.05, kinds: list[str] | None = None,
                 seed: int = 0, *, header_rows: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A copy of ``table`` with flaws in about ``rate`` of its rows, and the ground truth.

    ``kinds`` chooses among :data:`KINDS` (default: all that the table's columns allow). The
    truth has one row per flaw: the spreadsheet ``row``, ``field``, ``kind``, the ``original``
    and ``injected`` values, and the ``rule`` a validator should report. The input is never
    modified. A duplicate (``repeated-record``, ``same-person-again``) names in ``pair`` the
    row it was made from (0 for other flaws); a validator should report both rows.
    """
    if not 0 <= rate <= 1:
        raise ChoiceError.from_catalogue("flaws.rate", rate=rate)
    chosen = list(KINDS) if kinds is None else list(kinds)
    unknown = [k for k in chosen if k not in KINDS]
    if unknown:
        raise ChoiceError.from_catalogue("flaws.unknown-kinds", kinds=unknown,
                                         choices=", ".join(KINDS))
    rng = np.random.default_rng([seed, 7])
    dirty = as_text(table, renumber=True).copy()  # a deep copy: the input stays as it was
    columns = set(dirty.columns)
    truth = []
    flawed_rows = np.flatnonzero(rng.random(len(dirty)) < rate)
    for position in flawed_rows.tolist():
        site = FlawSite(dirty, position, columns, rng)
        for kind in rng.permutation(chosen).tolist():
            change = FLAWS[kind].inject(site)
            if change:
                field, original, injected = change
                truth.append({"row": position + header_rows + 1, "field": field,
                              "kind": kind, "original": original, "injected": injected,
                              "rule": KINDS[kind],
                              "pair": 0 if site.partner is None
                              else site.partner + header_rows + 1})
                break
    return dirty, pd.DataFrame(truth, columns=["row", "field", "kind", "original",
                                               "injected", "rule", "pair"])


def score(found: pd.DataFrame, truth: pd.DataFrame) -> dict[str, float]:
    """Precision and recall of found problems against the truth, by (row, field).

    Only flaws a validator can see count towards recall (``rule`` not empty). A duplicate
    is expected on both of its rows (``row`` and ``pair``), as validators report pairs.

    >>> truth = pd.DataFrame({"row": [2, 5], "field": ["prs_Gender", "case_id"],
    ...                       "rule": ["not-allowed-value", "duplicate-id"]})
    >>> found = pd.DataFrame({"row": [2, 9], "field": ["prs_Gender", "cas_Status"]})
    >>> score(found, truth)
    {'precision': 0.5, 'recall': 0.5, 'found': 2, 'true': 2}
    """
    visible = truth[truth["rule"] != ""]
    expected = set(zip(visible["row"], visible["field"]))
    if "pair" in visible:
        paired = visible[visible["pair"] > 0]
        expected |= set(zip(paired["pair"], paired["field"]))
    got = set(zip(found["row"], found["field"]))
    hits = len(expected & got)
    return {"precision": hits / len(got) if got else 1.0,
            "recall": hits / len(expected) if expected else 1.0,
            "found": len(got), "true": len(expected)}
