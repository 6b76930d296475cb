"""The message catalogue: every sentence a person reads, by id; a language is one more file."""

from __future__ import annotations

import ast
import json
import string
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

import htcds_learn as hl
from htcds_learn import messages, model, standard
from htcds_learn.errors import HtcdsLearnError
from htcds_learn.validation import RULES, validate_cases, validate_table
from htcds_learn.validation.flaws import inject_flaws

PACKAGE = Path(hl.__file__).parent
TODAY = date(2026, 1, 1)


def test_every_entry_renders_with_its_placeholders():
    for message_id in messages.ids():
        names = messages.placeholders(message_id)
        rendered = messages.text(message_id, **{n: f"<{n}>" for n in names})
        assert all(f"<{n}>" in rendered for n in names), message_id
        assert "{" not in rendered.replace("{}", ""), message_id


def _source_calls() -> tuple[set[str], str]:
    """The ids passed literally to the catalogue in the package, and all its source text."""
    used, source = set(), ""
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text("utf-8")
        source += text
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Call) and node.args and \
                    isinstance(node.args[0], ast.Constant) and \
                    isinstance(node.args[0].value, str):
                name = node.func.attr if isinstance(node.func, ast.Attribute) \
                    else getattr(node.func, "id", "")
                if name in ("Message", "text", "from_catalogue", "template"):
                    used.add(node.args[0].value)
    return used, source


def test_the_code_asks_only_for_ids_the_catalogue_has_and_every_entry_is_used():
    used, source = _source_calls()
    known = set(messages.ids())
    dynamic = [i for i in used if "{" in i or i.endswith(".")]
    assert not (used - known - set(dynamic)), sorted(used - known)
    for code in RULES:
        for part in ("title", "why", "template"):
            assert f"rule.{code}.{part}" in known, (code, part)
    rule_ids = {i for i in known if i.startswith("rule.") and i.split(".")[1] in RULES}
    unused = [i for i in known - rule_ids
              if i not in source and i.rsplit(".", 1)[0] not in source]
    assert unused == []


def _fragments() -> set[str]:
    """The English phrases of every template (the text between placeholders)."""
    out = set()
    for message_id in messages.ids():
        for literal, _, _, _ in string.Formatter().parse(messages.template(message_id, "en")):
            out |= {part.strip() for part in literal.split("'")
                    if len(part.strip()) >= 9 and " " in part.strip()}
    return out


@pytest.fixture
def pseudo_language(tmp_path, monkeypatch):
    """A second language, "xx", in a folder of its own: every template replaced by its id in
    brackets, keeping its placeholders."""
    table = {i: f"⟪{i}⟫" + " ".join("{" + n + "}" for n in sorted(messages.placeholders(i)))
             for i in messages.ids()}
    (tmp_path / "xx.json").write_text(json.dumps(table), "utf-8")
    monkeypatch.setenv("HTCDS_LEARN_MESSAGES", str(tmp_path))
    return "xx"


def _what_people_read(dirty, documents):
    report = validate_table(dirty, today=TODAY, source="x.csv")
    cases = validate_cases(documents, today=TODAY)
    texts = [report.summary(), report._repr_html_(), cases.summary(),
             *model.schema_errors(documents[1]), standard.field("prs_Gender").summary(),
             standard.field("vic_Vulnerabilities")._repr_html_(), hl.rules_table().to_csv()]
    for wrong in (lambda: standard.field("prs_Gendr"), lambda: standard.value_name(
            "prs_FirstName", "x"), lambda: model.entity("victim"),
            lambda: validate_table(dirty, engine="slow")):
        with pytest.raises(HtcdsLearnError) as error:
            wrong()
        texts.append(str(error.value))
    return report.findings, cases.findings, texts


def test_a_second_language_is_one_file_and_changes_the_words_and_nothing_else(pseudo_language):
    dirty, _ = inject_flaws(hl.generate_core(300, seed=2), rate=0.4, seed=1)
    dirty["Nationality"] = "NG"
    documents = hl.generate_cases(4, seed=3)
    documents[1]["people"][0].update(prs_Gender="Femal", prs_Citizenship=["Nigeria"])
    documents[2]["victims"][0]["vic_LocationOfExploitation"] = "LOC-XX-999"
    documents[3]["events"][0]["hte_Date"] = "1901-01-01"
    english = _what_people_read(dirty, documents)
    with messages.language(pseudo_language):
        other = _what_people_read(dirty, documents)
    for ours, theirs in zip(english[:2], other[:2]):
        words = ["message", "hint"]
        pd.testing.assert_frame_equal(ours.drop(columns=words), theirs.drop(columns=words))
        assert (ours["message"] != theirs["message"]).all()
        assert theirs["message"].str.startswith("⟪finding.").all()
        assert theirs["hint"].map(lambda hint: hint == "" or hint.startswith("⟪")).all()
    assert set(english[1]["rule"]) >= {"schema", "unknown-reference", "date-order",
                                       "not-allowed-value"}
    fragments = _fragments()
    translated = [*other[0]["message"], *other[0]["hint"], *other[1]["message"], *other[2]]
    leaks = {(f, t) for t in translated for f in fragments if f in t}
    assert not leaks, sorted(leaks)[:5]
    assert all(t.startswith(("⟪", "<p>⟪", "<h4>")) or "⟪" in t for t in other[2])


def test_a_missing_translation_falls_back_to_english(tmp_path, monkeypatch):
    (tmp_path / "xx.json").write_text(json.dumps({"standard.did-you-mean": "¿{option}?"}))
    monkeypatch.setenv("HTCDS_LEARN_MESSAGES", str(tmp_path))
    with messages.language("xx"):
        assert standard.suggest("Femal", ["Feminine"]) == "¿Feminine?"
        assert str(standard.kinds.kind("boolean").classify(None, "yes").hint) == "Write True."
