"""CSV files: any common delimiter and encoding, read exactly or refused with the line.

Two ways, both linear in the file, giving the same table:

* **A plain file** (most files: see :mod:`.csv_survey`), found by a quick look at its bytes,
  is read by pandas' C parser alone, as text; the limits are checked on the survey's counts
  before the table is built.
* **Anything else** is checked first. Python's ``csv`` module in strict mode reads every
  record once, keeping nothing but counts: a quote that is never closed, text after a
  closing quote, a NUL character, a record wider than the header or a cell longer than a
  spreadsheet holds stops reading with the line where it is; records narrower than the
  header are noted. The limits (:mod:`.limits`) are checked as records are counted. Then
  pandas reads the cells, now known to be well formed.

pandas shares one copy of each repeated value (a picklist column costs a pointer per row).

A cell written formula-safe by the package's own writer (``'=...``) is read without its
apostrophe, and a note says how many were.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "cases.csv"
>>> _ = path.write_text('prs_FirstName,prs_Gender\\n"Ana,Feminine\\nBo,Masculine\\n')
>>> read_csv(path)
Traceback (most recent call last):
htcds_learn.errors.InputError: ...cases.csv: line 2: a quote (") opens a cell here and is never ...
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from os import PathLike
from pathlib import Path

import numpy as np

from .._util.files import FORMULA_START, restore
from . import limits
from .csv_survey import short_lines, survey
from .loaded import LoadedTable
from .problems import fail
from .tables import finish, long_cell, note, split_header
from .text import (
    CP1252,
    UTF8,
    UTF8_BOM,
    Encoding,
    check_file,
    first_bad_byte,
    holds,
    sniff_encoding,
)

DELIMITERS = ",;\t|"
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
SAMPLE = 65_536  # characters looked at to choose the delimiter
SHOWN = 5  # line numbers listed in a note


@dataclass
class _Scan:
    """What the checking pass learned: the first two records, counts, odd rows."""

    header: list[str] = field(default_factory=list)
    second: list[str] | None = None
    records: int = 0
    widest: int = 0
    short: list[int] = field(default_factory=list)  # lines of records narrower than the header
    short_count: int = 0
    padded: int = 0  # records with empty cells beyond the header's last column


def read_csv(path: str | PathLike[str]) -> LoadedTable:
    """Read a CSV file (any common delimiter and encoding) as text cells."""
    path = Path(path)
    check_file(path)
    encoding = sniff_encoding(path)
    try:
        return _read(path, encoding)
    except UnicodeDecodeError:
        if encoding is not UTF8:  # a byte-order mark promised an encoding the bytes break
            fail(path, "io.text.undecodable", line=first_bad_byte(path, encoding),
                 encoding=encoding.name)
    try:
        return _read(path, CP1252)
    except UnicodeDecodeError:
        fail(path, "io.text.not-text", line=first_bad_byte(path, CP1252))


def _read(path: Path, encoding: Encoding) -> LoadedTable:
    with open(path, encoding=encoding.codec, newline="") as handle:
        delimiter = choose_delimiter(handle.read(SAMPLE))
    table = _read_plain(path, encoding, delimiter)
    if table is None:
        return _read_checked(path, encoding, delimiter)
    header = table.iloc[0].tolist()  # one record a line: the first rows are the first lines
    second = table.iloc[1].tolist() if len(table) > 1 else None
    return _loaded(path, encoding, delimiter, table, _Scan(header, second))


def _parse(path: Path, encoding: Encoding, delimiter: str, **options):
    """pandas' C parser: every cell as the text it is, no row skipped, nothing converted."""
    import pandas as pd

    return pd.read_csv(path, sep=delimiter, header=None, dtype=str, na_filter=False,
                       keep_default_na=False, skip_blank_lines=False, index_col=False,
                       quotechar='"', doublequote=True, encoding=encoding.codec,
                       engine="c", **options)


def _read_plain(path: Path, encoding: Encoding, delimiter: str):
    """The table of a plain file, read by pandas alone; None if the file is not plain (or is
    over a limit: the checked way then says which, with its line)."""
    import pandas as pd

    if encoding.codec == "utf-16":  # the survey looks at bytes of one-byte text
        return None
    skip = 3 if encoding is UTF8_BOM else 0
    plain = survey(path, delimiter, skip)
    if (plain is None or plain.header_cells > limits.MAX_COLUMNS
            or plain.lines > limits.MAX_ROWS + 2
            or plain.lines * plain.header_cells > limits.MAX_CELLS):
        return None
    try:
        table = _parse(path, encoding, delimiter)
    except (pd.errors.ParserError, pd.errors.EmptyDataError):
        return None
    width = table.shape[1]
    if len(table) != plain.lines or width < 2 or not any(
            cell.strip() for cell in table.iloc[0]):  # the checked way says what is wrong
        return None
    # pandas pads a short row with empty cells: only rows that end empty may be short.
    maybe_short = np.flatnonzero(table.iloc[:, -1].to_numpy() == "")
    if len(maybe_short) and short_lines(path, plain, maybe_short.tolist(), width, delimiter,
                                        skip):
        return None
    return table


def _read_checked(path: Path, encoding: Encoding, delimiter: str) -> LoadedTable:
    """The strict check, then pandas (see the module docstring)."""
    scan = _check(path, encoding, delimiter)
    table = _parse(path, encoding, delimiter, names=list(range(scan.widest)))
    if len(table) != scan.records:  # the two passes disagree: a bug, never a wrong table
        fail(path, "io.csv.inconsistent", records=scan.records, rows=len(table))
    return _loaded(path, encoding, delimiter, table, scan)


def _loaded(path: Path, encoding: Encoding, delimiter: str, table, scan: _Scan) -> LoadedTable:
    """The table's header found, its columns named, its notes written."""
    import pandas as pd

    loaded = LoadedTable(pd.DataFrame(), str(path), "csv", 1, delimiter, encoding.name)
    labels = split_header(loaded, scan.header, scan.second)
    width = len(scan.header)
    body = table.iloc[loaded.header_rows:, :width]
    if _may_hold_neutralised(path, encoding):
        body = _restore_formulas(body, loaded)
    if encoding is CP1252:
        note(loaded, "io.text.read-as-1252")
    if scan.short_count:
        note(loaded, "io.csv.short-rows", count=f"{scan.short_count:,}",
             lines=", ".join(map(str, scan.short)), width=width)
    if scan.padded:
        note(loaded, "io.csv.empty-cells-beyond-header", count=f"{scan.padded:,}")
    return finish(path, loaded, scan.header, labels, body)


def choose_delimiter(sample: str) -> str:
    """The delimiter that splits the first records most evenly into several columns.

    >>> choose_delimiter("prs_Gender;cas_Status\\nFeminine;Follow up\\n")
    ';'
    >>> choose_delimiter('a,b\\n"x;y",z\\n')
    ','
    """
    end = sample.rfind("\n")
    sample = sample[:end + 1] if end > 0 else sample
    best, best_score = ",", (0, 0)
    for candidate in DELIMITERS:
        try:
            rows = [r for r in islice(csv.reader(io.StringIO(sample, newline=""),
                                                 delimiter=candidate), 50) if r]
        except csv.Error:
            continue
        if not rows or len(rows[0]) < 2:
            continue
        score = (sum(len(r) == len(rows[0]) for r in rows), len(rows[0]))
        if score > best_score:
            best, best_score = candidate, score
    return best


def _lines(path: Path, handle: io.TextIOBase, position: list[int]) -> Iterator[str]:
    """The file's lines as written (line breaks kept), counted; a NUL character stops it."""
    for line in handle:
        position[0] += 1
        if "\x00" in line:
            fail(path, "io.csv.nul", line=position[0], column=line.index("\x00") + 1)
        yield line


def _check(path: Path, encoding: Encoding, delimiter: str) -> _Scan:
    """The checking pass (see the module docstring): counts, odd rows, limits."""
    scan = _Scan()
    position = [0]
    start = 1  # the line the current record starts on
    limit = csv.field_size_limit()
    csv.field_size_limit(limits.MAX_CELL)
    try:
        with open(path, encoding=encoding.codec, newline="") as handle:
            reader = csv.reader(_lines(path, handle, position), delimiter=delimiter,
                                strict=True)
            for row in reader:
                _count(path, scan, row, start)
                start = reader.line_num + 1
    except csv.Error as error:
        _explain(path, encoding, delimiter, str(error), start, reader.line_num, scan)
    finally:
        csv.field_size_limit(limit)
    if not any(cell.strip() for cell in scan.header):
        fail(path, "io.file.no-rows")  # only blank lines
    return scan


def _count(path: Path, scan: _Scan, row: list[str], line: int) -> None:
    cells = len(row)
    if scan.records == 0:
        scan.header = row
        if cells > limits.MAX_COLUMNS:
            fail(path, "io.table.too-many-columns", columns=f"{cells:,}",
                 limit=f"{limits.MAX_COLUMNS:,}")
    elif not any(cell.strip() for cell in scan.header):
        if any(cell.strip() for cell in row):  # the column names must come first
            fail(path, "io.csv.blank-header", line=line)
    else:
        if scan.records == 1:
            scan.second = row
        width = len(scan.header)
        if cells > width:
            extra = next((i for i in range(width, cells) if row[i].strip()), None)
            if extra is not None or cells > limits.MAX_COLUMNS:
                fail(path, "io.csv.too-many-cells", line=line, cells=cells, width=width)
            scan.padded += 1
        elif cells < width:
            scan.short_count += 1
            if len(scan.short) < SHOWN:
                scan.short.append(line)
    scan.records += 1
    scan.widest = max(scan.widest, cells)
    if scan.records > limits.MAX_ROWS + 2:  # two header rows at most
        fail(path, "io.table.too-many-rows", limit=f"{limits.MAX_ROWS:,}")
    if scan.records * scan.widest > limits.MAX_CELLS:
        fail(path, "io.table.too-many-cells", line=line, limit=f"{limits.MAX_CELLS:,}")


def _explain(path: Path, encoding: Encoding, delimiter: str, error: str, start: int,
             line: int, scan: _Scan) -> None:
    """Turn the csv module's complaint into a message with the line, and a hint."""
    if "unexpected end of data" in error:
        fail(path, "io.csv.unclosed-quote", line=start)
    if "expected after" in error:
        fail(path, "io.csv.text-after-quote", line=line,
             delimiter=DELIMITER_NAMES[delimiter])
    if "field larger than field limit" in error:
        _long_cell(path, encoding, delimiter, start, scan)
    fail(path, "io.csv.unreadable", line=line, reason=error)


def _long_cell(path: Path, encoding: Encoding, delimiter: str, start: int,
               scan: _Scan) -> None:
    """A cell over the limit, or a quote that swallowed the rest of the file: read the
    record again, without a limit, to tell which (only on this error path)."""
    limit = csv.field_size_limit()
    csv.field_size_limit(limits.MAX_FILE_BYTES)
    try:
        with open(path, encoding=encoding.codec, newline="") as handle:
            reader = csv.reader(islice(handle, start - 1, None), delimiter=delimiter,
                                strict=True)
            try:
                row = next(reader)
            except csv.Error as error:
                if "unexpected end of data" in str(error):
                    fail(path, "io.csv.unclosed-quote", line=start)
                fail(path, "io.csv.text-after-quote", line=start + reader.line_num - 1,
                     delimiter=DELIMITER_NAMES[delimiter])
    finally:
        csv.field_size_limit(limit)
    long_cell(path, scan.header if scan.records else row, row, scan.records + 1)


# The package's writer puts an apostrophe before text a spreadsheet would run (_util.files).
_NEUTRALISED = tuple(("'" + start).encode("ascii") for start in FORMULA_START)


def _may_hold_neutralised(path: Path, encoding: Encoding) -> bool:
    return encoding.codec == "utf-16" or holds(path, _NEUTRALISED)


def _restore_formulas(body, loaded: LoadedTable):
    """Take off the apostrophes the writer added (only where it would have added them)."""
    restored = 0
    body = body.copy()
    for position in range(body.shape[1]):
        values = body.iloc[:, position]
        marked = values.str.startswith("'", na=False).to_numpy()
        if not marked.any():
            continue
        array = values.to_numpy().copy()
        for i in marked.nonzero()[0]:
            original = restore(array[i])
            if original != array[i]:
                array[i] = original
                restored += 1
        body.isetitem(position, array)
    if restored:
        note(loaded, "io.csv.restored", count=f"{restored:,}")
    return body
