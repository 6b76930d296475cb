"""The package's data model (its extension to HTCDS) and the generated docs."""

from __future__ import annotations

import subprocess
import sys

import pytest

from htcds_learn import model, standard
from htcds_learn.standard.defects import DEFECTS


def test_every_relation_field_exists_on_its_entity():
    for relation in model.RELATIONS:
        entity = model.entity(relation.entity)
        own = {f.name for f in standard.fields(entity.section, include_deprecated=True)} \
            if entity.section else set()
        extension = set(model.EXTENSION_FIELDS.get(entity.name, {}))
        ids = {"case_id", "person_id"} | set(entity.key)
        assert relation.field in own | extension | ids, relation
        assert model.entity(relation.target), relation


def test_official_lookups_are_all_modelled_as_relations():
    lookups = {f.name for f in standard.fields(include_deprecated=True) if f.kind == "lookup"}
    assert lookups == {r.field for r in model.RELATIONS if not r.field.endswith("_id")}


def test_extension_names_never_look_like_official_fields():
    for entity in model.ENTITIES:
        for name in list(entity.key) + list(model.EXTENSION_FIELDS.get(entity.name, {})):
            assert name == name.lower() and name[3:4] != "_", name


def test_entities_are_found_by_name_table_or_collection():
    assert model.entity("people").name == "person"
    assert model.entity("victims").name == "victim_context"
    with pytest.raises(KeyError, match="Entities: case, person"):
        model.entity("victim")


def test_the_diagram_draws_every_relation():
    diagram = model.mermaid_diagram()
    assert diagram.count("\n") == len(model.RELATIONS)
    assert 'CASE ||--|{ VICTIM_CONTEXT : "case_id"' in diagram


def test_defects_are_numbered_and_complete():
    assert [d.id for d in DEFECTS] == [f"D{i}" for i in range(1, len(DEFECTS) + 1)]
    for d in DEFECTS:
        assert d.title and d.where and d.what and d.resolution


def test_generated_docs_are_up_to_date(repo):
    result = subprocess.run([sys.executable, str(repo / "scripts" / "build_docs.py"),
                             "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
