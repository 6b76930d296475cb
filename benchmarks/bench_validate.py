#!/usr/bin/env python3
"""Benchmark the two validation engines on a large table with injected flaws.

    python benchmarks/bench_validate.py           # 1,000,000 Core rows, about 5 % flawed
    python benchmarks/bench_validate.py --peers   # also fastjsonschema and pandera
    python benchmarks/bench_validate.py --scale   # 10k, 100k, 1M and 3M rows
    python benchmarks/bench_validate.py --quick   # 20,000 rows, 2 rounds (the test suite)
    python benchmarks/bench_validate.py --against 4e17490   # also the engine of that commit

The fast engine runs twice per round: with every rule, and without the two duplicate rules
(``repeated-record``, ``likely-same-person``, the slowest on a million rows; their speed is
the duplicates work's, measured in ``bench_io.py``). ``--against REV`` loads the package of
an older commit (``git archive``) into this process and runs its fast engine the same ways,
interleaved: the speed-up over it is printed per round, in CPU time, and its findings must
be exactly ours.

The fast engine checks every row; the reference engine (one record at a time, jsonschema)
checks a sample, interleaved with it in the same process (see ``_harness.py``). Both must
give exactly the same findings on that sample, or the benchmark fails. Peers check the
values of every field the standard defines with a list of allowed values (picklists,
countries, booleans): they count only if they flag exactly the cells our engine flags there.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import _harness as h

TODAY = date(2026, 1, 1)
DUPLICATE_RULES = ("repeated-record", "likely-same-person")


def flawed(rows: int):
    from htcds_learn.synth import CaseGenerator
    from htcds_learn.validation.flaws import inject_flaws

    core = CaseGenerator(seed=1).core_table(rows)
    return inject_flaws(core, rate=0.05, seed=1)


def validate_work(rows: int):
    """For --scale: make the flawed rows, then (timed) the fast engine over them."""
    from htcds_learn.validation import validate_table

    dirty, _ = flawed(rows)
    return lambda: validate_table(dirty, today=TODAY)


def main(argv: list[str] | None = None) -> int:
    import pandas as pd

    from htcds_learn.validation import validate_table

    parser = h.parser(__doc__.splitlines()[0])
    parser.add_argument("--against", metavar="REV",
                        help="also time the fast engine of this git commit (same process)")
    args = parser.parse_args(argv)
    if args.scale_one:
        print(json.dumps(h.one_size(validate_work, args.scale_one)))
        return 0
    rows = args.rows or (20_000 if args.quick else 1_000_000)
    sample = min(rows, 2_000 if args.quick else 20_000)
    h.banner("validation")
    dirty, truth = flawed(rows)
    print(f"prepared {rows:,} Core rows with {len(truth):,} injected flaws "
          f"({len(truth) / rows:.1%})")
    part = dirty.head(sample)
    on_sample = validate_table(part, today=TODAY).findings
    reference = validate_table(part, engine="reference", today=TODAY).findings
    agree = on_sample.equals(reference)
    if not agree:
        pd.testing.assert_frame_equal(on_sample, reference)
    ours = validate_table(dirty, today=TODAY).findings
    ours_alone = validate_table(dirty, today=TODAY, skip=DUPLICATE_RULES).findings
    print(f"findings digest (sha256 of the report as CSV): {digest(ours)} with every rule, "
          f"{digest(ours_alone)} without the duplicate rules")
    contenders = [
        h.Contender("reference engine", lambda: validate_table(
            part, engine="reference", today=TODAY), sample,
            check=lambda r: r.findings.equals(on_sample), note="(on a sample)"),
        h.Contender("fast engine (ours)", lambda: validate_table(dirty, today=TODAY), rows,
                    check=lambda r: r.findings.equals(ours)),
        h.Contender(NO_DUPLICATES, lambda: validate_table(
            dirty, today=TODAY, skip=DUPLICATE_RULES), rows,
            check=lambda r: r.findings.equals(ours_alone), note="(no duplicate rules)"),
    ]
    if args.against:
        contenders += older_engine(args.against, dirty, ours, ours_alone, rows)
    if args.peers:
        contenders += validation_peers(dirty, ours, sample)
    result = h.compare(contenders, rounds=h.rounds_of(args), baseline="reference engine",
                       title=f"validation of {rows:,} Core rows ({len(ours):,} findings; "
                             f"{ours['row'].nunique():,} rows flagged)")
    figures = result.figures()
    if args.against:
        print_speed_up(result, args.against)
    fast = figures["fast engine (ours)"]
    summary = {"rows": rows, "findings": len(ours), "agree": agree,
               "fast_per_second": fast["per_second"],
               "fast_per_second_median": fast["per_second_median"],
               "reference_per_second": figures["reference engine"]["per_second"],
               "speed_up": fast["ratio_median"], "contenders": figures}
    if args.scale:
        summary["scale"] = h.scale(__file__)
    h.write_json(args.json, summary)
    return 0 if agree else 1


NO_DUPLICATES = "fast engine, no dup. rules"


def digest(findings) -> str:
    """A short fingerprint of a report: equal reports, equal digests (to compare commits)."""
    return hashlib.sha256(findings.to_csv(index=False).encode()).hexdigest()[:16]


def older_engine(revision: str, dirty, ours, ours_alone, rows: int) -> list:
    """The fast engine of an older commit, with and without the duplicate rules: its package
    from ``git archive``, imported under another name beside ours."""
    root = Path(__file__).resolve().parents[1]
    name = "htcds_learn_at_" + "".join(c for c in revision if c.isalnum())
    folder = Path(tempfile.mkdtemp(prefix="bench-validate-"))
    archive = subprocess.run(["git", "-C", str(root), "archive", revision, "htcds_learn"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    (folder / "htcds_learn").rename(folder / name)
    sys.path.insert(0, str(folder))
    old = importlib.import_module(f"{name}.validation")
    registry = importlib.import_module(f"{name}.validation.registry").RULES

    def without_duplicates():
        saved = {code: registry.pop(code) for code in DUPLICATE_RULES if code in registry}
        try:
            return old.validate_table(dirty, today=TODAY)
        finally:
            registry.update(saved)

    return [h.Contender(f"fast engine at {revision}", lambda: old.validate_table(
                dirty, today=TODAY), rows, check=lambda r: r.findings.equals(ours)),
            h.Contender(f"no dup. rules at {revision}", without_duplicates, rows,
                        check=lambda r: r.findings.equals(ours_alone))]


def print_speed_up(result, revision: str) -> None:
    """Our CPU speed over the older commit's, round by round (same data, same process)."""
    for ours, theirs in (("fast engine (ours)", f"fast engine at {revision}"),
                         (NO_DUPLICATES, f"no dup. rules at {revision}")):
        if result.agree.get(theirs) is not True or result.agree.get(ours) is not True:
            print(f"  {theirs}: {result.agree.get(theirs)}")
            continue
        ratios = [old / new for old, new in zip(result.timings[theirs].cpu,
                                                result.timings[ours].cpu)]
        print(f"  {ours} over {theirs}, CPU per round: "
              + ", ".join(f"{r:.2f}x" for r in ratios))


def listed_fields(columns) -> dict[str, set[str]]:
    """The single-value fields with a fixed list of allowed values, and the values."""
    from htcds_learn.model import schema

    allowed = {}
    for name in columns:
        f = schema.known_columns().get(name)
        if f is None or f.value_kind.multiple:
            continue
        enum = f.value_kind.text_schema(f).get("enum")
        if enum:
            allowed[name] = set(enum)
    return allowed


def flagged_cells(findings, allowed: dict[str, set[str]]) -> set[tuple[int, str]]:
    """(row position, column) of our value findings in those fields."""
    from htcds_learn.validation.registry import RULES
    from htcds_learn.validation.rules.values import ValueRule

    value_rules = {code for code, rule in RULES.items() if isinstance(rule, ValueRule)}
    picked = findings[findings["rule"].isin(value_rules) & findings["field"].isin(
        list(allowed))]
    first = int(findings.attrs.get("first_row", 2)) if hasattr(findings, "attrs") else 2
    return {(int(r) - first, f) for r, f in zip(picked["row"], picked["field"])}


def validation_peers(dirty, ours, sample: int) -> list:
    """fastjsonschema (one row at a time, on the sample) and pandera (whole columns)."""
    from htcds_learn._util.frames import as_text

    text = as_text(dirty, renumber=True)
    allowed = listed_fields(text.columns)
    if not allowed:
        return []
    expected = flagged_cells(ours, allowed)
    on_part = {(r, c) for r, c in expected if r < sample}
    found = []
    fastjsonschema = h.peer("fastjsonschema")
    if fastjsonschema is not None:
        module, version = fastjsonschema
        checks = {c: module.compile({"enum": sorted(v)}) for c, v in allowed.items()}
        records = text[list(allowed)].head(sample).to_dict("records")

        def with_fastjsonschema() -> set[tuple[int, str]]:
            bad = set()
            for position, record in enumerate(records):
                for column, value in record.items():
                    if value.strip() == "":
                        continue
                    try:
                        checks[column](value)
                    except module.JsonSchemaValueException:
                        bad.add((position, column))
            return bad

        found.append(h.Contender("fastjsonschema", with_fastjsonschema, sample, version=version,
                                 check=lambda r: r == on_part or f"{len(r ^ on_part)} cells "
                                                                 "differ",
                                 note="(picklist fields, on a sample)"))
    pandera = h.peer("pandera.pandas", "pandera")
    if pandera is not None:
        pa, version = pandera
        schema = pa.DataFrameSchema({c: pa.Column(str, pa.Check(
            lambda s, ok=frozenset(v): s.isin(ok) | (s.str.strip() == ""),
            element_wise=False)) for c, v in allowed.items()})
        part = text[list(allowed)]

        def with_pandera() -> set[tuple[int, str]]:
            try:
                schema.validate(part, lazy=True)
            except pa.errors.SchemaErrors as errors:
                cases = errors.failure_cases
                cases = cases[cases["index"].notna()]
                return {(int(i), c) for i, c in zip(cases["index"], cases["column"])}
            return set()

        found.append(h.Contender("pandera", with_pandera, len(text), version=version,
                                 check=lambda r: r == expected or f"{len(r ^ expected)} cells "
                                                                  "differ",
                                 note="(picklist fields)"))
    return found


if __name__ == "__main__":
    sys.exit(main())
