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

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cache, cached_property
from importlib import resources
from typing import TYPE_CHECKING, Literal

from ..errors import UnknownFieldError, UnknownSectionError, UnknownValueError

if TYPE_CHECKING:
    import pandas as pd

ATTRIBUTION = (
    "Human Trafficking Case Data Standard (HTCDS) v2.0 by IOM, licensed under CC BY 4.0. "
    "IOM does not endorse htcds-learn."
)

Kind = Literal[
    "text", "long_text", "integer", "number", "date", "boolean", "picklist", "multiselect",
    "country", "country_list", "language", "latitude", "longitude", "phone", "email", "lookup",
]

# How the package reads each official "Field Type". Where the standard is vague or
# inconsistent, _FIELD_KINDS below refines it for single fields (see docs/upstream-defects.md).
_TYPE_KINDS: dict[str, Kind] = {
    "Text": "text",
    "Long Text": "long_text",
    "Number": "number",
    "Date": "date",
    "Checkbox": "boolean",
    "Picklist": "picklist",
    "Multiselect Picklist": "multiselect",
    "Picklist or Text": "text",
    "Geolocation": "number",
    "Lookup [to organisation]": "lookup",
    "Lookup [to person]": "lookup",
    "Lookup [to user]": "lookup",
}

_FIELD_KINDS: dict[str, Kind] = {
    # E.164 phone numbers (the notes give the regular expression).
    "org_Phone": "phone",
    "prs_HomePhone": "phone",
    "prs_MobilePhone": "phone",
    "prs_Email": "email",
    # Counts and ages are whole numbers.
    "prs_NumberOfChildren": "integer",
    "vic_AgeWhenTrafficked": "integer",
    # Country fields are typed Text, Picklist or Text, or Multiselect: all become ISO 3166-1
    # alpha-2 codes (defect D5). hte_Country names no code list at all.
    "org_ShippingCountry": "country",
    "prs_MailingCountry": "country",
    "hte_Country": "country",
    "prs_Citizenship": "country_list",
    # "ISO 639-2 ... two-letter codes": the package accepts ISO 639-1 and 639-2 (defect D4).
    "prs_PrimaryLanguage": "language",
    "prs_SecondaryLanguage": "language",
    # Geolocation is typed Geolocation for org_/hte_ and Number for prs_ (defect D6).
    "org_ShippingLatitude": "latitude",
    "org_ShippingLongitude": "longitude",
    "prs_MailingLatitude": "latitude",
    "prs_MailingLongitude": "longitude",
    "hte_Latitude": "latitude",
    "hte_Longitude": "longitude",
    # per_Organisation has no type in the standard (defect D7).
    "per_Organisation": "lookup",
}

_LOOKUP_TARGETS: dict[str, str] = {
    "Lookup [to organisation]": "organisation",
    "Lookup [to person]": "person",
    "Lookup [to user]": "user",
}

# Labels for the fields the standard leaves without one (defect D7).
_MISSING_LABELS = {"per_Organisation": "Organisation"}

# One flat table per section; the names are the package's, the sections are the standard's.
_SECTION_TABLES = {
    "Organization": "organisations",
    "Person": "people",
    "Person - Victim Context": "victim_contexts",
    "Person - Perpetrator Context": "perpetrator_contexts",
    "Case": "cases",
    "Referral Details": "referrals",
    "Case Comment": "case_comments",
    "Historic Trafficking Events": "trafficking_events",
    "Support Plan": "support_plans",
    "Consent": "consents",
}


# Privacy roles: how a field can expose a person. Every sharing step reads these.
DIRECT_IDENTIFIER = "direct identifier"  # points to one person on its own
QUASI_IDENTIFIER = "quasi-identifier"  # points to a person in combination with others
SENSITIVE = "sensitive"  # must never be linked back to a person
FREE_TEXT = "free text"  # may hide anything, names included
OTHER_ROLE = "other"

_ROLES: dict[str, str] = {
    **dict.fromkeys((
        "prs_FirstName", "prs_MiddleName", "prs_SecondName", "prs_Birthdate",
        "prs_IdentityNumber", "prs_Email", "prs_HomePhone", "prs_MobilePhone",
        "prs_MailingStreet", "prs_MailingPostalCode", "prs_MailingLatitude",
        "prs_MailingLongitude", "hte_Street", "hte_PostalCode", "hte_Latitude",
        "hte_Longitude", "cas_ReferringPrimaryCaseWorker", "cas_ReferredPrimaryCaseWorker",
        "cas_CaseOwner"), DIRECT_IDENTIFIER),
    **dict.fromkeys((
        "prs_Salutation", "prs_Gender", "prs_Deceased", "prs_MaritalStatus",
        "prs_NumberOfChildren", "prs_PrimaryLanguage", "prs_SecondaryLanguage",
        "prs_HighestLevelOfEducation", "prs_Citizenship", "prs_Title", "prs_MailingCity",
        "prs_MailingCountry", "prs_MailingState", "vic_AgeWhenTrafficked",
        "vic_LocationOfRecruitment", "vic_LocationOfExploitation", "hte_City", "hte_Country",
        "hte_State", "hte_Date", "cas_IncomingReferralDate", "cas_OutgoingReferralDate",
        "cas_ReferringOrganisation", "cas_ReferredOrganisation", "spl_PlannedEndDate",
        "spl_ActualEndDate"), QUASI_IDENTIFIER),
    **dict.fromkeys((
        "vic_TraffickingStatus", "vic_TraffickingStatusDecisionMakingOrg",
        "vic_RelationshipToTrafficker", "vic_RecruitmentWebsitesAndApps",
        "vic_MethodOfRecruitment", "vic_MethodsOfControl", "vic_TypeOfExploitation",
        "vic_ForcedLabourIndustry", "vic_TypeOfSexExploitation",
        "vic_ExploitationWebsitesAndApps", "vic_Vulnerabilities",
        "vic_AgreementToManagePersonalData", "per_RoleInProcess", "spl_Type", "hte_Type",
        "cas_ReasonForIncomingReferral", "cas_ReasonForOutgoingReferral", "con_Consent"),
        SENSITIVE),
}


def privacy_role(field_name: str) -> str:
    """How a field can expose a person: direct identifier, quasi-identifier, sensitive,
    free text (every Long Text field), or other.

    >>> privacy_role("prs_MobilePhone"), privacy_role("cco_CaseComment")
    ('direct identifier', 'free text')
    """
    if field_name in _ROLES:
        return _ROLES[field_name]
    f = load().by_name.get(field_name)
    return FREE_TEXT if f is not None and f.kind == "long_text" else OTHER_ROLE


@dataclass(frozen=True)
class Value:
    """One allowed value of a picklist: the stored name and the label people read."""

    name: str
    label: str


@dataclass(frozen=True)
class Field:
    """One HTCDS field, as published, plus the package's reading of its type.

    >>> f = field("vic_TypeOfExploitation")
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
        values = (f"<table><tr><th>value name (stored)</th><th>label (shown)</th></tr>{rows}"
                  "</table>" if rows
                  else f"<p><i>{e(self.value_rule or 'Free entry: no list of values.')}</i></p>")
        badge = "Core" if self.core else "Extended (optional)"
        status = " · <b>deprecated</b>" if self.deprecated else ""
        return (
            f"<h4><code>{e(self.name)}</code>: {e(self.label)}</h4>"
            f"<p>{e(self.section)} · {e(self.type or 'no type given')} · {badge}{status}</p>"
            f"<p>{e(self.description or 'The standard gives no description.')}</p>{values}"
        )

    def summary(self) -> str:
        """A short plain-language description, for explorers and error hints."""
        core = "Core" if self.core else "Extended (optional)"
        status = " (deprecated: do not use in new systems)" if self.deprecated else ""
        return f"{self.name}: '{self.label}', {self.type or 'no type given'}, {core}{status}."


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
    kind = _FIELD_KINDS.get(name) or _TYPE_KINDS.get(raw["type"], "text")
    target = _LOOKUP_TARGETS.get(raw["type"], "organisation" if kind == "lookup" else "")
    return Field(
        name=name,
        short_name=raw["short_name"],
        prefix=raw["prefix"],
        section=raw["section"],
        label=raw["label"] or _MISSING_LABELS.get(name, raw["short_name"]),
        type=raw["type"],
        core=raw["core"],
        status=raw["status"],
        salesforce=raw["salesforce"],
        values=tuple(Value(v["name"], v["label"]) for v in raw["values"]),
        value_rule=raw["value_rule"],
        description=raw["description"],
        notes=raw["notes"],
        source_row=raw["source_row"],
        kind=kind,
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
            table=_SECTION_TABLES.get(s["name"], ""),
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


def suggest(wrong: str, options: list[str]) -> str:
    """'Did you mean ...?' for the option nearest to a mistyped value, or ``""``.

    Uses rapidfuzz's weighted ratio, which copes with typos, letter case and spacing.

    >>> suggest("Femal", ["Feminine", "Masculine"])
    "Did you mean 'Feminine'?"
    >>> suggest("xyz", ["Feminine", "Masculine"])
    ''
    """
    from rapidfuzz import fuzz, process

    options = list(options)
    if not options:
        return ""
    wrong = " ".join(str(wrong).split())
    for option, _score, _ in process.extract(
        wrong, options, scorer=fuzz.WRatio, processor=lambda text: text.casefold(),
        score_cutoff=60, limit=5,
    ):
        # A short code inside a longer word is a coincidence, not a typo: skip it.
        if len(option) > 3 or fuzz.ratio(wrong.casefold(), option.casefold()) >= 60:
            return f"Did you mean '{option}'?"
    return ""


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
    hint = f"That is the label of {', '.join(by_label)}." if by_label else suggest(name, options)
    raise UnknownFieldError(f"'{name}' is not an HTCDS v2.0 field.", hint)


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
    raise UnknownSectionError(f"'{name}' is not an HTCDS section.", suggest(name, options))


def _picklist(field_name: str) -> Field:
    f = field(field_name)
    if not f.values:
        raise UnknownValueError(
            f"{f.name} has no picklist of its own.",
            f"It takes {f.value_rule or f.type}." if (f.value_rule or f.type) else "",
        )
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
    hint = suggest(str(label_or_name), list(f.value_names) + list(f.value_labels))
    raise UnknownValueError(f"'{label_or_name}' is not an allowed value of {f.name}.", hint)


def value_label(field_name: str, name: str) -> str:
    """The human-readable label of a stored value name.

    >>> value_label("prs_Gender", "NonSpecifiedUnknown")
    'Not Specified/Unknown'
    """
    f = _picklist(field_name)
    for v in f.values:
        if v.name == name:
            return v.label
    hint = suggest(name, list(f.value_names))
    raise UnknownValueError(f"'{name}' is not a value name of {f.name}.", hint)


def core_template_columns() -> list[str]:
    """The 38 Core fields in the column order of IOM's official Excel template.

    >>> core_template_columns()[:3]
    ['cas_CaseOwner', 'prs_Salutation', 'prs_FirstName']
    """
    return [c["field"] for c in load().core_template_columns]


def fields_table(
    section: str | None = None, *, core: bool | None = None, include_deprecated: bool = False
) -> pd.DataFrame:
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


def template_columns() -> pd.DataFrame:
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
