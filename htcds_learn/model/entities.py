"""The data model HTCDS implies but never defines: identifiers and relations.

HTCDS v2.0 lists fields by section but gives no case ID, no person ID and no keys. Anything that
links records (a victim to a case, a referral to an organisation) needs them, so htcds-learn
adds them. **These are the package's extension, not part of the official standard**: their
names are lower-case ``snake_case`` (``case_id``) so they never look like official
``prefix_FieldName`` fields. ``docs/data-model.md`` draws the picture.

>>> entity("victim_context").key
('case_id', 'person_id')
>>> [r.field for r in relations_from("referral")][:2]
['case_id', 'cas_ReferringOrganisation']
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import UnknownNameError

# Identifiers are short, readable codes such as "CASE-000042" or "PRS-001337".
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$"


@dataclass(frozen=True)
class Entity:
    """One kind of record in the package's model of a case."""

    name: str
    table: str  # its flat table ("" when it has none)
    collection: str  # its key in a nested case document ("" for the case itself)
    key: tuple[str, ...]  # the columns that identify one row of its flat table
    section: str  # the HTCDS section whose fields it carries ("" when none)
    description: str


@dataclass(frozen=True)
class Relation:
    """A reference from a field of one entity to the identifier of another."""

    entity: str
    field: str
    target: str
    cardinality: str
    description: str


ENTITIES: tuple[Entity, ...] = (
    Entity("case", "cases", "", ("case_id",), "Case",
           "One piece of case work, identified by case_id."),
    Entity("person", "people", "people", ("person_id",), "Person",
           "Anyone named in a case: a survivor, a suspected perpetrator or a case worker. "
           "A person exists once and can take part in several cases."),
    Entity("organisation", "organisations", "organisations", ("organisation_id",),
           "Organization",
           "A referring or receiving organisation, a perpetrator's organisation, or a place "
           "(HTCDS types the locations of recruitment and exploitation as organisation lookups)."),
    Entity("user", "", "", ("user_id",), "",
           "A staff account of the case management system (HTCDS: Lookup [to user])."),
    Entity("victim_context", "victim_contexts", "victims", ("case_id", "person_id"),
           "Person - Victim Context",
           "How a person takes part in a case as a (possible) victim of trafficking."),
    Entity("perpetrator_context", "perpetrator_contexts", "perpetrators",
           ("case_id", "person_id"), "Person - Perpetrator Context",
           "How a person takes part in a case as a suspected perpetrator."),
    Entity("referral", "referrals", "referrals", ("referral_id",), "Referral Details",
           "One referral into the case (direction 'incoming') or out of it ('outgoing')."),
    Entity("event", "trafficking_events", "events", ("event_id",),
           "Historic Trafficking Events",
           "One step of a person's trafficking timeline: recruitment, transit or exploitation."),
    Entity("support_plan", "support_plans", "support_plans", ("support_plan_id",),
           "Support Plan", "A plan of support for a person in the case."),
    Entity("comment", "case_comments", "comments", ("comment_id",), "Case Comment",
           "A formal update written by a case worker."),
    Entity("consent", "consents", "consents", ("case_id", "person_id"), "Consent",
           "Whether a person consented (or, for a child, assented) to the interview and the "
           "use of their data, with who gave consent."),
)

RELATIONS: tuple[Relation, ...] = (
    Relation("case", "cas_CaseOwner", "user", "many cases to one user",
             "The case worker who owns the case."),
    Relation("victim_context", "case_id", "case", "one case has one or more victims",
             "A person joins a case through a victim context..."),
    Relation("victim_context", "person_id", "person", "one person, many cases",
             "...which points to the person."),
    Relation("victim_context", "vic_LocationOfRecruitment", "organisation", "many to one",
             "Where the person was recruited."),
    Relation("victim_context", "vic_LocationOfExploitation", "organisation", "many to one",
             "Where the person was exploited."),
    Relation("perpetrator_context", "case_id", "case", "one case, zero or more",
             "A suspected perpetrator joins a case through a perpetrator context..."),
    Relation("perpetrator_context", "person_id", "person", "one person, many cases",
             "...which points to the person."),
    Relation("perpetrator_context", "per_Organisation", "organisation", "many to one",
             "The perpetrator's organisation, if any."),
    Relation("referral", "case_id", "case", "one case, zero or more referrals",
             "Referrals belong to a case."),
    Relation("referral", "cas_ReferringOrganisation", "organisation", "many to one",
             "Who referred the case in."),
    Relation("referral", "cas_ReferringPrimaryCaseWorker", "person", "many to one",
             "The case worker at the referring organisation."),
    Relation("referral", "cas_ReferredOrganisation", "organisation", "many to one",
             "Who the case was referred out to."),
    Relation("referral", "cas_ReferredPrimaryCaseWorker", "person", "many to one",
             "The case worker at the receiving organisation."),
    Relation("event", "case_id", "case", "one case, zero or more events",
             "Events belong to a case..."),
    Relation("event", "person_id", "person", "many to one",
             "...and to the person whose timeline they describe."),
    Relation("support_plan", "case_id", "case", "one case, zero or more plans",
             "Plans belong to a case..."),
    Relation("support_plan", "person_id", "person", "many to one", "...and to a person."),
    Relation("comment", "case_id", "case", "one case, zero or more comments",
             "Comments belong to a case."),
    Relation("comment", "author_id", "user", "many to one", "Who wrote the comment."),
    Relation("consent", "case_id", "case", "one per person in a case",
             "Consent is recorded per person and case..."),
    Relation("consent", "person_id", "person", "one per person in a case", "...for a person."),
)

# Extension fields the package adds beside the official ones, per entity, with their meaning.
# Consent: HTCDS v2.0 has one checkbox and cannot say who consented; the course teaches this
# extension so that a child's assent and a guardian's consent can both be recorded.
EXTENSION_FIELDS: dict[str, dict[str, str]] = {
    "referral": {
        "direction": "'incoming' or 'outgoing': which half of Referral Details the row uses.",
    },
    "comment": {
        "author_id": "The user who wrote the comment.",
        "comment_date": "When the comment was written (YYYY-MM-DD).",
    },
    "consent": {
        "consent_date": "When consent was recorded (YYYY-MM-DD).",
        "consent_given_by": "Who gave consent: Self, ParentOrGuardian, AppointedGuardian.",
        "child_assent": "For a child: did the child agree (assent), in addition to consent?",
    },
}

CONSENT_GIVEN_BY = ("Self", "ParentOrGuardian", "AppointedGuardian")
REFERRAL_DIRECTIONS = ("incoming", "outgoing")


def entity(name: str) -> Entity:
    """Look up an entity by name (``"person"``) or flat-table name (``"people"``)."""
    for e in ENTITIES:
        if name in (e.name, e.table, e.collection) and name:
            return e
    names = ", ".join(e.name for e in ENTITIES)
    raise UnknownNameError.from_catalogue("model.unknown-entity", name=name, entities=names)


def relations_from(entity_name: str) -> list[Relation]:
    """The references that leave one entity, in the model's order."""
    return [r for r in RELATIONS if r.entity == entity_name]


def mermaid_diagram() -> str:
    """The model as a Mermaid entity-relationship diagram (JupyterLab and GitHub draw it).

    >>> mermaid_diagram().splitlines()[0]
    'erDiagram'
    """
    lines = ["erDiagram"]
    for r in RELATIONS:
        if r.field.endswith("_id"):
            mandatory_many = r.target == "case" and r.entity == "victim_context"
            arrow = "||--|{" if mandatory_many else "||--o{"
        else:
            arrow = "|o--o{"  # an official lookup field, which may be left empty
        lines.append(f'    {r.target.upper()} {arrow} {r.entity.upper()} : "{r.field}"')
    return "\n".join(lines)
