"""Rows grouped by the object they hold: the fast engine checks each distinct object once.

The plain ways: ``as_text`` (every cell looked at), and the reference engine for findings.
Columns here repeat a few cells (shared objects, as pandas' readers make them), add equal
texts in fresh objects, and odd values: blanks, spaces, NUL, numbers, None.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from htcds_learn._util import frames
from htcds_learn._util.frames import as_text, object_groups, text_and_groups
from htcds_learn.validation import validate_table

TODAY = date(2026, 1, 1)
ODD = st.sampled_from(["", " ", "\x00", "Feminine", "Femal", " Feminine", "Closed",
                       "Follow up", "NG", "NG;UK", "2020-02-30", "2020-01-01", "44000",
                       "+2348012345678", "0803 123", "a@b.org", "x" * 300, "é"])
CELL = st.one_of(ODD, st.text(max_size=6))
COLUMNS = ["prs_Gender", "cas_Status", "prs_Citizenship", "prs_Birthdate", "prs_MobilePhone",
           "prs_MailingCity", "vic_TypeOfExploitation", "case_id"]


@contextmanager
def _shared_sample(sample: int):
    """Judge whether rows share objects on ``sample`` cells (tables of 2 x sample rows)."""
    saved, frames.SHARED_SAMPLE = frames.SHARED_SAMPLE, sample
    try:
        yield
    finally:
        frames.SHARED_SAMPLE = saved


def _table(cells: dict[str, list], copies: int, odd: list) -> pd.DataFrame:
    """Each column: its few cells repeated (one object per text), then fresh equal texts,
    then odd cells (maybe not text at all)."""
    columns = {}
    for column, few in cells.items():
        shared = [few[i % len(few)] for i in range(4 * copies)]
        fresh = ["".join([few[i % len(few)], ""]) for i in range(4)]  # new objects
        columns[column] = [*shared, *fresh, *odd]
    return pd.DataFrame(columns, dtype=object)


@settings(max_examples=8, deadline=None)
@given(cells=st.fixed_dictionaries({c: st.lists(CELL, min_size=1, max_size=4)
                                    for c in COLUMNS}),
       copies=st.integers(8, 10),
       odd=st.lists(st.one_of(CELL, st.sampled_from([None, 1.5, 3.0])), max_size=3))
def test_checking_each_object_once_gives_the_reference_engines_findings(cells, copies, odd):
    table = _table(cells, copies, odd)
    with _shared_sample(8):
        text, groups = text_and_groups(table, renumber=True)
        ours = validate_table(table, today=TODAY).findings
    assert text.equals(as_text(table, renumber=True))
    if all(isinstance(v, str) for v in odd):  # else every column is turned into text
        assert set(groups) == set(COLUMNS)
    for column, (by_object, first) in groups.items():
        cells_of = text[column].to_numpy()
        assert all(a is b for a, b in zip(cells_of[first][by_object], cells_of))
    reference = validate_table(table, engine="reference", today=TODAY).findings
    pd.testing.assert_frame_equal(ours, reference)


def test_columns_of_mostly_different_objects_are_not_grouped():
    distinct = pd.Series([f"P-{i}" for i in range(40)], dtype=object).to_numpy()
    assert object_groups(distinct, sample=10) is None
    shared = pd.Series(["a-1", "b-2"] * 20, dtype=object).to_numpy()
    by_object, first = object_groups(shared, sample=10)
    assert by_object.tolist() == [0, 1] * 20 and first.tolist() == [0, 1]
    with _shared_sample(10):
        _, groups = text_and_groups(pd.DataFrame({"a": distinct, "b": shared,
                                                  "c": [*shared[:-1], 1.0]}))
    assert set(groups) == {"b"}  # "c" holds a number: its cells are turned into text



def test_boolean_columns_become_two_shared_text_objects():
    flags = pd.DataFrame({"con_Consent": [True, False, True, True]})
    text = as_text(flags)["con_Consent"].to_numpy()
    assert text.tolist() == ["True", "False", "True", "True"]
    assert text[0] is text[2] is text[3]  # one object per text: grouped by object cheaply


def test_columns_grouped_on_several_threads_give_what_one_thread_gives(monkeypatch):
    """Race guard for the threads in text_and_groups: the same text and the same groups, in
    the same columns, as one thread (the groups themselves are checked above)."""
    from htcds_learn._util import threads

    names = [f"c{i}" for i in range(12)]
    shared = [f"v{i}" for i in range(20)]  # rows share these objects, as readers make them
    table = pd.DataFrame({name: [shared[i % (j + 2)] for i in range(30_000)]
                          for j, name in enumerate(names)})
    table["flag"] = [True, False] * 15_000
    table["count"] = range(30_000)
    many_text, many = text_and_groups(table)
    monkeypatch.setattr(threads, "workers", lambda limit=4: 1)
    one_text, one = text_and_groups(table)
    assert threads.workers() == 1 and sorted(many) == sorted(one) == sorted(names)
    assert many_text.equals(one_text)
    for name in names:
        assert (many[name][0] == one[name][0]).all() and (many[name][1] == one[name][1]).all()
