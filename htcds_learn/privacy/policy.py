"""Purposes as complete release policies: one object each, a named sequence of steps.

A purpose says what leaves, for whom, against which adversaries, and how: the fields it may
read, the columns or tables it releases, which columns are sensitive, k and l, and the steps
that make the release. The command line offers exactly the purposes registered here; a new
purpose is one new :class:`Purpose` passed to :func:`register`.

>>> sorted(PURPOSES)
['ctdc', 'referral', 'research', 'service-statistics']
>>> PURPOSES["research"].steps[:3]
('consent', 'minimise', 'derive columns')
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import columns as c
from .consent import CONSENT, REFERRAL_CONSENT
from .errors import refuse
from .threats import BY_ID, Adversary

RECORDS, TABLES, REFERRAL = "records", "tables", "referral"


@dataclass(frozen=True)
class Purpose:
    """One release policy (see the module docstring)."""

    name: str
    kind: str  # RECORDS, TABLES or REFERRAL
    description: str
    recipient: str  # who typically receives it
    protects_against: tuple[str, ...]  # adversary ids, see threats.py
    defences: tuple[str, ...]  # how, in plain words, for the report and docs/threat-model.md
    fields: tuple[str, ...]  # the only input fields it reads
    steps: tuple[str, ...]  # names of steps in steps.STEPS, run in order
    columns: tuple[c.ReleaseColumn, ...] = ()  # what a record-level release carries
    tables: tuple[tuple[str, str], ...] = ()  # (rows, columns) of each aggregate table
    k: int = 11
    l: int = 1  # noqa: E741 - the usual name
    layout: str = "htcds"  # or "ctdc"
    recode: bool = True  # coarsen whole columns before blanking single values

    @property
    def adversaries(self) -> tuple[Adversary, ...]:
        return tuple(BY_ID[a] for a in self.protects_against)

    def known_columns(self, released: list[str]) -> dict[str, list[str]]:
        """For each adversary: the released columns they can know (quasi-identifiers)."""
        kinds = {col.name: col.kind for col in self.columns}
        pairs = [(name, kinds.get(name, "")) for name in released]
        return {a.id: a.known(pairs) for a in self.adversaries}


PURPOSES: dict[str, Purpose] = {}


def register(purpose: Purpose) -> Purpose:
    """Add a purpose to the registry (the command line reads it)."""
    PURPOSES[purpose.name] = purpose
    return purpose


def get(name: str) -> Purpose:
    """The purpose called ``name``, or a clear refusal listing the ones there are."""
    if name not in PURPOSES:
        raise refuse("privacy.unknown_purpose", purpose=name, purposes=", ".join(PURPOSES))
    return PURPOSES[name]


def minimise(table: pd.DataFrame, purpose: str) -> pd.DataFrame:
    """Keep only the columns ``purpose`` reads (and the identifiers that join rows).

    >>> t = pd.DataFrame({"case_id": ["C-1"], "prs_FirstName": ["A"], "prs_Gender": ["Feminine"],
    ...                   "con_Consent": [True]})
    >>> list(minimise(t, "service-statistics").columns)
    ['case_id', 'prs_Gender', 'con_Consent']
    """
    keep = {"case_id", "person_id", *get(purpose).fields}
    return table[[col for col in table.columns if col in keep]].copy()


_PUBLIC_COLUMNS = (c.GENDER, c.AGE, c.CITIZENSHIP, c.EXPLOITATION_COUNTRY, c.YEAR)


def _fields(*columns: c.ReleaseColumn) -> tuple[str, ...]:
    return tuple(dict.fromkeys([CONSENT] + [s for col in columns for s in col.sources]))


register(Purpose(
    "referral", REFERRAL,
    "Refer people to one named partner that will support them: the partner's case worker "
    "needs to contact and help each person, and nothing about the trafficker.",
    "one named partner organisation, under a referral agreement",
    (),
    ("Only people who agreed to this referral, only those referred to this partner, and only "
     "the fields the partner needs to contact and help them.",
     "No pseudonyms and no k: the partner must know who the person is. The protection is "
     "consent, minimisation and one named recipient; send the packet through a secure "
     "channel, never by ordinary e-mail.",
     "The release report records what went to whom; the ledger keeps that record."),
    (CONSENT, REFERRAL_CONSENT, "prs_FirstName", "prs_SecondName", "prs_Gender",
     "prs_PrimaryLanguage", "prs_SecondaryLanguage", "prs_MobilePhone",
     "cas_ReferredOrganisation", "cas_ReasonForOutgoingReferral", "cas_OutgoingReferralDate"),
    ("consent to refer", "select the recipient's cases", "minimise", "order rows",
     "check the referral"),
    k=1,
))
register(Purpose(
    "service-statistics", TABLES,
    "Count the people an organisation served, by broad group, for a report or a donor: "
    "tables only, never a row about a person.",
    "a donor, a ministry, a public report",
    ("public", "perpetrator", "partner"),
    ("Tables of counts only: no row describes a person, so no row can be found.",
     "Counts and totals from 1 to k - 1 are hidden, and more cells until a linear-programming "
     "attacker cannot narrow any hidden small count to less than k.",
     "Each table crosses two broad characteristics only (age band, gender, year, region, main "
     "type of exploitation).",
     "The ledger refuses a new release whose difference from an earlier one to the same "
     "recipient changes a visible count by fewer than k people."),
    _fields(c.GENDER, c.AGE, c.CITIZENSHIP, c.YEAR, c.EXPLOITATION_MAIN),
    ("consent", "minimise", "derive columns", "make tables", "check the ledger",
     "check the tables"),
    columns=(c.GENDER, c.AGE, c.CITIZENSHIP, c.YEAR, c.EXPLOITATION_MAIN),
    tables=(("ageBroad", "gender"), ("yearOfRegistration", "exploitation"),
            ("citizenship", "gender")),
))
register(Purpose(
    "research", RECORDS,
    "Study patterns of recruitment, control and exploitation with an approved research "
    "partner, under a data-sharing agreement.",
    "an approved research partner, under a data-sharing agreement",
    ("public", "perpetrator", "partner"),
    ("Every released column is one the perpetrator knows, so k is counted over every column "
     "of the file: knowing how he recruited and controlled her, where and when, he still finds "
     "at least k rows.",
     "Against the public (who knows demographics, dates and places), how a person was "
     "recruited, controlled and exploited is sensitive: l is measured on canonical values, "
     "per member for multi-selects.",
     "Picklist columns leave only as picklist members; anything else is blanked and counted.",
     "Rows are sorted by their content, so row order says nothing; pseudonyms (if any) are "
     "salted per release; the ledger refuses a release whose difference from an earlier one "
     "to the same recipient isolates fewer than k people."),
    _fields(*_PUBLIC_COLUMNS, c.EXPLOITATION_TYPE, c.RECRUITMENT_METHOD, c.CONTROL_METHODS),
    ("consent", "minimise", "derive columns", "recode rare values", "suppress to k and l",
     "order rows", "pseudonyms", "check the ledger", "check the release"),
    columns=(*_PUBLIC_COLUMNS, c.EXPLOITATION_TYPE, c.RECRUITMENT_METHOD, c.CONTROL_METHODS),
    l=2,
))
register(Purpose(
    "ctdc", RECORDS,
    "Contribute to a CTDC-style collaborative: CTDC's public layout, k-anonymised with "
    "k = 11 on the final file, every flag counted.",
    "the Counter Trafficking Data Collaborative (CTDC) or a similar collaborative",
    ("public", "perpetrator", "partner"),
    ("k is measured on the final CTDC file over every column, the 17 means-of-control and 3 "
     "exploitation flags included, as CTDC itself publishes with k = 11.",
     "Values that would single a person out are blanked (CTDC reads a blank as 'not "
     "recorded'); rows are sorted by content; no pseudonyms.",
     "The ledger refuses a release whose difference from an earlier one isolates fewer than "
     "k people."),
    _fields(*_PUBLIC_COLUMNS, c.EXPLOITATION_TYPE_ALL, c.CONTROL_METHODS_ALL),
    ("consent", "minimise", "derive columns", "suppress to k and l", "CTDC layout",
     "order rows", "check the ledger", "check the release"),
    columns=(*_PUBLIC_COLUMNS, c.EXPLOITATION_TYPE_ALL, c.CONTROL_METHODS_ALL),
    layout="ctdc", recode=False,
))


def threat_model_markdown() -> str:
    """docs/threat-model.md: the adversaries, and how each purpose protects against them."""
    from .threats import ADVERSARIES

    lines = [
        "# Threat model: who might look for a person in what we share",
        "",
        "<!-- Generated by scripts/build_docs.py from htcds_learn/privacy/threats.py and "
        "policy.py: edit there. -->",
        "",
        "Before survivor data leaves an organisation, ask: who could try to find a person in "
        "it, and what do they already know? htcds-learn makes every release against the "
        "three adversaries below. What an adversary knows decides which released columns are "
        "quasi-identifiers for them (counted in k); a column they do not know is sensitive "
        "for them (measured by l). Every release report repeats this for its own columns.",
        "",
        "## The adversaries",
        "",
    ]
    for adversary in ADVERSARIES:
        lines += [f"### {adversary.name}", "", adversary.description, "",
                  f"*For example:* {adversary.example}", "",
                  f"Knows: {', '.join(sorted(adversary.knows))}.", ""]
    lines += ["## How each purpose protects", ""]
    for purpose in PURPOSES.values():
        against = ", ".join(BY_ID[a].name.lower() for a in purpose.protects_against) or \
            "no statistical adversary (identifiable by design)"
        lines += [f"### `{purpose.name}`", "", purpose.description, "",
                  f"- For: {purpose.recipient}.",
                  f"- Protects against: {against}.",
                  "- Steps: " + " → ".join(purpose.steps) + "."]
        lines += [f"- {d}" for d in purpose.defences]
        if purpose.columns:
            lines.append("- Columns: " + ", ".join(f"`{c.name}` ({c.kind})"
                                                   for c in purpose.columns) + ".")
        lines.append("")
    lines += [
        "## What this model does not cover",
        "",
        "- Someone who knows more than the model assumes (a relative who knows the case "
        "worker, a journalist with another source) may still recognise a person.",
        "- Records shared outside these tools (a spreadsheet e-mailed by hand).",
        "- A stolen key or ledger: keep them like the case files themselves.",
        "",
    ]
    return "\n".join(lines)
