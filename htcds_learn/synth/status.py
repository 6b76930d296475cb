"""Where each case stands: its status, why it was closed, and whether it was referred on.

>>> import numpy as np
>>> from htcds_learn.synth.profile import load_profile
>>> from htcds_learn.synth.texts import load_texts
>>> s = StatusProvider(load_profile(), load_texts()).draw(np.random.default_rng(2), 300)
>>> bool(((s.closure_reason != "") == np.isin(s.status, CLOSED)).all())
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .arrays import Flags, Texts, as_texts, pick
from .profile import Profile
from .texts import CaseTexts

CLOSED = ("Closed", "ClosedReferred")


@dataclass(frozen=True)
class CaseStatus:
    """cas_Status, cas_ReasonForCaseClosure, and whether the case has an outgoing referral."""

    status: Texts
    closure_reason: Texts  # blank unless the case is closed
    outgoing: Flags  # every ClosedReferred case, and some others


class StatusProvider:
    """Draws case statuses by the profile's weights, with a closure reason for closed cases."""

    def __init__(self, profile: Profile, texts: CaseTexts) -> None:
        self.statuses, self.weights = profile.distribution("case_status")
        self.outgoing_p = profile.data["outgoing_referral_probability"]
        self.reasons = as_texts(texts.closure_reasons)
        self.after_referral = texts.closure_reasons[texts.closure_reason_after_referral]

    def draw(self, rng: np.random.Generator, n: int) -> CaseStatus:
        status = pick(rng, self.statuses, self.weights, n)
        reason = self.reasons[rng.integers(0, len(self.reasons), size=n)]
        reason[~np.isin(status, CLOSED)] = ""
        referred = status == "ClosedReferred"
        reason[referred] = self.after_referral
        outgoing = referred | (rng.random(n) < self.outgoing_p)
        return CaseStatus(status=status, closure_reason=reason, outgoing=outgoing)
