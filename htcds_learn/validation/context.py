"""What the rules look at: a table as each engine sees it, and a set of case documents.

* :class:`FastTable` (the fast engine): whole text columns. Each column is grouped once, on
  demand (by the objects its rows share, else by text), so a check runs once per distinct
  value (a column of a million picklist cells has a dozen) and is then broadcast back to
  the rows; many values at once are checked with numpy as one block of ASCII bytes
  (:mod:`htcds_learn.validation.cells`).
* :class:`ReferenceTable` (the reference engine): one :class:`Record` at a time, each checked
  against a JSON Schema of its row by the ``jsonschema`` library.
* :class:`CaseSet`: nested case documents, their flat tables, and who is in them.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from datetime import date
from functools import cache, cached_property
from itertools import compress
from typing import Any

import numpy as np
import pandas as pd

from .. import model, standard
from .._util.frames import ObjectGroups, factorize_exact, object_groups
from ..messages import Message
from ..model import schema
from ..standard import kinds
from ..standard.kinds import Verdict, split_items
from .cells import TESTS as ascii_tests
from .cells import AsciiCells, iso_days
from .finding import Finding


def survivor_rows(columns: Iterable[str]) -> bool:
    """Core completeness is checked where every row is a survivor: tables with vic_ fields.

    (The people table also holds perpetrators and case workers, whose addresses and birth
    dates are rightly unknown.)
    """
    return any(str(c).startswith("vic_") for c in columns)


def factorize_text(values: pd.Series, *, sample: int = 10_000) -> tuple[np.ndarray, np.ndarray]:
    """:func:`factorize_exact`, faster when many rows hold the very same text object.

    A table read by pandas, or made by the generator, shares one string object between the
    rows that hold the same value. Grouping the rows by object address is integer work; only
    the distinct objects are then compared as text. Exact either way: two equal texts in two
    objects still get one code.

    >>> codes, uniques = factorize_text(pd.Series(["b", "a", "b", "".join(["b"])] * 3))
    >>> codes.tolist()[:4], list(uniques)
    ([0, 1, 0, 0], ['b', 'a'])
    """
    array = values.to_numpy()
    return exact_groups(array, object_groups(array, sample))


def exact_groups(array: np.ndarray, groups: ObjectGroups | None
                 ) -> tuple[np.ndarray, np.ndarray]:
    """:func:`factorize_exact` of ``array``, from its rows grouped by object if given."""
    if groups is None:
        return factorize_exact(pd.Series(array, dtype=object))
    by_object, first = groups
    codes, uniques = factorize_exact(pd.Series(array[first], dtype=object))
    return codes[by_object], uniques


# How many cells of a column are looked at to decide whether its cells are nearly all
# different (then each cell is checked once, without looking for the distinct values first).
DISTINCT_SAMPLE = 10_000


def mostly_distinct(array: np.ndarray, sample: int | None = None) -> bool:
    """Whether the filled cells nearly all hold a value no other cell holds (about half of
    them or more), judged from the first ``sample`` cells: then finding the distinct values
    costs more than checking every cell. (Empty cells are cheap to check, but a column of
    nothing else is one distinct value, found cheaply.)

    Only speed depends on the answer: checking each cell gives the same findings.

    >>> mostly_distinct(np.array([f"P-{i}" for i in range(100)], dtype=object), sample=10)
    True
    >>> mostly_distinct(np.array(["Feminine", "Masculine"] * 50, dtype=object), sample=10)
    False
    """
    sample = DISTINCT_SAMPLE if sample is None else sample
    if len(array) < 2 * sample:
        return False
    filled = list(filter(None, array[:sample].tolist()))
    repeats = len(filled) - len(set(filled))
    # D distinct values spread over n cells repeat about s*s/(2D) times in s cells (while s
    # is small beside n: hence at most one repeat in 20). A column nearly all blank is one
    # distinct value: grouping finds it cheaply.
    return len(filled) * 10 >= sample and repeats <= min(sample * sample / len(array),
                                                         sample / 20)


class FastColumn:
    """One text column, and the values its per-value checks test.

    Each check (blank, stray spaces, length, the field's own value test) runs once per
    *checked value*, then is broadcast to the rows: the distinct objects the rows share
    (``text_and_groups`` found them; equal texts in two objects get the same answers), else
    the column's distinct values when they repeat (a million picklist cells hold a dozen),
    or every cell when nearly every cell differs (identifiers, phone numbers, e-mail
    addresses), where finding the distinct values first would cost more than it saves.
    ``where`` maps each row to its checked value (None: the checked values are the rows
    themselves).

    :attr:`codes` and :attr:`uniques` are always the exact distinct values, for the rules
    that compare rows with each other.
    """

    def __init__(self, table: FastTable, name: str) -> None:
        # No reference back to the table: a cycle would keep every column's arrays alive
        # until the cycle collector runs, and make it walk lists of a million cells (0.2 s).
        self.name = name
        self.field = table.known.get(name)
        self.values: pd.Series = table.text[name]
        self.array: np.ndarray = self.values.to_numpy()  # the cells (a view, not a copy)
        self.objects = table.groups.get(name)  # rows grouped by the object they hold

    @cached_property
    def _factorised(self) -> tuple[np.ndarray, np.ndarray]:
        if self.objects is None:
            return factorize_text(self.values)
        return exact_groups(self.array, self.objects)

    @property
    def codes(self) -> np.ndarray:
        """For each row, the index of its value in :attr:`uniques`."""
        return self._factorised[0]

    @property
    def uniques(self) -> np.ndarray:
        return self._factorised[1]

    @cached_property
    def _checked(self) -> tuple[np.ndarray | None, np.ndarray]:
        if "_factorised" in self.__dict__:
            return self._factorised
        if self.objects is not None:  # one check per distinct object (same text, same answer)
            by_object, first = self.objects
            return by_object, self.array[first]
        if mostly_distinct(self.array):
            return None, self.array
        return self._factorised

    @property
    def where(self) -> np.ndarray | None:
        """For each row, the index of its value in :attr:`checked` (None: the same row)."""
        return self._checked[0]

    @property
    def checked(self) -> np.ndarray:
        """The values each per-value check tests: the distinct values, or every cell."""
        return self._checked[1]

    def per_row(self, per_value: np.ndarray) -> np.ndarray:
        """An array over :attr:`checked` broadcast to the rows."""
        where = self.where
        if where is None:
            return per_value
        if per_value.dtype == bool and not per_value.any():
            return np.zeros(len(where), dtype=bool)  # nothing marked: no need to look
        return per_value[where]

    def each(self, test: Callable[[str], Any]) -> np.ndarray:
        """``test`` of every checked value, as a boolean array over :attr:`checked`."""
        u = self.checked
        return np.fromiter(map(bool, map(test, u)), dtype=bool, count=len(u))

    @cached_property
    def _checked_list(self) -> list[str]:
        return self.checked.tolist()

    @cached_property
    def block(self) -> AsciiCells | None:
        """The checked values as one block of ASCII bytes, checked with numpy (None when a
        value is not ASCII or holds a line break: then each value is checked in Python)."""
        return AsciiCells.of(self._checked_list)

    @cached_property
    def checked_stripped(self) -> list[str]:
        """Every checked value without spaces at its ends (one C-level pass for them all)."""
        return list(map(str.strip, self._checked_list))

    @cached_property
    def checked_blank(self) -> np.ndarray:
        if self.block is not None:
            return self.block.blank
        stripped = self.checked_stripped
        return np.fromiter(map(operator.not_, stripped), dtype=bool, count=len(stripped))

    @cached_property
    def checked_padded(self) -> np.ndarray:
        """For each checked value: not blank, with spaces at its start or end."""
        if self.block is not None:
            return self.block.padded
        same = np.fromiter(map(operator.eq, self._checked_list, self.checked_stripped),
                           dtype=bool, count=len(self.checked))
        return ~same & ~self.checked_blank

    @cached_property
    def checked_lengths(self) -> np.ndarray:
        if self.block is not None:
            return self.block.lengths
        listed = self._checked_list
        return np.fromiter(map(len, listed), dtype=np.int64, count=len(listed))

    @cached_property
    def blank(self) -> np.ndarray:
        """For each row: is the cell blank (empty or spaces only)?"""
        return self.per_row(self.checked_blank)

    def rows(self, checked_mask: np.ndarray) -> list[int]:
        """The positions of the rows whose checked value is marked in ``checked_mask``."""
        if not checked_mask.any():
            return []
        return np.flatnonzero(self.per_row(checked_mask)).tolist()

    def findings(self, checked_mask: np.ndarray, rule: str, hint: Message | None = None
                 ) -> list[Finding]:
        """A finding of ``rule`` for every row whose checked value is marked."""
        cells = self.array
        return [Finding(rule, self.name, cells[p], p, hint) for p in self.rows(checked_mask)]

    @cached_property
    def checked_dates(self) -> np.ndarray:
        """The day number of every checked value that is a valid date, else -1."""
        if self.block is not None:
            return iso_days(self.block)

        def day(value: str) -> int:
            parsed = kinds.Date.parse(value)
            return -1 if parsed is None else parsed.toordinal()
        u = self.checked
        return np.fromiter((day(v) for v in u), dtype=np.int64, count=len(u))

    @cached_property
    def dates(self) -> np.ndarray:
        """For each row, the day number of its date, or -1."""
        return self.per_row(self.checked_dates)

    @cached_property
    def item_sets(self) -> list[set[str]]:
        """For each checked value, its list items (spaces trimmed), as a set."""
        by_text: dict[str, set[str]] = {}  # checked values may repeat a text
        for value in self._checked_list:
            if value not in by_text:
                by_text[value] = {i.strip() for i in split_items(value)}
        return [by_text[value] for value in self._checked_list]

    @cached_property
    def value_findings(self) -> dict[str, list[Finding]]:
        """The findings of the field's value check, by rule (the kind says what is wrong)."""
        found: dict[str, list[Finding]] = {}
        f = self.field
        if f is None:
            return found
        kind = f.value_kind
        valid = kind.validator(f)
        if valid is None:
            return found

        verdicts_by_text: dict[str, Verdict] = {}  # checked values may repeat a text

        def verdict(value: str) -> Verdict:
            known = verdicts_by_text.get(value)
            if known is None:
                known = verdicts_by_text[value] = kind.classify(f, value)
            return known

        listed = self._checked_list
        if kind.multiple:
            by_text: dict[str, list[tuple[str, Verdict]]] = {}
            for value in listed:
                if value not in by_text:
                    by_text[value] = [(item, verdict(item)) for item in split_items(value)
                                      if not valid(item)]
            bad_items = [by_text[value] for value in listed]
            has_bad = np.fromiter(map(bool, bad_items), dtype=bool, count=len(listed))
            where = self.where
            for position in self.rows(has_bad):
                for item, (rule, hint, _) in bad_items[
                        position if where is None else where[position]]:
                    found.setdefault(rule, []).append(
                        Finding(rule, self.name, item, position, hint))
            return found
        bad = ~self.checked_blank
        if isinstance(kind, kinds.Date):  # its test: a day number (kinds.Date.validator)
            bad &= self.checked_dates < 0
        elif self.block is not None and kind.name in ascii_tests:
            bad &= ~self.block.test(kind.name)
        else:
            filled = np.flatnonzero(bad)
            bad[filled] = ~np.fromiter(map(bool, map(valid, compress(listed, bad.tolist()))),
                                       dtype=bool, count=len(filled))
        verdicts = {i: verdict(listed[i]) for i in np.flatnonzero(bad).tolist()}
        where, cells = self.where, self.array
        for position in self.rows(bad):
            rule, hint, _ = verdicts[position if where is None else where[position]]
            found.setdefault(rule, []).append(
                Finding(rule, self.name, cells[position], position, hint))
        return found


class FastTable:
    """A table of text cells as the fast engine sees it."""

    def __init__(self, text: pd.DataFrame, today: date,
                 groups: Mapping[str, ObjectGroups] | None = None) -> None:
        self.text = text
        self.today = today
        self.groups = groups or {}  # from text_and_groups: the rows of a column by object
        self.known = schema.known_columns()
        self.columns: list[str] = list(text.columns)
        self.positions = np.arange(len(text))
        self.survivors = survivor_rows(self.columns)
        self._cache: dict[str, FastColumn] = {}
        self.memo: dict[tuple[str, ...], Any] = {}  # answers several rules share

    def __len__(self) -> int:
        return len(self.text)

    def __contains__(self, column: object) -> bool:
        return column in self._cache or column in self.text.columns

    def column(self, name: str) -> FastColumn:
        if name not in self._cache:
            self._cache[name] = FastColumn(self, name)
        return self._cache[name]

    def fields(self) -> Iterator[FastColumn]:
        """The columns that are HTCDS fields, in the table's order."""
        for name in self.columns:
            if self.known.get(name) is not None:
                yield self.column(name)

    def cell(self, column: str, position: int) -> str:
        return self.column(column).array[position]


class Record:
    """One row of a table, as the reference engine reads it: a dict of text cells."""

    def __init__(self, table: ReferenceTable, position: int, cells: dict[str, str]) -> None:
        self.table = table
        self.position = position
        self.cells = cells

    def blank(self, column: str) -> bool:
        return self.cells[column].strip() == ""

    def field(self, column: str) -> standard.Field | None:
        return self.table.known.get(column)

    def items(self, column: str) -> set[str]:
        """The list items of a cell (spaces trimmed), as a set."""
        return {i.strip() for i in split_items(self.cells[column])}

    @cached_property
    def schema_errors(self) -> list[tuple[str, str, Any]]:
        """(column, JSON Schema keyword, bad value) for every way the row breaks its schema."""
        document = {}
        for column, value in self.cells.items():
            f = self.field(column)
            if f is not None and value.strip() != "":
                document[column] = f.value_kind.parse_text(value)
        return [(error.absolute_path[0], str(error.validator), error.instance)
                for error in self.table.validator.iter_errors(document)]

    @cached_property
    def value_verdicts(self) -> list[tuple[str, str, Verdict]]:
        """(column, value, verdict) for every bad value (a bad date breaks both its pattern and
        its format: it counts once)."""
        seen: set[tuple[str, str]] = set()
        verdicts = []
        for column, keyword, value in self.schema_errors:
            if keyword == "maxLength" or (column, str(value)) in seen:
                continue
            seen.add((column, str(value)))
            f = self.field(column)
            assert f is not None
            verdicts.append((column, value, f.value_kind.classify(f, value)))
        return verdicts


class ReferenceTable:
    """A table of text cells as the reference engine sees it: a list of records."""

    def __init__(self, text: pd.DataFrame, today: date) -> None:
        self.today = today
        self.known = schema.known_columns()
        self.columns: tuple[str, ...] = tuple(text.columns)
        self.survivors = survivor_rows(self.columns)
        self.records = [Record(self, position, dict(zip(self.columns, row)))
                        for position, row in enumerate(text.itertuples(index=False, name=None))]

    def __contains__(self, column: object) -> bool:
        return column in self.columns

    @cached_property
    def validator(self) -> Any:
        from jsonschema import Draft202012Validator, FormatChecker

        checker = FormatChecker()
        for name, test in kinds.language_format_checks().items():
            checker.checks(name)(test)
        return Draft202012Validator(row_schema(self.columns), format_checker=checker)


@cache
def row_schema(columns: tuple[str, ...]) -> dict[str, Any]:
    """A JSON Schema for one row of text cells: the reference engine's first check."""
    properties: dict[str, Any] = {}
    for column in columns:
        f = schema.known_columns().get(column)
        if f is not None:
            properties[column] = f.value_kind.text_schema(f)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
            "properties": properties}


class CaseSet:
    """Nested case documents, with their flat tables and who is in them.

    Only documents whose shape lets them be flattened (a dict with a case_id, lists of records,
    identifiers that can be looked up) reach the tables and the rules across records; the JSON
    Schema reports what is wrong with the others.
    """

    def __init__(self, documents: list[Any]) -> None:
        self.documents = documents
        numbered = [(i, d) for i, d in enumerate(documents, start=1) if can_flatten(d)]
        self.usable = [d for _, d in numbered]
        self.number = {d["case_id"]: i for i, d in numbered}
        self.tables = model.documents_to_tables(self.usable)
        self.people = set(self.tables["people"]["person_id"])
        self.organisations = set(self.tables["organisations"]["organisation_id"])

    def cases(self) -> Iterator[tuple[int, str, dict[str, Any]]]:
        """(number, case_id, document) for each usable document, numbered as a person counts
        them (the first is 1)."""
        for document in self.usable:
            yield self.number.get(document["case_id"], 0), document["case_id"], document


_RECORD_LISTS = ("people", "organisations", "victims", "perpetrators", "referrals", "events",
                 "support_plans", "comments", "consents")


def can_flatten(document: Any) -> bool:
    """Whether a case document has the shape flat tables need (its values may still be wrong)."""
    if not isinstance(document, dict) or not isinstance(document.get("case_id"), Hashable) \
            or "case_id" not in document or not isinstance(document.get("case", {}), dict):
        return False
    for collection in _RECORD_LISTS:
        records = document.get(collection, [])
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            return False
    return all(isinstance(record.get(key), Hashable) and key in record
               for collection, key in (("people", "person_id"),
                                       ("organisations", "organisation_id"))
               for record in document.get(collection, []))
