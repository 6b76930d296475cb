"""JSON case documents: a list of cases, an object with a "cases" list, or one case.

Before anything is checked against the standard, the file is checked as a container of
cases: valid JSON, not nested deeper than a case can be, no number longer than any HTCDS
value, and every part of every case of the kind the case model expects (records are
objects, collections are lists of records, values are text, numbers, true/false or lists of
them). What breaks this is refused with the case and the place in it; what fits is handed
to validation, which judges the values.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "cases.json"
>>> _ = path.write_text('[{"case_id": "CASE-1", "victims": 5}]')
>>> read_cases(path)
Traceback (most recent call last):
htcds_learn.errors.InputError: ...cases.json: case 1, victims: expected a list of records, ...
"""

from __future__ import annotations

import json
from os import PathLike
from pathlib import Path
from typing import Any

from .. import messages
from . import limits
from .problems import fail
from .text import check_file, decode

# The parts of a case document that are lists of records (see model.schema.json_schema).
COLLECTIONS = ("referrals", "people", "organisations", "victims", "perpetrators", "events",
               "support_plans", "comments", "consents")
RECORDS = ("case",)
SCALARS = (str, int, float, bool, type(None))


class _Refused(Exception):
    """Raised inside the JSON parser's hooks; turned into a message outside it."""

    def __init__(self, message_id: str, text: str, **values: Any) -> None:
        super().__init__(message_id)
        self.message_id, self.text, self.values = message_id, text, values


def read_cases(path: str | PathLike[str]) -> list[dict[str, Any]]:
    """Read nested case documents: a JSON list, an object with a "cases" list, or one case."""
    path = Path(path)
    size = check_file(path)
    if size > limits.MAX_JSON_BYTES:
        fail(path, "io.json.too-big", size=f"{size / 2**20:,.0f}",
             limit=f"{limits.MAX_JSON_BYTES / 2**20:,.0f}")
    raw = path.read_bytes()
    containers = raw.count(b"{") + raw.count(b"[")  # at most: brackets in text count too
    if containers > limits.MAX_JSON_CONTAINERS:
        fail(path, "io.json.too-many-parts", count=f"{containers:,}",
             limit=f"{limits.MAX_JSON_CONTAINERS:,}")
    text, _ = decode(path, raw)
    del raw
    data = _parse(path, text)
    if isinstance(data, dict) and isinstance(data.get("cases"), list):
        data = data["cases"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        fail(path, "io.json.not-cases", found=_kind(data))
    if not data:
        fail(path, "io.json.no-cases")
    if len(data) > limits.MAX_CASES:  # before walking them all
        fail(path, "io.json.too-many-cases", cases=f"{len(data):,}",
             limit=f"{limits.MAX_CASES:,}")
    if _depth_over(data, limits.MAX_DEPTH):
        fail(path, "io.json.too-deep", limit=limits.MAX_DEPTH)
    for number, document in enumerate(data, start=1):
        _check_case(path, number, document)
    return data


def _parse(path: Path, text: str) -> Any:
    try:
        return json.loads(text, parse_int=_integer, parse_float=_decimal,
                          parse_constant=_constant)
    except json.JSONDecodeError as error:
        fail(path, "io.json.invalid", line=error.lineno, column=error.colno, reason=error.msg)
    except RecursionError:
        fail(path, "io.json.too-deep", limit=limits.MAX_DEPTH)
    except _Refused as refused:
        where = text.find(refused.text)
        line = text.count("\n", 0, where) + 1 if where >= 0 else 0
        fail(path, refused.message_id, line=line, **refused.values)


def _integer(text: str) -> int:
    if len(text) > limits.MAX_NUMBER_DIGITS:
        raise _Refused("io.json.long-number", text, digits=f"{len(text):,}",
                       limit=limits.MAX_NUMBER_DIGITS)
    return int(text)


def _decimal(text: str) -> float:
    if len(text) > limits.MAX_NUMBER_DIGITS:
        raise _Refused("io.json.long-number", text, digits=f"{len(text):,}",
                       limit=limits.MAX_NUMBER_DIGITS)
    return float(text)


def _constant(text: str) -> float:
    raise _Refused("io.json.not-a-number", text, value=text)


def _depth_over(data: Any, limit: int) -> bool:
    """Whether lists and objects nest deeper than ``limit`` (walked without recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = value.values()
        elif not isinstance(value, list):
            continue
        if depth > limit:
            return True
        stack.extend((item, depth + 1) for item in value if isinstance(item, (list, dict)))
    return False


def _kind(value: Any) -> str:
    """A JSON value's kind, in words."""
    if isinstance(value, bool):
        return messages.text("io.json.kind.boolean")
    for kind, name in ((dict, "object"), (list, "list"), (str, "text"),
                       ((int, float), "number"), (type(None), "null")):
        if isinstance(value, kind):
            return messages.text(f"io.json.kind.{name}")
    return type(value).__name__


def _check_case(path: Path, number: int, document: Any) -> None:
    if not isinstance(document, dict):
        fail(path, "io.json.case-not-object", case=number, found=_kind(document))
    for key, value in document.items():
        if key in COLLECTIONS:
            if not isinstance(value, list):
                fail(path, "io.json.expected-records", case=number, where=key,
                     found=_kind(value))
            for index, record in enumerate(value):
                _check_record(path, number, f"{key}[{index}]", record)
        elif key in RECORDS:
            _check_record(path, number, key, value)
        elif not isinstance(value, SCALARS):
            fail(path, "io.json.expected-value", case=number, where=key, found=_kind(value))


def _check_record(path: Path, number: int, where: str, record: Any) -> None:
    if not isinstance(record, dict):
        fail(path, "io.json.expected-record", case=number, where=where, found=_kind(record))
    for key, value in record.items():
        if isinstance(value, list):  # the choices of a multiple choice: text each
            for index, item in enumerate(value):
                if not isinstance(item, str):
                    fail(path, "io.json.expected-choice", case=number,
                         where=f"{where}.{key}[{index}]", found=_kind(item))
        elif not isinstance(value, SCALARS):
            fail(path, "io.json.expected-value", case=number, where=f"{where}.{key}",
                 found=_kind(value))
