"""How to reach the person: an e-mail address on a reserved example domain, and phone numbers
in E.164 form for the country of the mailing address (mostly where the person now lives).

No real address is ever formed: e-mail domains are example.org, .com and .net, which are
reserved for documentation.

>>> import numpy as np
>>> from htcds_learn.synth.profile import load_profile
>>> contacts = ContactProvider(load_profile(), ["NG", "GB"])
>>> route_origin, route_destination = np.zeros(4, dtype=int), np.ones(4, dtype=int)
>>> slugs = np.array(["ada"] * 4, dtype=object)
>>> drawn = contacts.draw(np.random.default_rng(3), slugs, slugs, route_origin, route_destination)
>>> all(e == "" or e.split("@")[1].startswith("example.") for e in drawn.email)
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .arrays import Ints, Texts, numbered
from .profile import Profile

EMAIL_DOMAINS = np.array(["example.org", "example.com", "example.net"], dtype=object)


@dataclass(frozen=True)
class Contacts:
    """prs_Email, prs_MobilePhone, prs_HomePhone, and the mailing country (an index)."""

    email: Texts
    mailing: Ints  # the country of the mailing address and of the phone numbers
    mobile_phone: Texts
    home_phone: Texts


class ContactProvider:
    """Draws e-mail addresses and phone numbers, with each country's calling code."""

    def __init__(self, profile: Profile, countries: list[str]) -> None:
        self.calling = np.array([profile.country(c)["calling_code"] for c in countries],
                                dtype=object)
        self.digits = np.array([profile.country(c)["national_digits"] for c in countries])

    def draw(self, rng: np.random.Generator, first_slug: Texts, second_slug: Texts,
             origin: Ints, destination: Ints) -> Contacts:
        n = len(origin)
        has_email = rng.random(n) < 0.5
        number = rng.integers(1, 100, size=n)
        domain = EMAIL_DOMAINS[rng.integers(0, len(EMAIL_DOMAINS), size=n)]
        email = np.full(n, "", dtype=object)
        email[has_email] = [f"{a}.{b}{c}@{d}" for a, b, c, d in zip(
            first_slug[has_email], second_slug[has_email], number[has_email],
            domain[has_email])]
        mailing = np.where(rng.random(n) < 0.7, destination, origin)
        mobile = self._phones(rng, mailing, share=0.85)
        home = self._phones(rng, mailing, share=0.2)
        return Contacts(email=email, mailing=mailing, mobile_phone=mobile, home_phone=home)

    def _phones(self, rng: np.random.Generator, mailing: Ints, share: float) -> Texts:
        """A phone number for about ``share`` of the people, in their mailing country."""
        n = len(mailing)
        length = self.digits[mailing]
        national = rng.integers(10 ** (length - 1), 10 ** length - 1)
        has = rng.random(n) < share
        phone = np.full(n, "", dtype=object)
        for c in np.unique(mailing[has]):
            where = has & (mailing == c)
            phone[where] = numbered(f"+{self.calling[c]}", national[where], int(self.digits[c]))
        return phone
