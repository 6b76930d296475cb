"""HTCDS v2.0 as code: every field, its type, its allowed values and what it means.

Everything else in the package (schemas, the generator, validation, the widgets) reads the
field definitions from here; nothing restates an allowed-values list by hand. The definitions
come from ``data/htcds-2.0.json``, which ``scripts/build_standard.py`` makes from IOM's official
spreadsheet (``data/official/HTCDS Field Standards 2.0.ods``, CC BY 4.0).

>>> from htcds_learn import standard
>>> gender = standard.field("prs_Gender")
>>> gender.label, gender.core
('Gender', True)
>>> standard.value_name("prs_Gender", "Not Specified/Unknown")
'NonSpecifiedUnknown'
>>> len(standard.core_fields())
38
"""

from typing import TYPE_CHECKING

from ..errors import UnknownFieldError, UnknownSectionError, UnknownValueError
from ..messages import Message
from . import annotations, kinds
from .annotations import (
    DIRECT_IDENTIFIER,
    FREE_TEXT,
    OTHER_ROLE,
    QUASI_IDENTIFIER,
    SENSITIVE,
)
from .load import ATTRIBUTION, Field, Kind, Section, Standard, Value, load, privacy_role
from .suggestions import did_you_mean, nearest, suggest

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ATTRIBUTION", "DIRECT_IDENTIFIER", "FREE_TEXT", "OTHER_ROLE", "QUASI_IDENTIFIER",
    "SENSITIVE", "Field", "Kind", "Section", "Standard", "Value", "annotations",
    "core_fields", "core_template_columns", "did_you_mean", "field", "fields", "fields_table",
    "get_section", "kinds", "load", "nearest", "privacy_role", "search", "sections",
    "suggest", "template_columns", "value_label", "value_name",
]


def field(name: str) -> Field:
    """Look up a field by its full name (with prefix), e.g. ``"prs_Gender"``.

    >>> field("prs_Birthdate").kind
    'date'
    >>> try:
    ...     field("prs_Gendr")
    ... except UnknownFieldError as error:
    ...     print(error)
    'prs_Gendr' is not an HTCDS v2.0 field. Did you mean 'prs_Gender'?
    """
    fields_by_name = load().by_name
    if name in fields_by_name:
        return fields_by_name[name]
    options = list(fields_by_name)
    by_label = [f.name for f in load().fields if f.label.lower() == str(name).lower()]
    hint = Message("standard.label-of", {"fields": ", ".join(by_label)}) if by_label \
        else did_you_mean(name, options)
    raise UnknownFieldError(Message("standard.unknown-field", {"name": name}), hint or "")


def fields(
    section: str | None = None,
    *,
    core: bool | None = None,
    include_deprecated: bool = False,
) -> list[Field]:
    """Fields in the standard's order, optionally of one section and/or only Core ones.

    >>> [f.name for f in fields("Consent")]
    ['con_Consent']
    >>> len(fields()), len(fields(include_deprecated=True))
    (81, 84)
    """
    chosen = load().fields if section is None else get_section(section).fields
    return [
        f for f in chosen
        if (include_deprecated or f.active) and (core is None or f.core == core)
    ]


def core_fields() -> list[Field]:
    """The 38 active Core fields: what a case management system should hold at minimum."""
    return fields(core=True)


def sections(*, with_fields_only: bool = False) -> list[Section]:
    """The sections in the standard's order (the three Assessment sections have no fields)."""
    return [s for s in load().sections if s.has_fields or not with_fields_only]


def get_section(name: str) -> Section:
    """Find a section by its name, prefix (``"vic_"``) or flat-table name (``"people"``).

    The Case and Referral Details sections share the ``cas_`` prefix; the prefix finds Case.

    >>> get_section("vic_").name
    'Person - Victim Context'
    """
    for s in load().sections:
        if name in (s.name, s.table) or (name == s.prefix and s.prefix):
            return s
    options = [s.name for s in load().sections] + [s.table for s in sections() if s.table]
    raise UnknownSectionError(Message("standard.unknown-section", {"name": name}),
                              did_you_mean(name, options) or "")


def _picklist(field_name: str) -> Field:
    f = field(field_name)
    if not f.values:
        takes = f.value_rule or f.type
        raise UnknownValueError(Message("standard.no-picklist", {"field": f.name}),
                                Message("standard.no-picklist.takes", {"takes": takes})
                                if takes else "")
    return f


def value_name(field_name: str, label_or_name: str) -> str:
    """The stored value name for a label (or a value name, returned unchanged).

    Matching ignores letter case and extra spaces, because that is how labels arrive from
    spreadsheets; anything else is an error with a suggestion.

    >>> value_name("cas_Status", "Follow up")
    'FollowUp'
    """
    f = _picklist(field_name)
    wanted = " ".join(str(label_or_name).split()).casefold()
    for v in f.values:
        if wanted in (v.name.casefold(), v.label.casefold()):
            return v.name
    hint = did_you_mean(str(label_or_name), list(f.value_names) + list(f.value_labels))
    raise UnknownValueError(Message("standard.unknown-value", {"value": label_or_name,
                                                                "field": f.name}), hint or "")


def value_label(field_name: str, name: str) -> str:
    """The human-readable label of a stored value name.

    >>> value_label("prs_Gender", "NonSpecifiedUnknown")
    'Not Specified/Unknown'
    """
    f = _picklist(field_name)
    for v in f.values:
        if v.name == name:
            return v.label
    hint = did_you_mean(name, list(f.value_names))
    raise UnknownValueError(Message("standard.unknown-value-name", {"value": name,
                                                                     "field": f.name}),
                            hint or "")


def core_template_columns() -> list[str]:
    """The 38 Core fields in the column order of IOM's official Excel template.

    >>> core_template_columns()[:3]
    ['cas_CaseOwner', 'prs_Salutation', 'prs_FirstName']
    """
    return [c["field"] for c in load().core_template_columns]


def fields_table(
    section: str | None = None, *, core: bool | None = None, include_deprecated: bool = False
) -> "pd.DataFrame":
    """The fields as a pandas table, for reading in a notebook.

    >>> fields_table("Consent")[["name", "label", "core"]].to_dict("records")
    [{'name': 'con_Consent', 'label': 'Consent', 'core': True}]
    """
    import pandas as pd

    rows = [
        {
            "name": f.name,
            "label": f.label,
            "section": f.section,
            "type": f.type,
            "core": f.core,
            "status": f.status,
            "allowed values": ", ".join(f.value_names) if f.values else f.value_rule,
            "description": f.description,
        }
        for f in fields(section, core=core, include_deprecated=include_deprecated)
    ]
    return pd.DataFrame(rows)


def search(text: str) -> list[Field]:
    """Fields whose name, label or description mentions ``text`` (any letter case).

    >>> [f.name for f in search("recruit")][:2]
    ['vic_RecruitmentWebsitesAndApps', 'vic_MethodOfRecruitment']
    """
    wanted = text.casefold()
    return [
        f for f in load().fields
        if wanted in f.name.casefold() or wanted in f.label.casefold()
        or wanted in f.description.casefold()
    ]


def template_columns() -> "pd.DataFrame":
    """IOM's Excel template, column by column: what it says, and which field it really holds.

    >>> shifted = template_columns().query("not label_matches")
    >>> shifted[["column", "template_label", "field"]].iloc[0].tolist()
    ['N', 'Mailing Street', 'prs_MailingCity']
    """
    import pandas as pd

    rows = [{"column": c["column"], "template_name": c["template_name"] or "",
             "template_label": c["template_label"], "field": c["field"],
             "field_label": field(c["field"]).label, "label_matches": c["label_matches_field"],
             "resolved_by": c["resolved_by"]} for c in load().core_template_columns]
    return pd.DataFrame(rows)
