"""Machine-readable exports of the standard: a JSON Schema and Table Schemas.

* ``json_schema()``: a JSON Schema (Draft 2020-12) for one nested case document, the shape the
  generator writes and the validator reads.
* ``table_schemas()``: a Frictionless Table Schema for each flat table (one per section) plus
  ``core``: one row per victim with the 38 columns of IOM's official Excel template.

Both are built from the field definitions in :mod:`htcds_learn.standard` and the identifiers in
:mod:`htcds_learn.model`; nothing is written out by hand.

>>> doc = example_case()
>>> schema_errors(doc)
[]
>>> doc["people"][0]["prs_Gender"] = "Femal"
>>> schema_errors(doc)[0]
"people[0].prs_Gender: 'Femal' is not an allowed value. Did you mean 'Feminine'?"
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from .. import standard
from ..errors import UnknownNameError
from ..messages import Message, text
from ..standard import Field, codes
from ..standard import annotations as notes
from ..standard.kinds import (
    DATE_PATTERN,
    EMAIL_PATTERN,
    LANGUAGE_PATTERN,
    LIST_DELIMITER,
    LONG_TEXT_MAX,
    PHONE_PATTERN,
    TEXT_MAX,
)
from . import entities as model

JSON_SCHEMA_ID = "https://htcds-learn.example/schema/htcds-2.0-case.json"
TABLE_SCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"
MULTISELECT_DELIMITER = LIST_DELIMITER

# Which part of Referral Details each referral direction may use.
INCOMING_FIELDS = notes.referral_fields("incoming")
OUTGOING_FIELDS = notes.referral_fields("outgoing")

__all__ = [
    "DATE_PATTERN", "EMAIL_PATTERN", "INCOMING_FIELDS", "JSON_SCHEMA_ID", "LANGUAGE_PATTERN",
    "LONG_TEXT_MAX", "MULTISELECT_DELIMITER", "OUTGOING_FIELDS", "PHONE_PATTERN",
    "TABLE_SCHEMA_PROFILE", "TEXT_MAX", "example_case", "json_schema", "known_columns",
    "SchemaProblem", "schema_errors", "schema_problems", "table_schema", "table_schemas",
]


def _field_schema(f: Field) -> dict[str, Any]:
    schema = {"title": f.label, "description": f.description or f.label,
              **f.value_kind.json_schema(f)}
    if f.deprecated:
        schema["deprecated"] = True
    return schema


def _record(section: str, ids: dict[str, dict], required: list[str],
            extra: dict[str, dict] | None = None) -> dict[str, Any]:
    properties: dict[str, Any] = {**ids}
    properties.update(extra or {})
    for f in standard.fields(section, include_deprecated=True):
        properties[f.name] = _field_schema(f)
    return {"type": "object", "properties": properties, "required": required,
            "additionalProperties": False}


@cache
def _json_schema() -> dict[str, Any]:
    id_ref = {"$ref": "#/$defs/id"}
    date_ref = {"type": "string", "format": "date", "pattern": DATE_PATTERN}
    ext = model.EXTENSION_FIELDS
    referral = _record(
        "Referral Details", {"referral_id": id_ref}, ["referral_id", "direction"],
        {"direction": {"enum": list(model.REFERRAL_DIRECTIONS),
                       "description": ext["referral"]["direction"]}},
    )
    referral["allOf"] = [
        {"if": {"properties": {"direction": {"const": direction}}},
         "then": {"propertyNames": {"not": {"enum": list(forbidden)}}}}
        for direction, forbidden in (("incoming", OUTGOING_FIELDS),
                                     ("outgoing", INCOMING_FIELDS))
    ]
    person_link = {"person_id": id_ref}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": JSON_SCHEMA_ID,
        "title": "HTCDS v2.0 case document (htcds-learn)",
        "description": (
            "One case with everyone and everything linked to it. Official HTCDS v2.0 fields "
            "keep their names (prefix_FieldName); identifiers and the few snake_case fields "
            "are htcds-learn's extension. " + standard.ATTRIBUTION
        ),
        "type": "object",
        "required": ["htcds_version", "synthetic", "case_id", "case", "people", "victims"],
        "additionalProperties": False,
        "properties": {
            "htcds_version": {"const": "2.0"},
            "synthetic": {"type": "boolean",
                          "description": "True when no real person is described."},
            "case_id": id_ref,
            "case": _record("Case", {}, []),
            "referrals": {"type": "array", "items": referral},
            "people": {"type": "array", "minItems": 1,
                       "items": _record("Person", person_link, ["person_id"])},
            "organisations": {"type": "array", "items": _record(
                "Organization", {"organisation_id": id_ref}, ["organisation_id"])},
            "victims": {"type": "array", "minItems": 1, "items": _record(
                "Person - Victim Context", person_link, ["person_id"])},
            "perpetrators": {"type": "array", "items": _record(
                "Person - Perpetrator Context", person_link, ["person_id"])},
            "events": {"type": "array", "items": _record(
                "Historic Trafficking Events", {"event_id": id_ref, **person_link},
                ["event_id", "person_id"])},
            "support_plans": {"type": "array", "items": _record(
                "Support Plan", {"support_plan_id": id_ref, **person_link},
                ["support_plan_id", "person_id"])},
            "comments": {"type": "array", "items": _record(
                "Case Comment", {"comment_id": id_ref}, ["comment_id"],
                {"author_id": id_ref, "comment_date": date_ref})},
            "consents": {"type": "array", "items": _record(
                "Consent", person_link, ["person_id", "con_Consent"],
                {"consent_date": date_ref,
                 "consent_given_by": {"enum": list(model.CONSENT_GIVEN_BY)},
                 "child_assent": {"type": "boolean"}})},
        },
        "$defs": {
            "id": {"type": "string", "pattern": model.ID_PATTERN,
                   "description": "An htcds-learn identifier, e.g. CASE-000042."},
            "country": {"enum": list(codes.country_codes()),
                        "description": "ISO 3166-1 alpha-2 country code."},
            "language": {
                "type": "string", "pattern": LANGUAGE_PATTERN,
                "description": "ISO 639-1 two-letter (preferred) or ISO 639-2/3 code.",
            },
        },
    }


def json_schema() -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of a nested case document (a fresh copy)."""
    return copy.deepcopy(_json_schema())


def _table_field(f: Field) -> dict[str, Any]:
    out: dict[str, Any] = {"name": f.name, "title": f.label,
                           "description": f.description or f.label,
                           **f.value_kind.table_field(f)}
    out["htcds"] = {"core": f.core, "status": f.status, "official_type": f.type,
                    "section": f.section}
    return out


def _id_field(name: str, description: str, required: bool = True) -> dict[str, Any]:
    constraints: dict[str, Any] = {"pattern": model.ID_PATTERN}
    if required:
        constraints["required"] = True
    return {"name": name, "type": "string", "description": description,
            "constraints": constraints, "htcds": {"extension": True}}


_SYNTHETIC_COLUMN = {
    "name": "synthetic", "type": "boolean",
    "description": "True when the row describes no real person (made by the generator).",
    "htcds": {"extension": True},
}


def _foreign_keys(entity_name: str, columns: list[str]) -> list[dict[str, Any]]:
    keys = []
    for r in model.relations_from(entity_name):
        target = model.entity(r.target)
        if r.field in columns and target.table:
            keys.append({"fields": [r.field],
                         "reference": {"resource": target.table, "fields": [target.key[-1]]}})
    return keys


@cache
def _table_schemas() -> dict[str, dict[str, Any]]:
    schemas: dict[str, dict[str, Any]] = {}
    ext = model.EXTENSION_FIELDS
    for e in model.ENTITIES:
        if not e.table:
            continue
        section = standard.get_section(e.section)
        columns = [_id_field(k, f"Identifier ({e.name})") for k in e.key]
        if e.table not in ("cases", "people", "organisations") and "case_id" not in e.key:
            columns.insert(0, _id_field("case_id", "The case this row belongs to."))
        if e.name in ("event", "support_plan"):
            columns.append(_id_field("person_id", "The person this row is about."))
        for name, meaning in ext.get(e.name, {}).items():
            column = {"name": name, "type": "string", "description": meaning,
                      "htcds": {"extension": True}}
            if name.endswith("_date"):
                column["type"] = "date"
            elif name == "child_assent":
                column["type"] = "boolean"
            elif name == "direction":
                column["constraints"] = {"required": True,
                                         "enum": list(model.REFERRAL_DIRECTIONS)}
            elif name == "consent_given_by":
                column["constraints"] = {"enum": list(model.CONSENT_GIVEN_BY)}
            columns.append(column)
        columns += [_table_field(f) for f in section.fields]
        columns.append(_SYNTHETIC_COLUMN)
        names = [c["name"] for c in columns]
        schemas[e.table] = {
            "$schema": TABLE_SCHEMA_PROFILE,
            "name": e.table,
            "title": section.name,
            "description": e.description,
            "fields": columns,
            "primaryKey": list(e.key),
            "foreignKeys": _foreign_keys(e.name, names),  # every case_id is a relation
            "missingValues": [""],
        }
    core_columns = [_id_field("case_id", "The case."),
                    _id_field("person_id", "The victim (one row per victim).")]
    core_columns += [_table_field(standard.field(n)) for n in standard.core_template_columns()]
    core_columns.append(_SYNTHETIC_COLUMN)
    schemas["core"] = {
        "$schema": TABLE_SCHEMA_PROFILE,
        "name": "core",
        "title": "HTCDS Core (one row per victim)",
        "description": "The 38 active Core fields in the column order of IOM's official "
                       "Excel template, with the case and person identifiers in front.",
        "fields": core_columns,
        "primaryKey": ["case_id", "person_id"],
        "foreignKeys": [],
        "missingValues": [""],
    }
    return schemas


def table_schemas() -> dict[str, dict[str, Any]]:
    """A Frictionless Table Schema per flat table, keyed by table name (fresh copies).

    >>> sorted(table_schemas())[:3]
    ['case_comments', 'cases', 'consents']
    >>> len(table_schemas()["core"]["fields"])
    41
    """
    return copy.deepcopy(_table_schemas())


def table_schema(table: str) -> dict[str, Any]:
    """The Table Schema of one flat table (see :func:`table_schemas` for the names)."""
    schemas = _table_schemas()
    if table not in schemas:
        raise UnknownNameError.from_catalogue("model.unknown-table", table=table,
                                              tables=", ".join(sorted(schemas)))
    return copy.deepcopy(schemas[table])


def _location(path: Any) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


@dataclass(frozen=True)
class SchemaProblem:
    """One way a case document breaks the JSON Schema: where, and what (a catalogue message).

    ``where`` is a path such as ``people[0].prs_Gender`` ("" for the document itself).
    ``str()`` words it, in the language of the moment.
    """

    where: str
    message: Message
    keyword: str = ""

    @property
    def location(self) -> str:
        return self.where or text("schema.the-document")

    def __str__(self) -> str:
        return text("schema.problem", where=self.location, problem=str(self.message).strip())


def _problems(error: Any) -> Iterator[Message]:
    """The catalogue messages for one jsonschema error."""
    keyword, instance, expected = error.validator, error.instance, error.validator_value
    where = _location(error.absolute_path)
    if keyword == "enum":
        options = [str(o) for o in expected]
        code = codes.country_code_for(instance) if len(options) > 200 else None
        hint = Message("schema.country-hint", {"code": code, "name": codes.country_name(code)}) \
            if code else standard.did_you_mean(str(instance), options)
        yield Message("schema.not-allowed", {"value": repr(instance), "hint": hint or ""})
    elif keyword == "additionalProperties":
        properties = list(error.schema.get("properties", {}))
        for name in sorted(set(instance) - set(properties)):
            yield Message("schema.not-a-field", {
                "name": name, "hint": standard.did_you_mean(name, properties) or ""})
    elif keyword == "required":
        for name in expected:  # one error per missing field; see schema_problems
            if name not in instance:
                yield Message("schema.required", {"name": repr(name)})
    elif keyword == "not" and instance in OUTGOING_FIELDS + INCOMING_FIELDS:
        belongs = "outgoing" if instance in OUTGOING_FIELDS else "incoming"
        other = "incoming" if belongs == "outgoing" else "outgoing"
        yield Message("schema.wrong-direction", {"name": instance, "belongs": belongs,
                                                  "other": other})
    elif keyword == "pattern" and "_id" in where.rsplit(".", 1)[-1]:
        yield Message("schema.bad-identifier", {"value": repr(instance)})
    elif keyword in _KEYWORD_MESSAGES:
        yield _KEYWORD_MESSAGES[keyword](instance, expected)
    else:
        yield Message("schema.other", {"message": error.message})


def _length(instance: Any, expected: Any, short: bool) -> Message:
    if short:
        return Message("schema.non-empty" if expected == 1 else "schema.too-short",
                       {"value": repr(instance)})
    return Message("schema.expected-empty" if expected == 0 else "schema.too-long",
                   {"value": repr(instance)})


_KEYWORD_MESSAGES: dict[str, Callable[[Any, Any], Message]] = {
    "type": lambda instance, types: Message("schema.type", {
        "value": repr(instance),
        "types": ", ".join(repr(t) for t in (types if isinstance(types, list) else [types]))}),
    "pattern": lambda instance, pattern: Message("schema.pattern", {
        "value": repr(instance), "pattern": repr(pattern)}),
    "format": lambda instance, name: Message("schema.format", {
        "value": repr(instance), "format": repr(name)}),
    "minimum": lambda instance, limit: Message("schema.minimum", {
        "value": repr(instance), "limit": repr(limit)}),
    "maximum": lambda instance, limit: Message("schema.maximum", {
        "value": repr(instance), "limit": repr(limit)}),
    "uniqueItems": lambda instance, _: Message("schema.unique", {"value": repr(instance)}),
    "minItems": lambda instance, limit: _length(instance, limit, short=True),
    "maxLength": lambda instance, limit: _length(instance, limit, short=False),
    "const": lambda instance, const: Message("schema.const", {"expected": repr(const)}),
}


def schema_problems(document: Any) -> list[SchemaProblem]:
    """Every way a case document breaks the JSON Schema, as data (see :class:`SchemaProblem`).

    >>> problem = schema_problems({**example_case(), "synthetic": "yes"})[0]
    >>> problem.where, problem.message.id
    ('synthetic', 'schema.type')
    """
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(_json_schema(),
                                     format_checker=Draft202012Validator.FORMAT_CHECKER)
    problems = []
    seen_required: set[str] = set()
    for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
        where = _location(error.absolute_path)
        if error.validator == "required":
            if where in seen_required:
                continue  # the first error of a record names every missing field
            seen_required.add(where)
        problems += [SchemaProblem(where, message, str(error.validator))
                     for message in _problems(error)]
    return problems


def schema_errors(document: Any) -> list[str]:
    """Every way a case document breaks the JSON Schema, one readable line each.

    The lines name where the problem is (``people[0].prs_Gender``) and, for a value that is
    not allowed, suggest the nearest allowed one. An empty list means the document is valid.
    """
    return [str(problem) for problem in schema_problems(document)]


@cache
def known_columns() -> dict[str, standard.Field | None]:
    """HTCDS fields, plus the package's identifier and extension columns (None)."""
    known: dict[str, standard.Field | None] = {
        f.name: f for f in standard.fields(include_deprecated=True)}
    for table in table_schemas().values():
        for column in table["fields"]:
            known.setdefault(column["name"], None)
    return known


def example_case() -> dict[str, Any]:
    """A small, complete, valid case document (synthetic: no real person is described).

    Used by the docs, lesson 01 and the tests; the generator makes many more like it.
    """
    return {
        "htcds_version": "2.0",
        "synthetic": True,
        "case_id": "CASE-000001",
        "case": {"cas_Status": "Active", "cas_CaseOwner": "USR-0001"},
        "referrals": [{
            "referral_id": "REF-000001", "direction": "incoming",
            "cas_ReferringOrganisation": "ORG-0001",
            "cas_IncomingReferralDate": "2025-03-14",
            "cas_ReferringPrimaryCaseWorker": "PRS-000002",
            "cas_ReasonForIncomingReferral": "AdditionalServicesRequired",
            "cas_IncomingReferralDetails": "Referred by the hotline for shelter and legal aid.",
        }],
        "people": [
            {"person_id": "PRS-000001", "prs_FirstName": "Amina", "prs_SecondName": "Example",
             "prs_Birthdate": "1999-06-02", "prs_Gender": "Feminine",
             "prs_Citizenship": ["NG"], "prs_PrimaryLanguage": "en",
             "prs_MobilePhone": "+2348000000001", "prs_MailingCountry": "NG"},
            {"person_id": "PRS-000002", "prs_FirstName": "Sam", "prs_SecondName": "Worker",
             "prs_Title": "Case worker", "prs_Email": "sam.worker@example.org"},
        ],
        "organisations": [{"organisation_id": "ORG-0001", "org_Name": "Example Hotline",
                           "org_Type": "NGO", "org_ShippingCountry": "NG"}],
        "victims": [{
            "person_id": "PRS-000001",
            "vic_TraffickingStatus": "PossibleVictimOfTrafficking",
            "vic_TraffickingStatusDecisionMakingOrg": "NGO",
            "vic_MethodOfRecruitment": ["ThroughFriendsOrSocialEvents"],
            "vic_MethodsOfControl": ["FalsePromises", "WithholdsDocuments"],
            "vic_TypeOfExploitation": ["ForcedLabour"],
            "vic_ForcedLabourIndustry": "T_ActivitiesOfHouseholdsAsEmployers",
        }],
        "events": [{"event_id": "EVT-000001", "person_id": "PRS-000001",
                    "hte_Type": "Recruitment", "hte_Country": "NG", "hte_Date": "2024-11-01"}],
        "consents": [{"person_id": "PRS-000001", "con_Consent": True,
                      "consent_given_by": "Self", "consent_date": "2025-03-14"}],
    }
