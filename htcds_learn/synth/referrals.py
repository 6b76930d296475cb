"""Who referred each case and to whom: the organisation and case worker that referred the
person in, the user who owns the case, and, for some cases, the organisation they were
referred on to, with reasons, details and a date.

Organisations and workers are numbers here (an index within the country); ``Directory`` turns
them into identifiers and names.

>>> import numpy as np
>>> from htcds_learn.synth.texts import load_texts
>>> from htcds_learn.synth.places import Route
>>> provider = ReferralProvider(load_texts())
>>> route = Route(origin=np.zeros(50, dtype=int), destination=np.ones(50, dtype=int))
>>> r = provider.draw(np.random.default_rng(1), route, np.ones(50, dtype=bool),
...                   np.full(50, 738000))
>>> bool((r.referred_org != r.referring_org).all() and (r.outgoing_date > 738000).all())
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .arrays import Flags, Ints, Texts, as_texts
from .directory import USERS_PER_COUNTRY, WORKERS_PER_ORGANISATION
from .places import Route
from .texts import CaseTexts

INCOMING_REASONS = ("AdditionalServicesRequired", "MigrationOrChangeOfLocation", "Other")
INCOMING_WEIGHTS = (0.7, 0.2, 0.1)


@dataclass(frozen=True)
class Referrals:
    """The referral columns, with organisations, workers and users as indexes."""

    referring_org: Ints  # a service in the destination country
    referring_worker: Ints
    owner: Ints  # cas_CaseOwner, a user in the destination country
    outgoing_reason: Texts
    referred_country: Ints  # the origin when the person moved back, else the destination
    referred_org: Ints  # never the referring one
    referred_worker: Ints
    incoming_reason: Texts
    incoming_details: Texts
    outgoing_details: Texts
    outgoing_date: Ints  # a day number after registration


class ReferralProvider:
    """Draws referrals among each country's service organisations."""

    def __init__(self, texts: CaseTexts) -> None:
        self.services = len(texts.organisations) - 1  # the last one is a business
        self.incoming_details = as_texts(texts.incoming_referral_details)
        self.outgoing_details = as_texts(texts.outgoing_referral_details)

    def draw(self, rng: np.random.Generator, route: Route, outgoing: Flags,
             registration: Ints) -> Referrals:
        n, services = len(outgoing), self.services
        referring = rng.integers(0, services, size=n)
        referring_worker = rng.integers(0, WORKERS_PER_ORGANISATION, size=n)
        owner = rng.integers(0, USERS_PER_COUNTRY, size=n)
        international = route.origin != route.destination
        migration = outgoing & international & (rng.random(n) < 0.6)
        outgoing_reason = np.where(migration, "MigrationOrChangeOfLocation",
                                   np.where(rng.random(n) < 0.85,
                                            "AdditionalServicesRequired", "Other")
                                   ).astype(object)
        return Referrals(
            referring_org=referring, referring_worker=referring_worker, owner=owner,
            outgoing_reason=outgoing_reason,
            referred_country=np.where(migration, route.origin, route.destination),
            referred_org=(referring + 1 + rng.integers(0, services - 1, size=n)) % services,
            referred_worker=rng.integers(0, WORKERS_PER_ORGANISATION, size=n),
            incoming_reason=as_texts(INCOMING_REASONS)[
                rng.choice(len(INCOMING_REASONS), size=n, p=INCOMING_WEIGHTS)],
            incoming_details=self.incoming_details[
                rng.integers(0, len(self.incoming_details), size=n)],
            outgoing_details=self.outgoing_details[
                rng.integers(0, len(self.outgoing_details), size=n)],
            outgoing_date=registration + rng.integers(7, 240, size=n))
