"""Validation: plain messages, both engines agree, safe fixes, flaw injection and its score."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import htcds_learn as hl
from htcds_learn.validation import (
    RULES,
    Rule,
    fix_table,
    flaws,
    registry,
    rules,
    validate_cases,
    validate_table,
)
from htcds_learn.validation.flaws import KINDS, inject_flaws, score

TODAY = date(2026, 1, 1)
CORE = hl.generate_core(400, seed=4)


def messages(table, **kwargs):
    return validate_table(table, today=TODAY, **kwargs).findings["message"].tolist()


def test_clean_synthetic_data_has_no_findings_in_any_table():
    for name, table in hl.generate_tables(300, seed=8).items():
        report = validate_table(table, today=TODAY)
        assert report.findings.empty, (name, report.findings.head())
        assert report.ok and "no problems found" in report.summary()


@pytest.mark.parametrize("column, value, message", [
    ("prs_Gender", "Femal",
     "Row 2, Gender: 'Femal' is not an HTCDS value. Did you mean 'Feminine'?"),
    ("cas_Status", "Follow up",
     "Row 2, Status: 'Follow up' is written as a label or with different capitals or spaces. "
     "Write 'FollowUp' (the value name)."),
    ("prs_MobilePhone", "0803 123 4567",
     "Row 2, Mobile Phone: '0803 123 4567' is not an E.164 phone number. Write '+', the "
     "country code, then the number, e.g. +2348012345678."),
    ("prs_MailingCountry", "Nigeria",
     "Row 2, Mailing Country: 'Nigeria' is not a two-letter ISO 3166 country code. "
     "Did you mean 'NG' (Nigeria)?"),
    ("prs_Birthdate", "31/12/1999",
     "Row 2, Birthdate: '31/12/1999' is not a valid date. Write it as year-month-day, "
     "e.g. 2024-03-31."),
    ("prs_Birthdate", "2001-02-30",
     "Row 2, Birthdate: '2001-02-30' is not a valid date. There is no such day: check the day "
     "and the month."),
    ("prs_Birthdate", "36525",
     "Row 2, Birthdate: '36525' looks like an Excel date number. It is probably 1999-12-31: "
     "format the cell as a date."),
    ("prs_Birthdate", "2031-05-01",
     "Row 2, Birthdate: '2031-05-01' is not a plausible date here. Expected between "
     "1900-01-01 and 2026-01-01."),
    ("con_Consent", "",
     "Row 2, Consent: consent is blank. Ask the case worker; never assume consent."),
    ("con_Consent", "Yes", "Row 2, Consent: 'Yes' is not True or False. Write True."),
    ("vic_MethodsOfControl", "DebtBondage;Threats",
     "Row 2, Methods of Control: 'Threats' is not an HTCDS value. "
     "Did you mean 'PhysicalThreats'?"),
    ("prs_MailingCity", " Lagos ",
     "Row 2, Mailing City: ' Lagos ' has spaces at the start or end. "
     "Remove the spaces (a safe fix)."),
])
def test_one_problem_one_plain_message(column, value, message):
    table = CORE.head(1).copy()
    table[column] = value
    for engine in ("fast", "reference"):
        assert message in messages(table, engine=engine)


def test_cross_field_rules():
    table = CORE.head(3).copy()
    table.loc[0, ["vic_TypeOfExploitation", "vic_TypeOfSexExploitation"]] = [
        "ForcedLabour", "Prostitution"]
    table.loc[0, "vic_ForcedLabourIndustry"] = "F_Construction"
    table.loc[1, ["cas_Status", "cas_ReasonForCaseClosure"]] = ["Closed", ""]
    table.loc[2, ["prs_Birthdate", "cas_IncomingReferralDate"]] = ["2020-05-01", "2019-01-01"]
    found = validate_table(table, today=TODAY).findings
    assert set(zip(found["row"], found["rule"])) >= {
        (2, "sex-subtype-without-sexual-exploitation"), (3, "closed-without-reason"),
        (4, "date-order")}
    order = found[found["rule"] == "date-order"]["message"].iloc[0]
    assert order == ("Row 4, Incoming Referral Date: '2019-01-01' comes before a date it "
                     "should follow. Birthdate is 2020-05-01.")


def test_header_level_findings_and_template_row_numbers():
    table = CORE.head(2).copy()
    table["Nationality"] = "NG"
    table["vic_Vulnerabilities"] = ["Poverty", ""]
    found = validate_table(table, today=TODAY, header_rows=2).findings
    unknown = found[found["rule"] == "unknown-column"].iloc[0]
    assert unknown["row"] == 2 and unknown["severity"] == "warning"
    assert "deprecated-field" in set(found["rule"])
    table.loc[1, "prs_Gender"] = "x"
    assert validate_table(table, header_rows=2, today=TODAY).findings.query(
        "rule == 'not-allowed-value'")["row"].tolist() == [4]


def test_duplicates_are_reported_on_the_later_row():
    table = pd.concat([CORE.head(3), CORE.iloc[[1]]], ignore_index=True)
    found = validate_table(table, today=TODAY).findings
    assert found[["row", "rule"]].values.tolist() == [[5, "duplicate-id"]]


def test_the_report_summarises_and_counts():
    dirty, _ = inject_flaws(CORE, rate=0.2, seed=1)
    report = validate_table(dirty, today=TODAY)
    assert not report.ok
    assert report.summary().startswith("Checked 400 records: ")
    assert list(report.findings.columns) == ["record", "row", "field", "rule", "severity",
                                             "value", "message", "hint", "fixable"]
    counts = report.by_field()
    assert counts["findings"].sum() == len(report.findings)
    assert "<table" in report._repr_html_()


def test_both_engines_agree_on_injected_flaws():
    for seed in range(3):
        dirty, _ = inject_flaws(CORE, rate=0.3, seed=seed)
        fast = validate_table(dirty, today=TODAY)
        reference = validate_table(dirty, engine="reference", today=TODAY)
        pd.testing.assert_frame_equal(fast.findings, reference.findings)


FIELDS = ["prs_Gender", "cas_Status", "prs_Birthdate", "cas_IncomingReferralDate",
          "cas_OutgoingReferralDate", "con_Consent", "prs_MobilePhone", "prs_Email",
          "prs_MailingCountry", "prs_Citizenship", "vic_MethodsOfControl",
          "vic_TypeOfExploitation", "vic_TypeOfSexExploitation", "vic_ForcedLabourIndustry",
          "cas_ReasonForCaseClosure", "prs_MailingCity", "case_id", "person_id"]
VALUES_LIST = ["", " ", "Feminine", "feminine ", "Femal", "Closed", "Follow up", "NG",
    "Nigeria", "UK", "NG;GB", "2020-01-01", "2020-02-30", "31/01/2020",
    "44000", "2031-01-01", "1850-01-01", "True", "yes", "+2348012345678",
    "0803 123", "a@example.org", "no-at-sign", "DebtBondage;Threats",
    "SexualExploitation", "ForcedLabour", "Prostitution", "F_Construction",
    "CASE-1", "x" * 300, "+2348012345678\n", "ForcedLabour;;Servitude"]
VALUES = st.one_of(st.sampled_from(VALUES_LIST), st.text(max_size=12))


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 9), st.sampled_from(FIELDS), VALUES), max_size=25))
@example([(0, "prs_Gender", ""), (1, "prs_Gender", "\x00")])  # pandas: '' == '\x00'
def test_engines_flag_the_same_records_for_the_same_reasons(changes):
    table = CORE.head(10).copy().astype(object)
    for row, column, value in changes:
        table.at[row, column] = value
    fast = validate_table(table, today=TODAY).findings
    reference = validate_table(table, engine="reference", today=TODAY).findings
    pd.testing.assert_frame_equal(fast, reference)


def test_safe_fixes_make_a_new_table_and_a_log():
    table = CORE.head(4).copy()
    table.loc[0, "cas_Status"] = "follow  up"
    table.loc[1, "prs_Birthdate"] = "36525"
    table.loc[2, "prs_MailingCity"] = "  Lagos "
    table.loc[3, "prs_MailingCountry"] = "Nigeria"
    before = table.copy()
    fixed, log = fix_table(table)
    pd.testing.assert_frame_equal(table, before)  # the input is untouched
    assert log[["row", "field", "new"]].values.tolist() == [
        [2, "cas_Status", "FollowUp"], [3, "prs_Birthdate", "1999-12-31"],
        [4, "prs_MailingCity", "Lagos"], [5, "prs_MailingCountry", "NG"]]
    assert validate_table(fixed, today=TODAY).findings.empty


def test_fixes_never_guess_a_typo():
    table = CORE.head(1).copy()
    table.loc[0, "prs_Gender"] = "Femal"
    fixed, log = fix_table(table)
    assert log.empty and fixed.loc[0, "prs_Gender"] == "Femal"


def test_flaw_injection_is_reproducible_and_leaves_the_input_alone():
    before = CORE.copy()
    a, truth_a = inject_flaws(CORE, rate=0.2, seed=5)
    b, truth_b = inject_flaws(CORE, rate=0.2, seed=5)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(truth_a, truth_b)
    pd.testing.assert_frame_equal(CORE, before)
    assert 0.1 < len(truth_a) / len(CORE) < 0.3
    for _, flaw in truth_a.iterrows():
        assert a.at[flaw["row"] - 2, flaw["field"]] == flaw["injected"]


def test_the_validator_finds_every_visible_injected_flaw():
    dirty, truth = inject_flaws(hl.generate_core(2000, seed=2), rate=0.1, seed=2)
    assert set(truth["kind"]) == set(KINDS)
    report = validate_table(dirty, today=TODAY)
    result = score(report.findings, truth)
    assert result["recall"] == 1.0
    assert result["precision"] > 0.8
    for kind, rule in KINDS.items():
        rows = truth[truth["kind"] == kind]
        if rule:
            found = report.findings.merge(rows, on=["row", "field"])
            assert (found["rule_x"] == rule).any(), kind


def test_flaw_kinds_are_checked():
    with pytest.raises(ValueError, match="Unknown flaw kinds: \\['typos'\\]"):
        inject_flaws(CORE, kinds=["typos"])


def test_nested_documents_are_checked_with_references():
    documents = hl.generate_cases(3, seed=3)
    assert validate_cases(documents, today=TODAY).findings.empty
    documents[1]["victims"][0]["vic_LocationOfExploitation"] = "LOC-XX-999"
    documents[2]["people"][0]["prs_Gender"] = "Femal"
    found = validate_cases(documents, today=TODAY).findings
    assert "Case 2, Location of Exploitation: 'LOC-XX-999' does not match any record." in \
        found["message"].tolist()
    assert (found["rule"] == "schema").any()


def test_every_rule_has_a_title_and_a_reason():
    table = rules.rules_table()
    assert table["title"].str.len().gt(0).all() and table["why it matters"].str.len().gt(0).all()
    assert set(table["severity"]) == {"error", "warning"}



def test_nested_timelines_run_birth_events_referral():
    documents = hl.generate_cases(2, seed=5)
    event = documents[0]["events"][0]
    event["hte_Date"] = "1901-01-01"  # before the person was born
    found = validate_cases(documents, today=TODAY).findings
    order = found[found["rule"] == "date-order"]
    assert order["row"].tolist() == [1]
    assert order["message"].iloc[0].startswith("Case 1, Date: '1901-01-01' comes before a date "
                                               "it should follow. Birthdate is ")


@pytest.mark.parametrize("column, value", [
    ("prs_Birthdate", "²"),          # a digit to str.isdigit, not to int(): found by hypothesis
    ("prs_Email", "x" * 300),        # too long for a text field, as well as no '@'
    ("prs_Birthdate", "٢٠٢٤-٠١-٠١"),  # Arabic-Indic digits
])
def test_engines_agree_on_awkward_values(column, value):
    table = CORE.head(3).copy().astype(object)
    table.at[1, column] = value
    fast = validate_table(table, today=TODAY).findings
    pd.testing.assert_frame_equal(fast, validate_table(table, engine="reference",
                                                       today=TODAY).findings)
    assert len(fast) >= 1


# --- the rule registry ------------------------------------------------------------------------

ROW_RULES = [r for r in RULES.values() if r.implements("fast") or r.implements("reference")]


def test_every_rule_has_an_engine_and_a_row_rule_has_both():
    assert registry.missing_engines(RULES.values()) == []

    class HalfDone(Rule):  # the check must notice a rule with one engine only
        code = "half-done"

        def fast(self, table):
            return []

    class Silent(Rule):
        code = "silent"

    assert registry.missing_engines([HalfDone(), Silent()]) == [
        "half-done: has fast but no reference check",
        "silent: has no check at all"]


def test_every_rule_has_its_words_an_example_or_a_document_test():
    for rule in RULES.values():
        assert rule.title and rule.why and rule.template, rule.code
        if not rule.implements("cases"):
            assert rule.examples, rule.code


def _example_table(rows):
    return pd.DataFrame(rows).fillna("").astype(object)


@pytest.mark.parametrize("rule", [r for r in RULES.values() if r.examples], ids=str)
def test_every_rule_fires_on_its_examples_and_both_engines_agree(rule):
    for rows in rule.examples:
        table = _example_table(rows)
        fast = validate_table(table, today=TODAY)
        reference = validate_table(table, engine="reference", today=TODAY)
        pd.testing.assert_frame_equal(fast.findings, reference.findings)
        assert rule.code in set(fast.findings["rule"]), (rule.code, rows)


def _values_of(rule):
    return sorted({v for rows in rule.examples for row in rows for v in row.values()})


@pytest.mark.parametrize("rule", ROW_RULES, ids=str)
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_engines_agree_on_each_rule_with_random_changes(rule, data):
    """The engine-agreement property, once per rule: a Core table plus the rule's own columns,
    changed at random with the rule's example values and with arbitrary text."""
    columns = sorted({c for rows in rule.examples for row in rows for c in row})
    table = CORE.head(6).copy().astype(object)
    for column in columns:
        if column not in table:
            table[column] = ""
    values = st.one_of(st.sampled_from(_values_of(rule) + VALUES_LIST), st.text(max_size=8))
    for row, column, value in data.draw(st.lists(st.tuples(
            st.integers(0, 5), st.sampled_from(columns + FIELDS), values), max_size=12)):
        table.at[row, column] = value
    fast = validate_table(table, today=TODAY).findings
    reference = validate_table(table, engine="reference", today=TODAY).findings
    pd.testing.assert_frame_equal(fast, reference)


def test_every_flaw_has_a_place_and_a_rule_that_exists():
    assert set(flaws.ORDER) == set(registry.FLAWS) and len(flaws.ORDER) == len(set(flaws.ORDER))
    for kind, rule in KINDS.items():
        assert rule == "" or rule in RULES, kind
    assert {rule for rule in KINDS.values() if rule} <= set(RULES)


def test_rules_with_a_safe_fix_are_the_ones_fix_table_applies():
    assert sorted(code for code, rule in RULES.items() if rule.has_fix) == [
        "bad-boolean", "bad-country", "excel-date-serial", "label-not-name", "stray-spaces"]


def test_findings_stay_data_until_the_report_words_them():
    table = CORE.head(2).copy()
    table.loc[1, "prs_Gender"] = "Femal"
    report = validate_table(table, today=TODAY)
    [item] = report.items
    assert (item.rule, item.field, item.value, item.row) == ("not-allowed-value", "prs_Gender",
                                                             "Femal", 3)
    assert item.hint is not None and item.hint.id == "standard.did-you-mean"
    assert item.hint.values == {"option": "Feminine"}
    assert len(report.items) == len(report.findings)


def test_hostile_case_documents_are_reported_not_crashed_on():
    documents = hl.generate_cases(3, seed=3)
    documents[0]["people"][0]["person_id"] = ["PRS-1"]  # an identifier that is a list
    documents[1]["people"].append({"prs_FirstName": "No id"})
    documents[2]["events"] = "yesterday"
    found = validate_cases([*documents, "not a case", {"case_id": ["x"]}], today=TODAY).findings
    assert set(found["row"]) == {1, 2, 3, 4, 5}
    assert set(found.loc[found["row"] >= 4, "rule"]) == {"schema"}
    assert "Case 4, (the document): 'not a case' is not of type 'object'." in \
        found["message"].tolist()
