"""Dates of a case: registration, birth, and the recruitment, transit and exploitation before it.

Registration is drawn first; the age at registration and the months in trafficking (both banded,
from the profile) then place birth and the three events before it, in order.

>>> import numpy as np
>>> from htcds_learn.synth.profile import load_profile
>>> t = TimelineProvider(load_profile()).draw(np.random.default_rng(1), 500)
>>> bool((t.birth < t.recruitment).all() and (t.exploitation < t.registration).all())
True
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from .arrays import Ints
from .days import whole_years_between
from .profile import Profile


@dataclass(frozen=True)
class Timeline:
    """Day numbers (ordinals) of each case's dates, and the person's ages at two of them."""

    registration: Ints  # cas_IncomingReferralDate: the case is registered on referral
    birth: Ints
    recruitment: Ints
    transit: Ints
    exploitation: Ints
    age_at_registration: Ints
    age_at_recruitment: Ints  # vic_AgeWhenTrafficked


class TimelineProvider:
    """Draws the timeline columns from the profile's registration years and banded spans."""

    def __init__(self, profile: Profile) -> None:
        first_year, last_year = profile.data["registration_years"]
        self.start = date(first_year, 1, 1).toordinal()
        self.end = date(last_year, 12, 31).toordinal()
        self.age_bands = profile.bands("age_at_registration")
        self.month_bands = profile.bands("months_in_trafficking")

    def draw(self, rng: np.random.Generator, n: int) -> Timeline:
        registration = rng.integers(self.start, self.end + 1, size=n)
        bands = self.age_bands
        band = rng.choice(len(bands), size=n, p=bands[:, 2])
        age = rng.integers(bands[band, 0], bands[band, 1] + 1)
        birth = registration - (age * 365.25).astype(np.int64) - rng.integers(0, 365, size=n)
        birth = np.minimum(birth, registration - 30)
        months = self.month_bands
        band = rng.choice(len(months), size=n, p=months[:, 2])
        span = (rng.integers(months[band, 0], months[band, 1] + 1) * 30.4).astype(np.int64)
        span += rng.integers(7, 60, size=n)  # from recruitment to the first exploitation
        span = np.clip(span, 3, np.maximum(registration - birth - 1, 3))
        recruitment = registration - span
        transit = recruitment + np.maximum(1, (span * rng.uniform(0.02, 0.15, n)).astype(int))
        exploitation = transit + np.maximum(1, ((registration - transit)
                                                * rng.uniform(0.05, 0.4, n)).astype(int))
        exploitation = np.minimum(exploitation, registration - 1)
        transit = np.minimum(transit, exploitation)
        return Timeline(registration=registration, birth=birth, recruitment=recruitment,
                        transit=transit, exploitation=exploitation,
                        age_at_registration=whole_years_between(birth, registration),
                        age_at_recruitment=whole_years_between(birth, recruitment))
