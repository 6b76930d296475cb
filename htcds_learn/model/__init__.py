"""The data model HTCDS implies but never defines, and the schemas built from it.

``entities`` names the records and the identifiers that link them (the package's extension),
``schema`` turns the standard and the model into a JSON Schema and Frictionless Table Schemas,
``tables`` moves between nested case documents and one flat table per entity.

>>> from htcds_learn import model
>>> model.entity("victim_context").key
('case_id', 'person_id')
"""

from __future__ import annotations

from . import entities, schema, tables
from .entities import (
    CONSENT_GIVEN_BY,
    ENTITIES,
    EXTENSION_FIELDS,
    ID_PATTERN,
    REFERRAL_DIRECTIONS,
    RELATIONS,
    Entity,
    Relation,
    entity,
    mermaid_diagram,
    relations_from,
)
from .schema import (
    MULTISELECT_DELIMITER,
    SchemaProblem,
    example_case,
    json_schema,
    known_columns,
    schema_errors,
    schema_problems,
    table_schema,
    table_schemas,
)
from .tables import CASE_TABLES, documents_to_tables, tables_to_documents

__all__ = [
    "CASE_TABLES", "CONSENT_GIVEN_BY", "ENTITIES", "EXTENSION_FIELDS", "ID_PATTERN",
    "MULTISELECT_DELIMITER", "REFERRAL_DIRECTIONS", "RELATIONS", "Entity", "Relation",
    "SchemaProblem", "documents_to_tables", "entities", "entity", "example_case",
    "json_schema", "known_columns", "mermaid_diagram", "relations_from", "schema",
    "schema_errors", "schema_problems", "table_schema", "table_schemas", "tables",
    "tables_to_documents",
]
