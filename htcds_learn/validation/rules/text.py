"""Rules about text: not longer than the field holds, no stray spaces."""

from __future__ import annotations

from collections.abc import Iterable

from ...standard import Field
from ...standard import annotations as notes
from ..context import FastTable, ReferenceTable
from ..finding import Finding
from ..registry import Change, FlawSite, Rule, flaw, register


@register
class TextTooLong(Rule):
    """Text longer than its kind holds (255 characters for Text, as in Salesforce)."""

    code = "text-too-long"
    examples = ([{"prs_MailingCity": "x" * 300}], [{"prs_Email": "a@b.org" + "x" * 300}])

    def fast(self, table: FastTable) -> Iterable[Finding]:
        for column in table.fields():
            assert column.field is not None
            limit = column.field.value_kind.max_length
            if limit is None:
                continue
            lengths = column.checked_lengths
            where = column.where
            for position in column.rows(lengths > limit):
                length = lengths[position if where is None else where[position]]
                yield Finding(self.code, column.name, int(length), position)

    def reference(self, table: ReferenceTable) -> Iterable[Finding]:
        for record in table.records:
            for column, keyword, value in record.schema_errors:
                if keyword == "maxLength":
                    yield Finding(self.code, column, len(value), record.position)


@register
class StraySpaces(Rule):
    """Spaces before or after a value (where the value check does not already see them)."""

    code = "stray-spaces"
    severity = "warning"
    fixable = True
    examples = ([{"prs_MailingCity": " Lagos "}], [{"cco_CaseComment": "Seen  today. "}])

    def fast(self, table: FastTable) -> Iterable[Finding]:
        for column in table.fields():
            assert column.field is not None
            if column.field.value_kind.spaces_matter:
                yield from column.findings(column.checked_padded, self.code)

    def reference(self, table: ReferenceTable) -> Iterable[Finding]:
        for record in table.records:
            for column, value in record.cells.items():
                f = record.field(column)
                if f is not None and f.value_kind.spaces_matter and \
                        not record.blank(column) and value != value.strip():
                    yield Finding(self.code, column, value, record.position)

    def fix(self, field: Field | None, cell: str, value: str) -> str | None:
        return cell.strip() if field is None else field.value_kind.trim(cell)

    @staticmethod
    @flaw("stray-spaces")
    def add_spaces(site: FlawSite) -> Change | None:
        options = [c for c in notes.FLAW_FIELDS["text"]
                   if c in site.columns and site.cell(c)]
        if options:
            column = site.choose(options)
            return site.put(column, f" {site.cell(column)}  ")
        return None
