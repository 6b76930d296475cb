"""Governance teaching tools: the templates are complete, the donor gets only safe counts."""

from __future__ import annotations

import pandas as pd
import pytest

import htcds_learn as hl
from htcds_learn.learn import governance


@pytest.mark.parametrize("name", sorted(governance.TEMPLATES))
def test_templates_have_unique_sections_with_plain_questions(name):
    template = hl.document_template(name)
    ids = [s.id for s in template.sections]
    assert len(ids) == len(set(ids)) and all(s.title and s.ask.endswith((".", "?"))
                                            for s in template.sections)
    assert hl.missing_sections(name, template.blank()) == ids
    filled = {key: "written" for key in ids}
    assert hl.missing_sections(name, filled) == []
    assert "|" in template._repr_markdown_() and template.title in template._repr_html_()


def test_the_dpia_has_the_parts_the_course_teaches():
    ids = [s.id for s in hl.document_template("dpia").sections]
    for part in ("processing", "necessity", "risks_individuals", "risks_groups", "mitigations",
                 "residual_risk", "sign_off"):
        assert part in ids


def test_unknown_template_names_the_choices():
    with pytest.raises(KeyError, match="dpia, dsa"):
        hl.document_template("contract")


def test_consent_roles_count_every_consent_once():
    consents = hl.course_dataset()["consents"]
    table = hl.consent_roles(consents)
    assert table["people"].sum() == len(consents)
    assert table.loc["Self", ["child agreed too", "child did not agree"]].sum() == 0
    children = consents[consents["consent_given_by"] != "Self"]
    assert table[["child agreed too", "child did not agree"]].sum().sum() == len(children)


def test_the_donor_gets_counts_with_no_small_count_readable():
    core = hl.course_dataset()["core"]
    table, why = hl.donor_counts(core)
    body = table.drop(index="Total", columns="Total")
    assert set(body.index) == {"adult", "child"}  # counts of people, never rows about people
    visible = body[body != "hidden"].stack().astype(int)
    assert ((visible == 0) | (visible >= 11)).all()
    hidden = body == "hidden"
    assert hidden.to_numpy().any()
    for line in [*hidden.to_numpy(), *hidden.to_numpy().T]:  # never one lone hidden cell
        assert line.sum() != 1
    consented = int(hl.with_consent(core).sum())
    assert table.loc["Total", "Total"] == str(consented)
    reasons = why.drop(index="Total", columns="Total")  # the reasons carry the totals too
    assert (reasons.to_numpy()[hidden.to_numpy()] != "").all()


def test_the_donor_table_counts_ages_at_referral():
    core = pd.DataFrame({"prs_Birthdate": ["2000-03-02", "2000-03-01"],
                         "cas_IncomingReferralDate": ["2018-03-01", "2018-03-01"],
                         "con_Consent": ["True", "True"]})
    table, _ = hl.donor_counts(core, threshold=1)
    assert table.loc["child", "2018"] == "1" and table.loc["adult", "2018"] == "1"
