"""The JSON Schema and the Table Schemas."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from htcds_learn import model, standard
from htcds_learn.model import schema
from htcds_learn.standard import codes


def test_the_json_schema_is_a_valid_draft_2020_12_schema():
    document = schema.json_schema()
    Draft202012Validator.check_schema(document)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_json_schema_covers_every_official_field_once():
    document = schema.json_schema()
    seen = []
    for key, value in document["properties"].items():
        record = value.get("items", value) if key != "case" else value
        seen += [p for p in record.get("properties", {}) if p[3:4] == "_"]
    assert sorted(seen) == sorted(f.name for f in standard.fields(include_deprecated=True))
    victim = document["properties"]["victims"]["items"]["properties"]
    assert victim["vic_Vulnerabilities"]["deprecated"] is True


def test_the_example_case_is_valid():
    assert schema.schema_errors(schema.example_case()) == []


def _broken(change):
    document = schema.example_case()
    change(document)
    return schema.schema_errors(document)


@pytest.mark.parametrize("change, message", [
    (lambda d: d["people"][0].update(prs_Gender="Femal"),
     "people[0].prs_Gender: 'Femal' is not an allowed value. Did you mean 'Feminine'?"),
    (lambda d: d["victims"][0].update(vic_TraffickinStatus="PossibleVictimOfTrafficking"),
     "victims[0]: 'vic_TraffickinStatus' is not a field here. "
     "Did you mean 'vic_TraffickingStatus'?"),
    (lambda d: d["people"][0].update(prs_Birthdate="2024-13-45"),
     "people[0].prs_Birthdate: '2024-13-45' is not a 'date'."),
    (lambda d: d["people"][0].update(prs_Birthdate="02/06/1999"),
     "people[0].prs_Birthdate: '02/06/1999' is not a 'date'."),
    (lambda d: d["people"][0].update(prs_MobilePhone="0803 123 4567"),
     "people[0].prs_MobilePhone: '0803 123 4567' does not match '^\\\\+?[1-9]\\\\d{1,14}$'."),
    (lambda d: d["people"][0].update(prs_Citizenship=["Nigeria"]),
     "people[0].prs_Citizenship[0]: 'Nigeria' is not an allowed value. Did you mean 'NG' "
     "(Nigeria)? Countries are written as ISO 3166 two-letter codes."),
    (lambda d: d["people"][0].update(prs_Citizenship="NG"),
     "people[0].prs_Citizenship: 'NG' is not of type 'array'."),
    (lambda d: d["victims"][0].update(vic_MethodsOfControl=["DebtBondage", "DebtBondage"]),
     "victims[0].vic_MethodsOfControl: ['DebtBondage', 'DebtBondage'] has non-unique elements."),
    (lambda d: d.pop("case_id"), "(the document): 'case_id' is a required field."),
    (lambda d: d.update(synthetic="yes"), "synthetic: 'yes' is not of type 'boolean'."),
    (lambda d: d["people"][1].update(person_id="PRS 2"),
     "people[1].person_id: 'PRS 2' is not a valid identifier (letters, digits, '-', '_', "
     "'.', ':'; at most 64 characters)."),
    (lambda d: d["referrals"][0].update(cas_ReferredOrganisation="ORG-0001"),
     "referrals[0]: 'cas_ReferredOrganisation' belongs to an outgoing referral, but this "
     "referral's direction is 'incoming'."),
    (lambda d: d["consents"][0].pop("con_Consent"),
     "consents[0]: 'con_Consent' is a required field."),
    (lambda d: d["people"][0].update(prs_MailingLatitude=123.4),
     "people[0].prs_MailingLatitude: 123.4 is greater than the maximum of 90."),
    (lambda d: d.update(victims=[]), "victims: [] should be non-empty."),
])
def test_broken_documents_are_rejected_with_a_useful_message(change, message):
    assert message in _broken(change)


def test_every_problem_is_reported_not_only_the_first():
    def change(d):
        d["people"][0]["prs_Gender"] = "Female"
        d["case"]["cas_Status"] = "Open"
        d["victims"][0]["vic_TypeOfExploitation"] = ["Forced labour"]
    assert len(_broken(change)) == 3


@given(st.text(min_size=1, max_size=30))
def test_a_gender_outside_the_picklist_is_always_rejected(value):
    document = schema.example_case()
    document["people"][0]["prs_Gender"] = value
    errors = schema.schema_errors(document)
    assert bool(errors) == (value not in standard.field("prs_Gender").value_names)


@given(st.sampled_from(codes.country_codes()), st.sampled_from(
    standard.field("vic_MethodsOfControl").value_names))
def test_any_allowed_country_and_method_is_accepted(country, method):
    document = copy.deepcopy(schema.example_case())
    document["people"][0]["prs_Citizenship"] = [country]
    document["victims"][0]["vic_MethodsOfControl"] = [method]
    assert schema.schema_errors(document) == []


def test_there_is_a_table_schema_per_section_plus_core():
    tables = schema.table_schemas()
    sections = {s.table for s in standard.sections(with_fields_only=True)}
    assert set(tables) == sections | {"core"}
    for name, table in tables.items():
        columns = [c["name"] for c in table["fields"]]
        assert len(columns) == len(set(columns)), name
        assert set(table["primaryKey"]) <= set(columns), name
        if name != "core":
            section = standard.get_section(name)
            assert {f.name for f in section.fields} <= set(columns), name


def test_the_core_table_has_the_38_template_columns_after_the_identifiers():
    core = schema.table_schema("core")
    names = [c["name"] for c in core["fields"]]
    assert names == ["case_id", "person_id", *standard.core_template_columns(), "synthetic"]
    consent = next(c for c in core["fields"] if c["name"] == "con_Consent")
    assert consent["type"] == "boolean" and consent["htcds"]["core"] is True


def test_foreign_keys_point_to_existing_tables_and_columns():
    tables = schema.table_schemas()
    for name, table in tables.items():
        for key in table["foreignKeys"]:
            target = tables[key["reference"]["resource"]]
            target_columns = {c["name"] for c in target["fields"]}
            assert set(key["reference"]["fields"]) <= target_columns, (name, key)


def test_table_column_types():
    victims = {c["name"]: c for c in schema.table_schema("victim_contexts")["fields"]}
    methods = victims["vic_MethodsOfControl"]
    assert methods["type"] == "list" and methods["delimiter"] == ";"
    assert "DebtBondage" in methods["itemConstraints"]["enum"]
    people = {c["name"]: c for c in schema.table_schema("people")["fields"]}
    assert people["prs_Gender"]["constraints"]["enum"][0] == "Feminine"
    assert people["prs_MobilePhone"]["constraints"]["pattern"] == schema.PHONE_PATTERN
    assert people["prs_Birthdate"]["type"] == "date"
    assert people["person_id"]["constraints"]["pattern"] == model.ID_PATTERN


def test_unknown_table_lists_the_real_ones():
    with pytest.raises(KeyError, match="Tables: case_comments, cases"):
        schema.table_schema("victims")


def test_schemas_are_fresh_copies():
    schema.json_schema()["title"] = "changed"
    schema.table_schemas()["core"]["name"] = "changed"
    assert schema.json_schema()["title"] != "changed"
    assert schema.table_schema("core")["name"] == "core"


def test_every_case_scoped_table_points_to_its_case():
    for name, table in schema.table_schemas().items():
        columns = [c["name"] for c in table["fields"]]
        if "case_id" in columns and name not in ("cases", "core"):
            assert {"fields": ["case_id"], "reference": {"resource": "cases",
                                                         "fields": ["case_id"]}} \
                in table["foreignKeys"], name
