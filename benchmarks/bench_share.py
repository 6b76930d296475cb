#!/usr/bin/env python3
"""Benchmark safe sharing: the research release, k and l, pseudonyms, and the LP audit.

    python benchmarks/bench_share.py            # 1,000,000 records, 5 interleaved rounds
    python benchmarks/bench_share.py --peers    # also polars and pycanon, where installed
    python benchmarks/bench_share.py --scale    # the release at 10k, 100k, 1M and 3M records
    python benchmarks/bench_share.py --quick    # 20,000 records, 2 rounds (the test suite)

The research release is timed whole (consent to the final checks), and its k is measured
again here, independently, with a plain pandas groupby over every released column. k and l
are compared with a plain pandas groupby, a per-record Python loop and the peers; pseudonyms
with a stdlib ``hmac`` loop. Everything runs interleaved in this one process (see
``_harness.py``), and every contender must give our result before its time counts.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sys
from collections import Counter, defaultdict

import _harness as h


def naive_k_and_l(rows: list[tuple], sensitive: list) -> tuple[int, int]:
    """k and l the obvious way: a dictionary of classes, one record at a time."""
    sizes: Counter = Counter()
    values: dict = defaultdict(set)
    for key, value in zip(rows, sensitive):
        sizes[key] += 1
        if value != "":
            values[key].add(value)
    return min(sizes.values()), min((len(v) for v in values.values()), default=0)


def pandas_k_and_l(table, quasi: list[str], sensitive: str) -> tuple[int, int]:
    """k and l with a plain pandas groupby (a blank is no value; classes with none skipped)."""
    frame = table[quasi].copy()
    frame["_s"] = table[sensitive].where(table[sensitive] != "")
    groups = frame.groupby(quasi, dropna=False, observed=True, sort=False)
    k = int(groups.size().min())
    distinct = groups["_s"].nunique()
    return k, int(distinct[distinct > 0].min()) if (distinct > 0).any() else 0


def naive_pseudonyms(values: list[str], key: bytes) -> list[str]:
    return ["P-" + hmac.new(key, v.encode(), hashlib.sha256).hexdigest()[:16] for v in values]


def release_work(rows: int):
    """For --scale: make the records, then (timed) the research release."""
    from htcds_learn import privacy
    from htcds_learn.synth import CaseGenerator

    core = CaseGenerator(seed=1).core_table(rows)
    return lambda: privacy.share(core, purpose="research")


def main(argv: list[str] | None = None) -> int:
    import numpy as np
    import pandas as pd

    from htcds_learn import privacy
    from htcds_learn.synth import CaseGenerator

    args = h.parser(__doc__.splitlines()[0]).parse_args(argv)
    if args.scale_one:
        print(json.dumps(h.one_size(release_work, args.scale_one)))
        return 0
    rows = args.rows or (20_000 if args.quick else 1_000_000)
    sample = min(rows, 5_000 if args.quick else 100_000)
    shape = (6, 4) if args.quick else (50, 20)
    rounds = h.rounds_of(args)
    h.banner("sharing")
    core = CaseGenerator(seed=1).core_table(rows)
    key = privacy.new_key()
    figures: dict = {"rows": rows, "rounds": rounds}

    release = privacy.share(core, purpose="research")
    table, report = release.table, release.report
    columns = [c for c in table.columns if c != "pseudonym"]
    plain_k = int(table[columns].astype(str).groupby(columns).size().min())
    assert plain_k == report.k_achieved >= 11, (plain_k, report.k_achieved)
    share = h.compare([h.Contender("share (research)", lambda: privacy.share(
        core, purpose="research"), rows, check=lambda r: r.report.k_achieved == plain_k)],
        rounds=min(rounds, 3), baseline="share (research)",
        title=f"research release of {rows:,} records")
    figures["share"] = share.figures()["share (research)"]
    figures.update(pipeline_seconds=figures["share"]["wall_min"], rows_out=report.rows_out,
                   k_achieved=report.k_achieved, values_kept=report.values_kept,
                   rows_kept=report.rows_out / max(report.rows_in_consented, 1))
    print(f"  -> {report.rows_out:,} records, k = {report.k_achieved} over all {len(columns)} "
          f"columns (checked by a plain groupby), {figures['rows_kept']:.0%} of consented "
          f"rows and {report.values_kept:.0%} of values kept; coarsened: "
          f"{'; '.join(f'{c} to {v}' for c, v in report.recoded.items()) or 'nothing'}.")

    quasi = report.known_by["public"]
    single = [c for c in columns if c not in quasi and not
              table[c].astype(str).str.contains(";", regex=False).any()]
    sensitive = single[0] if single else [c for c in columns if c not in quasi][0]
    expected = privacy.k_and_l(table, quasi, sensitive)
    assert expected == pandas_k_and_l(table, quasi, sensitive), expected
    # The release pipeline holds its generalised columns as categoricals (codes per row):
    coded = table[[*quasi, sensitive]].astype("category")
    k_and_l = h.compare([
        h.Contender("pandas groupby", lambda: pandas_k_and_l(coded, quasi, sensitive),
                    len(coded), check=lambda r: r == expected, version=pd.__version__),
        h.Contender("k_and_l (ours)", lambda: privacy.k_and_l(coded, quasi, sensitive),
                    len(coded), check=lambda r: r == expected),
    ], rounds=rounds, baseline="pandas groupby",
        title=f"k and l on categorical columns, as the release pipeline holds them: "
              f"{len(table):,} rows x {len(quasi)} quasi-identifiers, l of {sensitive} "
              f"(k = {expected[0]}, l = {expected[1]})")
    figures["k_and_l"] = k_and_l.figures()
    figures.update(k_and_l_seconds=figures["k_and_l"]["k_and_l (ours)"]["wall_min"],
                   k_and_l_speed_up=figures["k_and_l"]["k_and_l (ours)"]["ratio_median"])

    part = table.head(sample)
    part_rows = list(part[quasi].itertuples(index=False, name=None))
    part_values = part[sensitive].tolist()
    naive_expected = privacy.k_and_l(part, quasi, sensitive)
    contenders = [
        h.Contender("pandas groupby", lambda: pandas_k_and_l(table, quasi, sensitive),
                    len(table), check=lambda r: r == expected, version=pd.__version__),
        h.Contender("k_and_l (ours)", lambda: privacy.k_and_l(table, quasi, sensitive),
                    len(table), check=lambda r: r == expected),
        h.Contender("per-record loop", lambda: naive_k_and_l(part_rows, part_values), sample,
                    check=lambda r: r == naive_expected, note="(on a sample)"),
    ]
    if args.peers:
        contenders += k_and_l_peers(table, quasi, sensitive, expected)
    text = h.compare(contenders, rounds=rounds, baseline="pandas groupby",
                     title="k and l on text columns, as a partner reads the file")
    figures["k_and_l_text"] = text.figures()

    ids = core[["person_id"]]
    values = core["person_id"].tolist()
    ours = privacy.pseudonymise(ids, ["person_id"], key)["person_id"].tolist()
    pseudonyms = h.compare([
        h.Contender("stdlib hmac loop", lambda: naive_pseudonyms(values, key), rows,
                    check=lambda r: r == ours),
        h.Contender("pseudonymise (ours)",
                    lambda: privacy.pseudonymise(ids, ["person_id"], key), rows,
                    check=lambda r: r["person_id"].tolist() == ours),
    ], rounds=rounds, baseline="stdlib hmac loop", title=f"pseudonyms of {rows:,} person ids")
    figures["pseudonyms"] = pseudonyms.figures()
    figures.update(pseudonyms_per_second=figures["pseudonyms"]["pseudonymise (ours)"][
        "per_second"])

    rng = np.random.default_rng(7)
    counts = pd.DataFrame(rng.poisson(rng.choice([3, 40], size=shape, p=[0.3, 0.7])))
    audit = h.compare([h.Contender("protect_table", lambda: privacy.protect_table(
        counts, threshold=11), shape[0] * shape[1])], rounds=min(rounds, 3),
        baseline="protect_table", title=f"LP audit of a {shape[0]} x {shape[1]} table")
    protected = privacy.protect_table(counts, threshold=11)
    hidden = int(protected.hidden.to_numpy().sum())
    primary = int((protected.reason == "primary").to_numpy().sum())
    figures.update(lp_audit_seconds=audit.figures()["protect_table"]["wall_min"],
                   lp_hidden=hidden, lp_narrowest=protected.narrowest())
    print(f"  -> {primary} small counts and {hidden - primary} more hidden; narrowest interval "
          f"an attacker gets: {protected.narrowest():.0f}")
    if args.scale:
        figures["scale"] = h.scale(__file__)
    h.write_json(args.json, figures)
    return 0


def k_and_l_peers(table, quasi: list[str], sensitive: str, expected: tuple[int, int]) -> list:
    """polars and pycanon, where installed, on the same table (converted before timing)."""
    found = []
    polars = h.peer("polars")
    if polars is not None:
        pl, version = polars
        polars_frame = pl.from_pandas(table[[*quasi, sensitive]].astype(str))

        def with_polars() -> tuple[int, int]:
            s = pl.col(sensitive)
            per = polars_frame.group_by(quasi).agg(pl.len().alias("n"),
                                            s.filter(s != "").n_unique().alias("l"))
            recorded = per.filter(pl.col("l") > 0)
            return int(per["n"].min()), int(recorded["l"].min()) if len(recorded) else 0

        found.append(h.Contender("polars", with_polars, len(table),
                                 check=lambda r: r == expected, version=version))
    pycanon = h.peer("pycanon")
    if pycanon is not None:
        module, version = pycanon
        from pycanon import anonymity

        frame = table[[*quasi, sensitive]].astype(str)
        recorded = frame[frame[sensitive] != ""].reset_index(drop=True)

        def with_pycanon() -> tuple[int, int]:
            return (int(anonymity.k_anonymity(frame, quasi)),
                    int(anonymity.l_diversity(recorded, quasi, [sensitive])))

        found.append(h.Contender("pycanon", with_pycanon, len(table), version=version,
                                 check=lambda r: r == expected or f"gave {r}, not {expected}"))
    return found


if __name__ == "__main__":
    sys.exit(main())
