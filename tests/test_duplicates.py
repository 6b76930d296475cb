"""Duplicate records without identifiers (issue 13, item 3), from the side of the data officer
who receives a partner's spreadsheet: a row typed in twice, one person in two records."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import htcds_learn as hl
from htcds_learn.cli import main
from htcds_learn.validation import validate_table
from htcds_learn.validation.context import ReferenceTable
from htcds_learn.validation.flaws import inject_flaws, score
from htcds_learn.validation.rules import duplicates

TODAY = date(2026, 1, 1)


def both_engines(table: pd.DataFrame) -> pd.DataFrame:
    fast = validate_table(table, today=TODAY).findings
    pd.testing.assert_frame_equal(fast, validate_table(table, engine="reference",
                                                       today=TODAY).findings)
    return fast[fast["rule"].isin(["repeated-record", "likely-same-person"])]


def test_iom_template_with_a_row_typed_twice(tmp_path, capsys):
    """The issue's case: the template has no case id column; before, no finding at all."""
    core = hl.generate_core(5, seed=3)
    path = hl.write_template(pd.concat([core, core.iloc[[1]]], ignore_index=True),
                             tmp_path / "partner.xlsx")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    name = core.loc[1, "prs_FirstName"]
    assert f"Row 4, First Name: '{name}' is repeated in row 8: every cell except the " \
           "identifiers is the same." in out
    assert f"Row 8, First Name: '{name}' repeats row 4: every cell" in out


def test_one_person_written_differently_is_found_both_ways():
    person = {"prs_Birthdate": "2001-05-06", "prs_Citizenship": "NG", "prs_Gender": "Feminine"}
    table = pd.DataFrame([
        {"case_id": "C-1", "prs_FirstName": "Chiamaka", "prs_SecondName": "Okafor", **person},
        {"case_id": "C-2", "prs_FirstName": "OKAFOR", "prs_SecondName": "Chiamaka ", **person},
        {"case_id": "C-3", "prs_FirstName": "Chiamaka", "prs_SecondName": "Okafr", **person},
        {"case_id": "C-4", "prs_FirstName": "Chiamaka", "prs_SecondName": "Okafor",
         **person, "prs_Birthdate": "2001-05-07"},  # another birth date: another person
        {"case_id": "C-5", "prs_FirstName": "Ada", "prs_SecondName": "Eze", **person},
        {"case_id": "C-6", "prs_FirstName": "Ana", "prs_SecondName": "Eze", **person},
    ])
    found = both_engines(table)
    assert found[["row", "rule"]].values.tolist() == [
        [2, "likely-same-person"], [2, "likely-same-person"],
        [3, "likely-same-person"], [4, "likely-same-person"]]
    assert found["message"].tolist()[0].startswith(
        "Row 2, First Name: 'Chiamaka' is probably the same person as in row 3: the same "
        "birth date and citizenship")
    assert "row 4" in found["message"].tolist()[1]
    assert found["message"].tolist()[2].startswith("Row 3, First Name: 'OKAFOR' is probably "
                                                   "the same person as in row 2")


def test_a_copy_with_the_same_identifiers_is_left_to_duplicate_id():
    core = hl.generate_core(3, seed=1)
    found = validate_table(pd.concat([core, core.iloc[[0]]], ignore_index=True),
                           today=TODAY).findings
    assert found["rule"].tolist() == ["duplicate-id"]


def test_rows_without_names_are_never_duplicates_of_each_other():
    """A k-anonymous release holds identical rows by design: no names, no finding."""
    table = pd.DataFrame({"prs_Gender": ["Feminine"] * 3, "prs_Citizenship": ["NG"] * 3})
    assert both_engines(table).empty


def test_a_crowded_block_matches_only_names_written_alike():
    """200 people sharing a placeholder birth date: compared by hash, not pair by pair."""
    names = [f"Person{i:03d}" for i in range(200)]
    table = pd.DataFrame({"prs_FirstName": names + ["person007", "Person0O8"],
                          "prs_SecondName": ["Doe"] * 202, "prs_Birthdate": ["1900-01-01"] * 202,
                          "prs_Citizenship": ["NG"] * 202,
                          "cas_Status": ["Active"] * 200 + ["Closed"] * 2})
    found = both_engines(table)
    assert sorted(found["row"].tolist()) == [9, 202]  # the typo'd Person0O8 is not compared


def test_injected_duplicates_are_found_with_their_pairs():
    dirty, truth = inject_flaws(hl.generate_core(1500, seed=6), rate=0.08, seed=4,
                                kinds=["repeated-record", "same-person-again"])
    assert set(truth["kind"]) == {"repeated-record", "same-person-again"}
    assert (truth["pair"] > 1).all() and (truth["pair"] < truth["row"]).all()
    found = both_engines(dirty)
    result = score(found, truth)
    assert result["recall"] == 1.0 and result["precision"] >= 0.95, result
    assert duplicates.repeated_pairs_fast(dirty) + duplicates.likely_pairs_fast(dirty)


# --- the fast engine's short cuts change nothing ---------------------------------------------

NAME_TEXT = st.text(alphabet=st.sampled_from(list("abcdeéAÉ -'.ñß0ı") + ["ﬁ", "ǅ"]),
                    max_size=14)


@settings(max_examples=150, deadline=None, database=None)
@given(text=st.text(alphabet=st.characters(max_codepoint=127), max_size=20))
def test_ascii_names_are_written_alike_as_any_text_is(text):
    assert duplicates.normal_name(text) == duplicates._normal_any_name(text)


@settings(max_examples=150, deadline=None, database=None)
@given(a=NAME_TEXT, edits=st.lists(st.tuples(st.integers(0, 20), st.sampled_from(
    ["", "a", "é", " ", "x", "ı"])), max_size=3))
def test_letter_counts_never_rule_out_names_that_score_as_similar(a, edits):
    """Pairs of names ruled out by their lengths and letter counts all score below the
    threshold: rapidfuzz, asked about every pair, says the same."""
    from rapidfuzz import fuzz

    b = a
    for at, text in edits:  # a few letters inserted, deleted or changed
        b = b[:at] + text + b[at + 1:]
    names = [duplicates.normal_name(a), duplicates.normal_name(b)]
    letters = duplicates._letters(names)
    length = np.array([len(n) for n in names])
    kept = duplicates._may_be_similar(letters, length, np.array([0]), np.array([1]))[0]
    if fuzz.ratio(*names) >= duplicates.NAME_SIMILARITY:
        assert kept


def test_the_fast_engine_finds_the_pairs_the_reference_engine_finds_among_near_names():
    """Blocks of about 14 people, names close and far: every short cut
    (lengths, letter counts, names written alike) taken, the same pairs."""
    rng = np.random.default_rng(3)
    stems = ["Chiamaka Okafor", "Ana Souza", "Nguyễn Thị Lan", "Maria Silva", "Mario Silva",
             "Ada Eze", "Ana Eze", "Olu", "Jean-Luc Picard", "ŁUKASZ Wójcik"]
    rows = []
    for _ in range(400):
        first, _, second = stems[rng.integers(len(stems))].partition(" ")
        if rng.random() < 0.3:
            at = rng.integers(len(second) + 1)
            second = second[:at] + "xyz"[rng.integers(3)] + second[at + 1:]
        if rng.random() < 0.2:
            first, second = second.upper(), first
        rows.append({"prs_FirstName": first, "prs_SecondName": second,
                     "prs_Birthdate": f"1990-01-{rng.integers(1, 29):02d}",
                     "prs_Citizenship": "NG", "cas_Status": f"s{rng.integers(5)}"})
    table = pd.DataFrame(rows)
    fast = duplicates.likely_pairs_fast(table)
    reference = duplicates.likely_pairs_reference(ReferenceTable(table, TODAY))
    assert fast == reference and len(fast) > 50
