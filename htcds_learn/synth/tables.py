"""From a block of cases to the flat tables, one per HTCDS section, joined by identifiers.

The victim-level columns come from the block. The records a case has several of (perpetrators,
support plans, comments) and a few more columns are drawn here, from a second random stream
of the block, seeded (seed, block, 1), always in the order of ``TableMaker.tables``.

>>> from htcds_learn.synth import CaseGenerator
>>> tables = CaseGenerator(seed=2).tables(3)
>>> list(tables) == [name for name in TABLE_ORDER if name in tables]
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import standard
from ..model.schema import table_schema
from .arrays import Flags, Ints, Texts, as_texts, join_flags
from .block import VictimBlock
from .core import core_columns
from .days import iso
from .directory import Directory, case_ids, victim_ids
from .pools import POOL_SIZE, Pools
from .profile import Profile
from .status import CLOSED
from .texts import CaseTexts

TABLE_ORDER = ("cases", "people", "organisations", "victim_contexts", "perpetrator_contexts",
               "referrals", "trafficking_events", "support_plans", "case_comments", "consents",
               "core")
EVENT_TYPES = ("Recruitment", "Transit", "Exploitation")
ROLE_PROBABILITIES = {"RecruiterOrIntermediary": 0.45, "Exploiter": 0.5, "Transporter": 0.15,
                      "BrokerTravelAgent": 0.05, "Smuggler": 0.05, "Abuser": 0.1, "Other": 0.03}
COMMON_PLAN_TYPES = ("Health", "Legal", "Livelihood", "SocialCare", "Financial",
                     "RightsBasedTraining")


def _ordinals(counts: Ints) -> Ints:
    """0, 1, ... within each case: [2, 0, 1] -> [0, 1, 0]."""
    return np.concatenate([np.arange(c) for c in counts]) if counts.sum() \
        else np.zeros(0, int)


def _several(rng: np.random.Generator, n: int, weights: list[float]) -> tuple[Ints, Ints]:
    """0 to len(weights) - 1 records per case: each record's case row and its ordinal."""
    counts = rng.choice(len(weights), size=n, p=weights)
    return np.repeat(np.arange(n), counts), _ordinals(counts)


class TableMaker:
    """Builds every section table of a block (and its Core rows)."""

    def __init__(self, seed: int, profile: Profile, countries: list[str], pools: Pools,
                 texts: CaseTexts, directory: Directory) -> None:
        self.seed = seed
        self.perpetrator_counts = profile.distribution("perpetrators_per_case")
        self.codes = np.array(countries, dtype=object)
        self.pools = pools
        self.texts = texts
        self.directory = directory

    def tables(self, block: VictimBlock) -> dict[str, pd.DataFrame]:
        """Every table of the whole block."""
        rng = np.random.default_rng([self.seed, block.number, 1])
        tables = {"cases": self._cases(block)}
        victims = self._victim_people(block)
        tables["victim_contexts"] = self._victim_contexts(block)
        tables["referrals"] = self._referrals(block)
        tables["trafficking_events"] = self._events(rng, block)
        perpetrators, tables["perpetrator_contexts"] = self._perpetrators(rng, block)
        tables["people"] = pd.concat([victims, perpetrators], ignore_index=True)
        tables["support_plans"] = self._support_plans(rng, block)
        tables["case_comments"] = self._comments(rng, block)
        tables["consents"] = self._consents(rng, block)
        tables["core"] = pd.DataFrame(core_columns(block, self.directory.lookups, self.codes),
                                      copy=False)
        return tables

    def _cases(self, block: VictimBlock) -> pd.DataFrame:
        owner = self.directory.lookups.user_ids[block.route.destination, block.referrals.owner]
        return pd.DataFrame({
            "case_id": case_ids(block.case_number), "cas_Status": block.status.status,
            "cas_ReasonForCaseClosure": block.status.closure_reason, "cas_CaseOwner": owner})

    def _victim_people(self, block: VictimBlock) -> pd.DataFrame:
        names, person, contacts, places = (block.names, block.identity, block.contacts,
                                           block.places)
        return pd.DataFrame({
            "person_id": victim_ids(block.case_number),
            "prs_Salutation": names.salutation, "prs_FirstName": names.first_name,
            "prs_MiddleName": names.middle_name, "prs_SecondName": names.second_name,
            "prs_Birthdate": iso(block.timeline.birth), "prs_Gender": block.gender,
            "prs_Deceased": person.deceased, "prs_MaritalStatus": person.marital_status,
            "prs_NumberOfChildren": person.children,
            "prs_PrimaryLanguage": person.primary_language,
            "prs_SecondaryLanguage": person.secondary_language,
            "prs_HighestLevelOfEducation": person.education,
            "prs_Citizenship": person.citizenship,
            "prs_IdentityNumber": person.identity_number,
            "prs_Email": contacts.email, "prs_HomePhone": contacts.home_phone,
            "prs_MobilePhone": contacts.mobile_phone, "prs_MailingCity": places.mailing_city,
            "prs_MailingState": places.mailing_state,
            "prs_MailingStreet": places.mailing_street,
            "prs_MailingPostalCode": places.mailing_postcode,
            "prs_MailingCountry": self.codes[contacts.mailing],
        })

    def _victim_contexts(self, block: VictimBlock) -> pd.DataFrame:
        e, route, places = block.exploitation, block.route, block.places
        place_ids = self.directory.lookups.place_ids
        return pd.DataFrame({
            "case_id": case_ids(block.case_number),
            "person_id": victim_ids(block.case_number),
            "vic_TraffickingStatus": e.trafficking_status,
            "vic_TraffickingStatusDecisionMakingOrg": e.status_decision_org,
            "vic_RelationshipToTrafficker": e.relationship,
            "vic_AgeWhenTrafficked": block.timeline.age_at_recruitment,
            "vic_RecruitmentWebsitesAndApps": e.websites,
            "vic_MethodOfRecruitment": e.recruitment_method,
            "vic_LocationOfRecruitment": place_ids[route.origin, places.origin_city_index],
            "vic_MethodsOfControl": e.control, "vic_TypeOfExploitation": e.types,
            "vic_ForcedLabourIndustry": e.industry, "vic_TypeOfSexExploitation": e.sex_types,
            "vic_LocationOfExploitation": place_ids[route.destination,
                                                    places.destination_city_index],
        })

    def _referrals(self, block: VictimBlock) -> pd.DataFrame:
        """One incoming referral per case, and an outgoing one for some."""
        r, look = block.referrals, self.directory.lookups
        destination, numbers = block.route.destination, block.case_number
        incoming = pd.DataFrame({
            "referral_id": [f"REF-{i:07d}-1" for i in numbers],
            "case_id": case_ids(numbers), "direction": "incoming",
            "cas_ReferringOrganisation": look.org_ids[destination, r.referring_org],
            "cas_IncomingReferralDate": iso(block.timeline.registration),
            "cas_ReferringPrimaryCaseWorker": look.worker_ids[destination, r.referring_org,
                                                              r.referring_worker],
            "cas_ReasonForIncomingReferral": r.incoming_reason,
            "cas_IncomingReferralDetails": r.incoming_details,
        })
        out = np.flatnonzero(block.status.outgoing)
        country, org = r.referred_country[out], r.referred_org[out]
        outgoing = pd.DataFrame({
            "referral_id": [f"REF-{i:07d}-2" for i in numbers[out]],
            "case_id": case_ids(numbers)[out], "direction": "outgoing",
            "cas_ReferredOrganisation": look.org_ids[country, org],
            "cas_ReferredPrimaryCaseWorker": look.worker_ids[country, org,
                                                             r.referred_worker[out]],
            "cas_ReasonForOutgoingReferral": r.outgoing_reason[out],
            "cas_OutgoingReferralDate": iso(r.outgoing_date[out]),
            "cas_OutgoingReferralDetails": r.outgoing_details[out],
        })
        return pd.concat([incoming, outgoing]).sort_values("referral_id", kind="stable")

    def _events(self, rng: np.random.Generator, block: VictimBlock) -> pd.DataFrame:
        """Recruitment, transit and exploitation, in order of date and place."""
        n, route, places, t = len(block), block.route, block.places, block.timeline
        transit_in_origin = rng.random(n) < 0.5
        country = np.stack([route.origin, np.where(transit_in_origin, route.origin,
                                                   route.destination), route.destination], 1)
        city = np.stack([places.origin_city,
                         np.where(transit_in_origin, places.origin_city,
                                  places.destination_city),
                         places.destination_city], 1)
        day = np.stack([t.recruitment, t.transit, t.exploitation], 1)
        descriptions = as_texts([self.texts.event_descriptions[k] for k in EVENT_TYPES])
        return pd.DataFrame({
            "event_id": [f"EVT-{i:07d}-{k}" for i in block.case_number for k in (1, 2, 3)],
            "case_id": np.repeat(case_ids(block.case_number), 3),
            "person_id": np.repeat(victim_ids(block.case_number), 3),
            "hte_City": city.ravel(), "hte_Country": self.codes[country.ravel()],
            "hte_Date": iso(day.ravel()), "hte_Type": np.tile(as_texts(EVENT_TYPES), n),
            "hte_Description": np.tile(descriptions, n),
        })

    def _perpetrators(self, rng: np.random.Generator, block: VictimBlock
                      ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """0-3 per case: people rows, and their perpetrator contexts."""
        names, weights = self.perpetrator_counts
        counts = np.array(names, dtype=int)[rng.choice(len(names), size=len(block), p=weights)]
        row = np.repeat(np.arange(len(block)), counts)
        k = len(row)
        person_id = np.array([f"PRS-{block.case_number[r]:07d}-P{o + 1}"
                              for r, o in zip(row, _ordinals(counts))], dtype=object)
        country = np.where(rng.random(k) < 0.5, block.route.origin[row],
                           block.route.destination[row])
        female = rng.random(k) < 0.35
        first, last = self._perpetrator_names(rng, country, female)
        birth = block.timeline.registration[row] - rng.integers(20 * 365, 60 * 365, size=k)
        roles = self._roles(rng, k)
        business = rng.random(k) < 0.1
        details = as_texts(self.texts.perpetrator_role_details)
        people = pd.DataFrame({
            "person_id": person_id, "prs_FirstName": first, "prs_SecondName": last,
            "prs_Birthdate": iso(birth),
            "prs_Gender": np.where(female, "Feminine", "Masculine").astype(object),
            "prs_Citizenship": self.codes[country],
        })
        company = self.directory.lookups.org_ids[country, np.full(k, self.directory.business)]
        contexts = pd.DataFrame({
            "case_id": case_ids(block.case_number)[row], "person_id": person_id,
            "per_RoleInProcess": roles,
            "per_RoleDetails": details[rng.integers(0, len(details), size=k)],
            "per_Organisation": np.where(business, company, ""),
        })
        return people, contexts

    def _perpetrator_names(self, rng: np.random.Generator, country: Ints, female: Flags
                           ) -> tuple[Texts, Texts]:
        k = len(country)
        first, last = np.empty(k, dtype=object), np.empty(k, dtype=object)
        name_i = rng.integers(0, POOL_SIZE, size=k)
        last_i = rng.integers(0, POOL_SIZE, size=k)
        for c in np.unique(country):
            pool = self.pools[c]
            where = country == c
            first[where & female] = pool.female[name_i[where & female]]
            first[where & ~female] = pool.male[name_i[where & ~female]]
            last[where] = pool.surnames[last_i[where]]
        return first, last

    @staticmethod
    def _roles(rng: np.random.Generator, k: int) -> Texts:
        """per_RoleInProcess: one or more roles each; an exploiter when none was drawn."""
        roles = list(ROLE_PROBABILITIES)
        flags = rng.random((k, len(roles))) < list(ROLE_PROBABILITIES.values())
        flags[~flags.any(axis=1), roles.index("Exploiter")] = True
        every_role = list(standard.field("per_RoleInProcess").value_names)
        full = np.zeros((k, len(every_role)), dtype=bool)
        for j, role in enumerate(roles):
            full[:, every_role.index(role)] = flags[:, j]
        return join_flags(full, every_role)

    def _support_plans(self, rng: np.random.Generator, block: VictimBlock) -> pd.DataFrame:
        """0-3 per case, the first matched to the exploitation; education for children."""
        row, ordinal = _several(rng, len(block), [0.25, 0.35, 0.25, 0.15])
        m = len(row)
        plan_type = as_texts(COMMON_PLAN_TYPES)[rng.integers(0, len(COMMON_PLAN_TYPES), size=m)]
        e = block.exploitation
        specialised = np.where(e.sexual[row], "SexualExploitationRehabilitation",
                               np.where(e.labour[row], "LabourExploitationRehabilitation",
                                        "SocialCare"))
        plan_type[ordinal == 0] = specialised[ordinal == 0]
        child = block.timeline.age_at_registration[row] < 18
        plan_type[child & (ordinal == 1)] = "Education"
        registration = block.timeline.registration[row]
        planned_end = registration + rng.integers(60, 400, size=m)
        finished = np.isin(block.status.status[row], CLOSED)
        actual_end = registration + rng.integers(30, 400, size=m)
        objectives = self.texts.support_plan_objectives
        return pd.DataFrame({
            "support_plan_id": [f"SPL-{block.case_number[r]:07d}-{o + 1}"
                                for r, o in zip(row, ordinal)],
            "case_id": case_ids(block.case_number)[row],
            "person_id": victim_ids(block.case_number)[row],
            "spl_Objectives": as_texts([objectives[t] for t in plan_type]),
            "spl_ActionPlan": self.texts.support_plan_actions,
            "spl_PlannedEndDate": iso(planned_end),
            "spl_ActualEndDate": np.where(finished, iso(actual_end), "").astype(object),
            "spl_Type": plan_type,
        })

    def _comments(self, rng: np.random.Generator, block: VictimBlock) -> pd.DataFrame:
        """0-3 per case. Some mention the person's first name or phone, as real notes do: the
        safe-sharing lessons scan for exactly this."""
        row, ordinal = _several(rng, len(block), [0.2, 0.4, 0.25, 0.15])
        q, texts = len(row), self.texts
        comments = as_texts(texts.case_comments)
        text = comments[rng.integers(0, len(comments), size=q)]
        name_leak = rng.random(q) < 0.15
        first_name = block.names.first_name
        text[name_leak] = [texts.comment_with_first_name.format(first_name=first_name[r],
                                                                comment=t)
                           for r, t in zip(row[name_leak], text[name_leak])]
        phone = block.contacts.mobile_phone[row]
        phone_leak = (rng.random(q) < 0.05) & (phone != "")
        text[phone_leak] = [texts.comment_with_phone.format(comment=t, phone=p)
                            for t, p in zip(text[phone_leak], phone[phone_leak])]
        owner = self.directory.lookups.user_ids[block.route.destination, block.referrals.owner]
        registration = block.timeline.registration[row]
        return pd.DataFrame({
            "comment_id": [f"CCO-{block.case_number[r]:07d}-{o + 1}"
                           for r, o in zip(row, ordinal)],
            "case_id": case_ids(block.case_number)[row], "author_id": owner[row],
            "comment_date": iso(registration + (ordinal + 1) * rng.integers(3, 60, size=q)),
            "cco_CaseComment": text,
        })

    @staticmethod
    def _consents(rng: np.random.Generator, block: VictimBlock) -> pd.DataFrame:
        """One per victim; for a child, who consented and whether the child assented."""
        n = len(block)
        child = block.timeline.age_at_registration < 18
        given_by = np.where(child, np.where(rng.random(n) < 0.7, "ParentOrGuardian",
                                            "AppointedGuardian"), "Self").astype(object)
        assent = pd.array(np.where(child, rng.random(n) < 0.9, False), dtype="boolean")
        assent[~child] = pd.NA
        return pd.DataFrame({
            "case_id": case_ids(block.case_number),
            "person_id": victim_ids(block.case_number),
            "consent_date": iso(block.timeline.registration), "consent_given_by": given_by,
            "child_assent": assent, "con_Consent": block.consent,
        })


def keep_first_cases(tables: dict[str, pd.DataFrame], block: VictimBlock, keep: int
                     ) -> dict[str, pd.DataFrame]:
    """Only the rows of the block's first ``keep`` cases (and of their perpetrators)."""
    if keep == len(block):
        return tables
    kept = set(case_ids(block.case_number[:keep]))
    people = set(victim_ids(block.case_number[:keep]))
    perpetrators = tables["perpetrator_contexts"]
    people |= set(perpetrators.loc[perpetrators["case_id"].isin(kept), "person_id"])
    return {name: frame[frame["person_id" if name == "people" else "case_id"].isin(
        people if name == "people" else kept)] for name, frame in tables.items()}


def ordered(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The tables in the order of ``TABLE_ORDER``."""
    return {name: tables[name] for name in TABLE_ORDER if name in tables}


def finish(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Columns in Table Schema order, blanks as empty strings, and the synthetic mark."""
    columns = [c["name"] for c in table_schema(name)["fields"]]
    frame = frame.copy()
    frame["synthetic"] = True
    for column in columns:
        if column not in frame:
            frame[column] = ""
    frame = frame[columns]
    for column in columns:
        if frame[column].dtype == object:
            frame[column] = frame[column].where(frame[column].notna(), "")
    if name == "people" and "prs_NumberOfChildren" in frame:
        frame["prs_NumberOfChildren"] = pd.array(
            pd.to_numeric(frame["prs_NumberOfChildren"].replace("", pd.NA)), dtype="Int64")
    if name == "people":
        frame["prs_Deceased"] = pd.array(frame["prs_Deceased"].replace("", pd.NA),
                                         dtype="boolean")
    frame.attrs["synthetic"] = True
    return frame.reset_index(drop=True)
