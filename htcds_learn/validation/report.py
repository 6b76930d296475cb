"""The validation report: findings located, worded from the message catalogue, and summed up.

This is the edge where findings become sentences. Until here a finding is data
(:class:`~htcds_learn.validation.finding.Finding`); here each one gets its spreadsheet row and
its sentence, in the language of the moment (``htcds_learn.messages``).

>>> describe("not-allowed-value", "Gender", "Femal", "Did you mean 'Feminine'?")
"Gender: 'Femal' is not an HTCDS value. Did you mean 'Feminine'?"
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

import numpy as np
import pandas as pd

from .. import standard
from ..messages import Message, template, text
from .finding import HEADER, Finding
from .registry import RULES

REPORT_COLUMNS = ["record", "row", "field", "rule", "severity", "value", "message", "hint",
                  "fixable"]


def _words(part: Message | str | None) -> str:
    return "" if part is None else str(part)


def describe(code: str, label: str, value: object, hint: Message | str | None = "",
             **params: Any) -> str:
    """The plain-language sentence for one finding (without its row)."""
    shown = repr(value) if isinstance(value, str) else str(value)
    values = {key: _words(v) if isinstance(v, Message) else v for key, v in params.items()}
    sentence = text(f"rule.{code}.template", value=shown, hint=_words(hint), **values)
    return text("finding.field", label=label, sentence=sentence.strip())


def label_of(column: str) -> str:
    """A field's label, or the column's own name when it is not an HTCDS field."""
    f = standard.load().by_name.get(column)
    return f.label if f is not None else column


def render(finding: Finding) -> tuple[str, str]:
    """(message, hint) of a located finding, in the language of the moment."""
    hint = _words(finding.hint) or _words(RULES[finding.rule].hint)
    sentence = describe(finding.rule, label_of(finding.field), finding.value, hint,
                        **finding.params)
    if finding.unit == "case":
        where = "finding.in-table" if finding.table else "finding.in-case"
    else:
        where = "finding.in-row"
    return text(where, row=finding.row, table=finding.table, text=sentence), hint


def frame(findings: Sequence[Finding]) -> pd.DataFrame:
    """The report table of located findings, in their order."""
    rows: list[tuple[Any, ...]] = []
    for finding in findings:
        rule = RULES[finding.rule]
        message, hint = render(finding)
        rows.append((finding.record, finding.row, finding.field, finding.rule, rule.severity,
                     "" if finding.value is None else str(finding.value), message, hint,
                     rule.fixable))
    return pd.DataFrame(rows, columns=REPORT_COLUMNS) if rows \
        else pd.DataFrame(columns=REPORT_COLUMNS)


class _Lenient(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class _Wording:
    """:func:`render` for many findings at once, with the same words: each template is read
    from the catalogue once and filled by ``str.format_map``, and each distinct sentence is
    worded once (a million rows can have 50,000 findings, many saying the same thing about
    a different row). A test compares it with :func:`render`, finding by finding."""

    def __init__(self) -> None:
        self.sentences: dict[tuple[Any, ...], tuple[str, str]] = {}
        self.templates: dict[str, str] = {}
        self.hints: dict[tuple[Any, ...], str] = {}
        self.seen: dict[int, tuple[Message, str]] = {}  # by id(): one hint, many findings
        self.rule_hints: dict[str, str] = {}
        self.labels: dict[str, str] = {}
        self.in_row = template("finding.in-row")
        # (rule, field, value's type, value, the hint object): most findings have no
        # parameters and share their hint object with others (one per distinct bad value).
        self.by_hint_object: dict[tuple[Any, ...], tuple[str, str]] = {}
        self.kept: list[Message | None] = []  # hints keyed by id() stay alive, ids unique

    def words(self, message_id: str, **values: Any) -> str:
        found = self.templates.get(message_id)
        if found is None:
            found = self.templates[message_id] = template(message_id)
        return found.format_map(_Lenient(values))

    def hint(self, hint: Message | str | None) -> str:
        if not isinstance(hint, Message):
            return _words(hint)
        seen = self.seen.get(id(hint))
        if seen is not None and seen[0] is hint:
            return seen[1]
        key = (hint.id, tuple(sorted(hint.values.items())))
        if key not in self.hints:
            self.hints[key] = self.words(hint.id, **hint.values)
        self.seen[id(hint)] = (hint, self.hints[key])  # kept alive: no other hint gets its id
        return self.hints[key]

    def rule_hint(self, code: str) -> str:
        if code not in self.rule_hints:
            self.rule_hints[code] = self.hint(RULES[code].hint)
        return self.rule_hints[code]

    def label(self, column: str) -> str:
        if column not in self.labels:
            self.labels[column] = label_of(column)
        return self.labels[column]

    def render(self, finding: Finding) -> tuple[str, str]:
        """(message, hint) as :func:`render` words them."""
        sentence, hint = self.sentence(finding)
        return self.in_row.format_map(_Lenient(row=finding.row, table=finding.table,
                                                text=sentence)), hint

    def sentence(self, finding: Finding) -> tuple[str, str]:
        """(sentence without the row, hint) of a finding about a row."""
        hint = finding.hint
        if not finding.params and (hint is None or type(hint) is Message):
            quick = (finding.rule, finding.field, type(finding.value), finding.value,
                     id(hint))
            try:
                worded = self.by_hint_object.get(quick)
            except TypeError:  # a value that cannot be a key
                return self._sentence(finding)
            if worded is None:
                worded = self.by_hint_object[quick] = self._fill(finding, {})
                self.kept.append(hint)
            return worded
        return self._sentence(finding)

    def _sentence(self, finding: Finding) -> tuple[str, str]:
        try:
            key = (finding.rule, finding.field, type(finding.value), finding.value,
                   _key(finding.hint), _params_key(finding.params))
            worded = self.sentences.get(key)
        except TypeError:  # a value or parameter that cannot be a key: word it in full
            hint = _words(finding.hint) or _words(RULES[finding.rule].hint)
            return describe(finding.rule, label_of(finding.field), finding.value, hint,
                            **finding.params), hint
        if worded is None:
            worded = self.sentences[key] = self._fill(finding, {
                k: self.hint(v) if isinstance(v, Message) else v
                for k, v in finding.params.items()})
        return worded

    def _fill(self, finding: Finding, values: dict[str, Any]) -> tuple[str, str]:
        """(sentence, hint): :func:`describe`'s words, from templates read once."""
        hint = self.hint(finding.hint) or self.rule_hint(finding.rule)
        value = finding.value
        shown = repr(value) if isinstance(value, str) else str(value)
        sentence = self.words(f"rule.{finding.rule}.template", value=shown, hint=hint,
                              **values)
        return self.words("finding.field", label=self.label(finding.field),
                          sentence=sentence.strip()), hint


def _key(part: Any) -> Any:
    """A hashable stand-in for a hint or a parameter: a message by its id and values."""
    if type(part) is Message:
        return Message, part.id, tuple(sorted(part.values.items())) if part.values else ()
    return part


def _params_key(params: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(sorted((name, _key(value)) for name, value in params.items())) if params \
        else ()


def _located(finding: Finding, row: int, record: str, params: Mapping[str, Any]) -> Finding:
    """``dataclasses.replace(finding, row=..., record=..., params=...)``, without running
    the frozen dataclass's ``__init__`` again (a million-row table has 50,000 findings)."""
    located = object.__new__(Finding)
    located.__dict__.update(finding.__dict__, row=row, record=record, params=params)
    return located


def record_ids(text: pd.DataFrame) -> np.ndarray:
    """The identifier of each row's record (its first identifier column), or ""."""
    for key in ("case_id", "person_id", "referral_id", "event_id", "organisation_id"):
        if key in text:
            return text[key].to_numpy()
    return np.full(len(text), "", dtype=object)


def table_report(found: Iterable[Finding], text: pd.DataFrame, first_row: int
                 ) -> tuple[pd.DataFrame, list[Finding]]:
    """Locate an engine's findings in a table and sort them: by row, then column, rule, value.

    Returns the report table and the located findings in the same order (a finding reported
    twice, for example one bad item written twice in a list, is kept once).
    """
    records = record_ids(text)
    order = {name: i for i, name in enumerate(text.columns)}
    located = []
    rows: list[tuple[Any, ...]] = []
    words = _Wording()
    sentence, in_row = words.sentence, words.in_row.format_map
    rules = {code: (rule.severity, rule.fixable) for code, rule in RULES.items()}
    for finding in found:
        position, params = finding.position, finding.params
        if position == HEADER:
            row, record = first_row - 1, ""
        else:
            row, record = position + first_row, records[position]
        if "other_position" in params:  # a pair: the other row, as a spreadsheet shows it
            params = {**params, "other_row": params["other_position"] + first_row}
        item = _located(finding, row, record, params)
        located.append(item)
        severity, fixable = rules[item.rule]
        if item.unit == "case":
            message, hint = render(item)
        else:
            text_of, hint = sentence(item)
            message = in_row(_Lenient(row=row, table=item.table, text=text_of))
        value = item.value
        rows.append((record, row, item.field, item.rule, severity,
                     "" if value is None else value if type(value) is str else str(value),
                     message, hint, fixable, order.get(item.field, -1), len(rows)))
    table = pd.DataFrame(rows, columns=[*REPORT_COLUMNS, "_order", "_item"])
    table = table.sort_values(["row", "_order", "rule", "value"], kind="stable")
    # A repeat has the same row, field, rule and value: only then compare every column.
    if table.duplicated(subset=["row", "field", "rule", "value"]).any():
        table = table.drop_duplicates(subset=REPORT_COLUMNS)
    items = [located[i] for i in table["_item"].tolist()]
    return table.drop(columns=["_order", "_item"]).reset_index(drop=True), items


@dataclass
class ValidationReport:
    """What a validation found: a tidy table, a summary, and where the data came from.

    ``findings`` is the table people read (one row per finding, worded); ``items`` holds the
    same findings as data, in the same order.
    """

    findings: pd.DataFrame
    records: int
    source: str = ""
    engine: str = "fast"
    columns: list[str] = dataclass_field(default_factory=list)
    first_row: int = 2  # the spreadsheet row of the first record
    items: list[Finding] = dataclass_field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        """True when nothing of severity 'error' was found (warnings are allowed)."""
        return not (self.findings["severity"] == "error").any()

    @property
    def errors(self) -> pd.DataFrame:
        return self.findings[self.findings["severity"] == "error"]

    def summary(self) -> str:
        """A few plain sentences: how many records, how many problems, of which kinds."""
        source = ".in-source" if self.source else ""
        if self.findings.empty:
            return text("report.no-problems" + source, records=f"{self.records:,}",
                        source=self.source)
        counts = self.findings["severity"].value_counts()
        rows = self.findings.loc[self.findings["row"] > 0, "row"].nunique()
        lines = [text("report.counts" + source, records=f"{self.records:,}", source=self.source,
                      errors=f"{counts.get('error', 0):,}",
                      warnings=f"{counts.get('warning', 0):,}", rows=f"{rows:,}")]
        top = self.findings.groupby(["rule"]).size().sort_values(ascending=False).head(5)
        for code, count in top.items():
            rule = RULES[str(code)]
            line = "report.top-rule.fixable" if rule.fixable else "report.top-rule"
            lines.append(text(line, count=f"{count:,}", title=rule.title))
        return "\n".join(lines)

    def by_field(self) -> pd.DataFrame:
        """Findings counted by field and rule, most common first."""
        return (self.findings.groupby(["field", "rule", "severity"]).size()
                .rename("findings").reset_index().sort_values("findings", ascending=False,
                                                             ignore_index=True))

    def to_csv(self, path: Any) -> None:
        """Write the findings to a CSV file atomically."""
        from pathlib import Path

        from .._util.files import write_text_atomically

        write_text_atomically(Path(path), self.findings.to_csv(index=False))

    def _repr_html_(self) -> str:
        import html

        summary = html.escape(self.summary()).replace("\n", "<br>")
        table = self.findings[["row", "field", "severity", "message"]].head(20).to_html(
            index=False)
        more = (f"<p>{html.escape(text('report.more', count=f'{len(self.findings) - 20:,}'))}"
                "</p>" if len(self.findings) > 20 else "")
        return f"<p>{summary}</p>{table if len(self.findings) else ''}{more}"

    def __repr__(self) -> str:
        return self.summary()
