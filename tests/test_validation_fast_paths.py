"""The fast engine's shortcuts give exactly what the plain way gives, on the same data.

Plain ways: ``factorize_exact`` for grouping text, one Python test per distinct value for
blanks, padding and lengths, ``render`` finding by finding for the report's words, and the
reference engine (one record at a time) for the findings themselves.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import htcds_learn as hl
from htcds_learn._util.frames import as_text, factorize_exact
from htcds_learn.validation import context, validate_table
from htcds_learn.validation.context import FastTable, factorize_text
from htcds_learn.validation.engines import cycle_collection_paused, fast, header
from htcds_learn.validation.flaws import inject_flaws
from htcds_learn.validation.report import render, table_report
from htcds_learn.validation.rules.identity import later_repeats

TODAY = date(2026, 1, 1)
CELL = st.sampled_from(["", " ", "a", " a", "a ", "a\x00", "\x00", "ab", "x" * 300, "Femal"])


@settings(max_examples=40, deadline=None)
@given(cells=st.lists(CELL, min_size=1, max_size=30), copies=st.integers(1, 1200))
def test_grouping_by_shared_objects_equals_exact_factorize(cells, copies):
    # Repeating the list shares objects between rows, as pandas' readers do; fresh copies
    # of the same text (made with join) must still get the same code.
    values = pd.Series([*(cells * copies), *("".join([c]) for c in cells)], dtype=object)
    codes, uniques = factorize_text(values, sample=10)
    plain_codes, plain_uniques = factorize_exact(values)
    assert codes.tolist() == plain_codes.tolist()
    assert list(uniques) == list(plain_uniques)


@settings(max_examples=40, deadline=None)
@given(cells=st.lists(CELL, min_size=1, max_size=40), sample=st.sampled_from([None, 2]))
def test_fused_tests_of_checked_values_equal_one_test_per_cell(cells, sample):
    # sample=2: most of these columns count as "mostly distinct", so every cell is checked
    # (no distinct values first); None: the distinct values are checked, then broadcast.
    with _distinct_sample(sample):
        table = FastTable(pd.DataFrame({"prs_MailingCity": cells}), TODAY)
        column = table.column("prs_MailingCity")
        u = column.checked
        assert column.checked_blank.tolist() == [not v.strip() for v in u]
        assert column.checked_padded.tolist() == [bool(v.strip()) and v != v.strip()
                                                  for v in u]
        assert column.checked_lengths.tolist() == [len(v) for v in u]
        assert column.each(lambda v: "a" in v).tolist() == ["a" in v for v in u]
        assert column.blank.tolist() == [not v.strip() for v in cells]
        assert list(column.per_row(u)) == cells
        assert list(column.uniques[column.codes]) == cells  # codes stay exact either way


@contextmanager
def _distinct_sample(sample):
    """Judge "mostly distinct" on ``sample`` cells (None: the default), then restore it."""
    saved = context.DISTINCT_SAMPLE
    context.DISTINCT_SAMPLE = saved if sample is None else sample
    try:
        yield
    finally:
        context.DISTINCT_SAMPLE = saved


FIELDS = ["prs_Gender", "prs_Birthdate", "cas_IncomingReferralDate", "con_Consent",
          "prs_MobilePhone", "prs_Email", "prs_Citizenship", "vic_TypeOfExploitation",
          "vic_ForcedLabourIndustry", "prs_MailingCity", "case_id", "person_id"]
ODD = ["", " ", "\x00", "x", "x\x00", " x", "x ", "\t", "Femal", "2020-02-30", "44000",
       "+2348012345678\n", "0803 123", "no-at-sign", "NG;UK", "a@b.org", "x" * 300]


@settings(max_examples=40, deadline=None)
@given(changes=st.lists(st.tuples(st.integers(0, 11), st.sampled_from(FIELDS),
                                  st.sampled_from(ODD)), max_size=30),
       sample=st.sampled_from([None, 2]))
def test_each_cell_checked_or_each_distinct_value_the_reference_engine_agrees(changes,
                                                                             sample):
    # Identifier columns with odd values (blank, spaces, NUL, repeated) get exactly the
    # reference engine's findings, whichever way the fast engine checks the values.
    table = hl.generate_core(12, seed=3).astype(object)
    for row, column, value in changes:
        table.at[row, column] = value
    with _distinct_sample(sample):
        ours = validate_table(table, today=TODAY).findings
    reference = validate_table(table, engine="reference", today=TODAY).findings
    pd.testing.assert_frame_equal(ours, reference)


def test_repeated_identifiers_are_compared_exactly():
    # pandas compares object text as C strings ('x' equals 'x\x00' to it): the rows it
    # takes for repeats are only candidates; blank identifiers are never repeats.
    table = pd.DataFrame({"case_id": ["x", "x\x00", "x", "", "", " ", "y", "x"],
                          "person_id": ["p", "p", "q", "", "", " ", "p", "p"]})
    findings = validate_table(table, today=TODAY).findings
    duplicates = findings[findings["rule"] == "duplicate-id"]
    assert duplicates["row"].tolist() == [9]
    assert later_repeats(FastTable(as_text(table), TODAY), ["case_id", "person_id"]
                         ).tolist() == [7]


def test_the_report_words_every_finding_as_render_does():
    dirty, _ = inject_flaws(hl.generate_core(1500, seed=5), rate=0.3, seed=2)
    text = as_text(dirty, renumber=True)
    found = header(text) + fast(text, TODAY)
    report, items = table_report(found, text, first_row=2)
    assert len(items) > 300
    assert report["message"].tolist() == [render(item)[0] for item in items]
    assert report["hint"].tolist() == [render(item)[1] for item in items]


def test_the_fast_engine_still_equals_the_reference_engine_on_flawed_rows():
    dirty, truth = inject_flaws(hl.generate_core(1200, seed=8), rate=0.2, seed=4)
    dirty = pd.concat([dirty, dirty.head(30)], ignore_index=True)  # duplicate identifiers
    ours = validate_table(dirty, today=TODAY).findings
    reference = validate_table(dirty, engine="reference", today=TODAY).findings
    pd.testing.assert_frame_equal(ours, reference)
    assert (ours["rule"] == "duplicate-id").sum() >= 30 and len(truth) > 100


def test_duplicates_of_a_pair_of_identifiers_are_found_on_the_later_row():
    table = pd.DataFrame({"case_id": ["C1", "C1", "C2", "C1", ""],
                          "person_id": ["P1", "P2", "P1", "P1", ""]})
    findings = validate_table(table, today=TODAY).findings
    duplicates = findings[findings["rule"] == "duplicate-id"]
    assert duplicates["row"].tolist() == [5] and np.array_equal(
        duplicates["value"].to_numpy(), np.array(["C1|P1"], dtype=object))


def test_the_cycle_collector_is_paused_only_while_a_table_is_checked():
    assert gc.isenabled()
    with cycle_collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with pytest.raises(KeyError), cycle_collection_paused():
            raise KeyError("a check that fails")
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()
