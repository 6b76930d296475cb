"""Reading real inputs: CSV variants, IOM's templates, survey exports, and bad files."""

from __future__ import annotations

import hashlib
import json
from importlib import resources

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import htcds_learn as hl
from htcds_learn import io
from htcds_learn.errors import InputError
from htcds_learn.validation import validate_table
from tests._cli import run_cli

OFFICIAL = resources.files("htcds_learn") / "data" / "official"
CORE = hl.generate_core(40, seed=6)


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
@pytest.mark.parametrize("encoding, bom", [("utf-8", False), ("utf-8", True),
                                           ("utf-16", True), ("cp1252", False)])
def test_csv_delimiters_and_encodings(tmp_path, delimiter, encoding, bom):
    table = CORE.head(5).map(  # text every encoding here can hold
        lambda v: v.encode("cp1252", "replace").decode("cp1252") if isinstance(v, str) else v)
    table.loc[0, "prs_MailingCity"] = "Zürich"
    path = tmp_path / "cases.csv"
    text = table.to_csv(index=False, sep=delimiter)
    data = text.encode(encoding)
    if bom and encoding == "utf-8":
        data = b"\xef\xbb\xbf" + data
    path.write_bytes(data)
    loaded = io.read_table(path)
    assert loaded.delimiter == delimiter
    assert loaded.table.loc[0, "prs_MailingCity"] == "Zürich"
    assert list(loaded.table.columns) == list(table.columns)
    assert validate_table(loaded.table).findings.empty


@pytest.mark.parametrize("name", [
    "HTCDS Excel Spreadsheet v2.0.xlsx",
    "HTCDS Excel Spreadsheet single select with validation v2.0.xlsx"])
def test_the_official_templates_are_read_with_their_defects_resolved(tmp_path, name):
    from openpyxl import load_workbook

    with pytest.raises(InputError, match="the file holds no records, only a header"):
        io.read_table(OFFICIAL / name)  # as IOM ships it: nothing to check
    workbook = load_workbook(OFFICIAL / name)
    workbook.worksheets[0].cell(3, 1, 1)
    workbook.worksheets[0].cell(3, 8, "Feminine")  # column H: prs_Gender
    workbook.save(tmp_path / "filled.xlsx")
    loaded = io.read_table(tmp_path / "filled.xlsx")
    assert loaded.kind == "htcds-template" and loaded.header_rows == 2
    assert list(loaded.table.columns) == hl.core_template_columns()
    assert loaded.renamed == {
        "vic_TraffickinStatusDecisionMakingOrg": "vic_TraffickingStatusDecisionMakingOrg",
        "column AJ": "cas_ReasonForOutgoingReferral"}
    assert loaded.table["prs_Gender"].tolist() == ["Feminine"]


def test_a_filled_template_round_trips_with_spreadsheet_row_numbers(tmp_path):
    out = io.write_template(CORE, tmp_path / "partner.xlsx")
    loaded = io.read_table(out)
    assert loaded.table.equals(hl.as_text(CORE[hl.core_template_columns()]))
    dirty = CORE.copy()
    dirty.loc[4, "prs_Gender"] = "Female"
    io.write_template(dirty, out, force=True)
    report = validate_table(io.read_table(out).table, header_rows=2)
    assert report.findings["row"].tolist() == [7]  # as Excel shows it: two header rows


def test_writing_the_template_never_touches_the_official_file(tmp_path):
    before = digest(OFFICIAL / "HTCDS Excel Spreadsheet v2.0.xlsx")
    io.write_template(CORE, tmp_path / "copy.xlsx")
    assert digest(OFFICIAL / "HTCDS Excel Spreadsheet v2.0.xlsx") == before


def test_a_survey_export_is_mapped_to_the_standard(tmp_path):
    export = pd.DataFrame({
        "start": ["2024-05-01T09:00:00"], "end": ["2024-05-01T09:20:00"],
        "con_Consent": ["TRUE"], "intake/prs_First_Name": ["Amina"],
        "prs_Gender": ["Feminine"], "prs_Citizenship": ["NG"],
        "vic_Methods_of_Control": ["DebtBondage FalsePromises"],
        "meta/instanceID": ["uuid:1"], "_id": ["17"], "_submission_time": ["2024-05-01"],
    })
    path = tmp_path / "kobo.csv"
    export.to_csv(path, sep=";", index=False)
    loaded = io.read_table(path)
    assert loaded.kind == "survey-export"
    assert loaded.table.to_dict("records") == [{
        "con_Consent": "TRUE", "prs_FirstName": "Amina", "prs_Gender": "Feminine",
        "prs_Citizenship": "NG", "vic_MethodsOfControl": "DebtBondage;FalsePromises"}]
    assert set(loaded.dropped) == {"start", "end", "meta/instanceID", "_id",
                                   "_submission_time"}


def bad_file(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize("name, content, message", [
    ("empty.csv", b"", "the file is empty."),
    ("blank.csv", b"\n\n  \n", "the file has no rows."),
    ("binary.csv", b"\x00\x01\x02\x03" * 20, "this is not a text file (it contains zero bytes)."),
    ("fake.xlsx", b"PK\x03\x04 not really a workbook", "this is not a workbook that can be read"),
    ("text.xlsx", b"prs_Gender\nFeminine\n", "this is not a workbook that can be read"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
     "this is an old Excel 97-2003 (.xls) workbook, or a workbook with a password."),
    ("other.csv", b"name,age\nA,3\n", "none of the columns is an HTCDS field"),
    ("wide.csv", b"prs_Gender,cas_Status\nFeminine,Active,extra\n",
     "line 2 has 3 cells but the header has 2 columns."),
    ("twice.csv", b"prs_Gender,Gender\nFeminine,Feminine\n",
     "the column 'prs_Gender' appears more than once (columns 1, 2)."),
    ("huge.csv", b"prs_Gender,cas_Status\n" + b"x" * 40_000 + b",Active\n",
     "row 2, column 'prs_Gender': the cell holds 40,000 characters"),
    ("mixed.csv", b"prs_Gender\n\x81\x8d\n", "line 2 has bytes that are neither UTF-8"),
])
def test_bad_input_gets_a_clear_error_and_the_file_is_unchanged(tmp_path, name, content,
                                                                 message):
    path = bad_file(tmp_path, name, content)
    before = path.read_bytes()
    with pytest.raises(InputError) as error:
        io.read_table(path)
    assert str(error.value).startswith(f"{path}: {message}")
    assert path.read_bytes() == before


def test_a_missing_sheet_lists_the_real_ones(tmp_path):
    with pytest.raises(InputError, match="there is no sheet called 'Cases'. Sheets: "
                                         "Case Sheet, about, validation."):
        io.read_table(OFFICIAL / "HTCDS Excel Spreadsheet single select with validation "
                                 "v2.0.xlsx", sheet="Cases")


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_a_table_or_a_clear_error(data):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        for suffix in (".csv", ".xlsx"):
            path = Path(folder) / f"fuzz{suffix}"
            path.write_bytes(data)
            try:
                loaded = io.read_table(path)
            except InputError as error:
                assert str(error).startswith(str(path))
            else:
                assert isinstance(loaded.table, pd.DataFrame)
            assert path.read_bytes() == data


def test_read_cases_reports_the_json_error_position(tmp_path):
    path = bad_file(tmp_path, "cases.json", b'[{"case_id": "C-1",\n "people": [}]')
    with pytest.raises(InputError, match=r"not valid JSON \(line 2, column 13: Expecting value\)"):
        io.read_cases(path)
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"cases": hl.generate_cases(2, seed=1)}))
    assert len(io.read_cases(good)) == 2


run = run_cli


def test_validate_command_exit_codes(tmp_path):
    clean = tmp_path / "clean.csv"
    CORE.to_csv(clean, index=False)
    result = run("validate", str(clean))
    assert result.returncode == 0 and "no problems found" in result.stdout
    dirty = CORE.copy()
    dirty.loc[0, "prs_Gender"] = "Femal"
    dirty_path = tmp_path / "dirty.csv"
    dirty.to_csv(dirty_path, index=False)
    report = tmp_path / "report.csv"
    result = run("validate", str(dirty_path), "--report", str(report))
    assert result.returncode == 1
    assert "Row 2, Gender: 'Femal' is not an HTCDS value. Did you mean 'Feminine'?" in \
        result.stdout
    assert pd.read_csv(report)["rule"].tolist() == ["not-allowed-value"]
    unreadable = bad_file(tmp_path, "x.csv", b"")
    result = run("validate", str(unreadable))
    assert result.returncode == 2 and result.stderr.startswith(f"Error: {unreadable}: ")
    assert "Traceback" not in result.stderr


def test_validate_command_fix_writes_a_new_file(tmp_path):
    dirty = CORE.copy()
    dirty.loc[0, "cas_Status"] = "Follow up"
    source = tmp_path / "in.csv"
    dirty.to_csv(source, index=False)
    before = source.read_bytes()
    out = tmp_path / "fixed.csv"
    result = run("validate", str(source), "--fix", str(out))
    assert "with 1 safe fixes" in result.stdout
    assert source.read_bytes() == before
    assert run("validate", str(out)).returncode == 0


def test_validate_command_reads_case_documents(tmp_path):
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(hl.generate_cases(3, seed=2)))
    assert run("validate", str(path)).returncode == 0
