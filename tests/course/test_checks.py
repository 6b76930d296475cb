"""Trusted checks (htcds_learn.course.checks): answers travel as plain data, the grader judges.

What a trainee's kernel can do to the answers is limited to the data it records: these tests
forge that data, feed objects that lie about equality, and check that the grader's verdict
depends on the data alone, with partial credit and messages in the trainee's terms.
"""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from htcds_learn.course import checks
from htcds_learn.course.checks import (
    AnswerDataError,
    Answers,
    CheckFailed,
    Opaque,
    call,
    decode,
    encode,
    judge,
    record,
    split_check,
    variable,
)


def through_json(value):
    return decode(json.loads(json.dumps(encode(value), allow_nan=False)))


plain = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(st.text(max_size=5) | st.integers(), inner, max_size=4),
    max_leaves=20)


@given(plain)
def test_plain_python_values_survive_the_trip_exactly(value):
    back = through_json(value)
    assert back == value
    assert type(back) is type(value)


def test_tables_dates_bytes_and_numpy_values_survive_with_their_types():
    frame = pd.DataFrame({"n": [1, 2], "x": [0.5, math.nan], "s": ["a", None],
                          "b": [True, False], "d": pd.to_datetime(["2024-01-01", None])},
                         index=[10, 11])
    frame.index.name = "row"
    back = through_json(frame)
    assert back.equals(frame) and list(back.dtypes) == list(frame.dtypes)
    assert back.index.name == "row"
    table = pd.crosstab(pd.Series(["NG", "UA", "NG"], name="citizenship"),
                        pd.Series(["F", "M", "M"], name="gender"), margins=True,
                        margins_name="Total")
    assert through_json(table).equals(table)
    series = pd.Series([1.5, 2.5], index=["a", "b"], name="share")
    assert through_json(series).equals(series)
    for value in (dt.date(2024, 2, 29), dt.datetime(2024, 1, 1, 12, 30), b"\x00key",
                  {1, 2}, frozenset({"a"}), np.int64(3), np.bool_(True), float("inf")):
        back = through_json(value)
        assert back == value and type(back) in (type(value), set)
    assert type(through_json(np.bool_(True))) is np.bool_  # `is True` fails, as it did
    array = np.arange(6).reshape(2, 3)
    assert (through_json(array) == array).all()


def test_an_object_that_lies_about_equality_arrives_as_data_that_equals_nothing():
    class AlwaysEqual:
        def __eq__(self, other):
            return True

        def __repr__(self):
            return "AlwaysEqual()"

    class LyingList(list):
        def __eq__(self, other):
            return True

    back = through_json(AlwaysEqual())
    assert isinstance(back, Opaque) and back != back and back != ["con_Consent"]
    assert through_json(LyingList([1])) == [1]
    assert through_json(LyingList([1])) != ["con_Consent"]
    assert type(through_json(LyingList([1]))) is list


@pytest.mark.parametrize("forged", [
    {"$object": ["builtins.eval", "x"], "extra": 1},
    {"$eval": "__import__('os')"},
    {"$dict": [["a"]]},
    {"$frame": {"index": {"range": [0, 2, 1]}, "columns": {"values": ["a"]},
                "dtypes": ["int64"], "data": [[1]]}},  # two rows promised, one given
    {"$numpy": ["O", 1]},
    {"__class__": "x"},
])
def test_forged_answer_data_is_refused_not_obeyed(forged):
    with pytest.raises(AnswerDataError):
        decode(forged)


def test_record_keeps_each_answer_even_when_another_call_fails():
    def broken():
        raise NotImplementedError

    answer = record(ok=call(sorted, [3, 1]), bad=call(broken), value=[1, 2])
    assert answer["ok"] == [1, 3] and answer["value"] == [1, 2]
    assert answer.raised("bad", "NotImplementedError") and not answer.raised("ok")
    with pytest.raises(CheckFailed, match=r"broken\(\) stopped with an error: "
                                          r"NotImplementedError"):
        answer["bad"]
    missing = record(mapping=variable("not_defined_anywhere"))
    with pytest.raises(CheckFailed, match="not_defined_anywhere is not defined yet"):
        missing["mapping"]


def test_record_writes_the_answers_into_the_output_only_while_graded(monkeypatch):
    published = []
    import IPython.display

    monkeypatch.setattr(IPython.display, "publish_display_data", published.append)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    record(x=1)
    assert published == []
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    record(x=1)
    assert Answers.from_data(published[0][checks.MIME])["x"] == 1


CHECK = '''# Check 2
probe = "Case"
answer = record(case=call(core_field_names, probe), consent=call(core_field_names, "Consent"))
expect(answer["consent"] == ["con_Consent"], "core_field_names('Consent') is not right.")
print("Check 2 passed the example.")
### BEGIN HIDDEN TESTS
with part(1):
    expect(answer["case"] == ["cas_Status"], "core_field_names('Case') is not right.")
### END HIDDEN TESTS
'''


def recorded(**results):
    items = [[name, name, {"value": encode(value)}] for name, value in results.items()]
    return {"version": 1, "answers": items}


def test_the_grader_scores_the_data_with_partial_credit_and_plain_messages():
    full = judge(CHECK, recorded(case=["cas_Status"], consent=["con_Consent"]), {}, 3)
    assert (full.score, full.status, full.messages) == (3.0, "passed", [])
    assert full.printed == "Check 2 passed the example.\n"
    partial = judge(CHECK, recorded(case=[], consent=["con_Consent"]), {}, 3)
    assert (partial.score, partial.status) == (2.0, "partial")
    assert partial.messages == ["core_field_names('Case') is not right. (1 point)"]
    wrong = judge(CHECK, recorded(case=["cas_Status"], consent=[]), {}, 3)
    assert (wrong.score, wrong.status) == (0.0, "failed")
    assert wrong.messages == ["core_field_names('Consent') is not right."]


def test_no_answers_or_unreadable_answers_score_zero_with_the_reason():
    none = judge(CHECK, None, {}, 3, not_run="NameError: name 'core_field_names' is not defined")
    assert none.status == "not-run" and none.score == 0
    assert "NameError" in none.messages[0]
    forged = judge(CHECK, {"version": 1, "answers": [["case", "x", {"$eval": 1}]]}, {}, 3)
    assert forged.status == "not-run" and forged.score == 0


def test_a_bare_failed_assert_in_a_hidden_check_shows_no_code():
    source = ("answer = record(x=1)\n### BEGIN HIDDEN TESTS\n"
              "assert answer['x'] == 2\n### END HIDDEN TESTS\n")
    verdict = judge(source, recorded(x=1), {}, 1)
    assert verdict.messages == ["A check did not pass."]


def test_a_check_that_runs_too_long_is_stopped():
    verdict = judge("answer = record(x=1)\nwhile True:\n    pass\n", recorded(x=1), {}, 1,
                    timeout=0.5)
    assert verdict.score == 0 and "stopped this check after 0.5 seconds" in verdict.messages[0]


def test_split_check_finds_the_recording_statement_and_keeps_line_numbers():
    name, body = split_check(CHECK)
    assert name == "answer"
    assert body.count("\n") == CHECK.count("\n")
    assert "record(" not in body and 'probe = "Case"' in body
    assert split_check("assert x == 1") is None
    assert split_check("not python (") is None
