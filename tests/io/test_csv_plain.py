"""The CSV reader's fast way (a survey of the bytes, then pandas alone) reads exactly what the
checked way (Python's csv module in strict mode first) reads, and lets nothing through that
the checked way refuses: same table, same notes, same message. (The fuzz test compares the
two ways on every file it makes, see ``test_fuzz.py``.)"""

from __future__ import annotations

import pandas as pd
import pytest

import htcds_learn as hl
from htcds_learn.errors import InputError
from htcds_learn.io import csv as csv_reader
from htcds_learn.io.csv_survey import survey
from htcds_learn.io.limits import MAX_CELL


def outcome(path):
    """What a data officer gets: the table and its notes, or the one-line message."""
    try:
        loaded = csv_reader.read_csv(path)
    except InputError as error:
        return str(error)
    return loaded.table, loaded.notes, loaded.kind, loaded.header_rows, loaded.renamed


def checked_only(path, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(csv_reader, "_read_plain", lambda *args: None)
        return outcome(path)


def same(fast, checked) -> None:
    if isinstance(checked, str) or isinstance(fast, str):
        assert fast == checked
        return
    pd.testing.assert_frame_equal(fast[0], checked[0])
    assert fast[1:] == checked[1:]


def test_a_core_table_is_plain_and_read_alike(tmp_path, monkeypatch):
    path = tmp_path / "core.csv"
    hl.generate_core(300, seed=2).to_csv(path, index=False)
    found = survey(path, ",")
    assert found is not None and found.lines == 301
    same(outcome(path), checked_only(path, monkeypatch))


@pytest.mark.parametrize("text, why", [
    ('a,b\n"x" y,z\n', "text after a closing quote"),
    ('a,b\n"x,z\n', "a quote never closed"),
    ('a,b\n"x\ny",z\n', "a cell over two lines"),
    ("a,b\nx\ry,z\n", "a lone carriage return"),
    ("a,b\nx\x00,z\n", "a NUL character"),
    ('a,b\n""x,z\n', "text after an empty quoted cell"),
    ('a,b\nx,"y""\n', "a doubled quote at the end, never closed"),
    ("a,b\n" + "x" * (MAX_CELL + 1) + ",z\n", "a line longer than a cell may be"),
])
def test_what_the_survey_leaves_to_the_strict_check(tmp_path, text, why):
    path = tmp_path / "odd.csv"
    path.write_bytes(text.encode())
    assert survey(path, ",") is None, why


@pytest.mark.parametrize("text", [
    'a,b\n"say ""hi""",z\n',  # doubled quotes: the regular expression's way
    'a,b\nO"Brien,z\n',  # a quote inside an unquoted cell is text
    'a;b\r\n"x;y";z\r\n',
    "a,b\nx,y",  # no line end at the end
])
def test_plain_files_with_less_usual_quoting_stay_on_the_fast_way(tmp_path, monkeypatch,
                                                                   text):
    path = tmp_path / "plain.csv"
    path.write_bytes(text.encode())
    assert survey(path, text[1]) is not None
    same(outcome(path), checked_only(path, monkeypatch))


def test_short_rows_and_blank_lines_are_noted_with_their_lines(tmp_path, monkeypatch):
    """pandas pads them without a word: the fast way finds them and lets the checked way
    write the note, with the lines."""
    path = tmp_path / "short.csv"
    path.write_text('prs_Gender,cas_Status\nFeminine,Active\n\n"Masculine"\nFeminine,\n')
    loaded = csv_reader.read_csv(path)
    assert loaded.notes == ["2 rows have fewer cells than the header's 2 columns (first on "
                            "lines 3, 4): the missing cells were read as blank. Check that no "
                            "value moved to the wrong column."]
    same(outcome(path), checked_only(path, monkeypatch))
