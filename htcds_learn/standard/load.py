"""The standard's data: HTCDS v2.0 read from the shipped JSON into fields and sections.

``data/htcds-2.0.json`` is made by ``scripts/build_standard.py`` from IOM's official spreadsheet
(``data/official/HTCDS Field Standards 2.0.ods``, CC BY 4.0). Each field is read with the
package's annotations (``annotations.py``) into a :class:`Field` that knows its value kind
(``kinds.py``). Use the functions of :mod:`htcds_learn.standard` for everyday work.

>>> load().by_name["prs_Gender"].value_kind
<kind picklist>
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cache, cached_property
from importlib import resources
from typing import Literal

from ..messages import text
from . import annotations as notes
from .kinds import KINDS
from .kinds import Kind as ValueKind

ATTRIBUTION = (
    "Human Trafficking Case Data Standard (HTCDS) v2.0 by IOM, licensed under CC BY 4.0. "
    "IOM does not endorse htcds-learn."
)

Kind = Literal[
    "text", "long_text", "integer", "number", "date", "boolean", "picklist", "multiselect",
    "country", "country_list", "language", "latitude", "longitude", "phone", "email", "lookup",
]


def privacy_role(field_name: str) -> str:
    """How a field can expose a person: direct identifier, quasi-identifier, sensitive,
    free text (every Long Text field), or other.

    >>> privacy_role("prs_MobilePhone"), privacy_role("cco_CaseComment")
    ('direct identifier', 'free text')
    """
    role = notes.annotation(field_name).role
    if role:
        return role
    f = load().by_name.get(field_name)
    return notes.FREE_TEXT if f is not None and f.kind == "long_text" else notes.OTHER_ROLE


@dataclass(frozen=True)
class Value:
    """One allowed value of a picklist: the stored name and the label people read."""

    name: str
    label: str


@dataclass(frozen=True)
class Field:
    """One HTCDS field, as published, plus the package's reading of its type.

    >>> f = load().by_name["vic_TypeOfExploitation"]
    >>> f.kind, f.multiple, f.value_names[:2]
    ('multiselect', True, ('ForcedLabour', 'SexualExploitation'))
    """

    name: str
    short_name: str
    prefix: str
    section: str
    label: str
    type: str
    core: bool
    status: str
    salesforce: str
    values: tuple[Value, ...]
    value_rule: str
    description: str
    notes: str
    source_row: int
    kind: Kind = "text"
    lookup_target: str = ""

    @property
    def privacy_role(self) -> str:
        """How this field can expose a person (see :func:`privacy_role`)."""
        return privacy_role(self.name)

    @property
    def value_kind(self) -> ValueKind:
        """The kind of this field's values: it parses, checks, describes and fixes them."""
        return KINDS[self.kind]

    @property
    def deprecated(self) -> bool:
        return self.status == "DEPRECATED"

    @property
    def active(self) -> bool:
        return not self.deprecated

    @property
    def multiple(self) -> bool:
        """True when the field holds a list (a multiselect picklist or several countries)."""
        return self.kind in ("multiselect", "country_list")

    @property
    def has_picklist(self) -> bool:
        return bool(self.values)

    @property
    def value_names(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.values)

    @property
    def value_labels(self) -> tuple[str, ...]:
        return tuple(v.label for v in self.values)

    def _repr_html_(self) -> str:
        """A card for notebooks: label, type, Core or not, allowed values, meaning."""
        e = html.escape
        rows = "".join(f"<tr><td><code>{e(v.name)}</code></td><td>{e(v.label)}</td></tr>"
                       for v in self.values)
        values = (f"<table><tr><th>{e(text('field.card.value-name'))}</th>"
                  f"<th>{e(text('field.card.label'))}</th></tr>{rows}</table>" if rows
                  else f"<p><i>{e(self.value_rule or text('field.free-entry'))}</i></p>")
        badge = text("field.core" if self.core else "field.extended")
        status = f" · <b>{e(text('field.card.deprecated'))}</b>" if self.deprecated else ""
        return (
            f"<h4><code>{e(self.name)}</code>: {e(self.label)}</h4>"
            f"<p>{e(self.section)} · {e(self.type or text('field.no-type'))} · {e(badge)}"
            f"{status}</p>"
            f"<p>{e(self.description or text('field.no-description'))}</p>{values}"
        )

    def summary(self) -> str:
        """A short plain-language description, for explorers and error hints."""
        return text("field.summary.deprecated" if self.deprecated else "field.summary",
                    name=self.name, label=self.label,
                    type=self.type or text("field.no-type"),
                    core=text("field.core" if self.core else "field.extended"))


@dataclass(frozen=True)
class Section:
    """A section of the standard: one kind of record, one flat table."""

    name: str
    prefix: str
    table: str
    fields: tuple[Field, ...] = dataclass_field(default=())
    example_questions: tuple[str, ...] = ()

    @property
    def has_fields(self) -> bool:
        return bool(self.fields)


@dataclass(frozen=True)
class Standard:
    """The whole standard, loaded once; use the module-level functions for everyday work."""

    version: str
    attribution: str
    fields: tuple[Field, ...]
    sections: tuple[Section, ...]
    core_template_columns: tuple[dict, ...]
    cleaning: tuple[dict, ...]
    source: dict

    @cached_property
    def by_name(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}


def _make_field(raw: dict) -> Field:
    name = raw["name"]
    note = notes.annotation(name)
    kind = note.kind or notes.TYPE_KINDS.get(raw["type"], "text")
    target = notes.LOOKUP_TARGETS.get(raw["type"], "organisation" if kind == "lookup" else "")
    return Field(
        name=name,
        short_name=raw["short_name"],
        prefix=raw["prefix"],
        section=raw["section"],
        label=raw["label"] or note.label or raw["short_name"],
        type=raw["type"],
        core=raw["core"],
        status=raw["status"],
        salesforce=raw["salesforce"],
        values=tuple(Value(v["name"], v["label"]) for v in raw["values"]),
        value_rule=raw["value_rule"],
        description=raw["description"],
        notes=raw["notes"],
        source_row=raw["source_row"],
        kind=kind,  # type: ignore[arg-type]  # the annotations use Kind names only
        lookup_target=target,
    )


@cache
def load() -> Standard:
    """Read the shipped standard file (cached: the file is read once per process)."""
    text = resources.files("htcds_learn").joinpath("data/htcds-2.0.json").read_text("utf-8")
    raw = json.loads(text)
    fields = tuple(_make_field(f) for f in raw["fields"])
    sections = tuple(
        Section(
            name=s["name"],
            prefix=s["prefix"],
            table=notes.SECTION_TABLES.get(s["name"], ""),
            fields=tuple(f for f in fields if f.section == s["name"]),
            example_questions=tuple(s["example_questions"]),
        )
        for s in raw["sections"]
    )
    return Standard(
        version=raw["version"],
        attribution=raw["attribution"],
        fields=fields,
        sections=sections,
        core_template_columns=tuple(raw["core_template"]["columns"]),
        cleaning=tuple(raw["cleaning"]),
        source=raw["source"],
    )
