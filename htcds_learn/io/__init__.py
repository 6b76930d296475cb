"""Reading case data from the files people really have, and writing IOM's templates.

CSV, Excel (IOM's two official templates included), JSON case documents and survey (XLSForm)
exports come in as text tables with their source named; templates and survey exports go out.
"""

from __future__ import annotations

from .readers import (
    LoadedTable,
    read_cases,
    read_csv,
    read_excel,
    read_table,
    write_survey_export,
    write_template,
)

__all__ = [
    "LoadedTable", "read_cases", "read_csv", "read_excel", "read_table", "write_survey_export",
    "write_template",
]
