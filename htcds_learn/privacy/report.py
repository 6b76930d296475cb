"""The release report: what a release did, against whom it protects, and what risk is left.

It goes into every release folder beside the data, and is read before anything leaves. It
names no person: counts, columns and checks only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .policy import REFERRAL, TABLES, Purpose
from .threats import ADVERSARIES

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
    recipient: str
    rows_in: int
    rows_without_consent: int
    rows_suppressed: int
    rows_out: int
    removed_columns: list[str]
    released_columns: list[str]
    generalised: dict[str, str]
    recoded: dict[str, str]
    outside_picklist: dict[str, int]
    blanked: dict[str, int]
    quasi_identifiers: list[str]
    sensitive: list[str]
    known_by: dict[str, list[str]]
    k_requested: int
    k_achieved: int
    l_requested: int
    l_achieved: dict[str, int]
    pseudonyms: str  # none, salted, linkable
    linkable_reason: str
    ledger: str  # none, checked
    steps: list[tuple[str, str]]
    tables: dict[str, int] = field(default_factory=dict)  # name -> hidden counts

    @property
    def policy(self) -> Purpose:
        from .policy import get

        return get(self.purpose)

    @property
    def values_kept(self) -> float:
        """Share of the released cells (rows in x columns) that hold a value, not a blank."""
        cells = self.rows_in_consented * max(len(self.released_columns), 1)
        lost = sum(self.blanked.values()) + self.rows_suppressed * len(self.released_columns)
        return 1 - lost / cells if cells else 0.0

    @property
    def rows_in_consented(self) -> int:
        return self.rows_in - self.rows_without_consent

    def to_markdown(self) -> str:
        policy = self.policy
        lines = [f"# Release report: {self.purpose}", "", policy.description, "",
                 f"- Recipient: {self.recipient or '(not named)'}",
                 "- All records in this release are synthetic training data."
                 if self.synthetic else "- Records: case data of the organisation.", ""]
        lines += ["## Threat model", ""]
        if policy.protects_against:
            names = {a.id: a.name for a in ADVERSARIES}
            for adversary in policy.adversaries:
                known = self.known_by.get(adversary.id, [])
                lines.append(f"- **{adversary.name}**: {adversary.description} Knows in this "
                             f"release: {', '.join(known) or 'nothing'}.")
            lines += ["", "How this release protects against them:", ""]
            lines += [f"- {d}" for d in policy.defences]
            del names
        else:
            lines += [f"- {d}" for d in policy.defences]
        lines += ["", "## What happened, step by step", ""]
        lines += [f"{n}. **{name}**: {what}" for n, (name, what) in enumerate(self.steps, 1)]
        lines += ["", "## Records and columns", "",
                  f"- Records in: {self.rows_in:,}",
                  f"- Left out because consent was not recorded as given: "
                  f"{self.rows_without_consent:,}",
                  f"- Records out: {self.rows_out:,}"]
        if policy.kind not in (REFERRAL, TABLES):
            lines += [f"- Removed to reach k = {self.k_requested}: {self.rows_suppressed:,}",
                      f"- Values kept (not blanked): {self.values_kept:.0%}"]
        lines.append(f"- Released columns: {', '.join(self.released_columns) or 'none'}")
        lines.append(f"- Columns removed: {', '.join(self.removed_columns) or 'none'}")
        lines += [f"- {c}: {how}" for c, how in self.generalised.items()]
        lines += [f"- {c}: coarsened to {how} (too few people shared the finer values)"
                  for c, how in self.recoded.items()]
        lines += [f"- {c}: {n:,} values outside the picklist blanked" for c, n in
                  self.outside_picklist.items()]
        lines += [f"- {c}: {n:,} values blanked (local suppression)" for c, n in
                  self.blanked.items() if n]
        lines += ["", "## Disclosure risk", ""]
        if policy.kind == REFERRAL:
            lines.append("- Identifiable by design: the partner must be able to contact each "
                         "person. No pseudonyms, no k.")
        elif policy.kind == TABLES:
            lines += [f"- Table {name}: {n} counts hidden (small counts and the cells that "
                      "protect them)" for name, n in self.tables.items()]
            lines.append(f"- No count from 1 to {self.k_requested - 1} can be read, or worked "
                         "out from the totals with non-negative counts.")
        else:
            lines += [f"- k-anonymity over every released column: {self.k_achieved} (asked "
                      f"for {self.k_requested})",
                      f"- Quasi-identifiers (columns an adversary can know): "
                      f"{', '.join(self.quasi_identifiers)}"]
            lines += [f"- l-diversity of {c}: {v} (asked for {self.l_requested})"
                      for c, v in self.l_achieved.items()]
            lines.append({"none": "- Identifiers: removed; no pseudonyms.",
                          "salted": "- Pseudonyms: salted for this release only; they link "
                                    "to no other release. The key is not in this release.",
                          "linkable": "- Pseudonyms: the same across releases to this "
                                      f"recipient, because: {self.linkable_reason}"
                          }[self.pseudonyms])
        lines.append("- Earlier releases: " + ("compared in the ledger; no difference isolates "
                                               f"fewer than {self.k_requested} people."
                                               if self.ledger == "checked" else
                                               "no ledger was used; differences between "
                                               "releases were not checked."))
        lines += ["", "## Residual risks", ""] + [f"- {r}" for r in self.residual_risks()]
        lines += ["", "## Before sending: the data-sharing agreement", ""]
        lines += [f"- [ ] {item}" for item in DSA_CHECKLIST]
        return "\n".join(lines) + "\n"

    synthetic: bool = False

    def residual_risks(self) -> list[str]:
        risks = ["Anyone who knows more than the threat model assumes (a relative, a case "
                 "worker) may still recognise a person: share only what the purpose needs."]
        if self.pseudonyms == "linkable":
            risks.append("Linkable pseudonyms let the recipient follow a person across "
                         "releases: what one release hides, another may show.")
        if self.ledger != "checked":
            risks.append("Without the ledger, two overlapping releases to one recipient can be "
                         "subtracted to reveal the people added in between.")
        if self.l_requested > 1:
            risks.append(f"l = {self.l_requested} limits, but does not remove, what can be "
                         "inferred about a group.")
        return risks

    def _repr_markdown_(self) -> str:
        return self.to_markdown()
