"""Reading case data from the files people really have, and writing files back safely.

CSV (any common delimiter and encoding), Excel (IOM's two official templates included),
OpenDocument spreadsheets, JSON case documents and survey (XLSForm) exports come in as text
tables with their source named; a broken or hostile file gives one clear error naming the
file, line, row and column (``InputError``), in bounded time and memory (see ``limits``).
Templates, survey exports and every other output go out through the one writer
(``writers``): whole or not at all, never over an input or an existing file unless forced,
and safe to open in a spreadsheet.

One module per job: ``csv``, ``excel``, ``ods`` and ``json`` read, and ``detect`` picks
which; ``text`` (encodings) and ``zips`` (zip containers) serve them; ``headers`` names the
columns; ``tables`` holds what every table reader shares; ``limits`` says how much is read;
``survey`` and ``template`` are the two practice formats; ``writers`` writes.
"""

from __future__ import annotations

from .csv import read_csv
from .detect import is_json, read_table
from .excel import read_excel
from .json import read_cases
from .loaded import LoadedTable
from .ods import read_ods
from .survey import write_survey_export
from .template import write_template
from .writers import OutputError, Written, check_output, write_csv, write_files, write_text

__all__ = [
    "LoadedTable", "OutputError", "Written", "check_output", "is_json", "read_cases",
    "read_csv", "read_excel", "read_ods", "read_table", "write_csv", "write_files",
    "write_survey_export", "write_template", "write_text",
]
