#!/usr/bin/env python3
"""Benchmark the synthetic case generator against a naive one-record-at-a-time Faker loop.

    python benchmarks/bench_synth.py            # the full run: 100k and 1M Core rows, 100k cases
    python benchmarks/bench_synth.py --quick    # a small smoke run (used by the test suite)

Each measurement runs in a fresh process, so its peak memory (ru_maxrss) is its own. The naive
baseline is measured in the same run, on a sample, and every ratio compares the two.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import platform
import resource
import sys
import time
from datetime import date, timedelta


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


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_naive(n: int, queue) -> None:
    fakers = naive_fakers(seed=1)
    start = time.perf_counter()
    naive_core_records(n, seed=1, fakers=fakers)
    queue.put({"seconds": time.perf_counter() - start, "peak_mib": peak_mib()})


def run_core(n: int, queue) -> None:
    from htcds_learn.synth import CaseGenerator

    generator = CaseGenerator(seed=1)
    generator.core_table(10)  # build the Faker pools: a one-off cost per process
    start = time.perf_counter()
    table = generator.core_table(n)
    seconds = time.perf_counter() - start
    assert len(table) == n
    queue.put({"seconds": seconds, "peak_mib": peak_mib()})


def run_documents(n: int, queue) -> None:
    from htcds_learn.synth import CaseGenerator

    generator = CaseGenerator(seed=1)
    generator.core_table(10)
    start = time.perf_counter()
    count = sum(1 for _ in generator.documents(n))
    seconds = time.perf_counter() - start
    assert count == n
    queue.put({"seconds": seconds, "peak_mib": peak_mib()})


def measure(target, n: int) -> dict:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=target, args=(n, queue))
    process.start()
    while queue.empty() and process.is_alive():
        time.sleep(0.05)
    if queue.empty():
        time.sleep(0.5)  # the result may still be in the pipe
    if queue.empty():
        raise SystemExit(f"{target.__name__} failed (exit code {process.exitcode})")
    result = queue.get()
    process.join()
    result["records"] = n
    result["per_second"] = n / result["seconds"]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    sizes = ({"naive": 200, "core": [2_000, 10_000], "documents": 1_000} if args.quick else
             {"naive": 3_000, "core": [100_000, 1_000_000], "documents": 100_000})

    print(f"htcds-learn synthetic generator benchmark ({platform.python_version()}, "
          f"{multiprocessing.cpu_count()} cores)")
    naive = measure(run_naive, sizes["naive"])
    print(f"naive Faker loop   {naive['records']:>9,} records  {naive['seconds']:7.2f} s  "
          f"{naive['per_second']:>10,.0f} records/s")
    figures = {"naive": naive}
    for n in sizes["core"]:
        result = measure(run_core, n)
        result["speed_up"] = result["per_second"] / naive["per_second"]
        figures[f"core_{n}"] = result
        print(f"flat Core table    {n:>9,} records  {result['seconds']:7.2f} s  "
              f"{result['per_second']:>10,.0f} records/s  {result['speed_up']:6.0f}x naive  "
              f"peak {result['peak_mib']:,.0f} MiB")
    n = sizes["documents"]
    result = measure(run_documents, n)
    figures[f"documents_{n}"] = result
    print(f"nested documents   {n:>9,} cases    {result['seconds']:7.2f} s  "
          f"{result['per_second']:>10,.0f} cases/s    "
          f"peak {result['peak_mib']:,.0f} MiB")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(figures, handle, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
