"""Read the files HTCDS data really arrives in, and write IOM's template back.

* CSV: the delimiter, the encoding and a byte-order mark are detected.
* Excel: any workbook, including IOM's official templates (a hidden row of field names above
  a row of labels; their misspelt and unnamed columns are resolved, see defects D2 and D3).
* Survey exports: a CSV from the official XLSForm as KoBoToolbox or ODK writes it (survey
  field names, group prefixes, metadata columns, space-separated multiple choices).
* JSON: nested case documents.

Every reader returns text cells, exactly as typed, for validation to judge. Problems that stop
reading raise :class:`~htcds_learn.errors.InputError`, naming the file, row and column. Files
are only ever opened for reading; what is written goes to a new file, atomically.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "cases.csv"
>>> _ = path.write_bytes("\\ufeffprs_Gender;cas_Status\\nFeminine;Follow up\\n".encode("utf-8"))
>>> loaded = read_table(path)
>>> loaded.table.to_dict("records"), loaded.delimiter, loaded.encoding
([{'prs_Gender': 'Feminine', 'cas_Status': 'Follow up'}], ';', 'utf-8 with BOM')
"""

from __future__ import annotations

import csv
import io as _io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .. import standard
from .._util.frames import as_text, cell_text
from ..errors import InputError

MAX_CELL = 32_767  # the most text an Excel cell holds
MAX_FILE = 512 * 1024 * 1024
# The official XLSForm's names that differ from the standard's (defect D10).
SURVEY_NAMES = {
    "prs_First_Name": "prs_FirstName",
    "prs_Second_Name": "prs_SecondName",
    "vic_Methods_of_Control": "vic_MethodsOfControl",
}
SURVEY_METADATA = {"start", "end", "today", "deviceid", "username", "simserial",
                   "subscriberid", "phonenumber", "audit", "__version__", "instanceID",
                   "instanceName", "_id", "_uuid", "_submission_time", "_validation_status",
                   "_notes", "_status", "_submitted_by", "_tags", "_index", "_version_",
                   "_xform_id_string", "_attachments", "_geolocation", "formhub/uuid",
                   "meta/instanceID", "meta/rootUuid", "meta/deprecatedID", "KEY",
                   "SubmissionDate", "SubmitterID", "SubmitterName", "AttachmentsPresent",
                   "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits",
                   "FormVersion"}
MULTIPLE_CHOICE_KINDS = ("multiselect", "country_list")


@dataclass
class LoadedTable:
    """A table read from a file, as text, with what was noticed on the way."""

    table: pd.DataFrame
    source: str
    kind: str  # "csv", "excel", "htcds-template", "survey-export"
    header_rows: int = 1
    delimiter: str = ""
    encoding: str = ""
    sheet: str = ""
    renamed: dict[str, str] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _fail(path: Path, message: str, hint: str = "") -> None:
    raise InputError(f"{path}: {message}", hint)


def _check_size(path: Path) -> int:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        _fail(path, "no such file.", "Check the name and the folder.")
    except OSError as error:
        _fail(path, f"cannot be read ({error.strerror}).")
    if path.is_dir():
        _fail(path, "is a folder, not a file.")
    if size == 0:
        _fail(path, "the file is empty.", "Export the data again.")
    if size > MAX_FILE:
        _fail(path, f"the file is {size / 2**20:,.0f} MiB; the most this course reads is "
                    f"{MAX_FILE / 2**20:,.0f} MiB.", "Split it into smaller files.")
    return size


def _decode(path: Path, raw: bytes) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), "utf-8 with BOM"
    for bom, name in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if raw.startswith(bom):
            return raw[2:].decode(name), f"{name[:6]} with BOM"
    if b"\x00" in raw[:4096]:
        _fail(path, "this is not a text file (it contains zero bytes).",
              "If it is a spreadsheet, save it as .xlsx or as 'CSV UTF-8'.")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        _fail(path, f"row {line} has bytes that are neither UTF-8 nor Windows-1252 text.",
              "Save the file again as 'CSV UTF-8'.")
    raise AssertionError  # pragma: no cover


def _sniff(text: str) -> str:
    sample = text[:65536]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        header = sample.splitlines()[0] if sample else ""
        return max(",;\t|", key=header.count) if header else ","


def _rows_from_csv(path: Path, text: str, delimiter: str) -> list[list[str]]:
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, MAX_CELL * 4))
    rows: list[list[str]] = []
    reader = csv.reader(_io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as error:
        _fail(path, f"row {reader.line_num}: {error}.",
              "A cell may be far too long, or a quote may be missing.")
    finally:
        csv.field_size_limit(limit)
    return rows


def _tidy_header(name: Any) -> str:
    return " ".join(str(name).split()) if name is not None else ""


def _resolve_columns(path: Path, header: list[str], labels: list[str] | None,
                     loaded: LoadedTable) -> list[str]:
    """Field names for a header: survey names, group prefixes, labels and the template's
    known mistakes are mapped to the standard's names; what was changed is recorded."""
    known = standard.load().by_name
    by_label: dict[str, list[str]] = {}
    for f in standard.fields(include_deprecated=True):
        by_label.setdefault(f.label.casefold(), []).append(f.name)
    template = {c["template_name"]: c["field"] for c in standard.load().core_template_columns
                if c["template_name"]}
    template_labels = {c["template_label"]: c["field"]
                       for c in standard.load().core_template_columns}
    names = []
    for index, raw in enumerate(header):
        name = _tidy_header(raw)
        resolved = name
        if "/" in name and name not in SURVEY_METADATA:
            resolved = name.rsplit("/", 1)[1]  # survey group prefixes: group_a/prs_Gender
        resolved = SURVEY_NAMES.get(resolved, resolved)
        if resolved in template and template[resolved] != resolved:
            resolved = template[resolved]  # the template's misspelt field name (D2)
        label = _tidy_header(labels[index]) if labels and index < len(labels) else ""
        if not resolved and label in template_labels:
            resolved = template_labels[label]  # the template's column with no name (D3)
        if resolved not in known and resolved.casefold() in by_label \
                and len(by_label[resolved.casefold()]) == 1:
            resolved = by_label[resolved.casefold()][0]  # a label used as a column name
        if resolved != name:
            loaded.renamed[name or f"column {_letter(index)}"] = resolved
        names.append(resolved or f"column {_letter(index)}")
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        name = sorted(duplicates)[0]
        columns = [str(i + 1) for i, n in enumerate(names) if n == name]
        _fail(path, f"the column '{name}' appears more than once (columns "
                    f"{', '.join(columns)}).", "Keep one of them.")
    return names


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _frame(path: Path, names: list[str], rows: list[list[str]], first_row: int,
           loaded: LoadedTable) -> pd.DataFrame:
    width = len(names)
    cleaned = []
    for offset, row in enumerate(rows):
        number = first_row + offset
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            _fail(path, f"row {number} has {len(row)} cells but the header has {width} "
                        "columns.", "A delimiter may be missing or doubled in that row.")
        row = (row + [""] * width)[:width]
        for column, cell in zip(names, row):
            if len(cell) > MAX_CELL:
                _fail(path, f"row {number}, column '{column}': the cell holds {len(cell):,} "
                            f"characters; a spreadsheet cell holds at most {MAX_CELL:,}.",
                      "Something went wrong in the export: check that row.")
        cleaned.append(row)
    while cleaned and not any(cell.strip() for cell in cleaned[-1]):
        cleaned.pop()  # blank rows at the end (templates come with hundreds)
    table = pd.DataFrame(cleaned, columns=names, dtype=object)
    unnamed_and_empty = [n for n in names if n.startswith("column ")
                         and not table[n].str.strip().astype(bool).any()]
    table = table.drop(columns=unnamed_and_empty)  # stray formatting beside the data
    names = list(table.columns)
    recognised = [n for n in names if n in standard.load().by_name or n in _extension_names()]
    if not recognised:
        _fail(path, "none of the columns is an HTCDS field "
                    f"(the first ones are: {', '.join(names[:4])}).",
              "Is this the right file and sheet? Columns are named like prs_Gender.")
    return table


def _extension_names() -> set[str]:
    from ..model.schema import known_columns

    return {name for name, f in known_columns().items() if f is None}


def _survey_export(loaded: LoadedTable) -> None:
    """KoBoToolbox and ODK: drop metadata columns; space-separated choices become ';'."""
    table = loaded.table
    metadata = [c for c in table.columns if c in SURVEY_METADATA or c.startswith("_")]
    if not metadata:
        return
    loaded.kind = "survey-export"
    loaded.dropped = metadata
    loaded.table = table = table.drop(columns=metadata)
    loaded.notes.append(f"Read as a survey export: dropped {len(metadata)} metadata columns.")
    for column in table.columns:
        f = standard.load().by_name.get(column)
        if f is not None and f.kind in MULTIPLE_CHOICE_KINDS:
            table[column] = table[column].map(lambda v: ";".join(v.split()) if v else v)


def read_csv(path: str | Path) -> LoadedTable:
    """Read a CSV file (any common delimiter and encoding) as text cells."""
    path = Path(path)
    _check_size(path)
    text, encoding = _decode(path, path.read_bytes())
    if not text.strip():
        _fail(path, "the file has no rows.", "Export the data again.")
    delimiter = _sniff(text)
    rows = _rows_from_csv(path, text, delimiter)
    loaded = LoadedTable(pd.DataFrame(), str(path), "csv", 1, delimiter, encoding)
    header, labels = rows[0], None
    if len(rows) > 1 and _looks_like_labels(header, rows[1]):
        labels, loaded.header_rows = rows[1], 2
        loaded.kind = "htcds-template"
    names = _resolve_columns(path, header, labels, loaded)
    loaded.table = _frame(path, names, rows[loaded.header_rows:], loaded.header_rows + 1,
                          loaded)
    if encoding == "windows-1252":
        loaded.notes.append("Read as Windows-1252 text (not UTF-8): check accented letters.")
    _survey_export(loaded)
    return loaded


def _looks_like_labels(header: list[str], second: list[str]) -> bool:
    """True when the second row holds the labels of the first row's fields (the template)."""
    known = standard.load().by_name
    template_labels = {c["template_label"] for c in standard.load().core_template_columns}
    pairs = [(h, s) for h, s in zip(header, second) if s]
    hits = sum(1 for h, s in pairs
               if (h in known and known[h].label == s) or s in template_labels)
    return bool(pairs) and hits >= max(3, len(pairs) // 2)


def read_excel(path: str | Path, sheet: str | None = None) -> LoadedTable:
    """Read an Excel workbook's sheet; IOM's templates are recognised by their two header rows."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    _check_size(path)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about validation extensions
        try:
            # A file object, not a name: openpyxl would judge by the name's ending.
            workbook = load_workbook(_io.BytesIO(path.read_bytes()), read_only=True,
                                     data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as error:
            _fail(path, f"this is not an Excel workbook that can be read ({error}).",
                  "Open it in a spreadsheet program and save it as .xlsx, or export a CSV.")
        try:
            names = workbook.sheetnames
            if sheet is None:
                sheet = names[0]
            elif sheet not in names:
                _fail(path, f"there is no sheet called '{sheet}'.",
                      f"Sheets: {', '.join(names)}.")
            rows = [[cell_text(v) for v in row]
                    for row in workbook[sheet].iter_rows(values_only=True)]
        except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as error:
            _fail(path, f"the workbook is damaged and cannot be read ({error}).",
                  "Open it in a spreadsheet program and save it again.")
        finally:
            workbook.close()
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        _fail(path, f"the sheet '{sheet}' is empty.")
    loaded = LoadedTable(pd.DataFrame(), str(path), "excel", 1, sheet=sheet)
    header, labels = rows[0], None
    if len(rows) > 1 and _looks_like_labels(header, rows[1]):
        labels, loaded.header_rows, loaded.kind = rows[1], 2, "htcds-template"
    names = _resolve_columns(path, header, labels, loaded)
    body = rows[loaded.header_rows:]
    if loaded.kind == "htcds-template" and names and names[0] == "column A":
        names = names[1:]  # column A only numbers the rows
        body = [row[1:] for row in body]
        loaded.renamed.pop("column A", None)
    loaded.table = _frame(path, names, body, loaded.header_rows + 1, loaded)
    _survey_export(loaded)
    return loaded


def read_table(path: str | Path, *, sheet: str | None = None) -> LoadedTable:
    """Read a CSV or Excel file, whichever it is (by its content, then its name)."""
    path = Path(path)
    _check_size(path)
    with open(path, "rb") as handle:
        start = handle.read(8)
    if start.startswith(b"PK\x03\x04") or path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_excel(path, sheet)
    if path.suffix.lower() == ".xls" or start.startswith(b"\xd0\xcf\x11\xe0"):
        _fail(path, "this is an old Excel 97-2003 (.xls) workbook.",
              "Open it and save it as .xlsx or as CSV UTF-8.")
    if path.suffix.lower() == ".json":
        _fail(path, "this is a JSON file, not a table.", "Use read_cases for case documents.")
    return read_csv(path)


def read_cases(path: str | Path) -> list[dict[str, Any]]:
    """Read nested case documents: a JSON list, or an object with a "cases" list."""
    path = Path(path)
    _check_size(path)
    text, _ = _decode(path, path.read_bytes())
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        _fail(path, f"not valid JSON (row {error.lineno}, column {error.colno}: {error.msg}).",
              "Check for a missing comma, bracket or quote there.")
    if isinstance(data, dict) and isinstance(data.get("cases"), list):
        data = data["cases"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
        _fail(path, "expected a list of case documents (JSON objects).")
    return data


def write_template(core: pd.DataFrame, path: str | Path) -> Path:
    """Write a Core table into a copy of IOM's official Excel template, atomically.

    Columns are placed by the template's hidden field-name row (so its shifted labels do not
    matter); rows start under the two header rows. The shipped template is never modified.
    """
    from importlib import resources

    from openpyxl import load_workbook

    from .._util.files import write_atomically

    path = Path(path)
    template = resources.files("htcds_learn").joinpath(
        "data/official/HTCDS Excel Spreadsheet v2.0.xlsx")
    with resources.as_file(template) as source:
        if path.resolve() == Path(source).resolve():
            raise InputError(f"{path}: that is the official template itself.",
                             "Write to a new file.")
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about validation extensions
            workbook = load_workbook(source)
    sheet = workbook.worksheets[0]
    columns = {c["field"]: i + 2 for i, c in enumerate(standard.load().core_template_columns)}
    text = as_text(core, renumber=True)
    missing = [c for c in columns if c not in text]
    if len(missing) == len(columns):
        raise InputError("The table has none of the template's 38 Core columns.",
                         "Pass a Core table, e.g. generate_core(...) or read_table(...).table.")
    for offset, row in enumerate(text.itertuples(index=False)):
        cells = dict(zip(text.columns, row))
        sheet.cell(offset + 3, 1, offset + 1)
        for name, column in columns.items():
            value = cells.get(name, "")
            sheet.cell(offset + 3, column, value if value != "" else None)
    write_atomically(path, workbook.save)
    return path


def write_survey_export(core: pd.DataFrame, path: str | Path, *, seed: int = 0) -> Path:
    """Write a Core table as a KoBoToolbox-style CSV export of IOM's XLSForm, for practice.

    Survey field names (prs_First_Name ...), a group prefix, metadata columns, ';' between
    cells and spaces between multiple choices: what read_table has to undo.
    """
    import numpy as np

    from .._util.files import write_text_atomically

    text = as_text(core, renumber=True)
    survey_name = {standard_name: survey for survey, standard_name in SURVEY_NAMES.items()}
    out = pd.DataFrame(index=text.index)
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2024-01-08 09:00") + pd.to_timedelta(
        rng.integers(0, 300 * 24 * 60, len(text)), unit="min")
    out["start"] = start.strftime("%Y-%m-%dT%H:%M:%S")
    out["end"] = (start + pd.Timedelta(minutes=25)).strftime("%Y-%m-%dT%H:%M:%S")
    for column in text.columns:
        if column in ("case_id", "person_id", "synthetic"):
            continue
        f = standard.load().by_name.get(column)
        values = text[column]
        if f is not None and f.kind in MULTIPLE_CHOICE_KINDS:
            values = values.str.replace(";", " ", regex=False)
        if column == "con_Consent":
            values = values.map({"True": "TRUE", "False": "FALSE"}).fillna("")
        name = survey_name.get(column, column)
        out[f"intake/{name}" if column.startswith("prs_") else name] = values
    out["_id"] = np.arange(1, len(text) + 1)
    out["_uuid"] = [f"synthetic-{i:06d}" for i in range(1, len(text) + 1)]
    out["_submission_time"] = out["end"]
    path = Path(path)
    write_text_atomically(path, out.to_csv(index=False, sep=";"))
    return path
