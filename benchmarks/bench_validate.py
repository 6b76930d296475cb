#!/usr/bin/env python3
"""Benchmark the two validation engines on a large table with injected flaws.

    python benchmarks/bench_validate.py           # 1,000,000 Core rows, about 5 % flawed
    python benchmarks/bench_validate.py --quick   # 20,000 rows (used by the test suite)

The fast engine checks every row; the reference engine (one record at a time, jsonschema)
checks a sample in the same run. Both must flag the same records for the same reasons on
that sample, or the benchmark fails.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from datetime import date


def main(argv: list[str] | None = None) -> int:
    import pandas as pd

    from htcds_learn.synth import CaseGenerator
    from htcds_learn.validation import validate_table
    from htcds_learn.validation.flaws import inject_flaws

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    rows, sample = (20_000, 2_000) if args.quick else (1_000_000, 20_000)
    today = date(2026, 1, 1)

    print(f"htcds-learn validation benchmark ({platform.python_version()})")
    start = time.perf_counter()
    core = CaseGenerator(seed=1).core_table(rows)
    dirty, truth = inject_flaws(core, rate=0.05, seed=1)
    del core
    print(f"prepared {rows:,} Core rows with {len(truth):,} injected flaws "
          f"({len(truth) / rows:.1%}) in {time.perf_counter() - start:.1f} s")

    start = time.perf_counter()
    fast = validate_table(dirty, today=today)
    fast_seconds = time.perf_counter() - start
    fast_rate = rows / fast_seconds
    print(f"fast engine       {rows:>9,} records  {fast_seconds:7.2f} s  "
          f"{fast_rate:>10,.0f} records/s  {len(fast.findings):,} findings")

    part = dirty.head(sample)
    start = time.perf_counter()
    reference = validate_table(part, engine="reference", today=today)
    reference_seconds = time.perf_counter() - start
    reference_rate = sample / reference_seconds
    print(f"reference engine  {sample:>9,} records  {reference_seconds:7.2f} s  "
          f"{reference_rate:>10,.0f} records/s")
    on_sample = validate_table(part, today=today).findings
    agree = on_sample.equals(reference.findings)
    if not agree:
        pd.testing.assert_frame_equal(on_sample, reference.findings)
    print(f"speed-up          {fast_rate / reference_rate:,.0f}x; the engines agree on the "
          f"sample: {agree} ({len(reference.findings):,} findings, "
          f"{reference.findings['row'].nunique():,} rows flagged)")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump({"rows": rows, "fast_per_second": fast_rate,
                       "reference_per_second": reference_rate,
                       "speed_up": fast_rate / reference_rate, "agree": agree}, handle)
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
