"""What htcds-learn adds to HTCDS, field by field: one table, one line per field.

The official standard gives each field a type, a label and a picklist. To check and share
data the package needs a few facts more: how to read a vague type (``kind``), how a field can
expose a person (``role``), whether a Core field may rightly stay blank, the earliest plausible
date, which dates must come in order, and which fields depend on another field's value. They
all live in :data:`ANNOTATIONS` below, so a newcomer finds every such decision in one place;
``docs/upstream-defects.md`` explains the ones that work around defects of the standard.

>>> annotation("prs_MobilePhone").kind, annotation("prs_MobilePhone").role
('phone', 'direct identifier')
>>> annotation("vic_ForcedLabourIndustry").only_with
('vic_TypeOfExploitation', 'ForcedLabour')
>>> annotation("org_Name") == Annotation()  # the package adds nothing to it
True
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# Privacy roles: how a field can expose a person. Every sharing step reads these.
DIRECT_IDENTIFIER = "direct identifier"  # points to one person on its own
QUASI_IDENTIFIER = "quasi-identifier"  # points to a person in combination with others
SENSITIVE = "sensitive"  # must never be linked back to a person
FREE_TEXT = "free text"  # may hide anything, names included (every Long Text field)
OTHER_ROLE = "other"

# How the package reads each official "Field Type". Where the standard is vague or
# inconsistent, a field's own ``kind`` below refines it (see docs/upstream-defects.md).
TYPE_KINDS: dict[str, str] = {
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

LOOKUP_TARGETS: dict[str, str] = {
    "Lookup [to organisation]": "organisation",
    "Lookup [to person]": "person",
    "Lookup [to user]": "user",
}

# One flat table per section; the names are the package's, the sections are the standard's.
SECTION_TABLES: dict[str, str] = {
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

# A case closed by referring the person on has an outgoing referral.
REFERRED_OUT = ("cas_Status", "ClosedReferred")

# A date before this is a typing mistake, unless the field says otherwise (a birth date).
DEFAULT_EARLIEST = date(1990, 1, 1)


@dataclass(frozen=True)
class Annotation:
    """The package's facts about one field (every one optional).

    * ``kind``: how to read the value, where the official type is vague (D4, D5, D6, D7).
    * ``role``: the privacy role; unset means "other", or "free text" for Long Text.
    * ``label``: for the field the standard leaves without one (D7).
    * ``blank_ok``: a Core field that is often unknown for good reasons: blank is no finding.
    * ``only_with``: (field, value): filled in only when that field holds that value, and
      then needed.
    * ``needed_when``: (field, values): needed when that field holds one of the values.
    * ``referral``: "incoming" or "outgoing": the half of Referral Details it belongs to,
      needed in a referral of that direction only.
    * ``earliest``: the earliest plausible date (default :data:`DEFAULT_EARLIEST`).
    * ``after``: a date field in the same record that must not be later than this one.
    """

    kind: str | None = None
    role: str | None = None
    label: str | None = None
    blank_ok: bool = False
    only_with: tuple[str, str] | None = None
    needed_when: tuple[str, tuple[str, ...]] | None = None
    referral: str | None = None
    earliest: date | None = None
    after: str | None = None


_ = Annotation
DIRECT, QUASI = DIRECT_IDENTIFIER, QUASI_IDENTIFIER

# In the standard's order. Kinds: E.164 phones (the notes give the pattern); counts and ages are
# whole numbers; country fields typed Text, Picklist or Text or Multiselect are ISO 3166-1
# alpha-2 codes (D5); languages accept ISO 639-1 and 639-2 (D4); geolocation is Geolocation
# for org_/hte_ but Number for prs_ (D6); per_Organisation has no type (D7).
ANNOTATIONS: dict[str, Annotation] = {
    "org_ShippingCountry": _(kind="country"),
    "org_ShippingLongitude": _(kind="longitude"),
    "org_ShippingLatitude": _(kind="latitude"),
    "org_Phone": _(kind="phone"),
    "prs_Salutation": _(role=QUASI, blank_ok=True),
    "prs_FirstName": _(role=DIRECT),
    "prs_MiddleName": _(role=DIRECT),
    "prs_SecondName": _(role=DIRECT),
    "prs_Birthdate": _(role=DIRECT, earliest=date(1900, 1, 1)),
    "prs_Gender": _(role=QUASI),
    "prs_Deceased": _(role=QUASI),
    "prs_MaritalStatus": _(role=QUASI),
    "prs_NumberOfChildren": _(kind="integer", role=QUASI),
    "prs_PrimaryLanguage": _(kind="language", role=QUASI),
    "prs_SecondaryLanguage": _(kind="language", role=QUASI),
    "prs_HighestLevelOfEducation": _(role=QUASI),
    "prs_Citizenship": _(kind="country_list", role=QUASI),
    "prs_IdentityNumber": _(role=DIRECT),
    "prs_Title": _(role=QUASI, blank_ok=True),
    "prs_Email": _(kind="email", role=DIRECT, blank_ok=True),
    "prs_HomePhone": _(kind="phone", role=DIRECT, blank_ok=True),
    "prs_MobilePhone": _(kind="phone", role=DIRECT, blank_ok=True),
    "prs_MailingCity": _(role=QUASI),
    "prs_MailingCountry": _(kind="country", role=QUASI),
    "prs_MailingState": _(role=QUASI),
    "prs_MailingStreet": _(role=DIRECT),
    "prs_MailingPostalCode": _(role=DIRECT),
    "prs_MailingLongitude": _(kind="longitude", role=DIRECT),
    "prs_MailingLatitude": _(kind="latitude", role=DIRECT),
    "vic_AgreementToManagePersonalData": _(role=SENSITIVE),
    "vic_TraffickingStatus": _(role=SENSITIVE),
    "vic_TraffickingStatusDecisionMakingOrg": _(role=SENSITIVE),
    "vic_RelationshipToTrafficker": _(role=SENSITIVE),
    "vic_AgeWhenTrafficked": _(kind="integer", role=QUASI),
    "vic_RecruitmentWebsitesAndApps": _(role=SENSITIVE),
    "vic_MethodOfRecruitment": _(role=SENSITIVE),
    "vic_LocationOfRecruitment": _(role=QUASI),
    "vic_MethodsOfControl": _(role=SENSITIVE),
    "vic_TypeOfExploitation": _(role=SENSITIVE),
    "vic_ForcedLabourIndustry": _(role=SENSITIVE,
                                  only_with=("vic_TypeOfExploitation", "ForcedLabour")),
    "vic_TypeOfSexExploitation": _(role=SENSITIVE,
                                   only_with=("vic_TypeOfExploitation", "SexualExploitation")),
    "vic_LocationOfExploitation": _(role=QUASI),
    "vic_ExploitationWebsitesAndApps": _(role=SENSITIVE),
    "vic_Vulnerabilities": _(role=SENSITIVE),
    "per_RoleInProcess": _(role=SENSITIVE),
    "per_Organisation": _(kind="lookup", label="Organisation"),
    "cas_ReasonForCaseClosure": _(blank_ok=True,
                                  needed_when=("cas_Status", ("Closed", "ClosedReferred"))),
    "cas_CaseOwner": _(role=DIRECT),
    "cas_ReferringOrganisation": _(role=QUASI, referral="incoming"),
    "cas_IncomingReferralDate": _(role=QUASI, referral="incoming", after="prs_Birthdate"),
    "cas_ReferringPrimaryCaseWorker": _(role=DIRECT, referral="incoming"),
    "cas_ReasonForIncomingReferral": _(role=SENSITIVE, referral="incoming"),
    "cas_IncomingReferralDetails": _(referral="incoming"),
    "cas_ReferredOrganisation": _(role=QUASI, referral="outgoing"),
    "cas_ReferredPrimaryCaseWorker": _(role=DIRECT, referral="outgoing"),
    "cas_ReasonForOutgoingReferral": _(role=SENSITIVE, referral="outgoing"),
    "cas_OutgoingReferralDate": _(role=QUASI, referral="outgoing",
                                  after="cas_IncomingReferralDate"),
    "cas_OutgoingReferralDetails": _(referral="outgoing"),
    "hte_Longitude": _(kind="longitude", role=DIRECT),
    "hte_Latitude": _(kind="latitude", role=DIRECT),
    "hte_City": _(role=QUASI),
    "hte_Country": _(kind="country", role=QUASI),
    "hte_State": _(role=QUASI),
    "hte_Street": _(role=DIRECT),
    "hte_PostalCode": _(role=DIRECT),
    "hte_Date": _(role=QUASI),
    "hte_Type": _(role=SENSITIVE),
    "spl_PlannedEndDate": _(role=QUASI),
    "spl_ActualEndDate": _(role=QUASI),
    "spl_Type": _(role=SENSITIVE),
    "con_Consent": _(role=SENSITIVE, blank_ok=True),
}

# The fields lessons damage on purpose, per flaw (validation/flaws.py). The order is part of
# what a seed means: changing it changes every dirty table made with that seed.
FLAW_FIELDS: dict[str, tuple[str, ...]] = {
    "picklist": ("prs_Gender", "cas_Status", "vic_TraffickingStatus",
                 "vic_TraffickingStatusDecisionMakingOrg", "vic_MethodOfRecruitment",
                 "cas_ReasonForIncomingReferral"),
    "required": ("prs_FirstName", "prs_SecondName", "prs_Birthdate", "prs_Gender",
                 "prs_Citizenship", "prs_MailingCity", "prs_MailingCountry",
                 "vic_TraffickingStatus", "vic_MethodOfRecruitment", "cas_Status",
                 "cas_IncomingReferralDate"),
    "text": ("prs_FirstName", "prs_SecondName", "prs_MailingCity", "prs_MailingStreet"),
    "date": ("prs_Birthdate", "cas_IncomingReferralDate"),
    "country": ("prs_MailingCountry", "prs_Citizenship"),
}

_NONE = Annotation()


def annotation(field_name: str) -> Annotation:
    """The package's facts about ``field_name`` (all unset for a field it adds nothing to)."""
    return ANNOTATIONS.get(field_name, _NONE)


def referral_fields(direction: str) -> tuple[str, ...]:
    """The Referral Details fields of one direction, in the standard's order.

    >>> referral_fields("outgoing")[:2]
    ('cas_ReferredOrganisation', 'cas_ReferredPrimaryCaseWorker')
    """
    return tuple(name for name, a in ANNOTATIONS.items() if a.referral == direction)


def may_be_blank(field_name: str) -> bool:
    """Whether a blank Core field is fine in general (it may still be needed in some rows)."""
    a = annotation(field_name)
    return a.blank_ok or a.only_with is not None or a.referral is not None


def earliest_date(field_name: str) -> date:
    """The earliest plausible date of a date field."""
    return annotation(field_name).earliest or DEFAULT_EARLIEST


def date_order() -> list[tuple[str, str]]:
    """(earlier, later) pairs of date fields that must come in that order within a record.

    >>> date_order()
    [('prs_Birthdate', 'cas_IncomingReferralDate'), ('cas_IncomingReferralDate', 'cas_OutgoingReferralDate')]
    """  # noqa: E501
    return [(a.after, name) for name, a in ANNOTATIONS.items() if a.after]
