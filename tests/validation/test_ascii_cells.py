"""Checks of many cells at once as one block of ASCII bytes give exactly Python's answers.

The plain way, for each cell: ``not cell.strip()``, ``cell != cell.strip()``, ``len(cell)``
and the kind's own regular expression (``re.search``). Random ASCII text is drawn from the
characters that matter: every kind of whitespace, "@", ".", "+", digits, NUL.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from htcds_learn.standard.kinds import EMAIL_PATTERN, PHONE_PATTERN, Date
from htcds_learn.validation import context, validate_table
from htcds_learn.validation.cells import TESTS, AsciiCells, iso_days

TODAY = date(2026, 1, 1)
ASCII = st.text(alphabet=" \t\x0b\x0c\r\x1c\x1f\x00\x7f@.+-_019aZ", max_size=10)
SHAPED = st.sampled_from(["", " ", "+2348012345678", "2348012345678", "+0123", "+1", "12",
                          "1" * 15, "1" * 16, "+" + "1" * 15, "a@b.org", "a@b.", "@b.c",
                          "a@.c", "a@..c", "a@b@c.d", "a @b.c", "a@b.c\x1c", " a@b.c"])
CELLS = st.lists(st.one_of(ASCII, SHAPED), max_size=30)
PATTERNS = {"phone": PHONE_PATTERN, "email": EMAIL_PATTERN}


@settings(max_examples=120, deadline=None)
@given(cells=CELLS)
def test_the_block_answers_as_python_does_cell_by_cell(cells):
    block = AsciiCells.of(cells)
    assert block is not None
    assert block.lengths.tolist() == [len(c) for c in cells]
    assert block.blank.tolist() == [not c.strip() for c in cells]
    assert block.padded.tolist() == [bool(c.strip()) and c != c.strip() for c in cells]
    assert set(TESTS) == set(PATTERNS)
    for kind, pattern in PATTERNS.items():
        assert block.test(kind).tolist() == [bool(re.search(pattern, c)) for c in cells], kind


def test_cells_that_are_not_one_ascii_line_are_left_to_python():
    assert AsciiCells.of(["+2348012345678\n"]) is None  # "$" also matches before "\n"
    assert AsciiCells.of(["a", "b\nc"]) is None
    assert AsciiCells.of(["é@b.org"]) is None  # one character, two bytes
    assert AsciiCells.of(["١٢٣"]) is None  # digits to "\d", not to a byte test
    assert AsciiCells.of([1, "a"]) is None  # type: ignore[list-item]
    assert AsciiCells.of([]) is not None and AsciiCells.of([""]).blank.tolist() == [True]


@settings(max_examples=15, deadline=None)
@given(changes=st.lists(st.tuples(st.integers(0, 399), st.sampled_from(
    ["prs_MobilePhone", "prs_HomePhone", "prs_Email"]), st.one_of(ASCII, SHAPED)),
    min_size=1, max_size=20))
def test_contact_columns_checked_as_bytes_get_the_reference_engines_findings(changes):
    # Judged on 50 cells, the contact columns are "mostly distinct": every cell goes
    # through the block of bytes. The reference engine checks the rows that changed.
    table = _contacts().copy()
    for row, column, value in changes:
        table.at[row, column] = value
    saved, context.DISTINCT_SAMPLE = context.DISTINCT_SAMPLE, 50
    try:
        ours = validate_table(table, today=TODAY).findings
    finally:
        context.DISTINCT_SAMPLE = saved
    rows = sorted({row for row, _, _ in changes})
    part = table.iloc[rows].reset_index(drop=True)
    reference = validate_table(part, engine="reference", today=TODAY).findings
    theirs = reference[reference["rule"] != "duplicate-id"]
    mine = ours[ours["row"].isin([r + 2 for r in rows]) & (ours["rule"] != "duplicate-id")]
    position = {r + 2: i + 2 for i, r in enumerate(rows)}
    assert [(position[r], f, rule, v) for r, f, rule, v in zip(
        mine["row"], mine["field"], mine["rule"], mine["value"])] == list(zip(
            theirs["row"], theirs["field"], theirs["rule"], theirs["value"]))


def _contacts() -> pd.DataFrame:
    """400 synthetic rows of contact details, nearly all different (made up, not Faker's)."""
    return pd.DataFrame({
        "case_id": [f"CASE-{i}" for i in range(400)],
        "prs_MobilePhone": [f"+2348{i * 7919 % 10**9:09d}" for i in range(400)],
        "prs_HomePhone": ["" if i % 3 else f"0{i:09d}" for i in range(400)],
        "prs_Email": [f"person.{i}@example.org" for i in range(400)]}, dtype=object)


DATES = st.one_of(st.dates().map(date.isoformat), st.text(
    alphabet="0123456789-/ ", min_size=8, max_size=11),
    st.sampled_from(["0000-01-01", "0001-01-01", "9999-12-31", "2023-02-29", "2024-02-29",
                     "1900-02-29", "2000-02-29", "2024-04-31", "2024-13-01", "2024-00-10",
                     "2024-01-00", "2024-1-011", " 2024-01-01", "2024-01-01 "]))


@settings(max_examples=100, deadline=None)
@given(cells=st.lists(DATES, max_size=30))
def test_dates_read_from_the_block_are_the_days_python_reads(cells):
    block = AsciiCells.of(cells)
    assert block is not None
    expected = [-1 if Date.parse(c) is None else Date.parse(c).toordinal() for c in cells]
    assert iso_days(block).tolist() == expected
