"""Safe sharing: the building blocks, each checked against what it promises.

The attacks themselves (an adversary against a release) are in tests/privacy/.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import htcds_learn as hl
from htcds_learn import privacy as pv

TABLES = hl.generate_tables(1500, seed=31)
CORE = TABLES["core"]
KEY = pv.new_key()


def test_every_field_has_a_role_and_identifiers_are_direct():
    roles = pv.roles_table()
    assert len(roles) == 84 and set(roles["role"]) <= {pv.DIRECT, pv.QUASI, pv.SENSITIVE,
                                                       pv.FREE_TEXT, pv.OTHER}
    for name in ("prs_FirstName", "prs_SecondName", "prs_Email", "prs_MobilePhone",
                 "prs_HomePhone", "prs_IdentityNumber", "prs_Birthdate", "prs_MailingStreet"):
        assert pv.role(name) == pv.DIRECT, name


def test_consent_must_be_recorded_true():
    table = pd.DataFrame({"con_Consent": [True, False, None, "True", "", "yes", 1]})
    assert pv.with_consent(table).tolist() == [True, False, False, True, False, False, True]
    with pytest.raises(pv.SharingError, match="no con_Consent column"):
        pv.with_consent(pd.DataFrame({"prs_Gender": ["Feminine"]}))


def test_purposes_are_policies_and_the_cli_offers_exactly_them():
    from htcds_learn.cli import build_parser
    from htcds_learn.privacy.steps import STEPS

    assert set(pv.PURPOSES) == {"referral", "service-statistics", "research", "ctdc"}
    for purpose in pv.PURPOSES.values():
        assert set(purpose.steps) <= set(STEPS), purpose.name
    parser = build_parser()
    share = parser._subparsers._group_actions[0].choices["share"]
    choices = next(a.choices for a in share._actions if a.dest == "purpose")
    assert list(choices) == list(pv.PURPOSES)


def test_minimise_keeps_only_what_the_purpose_reads():
    for name, purpose in pv.PURPOSES.items():
        out = pv.minimise(CORE, name)
        assert set(out.columns) <= {"case_id", "person_id", *purpose.fields}


def test_canonical_values_blank_what_is_outside_the_picklist():
    column = pd.Series(["SEXUAL EXPLOITATION", "ForcedLabour ; sexual_exploitation",
                        "Musa Ibrahim", "0803 123 4567", "Sexual exploitation;A12345678", None])
    values, outside = pv.canonical_column(column, "vic_TypeOfExploitation")
    assert values.tolist() == ["SexualExploitation", "ForcedLabour;SexualExploitation", "", "",
                               "SexualExploitation", ""]
    assert outside == 3


def test_k_counts_missing_values_and_nul_characters_exactly():
    assert pv.k_anonymity(pd.DataFrame({"q": ["x", "x\x00"]}), ["q"]) == 1
    table = pd.DataFrame({"gender": ["Feminine", None, None, "Feminine"]})
    assert pv.class_sizes(table, ["gender"]).tolist() == [2, 2, 2, 2]


def test_l_counts_canonical_values_and_members():
    variants = pd.DataFrame({"q": ["a"] * 5, "vic_TypeOfExploitation": [
        "SexualExploitation", "sexual exploitation", "SEXUAL-EXPLOITATION",
        "Sexual Exploitation", "SexualExploitation;"]})
    assert pv.l_diversity(variants, ["q"], "vic_TypeOfExploitation") == 1
    every_row = pd.DataFrame({"q": ["a"] * 3, "vic_TypeOfExploitation": [
        "SexualExploitation;ForcedLabour", "ForcedMarriage;SexualExploitation",
        "SexualExploitation"]})
    assert pv.l_diversity(every_row, ["q"], "vic_TypeOfExploitation") == 1


QI = st.sampled_from(["a", "b", "c", None])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(QI, QI, QI, st.sampled_from(["x", "y", "z"])), max_size=80),
       st.integers(1, 6), st.integers(1, 3))
def test_after_suppression_k_and_l_really_hold(rows, k, l):  # noqa: E741
    table = pd.DataFrame(rows, columns=["q1", "q2", "q3", "s"])
    safe, log = pv.suppress_to_k(table, ["q1", "q2", "q3"], k, sensitive="s", l=l)
    if len(safe):
        assert safe.groupby(["q1", "q2", "q3"], dropna=False).size().min() >= k
        if l > 1:
            assert pv.l_diversity(safe, ["q1", "q2", "q3"], "s") in (0, *range(l, 10))
    assert len(safe) + log["rows removed"] == len(table)


def test_keys_are_only_the_packages_own(tmp_path):
    import base64

    weak = tmp_path / "weak.key"
    weak.write_text(base64.b64encode(b"password12345678").decode())
    with pytest.raises(pv.SharingError):
        pv.load_key(weak)
    path = pv.save_key(KEY, tmp_path / "release.key")
    assert path.stat().st_mode & 0o777 == 0o600 and pv.load_key(path) == KEY
    with pytest.raises(pv.SharingError, match="never replaces"):
        pv.save_key(pv.new_key(), path)
    path.chmod(0o644)
    with pytest.raises(pv.SharingError, match="can be read by other users"):
        pv.load_key(path)
    path.chmod(0o600)
    with pytest.raises(pv.SharingError, match="inside the release folder"):
        pv.load_key(path, release_folder=tmp_path)
    for chosen in (b"password12345678password12345678", b"a" * 64):
        with pytest.raises(pv.SharingError):
            pv.check_key(chosen)


def test_pseudonyms_are_keyed_and_salted_per_release():
    value = "PRS-0000001"
    assert pv.pseudonym(value, KEY) == pv.pseudonym(value, KEY)
    assert pv.pseudonym(value, KEY, salt="a") != pv.pseudonym(value, KEY, salt="b")
    assert pv.pseudonym(value, KEY)[2:] not in hashlib.sha256(value.encode()).hexdigest()


def test_small_cells_are_protected_against_a_linear_program():
    table = pv.protect_table(pd.DataFrame({"a": [4, 0], "b": [8, 0]}), threshold=11)
    shown = table.published.to_numpy(dtype=float, na_value=np.nan)
    assert not ((shown > 0) & (shown < 11)).any()
    assert table.narrowest() >= 11


def test_service_statistics_gives_tables_only():
    release = pv.share(CORE, purpose="service-statistics")
    assert release.table is None and release.tables
    for table in release.tables.values():
        shown = table.published.to_numpy(dtype=float, na_value=np.nan)
        assert not ((shown > 0) & (shown < 11)).any() and table.narrowest() >= 11


def test_research_release_is_k_anonymous_over_every_column():
    safe, report = pv.share(CORE, purpose="research")
    assert safe.groupby(list(safe.columns), dropna=False).size().min() >= 11
    assert report.k_achieved >= 11 and "Threat model" in report.to_markdown()


def test_share_command_writes_a_new_folder_whole(tmp_path):
    import subprocess
    import sys

    source = tmp_path / "cases.csv"
    CORE.to_csv(source, index=False)
    before = source.read_bytes()

    def run(*args):
        return subprocess.run([sys.executable, "-m", "htcds_learn.cli", "share", *args],
                              capture_output=True, text=True,
                              env={**__import__("os").environ, "HTCDS_LEARN_HOME":
                                   str(tmp_path / "home")})

    key = tmp_path / "keys" / "secret.key"
    assert run("--new-key", str(key)).returncode == 0
    again = run("--new-key", str(source))
    assert again.returncode == 2 and source.read_bytes() == before
    done = run(str(source), "--purpose", "ctdc", "--recipient", "CTDC", "--out",
               str(tmp_path / "release"))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "release").iterdir()) == [
        "release-report.md", "shared.csv"]
    exists = run(str(source), "--purpose", "ctdc", "--out", str(tmp_path / "release"))
    assert exists.returncode == 2 and "already exists" in exists.stderr
    refused = run(str(source), "--purpose", "research", "--k", "5000", "--out",
                  str(tmp_path / "nothing"))
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert not (tmp_path / "nothing").exists()
    assert source.read_bytes() == before


def test_the_final_check_names_identifier_columns_whose_values_reach_the_release():
    """The last safety net: a source identifier value found among the released values (4
    characters or more) is named, whatever the column holds (text, numbers, missing)."""
    from htcds_learn.privacy.steps import _identifying_found

    source = pd.DataFrame({"prs_FirstName": ["Musa", None, "Amina"],
                           "prs_MobilePhone": pd.Series([8031234567, 8039876543, 1],
                                                        dtype="int64"),
                           "case_id": pd.Series(["CAS-1", "CAS-2", "x\x00"], dtype="string"),
                           "vic_Notes": ["Amina", "", ""]})  # not an identifier column
    assert _identifying_found(source, {"Amina", "Other"}) == ["prs_FirstName"]
    assert _identifying_found(source, {"CAS-2"}) == ["case_id"]
    assert _identifying_found(source, {"8031234567", "x\x00"}) == []  # text is not the number;
    assert _identifying_found(source, {"Musa\x00"}) == []  # exact, NUL included; "x\x00" < 4
    assert _identifying_found(source, set()) == []
