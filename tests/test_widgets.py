"""Self-checks: the question bank (sealed, fair), the feedback flow, progress, the widgets."""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from htcds_learn.learn import bank, widgets
from htcds_learn.learn.lessons import LESSONS
from htcds_learn.learn.progress import ProgressRecord

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CHECK_CELL = re.compile(r'^hl\.check\("([0-9a-z-]+)"\)$')
QUESTIONS = list(bank.load().values())


def plain_example(**changes):
    question = {
        "id": "99-demo", "kind": "single", "question": "Which text is stored?",
        "options": [{"text": "Female", "feedback": "Everyday word, not a value name."},
                    {"text": "Feminine", "feedback": "The value name."},
                    {"text": "F", "feedback": "A short code, not a value."}],
        "answer": "Feminine", "explanation": "Value names are stored; labels are shown."}
    question.update(changes)
    return question


def lesson_checks(path: Path) -> list[str]:
    notebook = json.loads(path.read_text("utf-8"))
    found = []
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code" and "hl.check(" in source:
            match = CHECK_CELL.match(source.strip())
            assert match, f"{path.name}: a self-check cell is one line, not {source!r}"
            found.append(match.group(1))
    return found


# --- the bank ---------------------------------------------------------------------------

@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_every_question_has_one_right_answer_feedback_for_each_option_and_an_explanation(
        question):
    assert question.kind in bank.KINDS and len(question.options) >= 3
    answer = question.answer()  # raises unless exactly one option (or set) is right
    right = answer if isinstance(answer, list) else [answer]
    assert 0 < len(right) < len(question.options)
    for option in question.options:
        assert len(question.feedback(option)) > 15, f"{question.id}: {option!r}"
    assert len(question.explanation()) > 30


def test_the_stored_bank_does_not_show_answers_explanations_or_which_options_have_hints():
    for path in sorted(bank.FOLDER.glob("*.json")):
        raw = path.read_text("utf-8")
        for entry in json.loads(raw)["questions"]:
            assert set(entry) == {"id", "kind", "question", "options", "answer", "sealed"}
            assert re.fullmatch(r"[0-9a-f]{64}", entry["answer"])
        for question in bank.questions(path.stem):
            assert question.explanation()[:40] not in raw
            for option in question.options:
                assert question.feedback(option)[:40] not in raw


def test_length_and_position_do_not_give_the_answer_away():
    singles = [q for q in QUESTIONS if q.kind == "single"]
    longest = [q.id for q in singles
               if len(q.answer()) == max(len(option) for option in q.options)]
    assert len(longest) <= len(singles) / 3, f"the right answer is the longest in {longest}"
    positions = Counter(q.options.index(q.answer()) for q in singles)
    assert max(positions.values()) <= len(singles) / 2, positions


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_each_lesson_asks_its_bank_questions_once_each_in_one_line_cells(path):
    asked = lesson_checks(path)
    assert len(asked) >= 2, f"{path.name} needs at least two self-checks"
    assert asked == [q.id for q in bank.questions(path.name[:2])]


def test_every_lesson_has_a_bank_file_and_nothing_else_does():
    assert sorted(p.stem for p in bank.FOLDER.glob("*.json")) == [
        lesson.number for lesson in LESSONS]


def test_sealing_round_trips_and_adding_replaces_by_id(tmp_path):
    stored = bank.seal_question(plain_example())
    question = bank._from_stored(stored)
    assert question.plain() == plain_example()
    assert bank.add([plain_example()], folder=tmp_path) == ["99-demo"]
    bank.add([plain_example(question="Which text does the database store?")],
             folder=tmp_path)
    saved = json.loads((tmp_path / "99.json").read_text())
    assert [q["question"] for q in saved["questions"]] == ["Which text does the database store?"]


@pytest.mark.parametrize("change, problem", [
    ({"id": "demo"}, "must start with the lesson number"),
    ({"kind": "text"}, "kind must be one of"),
    ({"answer": "Woman"}, "answer must be one of its options"),
    ({"options": [{"text": "A", "feedback": "x"}, {"text": "B", "feedback": ""},
                  {"text": "C", "feedback": "z"}], "answer": "A"}, "every option needs"),
    ({"explanation": " "}, "needs an explanation"),
])
def test_a_badly_written_question_is_refused_with_the_reason(change, problem):
    with pytest.raises(bank.QuestionBankError, match=problem):
        bank.seal_question(plain_example(**change))


def test_an_unknown_id_suggests_the_nearest():
    with pytest.raises(bank.QuestionBankError, match="Did you mean '00-real-data'"):
        bank.question("00-real-dat")


def test_the_answer_key_lists_every_question_with_its_right_answer():
    key = bank.answer_key_markdown()
    for question in QUESTIONS:
        assert f"**{question.id}.**" in key
        answer = question.answer()
        for option in answer if isinstance(answer, list) else [answer]:
            assert f"- **✔** {option}:" in key


# --- the feedback flow ------------------------------------------------------------------

def test_a_wrong_answer_gets_the_feedback_of_its_option_then_the_explanation_is_offered(
        progress_home):
    check = widgets.check("01-value-names")
    question = check.question
    first = check.submit("Female")
    assert not first.correct and not first.offer_explanation
    assert first.message == f"Not quite. {question.feedback('Female')}"
    second = check.submit("Woman")
    assert second.offer_explanation
    assert html.escape(question.explanation()) in check.worked_explanation()
    result = check.submit("Feminine")
    assert result == widgets.Result(True, f"Correct! {question.explanation()}")
    entry = ProgressRecord().data["checks"]["01-value-names"]
    assert entry["attempts"] == 3 and entry["passed"]


def test_multiple_choice_explains_a_wrong_tick_and_counts_what_is_missing(progress_home):
    check = widgets.check("04-never")
    question = check.question
    right = question.answer()
    wrong_option = next(o for o in question.options if o not in right)
    result = check.submit([right[0], wrong_option])
    assert result.message == f"Not quite. {question.feedback(wrong_option)}"
    assert check.submit([right[0]]).message == (
        "Not quite. Every option you ticked is right, but 2 more are right too.")
    assert check.submit(list(reversed(right))).correct


def test_an_empty_answer_is_not_counted(progress_home):
    assert widgets.check("00-real-data").submit(None).message == "Choose an answer first."
    assert widgets.check("04-never").submit([]).message == "Choose an answer first."
    assert not (progress_home / "progress.json").exists()


def test_a_lesson_is_done_only_when_every_self_check_was_tried(progress_home):
    ids = [q.id for q in bank.questions("00")]
    view = widgets.lesson_complete("00")
    assert "tried 0 of its 3 self-checks" in view.children[0].value
    for question_id in ids[:-1]:
        widgets.check(question_id).submit(widgets.check(question_id).question.options[0])
    assert "completed_at" not in ProgressRecord().data["lessons"].get("00", {})
    last = widgets.check(ids[-1])
    last.submit(last.question.options[0])
    assert "completed_at" in ProgressRecord().data["lessons"]["00"]
    assert "Lesson 00 is done" in view.children[0].value  # the view redrew itself
    table = view.children[1].value
    assert "<td>00</td><td>Welcome to htcds-learn</td><td>3 of 3</td>" in table


# --- the widgets ------------------------------------------------------------------------

def test_the_form_gives_feedback_and_offers_the_explanation_after_two_wrong_tries(
        progress_home):
    check = widgets.check("01-value-names")
    box = check.widget()
    title, choices, (button, explain), feedback, explanation = (
        box.children[0], box.children[1], box.children[2].children, box.children[3],
        box.children[4])
    assert "Which text should" in title.value and explain.layout.display == "none"
    choices.value = "F"
    button.click()
    assert "✘ Not quite." in feedback.value and explain.layout.display == "none"
    choices.value = "Woman"
    button.click()
    assert explain.layout.display == ""
    explain.click()
    assert "✔ <b>Feminine</b>" in explanation.value
    choices.value = "Feminine"
    button.click()
    assert "✔ Correct!" in feedback.value


def test_the_field_explorer_shows_the_chosen_field():
    explorer = widgets.field_explorer("Consent")
    (section_box, field_box), card = explorer.children[0].children, explorer.children[1]
    assert field_box.value == "con_Consent" and "con_Consent" in card.value
    section_box.value = "Case"
    assert field_box.value == "cas_Status" and "FollowUp" in card.value
