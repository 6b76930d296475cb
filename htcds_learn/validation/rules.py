"""The data-quality rules, as data: what each one checks, why it matters, how it is worded.

Both validation engines use these definitions, so a finding reads the same whichever engine
found it. A rule says what is wrong with a value; the engine adds where (row, field).

>>> RULES["not-allowed-value"].severity
'error'
>>> describe("not-allowed-value", "Gender", "Femal", "Did you mean 'Feminine'?")
"Gender: 'Femal' is not an HTCDS value. Did you mean 'Feminine'?"
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import standard
from ..standard import codes

if TYPE_CHECKING:
    import pandas as pd

TRUE_TEXT = ("True", "true", "TRUE", "1")
FALSE_TEXT = ("False", "false", "FALSE", "0")
YES_NO = {"yes": "True", "y": "True", "no": "False", "n": "False"}


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str  # "error" or "warning"
    title: str
    why: str
    template: str  # "{value}" and "{hint}" are filled in
    fixable: bool = False


RULES: dict[str, Rule] = {r.code: r for r in (
    Rule("not-allowed-value", "error", "Value not in the picklist",
         "Only the standard's value names can be counted and shared reliably.",
         "{value} is not an HTCDS value. {hint}"),
    Rule("label-not-name", "error", "A label or a variant instead of the value name",
         "Labels change with language and spelling; the stored value must be the value name.",
         "{value} is written as a label or with different capitals or spaces. {hint}",
         fixable=True),
    Rule("bad-boolean", "error", "Not a yes/no value",
         "A checkbox holds True or False; anything else cannot be counted.",
         "{value} is not True or False. {hint}"),
    Rule("bad-country", "error", "Not an ISO country code",
         "Countries are two-letter ISO 3166 codes so that data from many places adds up.",
         "{value} is not a two-letter ISO 3166 country code. {hint}"),
    Rule("bad-language", "error", "Not an ISO language code",
         "Languages are ISO 639 codes, so 'French', 'français' and 'fr' are one language.",
         "{value} is not an ISO 639 language code. {hint}"),
    Rule("bad-phone", "error", "Not an E.164 phone number",
         "E.164 numbers (+ country code, then the number) can be dialled from anywhere.",
         "{value} is not an E.164 phone number. {hint}"),
    Rule("bad-email", "warning", "Not an e-mail address",
         "A mistyped address means a person cannot be reached.",
         "{value} does not look like an e-mail address. {hint}"),
    Rule("bad-date", "error", "Not a valid date in YYYY-MM-DD form",
         "Dates written in many ways (03/04/2024) are read differently in different countries.",
         "{value} is not a valid date. {hint}"),
    Rule("excel-date-serial", "error", "An Excel date number",
         "Excel stores dates as day numbers; copied as numbers, they lose their meaning.",
         "{value} looks like an Excel date number. {hint}", fixable=True),
    Rule("date-out-of-range", "error", "A date that cannot be right",
         "A future date, or one more than 120 years ago, is a typing mistake.",
         "{value} is not a plausible date here. {hint}"),
    Rule("date-order", "error", "Dates in the wrong order",
         "Events happen in order: birth, then referral in, then referral out.",
         "{value} comes before a date it should follow. {hint}"),
    Rule("not-a-number", "error", "Not a whole number",
         "Counts and ages must be numbers to be added up.",
         "{value} is not a whole number of 0 or more. {hint}"),
    Rule("text-too-long", "error", "Text longer than the field holds",
         "Text fields hold 255 characters; longer text is cut off by many systems.",
         "the text is {value} characters long. {hint}"),
    Rule("stray-spaces", "warning", "Extra spaces",
         "Spaces before or after a value make 'NG' and 'NG ' look like different countries.",
         "{value} has spaces at the start or end. {hint}", fixable=True),
    Rule("missing-consent", "error", "Consent not recorded",
         "Without a recorded answer, nobody may assume the person agreed.",
         "consent is blank. {hint}"),
    Rule("missing-core", "warning", "A Core field is blank",
         "Core fields are the minimum a case record should hold.",
         "this Core field is blank. {hint}"),
    Rule("sex-subtype-without-sexual-exploitation", "error",
         "A type of sexual exploitation without sexual exploitation",
         "The subtype describes sexual exploitation; without it the record contradicts itself.",
         "{value} is filled in, but Type of Exploitation does not include SexualExploitation. "
         "{hint}"),
    Rule("industry-without-forced-labour", "error", "An industry without forced labour",
         "The industry describes forced labour; without it the record contradicts itself.",
         "{value} is filled in, but Type of Exploitation does not include ForcedLabour. {hint}"),
    Rule("closed-without-reason", "error", "A closed case with no reason",
         "A reason for closing shows the case was closed on purpose, not lost.",
         "the case is {value} but has no reason for closure. {hint}"),
    Rule("duplicate-id", "error", "The same identifier twice",
         "Two rows with one identifier are counted twice, or one overwrites the other.",
         "{value} already appears in an earlier row. {hint}"),
    Rule("unknown-column", "warning", "A column that is not an HTCDS field",
         "Columns outside the standard are not understood by other organisations.",
         "{value} is not an HTCDS v2.0 field. {hint}"),
    Rule("deprecated-field", "warning", "A deprecated field",
         "Deprecated fields are being removed from the standard; do not collect them anew.",
         "{value} is deprecated in HTCDS v2.0. {hint}"),
    Rule("schema", "error", "Does not fit the case document's JSON Schema",
         "A case document that breaks its schema cannot be read by other systems.",
         "{value}"),
    Rule("unknown-reference", "error", "A reference to a record that is not there",
         "A link to a missing person or organisation cannot be followed.",
         "{value} does not match any record. {hint}"),
)}


def describe(code: str, label: str, value: object, hint: str = "") -> str:
    """The plain-language sentence for one finding (without the row)."""
    rule = RULES[code]
    shown = repr(value) if isinstance(value, str) else str(value)
    return f"{label}: " + rule.template.format(value=shown, hint=hint).strip()


def rules_table() -> pd.DataFrame:
    """Every rule as a table: code, severity, title, why it matters, fixable or not."""
    import pandas as pd

    return pd.DataFrame([{"rule": r.code, "severity": r.severity, "title": r.title,
                          "why it matters": r.why, "fixable": r.fixable}
                         for r in RULES.values()])


# --- classifying one value: shared by both engines, so they word things the same way --------

def picklist_problem(field: standard.Field, value: str) -> tuple[str, str, str]:
    """(rule, hint, fixed value or "") for a value that is not a value name of ``field``."""
    folded = " ".join(value.split()).casefold()
    for v in field.values:
        if folded in (v.name.casefold(), " ".join(v.label.split()).casefold()):
            return "label-not-name", f"Write '{v.name}' (the value name).", v.name
    hint = standard.suggest(value, list(field.value_names) + list(field.value_labels))
    if hint:
        wanted = hint.removeprefix("Did you mean '").removesuffix("'?")
        name = next((v.name for v in field.values if wanted in (v.name, v.label)), wanted)
        hint = f"Did you mean '{name}'?"
    return "not-allowed-value", hint or f"Allowed: {', '.join(field.value_names)}.", ""


def country_problem(value: str) -> tuple[str, str, str]:
    code = codes.country_code_for(value)
    if code and value.strip() != code:
        return "bad-country", f"Did you mean '{code}' ({codes.country_name(code)})?", code
    return "bad-country", "Use a two-letter code such as 'NG' or 'UA'.", ""


def boolean_problem(value: str) -> tuple[str, str, str]:
    fixed = YES_NO.get(value.strip().casefold(), "")
    if not fixed and value.strip() in TRUE_TEXT + FALSE_TEXT:
        fixed = "True" if value.strip() in TRUE_TEXT else "False"
    hint = f"Write {fixed}." if fixed else "Write True or False."
    return "bad-boolean", hint, fixed


def date_problem(value: str) -> tuple[str, str, str]:
    text = value.strip()
    number = text[:-2] if text.endswith(".0") else text
    if re.fullmatch(r"[0-9]{1,5}", number) and 1 <= int(number) <= 80_000:
        from datetime import date, timedelta

        fixed = (date(1899, 12, 30) + timedelta(days=int(number))).isoformat()
        return "excel-date-serial", f"It is probably {fixed}: format the cell as a date.", fixed
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return "bad-date", "There is no such day: check the day and the month.", ""
    return "bad-date", "Write it as year-month-day, e.g. 2024-03-31.", ""


LANGUAGE_HINT = "Use a two-letter code such as 'en' or 'fr'."
PHONE_HINT = "Write '+', the country code, then the number, e.g. +2348012345678."
EMAIL_HINT = "Check for a missing '@' or a typing mistake."
