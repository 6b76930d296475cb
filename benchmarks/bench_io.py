#!/usr/bin/env python3
"""Benchmark the readers and duplicate detection, each beside a baseline in the same run.

    python benchmarks/bench_io.py           # 1,000,000-row Core CSV, 100,000-row xlsx,
                                            # a 100,000-column CSV, duplicates in 1,000,000 rows
    python benchmarks/bench_io.py --quick   # small sizes (used by the test suite)

* CSV: ``io.read_table`` (checked by Python's csv module, read by pandas, every cell text)
  against plain ``pandas.read_csv(dtype=str)``, which checks nothing.
* xlsx: ``io.read_table`` (zip limits, streamed rows) against ``pandas.read_excel``.
* 100,000 columns: the reader refuses it (the limit is 16,384); the time to say so, and the
  time to read a table at the limit.
* Duplicates: the two rules of ``validation/rules/duplicates.py`` on Core rows with injected
  duplicates (records entered again, the same person with her name written differently);
  precision and recall by pair, against the injector's ground truth.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

CPU: dict[str, float] = {}  # CPU seconds of the last timed call (all threads)


def timed(function):
    """(result, wall seconds); CPU seconds in CPU["last"]. On a shared machine the wall
    time stretches with the load, the CPU time does not: both are printed."""
    start, cpu = time.perf_counter(), time.process_time()
    result = function()
    CPU["last"] = time.process_time() - cpu
    return result, time.perf_counter() - start


def bench_csv(folder: Path, core, figures: dict) -> None:
    import pandas as pd

    from htcds_learn import io

    path = folder / "core.csv"
    core.to_csv(path, index=False)
    rows = len(core)
    loaded, ours = timed(lambda: io.read_table(path))
    ours_cpu = CPU["last"]
    plain, theirs = timed(lambda: pd.read_csv(path, dtype=str, keep_default_na=False))
    theirs_cpu = CPU["last"]
    assert loaded.table.shape == plain.shape == core.shape
    print(f"CSV   {rows:>9,} rows  read_table {ours:6.2f} s wall, {ours_cpu:6.2f} s CPU "
          f"({rows / ours_cpu:>9,.0f} rows/CPU-s)  pandas.read_csv {theirs:6.2f} s wall, "
          f"{theirs_cpu:6.2f} s CPU ({rows / theirs_cpu:>9,.0f} rows/CPU-s)  "
          f"{path.stat().st_size / 2**20:,.0f} MiB")
    figures["csv"] = {"rows": rows, "per_second": rows / ours_cpu, "baseline_per_second":
                      rows / theirs_cpu, "seconds": ours, "cpu_seconds": ours_cpu,
                      "baseline_seconds": theirs, "baseline_cpu_seconds": theirs_cpu}


def bench_xlsx(folder: Path, core, figures: dict) -> None:
    import pandas as pd
    from openpyxl import Workbook

    from htcds_learn import io

    path = folder / "core.xlsx"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("core")
    sheet.append(list(core.columns))
    for row in core.itertuples(index=False, name=None):
        sheet.append(list(row))
    workbook.save(path)
    rows = len(core)
    loaded, ours = timed(lambda: io.read_table(path))
    ours_cpu = CPU["last"]
    plain, theirs = timed(lambda: pd.read_excel(path, dtype=str, keep_default_na=False))
    theirs_cpu = CPU["last"]
    assert loaded.table.shape == plain.shape == core.shape
    print(f"xlsx  {rows:>9,} rows  read_table {ours:6.2f} s wall, {ours_cpu:6.2f} s CPU "
          f"({rows / ours_cpu:>9,.0f} rows/CPU-s)  pandas.read_excel {theirs:6.2f} s wall, "
          f"{theirs_cpu:6.2f} s CPU ({rows / theirs_cpu:>9,.0f} rows/CPU-s)")
    figures["xlsx"] = {"rows": rows, "per_second": rows / ours_cpu, "baseline_per_second":
                       rows / theirs_cpu, "seconds": ours, "cpu_seconds": ours_cpu,
                       "baseline_seconds": theirs, "baseline_cpu_seconds": theirs_cpu}


def bench_wide(folder: Path, columns: int, width: int, figures: dict) -> None:
    from htcds_learn import io
    from htcds_learn.errors import InputError
    from htcds_learn.io import limits

    wide = folder / "wide.csv"
    wide.write_text(",".join(f"c{i}" for i in range(columns)) + "\n"
                    + ",".join("x" for _ in range(columns)) + "\n")
    def attempt() -> str:
        try:
            io.read_table(wide)
            return "read"
        except InputError:
            return "refused"

    outcome, refused = timed(attempt)
    refused_cpu = CPU["last"]
    at_limit = folder / "limit.csv"
    width = min(width, limits.MAX_COLUMNS)
    names = ["prs_Gender"] + [f"extra_{i}" for i in range(width - 1)]
    at_limit.write_text(",".join(names) + "\n"
                        + "\n".join(",".join(["Feminine"] + ["x"] * (width - 1))
                                    for _ in range(10)) + "\n")
    _, read = timed(lambda: io.read_table(at_limit))
    print(f"wide  {columns:>9,} columns: {outcome} in {refused:.2f} s ({refused_cpu:.2f} s "
          f"CPU); {width:,} columns x 10 rows read in {read:.2f} s ({CPU['last']:.2f} s CPU)")
    figures["wide"] = {"columns": columns, "outcome": outcome, "seconds": refused,
                       "cpu_seconds": refused_cpu, "limit_columns": width,
                       "limit_seconds": read, "limit_cpu_seconds": CPU["last"]}


def bench_duplicates(core, figures: dict) -> None:
    from datetime import date

    from htcds_learn._util.frames import as_text
    from htcds_learn.validation.context import FastTable
    from htcds_learn.validation.flaws import inject_flaws
    from htcds_learn.validation.rules.duplicates import (
        likely_pairs_fast,
        normal_name,
        repeated_pairs_fast,
    )

    dirty, truth = inject_flaws(core, rate=0.01, seed=5,
                                kinds=["repeated-record", "same-person-again"])
    rows = len(dirty)

    def detect():  # as validate_table does: one view of the table, shared by the rules
        table = FastTable(as_text(dirty, renumber=True), date.today())
        return repeated_pairs_fast(table) + likely_pairs_fast(table)

    found, seconds = timed(detect)
    cpu = CPU["last"]
    # Ground truth as groups: an injected row and the row it was made from are one group
    # (a copy of a copy joins the first); a found pair is right when both rows share one.
    group = list(range(rows))

    def root(i: int) -> int:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    injected = [(int(p) - 2, int(r) - 2) for p, r in zip(truth["pair"], truth["row"])]
    for i, j in injected:
        group[root(j)] = root(i)
    wrong = [(i, j) for i, j in found if root(i) != root(j)]
    later_found = {j for i, j in found if root(i) == root(j)}
    recalled = sum(j in later_found for _, j in injected)
    precision = 1 - len(wrong) / len(found) if found else 1.0
    recall = recalled / len(injected) if injected else 1.0

    def name(i: int) -> str:
        return normal_name(f"{dirty.at[i, 'prs_FirstName']} {dirty.at[i, 'prs_SecondName']}")

    # Wrong pairs whose names read the same: the generator drew one name, birth date and
    # citizenship twice; what the records say cannot tell them from one person.
    alike = sum(name(i) == name(j) for i, j in wrong)
    print(f"dupes {rows:>9,} rows  {seconds:6.2f} s wall, {cpu:6.2f} s CPU  "
          f"{len(injected):,} injected, {len(found):,} pairs found: precision {precision:.4f}, "
          f"recall {recall:.4f}; of {len(wrong):,} wrong pairs, {alike:,} have the same name, "
          f"birth date and citizenship in the synthetic data, {len(wrong) - alike:,} a near "
          f"name")
    figures["duplicates"] = {"rows": rows, "seconds": seconds, "cpu_seconds": cpu,
                             "injected": len(injected), "found": len(found),
                             "precision": precision, "recall": recall,
                             "wrong_pairs": len(wrong), "wrong_pairs_same_name": alike}


def main(argv: list[str] | None = None) -> int:
    from htcds_learn.synth import CaseGenerator

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    csv_rows, xlsx_rows, columns, width, dupe_rows = (
        (2_000, 300, 20_000, 2_000, 5_000) if args.quick else
        (1_000_000, 100_000, 100_000, 16_384, 1_000_000))
    print(f"htcds-learn reader benchmark ({platform.python_version()}, "
          f"{os.cpu_count()} cores)")
    core, seconds = timed(lambda: CaseGenerator(seed=1).core_table(max(csv_rows, dupe_rows)))
    print(f"prepared {len(core):,} Core rows in {seconds:.1f} s")
    figures: dict = {}
    bench_duplicates(core.head(dupe_rows), figures)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        bench_wide(folder, columns, width, figures)
        bench_csv(folder, core.head(csv_rows), figures)
        bench_xlsx(folder, core.head(xlsx_rows), figures)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(figures, handle, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
