"""Every fast path of the sharing tools gives exactly what the plain way gives, on the same data.

The plain ways are written here from their definitions, independently of the library:
``hmac.new`` per value for pseudonyms, a pandas groupby and a per-record loop for k and l,
``pd.factorize`` column after column for class ids.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter, defaultdict

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from htcds_learn import privacy as pv
from htcds_learn.privacy.pseudonyms import pseudonyms_of
from htcds_learn.privacy.risk import combine, dense_ids

KEYS = st.binary(min_size=32, max_size=130).filter(lambda k: len(set(k)) >= 16 and any(
    b > 126 or b < 32 for b in k))
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


def plain_pseudonym(value: str, key: bytes, salt: str = "") -> str:
    message = (b"salt:" + salt.encode("ascii") + b"|" if salt else b"") + value.encode("utf-8")
    return "P-" + hmac.new(key, message, hashlib.sha256).hexdigest()[:16]


@settings(max_examples=60, deadline=None)
@given(key=KEYS, values=st.lists(TEXT, max_size=8),
       salt=st.sampled_from(["", "a1b2", "linkable:Legal Aid Centre"]))
def test_prekeyed_pseudonyms_equal_a_fresh_hmac_per_value(key, values, salt):
    trimmed = [v.strip() for v in values]
    plain = [plain_pseudonym(v, key, salt) for v in trimmed]
    blank_stays_blank = [p if v else "" for v, p in zip(trimmed, plain)]
    assert pseudonyms_of(trimmed, key, salt=salt) == blank_stays_blank
    assert [pv.pseudonym(v, key, salt=salt) for v in values] == plain
    table = pd.DataFrame({"person_id": values, "other": range(len(values))})
    out = pv.pseudonymise(table, ["person_id"], key, salt=salt)
    assert out["person_id"].tolist() == blank_stays_blank
    assert out["other"].tolist() == list(range(len(values)))


def test_identifiers_hashed_row_by_row_equal_the_factorised_way():
    """Mostly distinct values skip finding repeats: the pseudonyms are the same."""
    key = bytes(range(7, 39))
    ids = [f"PRS-{i:06d}" for i in range(12_000)] + ["PRS-000001", " PRS-000002 ", "", None, 7]
    out = pv.pseudonymise(pd.DataFrame({"person_id": ids}), ["person_id"], key)["person_id"]
    expected = ["" if v is None or str(v).strip() == "" else plain_pseudonym(str(v).strip(), key)
                for v in ids]
    assert out.tolist() == expected
    assert out.iloc[1] == out.iloc[12_000] and out.iloc[2] == out.iloc[12_001]


def test_values_holding_a_nul_are_hashed_as_they_are():
    """The bulk encoder splits on NUL, so a value holding one takes the per-value way."""
    key = bytes(range(7, 39))
    values = ["PRS-1", "PRS\x002", "", "\x00", "PRS-3", "é"]
    expected = [plain_pseudonym(v, key) if v else "" for v in values]
    assert pseudonyms_of(values, key) == expected
    assert pseudonyms_of(iter(values[:1]), key) == expected[:1] and pseudonyms_of([], key) == []


def test_a_key_longer_than_a_block_is_hashed_first_as_hmac_does():
    key = bytes(range(200))[:100]
    assert pv.pseudonym("PRS-1", key) == plain_pseudonym("PRS-1", key)


def stepwise(codes, radices):
    """The former way: renumber with pd.factorize after every column."""
    key = np.zeros(len(codes[0]), dtype=np.int64)
    for column_codes, radix in zip(codes, radices):
        key = pd.factorize(key * radix + column_codes)[0].astype(np.int64)
    return key


@settings(max_examples=60, deadline=None)
@given(data=st.data(), n=st.integers(1, 60), columns=st.integers(1, 5),
       wide=st.booleans())
def test_class_ids_in_one_key_equal_renumbering_column_by_column(data, n, columns, wide):
    # "wide" radices overflow one int64 key and take the column-by-column path.
    radices = [data.draw(st.integers(2, 2**40 if wide else 9)) for _ in range(columns)]
    codes = [np.array(data.draw(st.lists(st.integers(0, min(r - 1, 5)), min_size=n,
                                         max_size=n)), dtype=np.int64) for r in radices]
    assert combine(codes, radices).tolist() == stepwise(codes, radices).tolist()


def test_dense_ids_number_keys_by_first_appearance():
    key = np.array([5, 5, 2, 9, 2, 0])
    assert dense_ids(key, 10).tolist() == pd.factorize(key)[0].tolist() == [0, 0, 1, 2, 1, 3]


def plain_k_and_l(table: pd.DataFrame, quasi: list[str], sensitive: str) -> tuple[int, int]:
    """A per-record loop: classes in a dictionary; a blank or missing value is no value."""
    sizes: Counter = Counter()
    values: dict = defaultdict(set)
    for row in table[quasi + [sensitive]].astype(object).itertuples(index=False, name=None):
        key = tuple("<NA>" if pd.isna(v) else v for v in row[:-1])
        sizes[key] += 1
        if not pd.isna(row[-1]) and row[-1] != "":
            values[key].add(row[-1])
    return min(sizes.values()), min((len(v) for v in values.values()), default=0)


def pandas_k_and_l(table: pd.DataFrame, quasi: list[str], sensitive: str) -> tuple[int, int]:
    frame = table[quasi].astype(object)
    values = table[sensitive].astype(object)
    frame["_s"] = values.where(values != "")
    groups = frame.groupby(quasi, dropna=False, sort=False)
    distinct = groups["_s"].nunique()
    return int(groups.size().min()), int(distinct[distinct > 0].min()) if (
        distinct > 0).any() else 0


CELLS = st.sampled_from(["a", "b", "c", "", None])


@settings(max_examples=80, deadline=None)
@given(rows=st.lists(st.tuples(CELLS, CELLS, CELLS, st.sampled_from(["x", "y", "z", ""])),
                     min_size=1, max_size=40), categorical=st.booleans())
def test_k_and_l_equal_a_pandas_groupby_and_a_per_record_loop(rows, categorical):
    table = pd.DataFrame(rows, columns=["q1", "q2", "q3", "s"])
    if categorical:  # as the release pipeline holds its generalised columns
        table = table.astype({"q1": "category", "q2": "category", "s": "category"})
    quasi = ["q1", "q2", "q3"]
    expected = plain_k_and_l(table, quasi, "s")
    assert pandas_k_and_l(table, quasi, "s") == expected
    assert pv.k_and_l(table, quasi, "s", multiselect=set()) == expected
    assert (pv.k_anonymity(table, quasi), pv.l_diversity(table, quasi, "s",
                                                         multiselect=set())) == expected


def test_k_and_l_of_a_release_equal_the_plain_groupby(research):
    table = research.table
    quasi = research.report.known_by["public"]
    for sensitive in [c for c in table.columns if c not in quasi and c != "pseudonym"][:3]:
        single = not table[sensitive].astype(str).str.contains(";", regex=False).any()
        if single:
            assert pv.k_and_l(table, quasi, sensitive, multiselect=set()) == \
                pandas_k_and_l(table, quasi, sensitive)


def plain_l_of_sets(table: pd.DataFrame, quasi: list[str], sensitive: str) -> int:
    """l for a multi-select, by its definition: a member in every recorded row of a class
    discloses it (l = 1); otherwise l counts the distinct recorded sets."""
    classes: dict = defaultdict(list)
    for row in table[quasi + [sensitive]].itertuples(index=False, name=None):
        if row[-1]:
            classes[row[:-1]].append(set(row[-1].split(";")))
    found = [1 if set.intersection(*sets) else len({frozenset(s) for s in sets})
             for sets in classes.values()]
    return min(found, default=0)


@settings(max_examples=80, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from("ab"), st.sampled_from(
    ["A", "B", "A;B", "B;C", "C", ""])), min_size=1, max_size=30))
def test_l_of_a_multiselect_equals_its_definition(rows):
    table = pd.DataFrame(rows, columns=["q", "s"])
    expected = plain_l_of_sets(table, ["q"], "s")
    assert pv.l_diversity(table, ["q"], "s", multiselect={"s"}) == expected
    assert pv.k_and_l(table, ["q"], "s", multiselect={"s"})[1] == expected


def test_l_of_classes_formed_once_equals_l_diversity(research):
    table = research.table
    quasi = research.report.known_by["public"]
    ids = pv.class_ids(table, quasi)
    from htcds_learn.privacy.risk import l_of_classes

    for column in [c for c in table.columns if c not in quasi and c != "pseudonym"]:
        assert l_of_classes(ids, table, column) == pv.l_diversity(table, quasi, column)


ODD_CELLS = st.one_of(st.none(), st.just(float("nan")), st.just(pd.NA), st.integers(0, 2),
                      st.sampled_from(["", "a", "a\x00", "\x00", "a\x00b", "b", " a"]),
                      st.text(max_size=3))


@settings(max_examples=200, deadline=None)
@given(cells=st.lists(ODD_CELLS, max_size=14))
def test_distinct_values_are_exact_and_in_order_of_first_appearance(cells):
    """The hash-table path of ``coded.distinct`` against a dictionary, one cell at a time:
    a missing cell reads as "", NUL characters keep values apart."""
    from htcds_learn.privacy.coded import distinct

    seen: dict = {}
    codes = []
    for cell in cells:
        value = "" if cell is None or cell is pd.NA or cell != cell else cell
        codes.append(seen.setdefault((type(value) is str, value), len(seen)))
    uniques = [value for _, value in seen]
    got_codes, got_uniques = distinct(pd.Series(cells, dtype=object))
    assert got_codes.tolist() == codes and got_uniques.tolist() == uniques


def test_recoding_trials_in_threads_choose_what_one_thread_chooses(core, research, monkeypatch):
    """The trials of a recoding round run side by side; the choice is still made in column
    order, so the release is the one a single thread makes."""
    from htcds_learn.privacy import recode

    monkeypatch.setattr(recode, "workers", lambda: 1)
    alone = pv.share(core, purpose="research", recipient="University")
    assert alone.report.recoded == research.report.recoded and alone.report.recoded
    assert alone.table.equals(research.table.drop(columns="pseudonym"))


def plain_failing(class_of, codes, members, l):  # noqa: E741
    """Per row: its class has fewer than l distinct recorded values, or a member in every
    recorded row; a class with nothing recorded never fails (it discloses nothing)."""
    fails = {}
    for cls in set(class_of):
        recorded = [c for c, k in zip(codes, class_of) if k == cls and c >= 0]
        distinct = len(set(recorded))
        if members is not None and recorded and any(
                all(members[c][m] for c in recorded) for m in range(members.shape[1])):
            distinct = min(distinct, 1)
        fails[cls] = bool(recorded) and distinct < l
    return [fails[k] for k in class_of]


@settings(max_examples=150, deadline=None)
@given(data=st.data(), n=st.integers(1, 40), n_classes=st.integers(1, 6),
       n_codes=st.integers(1, 6), n_members=st.integers(0, 3), l=st.integers(1, 3),
       multiple=st.booleans(), sparse=st.booleans())
def test_failing_classes_equal_their_definition(data, n, n_classes, n_codes, n_members, l,  # noqa: E741
                                                multiple, sparse):
    from unittest import mock

    from htcds_learn.privacy import risk, suppression

    class_of = np.array(data.draw(st.lists(st.integers(0, n_classes - 1), min_size=n,
                                           max_size=n)))
    codes = np.array(data.draw(st.lists(st.integers(-1, n_codes - 1), min_size=n,
                                        max_size=n)))
    members = np.array(data.draw(st.lists(st.lists(st.booleans(), min_size=n_members,
                                                   max_size=n_members),
                                          min_size=n_codes, max_size=n_codes)),
                       dtype=bool).reshape(n_codes, n_members) if multiple else None
    # The sparse way is for a class x value matrix too large to hold: force it here.
    class_of = pd.factorize(class_of)[0]
    with mock.patch.object(risk, "_dense", lambda cells, rows: not sparse):
        got = suppression._failing(class_of, codes, members, l)
    assert got.tolist() == plain_failing(class_of.tolist(), codes.tolist(), members, l)


@pytest.mark.parametrize("sparse", [False, True])
def test_a_member_in_every_row_of_a_class_counts_once_per_row(sparse):
    """Two rows share a value and a third differs, all three holding 'debt': l is 1."""
    from unittest import mock

    from htcds_learn.privacy import risk, suppression

    members = np.array([[True, False], [True, True]])  # 'debt', 'debt;threats'
    with mock.patch.object(risk, "_dense", lambda cells, rows: not sparse):
        got = suppression._failing(np.array([0, 0, 0, 1, 1]), np.array([0, 0, 1, 0, 1]),
                                   members, 2)
    assert got.tolist() == [True] * 5
    assert got.tolist() == plain_failing([0, 0, 0, 1, 1], [0, 0, 1, 0, 1], members, 2)


def plain_recoding(values, columns, k, tolerance=0.02):
    """Global recoding as ``recode.py`` defines it, with a pandas groupby for every trial
    (no hashes, no cached steps, no threads): the levels each column ends at."""
    names = list(values)
    n = len(values[names[0]])
    ladders = {name: [values[name]] + [level.apply(values[name], k)
                                       for level in columns[name].levels] for name in names}

    def at_risk(levels):
        frame = pd.DataFrame({name: ladders[name][levels[name]].astype(object).fillna(
            "<missing>").astype(str).to_numpy() for name in names})
        sizes = frame.groupby(names, sort=False).size()
        return int(sizes[sizes < k].sum()), len(sizes)

    def entropy(v):
        share = v.value_counts(normalize=True).to_numpy()
        return float(-(share * np.log2(share)).sum())

    information = {name: [entropy(v) for v in ladders[name]] for name in names}
    level = dict.fromkeys(names, 0)
    risk, classes = at_risk(level)
    while risk > tolerance * n:
        best = fallback = None
        for name in names:
            at = level[name]
            if at + 1 >= len(ladders[name]):
                continue
            left, trial_classes = at_risk({**level, name: at + 1})
            lost = max(information[name][at] - information[name][at + 1], 1e-9) / max(
                information[name][0], 1e-9)
            gain = (risk - left) / (lost * n)
            if risk - left >= 0.01 * n and (best is None or gain > best[0]):
                best = (gain, name, left, trial_classes)
            if fallback is None or (left, trial_classes) < (fallback[2], fallback[3]):
                fallback = (0.0, name, left, trial_classes)
        chosen = best or (fallback if risk > 0.5 * n else None)
        if chosen is None or (chosen[2], chosen[3]) >= (risk, classes):
            break
        _, name, risk, classes = chosen
        level[name] += 1
    return {name: columns[name].levels[at - 1].name for name, at in level.items() if at}


@pytest.mark.parametrize("k", [3, 11])
def test_recoding_chooses_the_levels_a_plain_groupby_per_trial_chooses(core, k, monkeypatch):
    """The hashed trials (cached level steps, running sums, threads) against the definition:
    the same columns coarsened to the same levels, one or more levels up."""
    from htcds_learn.privacy import recode, steps

    seen = {}

    def spy(values, columns, k, **options):
        seen.update(values=dict(values), columns=columns)
        return recode.recode_globally(values, columns, k, **options)

    monkeypatch.setattr(steps, "recode_globally", spy)
    release = pv.share(core, purpose="research", k=k, recipient="University")
    expected = plain_recoding(seen["values"], seen["columns"], k)
    assert release.report.recoded == expected
    assert any(len(c.levels) > 1 for c in seen["columns"].values())
