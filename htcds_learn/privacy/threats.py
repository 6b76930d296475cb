"""The threat model: who might try to find a person in what we share, and what they know.

Every release is made against named adversaries. What an adversary knows decides which
released columns are quasi-identifiers for them (counted in k); a column they do not know is
sensitive for them (measured by l). ``docs/threat-model.md`` is written from this module and
every release report summarises it.

>>> [a.id for a in ADVERSARIES]
['public', 'perpetrator', 'partner']
>>> sorted(PERPETRATOR.knows - PUBLIC.knows)
['control', 'exploitation', 'recruitment', 'relationship']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# Kinds of knowledge a released column carries. A column declares one kind.
DEMOGRAPHICS = "demographics"  # gender, age, citizenship
DATES = "dates"  # when a case was registered
PLACES = "places"  # where a person was exploited
RECRUITMENT = "recruitment"  # how a person was recruited
CONTROL = "control"  # how a person was controlled
EXPLOITATION = "exploitation"  # which exploitation, in which industry
RELATIONSHIP = "relationship"  # how the person knew the trafficker
CASE = "case"  # what happened in the case afterwards: known inside the organisation only


@dataclass(frozen=True)
class Adversary:
    """Someone who might try to find a person in a release, and what they already know."""

    id: str
    name: str
    knows: frozenset[str]
    description: str
    example: str

    def known(self, columns: Iterable[tuple[str, str]]) -> list[str]:
        """The columns (given as ``(name, kind)`` pairs) this adversary can know."""
        return [name for name, kind in columns if kind in self.knows]


PUBLIC = Adversary(
    "public", "The public or a neighbour",
    frozenset({DEMOGRAPHICS, DATES, PLACES}),
    "Knows what anyone around a person can see: gender, roughly how old she is, her "
    "citizenship, when she came back or was helped, and where she worked.",
    "A neighbour knows that the 17-year-old girl from next door came back from the Gulf in "
    "2023. If only one row has those values, he learns everything else in it.",
)
PERPETRATOR = Adversary(
    "perpetrator", "The perpetrator",
    frozenset({DEMOGRAPHICS, DATES, PLACES, RECRUITMENT, CONTROL, EXPLOITATION, RELATIONSHIP}),
    "Knows what he did: how he recruited and controlled her, where and when, and which "
    "exploitation. To him these are not secrets but a fingerprint.",
    "A trafficker knows he took her passport and her earnings and threatened her family. A "
    "row with that combination, seen once, tells him she talked to an organisation.",
)
PARTNER = Adversary(
    "partner", "A partner holding earlier releases",
    frozenset({DEMOGRAPHICS, DATES, PLACES, RECRUITMENT, CONTROL, EXPLOITATION, RELATIONSHIP,
               CASE}),
    "Keeps every release it was sent. Can join two releases on pseudonyms or on row order, "
    "and subtract one release from the next to see who was added.",
    "Last month's file had 4,000 rows; this month's has 4,001. The one new row is the new "
    "case, with all its values.",
)

ADVERSARIES: tuple[Adversary, ...] = (PUBLIC, PERPETRATOR, PARTNER)
BY_ID = {a.id: a for a in ADVERSARIES}
