"""The typed block: every victim-level column of one block of cases, grouped by concern.

Cases are made ``BLOCK`` at a time. Each provider module draws one part of a block (the
``Route``, the ``Timeline``, the ``Exploitation``, ...), always in the same order from the
block's own random generator; ``VictimBlock`` holds the parts. The builders of the section
tables and of the Core table read it by attribute, so a misspelt column fails at once, and a
type checker sees every column.

>>> from htcds_learn.synth import CaseGenerator
>>> block = CaseGenerator(seed=1).block(0)
>>> len(block), len(block.head(3)), block.head(3).timeline.birth.dtype
(5000, 3, dtype('int64'))
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from .arrays import Flags, Ints, Texts
from .contacts import ContactProvider, Contacts
from .exploitation import Exploitation, ExploitationProvider
from .people import Identity, Names, PeopleProvider
from .places import PlaceProvider, Places, Route, RouteProvider
from .pools import Pools
from .profile import Profile
from .referrals import ReferralProvider, Referrals
from .status import CaseStatus, StatusProvider
from .texts import CaseTexts
from .timeline import Timeline, TimelineProvider

BLOCK = 5_000


def _head(part: Any, keep: int) -> Any:
    """A part with only its first ``keep`` rows (views, not copies)."""
    return type(part)(**{f.name: getattr(part, f.name)[:keep]
                         for f in dataclasses.fields(part)})


@dataclass(frozen=True)
class VictimBlock:
    """The columns of one block of cases, one row per case (and per victim).

    The parts are listed in the order they are drawn: changing that order changes every case
    after the change, so a new column is drawn last (see docs/architecture.md).
    """

    number: int  # block b holds cases b * BLOCK + 1 to (b + 1) * BLOCK
    case_number: Ints
    route: Route
    gender: Texts  # prs_Gender
    timeline: Timeline
    exploitation: Exploitation
    status: CaseStatus
    names: Names
    contacts: Contacts
    places: Places
    identity: Identity
    referrals: Referrals
    consent: Flags  # con_Consent

    def __len__(self) -> int:
        return len(self.case_number)

    def head(self, keep: int) -> VictimBlock:
        """The block's first ``keep`` cases."""
        changes: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if dataclasses.is_dataclass(value):
                changes[f.name] = _head(value, keep)
            elif f.name != "number":
                changes[f.name] = value[:keep]
        return dataclasses.replace(self, **changes)


class BlockDrawer:
    """The providers of one generator, and the one order in which they draw a block."""

    def __init__(self, seed: int, profile: Profile, countries: list[str], pools: Pools,
                 texts: CaseTexts) -> None:
        self.seed = seed
        self.consent_p = profile.data["consent_probability"]["value"]
        self.routes = RouteProvider(profile, countries)
        self.people = PeopleProvider(profile, countries, pools, texts)
        self.timeline = TimelineProvider(profile)
        self.exploitation = ExploitationProvider(profile)
        self.status = StatusProvider(profile, texts)
        self.contacts = ContactProvider(profile, countries)
        self.places = PlaceProvider(pools)
        self.referrals = ReferralProvider(texts)

    def draw(self, number: int) -> VictimBlock:
        """Block ``number``, always drawn whole from its own generator seeded (seed, number),
        so case 7 is the same whether 10 or 10,000 cases are asked for."""
        rng = np.random.default_rng([self.seed, number])
        n = BLOCK
        route = self.routes.draw(rng, n)
        gender = self.people.gender(rng, n)
        timeline = self.timeline.draw(rng, n)
        exploitation = self.exploitation.draw(rng, gender, timeline.age_at_recruitment)
        status = self.status.draw(rng, n)
        names = self.people.names(rng, gender, route.origin, timeline.age_at_registration)
        contacts = self.contacts.draw(rng, names.first_slug, names.second_slug,
                                      route.origin, route.destination)
        places = self.places.draw(rng, contacts.mailing, route)
        identity = self.people.identity(rng, route, timeline.age_at_registration)
        referrals = self.referrals.draw(rng, route, status.outgoing, timeline.registration)
        consent = rng.random(n) < self.consent_p
        return VictimBlock(
            number=number, case_number=np.arange(number * n + 1, (number + 1) * n + 1),
            route=route, gender=gender, timeline=timeline, exploitation=exploitation,
            status=status, names=names, contacts=contacts, places=places, identity=identity,
            referrals=referrals, consent=consent)
