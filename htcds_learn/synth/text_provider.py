"""The generator's texts one at a time, as a Faker provider, for a notebook or a test.

The generator draws whole columns of its texts with numpy (``texts.py``); this provider
draws single values with Faker's own seeded random. It lives apart so that importing the
package does not import Faker, which takes a noticeable part of a second.

>>> from faker import Faker
>>> fake = Faker()
>>> fake.add_provider(CaseTextProvider)
>>> fake.seed_instance(4)
>>> fake.case_comment() in load_texts().case_comments
True
"""

from __future__ import annotations

from pathlib import Path

from faker.providers import BaseProvider

from .texts import CaseTexts, load_texts


class CaseTextProvider(BaseProvider):
    """The case texts one at a time, for any Faker: ``fake.add_provider(CaseTextProvider)``.

    The generator draws whole columns of these texts with numpy; this provider draws single
    values with Faker's own seeded random, for a notebook or a test that needs one.
    ``for_language("fr")`` gives the provider of a translation.
    """

    case_texts: CaseTexts | None = None  # None: English

    @classmethod
    def for_language(cls, language_or_path: str | Path) -> type[CaseTextProvider]:
        """This provider with the texts of a language the package holds, or of a file."""
        return type(f"CaseTextProvider_{Path(str(language_or_path)).stem}", (cls,),
                    {"case_texts": load_texts(language_or_path)})

    @property
    def _texts(self) -> CaseTexts:
        return self.case_texts or load_texts()

    def case_closure_reason(self) -> str:
        """A cas_ReasonForCaseClosure."""
        return self.random_element(self._texts.closure_reasons)

    def case_comment(self) -> str:
        """A cco_CaseComment."""
        return self.random_element(self._texts.case_comments)

    def incoming_referral_details(self) -> str:
        """A cas_IncomingReferralDetails."""
        return self.random_element(self._texts.incoming_referral_details)

    def outgoing_referral_details(self) -> str:
        """A cas_OutgoingReferralDetails."""
        return self.random_element(self._texts.outgoing_referral_details)

    def perpetrator_role_details(self) -> str:
        """A per_RoleDetails."""
        return self.random_element(self._texts.perpetrator_role_details)

    def trafficking_event_description(self, event_type: str = "Recruitment") -> str:
        """The hte_Description of an event of this hte_Type."""
        return self._texts.event_descriptions[event_type]

    def support_plan_objective(self, plan_type: str = "Health") -> str:
        """The spl_Objectives of a support plan of this spl_Type."""
        return self._texts.support_plan_objectives[plan_type]
