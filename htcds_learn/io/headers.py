"""Which HTCDS field each column holds: from the header row, and the template's label row.

Survey names and group prefixes, labels used as column names, and the known mistakes of
IOM's template (a misspelt field name, a column without one) are mapped to the standard's
names, and every change is recorded. One pass over the header: 16,384 columns take
milliseconds.

>>> from htcds_learn.io.loaded import LoadedTable
>>> loaded = LoadedTable(None, "x.csv", "csv")
>>> resolve_columns("x.csv", ["intake/prs_First_Name", "Gender", ""], None, loaded)
['prs_FirstName', 'prs_Gender', 'column C']
>>> loaded.renamed
{'intake/prs_First_Name': 'prs_FirstName', 'Gender': 'prs_Gender'}
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from os import PathLike
from typing import TYPE_CHECKING, Any

from .. import standard
from .problems import fail
from .survey import SURVEY_METADATA, SURVEY_NAMES

if TYPE_CHECKING:
    from .loaded import LoadedTable


def tidy(name: Any) -> str:
    """A header cell as text, its runs of spaces and line breaks made one space."""
    return " ".join(str(name).split()) if name is not None else ""


def letter(index: int) -> str:
    """The spreadsheet letter of a column (0 -> 'A', 26 -> 'AA')."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


@cache
def _lookups() -> tuple[dict[str, str], dict[str, str], dict[str, str], frozenset[str]]:
    by_label: dict[str, list[str]] = {}
    for f in standard.fields(include_deprecated=True):
        by_label.setdefault(f.label.casefold(), []).append(f.name)
    unique_labels = {label: names[0] for label, names in by_label.items() if len(names) == 1}
    columns = standard.load().core_template_columns
    template = {c["template_name"]: c["field"] for c in columns if c["template_name"]}
    template_labels = {c["template_label"]: c["field"] for c in columns}
    return unique_labels, template, template_labels, frozenset(standard.load().by_name)


def resolve_columns(path: str | PathLike[str], header: list[str], labels: list[str] | None,
                    loaded: LoadedTable) -> list[str]:
    """Field names for a header (and the template's label row); records what was renamed."""
    by_label, template, template_labels, known = _lookups()
    names = []
    for index, raw in enumerate(header):
        name = tidy(raw)
        resolved = name
        if "/" in name and name not in SURVEY_METADATA:
            resolved = name.rsplit("/", 1)[1]  # survey group prefixes: group_a/prs_Gender
        resolved = SURVEY_NAMES.get(resolved, resolved)
        if resolved in template and template[resolved] != resolved:
            resolved = template[resolved]  # the template's misspelt field name (D2)
        label = tidy(labels[index]) if labels and index < len(labels) else ""
        if not resolved and label in template_labels:
            resolved = template_labels[label]  # the template's column with no name (D3)
        if resolved not in known and resolved.casefold() in by_label:
            resolved = by_label[resolved.casefold()]  # a label used as a column name
        if resolved != name:
            loaded.renamed[name or f"column {letter(index)}"] = resolved
        names.append(resolved or f"column {letter(index)}")
    counts = Counter(names)
    if len(counts) < len(names):
        name = next(n for n in names if counts[n] > 1)
        where = [str(i + 1) for i, n in enumerate(names) if n == name]
        fail(path, "io.table.duplicate-column", column=name, columns=", ".join(where))
    return names


def looks_like_labels(header: list[str], second: list[str]) -> bool:
    """True when the second row holds the labels of the first row's fields (the template)."""
    known = standard.load().by_name
    _, _, template_labels, _ = _lookups()
    pairs = [(h, s) for h, s in zip(header, second) if s]
    hits = sum(1 for h, s in pairs
               if (h in known and known[h].label == s) or s in template_labels)
    return bool(pairs) and hits >= max(3, len(pairs) // 2)
