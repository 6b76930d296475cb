"""OpenDocument spreadsheets (.ods), as LibreOffice and OpenOffice save them.

The zip is checked first (:mod:`.zips`); then ``content.xml`` is streamed (defusedxml's
``iterparse``, which refuses entity tricks) and each row is dropped from memory once read.
OpenDocument writes repeated rows and cells once, with a count (a sheet often ends with
"1,048,000 empty rows"): empty repeats are only counted, and filled ones are expanded only
while the limits allow.

>>> import tempfile, pathlib, zipfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "cases.ods"
>>> with zipfile.ZipFile(path, "w") as archive:
...     archive.writestr("mimetype", MIMETYPE)
...     archive.writestr("content.xml", example_content([["prs_Gender"], ["Feminine"]]))
>>> read_ods(path).table.to_dict("records")
[{'prs_Gender': 'Feminine'}]
"""

from __future__ import annotations

from html import escape
from os import PathLike
from pathlib import Path

from .._util.frames import cell_text
from . import limits
from .loaded import LoadedTable
from .problems import fail
from .tables import finish, frame_from_rows, long_cell, split_header
from .text import check_file
from .zips import ZIP_ERRORS, open_zip

MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
SHEET, ROW = f"{_TABLE}table", f"{_TABLE}table-row"
CELLS = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")
ROWS_REPEATED, COLUMNS_REPEATED = f"{_TABLE}number-rows-repeated", \
    f"{_TABLE}number-columns-repeated"
PARAGRAPHS = (f"{_TEXT}p", f"{_TEXT}h")
SPACE, TAB, LINE_BREAK = f"{_TEXT}s", f"{_TEXT}tab", f"{_TEXT}line-break"
XML_ERRORS = (*ZIP_ERRORS, SyntaxError, RecursionError)
# XML elements inside one cell (paragraphs, spans): a real cell has a handful.
MAX_CELL_ELEMENTS = 10_000


def read_ods(path: str | PathLike[str], sheet: str | None = None) -> LoadedTable:
    """Read one sheet of an OpenDocument spreadsheet (the first, or the one named)."""
    import pandas as pd

    path = Path(path)
    check_file(path)
    with open_zip(path) as archive:
        try:
            if "content.xml" not in archive.namelist():
                fail(path, "io.ods.not-a-spreadsheet")
            if "mimetype" in archive.namelist() and \
                    archive.read("mimetype")[:100].decode("ascii", "replace").strip() != MIMETYPE:
                fail(path, "io.ods.not-a-spreadsheet")
            with archive.open("content.xml") as content:
                reader = _SheetReader(path, sheet)
                reader.read(content)
        except XML_ERRORS as error:
            fail(path, "io.ods.damaged", reason=_reason(error))
    if reader.rows is None:
        if sheet is not None:
            fail(path, "io.table.no-such-sheet", sheet=sheet, sheets=", ".join(reader.names))
        fail(path, "io.ods.no-sheets")
    rows = reader.rows
    if not rows:
        fail(path, "io.table.empty-sheet", sheet=reader.chosen)
    loaded = LoadedTable(pd.DataFrame(), str(path), "ods", 1, sheet=reader.chosen)
    header = rows[0]
    labels = split_header(loaded, header, rows[1] if len(rows) > 1 else None)
    body = frame_from_rows(path, rows[loaded.header_rows:], len(header),
                           loaded.header_rows + 1)
    return finish(path, loaded, header, labels, body)


class _SheetReader:
    """Streams content.xml, keeping the rows of one sheet as lists of text cells.

    Every element is dropped from the tree as soon as it is read (a cell once its text is
    taken, a row once its cells are), so memory holds one cell's XML at a time.
    """

    def __init__(self, path: Path, sheet: str | None) -> None:
        self.path = path
        self.wanted = sheet
        self.names: list[str] = []
        self.chosen = ""
        self.rows: list[list[str]] | None = None  # None until the wanted sheet is found
        self.blank_rows = 0  # empty rows not yet added: kept only if a filled row follows
        self.cells = 0
        self.row: list[str] = []
        self.blank_cells = 0  # the same for empty cells within a row

    def read(self, content) -> None:
        from defusedxml.ElementTree import iterparse

        stack = []
        inside = False
        in_cell = 0  # elements open inside the current cell (its text)
        for event, element in iterparse(content, events=("start", "end")):
            if event == "start":
                stack.append(element)
                if in_cell or element.tag in CELLS:
                    in_cell += 1
                    if in_cell > MAX_CELL_ELEMENTS:
                        fail(self.path, "io.ods.cell-too-complex", row=self._number())
                elif element.tag == SHEET:
                    name = element.get(f"{_TABLE}name", "")
                    self.names.append(name)
                    inside = self.rows is None and (self.wanted is None or name == self.wanted)
                    if inside:
                        self.chosen, self.rows = name, []
                elif element.tag == ROW and inside:
                    self.row, self.blank_cells = [], 0
                continue
            stack.pop()
            if in_cell:
                in_cell -= 1
                if in_cell:
                    continue  # part of a cell's text: kept until the cell ends
                if inside:
                    self._cell(element)
            elif element.tag == ROW and inside:
                self._end_row(element)
            elif element.tag == SHEET and inside:
                return  # the sheet is read; the rest of the file is not needed
            if stack:
                stack[-1].remove(element)  # read: let it go

    def _cell(self, cell) -> None:
        repeat = _count(cell.get(COLUMNS_REPEATED))
        text = _value(cell)
        if not text:
            self.blank_cells += repeat  # counted, added only if a filled cell follows
            return
        width = len(self.row) + self.blank_cells + repeat
        if width > limits.MAX_COLUMNS:
            fail(self.path, "io.table.too-many-columns", columns=f"{width:,}",
                 limit=f"{limits.MAX_COLUMNS:,}")
        self.row.extend([""] * self.blank_cells)
        self.blank_cells = 0
        if len(text) > limits.MAX_CELL:
            long_cell(self.path, self.rows[0] if self.rows else [], [*self.row, text],
                      self._number())
        self.row.extend([text] * repeat)

    def _end_row(self, element) -> None:
        repeat = _count(element.get(ROWS_REPEATED))
        if not self.row:
            self.blank_rows += repeat
            return
        if self.rows and self.blank_rows:
            self._add([], self.blank_rows)
        self.blank_rows = 0
        self._add(self.row, repeat)

    def _add(self, row: list[str], repeat: int) -> None:
        assert self.rows is not None
        if len(self.rows) + repeat > limits.MAX_ROWS + 2:
            fail(self.path, "io.table.too-many-rows", limit=f"{limits.MAX_ROWS:,}")
        self.cells += max(len(row), 1) * repeat
        if self.cells > limits.MAX_CELLS:
            fail(self.path, "io.table.too-many-cells", line=self._number(),
                 limit=f"{limits.MAX_CELLS:,}")
        self.rows.extend([row] * repeat)

    def _number(self) -> int:
        return len(self.rows or []) + self.blank_rows + 1


def _count(value: str | None) -> int:
    if value is None:
        return 1
    number = int(value)  # ValueError: a damaged file
    if number < 1:
        raise ValueError(f"a repeat count of {number}")
    return number


def _value(cell) -> str:
    """A cell as text, the way the Excel reader gives it (3.0 as '3', dates as ISO)."""
    kind = cell.get(f"{_OFFICE}value-type")
    if kind in ("float", "percentage", "currency"):
        try:
            return cell_text(float(cell.get(f"{_OFFICE}value", "")))
        except ValueError:
            pass
    elif kind == "date":
        value = cell.get(f"{_OFFICE}date-value", "")
        if value:
            return value.removesuffix("T00:00:00").replace("T", " ")
    elif kind == "boolean":
        value = cell.get(f"{_OFFICE}boolean-value", "")
        if value:
            return "True" if value == "true" else "False"
    return "\n".join(_paragraph(p) for p in cell if p.tag in PARAGRAPHS)


def _paragraph(paragraph) -> str:
    """The text of a text:p, spans and all (walked without recursion: nesting may be deep)."""
    out: list[str] = []
    size = 0
    stack = [(paragraph, False)]
    while stack and size <= limits.MAX_CELL:  # longer is refused by the caller anyway
        node, after = stack.pop()
        if after:
            piece = node.tail if node is not paragraph and node.tail else ""
        else:
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node))
            if node.tag == SPACE:  # text:s c="3": three spaces
                piece = " " * min(_count(node.get(f"{_TEXT}c")), limits.MAX_CELL + 1)
            elif node.tag == TAB:
                piece = "\t"
            elif node.tag == LINE_BREAK:
                piece = "\n"
            else:
                piece = node.text or ""
        out.append(piece)
        size += len(piece)
    return "".join(out)


def _reason(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text if len(text) < 120 else text[:117] + "..."


def example_content(rows: list[list[str]], sheet: str = "Sheet1") -> str:
    """A minimal content.xml holding ``rows`` as text cells (for examples and tests)."""
    body = "".join(
        "<table:table-row>" + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{escape(v)}</text:p>'
            "</table:table-cell>" if v else "<table:table-cell/>" for v in row)
        + "</table:table-row>" for row in rows)
    return ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
            f'<office:body><office:spreadsheet><table:table table:name="{escape(sheet)}">'
            f"{body}</table:table></office:spreadsheet></office:body>"
            "</office:document-content>")
