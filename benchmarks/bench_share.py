#!/usr/bin/env python3
"""Benchmark safe sharing: k and l, the whole share pipeline, and pseudonyms.

    python benchmarks/bench_share.py          # 1,000,000 records
    python benchmarks/bench_share.py --quick  # 20,000 records (used by the test suite)

Each figure is compared, in the same run, with a naive per-record Python implementation
measured on a sample, and the two must give the same answer on that sample.
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
        values[key].add(value)
    return min(sizes.values()), min(len(v) for v in values.values())


def naive_pseudonyms(values: list[str], key: bytes) -> list[str]:
    return ["P-" + hmac.new(key, v.encode(), hashlib.sha256).hexdigest()[:16] for v in values]


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    from htcds_learn import privacy
    from htcds_learn.synth import CaseGenerator

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    rows, sample = (20_000, 5_000) if args.quick else (1_000_000, 100_000)
    print(f"htcds-learn sharing benchmark ({platform.python_version()})")
    core = CaseGenerator(seed=1).core_table(rows)
    release, _ = privacy.share(core.head(sample), k=1)  # the generalised columns, to test k/l
    quasi = list(privacy.DEFAULT_QUASI_IDENTIFIERS)
    table = privacy.share(core, k=1)[0]
    figures: dict[str, float] = {}

    (k, l_value), fast = timed(privacy.k_and_l, table, quasi, "vic_TypeOfExploitation")
    part = table.head(sample)
    naive_rows = list(part[quasi].itertuples(index=False, name=None))
    naive, slow = timed(naive_k_and_l, naive_rows, part["vic_TypeOfExploitation"].tolist())
    on_sample = (privacy.k_anonymity(part, quasi),
                 privacy.l_diversity(part, quasi, "vic_TypeOfExploitation"))
    assert naive == on_sample, (naive, on_sample)
    ratio = (len(table) / fast) / (sample / slow)
    figures.update(k_and_l_seconds=fast, k_and_l_speed_up=ratio)
    print(f"k and l        {len(table):>9,} rows x {len(quasi)} quasi-identifiers  {fast:6.2f} s  "
          f"(k = {k}, l = {l_value}); {ratio:,.0f}x the naive per-record loop, which agrees "
          f"on {sample:,} rows")

    key = privacy.new_key()
    values = core["person_id"].tolist()
    table_out, pseudo_seconds = timed(privacy.pseudonymise, core[["person_id"]], ["person_id"],
                                      key)
    naive_out, naive_seconds = timed(naive_pseudonyms, values[:sample], key)
    assert table_out["person_id"].head(sample).tolist() == naive_out
    figures.update(pseudonyms_per_second=len(values) / pseudo_seconds)
    print(f"pseudonyms     {len(values) / pseudo_seconds:>12,.0f} per second "
          f"(naive loop {sample / naive_seconds:,.0f} per second; identical pseudonyms)")

    (safe, report), pipeline = timed(lambda: privacy.share(core, k=11, key=key))
    figures.update(pipeline_seconds=pipeline, rows_out=report.rows_out,
                   k_achieved=report.k_achieved)
    print(f"share pipeline {rows:>9,} records  {pipeline:6.2f} s  -> {report.rows_out:,} "
          f"records, k = {report.k_achieved}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(figures, handle)
    del release
    return 0


if __name__ == "__main__":
    sys.exit(main())
