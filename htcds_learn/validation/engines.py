"""Check HTCDS records and say, in plain words, what is wrong and how to fix it.

Two engines check the same rules (see :mod:`htcds_learn.rules`) and must agree:

* ``engine="fast"`` (the default) works on whole columns with pandas: for large tables.
* ``engine="reference"`` checks one record at a time: each row against a JSON Schema with the
  ``jsonschema`` library, then the rules a schema cannot express (dates in order, a closed
  case needs a reason, duplicates). It is slow and simple, so it is easy to trust.

The result is a :class:`ValidationReport`: one row per finding, with the row number as a
spreadsheet shows it.

>>> import pandas as pd
>>> table = pd.DataFrame({"prs_Gender": ["Feminine", "Femal"],
...                       "cas_Status": ["Active", "Follow up"]})
>>> report = validate_table(table)
>>> print(report.findings.loc[0, "message"])
Row 3, Gender: 'Femal' is not an HTCDS value. Did you mean 'Feminine'?
>>> validate_table(table, engine="reference").findings.equals(report.findings)
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date
from functools import cache, partial
from typing import Any

import numpy as np
import pandas as pd

from .. import model, standard
from .._util.frames import as_text, factorize_exact
from ..model import schema
from ..standard import codes
from . import rules
from .rules import RULES, describe

ENGINES = ("fast", "reference")  # the fast one for use, the reference one to check it
REPORT_COLUMNS = ["record", "row", "field", "rule", "severity", "value", "message", "hint",
                  "fixable"]
EARLIEST = {"prs_Birthdate": date(1900, 1, 1)}
EARLIEST_OTHER = date(1990, 1, 1)
# Core fields that are often unknown for good reasons: blank is not reported.
NOT_ALWAYS_APPLICABLE = {"prs_Title", "prs_Salutation", "prs_Email", "prs_HomePhone",
                         "prs_MobilePhone", "cas_ReasonForCaseClosure", "con_Consent",
                         "vic_TypeOfSexExploitation", "vic_ForcedLabourIndustry",
                         *schema.OUTGOING_FIELDS, *schema.INCOMING_FIELDS}
# A subtype field may be filled in only when the type it describes is chosen.
SUBTYPE_RULES = (
    ("vic_TypeOfSexExploitation", "SexualExploitation", "sex-subtype-without-sexual-exploitation"),
    ("vic_ForcedLabourIndustry", "ForcedLabour", "industry-without-forced-labour"),
)
DATE_ORDER = (("prs_Birthdate", "cas_IncomingReferralDate"),
              ("cas_IncomingReferralDate", "cas_OutgoingReferralDate"))
INTEGER_PATTERN = r"^\d+$"
TEXT_LIMITS = {"text": schema.TEXT_MAX, "long_text": schema.LONG_TEXT_MAX,
               "email": schema.TEXT_MAX}
FIXES_HINTS = {
    "missing-consent": "Ask the case worker; never assume consent.",
    "missing-core": "Fill it in if it is known; leave it blank if it is not.",
    "sex-subtype-without-sexual-exploitation": "Check both fields with the case worker.",
    "industry-without-forced-labour": "Check both fields with the case worker.",
    "closed-without-reason": "Add why the case was closed.",
    "duplicate-id": "Keep one row per case and person; merge what differs.",
    "stray-spaces": "Remove the spaces (a safe fix).",
    "unknown-column": "Rename it to an HTCDS field, or keep it outside the shared file.",
    "deprecated-field": "Stop collecting it; keep old values out of new systems.",
    "text-too-long": "Shorten it to 255 characters.",
    "date-out-of-range": "Check the year.",
    "not-a-number": "Write digits only, e.g. 2.",
    "unknown-reference": "Add the missing record, or correct the identifier.",
}


@dataclass
class ValidationReport:
    """What a validation found: a tidy table, a summary, and where the data came from."""

    findings: pd.DataFrame
    records: int
    source: str = ""
    engine: str = "fast"
    columns: list[str] = dataclass_field(default_factory=list)
    first_row: int = 2  # the spreadsheet row of the first record

    @property
    def ok(self) -> bool:
        """True when nothing of severity 'error' was found (warnings are allowed)."""
        return not (self.findings["severity"] == "error").any()

    @property
    def errors(self) -> pd.DataFrame:
        return self.findings[self.findings["severity"] == "error"]

    def summary(self) -> str:
        """A few plain sentences: how many records, how many problems, of which kinds."""
        where = f" in {self.source}" if self.source else ""
        if self.findings.empty:
            return f"Checked {self.records:,} records{where}: no problems found."
        counts = self.findings["severity"].value_counts()
        rows = self.findings.loc[self.findings["row"] > 0, "row"].nunique()
        lines = [f"Checked {self.records:,} records{where}: {counts.get('error', 0):,} errors "
                 f"and {counts.get('warning', 0):,} warnings, in {rows:,} rows."]
        top = self.findings.groupby(["rule"]).size().sort_values(ascending=False).head(5)
        for code, count in top.items():
            fixable = " (a safe fix exists)" if RULES[code].fixable else ""
            lines.append(f"- {count:,} x {RULES[code].title}{fixable}")
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
        more = (f"<p>... and {len(self.findings) - 20:,} more.</p>"
                if len(self.findings) > 20 else "")
        return f"<p>{summary}</p>{table if len(self.findings) else ''}{more}"

    def __repr__(self) -> str:
        return self.summary()


# --- preparing a table ------------------------------------------------------------------------

def _record_ids(text: pd.DataFrame) -> pd.Series:
    for key in ("case_id", "person_id", "referral_id", "event_id", "organisation_id"):
        if key in text:
            return text[key]
    return pd.Series("", index=text.index, dtype=object)


def _key_columns(columns: list[str]) -> list[str]:
    """The columns that identify a row: a table's own identifier first."""
    for key in ("referral_id", "event_id", "support_plan_id", "comment_id",
                "organisation_id"):
        if key in columns:
            return [key]
    if "case_id" in columns and "person_id" in columns:
        return ["case_id", "person_id"]
    return [key for key in ("person_id", "case_id") if key in columns][:1]


def _split(value: str) -> list[str]:
    return [item for item in value.split(schema.MULTISELECT_DELIMITER) if item.strip()]


class _Findings:
    """Collects findings as plain tuples; turned into the report table at the end."""

    def __init__(self, text: pd.DataFrame, first_row: int) -> None:
        self.rows: list[tuple] = []
        self.first_row = first_row
        self.records = _record_ids(text).to_numpy()
        self.order = {name: i for i, name in enumerate(text.columns)}

    def add(self, position: int, column: str, code: str, value: Any, hint: str = "") -> None:
        label = standard.load().by_name[column].label if column in standard.load().by_name \
            else column
        hint = hint or FIXES_HINTS.get(code, "")
        row = position + self.first_row if position >= 0 else self.first_row - 1
        record = self.records[position] if position >= 0 else ""
        message = f"Row {row}, {describe(code, label, value, hint)}"
        self.rows.append((record, row, column, code, RULES[code].severity,
                          "" if value is None else str(value), message, hint,
                          RULES[code].fixable, self.order.get(column, -1)))

    def frame(self) -> pd.DataFrame:
        frame = pd.DataFrame(self.rows, columns=[*REPORT_COLUMNS, "_order"])
        frame = frame.sort_values(["row", "_order", "rule", "value"], kind="stable")
        return frame.drop(columns="_order").drop_duplicates().reset_index(drop=True)


def _header_findings(found: _Findings, text: pd.DataFrame) -> None:
    known = schema.known_columns()
    for column in text.columns:
        if column not in known:
            hint = standard.suggest(column, [f.name for f in standard.fields()])
            found.add(-1, column, "unknown-column", column, hint)
        elif known[column] is not None and known[column].deprecated and \
                (text[column].str.strip() != "").any():
            found.add(-1, column, "deprecated-field", column)


# --- the fast engine ----------------------------------------------------------------------

def _survivor_rows(columns: Iterable[str]) -> bool:
    """Core completeness is checked where every row is a survivor: tables with vic_ fields.

    (The people table also holds perpetrators and case workers, whose addresses and birth
    dates are rightly unknown.)
    """
    return any(str(c).startswith("vic_") for c in columns)


def _fast(text: pd.DataFrame, found: _Findings, today: date) -> None:
    """Column by column. Each column is factorised, so every check runs once per distinct
    value (a column of a million picklist cells has a dozen) and is then broadcast back."""
    known = schema.known_columns()
    completeness = _survivor_rows(text.columns)
    blanks: dict[str, np.ndarray] = {}
    ordinals: dict[str, np.ndarray] = {}
    for column in text.columns:
        row_codes, u = factorize_exact(text[column])
        u_blank = np.fromiter((not v.strip() for v in u), dtype=bool, count=len(u))
        blanks[column] = u_blank[row_codes]
        f = known.get(column)
        if f is None:
            continue

        def flag(bad: np.ndarray, classify, row_codes=row_codes, u=u, column=column) -> None:
            """Report every row whose distinct value is bad, worded by ``classify``."""
            if not bad.any():
                return
            verdicts = {i: classify(u[i]) for i in np.flatnonzero(bad).tolist()}
            for position in np.flatnonzero(bad[row_codes]).tolist():
                code, hint, _ = verdicts[row_codes[position]]
                found.add(position, column, code, u[row_codes[position]], hint)

        def each(test, u=u) -> np.ndarray:
            return np.fromiter((test(v) for v in u), dtype=bool, count=len(u))

        kind = f.kind
        classify = partial(_classify, f)  # the same wording as the reference engine
        if kind == "picklist":
            names = set(f.value_names)
            flag(~u_blank & ~each(names.__contains__), classify)
        elif kind in ("multiselect", "country_list"):
            allowed = set(f.value_names if kind == "multiselect" else codes.country_codes())
            bad_items = {i: [(item, classify(item)) for item in _split(v) if item not in allowed]
                         for i, v in enumerate(u.tolist())}
            bad = np.fromiter((bool(bad_items[i]) for i in range(len(u))), dtype=bool,
                              count=len(u))
            for position in np.flatnonzero(bad[row_codes]).tolist():
                for item, (code, hint, _) in bad_items[row_codes[position]]:
                    found.add(position, column, code, item, hint)
        elif kind == "country":
            country_codes = set(codes.country_codes())
            flag(~u_blank & ~each(country_codes.__contains__), classify)
        elif kind == "language":
            flag(~u_blank & ~each(codes.is_language_code), classify)
        elif kind == "boolean":
            accepted = set(rules.TRUE_TEXT + rules.FALSE_TEXT)
            flag(~u_blank & ~each(accepted.__contains__), classify)
        elif kind in ("phone", "email", "integer"):
            pattern = re.compile({"phone": schema.PHONE_PATTERN, "email": schema.EMAIL_PATTERN,
                                  "integer": INTEGER_PATTERN}[kind])
            flag(~u_blank & ~each(lambda v, p=pattern: p.search(v) is not None), classify)
        elif kind == "date":
            u_ordinal = np.fromiter((_ordinal(v) for v in u), dtype=np.int64, count=len(u))
            flag(~u_blank & (u_ordinal < 0), classify)
            earliest = EARLIEST.get(column, EARLIEST_OTHER).toordinal()
            wrong = (u_ordinal >= 0) & ((u_ordinal < earliest) | (u_ordinal > today.toordinal()))
            flag(wrong, lambda v, c=column: ("date-out-of-range", _range_hint(c, today), ""))
            ordinals[column] = u_ordinal[row_codes]
        if kind in TEXT_LIMITS:
            lengths = np.fromiter((len(v) for v in u), dtype=np.int64, count=len(u))
            for position in np.flatnonzero((lengths > TEXT_LIMITS[kind])[row_codes]).tolist():
                found.add(position, column, "text-too-long", int(lengths[row_codes[position]]))
        if kind not in ("picklist", "multiselect", "country_list", "boolean"):
            flag(~u_blank & each(lambda v: v != v.strip()),
                 lambda v: ("stray-spaces", "", ""))
        if completeness and f.core and f.active and column not in NOT_ALWAYS_APPLICABLE:
            for position in np.flatnonzero(blanks[column]).tolist():
                found.add(position, column, "missing-core", "")
    _fast_record_rules(text, found, blanks, ordinals, completeness)


def _ordinal(value: str) -> int:
    """The day number of a valid YYYY-MM-DD date, or -1 (the same test as the JSON Schema's
    pattern and 'date' format)."""
    if re.search(schema.DATE_PATTERN, value) is None:
        return -1
    try:
        return date.fromisoformat(value).toordinal()
    except ValueError:
        return -1


def _range_hint(column: str, today: date) -> str:
    earliest = EARLIEST.get(column, EARLIEST_OTHER)
    return f"Expected between {earliest.isoformat()} and {today.isoformat()}."


def _fast_record_rules(text: pd.DataFrame, found: _Findings, blank: dict[str, np.ndarray],
                       ordinals: dict[str, np.ndarray], completeness: bool) -> None:
    positions = np.arange(len(text))
    if "con_Consent" in text:
        for position in positions[blank["con_Consent"]]:
            found.add(position, "con_Consent", "missing-consent", "")
    for earlier, later in DATE_ORDER:
        if earlier in ordinals and later in ordinals:
            a, b = ordinals[earlier], ordinals[later]
            for position in np.flatnonzero((a >= 0) & (b >= 0) & (b < a)).tolist():
                found.add(position, later, "date-order", text[later].iat[position],
                          _order_hint(earlier, text[earlier].iat[position]))
    if "vic_TypeOfExploitation" in text:
        row_codes, uniques = factorize_exact(text["vic_TypeOfExploitation"])
        types = [{i.strip() for i in _split(v)} for v in uniques]
        for column, needs, code in SUBTYPE_RULES:
            if column not in text:
                continue
            has = np.array([needs in t for t in types], dtype=bool)[row_codes]
            for position in positions[~blank[column] & ~has]:
                found.add(position, column, code, text[column].iat[position])
            if completeness and column in _core_names():
                for position in positions[blank[column] & has]:
                    found.add(position, column, "missing-core", "")
    if "cas_Status" in text and "cas_ReasonForCaseClosure" in text:
        closed = text["cas_Status"].isin(["Closed", "ClosedReferred"]).to_numpy()
        for position in positions[closed & blank["cas_ReasonForCaseClosure"]]:
            found.add(position, "cas_ReasonForCaseClosure", "closed-without-reason",
                      text["cas_Status"].iat[position])
    direction = text["direction"].to_numpy() if "direction" in text else None
    incoming = [c for c in schema.INCOMING_FIELDS if c in text]
    if incoming and completeness:
        applies = np.ones(len(text), dtype=bool) if direction is None \
            else direction != "outgoing"
        for column in incoming:
            for position in positions[applies & blank[column]]:
                found.add(position, column, "missing-core", "")
    outgoing = [c for c in schema.OUTGOING_FIELDS if c in text]
    if outgoing and completeness:
        any_outgoing = ~np.logical_and.reduce([blank[c] for c in outgoing])
        if "cas_Status" in text:
            any_outgoing |= (text["cas_Status"] == "ClosedReferred").to_numpy()
        if direction is not None:
            any_outgoing = direction == "outgoing"
        for column in outgoing:
            for position in positions[any_outgoing & blank[column]]:
                found.add(position, column, "missing-core", "")
    keys = _key_columns(list(text.columns))
    if keys:
        filled = ~np.logical_and.reduce([blank[k] for k in keys])
        duplicated = text.duplicated(subset=keys, keep="first").to_numpy() & filled
        for position in positions[duplicated]:
            found.add(position, keys[0], "duplicate-id",
                      "|".join(text[k].iat[position] for k in keys))


def _order_hint(earlier: str, value: str) -> str:
    return f"{standard.field(earlier).label} is {value}."


@cache
def _core_names() -> frozenset[str]:
    return frozenset(f.name for f in standard.core_fields())


# --- the reference engine -----------------------------------------------------------------

@cache
def _row_schema(columns: tuple[str, ...]) -> dict[str, Any]:
    """A JSON Schema for one row, as text cells: the reference engine's first check."""
    properties: dict[str, Any] = {}
    for column in columns:
        f = schema.known_columns().get(column)
        if f is None:
            continue
        kind = f.kind
        if kind == "picklist":
            spec: dict[str, Any] = {"enum": list(f.value_names)}
        elif kind == "multiselect":
            spec = {"type": "array", "items": {"enum": list(f.value_names)}}
        elif kind == "country_list":
            spec = {"type": "array", "items": {"enum": list(codes.country_codes())}}
        elif kind == "country":
            spec = {"enum": list(codes.country_codes())}
        elif kind == "boolean":
            spec = {"enum": list(rules.TRUE_TEXT + rules.FALSE_TEXT)}
        elif kind == "phone":
            spec = {"type": "string", "pattern": schema.PHONE_PATTERN}
        elif kind == "email":
            spec = {"type": "string", "pattern": schema.EMAIL_PATTERN,
                    "maxLength": schema.TEXT_MAX}
        elif kind == "integer":
            spec = {"type": "string", "pattern": INTEGER_PATTERN}
        elif kind == "date":
            spec = {"type": "string", "pattern": schema.DATE_PATTERN, "format": "date"}
        elif kind in TEXT_LIMITS:
            spec = {"type": "string", "maxLength": TEXT_LIMITS[kind]}
        else:
            spec = {"type": "string"}
        properties[column] = spec
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
            "properties": properties}


def _reference(text: pd.DataFrame, found: _Findings, today: date) -> None:
    from jsonschema import Draft202012Validator

    columns = tuple(text.columns)
    validator = Draft202012Validator(_row_schema(columns),
                                     format_checker=Draft202012Validator.FORMAT_CHECKER)
    known = schema.known_columns()
    seen_keys: set[str] = set()
    keys = _key_columns(list(columns))
    completeness = _survivor_rows(columns)
    for position, row in enumerate(text.itertuples(index=False, name=None)):
        cells = dict(zip(columns, row))
        record = {}
        for column, value in cells.items():
            f = known.get(column)
            if f is None or value.strip() == "":
                continue
            record[column] = _split(value) if f.kind in ("multiselect", "country_list") \
                else value
        reported: set[tuple[str, str]] = set()
        for error in validator.iter_errors(record):
            column = error.absolute_path[0]
            f = known[column]
            value = error.instance
            if error.validator == "maxLength":
                found.add(position, column, "text-too-long", len(value))
                continue
            if (column, str(value)) in reported:
                continue  # a bad date breaks both its pattern and its format: one finding
            reported.add((column, str(value)))
            code, hint, _ = _classify(f, value)
            found.add(position, column, code, value, hint)
        _reference_record_rules(position, cells, found, today, completeness)
        if keys:
            key = "|".join(cells[k] for k in keys)
            if key.strip() and key in seen_keys:
                found.add(position, keys[0], "duplicate-id", key)
            seen_keys.add(key)


def _classify(f: standard.Field, value: str) -> tuple[str, str, str]:
    kind = f.kind
    if kind in ("picklist", "multiselect"):
        return rules.picklist_problem(f, value)
    if kind in ("country", "country_list"):
        return rules.country_problem(value)
    if kind == "boolean":
        return rules.boolean_problem(value)
    if kind == "phone":
        return "bad-phone", rules.PHONE_HINT, ""
    if kind == "email":
        return "bad-email", rules.EMAIL_HINT, ""
    if kind == "integer":
        return "not-a-number", "", ""
    if kind == "date":
        return rules.date_problem(value)
    if kind == "language":
        return "bad-language", rules.LANGUAGE_HINT, ""
    raise AssertionError(f"no classification for {f.name}")  # pragma: no cover


def _reference_record_rules(position: int, cells: dict[str, str], found: _Findings,
                            today: date, completeness: bool) -> None:
    known = schema.known_columns()
    blank = {c: v.strip() == "" for c, v in cells.items()}
    dates: dict[str, date] = {}
    for column, value in cells.items():
        f = known.get(column)
        if f is None:
            continue
        if f.kind == "language" and not blank[column] and not codes.is_language_code(value):
            found.add(position, column, "bad-language", value, rules.LANGUAGE_HINT)
        if f.kind == "date" and re.search(schema.DATE_PATTERN, value):
            try:
                dates[column] = date.fromisoformat(value)
            except ValueError:
                pass
            else:
                if not EARLIEST.get(column, EARLIEST_OTHER) <= dates[column] <= today:
                    found.add(position, column, "date-out-of-range", value,
                              _range_hint(column, today))
        if f.kind not in ("picklist", "multiselect", "country_list", "boolean") and \
                not blank[column] and value != value.strip():
            found.add(position, column, "stray-spaces", value)
        if completeness and f.core and f.active and column not in NOT_ALWAYS_APPLICABLE \
                and blank[column]:
            found.add(position, column, "missing-core", "")
    if "con_Consent" in cells and blank["con_Consent"]:
        found.add(position, "con_Consent", "missing-consent", "")
    for earlier, later in DATE_ORDER:
        if earlier in dates and later in dates and dates[later] < dates[earlier]:
            found.add(position, later, "date-order", cells[later],
                      _order_hint(earlier, cells[earlier]))
    if "vic_TypeOfExploitation" in cells:
        types = {i.strip() for i in _split(cells["vic_TypeOfExploitation"])}
        for column, needs, code in SUBTYPE_RULES:
            if column not in cells:
                continue
            if not blank[column] and needs not in types:
                found.add(position, column, code, cells[column])
            if completeness and column in _core_names() and blank[column] and needs in types:
                found.add(position, column, "missing-core", "")
    if "cas_Status" in cells and "cas_ReasonForCaseClosure" in cells and \
            cells["cas_Status"] in ("Closed", "ClosedReferred") and \
            blank["cas_ReasonForCaseClosure"]:
        found.add(position, "cas_ReasonForCaseClosure", "closed-without-reason",
                  cells["cas_Status"])
    if not completeness:
        return
    direction = cells.get("direction")
    for column in schema.INCOMING_FIELDS:
        if column in cells and blank[column] and direction != "outgoing":
            found.add(position, column, "missing-core", "")
    outgoing = [c for c in schema.OUTGOING_FIELDS if c in cells]
    applies = any(not blank[c] for c in outgoing) or cells.get("cas_Status") == "ClosedReferred"
    if direction is not None:
        applies = direction == "outgoing"
    if outgoing and applies:
        for column in outgoing:
            if blank[column]:
                found.add(position, column, "missing-core", "")


# --- public API ---------------------------------------------------------------------------

def validate_table(table: pd.DataFrame, *, engine: str = "fast", source: str = "",
                   header_rows: int = 1, today: date | None = None) -> ValidationReport:
    """Check a flat table (a Core table, a section table, a spreadsheet) against HTCDS.

    ``header_rows`` is how many rows sit above the data in the file (1 for a CSV, 2 for IOM's
    Excel template), so that row numbers match what a person sees in a spreadsheet.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(map(repr, ENGINES))}, not {engine!r}")
    today = today or date.today()
    text = as_text(table, renumber=True)
    found = _Findings(text, first_row=header_rows + 1)
    _header_findings(found, text)
    {"fast": _fast, "reference": _reference}[engine](text, found, today)
    return ValidationReport(found.frame(), len(text), source, engine, list(text.columns),
                            header_rows + 1)


def validate_cases(documents: Iterable[dict[str, Any]], *, source: str = "",
                   today: date | None = None) -> ValidationReport:
    """Check nested case documents: the JSON Schema, then every table's rules and references.

    A finding's row is the case's position in the file (the first case is row 1).
    """
    documents = list(documents)
    rows = []
    for number, document in enumerate(documents, start=1):
        for line in schema.schema_errors(document):
            where, _, text = line.partition(": ")
            rows.append((document.get("case_id", ""), number, where, "schema", "error", "",
                         f"Case {number}, {where}: {text}", "", False))
    findings = [pd.DataFrame(rows, columns=REPORT_COLUMNS)]
    tables = model.documents_to_tables(d for d in documents if isinstance(d, dict)
                                       and "case_id" in d)
    position = {d.get("case_id"): i for i, d in enumerate(documents, start=1)}
    for name, table in tables.items():
        report = validate_table(table, today=today)
        frame = report.findings[report.findings["rule"] != "unknown-column"].copy()
        case_ids = table.get("case_id")
        if len(frame):
            frame["row"] = [position.get(case_ids.iat[r - 2], 0)
                            if case_ids is not None and r >= 2 else 0 for r in frame["row"]]
        frame["message"] = frame["message"].str.replace(r"^Row \d+, ", f"{name}: ",
                                                        regex=True)
        findings.append(frame)
    people = set(tables["people"]["person_id"])
    organisations = set(tables["organisations"]["organisation_id"])
    for document in documents:
        number, case_id = position.get(document.get("case_id"), 0), document.get("case_id", "")
        for collection in ("victims", "perpetrators", "referrals", "events", "support_plans",
                           "consents"):
            for item in document.get(collection, []):
                for key, value in item.items():
                    target = _reference_target(key)
                    if target and value not in (people if target == "person"
                                                else organisations):
                        label = standard.field(key).label if key.startswith(
                            ("cas_", "vic_", "per_")) else key
                        findings.append(pd.DataFrame([(
                            case_id, number, key, "unknown-reference", "error", value,
                            f"Case {number}, {describe('unknown-reference', label, value)}",
                            FIXES_HINTS["unknown-reference"], False)], columns=REPORT_COLUMNS))
    for document in documents:
        findings.append(_timeline_findings(document, position.get(document.get("case_id"), 0)))
    frame = pd.concat([f for f in findings if len(f)], ignore_index=True) if any(
        len(f) for f in findings) else pd.DataFrame(columns=REPORT_COLUMNS)
    return ValidationReport(frame, len(documents), source, "fast", [])


def _timeline_findings(document: dict[str, Any], number: int) -> pd.DataFrame:
    """Birth, then trafficking events, then the incoming referral: in that order."""
    def day(value: Any) -> int:
        return _ordinal(value) if isinstance(value, str) else -1

    births = {p.get("person_id"): p.get("prs_Birthdate", "") for p in document.get("people", [])
              if isinstance(p, dict)}
    incoming = [r.get("cas_IncomingReferralDate", "") for r in document.get("referrals", [])
                if isinstance(r, dict) and r.get("direction") == "incoming"]
    referral = incoming[0] if incoming else ""
    rows = []
    for event in document.get("events", []):
        if not isinstance(event, dict):
            continue
        when, born = event.get("hte_Date", ""), births.get(event.get("person_id"), "")
        pairs = [("prs_Birthdate", born, "hte_Date", when),
                 ("hte_Date", when, "cas_IncomingReferralDate", referral)]
        for earlier, first, later, second in pairs:
            if day(first) >= 0 and day(second) >= 0 and day(second) < day(first):
                label = standard.field(later).label
                hint = _order_hint(earlier, first)
                rows.append((document.get("case_id", ""), number, later, "date-order", "error",
                             second, f"Case {number}, "
                             f"{describe('date-order', label, second, hint)}", hint, False))
    return pd.DataFrame(rows, columns=REPORT_COLUMNS)


def _reference_target(key: str) -> str:
    if key == "person_id":
        return "person"
    for relation in model.RELATIONS:
        if relation.field == key and relation.target in ("person", "organisation"):
            return relation.target
    return ""


def fix_table(table: pd.DataFrame, report: ValidationReport | None = None
              ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply the safe fixes; return a new table and a log of every change.

    Safe fixes: spaces trimmed; labels and case variants turned into value names; Excel date
    numbers into dates; yes/no into True/False; country names into codes. Nothing else is
    touched, and the input table is never modified.
    """
    report = report or validate_table(table)
    fixed = as_text(table, renumber=True).copy()
    log = []
    fixable = report.findings[report.findings["fixable"] | report.findings["rule"].isin(
        ["bad-boolean", "bad-country"])]
    for _, finding in fixable.iterrows():
        position = int(finding["row"]) - report.first_row
        column = finding["field"]
        if position < 0 or column not in fixed:
            continue
        old = fixed.at[position, column]
        new = _fixed_value(column, old, finding["rule"], finding["value"])
        if new is not None and new != old:
            fixed.at[position, column] = new
            log.append({"row": int(finding["row"]), "field": column, "rule": finding["rule"],
                        "old": old, "new": new})
    return fixed, pd.DataFrame(log, columns=["row", "field", "rule", "old", "new"])


def _fixed_value(column: str, cell: str, code: str, value: str) -> str | None:
    f = schema.known_columns().get(column)
    if code == "stray-spaces":
        return " ".join(cell.split()) if f is not None and f.kind == "long_text" \
            else cell.strip()
    if f is None:
        return None
    if code == "label-not-name":
        if f.kind == "multiselect":
            items = [rules.picklist_problem(f, i)[2] or i if i == value else i
                     for i in cell.split(schema.MULTISELECT_DELIMITER)]
            return schema.MULTISELECT_DELIMITER.join(i.strip() for i in items if i.strip())
        return rules.picklist_problem(f, value)[2] or None
    if code == "excel-date-serial":
        return rules.date_problem(value)[2] or None
    if code == "bad-boolean":
        return rules.boolean_problem(value)[2] or None
    if code == "bad-country":
        fixed = rules.country_problem(value)[2]
        if not fixed:
            return None
        if f.kind == "country_list":
            return schema.MULTISELECT_DELIMITER.join(
                fixed if i == value else i for i in cell.split(schema.MULTISELECT_DELIMITER))
        return fixed
    return None
