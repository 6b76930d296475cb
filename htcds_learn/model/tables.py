"""Nested case documents <-> flat tables, one per entity, keyed by the model's identifiers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .schema import MULTISELECT_DELIMITER, table_schema

CASE_TABLES = ("victim_contexts", "perpetrator_contexts", "referrals", "trafficking_events",
               "support_plans", "case_comments", "consents")
_PERSON_LINKS = ("cas_ReferringPrimaryCaseWorker", "cas_ReferredPrimaryCaseWorker")
_ORGANISATION_LINKS = ("cas_ReferringOrganisation", "cas_ReferredOrganisation",
                       "vic_LocationOfRecruitment", "vic_LocationOfExploitation",
                       "per_Organisation")


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "list": lambda v: v.split(MULTISELECT_DELIMITER), "boolean": bool, "integer": int,
    "number": float}


def _column_types(table: str) -> dict[str, str]:
    return {c["name"]: c["type"] for c in table_schema(table)["fields"]}


def _records(frame, table: str) -> list[dict]:
    """Table rows as JSON-ready dicts: blanks dropped, lists split, numbers made plain.

    Works column by column (a Python loop per cell would dominate the cost).
    """
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
        convert = _CONVERTERS.get(kind)
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
