#!/usr/bin/env python3
"""Benchmark the readers and duplicate detection, each beside a baseline, interleaved.

    python benchmarks/bench_io.py           # 1,000,000-row Core CSV, 100,000-row xlsx,
                                            # a 100,000-column CSV, duplicates in 1,000,000 rows
    python benchmarks/bench_io.py --only csv,dupes   # some parts only
    python benchmarks/bench_io.py --scale   # CSV reading and duplicates at 10k to 3M rows
    python benchmarks/bench_io.py --quick   # small sizes (used by the test suite)

Each part runs its contenders in one process, interleaved round by round (``_harness.py``),
and prints min / median of wall and CPU time, and our speed over the baseline's per round:

* CSV: ``io.read_table`` (a survey of the bytes, then pandas alone on a plain file; the strict
  check on anything else) against plain ``pandas.read_csv(dtype=str)``, which checks nothing.
* xlsx: ``io.read_table`` (zip limits, openpyxl read-only, values only, every cell as text)
  against ``pandas.read_excel`` (openpyxl too). Peak memory of one read of each, each in a
  fresh process.
* 100,000 columns: the reader refuses it (the limit is 16,384); the time to say so, and the
  time to read a table at the limit.
* Duplicates: the two rules of ``validation/rules/duplicates.py`` (fast engine) on Core rows
  with injected duplicates, against the reference engine on a sample (the same pairs there);
  precision and recall by pair, against the injector's ground truth.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _harness as h

PARTS = ("wide", "csv", "xlsx", "dupes")


def write_csv(core, path: Path) -> Path:
    core.to_csv(path, index=False)
    return path


def write_xlsx(core, path: Path) -> Path:
    """As openpyxl writes (the package's own writer too): strings inline, no dimension."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("core")
    sheet.append(list(core.columns))
    for row in core.itertuples(index=False, name=None):
        sheet.append(list(row))
    workbook.save(path)
    return path


def readers(kind: str, path: Path):
    """(ours, the baseline) for one file: each reads it and returns a frame of text."""
    import pandas as pd

    from htcds_learn import io

    if kind == "csv":
        theirs = lambda: pd.read_csv(path, dtype=str, keep_default_na=False)  # noqa: E731
    else:
        theirs = lambda: pd.read_excel(path, dtype=str, keep_default_na=False)  # noqa: E731
    return (lambda: io.read_table(path).table), theirs


def peak(kind: str, which: str, path: Path) -> float:
    """Peak memory (MiB) of one read in a fresh process (so the peak is the read's own)."""
    done = subprocess.run([sys.executable, __file__, "--peak", kind, which, str(path)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1:])
    return float(done.stdout.strip().splitlines()[-1])


def bench_reader(kind: str, path: Path, rows: int, rounds: int, figures: dict) -> None:
    read, theirs = readers(kind, path)
    label = {"csv": "pandas.read_csv", "xlsx": "pandas.read_excel"}[kind]
    first: dict = {}

    def ours():  # keeps its first table, for the baseline's check (ours runs first)
        table = read()
        first.setdefault("table", table)
        return table

    def agrees(result) -> bool | str:
        expected = first.pop("table")
        result = result.fillna("")
        same = result.shape == expected.shape and all(
            result[c].astype(str).tolist() == expected[c].tolist() for c in expected.columns)
        return same or "another table"

    result = h.compare([h.Contender(f"read_table {kind} (ours)", ours, rows),
                        h.Contender(label, theirs, rows, check=agrees)],
                       rounds=rounds, baseline=label,
                       title=f"{kind}: {rows:,} Core rows, {path.stat().st_size / 2**20:,.0f} "
                             f"MiB")
    table = result.figures()
    mine = table[f"read_table {kind} (ours)"]
    summary = {"rows": rows, "per_second": rows / mine["cpu_min"],
               "per_second_wall": mine["per_second"],
               "baseline_per_second": rows / table[label]["cpu_min"],
               "ratio_cpu_median": mine.get("cpu_ratio_median"),
               "ratio_wall_median": mine.get("ratio_median"), "contenders": table}
    if kind == "xlsx" or rows >= 100_000:
        summary["peak_mib"] = {"ours": peak(kind, "ours", path),
                               "baseline": peak(kind, "theirs", path)}
        print(f"  peak memory of one read, fresh process: ours "
              f"{summary['peak_mib']['ours']:,.0f} MiB, {label} "
              f"{summary['peak_mib']['baseline']:,.0f} MiB")
    ratios = ("n/a (the baseline did not agree)" if mine.get("cpu_ratio_median") is None else
              f"CPU {mine['cpu_ratio_median']:.2f}x, wall {mine['ratio_median']:.2f}x")
    print(f"  {kind}: {summary['per_second']:,.0f} rows per CPU-second (ours), "
          f"{summary['baseline_per_second']:,.0f} ({label}); ours over theirs per round, "
          f"median: {ratios}")
    figures[kind] = summary


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

    start, cpu = time.perf_counter(), time.process_time()
    outcome = attempt()
    refused, refused_cpu = time.perf_counter() - start, time.process_time() - cpu
    at_limit = folder / "limit.csv"
    width = min(width, limits.MAX_COLUMNS)
    names = ["prs_Gender"] + [f"extra_{i}" for i in range(width - 1)]
    at_limit.write_text(",".join(names) + "\n"
                        + "\n".join(",".join(["Feminine"] + ["x"] * (width - 1))
                                    for _ in range(10)) + "\n")
    start, cpu = time.perf_counter(), time.process_time()
    io.read_table(at_limit)
    read, read_cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"\nwide  {columns:>9,} columns: {outcome} in {refused:.2f} s ({refused_cpu:.2f} s "
          f"CPU); {width:,} columns x 10 rows read in {read:.2f} s ({read_cpu:.2f} s CPU)")
    figures["wide"] = {"columns": columns, "outcome": outcome, "seconds": refused,
                       "cpu_seconds": refused_cpu, "limit_columns": width,
                       "limit_seconds": read, "limit_cpu_seconds": read_cpu}


def bench_duplicates(core, rounds: int, sample: int, figures: dict) -> None:
    from datetime import date

    from htcds_learn._util.frames import as_text
    from htcds_learn.validation.context import FastTable, ReferenceTable
    from htcds_learn.validation.flaws import inject_flaws
    from htcds_learn.validation.rules.duplicates import (
        likely_pairs_fast,
        likely_pairs_reference,
        normal_name,
        repeated_pairs_fast,
        repeated_pairs_reference,
    )

    dirty, truth = inject_flaws(core, rate=0.01, seed=5,
                                kinds=["repeated-record", "same-person-again"])
    rows = len(dirty)
    text = as_text(dirty, renumber=True)
    part = text.head(sample)

    def fast(frame):  # as validate_table does: one view of the table, shared by the rules
        table = FastTable(frame, date.today())
        return repeated_pairs_fast(table) + likely_pairs_fast(table)

    def reference():
        table = ReferenceTable(part, date.today())
        return repeated_pairs_reference(table) + likely_pairs_reference(table)

    on_sample = fast(part)
    result = h.compare([
        h.Contender("reference engine", reference, sample,
                    check=lambda r: r == on_sample or "other pairs", note="(on a sample)"),
        h.Contender("duplicates fast engine (ours)", lambda: fast(text), rows),
    ], rounds=rounds, baseline="reference engine",
        title=f"duplicates: {rows:,} Core rows with {len(truth):,} injected")
    found = fast(text)
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

    def person(i: int) -> tuple[str, ...]:
        return (normal_name(f"{dirty.at[i, 'prs_FirstName']} {dirty.at[i, 'prs_SecondName']}"),
                dirty.at[i, "prs_Birthdate"], dirty.at[i, "prs_Citizenship"])

    # Wrong pairs that the records cannot tell apart: the generator drew one name, birth date
    # and citizenship twice for two of its people.
    alike = sum(person(i) == person(j) for i, j in wrong)
    telling = 1 - (len(wrong) - alike) / len(found) if found else 1.0
    mine = result.figures()["duplicates fast engine (ours)"]
    print(f"  dupes: {len(injected):,} injected, {len(found):,} pairs found: precision "
          f"{precision:.4f} against the injector's truth, recall {recall:.4f}; of "
          f"{len(wrong):,} pairs not injected, {alike:,} are two synthetic people with the same "
          f"name, birth date and citizenship (no record-based method can tell them apart), "
          f"{len(wrong) - alike:,} have near names: precision {telling:.4f} counting only "
          f"those")
    figures["duplicates"] = {"rows": rows, "seconds": mine["wall_min"],
                             "seconds_median": mine["wall_median"],
                             "cpu_seconds": mine["cpu_min"],
                             "cpu_seconds_median": mine["cpu_median"],
                             "injected": len(injected), "found": len(found),
                             "precision": precision, "recall": recall,
                             "wrong_pairs": len(wrong), "wrong_pairs_same_person": alike,
                             "precision_telling_apart": telling,
                             "contenders": result.figures()}


def csv_work(rows: int):
    """For --scale: write ``rows`` Core rows as CSV, then (timed) read them with read_table."""
    from htcds_learn import io
    from htcds_learn.synth import CaseGenerator

    folder = tempfile.TemporaryDirectory()  # removed when this one-size process ends
    path = write_csv(CaseGenerator(seed=1).core_table(rows), Path(folder.name) / "core.csv")

    def read(folder: tempfile.TemporaryDirectory = folder) -> int:  # kept until the read
        return len(io.read_table(path).table)

    return read


def dupes_work(rows: int):
    """For --scale: Core rows with 1 % injected duplicates, then (timed) the two rules."""
    from datetime import date

    from htcds_learn._util.frames import as_text
    from htcds_learn.synth import CaseGenerator
    from htcds_learn.validation.context import FastTable
    from htcds_learn.validation.flaws import inject_flaws
    from htcds_learn.validation.rules.duplicates import likely_pairs_fast, repeated_pairs_fast

    dirty, _ = inject_flaws(CaseGenerator(seed=1).core_table(rows), rate=0.01, seed=5,
                            kinds=["repeated-record", "same-person-again"])
    text = as_text(dirty, renumber=True)

    def find() -> int:
        table = FastTable(text, date.today())
        return len(repeated_pairs_fast(table) + likely_pairs_fast(table))

    return find


def over_reader_limits(rows: int) -> str:
    """Why a CSV of ``rows`` Core rows is not read (the reader refuses it), or ""."""
    from htcds_learn.io import limits

    if rows > limits.MAX_ROWS:
        return (f"over the reader's limit of {limits.MAX_ROWS:,} rows (Excel's): read_table "
                "refuses such a file before parsing it, by design")
    return ""


def peak_only(kind: str, which: str, path: str) -> int:
    ours, theirs = readers(kind, Path(path))
    (ours if which == "ours" else theirs)()
    print(h.peak_mib())
    return 0


def main(argv: list[str] | None = None) -> int:
    from htcds_learn.synth import CaseGenerator

    parser = h.parser(__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(PARTS),
                        help="parts to run, among " + ", ".join(PARTS))
    parser.add_argument("--peak", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.peak:
        return peak_only(*args.peak)
    parts = set(args.only.split(","))
    if args.scale_one:
        work = {"csv": csv_work, "dupes": dupes_work}[args.only]
        print(json.dumps(h.one_size(work, args.scale_one)))
        return 0
    csv_rows, xlsx_rows, columns, width, dupe_rows, sample = (
        (2_000, 300, 20_000, 2_000, 5_000, 1_000) if args.quick else
        (1_000_000, 100_000, 100_000, 16_384, 1_000_000, 20_000))
    rounds = h.rounds_of(args) if args.rounds or args.quick else 3
    h.banner("reader and duplicates")
    start = time.perf_counter()
    needed = max(csv_rows if "csv" in parts else 0, dupe_rows if "dupes" in parts else 0,
                 xlsx_rows if "xlsx" in parts else 0)
    core = CaseGenerator(seed=1).core_table(needed) if needed else None
    print(f"prepared {needed:,} Core rows in {time.perf_counter() - start:.1f} s")
    figures: dict = {}
    if "dupes" in parts:
        bench_duplicates(core.head(dupe_rows), rounds, sample, figures)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        if "wide" in parts:
            bench_wide(folder, columns, width, figures)
        if "csv" in parts:
            path = write_csv(core.head(csv_rows), folder / "core.csv")
            bench_reader("csv", path, csv_rows, rounds, figures)
        if "xlsx" in parts:
            path = write_xlsx(core.head(xlsx_rows), folder / "core.xlsx")
            bench_reader("xlsx", path, xlsx_rows, 2 if not args.rounds else rounds, figures)
    if args.scale:
        figures["scale"] = {}
        if "csv" in parts:
            figures["scale"]["csv"] = h.scale(__file__, options=["--only", "csv"],
                                              title="read_table on a Core CSV",
                                              skip=over_reader_limits)
        if "dupes" in parts:
            figures["scale"]["dupes"] = h.scale(__file__, options=["--only", "dupes"],
                                                title="the two duplicate rules")
    h.banner("reader and duplicates (load at the end)")
    h.write_json(args.json, figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
