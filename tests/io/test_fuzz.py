"""Structure-aware fuzzing of every reader: files that are almost right, as an inbox delivers
them, and files that are wrong on purpose.

For every generated file, each reader must give a result or an InputError (never another
exception), within a time and a memory bound, and leave the file as it was. The CSV reader
must also agree, cell for cell, with Python's csv module reading the same text: its fast
path (pandas) may never read a different table than the exact one; and its fast way (a
survey of the bytes, then pandas alone) must give what its checked way gives.
"""

from __future__ import annotations

import csv
import io as stdio
import json
import re
import time
import tracemalloc
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from htcds_learn import io
from htcds_learn._util.files import restore
from htcds_learn.errors import InputError
from htcds_learn.io import headers
from htcds_learn.io.loaded import LoadedTable
from htcds_learn.io.ods import MIMETYPE, example_content
from htcds_learn.validation import validate_cases

SECONDS = 10  # of CPU per read of a file of a few kilobytes (tens of milliseconds in fact)
MEGABYTES = 150  # Python memory at the peak of one read (tracemalloc)
FUZZ = settings(max_examples=120, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])

FIELDS = ["prs_Gender", "prs_FirstName", "prs_Citizenship", "cas_Status", "prs_Birthdate",
          "con_Consent", "vic_MethodsOfControl", "case_id"]
CELLS = st.one_of(
    st.sampled_from(["Feminine", "Masculine", "NG", "Follow up", "2024-03-09", "", " ",
                     "True", "DebtBondage;FalsePromises", "=1+1", "'=1+1", "+234 803 555",
                     "-3", "@SUM(A1)", "O'Brien", 'say "hi"', "a,b", "a;b", "x\ny", "x\r\ny",
                     "tab\there", "Zürich", "Łódź", "東京", "\u200b"]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12),
)


def attempt(read, path: Path):
    """Run ``read(path)``: return its result, or the InputError; check time, memory, file."""
    before = path.read_bytes(), path.stat().st_mtime_ns
    tracemalloc.start()
    start = time.process_time()  # CPU time: a busy machine does not stretch it
    try:
        result = read(path)
    except InputError as error:
        result = error
        assert str(error).startswith(str(path)), str(error)  # names the file first
    finally:
        seconds = time.process_time() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert seconds < SECONDS, f"{seconds:.1f} s"
    assert peak < MEGABYTES * 2**20, f"{peak / 2**20:.0f} MB"
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before, "the input changed"
    return result


def place(draw, length: int) -> int:
    """A position in something ``length`` long, drawn so that the draw does not depend on the
    length (a workbook's size varies with the time openpyxl stamps into it)."""
    return min(int(draw(st.floats(0, 1)) * (length + 1)), length)


# --- CSV ----------------------------------------------------------------------------------

@st.composite
def csv_files(draw, regular: bool = False):
    """A CSV as real exports make it (quoting, delimiter, line ends, encoding), sometimes
    damaged the way files get damaged (a quote lost or added, a cut, stray bytes).
    ``regular``: every row as wide as the header, as most files are (the reader's fast way)."""
    header = draw(st.lists(st.sampled_from(FIELDS), min_size=2 if regular else 1, max_size=5,
                           unique=True))
    wide = (len(header), len(header)) if regular else (0, len(header) + 1)
    cells = CELLS.map(lambda text: re.sub("[\r\n\x00]", " ", text)) if regular else CELLS
    rows = draw(st.lists(st.lists(cells, min_size=wide[0], max_size=wide[1]), max_size=6))
    delimiter = draw(st.sampled_from(",;\t|"))
    ending = draw(st.sampled_from(["\n", "\r\n"] * (3 if regular else 1) + ["\r"]))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONE]))
    out = stdio.StringIO()
    if quoting == csv.QUOTE_NONE:  # joined by hand, as a careless export does
        for row in [header, *rows]:
            out.write(delimiter.join(row) + ending)
    else:
        writer = csv.writer(out, delimiter=delimiter, lineterminator=ending, quoting=quoting)
        writer.writerows([header, *rows])
    text = out.getvalue()
    damage = draw(st.sampled_from(["none"] * (8 if regular else 2)
                                  + ["drop quote", "add quote", "cut", "insert", "nul"]))
    if damage != "none" and text:
        at = min(place(draw, len(text)), len(text) - 1)
        if damage == "drop quote" and '"' in text:
            at = text.index('"', at) if '"' in text[at:] else text.index('"')
            text = text[:at] + text[at + 1:]
        elif damage == "add quote":
            text = text[:at] + '"' + text[at:]
        elif damage == "cut":
            text = text[:at]
        elif damage == "insert":
            text = text[:at] + draw(st.sampled_from(['""', '"x"y', delimiter * 3, "\r",
                                                     "\n\n", "\ufeff"])) + text[at:]
        elif damage == "nul":
            text = text[:at] + "\x00" + text[at:]
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.booleans()) and draw(st.booleans()):
        data += draw(st.binary(min_size=1, max_size=8))
    return data


def reference_rows(path: Path, loaded: LoadedTable) -> list[list[str]] | None:
    """The records as Python's csv module reads the same text, exactly (None: it cannot)."""
    codec = {"utf-8": "utf-8", "utf-8 with BOM": "utf-8-sig", "windows-1252": "cp1252"}.get(
        loaded.encoding, "utf-16")
    with open(path, encoding=codec, newline="") as handle:
        return list(csv.reader(handle, delimiter=loaded.delimiter, strict=True))


def checked_way(path: Path):
    """The CSV reader made to check every record with the csv module (no fast way)."""
    from htcds_learn.io import csv as csv_reader

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(csv_reader, "_read_plain", lambda *args: None)
        try:
            return csv_reader.read_csv(path)
        except InputError as error:
            return error


@FUZZ
@given(data=csv_files())
def test_the_csv_reader_reads_exactly_or_refuses(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("csv") / "cases.csv"
    path.write_bytes(data)
    loaded = attempt(io.read_csv, path)
    checked = checked_way(path)  # the strict check first, always: the same outcome
    compare_ways(loaded, checked)
    if isinstance(loaded, InputError):
        return
    rows = reference_rows(path, loaded)
    header, labels = rows[0], rows[1] if loaded.header_rows == 2 else None
    names = headers.resolve_columns(path, header, labels, LoadedTable(None, "", ""))
    body = rows[loaded.header_rows:]
    while body and not any(cell.strip() for cell in body[-1]):
        body.pop()  # trailing blank rows are not records
    assert len(loaded.table) == len(body)
    for column in loaded.table.columns:
        position = names.index(column)
        expected = [restore(row[position]) if position < len(row) else "" for row in body]
        assert loaded.table[column].tolist() == expected, column


@settings(FUZZ, max_examples=80)
@given(data=csv_files(regular=True))
def test_the_fast_way_reads_what_the_checked_way_reads(tmp_path_factory, data):
    """Files with full rows, most of them plain: read by the survey and pandas alone."""
    path = tmp_path_factory.mktemp("csv") / "cases.csv"
    path.write_bytes(data)
    compare_ways(attempt(io.read_csv, path), checked_way(path))


def compare_ways(loaded, checked) -> None:
    if isinstance(loaded, InputError):
        assert isinstance(checked, InputError) and str(checked) == str(loaded)
        return
    assert not isinstance(checked, InputError), str(checked)
    pd.testing.assert_frame_equal(loaded.table, checked.table)
    assert (loaded.notes, loaded.kind, loaded.header_rows) == (
        checked.notes, checked.kind, checked.header_rows)


# --- Excel --------------------------------------------------------------------------------

def workbook_bytes(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = stdio.BytesIO()
    workbook.save(out)
    return out.getvalue()


XML_DAMAGE = st.sampled_from([
    b"", b"<", b"</row>", b"<row r='99999999999'><c r='A1'><v>1</v></c></row>",
    b"<c r='ZZZZ1' t='s'><v>999999</v></c>", b"<!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'>]>&a;",
    b"<c r='A2' t='s'><v>-1</v></c>", b"<c r='A2' t='n'><v>1e999</v></c>",
    b"<c r='A2' t='d'><v>not a date</v></c>", b"\x00", b"<dimension ref='A1:XFD1048576'/>",
])


@st.composite
def xlsx_files(draw):
    """A real workbook, then damaged inside: a member lost, XML cut or spliced, bytes flipped."""
    values = st.one_of(CELLS, st.integers(-10**12, 10**12), st.floats(allow_nan=True),
                       st.booleans(), st.none(), st.dates())
    header = draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=4, unique=True))
    rows = draw(st.lists(st.lists(values, max_size=len(header)), max_size=5))
    clean = [[v.replace("\x00", "") if isinstance(v, str) else v for v in row] for row in rows]
    from openpyxl.utils.exceptions import IllegalCharacterError

    try:
        data = workbook_bytes([header, *clean])
    except (ValueError, TypeError, IllegalCharacterError):  # openpyxl refuses some text
        data = workbook_bytes([header])
    damage = draw(st.sampled_from(["none", "member", "xml", "flip", "cut"]))
    if damage == "none":
        return data
    if damage in ("flip", "cut"):
        at = min(place(draw, len(data)), len(data) - 1)
        if damage == "cut":
            return data[:at]
        return data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1:]
    source = zipfile.ZipFile(stdio.BytesIO(data))
    names = source.namelist()
    target = names[min(place(draw, len(names)), len(names) - 1)]
    out = stdio.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            content = source.read(name)
            if name == target:
                if damage == "member":
                    continue  # the member is missing
                at = place(draw, len(content))
                content = content[:at] + draw(XML_DAMAGE) + content[at:]
            archive.writestr(name, content)
    return out.getvalue()


@FUZZ
@given(data=xlsx_files())
def test_the_excel_reader_gives_a_table_or_a_clear_error(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("xlsx") / "cases.xlsx"
    path.write_bytes(data)
    result = attempt(io.read_table, path)
    assert isinstance(result, (InputError, io.LoadedTable))
    if isinstance(result, io.LoadedTable):
        assert all(isinstance(v, str) for v in result.table.to_numpy().ravel())


# --- ODS ----------------------------------------------------------------------------------

ODS_DAMAGE = st.sampled_from([
    b'<table:table-row table:number-rows-repeated="2000000000"><table:table-cell '
    b'office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>',
    b'<table:table-row><table:table-cell table:number-columns-repeated="1000000000" '
    b'office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>',
    b'<table:table-row table:number-rows-repeated="1048000"><table:table-cell/>'
    b"</table:table-row>",
    b'<table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s '
    b'text:c="999999999"/>b</text:p></table:table-cell></table:table-row>',
    b"<table:table-row><table:table-cell office:value-type=\"string\"><text:p>"
    + b"<text:span>" * 5000 + b"deep" + b"</text:span>" * 5000
    + b"</text:p></table:table-cell></table:table-row>",
    b'<table:table-row table:number-rows-repeated="-1"/>',
    b'<table:table-cell office:value-type="float" office:value="abc"/>',
    b'<table:table-cell office:value-type="date" office:date-value="2024-03-09T00:00:00"/>',
    b"<!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'>]>", b"<", b"\x00", b"",
])


@st.composite
def ods_files(draw):
    """A small OpenDocument spreadsheet, its content spliced with repeats, deep spans,
    entities and cuts; sometimes without its mimetype or with a wrong one."""
    header = draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=4, unique=True))
    rows = draw(st.lists(st.lists(CELLS, max_size=len(header)), max_size=4))
    clean = [[v for v in row if "\x00" not in v] for row in rows]
    content = example_content([header, *clean]).encode("utf-8")
    if draw(st.booleans()):
        end = content.index(b"</table:table>")
        at = end if draw(st.booleans()) else place(draw, len(content))
        content = content[:at] + draw(ODS_DAMAGE) + content[at:]
    out = stdio.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        mimetype = draw(st.sampled_from([MIMETYPE, MIMETYPE, None, "text/plain"]))
        if mimetype:
            archive.writestr("mimetype", mimetype)
        archive.writestr("content.xml", content)
    return out.getvalue()


@FUZZ
@given(data=ods_files())
def test_the_ods_reader_gives_a_table_or_a_clear_error(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("ods") / "cases.ods"
    path.write_bytes(data)
    result = attempt(io.read_table, path)
    assert isinstance(result, (InputError, io.LoadedTable))


# --- JSON ---------------------------------------------------------------------------------

SCALAR = st.one_of(st.none(), st.booleans(), st.integers(),
                   st.floats(allow_nan=False, allow_infinity=False),
                   st.text(max_size=8), st.sampled_from(["Feminine", "NG", "2024-03-09"]))
ANY_JSON = st.recursive(SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=12)


@st.composite
def case_documents(draw):
    """Case-shaped documents whose parts are sometimes of the wrong kind."""
    def part(good):
        return draw(st.one_of(st.just(good), ANY_JSON)) if draw(st.booleans()) else good

    person = {"person_id": "PRS-1", "prs_Gender": part("Feminine"),
              "prs_Citizenship": part(["NG"])}
    document = {"htcds_version": "2.0", "synthetic": True, "case_id": part("CASE-1"),
                "case": part({"cas_Status": "Active"}), "people": part([person]),
                "victims": part([{"person_id": "PRS-1"}]),
                "events": part([]), draw(st.sampled_from(["referrals", "extra"])): draw(ANY_JSON)}
    return draw(st.sampled_from([document, [document], {"cases": [document, document]}]))


@st.composite
def json_files(draw):
    value = draw(st.one_of(case_documents(), ANY_JSON))
    text = json.dumps(value, allow_nan=draw(st.booleans()))
    shape = draw(st.sampled_from(["as is", "as is", "deep", "long number", "cut", "nan"]))
    if shape == "deep":
        depth = draw(st.integers(60, 200_000))
        text = "[" * depth + "]" * depth
    elif shape == "long number":
        text = text.replace("]", f", {'9' * draw(st.integers(30, 50_000))}]", 1) \
            if "]" in text else "9" * 5000
    elif shape == "cut" and text:
        text = text[:min(place(draw, len(text)), len(text) - 1)]
    elif shape == "nan":
        text = "[NaN, Infinity]"
    return text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"])))


@FUZZ
@given(data=json_files())
def test_the_json_reader_gives_cases_that_validate_or_a_clear_error(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("json") / "cases.json"
    path.write_bytes(data)
    cases = attempt(io.read_cases, path)
    if isinstance(cases, InputError):
        return
    assert cases and all(isinstance(case, dict) for case in cases)
    assume(len(cases) <= 3)
    report = validate_cases(cases, source=str(path))  # what validate does next: no crash
    assert isinstance(report.findings, pd.DataFrame)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_the_fuzzers_own_csv_files_are_read_when_undamaged(tmp_path, encoding):
    """The oracle above only means something if clean files are read: check a clean one."""
    text = "prs_Gender;prs_FirstName\r\nFeminine;\"Ana; \"\"A\"\"\"\r\nMasculine;Bo\r\n"
    path = tmp_path / "cases.csv"
    path.write_bytes(text.encode(encoding))
    loaded = io.read_csv(path)
    assert loaded.table.to_dict("list") == {"prs_Gender": ["Feminine", "Masculine"],
                                            "prs_FirstName": ['Ana; "A"', "Bo"]}
