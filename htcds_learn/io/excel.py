"""Excel workbooks (.xlsx), IOM's official templates included.

The zip is checked first (:mod:`.zips`); then openpyxl streams the sheet row by row
(its read-only parser, values only, the sheet's own claim about its size ignored and not
even read), and the limits are counted as rows arrive. IOM's templates are recognised by
their two header rows (a hidden row of field names above a row of labels); their misspelt
and unnamed columns are resolved.
openpyxl reads the XML with defusedxml, which refuses entity tricks.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
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

    path = Path(path)
    check_file(path)
    with open_zip(path):
        pass  # the table of contents is within the limits: openpyxl may open it
    with open(path, "rb") as handle, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about validation extensions
        try:
            # A file object, not a name: openpyxl would judge by the name's ending.
            reader, sheets = _open_workbook(handle)
        except WORKBOOK_ERRORS as error:
            fail(path, "io.excel.damaged", reason=_reason(error))
        try:
            names = list(sheets)
            if not names:
                fail(path, "io.excel.no-sheets")
            if sheet is None:
                sheet = names[0]
            elif sheet not in names:
                fail(path, "io.table.no-such-sheet", sheet=sheet, sheets=", ".join(names))
            if "chartsheet" in sheets[sheet].Type:
                fail(path, "io.excel.chart-sheet", sheet=sheet)
            rows = _rows(path, _values(reader, sheets[sheet].target))
        except WORKBOOK_ERRORS as error:
            fail(path, "io.excel.damaged", reason=_reason(error))
        finally:
            reader.archive.close()
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


def _open_workbook(handle):
    """openpyxl's reader, and the workbook's sheets by name (their part in the zip).

    These are the steps of ``load_workbook(read_only=True, data_only=True)`` but its last:
    it opens every sheet to read the size the sheet states, and when a sheet does not state
    it first (openpyxl's own files), that is one whole pass over the sheet. This reader counts
    rows as they come and never uses the stated size.
    """
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    reader = ExcelReader(handle, read_only=True, data_only=True)
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    reader.read_theme()
    apply_stylesheet(reader.archive, reader.wb)
    sheets = {sheet.name: rel for sheet, rel in reader.parser.find_sheets()
              if rel.target in reader.valid_files}
    return reader, sheets


def _values(reader, part: str) -> Iterator[tuple | list]:
    """The sheet's rows of values, as openpyxl's read-only sheet gives them with
    ``values_only=True`` once its stated size is ignored: a missing row is empty; a row is
    as wide as its last cell."""
    workbook = reader.wb
    with reader.archive.open(part) as source:
        parser = _sheet_parser()(source, reader.shared_strings, data_only=True,
                                 epoch=workbook.epoch, date_formats=workbook._date_formats,
                                 timedelta_formats=workbook._timedelta_formats)
        expected = 1  # the number of the next row
        for number, cells in parser.parse():
            while expected < number:
                expected += 1
                yield ()
            if number < expected:
                continue  # a row repeated or out of order: openpyxl skips it too
            expected += 1
            if not cells:
                yield ()
                continue
            width = cells[-1]["column"]
            values = [None] * width
            for cell in cells:
                if 1 <= cell["column"] <= width:
                    values[cell["column"] - 1] = cell["value"]
            yield values


def _sheet_parser():
    """openpyxl's sheet parser, with a quicker way for the usual inline string."""
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.worksheet._reader import INLINE_STRING, SHEET_MAIN_NS, WorkSheetParser

    text_tag = f"{{{SHEET_MAIN_NS}}}t"

    class SheetParser(WorkSheetParser):
        def parse_cell(self, element):
            """A cell ``<c t="inlineStr"><is><t>text</t></is></c>`` (how openpyxl writes
            text) read without openpyxl's general rich-text machinery: the same value, the
            same row and column. Any other cell, or inline text in any other form, goes the
            general way (so a damaged one fails the same way)."""
            if element.get("t") != "inlineStr" or not self.data_only:
                return super().parse_cell(element)
            child = element.find(INLINE_STRING)
            if child is None or child.attrib or len(child) != 1 or child[0].tag != text_tag \
                    or len(child[0]):
                return super().parse_cell(element)
            style_id = element.get("s", 0)
            if style_id:
                style_id = int(style_id)
            coordinate = element.get("r")
            if coordinate:
                row, column = coordinate_to_tuple(coordinate)
                self.col_counter = column
            else:
                self.col_counter += 1
                row, column = self.row_counter, self.col_counter
            text = child[0].text
            return {"row": row, "column": column, "value": "" if text is None else text,
                    "data_type": "s", "style_id": style_id}

    return SheetParser


def _rows(path: Path, values: Iterable) -> list[list[str]]:
    """Every row as text cells, counting the limits as rows arrive."""
    rows: list[list[str]] = []
    cells = 0
    for number, row_values in enumerate(values, start=1):
        if number > limits.MAX_ROWS + 2:
            fail(path, "io.table.too-many-rows", limit=f"{limits.MAX_ROWS:,}")
        if len(row_values) > limits.MAX_COLUMNS:
            fail(path, "io.table.too-many-columns", columns=f"{len(row_values):,}",
                 limit=f"{limits.MAX_COLUMNS:,}")
        row = [cell_text(value) for value in row_values]
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
