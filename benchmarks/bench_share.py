#!/usr/bin/env python3
"""Benchmark safe sharing: the research release, k and l, pseudonyms, and the LP audit.

    python benchmarks/bench_share.py          # 1,000,000 records, a 50 x 20 table
    python benchmarks/bench_share.py --quick  # 20,000 records, a 6 x 4 table (test suite)

The research release is timed whole (consent to the final checks), and its k is measured
again here, independently, with a plain pandas groupby over every released column. k and l
and pseudonyms are compared with naive per-record Python loops on a sample, which must agree.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import platform
import sys
import time
from collections import Counter, defaultdict


def naive_k_and_l(rows: list[tuple], sensitive: list) -> tuple[int, int]:
    """k and l the obvious way: a dictionary of classes, one record at a time."""
    sizes: Counter = Counter()
    values: dict = defaultdict(set)
    for key, value in zip(rows, sensitive):
        sizes[key] += 1
        if value != "":
            values[key].add(value)
    return min(sizes.values()), min((len(v) for v in values.values()), default=0)


def naive_pseudonyms(values: list[str], key: bytes) -> list[str]:
    return ["P-" + hmac.new(key, v.encode(), hashlib.sha256).hexdigest()[:16] for v in values]


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    import numpy as np
    import pandas as pd

    from htcds_learn import privacy
    from htcds_learn.synth import CaseGenerator

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    rows, sample, shape = (20_000, 5_000, (6, 4)) if args.quick else \
        (1_000_000, 100_000, (50, 20))
    print(f"htcds-learn sharing benchmark ({platform.python_version()})")
    core = CaseGenerator(seed=1).core_table(rows)
    key = privacy.new_key()
    figures: dict[str, float] = {}

    release, seconds = timed(privacy.share, core, purpose="research")
    table, report = release.table, release.report
    columns = [c for c in table.columns if c != "pseudonym"]
    plain_k = int(table[columns].astype(str).groupby(columns).size().min())
    assert plain_k == report.k_achieved >= 11, (plain_k, report.k_achieved)
    figures.update(pipeline_seconds=seconds, rows_out=report.rows_out,
                   k_achieved=report.k_achieved, values_kept=report.values_kept,
                   rows_kept=report.rows_out / max(report.rows_in_consented, 1))
    print(f"research release {rows:>9,} records  {seconds:6.2f} s  -> {report.rows_out:,} "
          f"records, k = {report.k_achieved} over all {len(columns)} columns (checked by a "
          f"plain groupby), {figures['rows_kept']:.0%} of consented rows and "
          f"{report.values_kept:.0%} of values kept; coarsened: "
          f"{', '.join(f'{c} to {v}' for c, v in report.recoded.items()) or 'nothing'}")

    quasi = report.known_by["public"]
    (k, l_value), fast = timed(privacy.k_and_l, table, quasi, "vic_TypeOfExploitation")
    part = table.head(sample)
    naive, slow = timed(naive_k_and_l, list(part[quasi].itertuples(index=False, name=None)),
                        part["vic_TypeOfExploitation"].tolist())
    on_sample = privacy.k_and_l(part, quasi, "vic_TypeOfExploitation")
    assert naive[0] == on_sample[0], (naive, on_sample)
    ratio = (len(table) / fast) / (sample / slow)
    figures.update(k_and_l_seconds=fast, k_and_l_speed_up=ratio)
    print(f"k and l          {len(table):>9,} rows x {len(quasi)} columns  {fast:6.2f} s  "
          f"(k = {k}, l = {l_value}); {ratio:,.0f}x the naive per-record loop")

    values = core["person_id"].tolist()
    out, pseudo_seconds = timed(privacy.pseudonymise, core[["person_id"]], ["person_id"], key)
    naive_out, naive_seconds = timed(naive_pseudonyms, values[:sample], key)
    assert out["person_id"].head(sample).tolist() == naive_out
    figures.update(pseudonyms_per_second=len(values) / pseudo_seconds)
    print(f"pseudonyms       {len(values) / pseudo_seconds:>12,.0f} per second "
          f"(naive loop {sample / naive_seconds:,.0f} per second; identical pseudonyms)")

    rng = np.random.default_rng(7)
    counts = pd.DataFrame(rng.poisson(rng.choice([3, 40], size=shape, p=[0.3, 0.7])))
    protected, lp_seconds = timed(privacy.protect_table, counts, threshold=11)
    hidden = int(protected.hidden.to_numpy().sum())
    primary = int((protected.reason == "primary").to_numpy().sum())
    figures.update(lp_audit_seconds=lp_seconds, lp_hidden=hidden,
                   lp_narrowest=protected.narrowest())
    print(f"LP audit         {shape[0]} x {shape[1]} table  {lp_seconds:6.2f} s  -> {primary} "
          f"small counts and {hidden - primary} more hidden; narrowest interval an attacker "
          f"gets: {protected.narrowest():.0f}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(figures, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
