"""Self-checks: hashed answers, sealed explanations, hints, progress, and the widget itself."""

from __future__ import annotations

import ast
import itertools
import json
import re
from pathlib import Path

import pytest

from htcds_learn.learn import widgets
from htcds_learn.learn.progress import ProgressRecord

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
HEX64 = re.compile(r"^[0-9a-f]{64}$")


def make(kind="single", answer="Feminine", **kwargs):
    key = widgets.answer_key("t-1", answer, explanation="Because value names are stored.")
    maker = {"single": widgets.single_choice, "multiple": widgets.multiple_choice}[kind]
    return maker("t-1", "Q?", ["Female", "Feminine", "Woman"], answer=key["answer"],
                 explanation=key["explanation"], lesson="01", **kwargs)


def test_a_right_answer_unseals_the_explanation_and_is_recorded(progress_home):
    check = make(hints={"Female": "Look at the value names."})
    assert check.submit("Feminine") == widgets.Result(
        True, "Correct! Because value names are stored.")
    record = ProgressRecord()
    assert record.passed("t-1")
    assert record.data["checks"]["t-1"]["attempts"] == 1


def test_a_wrong_answer_gets_its_hint_and_is_counted(progress_home):
    check = make(hints={"Female": "Look at the value names."})
    assert check.submit("Female") == widgets.Result(
        False, "Not quite. Have another look and try again. Look at the value names.")
    assert check.submit("Woman").message == "Not quite. Have another look and try again."
    entry = ProgressRecord().data["checks"]["t-1"]
    assert entry == {"lesson": "01", "attempts": 2, "passed": False}


def test_an_empty_answer_is_not_counted(progress_home):
    assert make().submit(None).message == "Choose or type an answer first."
    assert not (progress_home / "progress.json").exists()


def test_multiple_choice_ignores_order_and_needs_every_right_option(progress_home):
    key = widgets.answer_key("m-1", ["b", "a"])
    check = widgets.multiple_choice("m-1", "Q?", ["a", "b", "c"], answer=key["answer"])
    assert check.submit(["a", "b"]).correct
    assert not check.submit(["a"]).correct
    assert not check.submit(["a", "b", "c"]).correct


def test_numbers_and_text_are_normalised(progress_home):
    key = widgets.answer_key("n-1", 38)
    check = widgets.number("n-1", "How many?", answer=key["answer"])
    assert check.submit("38").correct and check.submit(" 38.0 ").correct
    assert not check.submit("37").correct
    assert check.submit("thirty-eight").message == "Type a number, for example 38."
    key = widgets.answer_key("s-1", "con_Consent")
    assert widgets.short_text("s-1", "Which?", answer=key["answer"]).submit(" CON_consent ").correct


def test_the_answer_hash_depends_on_the_question():
    assert widgets.answer_key("a", "x")["answer"] != widgets.answer_key("b", "x")["answer"]


def test_the_widget_gives_feedback_when_its_button_is_clicked(progress_home):
    check = make()
    box = check.widget()
    _, choices, button, feedback = box.children
    choices.value = "Feminine"
    button.click()
    assert "Correct!" in feedback.value and "✔" in feedback.value
    choices.value = "Woman"
    button.click()
    assert "Not quite" in feedback.value


def test_the_field_explorer_shows_the_chosen_field():
    explorer = widgets.field_explorer("Consent")
    (section_box, field_box), card = explorer.children[0].children, explorer.children[1]
    assert field_box.value == "con_Consent" and "con_Consent" in card.value
    section_box.value = "Case"
    assert field_box.value == "cas_Status" and "FollowUp" in card.value


def _self_checks(path: Path):
    notebook = json.loads(path.read_text("utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse("".join(cell["source"]))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") in (
                    "single_choice", "multiple_choice", "number", "short_text"):
                yield node.func.attr, [ast.literal_eval(a) for a in node.args], {
                    k.arg: ast.literal_eval(k.value) for k in node.keywords}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_self_check_hides_its_answer_and_has_exactly_one_right_option(path):
    checks = list(_self_checks(path))
    assert len(checks) >= 2, f"{path.name} needs at least two self-checks"
    for kind, args, keywords in checks:
        check_id, answer = args[0], keywords["answer"]
        assert HEX64.match(answer), f"{check_id}: the answer must be a hash"
        assert check_id.split("-")[0] == path.name[:2], f"{check_id} is in {path.name}"
        if kind in ("single_choice", "multiple_choice"):
            options = args[2]
            assert answer not in options
            sizes = [1] if kind == "single_choice" else range(1, len(options) + 1)
            right = [combo for n in sizes for combo in itertools.combinations(options, n)
                     if widgets._digest(check_id, "single" if kind == "single_choice"
                                        else "multiple",
                                        combo[0] if kind == "single_choice" else combo)
                     == answer]
            assert len(right) == 1, f"{check_id}: {len(right)} right answers among the options"
            for option in keywords.get("hints", {}):
                assert option in options, f"{check_id}: hint for unknown option {option!r}"
