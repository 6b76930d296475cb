"""Excel workbooks (.xlsx), IOM's official templates included.

The zip is checked first (:mod:`.zips`); then openpyxl streams the sheet row by row
(read-only mode, the sheet's own claim about its size ignored), and the limits are counted
as rows arrive. IOM's templates are recognised by their two header rows (a hidden row of
field names above a row of labels); their misspelt and unnamed columns are resolved.
openpyxl reads the XML with defusedxml, which refuses entity tricks.
"""

from __future__ import annotations

import warnings
from os import PathLike
from pathlib import Path

from .._util.frames import cell_text
from . import limits
from .loaded import LoadedTable
from .problems import fail
from .tables import finish, frame_from_rows, long_cell, split_header
from .text import check_file
from .zips import ZIP_ERRORS, open_zip

# What openpyxl raises on a damaged workbook: zip errors, XML errors (SyntaxError), and
# whatever its parsers meet in XML they do not expect.
WORKBOOK_ERRORS = (*ZIP_ERRORS, SyntaxError, TypeError, AttributeError, IndexError,
                   AssertionError, RecursionError)


def read_excel(path: str | PathLike[str], sheet: str | None = None) -> LoadedTable:
    """Read an Excel workbook's sheet; IOM's templates are recognised by their header rows."""
    import pandas as pd
    from openpyxl import load_workbook

    path = Path(path)
    check_file(path)
    with open_zip(path):
        pass  # the table of contents is within the limits: openpyxl may open it
    with open(path, "rb") as handle, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about validation extensions
        try:
            # A file object, not a name: openpyxl would judge by the name's ending.
            workbook = load_workbook(handle, read_only=True, data_only=True)
        except WORKBOOK_ERRORS as error:
            fail(path, "io.excel.damaged", reason=_reason(error))
        try:
            names = workbook.sheetnames
            if not names:
                fail(path, "io.excel.no-sheets")
            if sheet is None:
                sheet = names[0]
            elif sheet not in names:
                fail(path, "io.table.no-such-sheet", sheet=sheet, sheets=", ".join(names))
            worksheet = workbook[sheet]
            if not hasattr(worksheet, "iter_rows"):
                fail(path, "io.excel.chart-sheet", sheet=sheet)
            rows = _rows(path, worksheet)
        except WORKBOOK_ERRORS as error:
            fail(path, "io.excel.damaged", reason=_reason(error))
        finally:
            workbook.close()
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        fail(path, "io.table.empty-sheet", sheet=sheet)
    loaded = LoadedTable(pd.DataFrame(), str(path), "excel", 1, sheet=sheet)
    header = rows[0]
    labels = split_header(loaded, header, rows[1] if len(rows) > 1 else None)
    body = frame_from_rows(path, rows[loaded.header_rows:], len(header),
                           loaded.header_rows + 1)
    return finish(path, loaded, header, labels, body)


def _rows(path: Path, worksheet) -> list[list[str]]:
    """Every row as text cells, counting the limits as rows arrive."""
    worksheet.reset_dimensions()  # a sheet may claim to be 16,384 x 1,048,576: count instead
    rows: list[list[str]] = []
    cells = 0
    for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
        if number > limits.MAX_ROWS + 2:
            fail(path, "io.table.too-many-rows", limit=f"{limits.MAX_ROWS:,}")
        if len(values) > limits.MAX_COLUMNS:
            fail(path, "io.table.too-many-columns", columns=f"{len(values):,}",
                 limit=f"{limits.MAX_COLUMNS:,}")
        row = [cell_text(value) for value in values]
        cells += len(row)
        if cells > limits.MAX_CELLS:
            fail(path, "io.table.too-many-cells", line=number, limit=f"{limits.MAX_CELLS:,}")
        if row and max(map(len, row)) > limits.MAX_CELL:
            long_cell(path, rows[0] if rows else row, row, number)
        rows.append(row)
    return rows


def _reason(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text if len(text) < 120 else text[:117] + "..."
