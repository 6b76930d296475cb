"""Writing datasets to disk, the generate command and the course dataset."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from htcds_learn.model import schema
from htcds_learn.synth import CaseGenerator, course_dataset, dataset
from tests._cli import run_cli


def test_csv_dataset_matches_the_generator_and_says_it_is_synthetic(tmp_path):
    meta = dataset.write_dataset(tmp_path, 40, seed=3, fmt="csv")
    tables = CaseGenerator(seed=3).tables(40)
    for name, frame in tables.items():
        written = pd.read_csv(tmp_path / f"{name}.csv", dtype=str, keep_default_na=False)
        assert list(written.columns) == list(frame.columns)
        assert len(written) == len(frame) == meta["files"][f"{name}.csv"]["rows"]
    saved = json.loads((tmp_path / "dataset.json").read_text())
    assert saved == meta
    assert saved["synthetic"] is True and "No record describes a real person" in saved["statement"]
    assert saved["seed"] == 3 and saved["generator"]["faker"]


def test_json_dataset_holds_valid_case_documents(tmp_path):
    dataset.write_dataset(tmp_path, 30, seed=4, fmt="json")
    documents = json.loads((tmp_path / "cases.json").read_text("utf-8"))
    assert len(documents) == 30
    assert all(schema.schema_errors(d) == [] and d["synthetic"] for d in documents)


def test_xlsx_dataset_has_a_sheet_per_table(tmp_path):
    meta = dataset.write_dataset(tmp_path, 10, seed=4, fmt="xlsx")
    sheets = pd.read_excel(tmp_path / "cases.xlsx", sheet_name=None)
    assert set(sheets) == set(meta["files"]["cases.xlsx"]["sheets"])
    assert sheets["core"]["synthetic"].all()


def test_a_failed_run_leaves_the_folder_as_it_was(tmp_path, monkeypatch):
    (tmp_path / "keep.txt").write_text("mine")
    dataset.write_dataset(tmp_path, 5, seed=1, fmt="csv")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    original = CaseGenerator.iter_tables

    def broken(self, *args, **kwargs):
        yield from original(self, *args, **kwargs)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(CaseGenerator, "iter_tables", broken)
    with pytest.raises(OSError):
        dataset.write_dataset(tmp_path, 5, seed=2, fmt="csv", force=True)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_too_many_rows_for_excel_is_refused_before_writing(tmp_path, monkeypatch):
    monkeypatch.setattr(dataset, "EXCEL_MAX_ROWS", 20)
    with pytest.raises(dataset.DatasetError, match="an Excel sheet holds at most 20"):
        dataset.write_dataset(tmp_path, 30, seed=1, fmt="xlsx")
    assert list(tmp_path.iterdir()) == []


def test_generate_command_writes_and_reports(tmp_path):
    result = run_cli("generate", "--cases", "25", "--seed", "8", "--format", "csv",
                     "--out", str(tmp_path / "out"), "--no-progress")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Wrote 25 synthetic cases (seed 8) to ")
    assert (tmp_path / "out" / "core.csv").exists()


@pytest.mark.parametrize("args, message", [
    (["--cases", "0"], "argument --cases: --cases must be 1 or more, not 0"),
    (["--cases", "many"], "argument --cases: --cases must be a whole number, not 'many'"),
    (["--cases", "5", "--seed", "-3"], "argument --seed: --seed must be 0 or more, not -3"),
    (["--cases", "5", "--locales", "en_NX"],
     "argument --locales: Faker has no locale 'en_NX'. Did you mean"),
    (["--cases", "5", "--format", "pdf"], "argument --format: invalid choice: 'pdf'"),
    (["--cases", "5", "--locales", "fr_FR"],
     "Error: None of the locales fr_FR is used by the profile 'default'."),
])
def test_generate_rejects_bad_arguments_clearly(tmp_path, args, message):
    result = run_cli("generate", *args, "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_generate_with_a_broken_profile_names_the_file(tmp_path):
    profile = tmp_path / "mine.json"
    profile.write_text('{"name": "mine"}')
    result = run_cli("generate", "--cases", "5", "--profile", str(profile),
                     "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.startswith(f"Error: {profile}: missing sources, registration_years")


def test_generate_refuses_a_file_as_output_folder(tmp_path):
    target = tmp_path / "file.csv"
    target.write_text("not a folder")
    result = run_cli("generate", "--cases", "5", "--out", str(target))
    assert result.returncode == 2
    assert result.stderr == f"Error: {target} is a file, not a folder. Choose a folder for --out.\n"
    assert target.read_text() == "not a folder"


def test_profile_command_prints_the_default_profile():
    result = run_cli("profile")
    assert json.loads(result.stdout)["name"] == "default"


def test_the_course_dataset_is_the_shipped_one(repo):
    core = course_dataset()["core"]
    shipped = pd.read_csv(repo / "synthetic_data" / "csv" / "core.csv", dtype=str,
                          keep_default_na=False)
    assert list(core.columns) == list(shipped.columns)
    assert (core.astype(str).to_numpy() == shipped.to_numpy()).all()


@pytest.mark.slow
def test_regenerating_the_shipped_dataset_gives_identical_bytes(repo):
    env = dict(os.environ, PYTHONHASHSEED="12345")  # a new process, with other hashing
    result = subprocess.run([sys.executable, str(repo / "scripts" / "build_synthetic_data.py"),
                             "--check"], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
