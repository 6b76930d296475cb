"""Rules about nested case documents: their shape, and links between their records."""

from __future__ import annotations

from collections.abc import Hashable, Iterable

from ... import model
from ...model import schema
from ..context import CaseSet
from ..finding import Finding
from ..registry import Rule, register


@register
class Schema(Rule):
    """A case document that does not fit the case document's JSON Schema."""

    code = "schema"

    def cases(self, cases: CaseSet) -> Iterable[Finding]:
        for number, document in enumerate(cases.documents, start=1):
            case_id = document.get("case_id", "") if isinstance(document, dict) else ""
            for problem in schema.schema_problems(document):
                yield Finding(self.code, problem.location, "",
                              params={"problem": problem.message}, row=number,
                              record=case_id, unit="case")


COLLECTIONS = ("victims", "perpetrators", "referrals", "events", "support_plans", "consents")


def reference_target(key: str) -> str:
    """"person" or "organisation" when ``key`` points to one, else ""."""
    if key == "person_id":
        return "person"
    for relation in model.RELATIONS:
        if relation.field == key and relation.target in ("person", "organisation"):
            return relation.target
    return ""


@register
class UnknownReference(Rule):
    """A link to a person or an organisation that is not in the documents."""

    code = "unknown-reference"

    def cases(self, cases: CaseSet) -> Iterable[Finding]:
        for number, case_id, document in cases.cases():
            for collection in COLLECTIONS:
                for item in document.get(collection, []):
                    for key, value in item.items():
                        target = reference_target(key)
                        known = cases.people if target == "person" else cases.organisations
                        if target and (not isinstance(value, Hashable) or value not in known):
                            yield Finding(self.code, key, value, row=number, record=case_id,
                                          unit="case")
