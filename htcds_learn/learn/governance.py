"""Governance for lessons 05, 08 and 09: templates to fill in, breach steps, consent roles.

The texts live in ``htcds_learn/data/governance.json``; this module shows them in a notebook
and gives blank forms to fill in.

>>> dsa = document_template("dsa")
>>> dsa.title, len(dsa.sections)
('Data-sharing agreement', 13)
>>> sorted(dsa.blank())[:3]
['access_security', 'breach', 'data']
>>> missing_sections("dpia", {"processing": "Counts by year go to the donor."})[:2]
['necessity', 'risks_individuals']
>>> [step.title for step in BREACH_STEPS]
['Contain', 'Assess', 'Notify', 'Document', 'Learn']
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .._util.frames import cell_text

TEXTS = json.loads((Path(__file__).resolve().parents[1] / "data" / "governance.json")
                   .read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    ask: str


@dataclass(frozen=True)
class Template:
    """A document to fill in (a data-sharing agreement, a DPIA): its sections, in order."""

    id: str
    title: str
    source: str
    sections: tuple[Section, ...]

    def blank(self) -> dict[str, str]:
        """A form to fill in: one empty answer per section, keyed by the section's id."""
        return {section.id: "" for section in self.sections}

    def _repr_markdown_(self) -> str:
        lines = [f"**{self.title}**", "", "| Section (key) | What to write |", "|---|---|"]
        lines += [f"| {s.title} (`{s.id}`) | {s.ask} |" for s in self.sections]
        return "\n".join(lines + ["", f"*Source: {self.source}*"])

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><td><b>{html.escape(s.title)}</b><br><code>{s.id}</code></td>"
                       f"<td>{html.escape(s.ask)}</td></tr>" for s in self.sections)
        return (f"<p><b>{html.escape(self.title)}</b></p><table><tr><th>Section (key)</th>"
                f"<th>What to write</th></tr>{rows}</table>"
                f"<p><i>Source: {html.escape(self.source)}</i></p>")


def _sections(raw: list[Mapping[str, str]]) -> tuple[Section, ...]:
    return tuple(Section(item["id"], item["title"], item["ask"]) for item in raw)


TEMPLATES: dict[str, Template] = {
    key: Template(key, raw["title"], raw["source"], _sections(raw["sections"]))
    for key, raw in TEXTS["templates"].items()
}
BREACH_STEPS: tuple[Section, ...] = _sections(TEXTS["breach_steps"])


LEVELS = {1: "low", 2: "medium", 3: "high"}


def worked_dpia_risks() -> pd.DataFrame:
    """The risks of lesson 08's worked DPIA: how likely and how severe, before and after.

    >>> worked_dpia_risks().loc[0, ["for", "likely before", "likely after"]].tolist()
    ['individual', 'high', 'low']
    """
    rows = TEXTS["worked_dpia_risks"]
    return pd.DataFrame({
        "risk": [r["risk"] for r in rows], "for": [r["for"] for r in rows],
        "likely before": [LEVELS[r["likelihood"]] for r in rows],
        "severity": [LEVELS[r["severity"]] for r in rows],
        "mitigation": [r["mitigation"] for r in rows],
        "likely after": [LEVELS[r["likelihood_after"]] for r in rows],
        "severity after": [LEVELS[r["severity_after"]] for r in rows],
    })


def breach_steps() -> pd.DataFrame:
    """The five steps of breach response, in order, with what each asks of you."""
    return pd.DataFrame({"step": [s.title for s in BREACH_STEPS],
                         "what you do": [s.ask for s in BREACH_STEPS]},
                        index=pd.RangeIndex(1, len(BREACH_STEPS) + 1, name="order"))


def document_template(name: str) -> Template:
    """The template called ``name``: ``"dsa"`` (data-sharing agreement) or ``"dpia"``."""
    try:
        return TEMPLATES[name]
    except KeyError:
        raise KeyError(f"There is no template {name!r}: use one of "
                       f"{', '.join(sorted(TEMPLATES))}.") from None


def missing_sections(name: str, filled: Mapping[str, object]) -> list[str]:
    """The sections of a filled-in template that are still empty (in template order)."""
    return [s.id for s in document_template(name).sections
            if not str(filled.get(s.id) or "").strip()]


def consent_roles(consents: pd.DataFrame) -> pd.DataFrame:
    """Who gave consent, and whether the child also agreed: one row per role, in words.

    ``consents`` is the course data model's consents table (``consent_given_by``,
    ``child_assent``). A blank assent means the person was an adult, so no assent applies.

    >>> table = pd.DataFrame({"consent_given_by": ["Self", "ParentOrGuardian",
    ...                                            "ParentOrGuardian"],
    ...                       "child_assent": [None, True, False]})
    >>> consent_roles(table).to_dict("index")["ParentOrGuardian"]
    {'people': 2, 'child agreed too': 1, 'child did not agree': 1}
    """
    words = {"True": "child agreed too", "False": "child did not agree"}
    assent = consents["child_assent"].astype(object).map(lambda v: words.get(cell_text(v), ""))
    frame = pd.DataFrame({"role": consents["consent_given_by"].fillna("(not recorded)"),
                          "assent": assent})
    table = pd.crosstab(frame["role"], frame["assent"])
    for column in ("child agreed too", "child did not agree"):
        if column not in table:
            table[column] = 0
    table.insert(0, "people", table.sum(axis=1))
    table = table[["people", "child agreed too", "child did not agree"]].astype(int)
    table.index.name = "consent given by"
    table.columns.name = None
    return table


def donor_counts(core: pd.DataFrame, *, threshold: int = 11) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What a donor may receive: people supported by year and age group, small counts hidden.

    Only people whose consent is recorded are counted. Counts from 1 to ``threshold - 1`` are
    hidden, and so is each cell from which the totals would give a hidden count away
    (:func:`htcds_learn.privacy.suppress_small_cells`). Returns the table as a person reads it
    (whole numbers, ``hidden`` where a count is hidden) and the mask of what was hidden and why.

    >>> from htcds_learn.synth import course_dataset
    >>> table, why = donor_counts(course_dataset()["core"])
    >>> table.loc["child", "2015"], why.loc["child", "2015"], table.loc["Total", "Total"]
    ('hidden', 'primary', '472')
    """
    from .._util.dates import age_in_years
    from ..privacy import suppress_small_cells, with_consent

    people = core[with_consent(core)]
    dates = people["cas_IncomingReferralDate"]
    ages = pd.Series(age_in_years(people["prs_Birthdate"], dates), index=people.index)
    counts = pd.crosstab((ages < 18).map({True: "child", False: "adult"}).rename("age group"),
                         dates.astype(str).str[:4].rename("year"))
    published, hidden = suppress_small_cells(counts, threshold=threshold)
    readable = published.map(lambda v: "hidden" if v != v else str(int(v)))
    readable.index.name, readable.columns.name = "age group", "year"
    return readable, hidden
