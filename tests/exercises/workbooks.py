"""Edits to an exercise's workbook, made with openpyxl the way a trainee makes them by hand.

Each recipe opens the released workbook, changes what the trainee would change in Excel or
LibreOffice Calc (typing into cells, adding a sheet), and saves it under the same name. The
round trip (test_roundtrip.py) names a recipe per submission in answers/<exercise>.json.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

QUESTIONS = [
    ("row", "field", "question"),
    (6, "prs_Gender", "The gender is written 'Femenine'. Which value is right?"),
    (7, "cas_ReasonForCaseClosure", "The case is closed. Why was it closed?"),
    (8, "con_Consent", "Consent is blank. Did the person consent?"),
    (9, "prs_Birthdate", "The birth date is in 2031. What is the right date?"),
]
SAFE_FIXES = {"D3": "Masculine", "G4": "FollowUp", "F5": "BR", "D10": "NonSpecifiedUnknown",
              "G11": "ClosedReferred", "F12": "US"}


def _edit(path: Path, change: Callable) -> None:
    from openpyxl import load_workbook

    book = load_workbook(path)
    change(book)
    book.save(path)


def fix_as_the_task_says(path: Path) -> None:
    """Task 2 and 3 literally: the six safe fixes typed in, a Questions sheet as described."""
    def change(book):
        cases = book["Cases"]
        for cell, value in SAFE_FIXES.items():
            cases[cell] = value
        questions = book.create_sheet("Questions")
        for row in QUESTIONS:
            questions.append(row)
    _edit(path, change)


def fix_in_another_hand(path: Path) -> None:
    """Also literal: no heading row, 'Row 6' typed as text, the sheet named in small letters,
    the field left blank, rows in another order, a number typed as a decimal."""
    def change(book):
        cases = book["Cases"]
        for cell, value in SAFE_FIXES.items():
            cases[cell] = value
        questions = book.create_sheet("questions")
        questions.append(("Row 9", None, "Is the birth date right? It is in the future."))
        questions.append((6.0, "gender", "Femenine: do you mean Feminine?"))
        questions.append(("row 8", "consent", "Please check the consent."))
        questions.append(("7", "reason", "Why was this case closed?"))
    _edit(path, change)


def fix_and_guess(path: Path) -> None:
    """Plausible mistakes: the 'Did you mean' followed for row 6, the blank consent filled
    with True, one safe fix missed, and only two questions asked."""
    def change(book):
        cases = book["Cases"]
        for cell, value in SAFE_FIXES.items():
            if cell != "F12":
                cases[cell] = value
        cases["D6"] = "Feminine"
        cases["I8"] = "True"
        questions = book.create_sheet("Questions")
        for row in QUESTIONS[:3]:
            questions.append(row)
    _edit(path, change)


RECIPES: dict[str, Callable[[Path], None]] = {
    "fix_as_the_task_says": fix_as_the_task_says,
    "fix_in_another_hand": fix_in_another_hand,
    "fix_and_guess": fix_and_guess,
}
