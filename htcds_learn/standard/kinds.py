"""Value kinds: how the package reads, checks, describes and fixes each kind of field value.

An official "Field Type" such as *Picklist or Text* says too little to check a value, so the
package reads every field as one of the kinds below (``standard/annotations.py`` says which).
A kind is a class that owns everything about its values, in the manner of frictionless's field
types:

* ``json_schema(field)``: the value in a nested case document (JSON Schema);
* ``table_field(field)``: its column in a flat table (Frictionless Table Schema);
* ``text_schema(field)``: a cell's text, for the reference validation engine (JSON Schema);
* ``validator(field)``: a fast test of one cell's text, for the fast engine;
* ``classify(field, value)``: what is wrong with a bad value, a hint, and a safe fix if any;
* ``fix(field, cell, value)`` and ``trim(cell)``: the safe fixes.

>>> kind("phone").json_schema(None)
{'type': 'string', 'pattern': '^\\\\+?[1-9]\\\\d{1,14}$'}
>>> verdict = kind("boolean").classify(None, "yes")
>>> verdict.rule, str(verdict.hint), verdict.fixed
('bad-boolean', 'Write True.', 'True')
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, Protocol

from ..messages import Message
from . import codes
from .suggestions import nearest

if TYPE_CHECKING:
    from collections.abc import Sequence

TEXT_MAX = 255  # Salesforce "Text" fields, which HTCDS was modelled on, hold 255 characters
LONG_TEXT_MAX = 32_000
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
PHONE_PATTERN = r"^\+?[1-9]\d{1,14}$"  # E.164, exactly as the standard's notes give it
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
LANGUAGE_PATTERN = r"^[a-z]{2,3}$"
INTEGER_PATTERN = r"^\d+$"
LIST_DELIMITER = ";"  # as in IOM's multi-select Excel template
LANGUAGE_FORMAT = "iso639-language"  # a JSON Schema format only the text schema uses
EXCEL_EPOCH = date(1899, 12, 30)


class FieldLike(Protocol):
    """What a kind needs to know about a field (``standard.Field`` is one)."""

    @property
    def name(self) -> str: ...

    @property
    def value_names(self) -> tuple[str, ...]: ...

    @property
    def value_labels(self) -> tuple[str, ...]: ...


class Verdict(NamedTuple):
    """What is wrong with one value: the rule it breaks, a hint, and a safe fix ("" if none)."""

    rule: str
    hint: Message | None = None
    fixed: str = ""


def split_items(text: str) -> list[str]:
    """The items of a list cell ("NG;GB"), leaving out empty ones.

    >>> split_items("NG;;GB ")
    ['NG', 'GB ']
    """
    return [item for item in text.split(LIST_DELIMITER) if item.strip()]


class Kind:
    """The base of every kind: free text with no check of its own."""

    name: ClassVar[str] = ""
    multiple: ClassVar[bool] = False  # holds a list of items, ";"-separated in a cell
    max_length: ClassVar[int | None] = None  # longer text is a finding (text-too-long)
    spaces_matter: ClassVar[bool] = True  # else the value check itself sees stray spaces
    rules: ClassVar[tuple[str, ...]] = ()  # the rules ``classify`` can answer

    def json_schema(self, field: FieldLike | None) -> dict[str, Any]:
        return {"type": "string"}

    def table_field(self, field: FieldLike | None) -> dict[str, Any]:
        return {"type": "string"}

    def text_schema(self, field: FieldLike | None) -> dict[str, Any]:
        return {"type": "string"}

    def validator(self, field: FieldLike | None) -> Callable[[str], object] | None:
        """A test of one non-blank cell (one item for a list kind), true exactly when it is
        valid; None: nothing to check."""
        return None

    def classify(self, field: FieldLike | None, value: str) -> Verdict:
        raise NotImplementedError(f"the {self.name} kind checks no values")

    def parse_text(self, text: str) -> Any:
        """A non-blank cell as the value its text schema checks."""
        return split_items(text) if self.multiple else text

    def fix(self, field: FieldLike | None, cell: str, value: str) -> str | None:
        """The cell with the bad ``value`` safely fixed, or None when no fix is safe."""
        return self.classify(field, value).fixed or None

    def trim(self, cell: str) -> str:
        """The cell without spaces at its start or end."""
        return cell.strip()

    def __repr__(self) -> str:
        return f"<kind {self.name}>"


def _pattern_test(pattern: str) -> Callable[[str], object]:
    # The pattern's own search method: a match (true) or None, with no Python call between
    # (the fast engine runs it over a million cells).
    return re.compile(pattern).search


class Text(Kind):
    name = "text"
    max_length = TEXT_MAX

    def json_schema(self, field: FieldLike | None) -> dict[str, Any]:
        return {"type": "string", "maxLength": TEXT_MAX}

    def table_field(self, field: FieldLike | None) -> dict[str, Any]:
        return {"type": "string", "constraints": {"maxLength": TEXT_MAX}}

    def text_schema(self, field: FieldLike | None) -> dict[str, Any]:
        return {"type": "string", "maxLength": TEXT_MAX}


class LongText(Kind):
    name = "long_text"
    max_length = LONG_TEXT_MAX

    def json_schema(self, field: FieldLike | None) -> dict[str, Any]:
        return {"type": "string", "maxLength": LONG_TEXT_MAX}

    def text_schema(self, field: FieldLike | None) -> dict[str, Any]:
        return {"type": "string", "maxLength": LONG_TEXT_MAX}

    def trim(self, cell: str) -> str:
        return " ".join(cell.split())  # long text: runs of spaces inside go too


class Integer(Kind):
    name = "integer"
    rules = ("not-a-number",)

    def json_schema(self, field: FieldLike | None) -> dict[str, Any]:
        return {"type": "integer", "minimum": 0}

    def table_field(self, field: FieldLike | None) -> dict[str, Any]:
        return {"type": "integer", "constraints": {"minimum": 0}}

    def text_schema(self, field: FieldLike | None) -> dict[str, Any]:
        return {"type": "string", "pattern": INTEGER_PATTERN}

    def validator(self, field: FieldLike | None) -> Callable[[str], object]:
        return _pattern_test(INTEGER_PATTERN)

    def classify(self, field: FieldLike | None, value: str) -> Verdict:
        return Verdict("not-a-number")


class Number(Kind):
    name = "number"

    def json_schema(self, field: FieldLike | None) -> dict[str, Any]:
        return {"type": "number"}

    def table_field(self, field: FieldLike | None) -> dict[str, Any]:
        return {"type": "number"}


class _Coordinate(Kind):
    bound: ClassVar[int] = 0

    def json_schema(self, field: FieldLike | None) -> dict[str, Any]:
        return {"type": "number", "minimum": -self.bound, "maximum": self.bound}

    def table_field(self, field: FieldLike | None) -> dict[str, Any]:
        return {"type": "number", "constraints": {"minimum": -self.bound, "maximum": self.bound}}


class Latitude(_Coordinate):
    name = "latitude"
    bound = 90


class Longitude(_Coordinate):
    name = "longitude"
    bound = 180


class Date(Kind):
    name = "date"
    rules = ("bad-date", "excel-date-serial")

    def json_schema(self, field: FieldLike | None) -> dict[str, Any]:
        return {"type": "string", "format": "date", "pattern": DATE_PATTERN}

    def table_field(self, field: FieldLike | None) -> dict[str, Any]:
        return {"type": "date"}

    def text_schema(self, field: FieldLike | None) -> dict[str, Any]:
        return {"type": "string", "pattern": DATE_PATTERN, "format": "date"}

    def validator(self, field: FieldLike | None) -> Callable[[str], object]:
        return lambda value: self.parse(value) is not None

    @staticmethod
    def parse(text: str) -> date | None:
        """The date of a valid YYYY-MM-DD text, else None (the test of the JSON Schema's
        pattern and 'date' format).

        >>> Date.parse("2024-02-29"), Date.parse("2023-02-29"), Date.parse("29/02/2024")
        (datetime.date(2024, 2, 29), None, None)
        """
        if re.search(DATE_PATTERN, text) is None:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None

    def classify(self, field: FieldLike | None, value: str) -> Verdict:
        text = value.strip()
        number = text[:-2] if text.endswith(".0") else text
        if re.fullmatch(r"[0-9]{1,5}", number) and 1 <= int(number) <= 80_000:
            fixed = (EXCEL_EPOCH + timedelta(days=int(number))).isoformat()
            return Verdict("excel-date-serial", Message("kind.date.excel", {"date": fixed}),
                           fixed)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return Verdict("bad-date", Message("kind.date.no-such-day"))
        return Verdict("bad-date", Message("kind.date.example"))


class Boolean(Kind):
    name = "boolean"
    spaces_matter = False
    rules = ("bad-boolean",)
    true_texts: ClassVar[tuple[str, ...]] = ("True", "true", "TRUE", "1")
    false_texts: ClassVar[tuple[str, ...]] = ("False", "false", "FALSE", "0")
    yes_no: ClassVar[dict[str, str]] = {"yes": "True", "y": "True", "no": "False", "n": "False"}

    def json_schema(self, field: FieldLike | None) -> dict[str, Any]:
        return {"type": "boolean"}

    def table_field(self, field: FieldLike | None) -> dict[str, Any]:
        return {"type": "boolean"}

    def text_schema(self, field: FieldLike | None) -> dict[str, Any]:
        return {"enum": list(self.true_texts + self.false_texts)}

    def validator(self, field: FieldLike | None) -> Callable[[str], object]:
        return set(self.true_texts + self.false_texts).__contains__

    def classify(self, field: FieldLike | None, value: str) -> Verdict:
        fixed = self.yes_no.get(value.strip().casefold(), "")
        if not fixed and value.strip() in self.true_texts + self.false_texts:
            fixed = "True" if value.strip() in self.true_texts else "False"
        hint = Message("kind.boolean.write", {"value": fixed}) if fixed \
            else Message("kind.boolean.example")
        return Verdict("bad-boolean", hint, fixed)


class Picklist(Kind):
    name = "picklist"
    spaces_matter = False
    rules = ("not-allowed-value", "label-not-name")

    def json_schema(self, field: FieldLike | None) -> dict[str, Any]:
        return {"enum": list(_values(field))}

    def table_field(self, field: FieldLike | None) -> dict[str, Any]:
        return {"type": "string", "constraints": {"enum": list(_values(field))}}

    def text_schema(self, field: FieldLike | None) -> dict[str, Any]:
        return {"enum": list(_values(field))}

    def validator(self, field: FieldLike | None) -> Callable[[str], object]:
        return set(_values(field)).__contains__

    def classify(self, field: FieldLike | None, value: str) -> Verdict:
        assert field is not None
        folded = " ".join(value.split()).casefold()
        for name, label in zip(field.value_names, field.value_labels):
            if folded in (name.casefold(), " ".join(label.split()).casefold()):
                return Verdict("label-not-name", Message("kind.picklist.write-name",
                                                         {"name": name}), name)
        near = nearest(value, list(field.value_names) + list(field.value_labels))
        if near is not None:
            name = next((n for n, label in zip(field.value_names, field.value_labels)
                         if near in (n, label)), near)
            return Verdict("not-allowed-value", Message("standard.did-you-mean",
                                                        {"option": name}))
        return Verdict("not-allowed-value", Message(
            "kind.picklist.allowed", {"names": ", ".join(field.value_names)}))


class Multiselect(Picklist):
    name = "multiselect"
    multiple = True

    def json_schema(self, field: FieldLike | None) -> dict[str, Any]:
        return {"type": "array", "items": {"enum": list(_values(field))}, "uniqueItems": True}

    def table_field(self, field: FieldLike | None) -> dict[str, Any]:
        return _list_field(_values(field))

    def text_schema(self, field: FieldLike | None) -> dict[str, Any]:
        return {"type": "array", "items": {"enum": list(_values(field))}}

    def fix(self, field: FieldLike | None, cell: str, value: str) -> str | None:
        items = [self.classify(field, item).fixed or item if item == value else item
                 for item in cell.split(LIST_DELIMITER)]
        return LIST_DELIMITER.join(item.strip() for item in items if item.strip())


class Country(Kind):
    name = "country"
    rules = ("bad-country",)

    def json_schema(self, field: FieldLike | None) -> dict[str, Any]:
        return {"$ref": "#/$defs/country"}

    def table_field(self, field: FieldLike | None) -> dict[str, Any]:
        return {"type": "string", "constraints": {"enum": list(codes.country_codes())}}

    def text_schema(self, field: FieldLike | None) -> dict[str, Any]:
        return {"enum": list(codes.country_codes())}

    def validator(self, field: FieldLike | None) -> Callable[[str], object]:
        return set(codes.country_codes()).__contains__

    def classify(self, field: FieldLike | None, value: str) -> Verdict:
        code = codes.country_code_for(value)
        if code and value.strip() != code:
            return Verdict("bad-country", Message(
                "kind.country.did-you-mean", {"code": code, "name": codes.country_name(code)}),
                code)
        return Verdict("bad-country", Message("kind.country.example"))


class CountryList(Country):
    name = "country_list"
    multiple = True
    spaces_matter = False

    def json_schema(self, field: FieldLike | None) -> dict[str, Any]:
        return {"type": "array", "items": {"$ref": "#/$defs/country"}, "minItems": 1,
                "uniqueItems": True}

    def table_field(self, field: FieldLike | None) -> dict[str, Any]:
        return _list_field(codes.country_codes())

    def text_schema(self, field: FieldLike | None) -> dict[str, Any]:
        return {"type": "array", "items": {"enum": list(codes.country_codes())}}

    def fix(self, field: FieldLike | None, cell: str, value: str) -> str | None:
        fixed = self.classify(field, value).fixed
        if not fixed:
            return None
        return LIST_DELIMITER.join(fixed if item == value else item
                                   for item in cell.split(LIST_DELIMITER))


class Language(Kind):
    name = "language"
    rules = ("bad-language",)

    def json_schema(self, field: FieldLike | None) -> dict[str, Any]:
        return {"$ref": "#/$defs/language"}

    def table_field(self, field: FieldLike | None) -> dict[str, Any]:
        return {"type": "string", "constraints": {"pattern": LANGUAGE_PATTERN}}

    def text_schema(self, field: FieldLike | None) -> dict[str, Any]:
        return {"type": "string", "format": LANGUAGE_FORMAT}

    def validator(self, field: FieldLike | None) -> Callable[[str], object]:
        return codes.is_language_code

    def classify(self, field: FieldLike | None, value: str) -> Verdict:
        return Verdict("bad-language", Message("kind.language.example"))


class Phone(Kind):
    name = "phone"
    rules = ("bad-phone",)

    def json_schema(self, field: FieldLike | None) -> dict[str, Any]:
        return {"type": "string", "pattern": PHONE_PATTERN}

    def table_field(self, field: FieldLike | None) -> dict[str, Any]:
        return {"type": "string", "constraints": {"pattern": PHONE_PATTERN}}

    def text_schema(self, field: FieldLike | None) -> dict[str, Any]:
        return {"type": "string", "pattern": PHONE_PATTERN}

    def validator(self, field: FieldLike | None) -> Callable[[str], object]:
        return _pattern_test(PHONE_PATTERN)

    def classify(self, field: FieldLike | None, value: str) -> Verdict:
        return Verdict("bad-phone", Message("kind.phone.example"))


class Email(Kind):
    name = "email"
    max_length = TEXT_MAX
    rules = ("bad-email",)

    def json_schema(self, field: FieldLike | None) -> dict[str, Any]:
        return {"type": "string", "format": "email", "pattern": EMAIL_PATTERN,
                "maxLength": TEXT_MAX}

    def table_field(self, field: FieldLike | None) -> dict[str, Any]:
        return {"type": "string", "format": "email", "constraints": {"maxLength": TEXT_MAX}}

    def text_schema(self, field: FieldLike | None) -> dict[str, Any]:
        return {"type": "string", "pattern": EMAIL_PATTERN, "maxLength": TEXT_MAX}

    def validator(self, field: FieldLike | None) -> Callable[[str], object]:
        return _pattern_test(EMAIL_PATTERN)

    def classify(self, field: FieldLike | None, value: str) -> Verdict:
        return Verdict("bad-email", Message("kind.email.example"))


class Lookup(Kind):
    """An identifier of another record (a person, an organisation, a user)."""

    name = "lookup"

    def json_schema(self, field: FieldLike | None) -> dict[str, Any]:
        return {"$ref": "#/$defs/id"}


def _values(field: FieldLike | None) -> tuple[str, ...]:
    assert field is not None, "a picklist kind needs its field"
    return field.value_names


def _list_field(allowed: Sequence[str]) -> dict[str, Any]:
    return {"type": "list", "delimiter": LIST_DELIMITER, "itemType": "string",
            "itemConstraints": {"enum": list(allowed)}}


KINDS: dict[str, Kind] = {k.name: k for k in (
    Text(), LongText(), Integer(), Number(), Date(), Boolean(), Picklist(), Multiselect(),
    Country(), CountryList(), Language(), Latitude(), Longitude(), Phone(), Email(), Lookup(),
)}


def kind(name: str) -> Kind:
    """The kind called ``name`` (``"phone"``, ``"picklist"``, ...)."""
    return KINDS[name]


def language_format_checks() -> dict[str, Callable[[object], bool]]:
    """The JSON Schema formats the text schemas use beyond the standard ones."""
    return {LANGUAGE_FORMAT: codes.is_language_code}
