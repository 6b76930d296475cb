#!/usr/bin/env python3
"""Play issue 11's attacks against ``share`` and print what each one gets, before and after.

    python benchmarks/attack_share.py                        # this tree only
    python benchmarks/attack_share.py --before /work/wt/old11  # also an older tree, side by side

The attacks are written here, independently of the library: k is a plain pandas groupby over
every released column, the linear-programming attacker is its own ``linprog`` call, the
dictionary attacker computes HMACs himself. The same 5,000 generated cases (a CSV made once,
``--data``) are read by both trees through their own ``io.read_table``. ``--before TREE``
runs this script again with TREE's ``.venv`` (so TREE's ``htcds_learn``), reads its figures
as JSON, and prints both columns. An attack the code refuses is shown as "refused".
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

K = 11
CASES = 5000
SEED = 0
NAMES = ["Musa", "Ibrahim", "Муса", "Ибрагим", "มูซา"]
# The 31 ways people write a name, a phone number, an e-mail or an ID number in a note.
VARIANTS = [
    "MUSA IBRAHIM called", "спросите Мусу Ибрагима", "Мусы нет", "คุณมูซาโทรมา",
    "musa at example dot com", "musa (at) example (dot) com", "musa＠example．com",
    "0803.123.4567", "0803-123-4567", "0803 123 4567", "(0803) 123 4567", "+234 803 123 4567",
    "5551234", "555 1234", "０８０３１２３４５６７", "passport A12345678", "ID AB-1234567",
    "Ibrahim's phone", "musa.ibrahim@example.org", "MUSA@EXAMPLE.ORG",
    "Мусой", "Ибрагимом", "ქართული ტექსტი", "musa ibrahim", "Musa, Ibrahim",
    "call 0803/123/4567", "Ｍｕｓａ", "mail: musa [at] example [dot] org",
    "tel 0803 1234567", "num 08031234567", "Musa.",
]
LEAK_PARTS = ("Musa", "musa", "MUSA", "Ibrahim", "Мус", "Ибрагим", "มูซา", "0803", "555",
              "A12345678", "1234567", "example", "ქართული")
PICKLIST_LEAKS = ["Musa Ibrahim", "0803 123 4567", "A12345678"]
PICKLISTS = ("vic_MethodsOfControl", "vic_TypeOfExploitation", "prs_Gender",
             "vic_MethodOfRecruitment")
MULTISELECT = {"vic_TypeOfExploitation", "vic_MethodsOfControl"}


# --- reading the tree under attack -----------------------------------------------------------

def library():
    from htcds_learn import privacy as pv
    return pv, hasattr(pv, "Ledger")  # the new privacy package has a ledger


def refused(error: Exception) -> str:
    return "refused: " + str(error).split("\n")[0][:90]


def plain_k(table: pd.DataFrame, columns: list[str]) -> int:
    if not len(table):
        return 0
    return int(table[columns].astype(str).groupby(columns, dropna=False).size().min())


def released(table: pd.DataFrame) -> list[str]:
    return [c for c in table.columns if c != "pseudonym"]


def research(core: pd.DataFrame, *, key: bytes | None = None, **kw):
    """(release table, reported k, the release object or report)."""
    pv, new = library()
    if new:
        r = pv.share(core, purpose="research", k=K, key=key, recipient="University", **kw)
        return r.table, r.report.k_achieved, r
    safe, report = pv.share(core, purpose="research", k=K, key=key)
    return safe, report.k_achieved, report


def generalised_originals(core: pd.DataFrame, release) -> pd.DataFrame:
    """Every consented record with the release's own method applied, nothing suppressed: what
    someone holding the original records (or knowing a person's facts) compares with."""
    pv, new = library()
    kept = core[pv.with_consent(core)]
    if new:
        values = {}
        for column in release.draft.purpose.columns:
            if not column.available(kept):
                continue
            v = column.derive(kept, K)[0]
            level = release.report.recoded.get(column.name)
            if level:
                v = next(lv for lv in column.levels if lv.name == level).apply(v, K)
            values[column.name] = v.astype(str)
        return pd.DataFrame(values).reset_index(drop=True)
    saved = pv.suppress_to_k, pv._check_release
    pv.suppress_to_k = lambda table, *a, **kw: (table.copy(), {"rows removed": 0})
    pv._check_release = lambda *a, **kw: None
    try:
        table, _ = pv.share(core, purpose="research", k=K)
    finally:
        pv.suppress_to_k, pv._check_release = saved
    return table.astype(str).reset_index(drop=True)


def codes(left: pd.DataFrame, right: pd.DataFrame, columns: list[str]
          ) -> tuple[np.ndarray, np.ndarray, int]:
    """Both tables' values as shared integer codes (blank is code 0)."""
    a = np.zeros((len(left), len(columns)), dtype=np.int64)
    b = np.zeros((len(right), len(columns)), dtype=np.int64)
    for n, column in enumerate(columns):
        both = pd.concat([left[column].astype(str), right[column].astype(str)])
        c, uniques = pd.factorize(both)
        blank = {i for i, u in enumerate(uniques) if u in ("", "nan", "<NA>", "None")}
        c = np.where(np.isin(c, list(blank)), -1, c) + 1
        a[:, n], b[:, n] = c[:len(left)], c[len(left):]
    return a, b, 0


def candidates(release: np.ndarray, known: np.ndarray, *, blank_matches_in: str) -> np.ndarray:
    """For each row of ``known``: how many rows of ``release`` it is consistent with.

    A blank in the release was suppressed, so it matches anything (``blank_matches_in`` =
    "release"); a blank in ``known`` says nothing (= "known")."""
    out = np.zeros(len(known), dtype=np.int64)
    unique, inverse = np.unique(known, axis=0, return_inverse=True)
    counts = np.zeros(len(unique), dtype=np.int64)
    for n, row in enumerate(unique):
        if blank_matches_in == "release":
            match = ((release == row) | (release == 0)).all(axis=1)
        else:
            match = ((release == row) | (row == 0)).all(axis=1)
        counts[n] = match.sum()
    out[:] = counts[inverse.ravel()]
    return out


def only(originals: np.ndarray, row: np.ndarray) -> int:
    """The position of the one record a release row matches (blanks in the row match all)."""
    return int(np.flatnonzero(((originals == row) | (row == 0)).all(axis=1))[0])


# --- the attacks --------------------------------------------------------------------------------

def attack_research(core: pd.DataFrame, figures: dict) -> None:
    table, k_reported, release = research(core)
    cols = released(table)
    text = table[cols].astype(str)
    figures["research: k reported"] = k_reported
    figures["research: k over every released column"] = plain_k(table, cols)
    figures["research: rows released / consented"] = (
        f"{len(table):,} / {int(library()[0].with_consent(core).sum()):,}")
    figures["research: columns released"] = len(cols)
    if "vic_MethodsOfControl" in table:
        seen = text["vic_MethodsOfControl"].value_counts()
        figures["research: distinct vic_MethodsOfControl (seen once)"] = (
            f"{len(seen):,} ({int((seen == 1).sum()):,})")
    sizes = text.groupby(cols, dropna=False)[cols[0]].transform("size")
    figures["research: rows unique over their content"] = f"{int((sizes == 1).sum()):,}"

    cost(table, int(library()[0].with_consent(core).sum()), "research", figures)

    originals = generalised_originals(core, release)
    shared = [c for c in cols if c in originals]
    rel, orig, _ = codes(text, originals, shared)
    found = candidates(orig, rel, blank_matches_in="known")
    figures["content linkage: release rows matching exactly 1 record"] = (
        f"{(found == 1).mean():.0%} ({int((found == 1).sum()):,})")
    figures["content linkage: fewest records a row matches"] = int(found.min())

    # The perpetrator: he applies the published method to what he knows about 500 victims.
    victims = originals.head(500)
    for label, known in (("gender + control", ["gender", "vic_MethodsOfControl"]),
                         ("gender + control + recruitment",
                          ["gender", "vic_MethodsOfControl", "vic_MethodOfRecruitment"])):
        rel_k, vic_k, _ = codes(text, victims, known)
        hits = candidates(rel_k, vic_k, blank_matches_in="release")
        figures[f"perpetrator ({label}): victims found uniquely of 500"] = int((hits == 1).sum())
        figures[f"perpetrator ({label}): fewest candidate rows"] = int(hits.min())

    # Row order: for rows that match one record, does release order follow input order?
    matched = [(i, only(orig, row)) for i, row in enumerate(rel) if found[i] == 1]
    if len(matched) > 1:
        order = pd.DataFrame(matched, columns=["release", "input"])
        rho = order["release"].corr(order["input"], method="spearman")
        figures["row order: rank correlation, release vs input"] = (
            f"{rho:.2f} over {len(matched):,} rows matched to one record")
    else:
        figures["row order: rank correlation, release vs input"] = (
            "no row matches one record")
    figures["row order: rows sorted by content"] = bool(
        text.equals(text.sort_values(cols, kind="stable")))


def cost(table: pd.DataFrame, consented: int, name: str, figures: dict) -> None:
    """What a release keeps: rows of the consented records, and values not blanked."""
    cols = released(table)
    text = table[cols].astype(str)
    filled = ~text.isin(["", "nan", "None", "<NA>"])
    figures[f"cost ({name}): rows kept of consented"] = f"{len(table) / consented:.1%}"
    figures[f"cost ({name}): values kept (not blank)"] = (
        f"{filled.to_numpy().sum() / (consented * len(cols)):.1%} of {len(cols)} columns")
    if name == "research":
        figures["cost (research): kept per column"] = ", ".join(
            f"{c.replace('vic_', '')} {filled[c].sum() / consented:.0%}" for c in cols)


def attack_strict_old(core: pd.DataFrame, figures: dict) -> None:
    """The old code, asked for k = 11 over every column it releases: what that would cost."""
    pv, new = library()
    if new:
        return
    safe, _ = pv.share(core, purpose="research", k=K)
    try:
        strict, _ = pv.share(core, purpose="research", k=K,
                             quasi_identifiers=released(safe))
        cost(strict, int(pv.with_consent(core).sum()), "research, old code, k over all",
             figures)
    except pv.SharingError as error:
        figures["cost (research, old code, k over all): rows kept of consented"] = \
            refused(error)


def attack_pseudonyms(core: pd.DataFrame, figures: dict) -> None:
    pv, new = library()
    key = pv.new_key()
    first = research(core, key=key)[0]
    second = research(core, key=key)[0]
    joined = first.merge(second, on="pseudonym")
    figures["two releases, one key: rows joined by pseudonym"] = f"{len(joined):,}"
    if new:
        reason = "follow-up of the same cohort, agreed in the DSA"
        a = research(core, key=key, linkable=reason)
        b = research(core, key=key, linkable=reason)
        figures["  (asked for --linkable with a reason: rows joined)"] = (
            f"{len(a[0].merge(b[0], on='pseudonym')):,}, reason in report: "
            f"{reason in a[2].report.to_markdown()}")


def attack_difference(core: pd.DataFrame, figures: dict) -> None:
    pv, new = library()
    consented = core.index[pv.with_consent(core)]
    added = consented[-1]
    before, after = core.drop(index=added), core
    r1, r2 = research(before)[0], research(after)[0]
    c1 = Counter(r1[released(r1)].astype(str).itertuples(index=False, name=None))
    c2 = Counter(r2[released(r2)].astype(str).itertuples(index=False, name=None))
    plus, minus = c2 - c1, c1 - c2
    figures["differencing (no ledger): rows added / removed"] = (
        f"{sum(plus.values())} / {sum(minus.values())}"
        + (" -> the new case isolated" if sum(plus.values()) == 1 and not minus else ""))
    if new:
        with tempfile.TemporaryDirectory() as folder:
            ledger = pv.Ledger(Path(folder) / "ledger.json")
            pv.share(before, purpose="research", recipient="University",
                     ledger=ledger).write(Path(folder) / "r1")
            try:
                pv.share(after, purpose="research", recipient="University", ledger=ledger)
                figures["differencing (ledger, as the CLI does)"] = "second release made"
            except pv.SharingError as error:
                figures["differencing (ledger, as the CLI does)"] = refused(error)


def cli(*args: str, cwd: str) -> subprocess.CompletedProcess:
    program = "import sys; from htcds_learn.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", program, *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def attack_keys(core: pd.DataFrame, data: str, figures: dict) -> None:
    pv, new = library()
    weak = base64.b64encode(b"password12345678")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "weak.key"
        path.write_text(("htcds-learn pseudonym key v1\n" if new else "")
                        + weak.decode() + "\n", encoding="ascii")
        path.chmod(0o600)
        try:
            key = pv.load_key(path)
        except pv.SharingError as error:
            figures["key base64('password12345678'): accepted"] = refused(error)
            key = None
        if key is not None:
            figures["key base64('password12345678'): accepted"] = f"yes ({len(key)} bytes)"
            table = research(core, key=key)[0]
            # The attacker knows the case and person ids (from earlier paperwork) and tries
            # a dictionary of human keys, each as the raw text and as its base64.
            kept = core[pv.with_consent(core)]
            ids = (kept["case_id"].astype(str) + "|" + kept["person_id"].astype(str)).tolist()
            words = [f"{w}{d}" for w in ("secret", "letmein", "qwerty", "admin", "welcome",
                                         "iloveyou", "dragon", "monkey", "passw0rd", "password")
                     for d in ["", "1", "123", "1234", "12345", "123456", "12345678", "2023",
                               "2024", "!", "123!"]]
            target = set(table["pseudonym"])
            start = time.perf_counter()
            found = None
            for word in words:
                for guess in (word.encode(), base64.b64encode(word.encode())):
                    probe = "P-" + hmac.new(guess, ids[0].encode(), hashlib.sha256
                                            ).hexdigest()[:16]
                    if probe in target:
                        found = guess
                        break
                if found:
                    break
            seconds = time.perf_counter() - start
            if found:
                mapped = {"P-" + hmac.new(found, i.encode(), hashlib.sha256).hexdigest()[:16]
                          for i in ids}
                figures["  dictionary attack: key found, pseudonyms mapped back"] = (
                    f"in {seconds:.2f} s of {len(words) * 2} guesses; "
                    f"{len(target & mapped) / len(target):.0%} of pseudonyms")
            else:
                figures["  dictionary attack: key found, pseudonyms mapped back"] = "no"

        # A key inside the release folder; a key others can read; --new-key onto the data.
        out = Path(folder) / "release"
        out.mkdir()
        inside = out / "key"
        pv.save_key(pv.new_key(), inside)
        run = cli("share", data, "--purpose", "research", "--key-file", str(inside),
                  "--out", str(out), cwd=folder)
        leaked = (out / "shared.csv").exists()
        figures["CLI: key inside the release folder"] = (
            f"exit {run.returncode}, release written beside its key: {leaked}")
        readable = Path(folder) / "readable.key"
        pv.save_key(pv.new_key(), readable)
        readable.chmod(0o644)
        out2 = Path(folder) / "release2"
        run = cli("share", data, "--purpose", "research", "--key-file", str(readable),
                  "--out", str(out2), cwd=folder)
        figures["CLI: key readable by others (0644)"] = (
            f"exit {run.returncode}, release written: {(out2 / 'shared.csv').exists()}")
        copy = Path(folder) / "cases.csv"
        copy.write_bytes(Path(data).read_bytes())
        size = copy.stat().st_size
        run = cli("share", "--new-key", str(copy), cwd=folder)
        figures["CLI: --new-key onto the data file"] = (
            f"exit {run.returncode}, data file {size:,} -> {copy.stat().st_size:,} bytes")


def attack_text(core: pd.DataFrame, figures: dict) -> None:
    pv, new = library()
    notes = pd.DataFrame({"cas_Notes": VARIANTS})
    found = pv.scan_text(notes, names=NAMES, columns=["cas_Notes"])
    redacted = pv.redact(notes, found)["cas_Notes"].tolist()
    through = [v for v, r in zip(VARIANTS, redacted) if any(p in r for p in LEAK_PARTS)]
    figures["free text: variants let through of 31"] = len(through)

    dirty = core.copy()
    for n, leak in enumerate(PICKLIST_LEAKS * 6):
        row = dirty.index[n * 7]
        for column in PICKLISTS:
            dirty.loc[row, column] = leak if n % 2 else f"PhysicalAbuse;{leak}"
    for purpose in ("research", "ctdc"):
        try:
            if new:
                release = pv.share(dirty, purpose=purpose, recipient="X")
                text = "".join(release.files().values())
            else:
                safe, _ = pv.share(dirty, purpose=purpose, k=K)
                text = (pv.to_ctdc(safe) if purpose == "ctdc" else safe).to_csv(index=False)
            leaks = sum(text.count(leak) for leak in PICKLIST_LEAKS)
            figures[f"free text in picklists -> {purpose} file: occurrences"] = leaks
        except pv.SharingError as error:
            figures[f"free text in picklists -> {purpose} file: occurrences"] = refused(error)


def attack_l(figures: dict) -> None:
    pv, _ = library()
    variants = ["SexualExploitation", "sexual exploitation", "Sexual Exploitation",
                "SEXUALEXPLOITATION", "sexual_exploitation;", "Sexual exploitation;"]
    table = pd.DataFrame({"q": ["a"] * 6, "vic_TypeOfExploitation": variants})
    figures["l: one value in 6 spellings (true l = 1)"] = pv.l_diversity(
        table, ["q"], "vic_TypeOfExploitation")
    every = pd.DataFrame({"q": ["a"] * 4, "vic_TypeOfExploitation": [
        "SexualExploitation", "ForcedLabour;SexualExploitation",
        "SexualExploitation;ForcedMarriage", "Servitude;SexualExploitation"]})
    figures["l: multi-select, every row has SexualExploitation (true l = 1)"] = pv.l_diversity(
        every, ["q"], "vic_TypeOfExploitation")
    figures["k of ['x', 'x\\x00'] (true k = 1)"] = pv.k_anonymity(
        pd.DataFrame({"x": ["x", "x\x00"]}), ["x"])


def attacker_interval(published: np.ndarray, cell: tuple[int, int]) -> tuple[float, float]:
    """The LP attacker, written here: hidden entries of a table with totals, counts >= 0."""
    from scipy.optimize import linprog

    hidden = np.argwhere(np.isnan(published))
    index = {tuple(h): n for n, h in enumerate(hidden)}
    rows, cols = published.shape
    a, b = [], []
    lines = [[(i, j) for j in range(cols)] for i in range(rows)] + \
        [[(i, j) for i in range(rows)] for j in range(cols)]
    for line in lines:
        coefficients, known = np.zeros(len(hidden)), 0.0
        for position, (i, j) in enumerate(line):
            sign = -1.0 if position == len(line) - 1 else 1.0
            if (i, j) in index:
                coefficients[index[(i, j)]] += sign
            else:
                known += sign * published[i, j]
        if coefficients.any():
            a.append(coefficients)
            b.append(-known)
    objective = np.zeros(len(hidden))
    objective[index[cell]] = 1
    low = linprog(objective, A_eq=np.array(a), b_eq=np.array(b), bounds=(0, None))
    high = linprog(-objective, A_eq=np.array(a), b_eq=np.array(b), bounds=(0, None))
    return round(low.fun), (np.inf if high.status == 3 else round(-high.fun))


def attack_tables(figures: dict) -> None:
    pv, _ = library()
    rng = np.random.default_rng(400)
    small_totals = exact = within_one = below_k = 0
    start = time.perf_counter()
    for _ in range(400):
        shape = (int(rng.integers(2, 6)), int(rng.integers(2, 5)))
        counts = pd.DataFrame(rng.poisson(rng.choice([2, 6, 30], size=shape,
                                                     p=[0.35, 0.25, 0.4])))
        published, _ = pv.suppress_small_cells(counts, threshold=K)
        shown = published.to_numpy(dtype=float, na_value=np.nan)
        truth = counts.to_numpy()
        full = np.zeros(shown.shape)
        full[:-1, :-1] = truth
        full[:-1, -1], full[-1, :-1], full[-1, -1] = truth.sum(1), truth.sum(0), truth.sum()
        totals = np.concatenate([shown[-1, :], shown[:-1, -1]])
        small_totals += bool(((totals > 0) & (totals < K)).any())
        widths = [np.subtract(*attacker_interval(shown, (int(i), int(j)))[::-1])
                  for i, j in np.argwhere(np.isnan(shown) & (full > 0) & (full < K))]
        exact += any(w == 0 for w in widths)
        within_one += any(w <= 2 for w in widths)
        below_k += any(w < K for w in widths)
    figures["400 tables: publish a total from 1 to 10"] = small_totals
    figures["400 tables: a hidden small count recovered exactly"] = exact
    figures["400 tables: ... recovered to +-1"] = within_one
    figures["400 tables: ... narrowed below k"] = below_k
    figures["400 tables: seconds (suppression + attack)"] = round(
        time.perf_counter() - start, 1)
    published, _ = pv.suppress_small_cells(pd.DataFrame([[4, 8], [0, 0]]), threshold=K)
    figures["[[4, 8], [0, 0]] published"] = str(
        published.to_numpy(dtype=float, na_value=np.nan).tolist()).replace("nan", "-")


def attack_ctdc(core: pd.DataFrame, figures: dict) -> None:
    pv, new = library()
    if new:
        release = pv.share(core, purpose="ctdc", recipient="CTDC")
        table, reported = release.table, release.report.k_achieved
    else:
        safe, report = pv.share(core, purpose="ctdc", k=K)
        table, reported = pv.to_ctdc(safe), report.k_achieved
    plain = [c for c in table.columns if not c.startswith(("meansOfControl", "is"))]
    cost(table[plain], int(pv.with_consent(core).sum()), "ctdc, columns other than flags",
         figures)
    figures["ctdc: k reported / k over the final file, flags included"] = (
        f"{reported} / {plain_k(table, list(table.columns))} ({len(table.columns)} columns, "
        f"{len(table):,} rows)")


def attack_referral(core: pd.DataFrame, figures: dict) -> None:
    pv, new = library()
    dirty = core.copy()
    dirty["con_ConsentToRefer"] = [i % 3 != 0 for i in range(len(dirty))]
    partner = dirty["cas_ReferredOrganisation"].replace("", np.nan).dropna().mode()[0]
    try:
        if new:
            table = pv.share(dirty, purpose="referral", recipient=partner).table
        else:
            table, _ = pv.share(dirty, purpose="referral")
        figures["referral: made"] = f"{len(table):,} people, {len(table.columns)} fields"
    except pv.SharingError as error:
        figures["referral: made"] = refused(error)


def run_attacks(data: str) -> dict:
    from htcds_learn import io

    core = io.read_table(data).table
    figures: dict = {}
    for attack in (attack_research, attack_strict_old, attack_pseudonyms, attack_difference,
                   attack_ctdc, attack_referral, attack_text):
        attack(core, figures)
    attack_keys(core, data, figures)
    attack_l(figures)
    attack_tables(figures)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help=f"the CSV of cases (made with {CASES:,} generated "
                                       "cases if it does not exist)")
    parser.add_argument("--before", metavar="TREE", help="an older worktree with its .venv")
    parser.add_argument("--json", help="write the figures as JSON here (and print nothing)")
    args = parser.parse_args(argv)
    data = args.data or str(Path(tempfile.gettempdir()) / f"attack-share-{CASES}.csv")
    if not Path(data).exists():
        import htcds_learn as hl
        hl.generate_core(CASES, seed=SEED).to_csv(data, index=False)
    if args.json:
        Path(args.json).write_text(json.dumps(run_attacks(data), default=str), "utf-8")
        return 0
    columns = {}
    if args.before:
        tree = Path(args.before).resolve()
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
            out = handle.name
        env = {**os.environ, "PYTHONPATH": str(tree)}
        subprocess.run([str(tree / ".venv" / "bin" / "python"), __file__, "--data", data,
                        "--json", out], check=True, cwd=tree, env=env)
        columns["before"] = json.loads(Path(out).read_text("utf-8"))
        os.unlink(out)
    start = time.perf_counter()
    columns["after" if args.before else "this tree"] = run_attacks(data)
    names = list(dict.fromkeys(n for c in columns.values() for n in c))
    width = max(map(len, names))
    print(f"issue 11 attacks on {data} ({time.perf_counter() - start:.0f} s)\n")
    print(f"{'attack':<{width}}  " + "  |  ".join(columns))
    for name in names:
        print(f"{name:<{width}}  " + "  |  ".join(str(c.get(name, "-")) for c in columns.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
