#!/usr/bin/env python3
"""Make the workbooks that exercises ship beside their notebooks, from synthetic data.

    python scripts/build_exercise_files.py          # write them into exercises/source/
    python scripts/build_exercise_files.py --check  # exit 1 if a shipped workbook's cells differ

Each workbook is made from the course generator with a fixed seed, then given the problems
its exercise describes, row by row, so the task text can name them. The tests compare the
shipped workbooks' cells with these (the files' bytes carry timestamps, the cells do not).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

import htcds_learn as hl
from htcds_learn._util.files import write_atomically

SOURCE = Path(__file__).resolve().parents[1] / "exercises" / "source"

FIX_A_WORKBOOK_COLUMNS = ["case_id", "prs_FirstName", "prs_SecondName", "prs_Gender",
                          "prs_Birthdate", "prs_Citizenship", "cas_Status",
                          "cas_ReasonForCaseClosure", "con_Consent"]
# (spreadsheet row, field, value as the partner typed it): the problems of ex04-fix-a-workbook.
FIX_A_WORKBOOK_PROBLEMS = [
    (3, "prs_Gender", "Masculine "),          # safe: a stray space
    (4, "cas_Status", "Follow Up"),           # safe: the label, not the value name
    (5, "prs_Citizenship", "Brazil"),         # safe: a country name, not its code
    (6, "prs_Gender", "Femenine"),            # ask: a typo (a guess is not safe)
    (7, "cas_ReasonForCaseClosure", ""),      # ask: a closed case without a reason
    (8, "con_Consent", ""),                   # ask: consent not recorded
    (9, "prs_Birthdate", "2031-01-21"),       # ask: a birth date in the future
    (10, "prs_Gender", "Not Specified/Unknown"),  # safe: the label
    (11, "cas_Status", " ClosedReferred"),    # safe: a stray space
    (12, "prs_Citizenship", "USA"),           # safe: a three-letter code
]


def fix_a_workbook_table() -> pd.DataFrame:
    """The partner's 12 cases as they arrive (text cells, as a spreadsheet holds them)."""
    table = hl.as_text(hl.generate_core(12, seed=4)[FIX_A_WORKBOOK_COLUMNS], renumber=True)
    table.loc[5, "prs_SecondName"] = "Adeyemi"  # the generator's pick shares a famous name
    for row, field, value in FIX_A_WORKBOOK_PROBLEMS:
        table.loc[row - 2, field] = value
    return table


# (spreadsheet row, field, value as the partner typed it): the problems of ex10-capstone's
# workbook, which is IOM's own Excel template (two header rows, so the first case is row 3).
CAPSTONE_PROBLEMS = [
    (9, "con_Consent", ""),                    # ask: consent not recorded
    (12, "cas_Status", "Closed Referred"),      # safe: the label
    (19, "prs_Gender", "Male"),                 # ask: not an HTCDS value
    (24, "prs_Birthdate", "2003-02-30"),        # ask: a date that does not exist
    (27, "prs_Citizenship", "Philippines"),     # safe: a country name
]


def capstone_table() -> pd.DataFrame:
    """The partner's 30 cases for the capstone, with the problems above (rows 15 and 18 have
    consent recorded as refused, as the generator made them)."""
    table = hl.as_text(hl.generate_core(30, seed=10), renumber=True)
    for row, field, value in CAPSTONE_PROBLEMS:
        table.loc[row - 3, field] = value
    return table


def write_template_workbook(table: pd.DataFrame, path: Path, sheet: str) -> None:
    hl.write_template(table, path)


def write_workbook(table: pd.DataFrame, path: Path, sheet: str) -> None:
    from openpyxl import Workbook

    book = Workbook()
    worksheet = book.active
    worksheet.title = sheet
    worksheet.append(list(table.columns))
    for row in table.itertuples(index=False):
        worksheet.append([value if value != "" else None for value in row])
    for column in worksheet.columns:
        width = max(len(str(cell.value or "")) for cell in column)
        worksheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 45)
    worksheet.freeze_panes = "A2"
    write_atomically(path, book.save)


def read_cells(path: Path, sheet: str | None) -> pd.DataFrame:
    return hl.read_table(path, sheet=sheet).table


# file -> (sheet to compare, the table, the writer)
FILES = {
    SOURCE / "ex04-fix-a-workbook" / "partner-cases.xlsx":
        ("Cases", fix_a_workbook_table, write_workbook),
    SOURCE / "ex10-capstone" / "partner-workbook.xlsx":
        (None, capstone_table, write_template_workbook),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    stale = []
    for path, (sheet, make, write) in FILES.items():
        table = make()
        if args.check:
            if not path.exists() or not read_cells(path, sheet).equals(
                    table[read_cells(path, sheet).columns]):
                stale.append(str(path))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            write(table, path, sheet)
            print(f"wrote {path}")
    if stale:
        print(f"out of date: {', '.join(stale)}; run python scripts/build_exercise_files.py",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
