#!/usr/bin/env python3
"""Benchmark the synthetic case generator against a naive one-record-at-a-time Faker loop.

    python benchmarks/bench_synth.py            # 1M Core rows and 100k cases, 5 rounds
    python benchmarks/bench_synth.py --peers    # also a 12-field mimesis loop, where installed
    python benchmarks/bench_synth.py --scale    # 10k, 100k, 1M and 3M rows, CPU and memory
    python benchmarks/bench_synth.py --quick    # a small smoke run (used by the test suite)

The naive baseline (on a sample), a plain 12-field Faker loop, the generator and the peers
run interleaved in one process (see ``_harness.py``); every ratio is computed within a
round. Peak memory per size comes from ``--scale``, one fresh process per size.
"""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta

import _harness as h

FIELDS_12 = ("first_name", "last_name", "birthdate", "gender", "email", "phone", "city",
             "street", "postcode", "country", "status", "date")


def naive_fakers(seed: int) -> dict:
    """One seeded Faker per country, made before timing (as the generator's pools are)."""
    from faker import Faker

    from htcds_learn.synth.profile import load_profile

    profile = load_profile()
    fakers = {}
    for code in profile.countries():
        fakers[code] = Faker(profile.country(code)["faker_locale"])
        fakers[code].seed_instance(seed)
    chooser = Faker()
    chooser.seed_instance(seed)
    fakers[None] = chooser
    return fakers


def naive_core_records(n: int, seed: int, fakers: dict) -> list[dict]:
    """The same Core rows, written the obvious way: one record at a time, a Faker call per value.

    It follows the same profile and the same consistency rules as the generator, so the two
    make comparable records; only the technique differs.
    """
    from collections import OrderedDict

    from faker.decode import unidecode

    from htcds_learn import standard
    from htcds_learn.synth.profile import load_profile

    profile = load_profile()
    data = profile.data
    chooser = fakers[None]
    pick = chooser.random_element

    def weighted(table: dict) -> OrderedDict:
        return OrderedDict((k, float(v)) for k, v in table.items())

    region = data["origin_regions"]["weights"]
    origins = weighted({c: region[v["region"]] * v["origin_weight"]
                        for c, v in data["countries"].items() if v.get("origin_weight")})
    genders = weighted(data["gender"]["weights"])
    bands = data["age_at_registration"]["bands"]
    methods = data["methods_of_control"]["probabilities"]
    method_order = standard.field("vic_MethodsOfControl").value_names
    rows = []
    for i in range(n):
        origin = pick(origins)
        destination = pick(weighted(data["countries"][origin]["destinations"]))
        fake, there = fakers[origin], fakers[destination]
        gender = pick(genders)
        registration = chooser.date_between(date(2015, 1, 1), date(2024, 12, 31))
        low, high, _ = pick(OrderedDict((tuple(b), b[2]) for b in bands))
        birth = registration - timedelta(days=chooser.random_int(low, high) * 365
                                         + chooser.random_int(0, 364) + 30)
        recruitment = registration - timedelta(days=chooser.random_int(30, 700))
        recruitment = max(recruitment, birth + timedelta(days=1))
        age_then = recruitment.year - birth.year - (
            (recruitment.month, recruitment.day) < (birth.month, birth.day))
        table = data["exploitation"]["by_gender"].get(gender,
                                                      data["exploitation"]["by_gender"]["other"])
        types = {pick(weighted(table))}
        if chooser.random.random() < data["exploitation"]["second_type_probability"]:
            types.add(pick(weighted(table)))
        if "ChildLabour" in types and age_then >= 18:
            types = (types - {"ChildLabour"}) | {"ForcedLabour"}
        control = [m for m in method_order if chooser.random.random() < methods.get(m, 0)]
        status = pick(weighted(data["case_status"]["weights"]))
        outgoing = status == "ClosedReferred" or chooser.random.random() < 0.3
        female = gender in ("Feminine", "TransgenderFeminine")
        first = fake.first_name_female() if female else fake.first_name_male()
        last = fake.last_name()
        slug = "".join(ch for ch in unidecode(first + last).lower() if ch.isalnum())
        mailing = destination if chooser.random.random() < 0.7 else origin
        country = data["countries"][mailing]
        phone = "+" + country["calling_code"] + fake.numerify(
            "%" + "#" * (country["national_digits"] - 1))
        rows.append({
            "case_id": f"CASE-{i + 1:07d}", "person_id": f"PRS-{i + 1:07d}",
            "cas_CaseOwner": f"USR-{destination}-{chooser.random_int(1, 5):02d}",
            "prs_Salutation": "Ms" if gender == "Feminine" else "Mr",
            "prs_FirstName": first, "prs_SecondName": last,
            "con_Consent": chooser.random.random() < 0.93,
            "prs_Birthdate": birth.isoformat(), "prs_Gender": gender,
            "prs_Citizenship": origin, "prs_Title": "",
            "prs_Email": f"{slug}{chooser.random_int(1, 99)}@example.org"
            if chooser.boolean(50) else "",
            "prs_HomePhone": "", "prs_MobilePhone": phone if chooser.boolean(85) else "",
            "prs_MailingCity": fakers[mailing].city(), "prs_MailingCountry": mailing,
            "prs_MailingState": "", "prs_MailingStreet": fakers[mailing].street_address(),
            "prs_MailingPostalCode": fakers[mailing].postcode(),
            "vic_TraffickingStatus": pick(weighted(data["trafficking_status"]["weights"])),
            "vic_TraffickingStatusDecisionMakingOrg": pick(
                weighted(data["status_decision_org"]["weights"])),
            "vic_MethodOfRecruitment": pick(weighted(data["methods_of_recruitment"]["weights"])),
            "vic_LocationOfRecruitment": f"{fake.city()}, {origin}",
            "vic_MethodsOfControl": ";".join(control or ["FalsePromises"]),
            "vic_TypeOfExploitation": ";".join(sorted(types)),
            "vic_ForcedLabourIndustry": pick(weighted(data["forced_labour_industries"][
                "weights"])) if "ForcedLabour" in types else "",
            "vic_TypeOfSexExploitation": pick(weighted(data["sex_exploitation_types"][
                "weights"])) if "SexualExploitation" in types else "",
            "vic_LocationOfExploitation": f"{there.city()}, {destination}",
            "cas_Status": status,
            "cas_ReferringOrganisation": f"{there.city()} Safe House",
            "cas_IncomingReferralDate": registration.isoformat(),
            "cas_ReferringPrimaryCaseWorker": f"{there.first_name()} {there.last_name()}",
            "cas_ReasonForIncomingReferral": "AdditionalServicesRequired",
            "cas_IncomingReferralDetails": "Referred by the hotline.",
            "cas_ReferredOrganisation": f"{there.city()} Legal Aid Centre" if outgoing else "",
            "cas_ReferredPrimaryCaseWorker": f"{there.first_name()} {there.last_name()}"
            if outgoing else "",
            "cas_ReasonForOutgoingReferral": "AdditionalServicesRequired" if outgoing else "",
            "cas_OutgoingReferralDate": (registration + timedelta(days=30)).isoformat()
            if outgoing else "",
            "cas_OutgoingReferralDetails": "Referred for legal support." if outgoing else "",
            "cas_ReasonForCaseClosure": "Support goals met." if status.startswith("Closed")
            else "",
            "synthetic": True,
        })
    return rows


def faker_12_fields(n: int, fakers: dict) -> list[dict]:
    """A plain 12-field Faker loop: what most people write first (no profile, one locale)."""
    fake = fakers[None]
    return [{"first_name": fake.first_name(), "last_name": fake.last_name(),
             "birthdate": fake.date_of_birth().isoformat(), "gender": fake.random_element(
                 ("Feminine", "Masculine")), "email": fake.email(),
             "phone": fake.phone_number(), "city": fake.city(),
             "street": fake.street_address(), "postcode": fake.postcode(),
             "country": fake.country_code(), "status": fake.random_element(
                 ("Active", "Closed")), "date": fake.date_this_decade().isoformat()}
            for _ in range(n)]


def mimesis_12_fields(n: int, mimesis) -> list[dict]:
    """The same 12 fields with mimesis (its own providers, made once)."""
    person = mimesis.Person(seed=1)
    address = mimesis.Address(seed=1)
    when = mimesis.Datetime(seed=1)
    choice = mimesis.Choice(seed=1)
    return [{"first_name": person.first_name(), "last_name": person.last_name(),
             "birthdate": when.date(1940, 2010).isoformat(),
             "gender": choice(("Feminine", "Masculine")), "email": person.email(),
             "phone": person.phone_number(), "city": address.city(),
             "street": address.address(), "postcode": address.postal_code(),
             "country": address.country_code(), "status": choice(("Active", "Closed")),
             "date": when.date(2015, 2024).isoformat()} for _ in range(n)]


def twelve_filled(n: int):
    def check(rows: list[dict]) -> bool | str:
        if len(rows) != n or any(tuple(r) != FIELDS_12 for r in rows):
            return "not the 12 fields on every row"
        return all(all(str(v) for v in r.values()) for r in rows) or "blank values"
    return check


def core_work(rows: int):
    """For --scale: a generator with its pools built, then (timed) one Core table."""
    from htcds_learn.synth import CaseGenerator

    generator = CaseGenerator(seed=1)
    generator.core_table(10)  # build the Faker pools: a one-off cost per process
    return lambda: generator.core_table(rows)


def main(argv: list[str] | None = None) -> int:
    from htcds_learn.synth import CaseGenerator

    args = h.parser(__doc__.splitlines()[0]).parse_args(argv)
    if args.scale_one:
        print(json.dumps(h.one_size(core_work, args.scale_one)))
        return 0
    rows = args.rows or (10_000 if args.quick else 1_000_000)
    naive_rows = 200 if args.quick else 3_000
    cases = 1_000 if args.quick else 100_000
    h.banner("synthetic generator")
    fakers = naive_fakers(seed=1)
    generator = CaseGenerator(seed=1)
    generator.core_table(10)  # build the Faker pools once, as for every later call
    columns = list(generator.core_table(10).columns)
    naive_columns = list(naive_core_records(1, seed=1, fakers=fakers)[0])

    def same_shape(n: int):
        def check(table) -> bool | str:
            return (len(table) == n and list(table.columns) == columns) or "wrong shape"
        return check

    contenders = [
        h.Contender("naive Faker loop", lambda: naive_core_records(naive_rows, 1, fakers),
                    naive_rows, note="(on a sample)",
                    check=lambda r: (len(r) == naive_rows and set(naive_columns) <= set(r[0]))
                    or "wrong shape"),
        h.Contender("12-field Faker loop", lambda: faker_12_fields(naive_rows, fakers),
                    naive_rows, check=twelve_filled(naive_rows), note="(on a sample)"),
        h.Contender("core_table (ours)", lambda: generator.core_table(rows), rows,
                    check=same_shape(rows)),
        h.Contender("documents (ours)", lambda: sum(1 for _ in generator.documents(cases)),
                    cases, check=lambda r: r == cases, note="(nested cases)"),
    ]
    if args.peers:
        mimesis = h.peer("mimesis")
        if mimesis is not None:
            module, version = mimesis
            contenders.append(h.Contender("mimesis 12 fields", lambda: mimesis_12_fields(
                naive_rows * 10, module), naive_rows * 10, version=version,
                check=twelve_filled(naive_rows * 10)))
    result = h.compare(contenders, rounds=h.rounds_of(args), baseline="naive Faker loop",
                       title=f"synthetic Core rows ({len(columns)} columns)")
    figures = result.figures()
    core = figures["core_table (ours)"]
    summary = {"rows": rows, "naive": figures["naive Faker loop"], "core": core,
               "speed_up": core["ratio_median"], "contenders": figures}
    if args.scale:
        summary["scale"] = h.scale(__file__)
    h.write_json(args.json, summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
