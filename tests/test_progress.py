from __future__ import annotations

import json

import pytest

from htcds_learn._util.files import write_text_atomically
from htcds_learn.learn.progress import ProgressRecord, default_path


def test_the_record_lives_where_htcds_learn_home_points(progress_home):
    assert default_path() == progress_home / "progress.json"
    ProgressRecord().record_attempt("01-a", lesson="01", correct=False)
    saved = json.loads((progress_home / "progress.json").read_text())
    assert saved["checks"]["01-a"] == {"lesson": "01", "attempts": 1, "passed": False}


def test_progress_survives_a_restart_and_summarises_by_lesson(progress_home):
    ProgressRecord().record_attempt("01-a", lesson="01", correct=True)
    ProgressRecord().record_attempt("01-b", lesson="01", correct=False)
    ProgressRecord().complete_lesson("00")
    table = ProgressRecord().summary()
    assert table.to_dict("records") == [
        {"lesson": "00", "attempted": 0, "passed": 0, "completed": True},
        {"lesson": "01", "attempted": 2, "passed": 1, "completed": False},
    ]


def test_passing_is_remembered_even_after_a_later_wrong_answer(progress_home):
    record = ProgressRecord()
    record.record_attempt("01-a", lesson="01", correct=True)
    record.record_attempt("01-a", lesson="01", correct=False)
    assert ProgressRecord().passed("01-a")


@pytest.mark.parametrize("damage", ["{not json", "[]", '{"checks": 3}', "\udcff"])
def test_a_damaged_file_is_set_aside_with_a_warning(progress_home, damage):
    progress_home.mkdir(parents=True)
    path = progress_home / "progress.json"
    path.write_bytes(damage.encode("utf-8", "surrogateescape"))
    with pytest.warns(UserWarning, match="was damaged"):
        record = ProgressRecord()
    assert record.data["checks"] == {}
    backups = list(progress_home.glob("progress.json.damaged-*"))
    assert len(backups) == 1 and backups[0].read_bytes() == damage.encode(
        "utf-8", "surrogateescape")
    record.record_attempt("01-a", lesson="01", correct=True)
    assert ProgressRecord().passed("01-a")


def test_atomic_write_leaves_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    path = tmp_path / "file.txt"
    path.write_text("old")

    def broken_replace(*args):
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", broken_replace)
    with pytest.raises(OSError):
        write_text_atomically(path, "new")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["file.txt"]  # no temporary file left


def test_a_check_counts_as_attempted_after_any_answer_right_or_wrong(progress_home):
    record = ProgressRecord()
    assert not record.attempted("02-seed")
    record.record_attempt("02-seed", lesson="02", correct=False)
    assert ProgressRecord().attempted("02-seed") and not ProgressRecord().passed("02-seed")
