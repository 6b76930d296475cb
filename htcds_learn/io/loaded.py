"""What every table reader hands back: the table as text, and what was noticed reading it."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass
class LoadedTable:
    """A table read from a file, as text, with what was noticed on the way."""

    table: pd.DataFrame
    source: str
    kind: str  # "csv", "excel", "ods", "htcds-template", "survey-export"
    header_rows: int = 1
    delimiter: str = ""
    encoding: str = ""
    sheet: str = ""
    renamed: dict[str, str] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
