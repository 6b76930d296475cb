"""A table read from a file, whatever the format: what every reader hands back, and the
steps they share once the cells are read (column names, blank rows, the empty table)."""

from __future__ import annotations

from os import PathLike
from typing import Any

import pandas as pd

from .. import messages, standard
from . import limits
from .headers import letter, looks_like_labels, resolve_columns
from .loaded import LoadedTable
from .problems import fail
from .survey import undo_survey_export


def split_header(loaded: LoadedTable, header: list[str], second: list[str] | None
                 ) -> list[str] | None:
    """The template's label row, if the second row holds one (then two header rows)."""
    if second is not None and looks_like_labels(header, second):
        loaded.header_rows = 2
        loaded.kind = "htcds-template"
        return second
    return None


def finish(path: str | PathLike[str], loaded: LoadedTable, header: list[str],
           labels: list[str] | None, body: pd.DataFrame) -> LoadedTable:
    """Name the columns of ``body`` (the rows under the header, as text, one column per
    header cell) and tidy it: what every reader does once its cells are read."""
    names = resolve_columns(path, header, labels, loaded)
    body = body.set_axis(names, axis=1)
    if loaded.kind == "htcds-template" and names and names[0] == "column A":
        body = body.iloc[:, 1:]  # the template's column A only numbers the rows
        loaded.renamed.pop("column A", None)
    body = _without_trailing_blank_rows(body)
    unnamed_and_empty = [n for n in body.columns if n.startswith("column ")
                         and not body[n].str.strip().astype(bool).any()]
    body = body.drop(columns=unnamed_and_empty)  # stray formatting beside the data
    names = list(body.columns)
    extension = _extension_names()
    if not any(n in standard.load().by_name or n in extension for n in names):
        fail(path, "io.table.no-htcds-columns", first=", ".join(names[:4]))
    if body.empty:
        fail(path, "io.table.no-records")
    if len(body) > limits.MAX_ROWS:
        fail(path, "io.table.too-many-rows", limit=f"{limits.MAX_ROWS:,}")
    loaded.table = body.reset_index(drop=True)
    undo_survey_export(loaded)
    return loaded


def _without_trailing_blank_rows(body: pd.DataFrame) -> pd.DataFrame:
    """Blank rows at the end go (templates come with hundreds); looks only at those rows."""
    end = len(body)
    values = body.to_numpy() if end and end < 2_000 else None
    while end:
        row = values[end - 1] if values is not None else body.iloc[end - 1].to_numpy()
        if any(str(cell).strip() for cell in row):
            break
        end -= 1
    return body.iloc[:end]


def _extension_names() -> set[str]:
    from ..model.schema import known_columns

    return {name for name, f in known_columns().items() if f is None}


def frame_from_rows(path: str | PathLike[str], rows: list[list[str]], width: int,
                    first_row: int) -> pd.DataFrame:
    """A text frame of ``width`` columns from rows of cells (Excel, ODS); a row with text
    beyond the header's last column stops reading, as it would lose data."""
    for offset, row in enumerate(rows):
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            column = next(i for i in range(width, len(row)) if row[i].strip())
            fail(path, "io.table.beyond-header", row=first_row + offset, column=letter(column),
                 width=width)
    padded = [row[:width] if len(row) >= width else row + [""] * (width - len(row))
              for row in rows]
    return pd.DataFrame(padded, columns=range(width), dtype=object)


def long_cell(path: str | PathLike[str], header: list[str], row: list[str], number: int
              ) -> None:
    """Refuse row ``number`` because one of its cells is longer than a spreadsheet holds."""
    index = next(i for i, text in enumerate(row) if len(text) > limits.MAX_CELL)
    column = header[index] if index < len(header) and header[index] else letter(index)
    fail(path, "io.table.cell-too-long", row=number, column=column,
         length=f"{len(row[index]):,}", limit=f"{limits.MAX_CELL:,}")


def note(loaded: LoadedTable, message_id: str, **values: Any) -> None:
    """Add a catalogue note (something noticed while reading that is not an error)."""
    loaded.notes.append(messages.text(message_id, **values))
