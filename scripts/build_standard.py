#!/usr/bin/env python3
"""Build ``htcds_learn/data/htcds-2.0.json`` from IOM's official ``HTCDS Field Standards 2.0.ods``.

The .ods is the normative HTCDS v2.0 artefact (IOM, CC BY 4.0). A copy ships in
``htcds_learn/data/`` and this script turns it into the JSON file every part of the package
reads. The tests run it again and require the same bytes, so the shipped JSON can never drift
from the official spreadsheet.

    python scripts/build_standard.py            # rewrite the shipped JSON
    python scripts/build_standard.py --check    # exit 1 if the shipped JSON is out of date
    python scripts/build_standard.py --out F    # write somewhere else

Cleaning is minimal and recorded: every change made to a value of the spreadsheet (a trailing
space, a non-breaking space) is listed in the file's ``cleaning`` entries, so nothing is
silently altered.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import sys
from pathlib import Path

from odf import teletype
from odf.namespaces import TABLENS
from odf.opendocument import load
from odf.table import Table, TableCell, TableRow
from odf.text import P

from htcds_learn._util.files import write_text_atomically

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "htcds_learn" / "data"
OFFICIAL = DATA / "official"
SOURCE = OFFICIAL / "HTCDS Field Standards 2.0.ods"
TEMPLATE = OFFICIAL / "HTCDS Excel Spreadsheet v2.0.xlsx"
TARGET = DATA / "htcds-2.0.json"

COLUMNS = [
    "Section", "Status", "Core", "Field Name Prefix", "Field Name", "Field Label",
    "Field Name including Prefix", "Field Type", "Salesforce Standard or Custom",
    "Value Names (if picklist)", "Value Labels (if picklist)", "Description", "Notes",
]
EXAMPLE_MARK = "EXAMPLE QUESTION"
NBSP = "\u00a0"


def read_rows(path: Path) -> list[list[list[str]]]:
    """Every row of the first sheet as cells, each cell as its list of paragraphs.

    odfpy is used directly (not pandas) because pandas joins a cell's paragraphs without a
    separator, and HTCDS stores one picklist value per paragraph.
    """
    sheet = load(str(path)).spreadsheet.getElementsByType(Table)[0]
    rows: list[list[list[str]]] = []
    for row in sheet.getElementsByType(TableRow):
        cells: list[list[str]] = []
        for cell in row.getElementsByType(TableCell):
            repeat = int(cell.attributes.get((TABLENS, "number-columns-repeated"), 1))
            paragraphs = [teletype.extractText(p) for p in cell.getElementsByType(P)]
            cells.extend([paragraphs] * min(repeat, len(COLUMNS)))
            if len(cells) >= len(COLUMNS):
                break
        cells = (cells + [[]] * len(COLUMNS))[: len(COLUMNS)]
        if not any(cells):
            continue  # the sheet pads itself with a million empty rows
        rows.append(cells)
    return rows


def clean(text: str, where: str, log: list[dict]) -> str:
    """Normalise white space; record the change when there was one."""
    cleaned = " ".join(text.replace(NBSP, " ").split())
    if cleaned != text:
        log.append({"where": where, "original": text, "cleaned": cleaned})
    return cleaned


def joined(paragraphs: list[str], where: str, log: list[dict]) -> str:
    return clean(" ".join(p for p in paragraphs), where, log) if paragraphs else ""


def read_template(path: Path, fields: list[dict]) -> list[dict]:
    """The official Excel template's columns: hidden field-name row 1, label row 2.

    The template has defects (a misspelt field name, a column without one, shifted address
    labels). Each column is resolved to a real field here, and the evidence is kept: what the
    template says and how the column was resolved.
    """
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    sheet = load_workbook(path, read_only=True).worksheets[0]
    names, labels = (list(row) for row in sheet.iter_rows(min_row=1, max_row=2, values_only=True))
    known = {f["name"]: f for f in fields}
    by_label = {f["label"]: f["name"] for f in fields}
    columns = []
    for index, (name, label) in enumerate(zip(names, labels)):
        if index == 0:
            continue  # column A only numbers the rows
        if name in known:
            field, how = name, "field name"
        elif name is None and label in by_label:
            field, how = by_label[label], "no field name: resolved by its label"
        else:
            close = difflib.get_close_matches(str(name), known, n=1, cutoff=0.9)
            if not close:
                raise SystemExit(f"{path}: cannot resolve column {name!r} / {label!r}")
            field, how = close[0], "misspelt field name: resolved to the closest field"
        columns.append({
            "column": get_column_letter(index + 1),
            "template_name": name,
            "template_label": label,
            "field": field,
            "resolved_by": how,
            "label_matches_field": label == known[field]["label"],
        })
    return columns


def build(source: Path = SOURCE, template: Path = TEMPLATE) -> dict:
    rows = read_rows(source)
    header = [" ".join(cell) for cell in rows[0]]
    if header != COLUMNS:
        raise SystemExit(f"{source}: unexpected header {header}")
    log: list[dict] = []
    sections: list[dict] = []
    fields: list[dict] = []
    for number, cells in enumerate(rows[1:], start=2):
        cell = dict(zip(COLUMNS, cells))
        if cell["Section"]:
            sections.append({"name": joined(cell["Section"], f"row {number}", log),
                             "prefix": "", "example_questions": []})
            continue
        label_text = joined(cell["Field Label"], f"row {number} label", log)
        if label_text.startswith(EXAMPLE_MARK):
            question = label_text[len(EXAMPLE_MARK):].strip()
            sections[-1]["example_questions"].append(question)
            continue
        prefix = joined(cell["Field Name Prefix"], f"row {number} prefix", log)
        short = joined(cell["Field Name"], f"row {number} name", log)
        name = joined(cell["Field Name including Prefix"], f"row {number} full name", log)
        name = name or prefix + short
        sections[-1]["prefix"] = sections[-1]["prefix"] or prefix
        names = [clean(v, f"{name} value name", log) for v in cell["Value Names (if picklist)"]]
        labels = [clean(v, f"{name} value label", log) for v in cell["Value Labels (if picklist)"]]
        values: list[dict] = []
        value_rule = ""
        if any(text.lstrip("[").startswith("Use ") for text in names + labels):
            # Country and language fields name a code list instead of listing values.
            value_rule = (names or labels)[0].strip("[]")
        elif names:
            if len(names) != len(labels):
                raise SystemExit(f"{source}: {name} has {len(names)} names, {len(labels)} labels")
            values = [{"name": n, "label": lab} for n, lab in zip(names, labels)]
        fields.append({
            "name": name,
            "short_name": short,
            "prefix": prefix,
            "section": sections[-1]["name"],
            "label": label_text,
            "type": joined(cell["Field Type"], f"{name} type", log),
            "core": joined(cell["Core"], f"{name} core", log) == "Core",
            "status": joined(cell["Status"], f"{name} status", log),
            "salesforce": joined(cell["Salesforce Standard or Custom"], f"{name} sf", log),
            "values": values,
            "value_rule": value_rule,
            "description": joined(cell["Description"], f"{name} description", log),
            "notes": joined(cell["Notes"], f"{name} notes", log),
            "source_row": number,
        })
    return {
        "standard": "Human Trafficking Case Data Standard (HTCDS)",
        "version": "2.0",
        "publisher": "International Organization for Migration (IOM)",
        "licence": "CC BY 4.0",
        "attribution": "Human Trafficking Case Data Standard (HTCDS) by IOM, licensed under "
        "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). Converted to JSON by "
        "htcds-learn; IOM does not endorse this package.",
        "source": {
            "file": source.name,
            "sha256": hashlib.sha256(source.read_bytes()).hexdigest(),
        },
        "sections": sections,
        "fields": fields,
        "core_template": {
            "file": template.name,
            "sha256": hashlib.sha256(template.read_bytes()).hexdigest(),
            "columns": read_template(template, fields),
        },
        "cleaning": log,
    }


def render(document: dict) -> str:
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--out", type=Path, default=TARGET)
    parser.add_argument("--check", action="store_true",
                        help="compare with the shipped file instead of writing")
    args = parser.parse_args(argv)
    text = render(build(args.source))
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is out of date: run python scripts/build_standard.py",
                  file=sys.stderr)
            return 1
        print(f"{args.out} matches {args.source.name}")
        return 0
    write_text_atomically(args.out, text)
    print(f"wrote {args.out} ({len(text):,} characters)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
