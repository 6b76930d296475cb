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

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

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
    raise KeyError(f"'{name}' is not an entity of the htcds-learn model. Entities: {names}.")


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


# --- nested case documents <-> flat tables ------------------------------------------------

CASE_TABLES = ("victim_contexts", "perpetrator_contexts", "referrals", "trafficking_events",
               "support_plans", "case_comments", "consents")
_PERSON_LINKS = ("cas_ReferringPrimaryCaseWorker", "cas_ReferredPrimaryCaseWorker")
_ORGANISATION_LINKS = ("cas_ReferringOrganisation", "cas_ReferredOrganisation",
                       "vic_LocationOfRecruitment", "vic_LocationOfExploitation",
                       "per_Organisation")


def _column_types(table: str) -> dict[str, str]:
    from .schema import table_schema

    return {c["name"]: c["type"] for c in table_schema(table)["fields"]}


def _records(frame, table: str) -> list[dict]:
    """Table rows as JSON-ready dicts: blanks dropped, lists split, numbers made plain.

    Works column by column (a Python loop per cell would dominate the cost).
    """
    from .schema import MULTISELECT_DELIMITER

    types = _column_types(table)
    names, columns = [], []
    for name in frame.columns:
        if name == "synthetic":
            continue
        series = frame[name]
        values = series.to_numpy(dtype=object)
        blank = series.isna().to_numpy()
        if series.dtype == object:
            blank |= values == ""
        kind = types.get(name, "string")
        convert = {"list": lambda v: v.split(MULTISELECT_DELIMITER), "boolean": bool,
                   "integer": int, "number": float}.get(kind)
        if convert is not None:  # a plain list: numpy would turn equal-length lists 2-D
            values = [None if b else convert(v) for v, b in zip(values, blank)]
        else:
            values = values.copy()
            values[blank] = None
        names.append(name)
        columns.append(values)
    return [{k: v for k, v in zip(names, row) if v is not None} for row in zip(*columns)]


def tables_to_documents(tables: dict) -> Iterator[dict]:
    """Nested case documents from flat tables, one per row of the ``cases`` table.

    Each document carries the people and organisations its records point to.
    """
    people = {r["person_id"]: r for r in _records(tables["people"], "people")}
    organisations = {r["organisation_id"]: r
                     for r in _records(tables["organisations"], "organisations")}
    by_case: dict[str, dict[str, list[dict]]] = {}
    for table in CASE_TABLES:
        if table not in tables:
            continue
        for record in _records(tables[table], table):
            by_case.setdefault(record.pop("case_id"), {}).setdefault(table, []).append(record)
    synthetic_column = tables["cases"]["synthetic"].tolist() if "synthetic" in tables["cases"] \
        else [False] * len(tables["cases"])
    for case, synthetic in zip(_records(tables["cases"], "cases"), synthetic_column):
        case_id = case.pop("case_id")
        parts = by_case.get(case_id, {})
        linked = [*parts.get("victim_contexts", []), *parts.get("perpetrator_contexts", []),
                  *parts.get("referrals", [])]
        person_ids = [r["person_id"] for r in linked if "person_id" in r]
        person_ids += [r[k] for r in linked for k in _PERSON_LINKS if k in r]
        organisation_ids = [r[k] for r in linked for k in _ORGANISATION_LINKS if k in r]
        yield {
            "htcds_version": "2.0",
            "synthetic": bool(synthetic),
            "case_id": case_id,
            "case": case,
            "referrals": parts.get("referrals", []),
            "people": [people[i] for i in dict.fromkeys(person_ids) if i in people],
            "organisations": [organisations[i] for i in dict.fromkeys(organisation_ids)
                              if i in organisations],
            "victims": parts.get("victim_contexts", []),
            "perpetrators": parts.get("perpetrator_contexts", []),
            "events": parts.get("trafficking_events", []),
            "support_plans": parts.get("support_plans", []),
            "comments": parts.get("case_comments", []),
            "consents": parts.get("consents", []),
        }


_COLLECTION_TABLES = {
    "victims": "victim_contexts", "perpetrators": "perpetrator_contexts",
    "referrals": "referrals", "events": "trafficking_events",
    "support_plans": "support_plans", "comments": "case_comments", "consents": "consents",
}


def documents_to_tables(documents: Iterable[dict]) -> dict:
    """Flat tables (pandas) from nested case documents: the inverse of tables_to_documents.

    People and organisations shared by several cases appear once.
    """
    import pandas as pd

    from .schema import MULTISELECT_DELIMITER, table_schema

    rows: dict[str, list[dict]] = {"cases": [], "people": [], "organisations": [],
                                   **{t: [] for t in _COLLECTION_TABLES.values()}}
    seen: dict[str, set] = {"people": set(), "organisations": set()}

    def flat(record: dict, **extra: object) -> dict:
        out = {k: MULTISELECT_DELIMITER.join(v) if isinstance(v, list) else v
               for k, v in record.items()}
        out.update(extra)
        return out

    for document in documents:
        case_id, synthetic = document["case_id"], document.get("synthetic", False)
        rows["cases"].append(flat(document.get("case", {}), case_id=case_id,
                                  synthetic=synthetic))
        for collection, table in _COLLECTION_TABLES.items():
            for record in document.get(collection, []):
                rows[table].append(flat(record, case_id=case_id, synthetic=synthetic))
        for collection, key in (("people", "person_id"), ("organisations", "organisation_id")):
            for record in document.get(collection, []):
                if record[key] not in seen[collection]:
                    seen[collection].add(record[key])
                    rows[collection].append(flat(record, synthetic=synthetic))
    tables = {}
    for table, records in rows.items():
        columns = [c["name"] for c in table_schema(table)["fields"]]
        tables[table] = pd.DataFrame(records, columns=columns)
    return tables


def core_from_tables(tables: dict):
    """The one-row-per-victim Core table, as IOM's Excel template holds it.

    Lookups become what a person would type into the template: organisation names, case
    workers' full names, and places as "City, CC".
    """

    from .schema import INCOMING_FIELDS, OUTGOING_FIELDS, table_schema

    victims = tables["victim_contexts"]
    people = tables["people"].set_index("person_id")
    organisations = tables["organisations"].set_index("organisation_id")
    names = (people["prs_FirstName"].fillna("") + " " + people["prs_SecondName"].fillna(""))
    org_names = organisations["org_Name"]
    places = (organisations["org_ShippingCity"].fillna("") + ", "
              + organisations["org_ShippingCountry"].fillna(""))
    referrals = tables["referrals"]
    incoming = referrals[referrals["direction"] == "incoming"].drop_duplicates("case_id")
    outgoing = referrals[referrals["direction"] == "outgoing"].drop_duplicates("case_id")
    frame = victims.merge(tables["cases"].drop(columns="synthetic"), on="case_id", how="left")
    frame = frame.merge(people.drop(columns="synthetic").reset_index(), on="person_id",
                        how="left")
    for part, columns in ((incoming, INCOMING_FIELDS), (outgoing, OUTGOING_FIELDS)):
        frame = frame.merge(part[["case_id", *columns]], on="case_id", how="left")
    consents = tables["consents"][["case_id", "person_id", "con_Consent"]]
    frame = frame.merge(consents, on=["case_id", "person_id"], how="left")

    def look_up(column: str, table) -> None:
        if column in frame:
            frame[column] = frame[column].map(table).where(frame[column].ne(""), "")

    for column in ("cas_ReferringOrganisation", "cas_ReferredOrganisation"):
        look_up(column, org_names)
    for column in ("cas_ReferringPrimaryCaseWorker", "cas_ReferredPrimaryCaseWorker"):
        look_up(column, names)
    for column in ("vic_LocationOfRecruitment", "vic_LocationOfExploitation"):
        look_up(column, places)
    columns = [c["name"] for c in table_schema("core")["fields"]]
    for column in columns:
        if column not in frame:
            frame[column] = ""
    core = frame[columns].copy()
    core["synthetic"] = victims["synthetic"].to_numpy() if "synthetic" in victims else False
    for column in core.columns:
        if core[column].dtype == object:
            core[column] = core[column].fillna("")
    return core.reset_index(drop=True)
