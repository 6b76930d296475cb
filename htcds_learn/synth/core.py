"""The Core table from a block: one row per victim, the 38 Core columns of IOM's template.

This is the one path from cases to the Core table: ``CaseGenerator.core_table``,
``iter_core`` and ``tables()["core"]`` all come through ``core_columns``. Lookups (the
organisations, workers and places a case points to) are given as names, as in the template.

>>> from htcds_learn.synth import CaseGenerator
>>> core = CaseGenerator(seed=1).core_table(2)
>>> list(core.columns[:3]), len(core.columns)  # with case_id, person_id and synthetic
(['case_id', 'person_id', 'cas_CaseOwner'], 41)
"""

from __future__ import annotations

import numpy as np

from .arrays import Texts
from .block import VictimBlock
from .days import iso
from .directory import Lookups, case_ids, victim_ids


def core_columns(block: VictimBlock, lookups: Lookups, codes: Texts) -> dict[str, np.ndarray]:
    """The Core table's columns for every case of ``block`` (see ``VictimBlock.head``)."""
    n = len(block)
    route, people, names, contacts, places = (block.route, block.identity, block.names,
                                              block.contacts, block.places)
    exploitation, referrals = block.exploitation, block.referrals
    outgoing = block.status.outgoing
    org_names, worker_names = lookups.org_names, lookups.worker_names
    referred = org_names[referrals.referred_country, referrals.referred_org]
    referred_worker = worker_names[referrals.referred_country, referrals.referred_org,
                                   referrals.referred_worker]
    return {
        "case_id": case_ids(block.case_number),
        "person_id": victim_ids(block.case_number),
        "cas_CaseOwner": lookups.user_ids[route.destination, referrals.owner],
        "prs_Salutation": names.salutation,
        "prs_FirstName": names.first_name,
        "prs_SecondName": names.second_name,
        "con_Consent": block.consent,
        "prs_Birthdate": iso(block.timeline.birth),
        "prs_Gender": block.gender,
        "prs_Citizenship": people.citizenship,
        "prs_Title": np.full(n, "", dtype=object),
        "prs_Email": contacts.email,
        "prs_HomePhone": contacts.home_phone,
        "prs_MobilePhone": contacts.mobile_phone,
        "prs_MailingCity": places.mailing_city,
        "prs_MailingCountry": codes[contacts.mailing],
        "prs_MailingState": places.mailing_state,
        "prs_MailingStreet": places.mailing_street,
        "prs_MailingPostalCode": places.mailing_postcode,
        "vic_TraffickingStatus": exploitation.trafficking_status,
        "vic_TraffickingStatusDecisionMakingOrg": exploitation.status_decision_org,
        "vic_MethodOfRecruitment": exploitation.recruitment_method,
        "vic_LocationOfRecruitment": lookups.places[route.origin, places.origin_city_index],
        "vic_MethodsOfControl": exploitation.control,
        "vic_TypeOfExploitation": exploitation.types,
        "vic_ForcedLabourIndustry": exploitation.industry,
        "vic_TypeOfSexExploitation": exploitation.sex_types,
        "vic_LocationOfExploitation": lookups.places[route.destination,
                                                     places.destination_city_index],
        "cas_Status": block.status.status,
        "cas_ReferringOrganisation": org_names[route.destination, referrals.referring_org],
        "cas_IncomingReferralDate": iso(block.timeline.registration),
        "cas_ReferringPrimaryCaseWorker": worker_names[route.destination,
                                                       referrals.referring_org,
                                                       referrals.referring_worker],
        "cas_ReasonForIncomingReferral": referrals.incoming_reason,
        "cas_IncomingReferralDetails": referrals.incoming_details,
        "cas_ReferredOrganisation": np.where(outgoing, referred, ""),
        "cas_ReferredPrimaryCaseWorker": np.where(outgoing, referred_worker, ""),
        "cas_ReasonForOutgoingReferral": np.where(outgoing, referrals.outgoing_reason, ""),
        "cas_OutgoingReferralDate": np.where(outgoing, iso(referrals.outgoing_date), ""),
        "cas_OutgoingReferralDetails": np.where(outgoing, referrals.outgoing_details, ""),
        "cas_ReasonForCaseClosure": block.status.closure_reason,
        "synthetic": np.ones(n, dtype=bool),
    }
