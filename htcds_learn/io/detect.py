"""Which reader a file needs, by its content first and its name second.

An .ods saved as .xlsx (or the reverse) is still read; a JSON file or an old .xls workbook
is refused with what to do instead.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path

from .csv import read_csv
from .excel import read_excel
from .loaded import LoadedTable
from .ods import read_ods
from .problems import fail
from .text import check_file
from .zips import open_zip


def _kind(path: Path) -> str:
    with open(path, "rb") as handle:
        start = handle.read(8)
    suffix = path.suffix.lower()
    if start.startswith(b"PK\x03\x04") or start.startswith(b"PK\x05\x06"):
        return "ods" if suffix in (".ods", ".ots") else "zip"
    if suffix == ".xls" or start.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if suffix in (".xlsx", ".xlsm"):
        return "zip"
    if suffix == ".ods":
        return "ods"
    if suffix == ".json":
        return "json"
    return "csv"


def is_json(path: str | PathLike[str]) -> bool:
    """True for a JSON file (by its name): case documents, read with ``read_cases``."""
    return Path(path).suffix.lower() == ".json"


def read_table(path: str | PathLike[str], *, sheet: str | None = None) -> LoadedTable:
    """Read a CSV, Excel or OpenDocument file, whichever it is (by its content, then name).

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "cases.csv"
    >>> _ = path.write_bytes("\\ufeffprs_Gender;cas_Status\\nFeminine;Follow up\\n".encode())
    >>> loaded = read_table(path)
    >>> loaded.table.to_dict("records"), loaded.delimiter, loaded.encoding
    ([{'prs_Gender': 'Feminine', 'cas_Status': 'Follow up'}], ';', 'utf-8 with BOM')
    """
    path = Path(path)
    check_file(path)
    kind = _kind(path)
    if kind == "xls":
        fail(path, "io.table.old-excel")
    if kind == "json":
        fail(path, "io.table.json-is-not-a-table")
    if kind == "zip":
        with open_zip(path) as archive:  # an .ods named .xlsx, or the reverse, still works
            names = set(archive.namelist())
        if "content.xml" in names and "xl/workbook.xml" not in names:
            kind = "ods"
    if kind == "ods":
        return read_ods(path, sheet)
    if kind == "zip":
        return read_excel(path, sheet)
    return read_csv(path)
