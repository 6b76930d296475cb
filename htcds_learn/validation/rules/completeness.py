"""Rules about blanks: consent must be recorded, Core fields filled in where they apply.

Completeness is checked only in tables of survivors (tables with ``vic_`` fields), and only
where a field applies: ``standard/notes.py`` says which Core fields may rightly stay
blank, which are needed only with another field's value, and which belong to one direction
of a referral.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np

from ...standard import annotations as notes
from ..context import FastTable, Record, ReferenceTable
from ..finding import Finding
from ..registry import Change, FlawSite, Rule, flaw, register

CONSENT = "con_Consent"


@register
class MissingConsent(Rule):
    """Consent left blank: nobody may assume the person agreed."""

    code = "missing-consent"
    examples = ([{CONSENT: ""}],)

    def fast(self, table: FastTable) -> Iterable[Finding]:
        if CONSENT in table:
            for position in np.flatnonzero(table.column(CONSENT).blank).tolist():
                yield Finding(self.code, CONSENT, "", position)

    def reference(self, table: ReferenceTable) -> Iterable[Finding]:
        if CONSENT in table:
            for record in table.records:
                if record.blank(CONSENT):
                    yield Finding(self.code, CONSENT, "", record.position)

    @staticmethod
    @flaw("missing-consent")
    def blank_consent(site: FlawSite) -> Change | None:
        if site.has(CONSENT) and site.cell(CONSENT):
            return site.put(CONSENT, "")
        return None


def _needed_fields(columns: Iterable[str], table: FastTable | ReferenceTable) -> list[str]:
    """The Core fields (active) of the table that are needed in every row."""
    out = []
    for column in columns:
        f = table.known.get(column)
        if f is not None and f.core and f.active and not notes.may_be_blank(column):
            out.append(column)
    return out


def _dependent_fields(table: FastTable | ReferenceTable) -> list[tuple[str, str, str]]:
    """(field, other field, value): Core fields needed when the other field holds the value."""
    out = []
    for column in table.columns:
        f = table.known.get(column)
        only_with = notes.annotation(column).only_with
        if f is not None and f.core and f.active and only_with and only_with[0] in table:
            out.append((column, *only_with))
    return out


@register
class MissingCore(Rule):
    """A Core field left blank where it applies."""

    code = "missing-core"
    severity = "warning"
    examples = ([{"vic_TraffickingStatus": "", "prs_Gender": "Feminine"}],
                [{"vic_TypeOfExploitation": "ForcedLabour", "vic_ForcedLabourIndustry": ""}],
                [{"vic_TraffickingStatus": "PossibleVictimOfTrafficking",
                  "cas_ReferredOrganisation": "ORG-1", "cas_OutgoingReferralDate": ""}])

    def fast(self, table: FastTable) -> Iterator[Finding]:
        if not table.survivors:
            return
        for column in _needed_fields(table.columns, table):
            yield from self._blank(table, column, np.ones(len(table), dtype=bool))
        for column, other, value in _dependent_fields(table):
            source = table.column(other)
            has = np.array([value in items for items in source.item_sets], dtype=bool)
            yield from self._blank(table, column, source.per_row(has))
        direction = table.text["direction"].to_numpy() if "direction" in table else None
        incoming = [c for c in notes.referral_fields("incoming") if c in table]
        if incoming:
            applies = np.ones(len(table), dtype=bool) if direction is None \
                else direction != "outgoing"
            for column in incoming:
                yield from self._blank(table, column, applies)
        outgoing = [c for c in notes.referral_fields("outgoing") if c in table]
        if outgoing:
            applies = ~np.logical_and.reduce([table.column(c).blank for c in outgoing])
            status, referred = notes.REFERRED_OUT
            if status in table:
                source = table.column(status)
                applies |= source.per_row(source.checked == referred)
            if direction is not None:
                applies = direction == "outgoing"
            for column in outgoing:
                yield from self._blank(table, column, applies)

    def _blank(self, table: FastTable, column: str, applies: np.ndarray) -> Iterator[Finding]:
        for position in np.flatnonzero(applies & table.column(column).blank).tolist():
            yield Finding(self.code, column, "", position)

    def reference(self, table: ReferenceTable) -> Iterator[Finding]:
        if not table.survivors:
            return
        needed = _needed_fields(table.columns, table)
        dependent = _dependent_fields(table)
        incoming = [c for c in notes.referral_fields("incoming") if c in table]
        outgoing = [c for c in notes.referral_fields("outgoing") if c in table]
        for record in table.records:
            blank = [c for c in needed if record.blank(c)]
            blank += [c for c, other, value in dependent
                      if record.blank(c) and value in record.items(other)]
            blank += [c for c in incoming
                      if record.blank(c) and record.cells.get("direction") != "outgoing"]
            if outgoing and self._referred_out(record, outgoing):
                blank += [c for c in outgoing if record.blank(c)]
            for column in blank:
                yield Finding(self.code, column, "", record.position)

    @staticmethod
    def _referred_out(record: Record, outgoing: list[str]) -> bool:
        """Does this record describe an outgoing referral?"""
        direction = record.cells.get("direction")
        if direction is not None:
            return direction == "outgoing"
        status, referred = notes.REFERRED_OUT
        return any(not record.blank(c) for c in outgoing) or record.cells.get(status) == referred

    @staticmethod
    @flaw("missing-core")
    def blank_core_field(site: FlawSite) -> Change | None:
        options = [c for c in notes.FLAW_FIELDS["required"]
                   if c in site.columns and site.cell(c)]
        if options:
            return site.put(site.choose(options), "")
        return None
