"""Known defects of the published HTCDS v2.0 files, and how htcds-learn resolves each one.

They are good teaching material: real standards have flaws, and a careful data officer spots
them. ``docs/upstream-defects.md`` is generated from this list by
``scripts/build_docs.py``.

>>> [d.id for d in DEFECTS][:3]
['D1', 'D2', 'D3']
>>> defects_table().columns.tolist()
['id', 'title', 'where', 'what', 'resolution']
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Defect:
    id: str
    title: str
    where: str
    what: str
    resolution: str


DEFECTS: tuple[Defect, ...] = (
    Defect(
        "D1", "Methods of Control: the picklist disagrees with its own definitions",
        "Field Standards .ods (vic_MethodsOfControl) and Field Definitions.md",
        "The picklist has 16 values. The definitions describe 17 methods with partly different "
        "names (Threats, ThreatOfLawEnforcement, UsesChildren, PsychoactiveSubstances) and "
        "include RestrictsMovement, which has no picklist value at all. The CTDC datasets use "
        "the definition names.",
        "The 16 picklist value names are the allowed values. The package documents how each "
        "definition name maps to a value name (Threats -> PhysicalThreats, "
        "ThreatOfLawEnforcement -> ThreatsLawEnforcement, UsesChildren -> "
        "ThreatensChildrenFamily, PsychoactiveSubstances -> PsychoactiveSubstance). "
        "RestrictsMovement is recorded as Other, with the detail in free text, and reported "
        "as a loss when CTDC-style data is converted.",
    ),
    Defect(
        "D2", "Excel template: a misspelt field name",
        "HTCDS Excel Spreadsheet v2.0.xlsx, column T",
        "The hidden field-name row says vic_TraffickinStatusDecisionMakingOrg (a 'g' is "
        "missing).",
        "The reader resolves the column to vic_TraffickingStatusDecisionMakingOrg and says so. "
        "The resolution is stored in htcds-2.0.json (core_template).",
    ),
    Defect(
        "D3", "Excel template: a column without a field name, and shifted address labels",
        "HTCDS Excel Spreadsheet v2.0.xlsx, columns N-R and AJ",
        "Column AJ ('Reason for Outgoing Referral') has no field name. The mailing-address "
        "labels are shifted: prs_MailingCity is labelled 'Mailing Street', prs_MailingCountry "
        "'Mailing City', prs_MailingStreet 'Mailing Zip/Postal Code' and "
        "prs_MailingPostalCode 'Mailing Country'.",
        "The hidden field-name row is trusted over the visible labels; the unnamed column is "
        "identified by its label as cas_ReasonForOutgoingReferral. A trainee typing into the "
        "template by its labels would put a street into the city field: lesson 04 shows this.",
    ),
    Defect(
        "D4", "'ISO 639-2 two-letter codes' for languages",
        "Field Standards .ods (prs_PrimaryLanguage, prs_SecondaryLanguage)",
        "The standard asks for 'ISO 639-2 language codes (two-letter codes optional)'. ISO "
        "639-2 codes have three letters; two-letter codes belong to ISO 639-1.",
        "The package stores ISO 639-1 two-letter codes where a language has one (en, fr, tl) "
        "and accepts ISO 639-2/639-3 three-letter codes (eng, fra, fre) as valid too.",
    ),
    Defect(
        "D5", "Country fields are typed three different ways",
        "Field Standards .ods (org_ShippingCountry, prs_MailingCountry, prs_Citizenship, "
        "hte_Country)",
        "Country fields are 'Picklist or Text', 'Text' and 'Multiselect Picklist'; "
        "hte_Country names no code list at all.",
        "Every country field holds ISO 3166-1 alpha-2 codes (the 249 codes the official "
        "template validates). prs_Citizenship is a list of codes, because a person can hold "
        "more than one citizenship.",
    ),
    Defect(
        "D6", "Geolocation is typed differently per section",
        "Field Standards .ods (org_/hte_ Latitude and Longitude vs prs_ Latitude and Longitude)",
        "Latitude and longitude are 'Geolocation' for organisations and events but 'Number' "
        "for people.",
        "All six are decimal degrees (WGS 84): latitude from -90 to 90, longitude from -180 "
        "to 180.",
    ),
    Defect(
        "D7", "Incomplete fields: per_Organisation and per_RoleDetails",
        "Field Standards .ods (Person - Perpetrator Context)",
        "per_Organisation has a name only: no label, type or description. per_RoleDetails' "
        "description stops mid-sentence ('Detailed description of the the').",
        "per_Organisation is read as a lookup to an organisation, labelled 'Organisation'. "
        "The truncated description is shown as published.",
    ),
    Defect(
        "D8", "Misspelt value and white space in values",
        "Field Standards .ods (vic_RelationshipToTrafficker, vic_MethodsOfControl, prs_Gender)",
        "The value name 'Unaquainted' is misspelt. 'DebtBondage ' has a trailing space. The "
        "gender labels end in non-breaking spaces.",
        "Value names are kept exactly as published ('Unaquainted' is the stored value), so "
        "data stays interoperable. White space is removed when the standard is converted, "
        "and every such change is listed in htcds-2.0.json under 'cleaning'.",
    ),
    Defect(
        "D9", "No identifiers, no keys, no 'required'",
        "The whole standard",
        "HTCDS defines no case, person or organisation identifier and no relations between "
        "sections; only 'Core' marks what a system should hold at minimum.",
        "The package adds identifiers (case_id, person_id, ...) and relations as its own, "
        "clearly marked extension (docs/data-model.md). The JSON Schema requires only those "
        "identifiers; Core completeness is checked by validation, not by the schema.",
    ),
    Defect(
        "D10", "The survey (XLSForm) differs from the standard",
        "htcds_xlsform.xlsx",
        "Field names differ (prs_First_Name, prs_Second_Name, vic_Methods_of_Control); "
        "prs_Title is labelled 'Second Name'; Citizenship is single-select; Forced Labour "
        "Industry is multi-select; lookups become free text; outgoing referral fields are "
        "missing.",
        "Readers of survey exports map the survey names to the standard's names and report "
        "what could not be mapped.",
    ),
)


def defects_table() -> pd.DataFrame:
    """The defects as a table, for lessons."""
    import pandas as pd

    return pd.DataFrame([asdict(d) for d in DEFECTS])


def defects_markdown() -> str:
    """The defects as the Markdown page ``docs/upstream-defects.md``."""
    parts = [
        "# Known defects of HTCDS v2.0, and how htcds-learn resolves them",
        "",
        "<!-- Generated by scripts/build_docs.py from htcds_learn/defects.py: edit there. -->",
        "",
        "HTCDS v2.0 (IOM, CC BY 4.0) is a useful standard with a few flaws in its published "
        "files. Each one below says where it is, what is wrong and what this package does "
        "about it. The lessons use them as exercises in reading a standard carefully.",
        "",
    ]
    for d in DEFECTS:
        parts += [
            f"## {d.id}. {d.title}", "",
            f"- **Where:** {d.where}",
            f"- **What:** {d.what}",
            f"- **How htcds-learn resolves it:** {d.resolution}", "",
        ]
    return "\n".join(parts)
