"""Safe sharing, tested the way an attacker would test it."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import htcds_learn as hl
from htcds_learn import privacy as pv

TABLES = hl.generate_tables(1500, seed=31)
KEY = pv.new_key()


def test_every_field_has_a_role_and_identifiers_are_direct():
    roles = pv.roles_table()
    assert len(roles) == 84 and set(roles["role"]) <= {pv.DIRECT, pv.QUASI, pv.SENSITIVE,
                                                       pv.FREE_TEXT, pv.OTHER}
    for name in ("prs_FirstName", "prs_SecondName", "prs_Email", "prs_MobilePhone",
                 "prs_HomePhone", "prs_IdentityNumber", "prs_Birthdate", "prs_MailingStreet"):
        assert pv.role(name) == pv.DIRECT, name
    assert {pv.role(f.name) for f in hl.fields() if f.kind == "long_text"} == {pv.FREE_TEXT}


def test_the_consent_checklist_has_the_seven_items_of_the_guidance():
    assert len(pv.CONSENT_CHECKLIST) == 7
    description = hl.field("con_Consent").description
    assert description.count("?") == 7


def test_consent_must_be_recorded_true():
    table = pd.DataFrame({"con_Consent": [True, False, None, "True", "", "yes", 1]})
    assert pv.with_consent(table).tolist() == [True, False, False, True, False, False, True]
    with pytest.raises(pv.SharingError, match="no con_Consent column"):
        pv.with_consent(pd.DataFrame({"prs_Gender": ["Feminine"]}))


@pytest.mark.parametrize("purpose", sorted(pv.PURPOSES))
def test_minimisation_keeps_only_what_the_purpose_needs(purpose):
    out = pv.minimise(TABLES["core"], purpose)
    allowed = {"case_id", "person_id", *pv.PURPOSES[purpose].fields}
    assert set(out.columns) <= allowed and len(out) == len(TABLES["core"])
    if purpose != "referral":
        assert not [c for c in out.columns if pv.role(c) == pv.DIRECT and c != "prs_Birthdate"]


def test_an_unknown_purpose_is_refused():
    with pytest.raises(pv.SharingError, match="'marketing' is not a declared purpose"):
        pv.minimise(TABLES["core"], "marketing")


def test_scanning_finds_names_phones_and_emails_in_free_text_and_redacts_them():
    comments = TABLES["case_comments"]
    people = TABLES["people"]
    names = pd.concat([people["prs_FirstName"], people["prs_SecondName"]])
    found = pv.scan_text(comments, names=names)
    leaked_phones = comments["cco_CaseComment"].str.contains("New number").sum()
    assert (found["kind"] == "phone").sum() == leaked_phones > 0
    assert (found["kind"] == "name").sum() >= comments["cco_CaseComment"].str.startswith(
        "Spoke with").sum() > 0
    clean = pv.redact(comments, found)
    assert pv.scan_text(clean, names=names).empty
    text = " ".join(clean["cco_CaseComment"])
    for phone in TABLES["people"]["prs_MobilePhone"]:
        if phone:
            assert phone not in text
    custom = pd.DataFrame({"cco_CaseComment": ["Mail amina.example@example.org, ID SYN-123456789"]})
    kinds = set(pv.scan_text(custom)["kind"])
    assert kinds >= {"email", "id-number"}  # the ID also looks like a phone: both are flagged


def test_pseudonyms_are_keyed_stable_and_not_a_bare_hash():
    value = "PRS-0000001"
    assert pv.pseudonym(value, KEY) == pv.pseudonym(value, KEY)
    assert pv.pseudonym(value, KEY) != pv.pseudonym(value, pv.new_key())
    assert pv.pseudonym(value, KEY)[2:] not in hashlib.sha256(value.encode()).hexdigest()
    with pytest.raises(pv.SharingError, match="at least 16 random bytes"):
        pv.pseudonym(value, b"short")


def test_a_dictionary_attack_without_the_key_links_no_pseudonym():
    people = TABLES["people"]
    names = (people["prs_FirstName"] + " " + people["prs_SecondName"]).tolist()
    shared = pv.pseudonymise(pd.DataFrame({"name": names}), ["name"], KEY)["name"]
    # The attacker has every name, and tries the usual unkeyed tricks on each of them.
    guesses = set()
    for name in names:
        for text in (name, name.lower(), name.upper()):
            for algorithm in ("sha256", "sha1", "md5"):
                digest = hashlib.new(algorithm, text.encode()).hexdigest()
                guesses.update({digest, digest[:16], "P-" + digest[:16]})
        guesses.add(pv.pseudonym(name, b"0" * 32))  # a guessed, weak key
    assert not guesses & set(shared)
    # With a bare hash, the same attack would have linked every name.
    bare = {hashlib.sha256(n.encode()).hexdigest() for n in names}
    assert bare <= guesses


def test_the_key_file_is_private_and_never_in_the_output(tmp_path):
    path = pv.save_key(KEY, tmp_path / "release.key")
    assert path.stat().st_mode & 0o777 == 0o600
    assert pv.load_key(path) == KEY
    shared = pv.pseudonymise(TABLES["core"], ["case_id", "person_id"], KEY)
    text = shared.to_csv(index=False)
    import base64

    assert base64.b64encode(KEY).decode() not in text and KEY.hex() not in text
    (tmp_path / "bad.key").write_text("not base64 at all!")
    with pytest.raises(pv.SharingError, match="not a key file"):
        pv.load_key(tmp_path / "bad.key")


def test_generalisation():
    assert pv.age_band([0, 8, 9, 30, 38, 39, 48]) == ["0--8", "0--8", "9--17", "30--38",
                                                      "30--38", "39--47", "48+"]
    dates = pd.Series(["2021-04-06", "", None, "06/04/2021"])
    assert pv.year_of(dates).tolist() == ["2021", "", "", ""]
    assert pv.year_of(dates, month=True).tolist()[0] == "2021-04"
    values = pd.Series(["NG"] * 5 + ["UA"] * 5 + ["IS"])
    assert pv.lump_rare(values, minimum=2).tolist()[-1] == "Other"


def test_a_missing_value_is_a_value_when_counting_classes():
    table = pd.DataFrame({"gender": ["Feminine", None, None, "Feminine"],
                          "age": ["18--20", None, None, "18--20"]})
    assert pv.class_sizes(table, ["gender", "age"]).tolist() == [2, 2, 2, 2]
    naive = table.groupby(["gender", "age"]).size()  # what pandas does by default
    assert naive.sum() == 2  # it silently forgets the rows with missing values


QI_VALUES = st.sampled_from(["a", "b", "c", None])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(QI_VALUES, QI_VALUES, QI_VALUES, st.sampled_from(["x", "y", "z"])),
                min_size=0, max_size=80),
       st.integers(1, 6), st.integers(1, 3))
def test_after_suppression_k_and_l_really_hold(rows, k, l):  # noqa: E741
    table = pd.DataFrame(rows, columns=["q1", "q2", "q3", "s"])
    safe, log = pv.suppress_to_k(table, ["q1", "q2", "q3"], k, sensitive="s", l=l)
    if len(safe):
        assert pv.k_anonymity(safe, ["q1", "q2", "q3"]) >= k
        assert pv.l_diversity(safe, ["q1", "q2", "q3"], "s") >= l
    assert len(safe) + log["rows removed"] == len(table)
    # Only quasi-identifiers were blanked; the sensitive values of kept rows are untouched.
    assert (safe["s"] == table.loc[safe.index, "s"]).all()


def determined_cells(published: pd.DataFrame, hidden: np.ndarray) -> list[tuple[int, int]]:
    """Hidden cells an attacker can compute exactly from the visible cells and the totals."""
    cells = list(zip(*np.nonzero(hidden)))
    if not cells:
        return []
    n_rows, n_cols = hidden.shape
    equations = []
    for i in range(n_rows):
        equations.append([1.0 if (r == i) else 0.0 for r, c in cells])
    for j in range(n_cols):
        equations.append([1.0 if (c == j) else 0.0 for r, c in cells])
    a = np.array(equations)
    rank = np.linalg.matrix_rank(a)
    determined = []
    for index, cell in enumerate(cells):
        unit = np.zeros(len(cells))
        unit[index] = 1
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            determined.append(cell)
    return determined


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(0, 40), min_size=2, max_size=5), min_size=2, max_size=5)
       .filter(lambda rows: len({len(r) for r in rows}) == 1))
@example([[0, 0, 0, 1, 1], [0, 0, 1, 0, 0], [0, 0, 1, 0, 0], [0, 0, 1, 0, 0]])  # found by CI
def test_no_hidden_cell_can_be_worked_out_from_the_totals(rows):
    counts = pd.DataFrame(rows)
    published, mask = pv.suppress_small_cells(counts, threshold=11)
    hidden = (mask != "").to_numpy()
    primary = (mask == "primary").to_numpy()
    values = counts.to_numpy()
    assert (primary == ((values > 0) & (values < 11))).all()
    body = published.iloc[:-1, :-1]
    assert body.isna().to_numpy().tolist() == hidden.tolist()
    assert published["Total"].iloc[:-1].tolist() == counts.sum(axis=1).tolist()
    if hidden.any():
        # A cell can only be recovered if the visible cells fix it: check the algebra.
        determined = [cell for cell in determined_cells(published, hidden)
                      if primary[cell]]
        exact_zero_lines = any(values[i][hidden[i]].sum() == 0 for i in range(len(values)))
        assert not determined or exact_zero_lines


def test_rounding_counts_to_a_resolution():
    counts = pd.DataFrame({"a": [23, 4], "b": [17, 30]})
    published, _ = pv.suppress_small_cells(counts, threshold=3, round_to=5)
    assert published.loc[0, "a"] == 25 and published.loc[0, "Total"] == 40


CORE = TABLES["core"]


def identifying_values(core: pd.DataFrame) -> set[str]:
    values = set()
    for column in ("prs_FirstName", "prs_SecondName", "prs_Email", "prs_MobilePhone",
                   "prs_HomePhone", "case_id", "person_id", "prs_Birthdate",
                   "prs_MailingStreet"):
        values |= {str(v) for v in core[column] if isinstance(v, str) and len(v) >= 4}
    return values


@pytest.mark.parametrize("purpose", ["service-statistics", "research", "ctdc"])
def test_no_direct_identifier_survives_share(purpose):
    safe, report = pv.share(CORE, purpose=purpose, k=5, key=KEY)
    text = safe.to_csv(index=False)
    cells = set(safe.astype(str).to_numpy().ravel())
    assert not identifying_values(CORE) & cells
    for phone in CORE["prs_MobilePhone"]:
        if phone:
            assert phone not in text
    assert not [c for c in safe.columns if pv.role(c) in (pv.DIRECT, pv.FREE_TEXT)]
    assert report.k_achieved >= 5 and report.rows_out == len(safe)


def test_records_without_consent_never_leave():
    core = CORE.copy()
    core.loc[core.index[:100], "con_Consent"] = False
    core.loc[core.index[100:150], "con_Consent"] = ""
    safe, report = pv.share(core, k=3, key=KEY)
    assert report.rows_without_consent >= 150
    excluded = {pv.pseudonym(f"{c}|{p}", KEY) for c, p in
                zip(core["case_id"][:150], core["person_id"][:150])}
    assert not excluded & set(safe["pseudonym"])


def test_share_reaches_k_and_l_and_reports_it():
    safe, report = pv.share(CORE, k=11, sensitive="vic_TypeOfExploitation", l=2)
    quasi = list(pv.DEFAULT_QUASI_IDENTIFIERS)
    assert pv.k_anonymity(safe, quasi) >= 11 and report.k_achieved >= 11
    assert pv.l_diversity(safe, quasi, "vic_TypeOfExploitation") >= 2
    markdown = report.to_markdown()
    for text in ("# Release report: ctdc", "k-anonymity:", "Residual risks",
                 "data-sharing agreement", "consent was not recorded"):
        assert text in markdown
    assert "pseudonym" not in safe.columns  # no key: identifiers removed, not pseudonymised


def test_share_refuses_a_release_that_fails_its_checks():
    with pytest.raises(pv.SharingError, match="no record is left to share"):
        pv.share(CORE.head(30), k=31)


def test_the_ctdc_layout():
    safe, _ = pv.share(CORE, k=5)
    ctdc = pv.to_ctdc(safe)
    assert list(ctdc.columns[:4]) == ["yearOfRegistration", "gender", "ageBroad", "citizenship"]
    assert set(ctdc["gender"]) <= {"Woman", "Man", "Trans/Transgender/NonConforming", ""}
    flags = [c for c in ctdc.columns if c.startswith(("meansOfControl", "is"))]
    assert len([c for c in flags if c.startswith("meansOfControl")]) == 17
    assert set(ctdc[flags].to_numpy().ravel()) <= {"1", ""}


def test_share_command(tmp_path):
    import subprocess
    import sys

    source = tmp_path / "cases.csv"
    CORE.to_csv(source, index=False)
    before = source.read_bytes()
    key = tmp_path / "secret.key"

    def run(*args):
        return subprocess.run([sys.executable, "-m", "htcds_learn.cli", "share", *args],
                              capture_output=True, text=True)

    assert run("--new-key", str(key)).returncode == 0 and key.exists()
    result = run(str(source), "--purpose", "ctdc", "--k", "11", "--key-file", str(key),
                 "--out", str(tmp_path / "release"))
    assert result.returncode == 0, result.stderr
    shared = (tmp_path / "release" / "shared.csv").read_text()
    assert not identifying_values(CORE) & set(shared.replace("\n", ",").split(","))
    assert key.read_text().strip() not in shared
    assert "k = 11" in result.stdout or "k = " in result.stdout
    assert source.read_bytes() == before
    refused = run(str(source), "--k", "5000", "--out", str(tmp_path / "nothing"))
    assert refused.returncode == 2 and "failed its own checks" in refused.stderr
    assert not (tmp_path / "nothing").exists()



def test_k_and_l_together_match_the_separate_measures():
    safe, _ = pv.share(CORE, k=3)
    quasi = list(pv.DEFAULT_QUASI_IDENTIFIERS)
    assert pv.k_and_l(safe, quasi, "vic_TypeOfExploitation") == (
        pv.k_anonymity(safe, quasi), pv.l_diversity(safe, quasi, "vic_TypeOfExploitation"))


def test_un_regions_cover_the_country_codes():
    regions = pv.un_regions().set_index("code")
    missing = set(hl.standard.codes.country_codes()) - set(regions.index)
    assert missing == {"TW"}  # not listed separately by the UN Statistics Division
    assert regions.loc["NG", "subregion"] == "Western Africa"
    assert regions.loc["GB", "subregion"] == "Northern Europe"
    assert regions.loc["JE", "subregion"] == "Northern Europe"  # inside the Channel Islands
    assert regions.loc["MX", "region"] == "Americas"
    assert regions["subregion"].nunique() == 23


def test_rare_countries_become_regions_only_as_far_as_needed():
    codes = pd.Series(["NG"] * 11 + ["GH"] * 6 + ["SN"] * 5 + ["KE"] * 2 + ["FR"] + [""])
    out = pv.generalise_countries(codes, minimum=11)
    assert out.tolist()[:11] == ["NG"] * 11
    assert set(out[11:22]) == {"Western Africa"}  # GH and SN together reach 11
    assert out.tolist()[22:] == ["Other", "Other", "Other", ""]
