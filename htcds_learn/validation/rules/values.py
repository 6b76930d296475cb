"""Rules about one value: its field's kind says whether it is allowed and what is wrong.

One class serves them all: the kind of each field (``standard/kinds.py``) checks the value and
names the rule it breaks, so a rule here only says which code it answers for. The flaws lessons
make on purpose sit beside the rule that finds them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ...standard import Field, value_label
from ...standard import annotations as notes
from ...standard import field as standard_field
from ...standard.kinds import EXCEL_EPOCH
from ..context import FastTable, ReferenceTable
from ..finding import Finding
from ..registry import Change, FlawSite, Rule, Severity, flaw, register


class ValueRule(Rule):
    """A rule that a field's kind reports about single values (a picklist, a date, ...)."""

    def __init__(self, code: str, severity: Severity, *, fixable: bool = False,
                 safe_fix: bool = False, **kwargs: object) -> None:
        super().__init__(code, severity, fixable=fixable, **kwargs)  # type: ignore[arg-type]
        self.safe_fix = safe_fix

    def fast(self, table: FastTable) -> Iterable[Finding]:
        for column in table.fields():
            assert column.field is not None
            if self.code in column.field.value_kind.rules:
                yield from column.value_findings.get(self.code, ())

    def reference(self, table: ReferenceTable) -> Iterable[Finding]:
        for record in table.records:
            for column, value, (rule, hint, _) in record.value_verdicts:
                if rule == self.code:
                    yield Finding(rule, column, value, record.position, hint)

    def fix(self, field: Field | None, cell: str, value: str) -> str | None:
        return None if field is None else field.value_kind.fix(field, cell, value)

    @property
    def has_fix(self) -> bool:
        return self.safe_fix


def _typo(value: str, site: FlawSite) -> str:
    """Drop or double one letter inside the word, as a hurried typist does."""
    rng = site.rng
    i = int(rng.integers(1, max(len(value) - 1, 2)))
    return value[:i] + value[i + 1:] if rng.random() < 0.6 else value[:i] + value[i] + value[i:]


@flaw("picklist-typo")
def picklist_typo(site: FlawSite) -> Change | None:
    options = [c for c in notes.FLAW_FIELDS["picklist"]
               if c in site.columns and len(site.cell(c)) > 3]
    if options:
        column = site.choose(options)
        f = standard_field(column)
        for _ in range(5):
            value = _typo(site.cell(column), site)
            folded = value.casefold()
            if all(folded not in (v.name.casefold(), v.label.casefold()) for v in f.values):
                return site.put(column, value)
    return None


@flaw("label-instead-of-name")
def label_instead_of_name(site: FlawSite) -> Change | None:
    options = [c for c in notes.FLAW_FIELDS["picklist"] if c in site.columns
               and site.cell(c)
               and value_label(c, site.cell(c)).casefold() != site.cell(c).casefold()]
    if options:
        column = site.choose(options)
        return site.put(column, value_label(column, site.cell(column)))
    return None


def _dates_to_damage(site: FlawSite) -> list[str]:
    return [c for c in notes.FLAW_FIELDS["date"] if c in site.columns and site.cell(c)]


@flaw("invalid-date")
def invalid_date(site: FlawSite) -> Change | None:
    options = _dates_to_damage(site)
    if options:
        column = site.choose(options)
        y, m, d = site.cell(column).split("-")
        value = f"{d}/{m}/{y}" if site.rng.random() < 0.5 else f"{y}-02-30"
        return site.put(column, value)
    return None


@flaw("excel-date-serial")
def excel_date_serial(site: FlawSite) -> Change | None:
    options = _dates_to_damage(site)
    if options:
        column = site.choose(options)
        serial = (date.fromisoformat(site.cell(column)) - EXCEL_EPOCH).days
        return site.put(column, str(serial))
    return None


@flaw("malformed-phone")
def malformed_phone(site: FlawSite) -> Change | None:
    if site.has("prs_MobilePhone") and site.cell("prs_MobilePhone").startswith("+"):
        number = site.cell("prs_MobilePhone")
        value = ("0" + number[-9:] if site.rng.random() < 0.5
                 else f"{number[:4]} {number[4:7]} {number[7:]}")
        return site.put("prs_MobilePhone", value)
    return None


@flaw("wrong-country-code")
def wrong_country_code(site: FlawSite) -> Change | None:
    options = [c for c in notes.FLAW_FIELDS["country"]
               if c in site.columns and len(site.cell(c)) == 2]
    if options:
        import pycountry

        column = site.choose(options)
        country = pycountry.countries.get(alpha_2=site.cell(column))
        assert country is not None  # the column holds a two-letter code of the standard
        wrong = {"GB": "UK"}.get(site.cell(column)) or (
            country.alpha_3 if site.rng.random() < 0.5 else country.name)
        return site.put(column, wrong)
    return None


register(ValueRule("not-allowed-value", "error", flaws=[picklist_typo],
                   examples=[[{"prs_Gender": "Femal"}]]))
register(ValueRule("label-not-name", "error", fixable=True, safe_fix=True,
                   flaws=[label_instead_of_name],
                   examples=[[{"cas_Status": "Follow up"}],
                             [{"vic_MethodsOfControl": "debt bondage;Threats"}]]))
register(ValueRule("bad-boolean", "error", safe_fix=True, examples=[[{"con_Consent": "Yes"}]]))
register(ValueRule("bad-country", "error", safe_fix=True, flaws=[wrong_country_code],
                   examples=[[{"prs_MailingCountry": "Nigeria"}],
                             [{"prs_Citizenship": "NG;UK"}]]))
register(ValueRule("bad-language", "error", examples=[[{"prs_PrimaryLanguage": "English"}]]))
register(ValueRule("bad-phone", "error", flaws=[malformed_phone],
                   examples=[[{"prs_MobilePhone": "0803 123 4567"}]]))
register(ValueRule("bad-email", "warning", examples=[[{"prs_Email": "no-at-sign"}]]))
register(ValueRule("bad-date", "error", flaws=[invalid_date],
                   examples=[[{"prs_Birthdate": "31/12/1999"}], [{"hte_Date": "2001-02-30"}]]))
register(ValueRule("excel-date-serial", "error", fixable=True, safe_fix=True,
                   flaws=[excel_date_serial], examples=[[{"prs_Birthdate": "36525"}]]))
register(ValueRule("not-a-number", "error", examples=[[{"vic_AgeWhenTrafficked": "seven"}]]))
