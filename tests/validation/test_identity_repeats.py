"""Repeated identifiers found through hashes are exactly the repeats a plain loop finds."""

from __future__ import annotations

from collections import Counter
from datetime import date

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from htcds_learn._util.frames import as_text
from htcds_learn.validation.context import FastTable
from htcds_learn.validation.rules.identity import later_repeats, maybe_repeated

IDS = st.one_of(st.sampled_from(["", " ", "x", "x\x00", "\x00", "C-1", "C-1 ", "é"]),
                st.text(max_size=3))


@settings(max_examples=60, deadline=None)
@given(cases=st.lists(IDS, max_size=40), people=st.lists(IDS, max_size=40))
def test_later_repeats_are_the_rows_a_plain_loop_finds(cases, people):
    n = min(len(cases), len(people))
    cases, people = cases[:n], people[:n]
    cells = np.array(cases, dtype=object)
    counts = Counter(cases)
    flagged = maybe_repeated(cells).tolist()
    assert all(flagged[i] for i, c in enumerate(cases) if counts[c] > 1)  # never misses one
    table = FastTable(as_text(pd.DataFrame({"case_id": cases, "person_id": people},
                                           dtype=object)), date(2026, 1, 1))
    seen, plain = set(), []
    for i, key in enumerate(zip(cases, people)):
        if key in seen and not all(k.strip() == "" for k in key):
            plain.append(i)
        seen.add(key)
    assert later_repeats(table, ["case_id", "person_id"]).tolist() == plain
