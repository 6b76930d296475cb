"""Rules about dates: plausible, and in the order events happen."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from ...messages import Message
from ...standard import annotations as notes
from ...standard.kinds import Date
from ..context import CaseSet, FastTable, ReferenceTable
from ..finding import Finding
from ..registry import Change, FlawSite, Rule, flaw, register
from ..report import label_of


def _range_hint(column: str, today: date) -> Message:
    return Message("rule.date-out-of-range.between", {
        "earliest": notes.earliest_date(column).isoformat(), "today": today.isoformat()})


@register
class DateOutOfRange(Rule):
    """A date in the future, or before the field's earliest plausible date."""

    code = "date-out-of-range"
    examples = ([{"prs_Birthdate": "2031-05-01"}], [{"cas_IncomingReferralDate": "1985-01-01"}])

    def fast(self, table: FastTable) -> Iterable[Finding]:
        today = table.today.toordinal()
        for column in table.fields():
            if column.field is not None and column.field.kind == "date":
                days = column.checked_dates
                earliest = notes.earliest_date(column.name).toordinal()
                wrong = (days >= 0) & ((days < earliest) | (days > today))
                yield from column.findings(wrong, self.code,
                                           _range_hint(column.name, table.today))

    def reference(self, table: ReferenceTable) -> Iterable[Finding]:
        for record in table.records:
            for column, value in record.cells.items():
                f = record.field(column)
                if f is None or f.kind != "date":
                    continue
                day = Date.parse(value)
                if day is not None and not (
                        notes.earliest_date(column) <= day <= table.today):
                    yield Finding(self.code, column, value, record.position,
                                  _range_hint(column, table.today))

    @staticmethod
    @flaw("impossible-date")
    def impossible_date(site: FlawSite) -> Change | None:
        if site.has("prs_Birthdate") and site.cell("prs_Birthdate"):
            year = int(site.rng.integers(2031, 2060))
            return site.put("prs_Birthdate", f"{year}{site.cell('prs_Birthdate')[4:]}")
        return None


def _order_hint(earlier: str, value: str) -> Message:
    return Message("rule.date-order.after", {"label": label_of(earlier), "value": value})


@register
class DateOrder(Rule):
    """Dates in the wrong order: birth, then referral in, then referral out (within a record,
    as ``standard/notes.py`` says), and across a case: birth, events, referral in."""

    code = "date-order"
    examples = ([{"prs_Birthdate": "2020-05-01", "cas_IncomingReferralDate": "2019-01-01"}],)

    def fast(self, table: FastTable) -> Iterable[Finding]:
        for earlier, later in notes.date_order():
            if earlier not in table or later not in table:
                continue
            a, b = table.column(earlier).dates, table.column(later).dates
            for position in ((a >= 0) & (b >= 0) & (b < a)).nonzero()[0].tolist():
                yield Finding(self.code, later, table.cell(later, position), position,
                              _order_hint(earlier, table.cell(earlier, position)))

    def reference(self, table: ReferenceTable) -> Iterable[Finding]:
        pairs = [(a, b) for a, b in notes.date_order() if a in table and b in table]
        for record in table.records:
            for earlier, later in pairs:
                first, second = Date.parse(record.cells[earlier]), \
                    Date.parse(record.cells[later])
                if first is not None and second is not None and second < first:
                    yield Finding(self.code, later, record.cells[later], record.position,
                                  _order_hint(earlier, record.cells[earlier]))

    def cases(self, cases: CaseSet) -> Iterable[Finding]:
        for number, case_id, document in cases.cases():
            yield from self._timeline(document, number, case_id)

    def _timeline(self, document: dict[str, Any], number: int, case_id: str
                  ) -> Iterable[Finding]:
        """Birth, then trafficking events, then the incoming referral: in that order."""
        def day(value: Any) -> int:
            parsed = Date.parse(value) if isinstance(value, str) else None
            return -1 if parsed is None else parsed.toordinal()

        births = {p.get("person_id"): p.get("prs_Birthdate", "")
                  for p in document.get("people", []) if isinstance(p, dict)}
        incoming = [r.get("cas_IncomingReferralDate", "") for r in document.get("referrals", [])
                    if isinstance(r, dict) and r.get("direction") == "incoming"]
        referral = incoming[0] if incoming else ""
        for event in document.get("events", []):
            if not isinstance(event, dict):
                continue
            when, born = event.get("hte_Date", ""), births.get(event.get("person_id"), "")
            for earlier, first, later, second in (
                    ("prs_Birthdate", born, "hte_Date", when),
                    ("hte_Date", when, "cas_IncomingReferralDate", referral)):
                if day(first) >= 0 and day(second) >= 0 and day(second) < day(first):
                    yield Finding(self.code, later, second, hint=_order_hint(earlier, first),
                                  row=number, record=case_id, unit="case")

    @staticmethod
    @flaw("reversed-dates")
    def reversed_dates(site: FlawSite) -> Change | None:
        if site.has("prs_Birthdate", "cas_IncomingReferralDate") and \
                site.cell("prs_Birthdate") and site.cell("cas_IncomingReferralDate"):
            born = date.fromisoformat(site.cell("prs_Birthdate"))
            before = date.fromordinal(born.toordinal() - int(site.rng.integers(30, 3000)))
            if before.year >= 1990:
                return site.put("cas_IncomingReferralDate", before.isoformat())
        return None
