"""The xlsx reader's rows are openpyxl's own: its read-only sheet (``iter_rows`` with values
only, the stated size ignored) gives the same values for every sheet below, written by
openpyxl or by hand in the less usual forms a sheet's XML may take."""

from __future__ import annotations

import datetime
import io as stdio
import warnings
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from htcds_learn.io import excel

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def as_openpyxl_reads(data: bytes) -> list[list]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sheet = load_workbook(stdio.BytesIO(data), read_only=True, data_only=True).active
        sheet.reset_dimensions()
        return [list(row) for row in sheet.iter_rows(values_only=True)]


def as_we_read(data: bytes) -> list[list]:
    reader, sheets = excel._open_workbook(stdio.BytesIO(data))
    return [list(row) for row in excel._values(reader, next(iter(sheets.values())).target)]


def workbook(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = stdio.BytesIO()
    book.save(out)
    return out.getvalue()


def with_sheet_xml(cells: str) -> bytes:
    """A workbook whose first sheet holds ``cells`` (rows of XML) as its data."""
    source = zipfile.ZipFile(stdio.BytesIO(workbook([["x"]])))
    out = stdio.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                content = (f'<worksheet xmlns="{NS}"><sheetData>{cells}</sheetData>'
                           "</worksheet>").encode()
            target.writestr(name, content)
    return out.getvalue()


def test_an_openpyxl_workbook_of_every_kind_of_value():
    rows = [["prs_FirstName", "prs_Birthdate", "n", "flag"],
            ["Ana", datetime.date(1990, 1, 2), 3, True],
            ["", None, 2.5, False], [], [None, None, "=1+1", "  spaced  "],
            ["Zürich 東京", datetime.datetime(2024, 3, 9, 10, 30), -7, None]]
    data = workbook(rows)
    assert as_we_read(data) == as_openpyxl_reads(data)


@pytest.mark.parametrize("cells", [
    '<row r="1"><c r="A1" t="inlineStr"><is><t>plain</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t/></is></c></row>',
    '<row r="2"><c r="B2" t="inlineStr"><is><r><t>rich </t></r><r><rPr><b/></rPr><t>text'
    '</t></r></is></c></row>',
    '<row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve"> kept </t>'
    '<rPh sb="0" eb="1"><t>phonetic</t></rPh></is></c></row>',
    '<row><c t="inlineStr"><is><t>no coordinates</t></is></c><c t="inlineStr"><is><t>b</t>'
    "</is></c></row><row><c><v>5</v></c></row>",
    '<row r="3"><c r="B3" t="inlineStr"><is><t>late</t></is></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>out of order</t></is></c></row>',
    '<row r="1"><c r="C1" t="inlineStr"><is><t>c</t></is></c><c r="A1" t="inlineStr"><is>'
    "<t>a</t></is></c></row>",
    '<row r="1"><c r="A1" t="inlineStr" s="0"><is/></c><c r="B1" t="inlineStr"></c></row>',
])
def test_inline_text_in_every_form_reads_as_openpyxl_reads_it(cells):
    data = with_sheet_xml(cells)
    assert as_we_read(data) == as_openpyxl_reads(data)


def test_a_damaged_inline_text_fails_as_openpyxl_fails():
    data = with_sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is bogus="1"><t>x</t></is>'
                          "</c></row>")
    with pytest.raises(TypeError):
        as_openpyxl_reads(data)
    with pytest.raises(TypeError):
        as_we_read(data)
