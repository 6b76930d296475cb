"""Writing a Core table into a copy of IOM's official Excel template.

Columns are placed by the template's hidden field-name row (so its shifted labels do not
matter); rows start under the two header rows. Every value is written as text, so a value
that looks like a formula (``=HYPERLINK(...)``) is shown, never run. The shipped template is
never modified, and an existing file is replaced only with ``force=True``.
"""

from __future__ import annotations

import warnings
from importlib import resources
from os import PathLike
from pathlib import Path

import pandas as pd

from .. import standard
from .._util.files import xlsx_text
from .._util.frames import as_text
from .problems import fail

TEMPLATE = "data/official/HTCDS Excel Spreadsheet v2.0.xlsx"


def write_template(core: pd.DataFrame, path: str | PathLike[str], *, force: bool = False
                   ) -> Path:
    """Write a Core table into a copy of IOM's official Excel template, atomically."""
    from openpyxl import load_workbook

    from .writers import write_with

    path = Path(path)
    template = resources.files("htcds_learn").joinpath(TEMPLATE)
    with resources.as_file(template) as source:
        columns = {c["field"]: i + 2
                   for i, c in enumerate(standard.load().core_template_columns)}
        text = as_text(core, renumber=True)
        if not any(c in text for c in columns):
            fail(path, "io.template.no-core-columns", count=len(columns))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about validation extensions
            workbook = load_workbook(source)
        sheet = workbook.worksheets[0]
        present = [(name, column) for name, column in columns.items() if name in text]
        for offset, row in enumerate(text[[name for name, _ in present]].itertuples(
                index=False)):
            sheet.cell(offset + 3, 1, offset + 1)
            for (_, column), value in zip(present, row):
                xlsx_text(sheet.cell(offset + 3, column), value if value != "" else None)
        return write_with(path, workbook.save, inputs=[source], force=force).path
