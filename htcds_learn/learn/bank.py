"""The self-check question bank: every lesson's questions, as data, sealed.

A lesson cell shows one line, ``hl.check("00-consent-myth")``; the question, its options, the
feedback for each option and the explanation live in ``learn/questions/<lesson>.json``. The
stored file never shows the answer at a glance: the right answer is kept as a hash (of the
question id and the answer), and the explanation and feedback are sealed with the question id.
Every option carries feedback, so which options have a hint says nothing either. Sealing is
not encryption: it keeps answers out of sight, not out of reach of a determined reader.

**Adding a question** (for lesson authors):

1. Write it plainly in a JSON file outside the repository (a list of questions)::

       [{"id": "05-donor-list", "kind": "single",
         "question": "A donor asks for ... What do you answer?",
         "options": [{"text": "Send the list", "feedback": "The misconception it shows..."},
                     {"text": "Offer aggregate figures", "feedback": "Why it is right..."}],
         "answer": "Offer aggregate figures",
         "explanation": "The worked explanation, shown after a right answer or two tries."}]

   ``kind`` is ``single`` (one right option) or ``multiple`` (tick every right option; the
   answer is a list). Each wrong option's feedback names the misconception behind it; the ids
   start with the lesson number. Order the options so that neither length nor position
   points to the answer (the tests check the bank as a whole).
2. ``python -m htcds_learn.learn.bank add draft.json`` seals them into the lesson's file
   (replacing a question with the same id).
3. Put ``hl.check("05-donor-list")`` in the lesson, right after the idea it tests.

``python -m htcds_learn.learn.bank show 05-donor-list`` prints a question plainly (to edit it
and add it again); ``python -m htcds_learn.learn.bank key`` prints the trainers' answer key.

>>> q = question("00-consent-myth")
>>> q.lesson, q.kind, len(q.options)
('00', 'single', 4)
>>> [q.is_right(option) for option in q.options].count(True)
1
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .._util.files import write_json_atomically
from ..errors import HtcdsLearnError

FOLDER = Path(__file__).resolve().parent / "questions"
KINDS = ("single", "multiple")


class QuestionBankError(HtcdsLearnError):
    """A question id that is not in the bank, or a question written wrongly."""


def _normalise(kind: str, answer: Any) -> str:
    if kind == "multiple":
        return "|".join(sorted(" ".join(str(a).split()).casefold() for a in answer))
    return " ".join(str(answer).split()).casefold()


def digest(question_id: str, kind: str, answer: Any) -> str:
    """The hash the bank keeps instead of the answer."""
    text = f"htcds-learn:{question_id}:{_normalise(kind, answer)}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _keystream(question_id: str, length: int) -> bytes:
    seed = f"htcds-learn-seal:{question_id}".encode()
    blocks = (hashlib.sha256(seed + n.to_bytes(4, "big")).digest()
              for n in range(length // 32 + 1))
    return b"".join(blocks)[:length]


def seal(question_id: str, content: dict[str, Any]) -> str:
    data = json.dumps(content, ensure_ascii=False, sort_keys=True).encode("utf-8")
    stream = _keystream(question_id, len(data))
    return base64.b64encode(bytes(a ^ b for a, b in zip(data, stream))).decode("ascii")


def unseal(question_id: str, sealed: str) -> dict[str, Any]:
    data = base64.b64decode(sealed)
    stream = _keystream(question_id, len(data))
    return json.loads(bytes(a ^ b for a, b in zip(data, stream)).decode("utf-8"))


@dataclass(frozen=True)
class Question:
    """One self-check as the bank stores it: the answer hashed, the feedback sealed."""

    id: str
    kind: str
    question: str
    options: tuple[str, ...]
    answer_hash: str
    sealed: str

    @property
    def lesson(self) -> str:
        return self.id.split("-", 1)[0]

    def is_right(self, response: Any) -> bool:
        return digest(self.id, self.kind, response) == self.answer_hash

    def explanation(self) -> str:
        """The worked explanation (shown after a right answer, or offered after two tries)."""
        return unseal(self.id, self.sealed)["explanation"]

    def feedback(self, option: str) -> str:
        """Why this option is right or wrong (for a wrong one: the misconception behind it)."""
        return unseal(self.id, self.sealed)["feedback"][self.options.index(option)]

    def answer(self) -> str | list[str]:
        """The right answer, found by trying the options (for the trainers' answer key)."""
        if self.kind == "single":
            candidates: Sequence[Any] = self.options
        else:
            candidates = [list(combo) for n in range(1, len(self.options) + 1)
                          for combo in itertools.combinations(self.options, n)]
        right = [c for c in candidates if self.is_right(c)]
        if len(right) != 1:
            raise QuestionBankError(f"Question {self.id} has {len(right)} right answers "
                                    "among its options.", "Add it again from its plain form.")
        return right[0]

    def plain(self) -> dict[str, Any]:
        """The question as an author writes it (the inverse of :func:`seal_question`)."""
        content = unseal(self.id, self.sealed)
        return {"id": self.id, "kind": self.kind, "question": self.question,
                "options": [{"text": text, "feedback": note}
                            for text, note in zip(self.options, content["feedback"])],
                "answer": self.answer(), "explanation": content["explanation"]}


def seal_question(plain: dict[str, Any]) -> dict[str, Any]:
    """Turn an author's plain question into the stored form (see the module's help)."""
    question_id, kind = str(plain.get("id", "")), str(plain.get("kind"))
    problem = None
    options = [option.get("text", "") for option in plain.get("options", [])]
    answer = plain.get("answer")
    chosen = answer if kind == "multiple" and isinstance(answer, list) else [answer]
    if not question_id or "-" not in question_id or not question_id[:2].isdigit():
        problem = "its id must start with the lesson number, like 05-donor-list"
    elif kind not in KINDS:
        problem = f"its kind must be one of {', '.join(KINDS)}"
    elif len(options) < 3 or len(set(options)) != len(options):
        problem = "it needs at least three different options"
    elif any(not option.get("feedback", "").strip() for option in plain["options"]):
        problem = "every option needs feedback (for a wrong one, the misconception behind it)"
    elif not chosen or any(item not in options for item in chosen):
        problem = "its answer must be one of its options (a list of them for 'multiple')"
    elif not plain.get("explanation", "").strip():
        problem = "it needs an explanation"
    if problem:
        raise QuestionBankError(f"Question {question_id or '(no id)'}: {problem}.",
                                "See the help of htcds_learn.learn.bank for the format.")
    content = {"explanation": plain["explanation"],
               "feedback": [option["feedback"] for option in plain["options"]]}
    return {"id": question_id, "kind": kind, "question": plain["question"], "options": options,
            "answer": digest(question_id, kind, answer), "sealed": seal(question_id, content)}


def _from_stored(entry: dict[str, Any]) -> Question:
    return Question(entry["id"], entry["kind"], entry["question"], tuple(entry["options"]),
                    entry["answer"], entry["sealed"])


def _read(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text("utf-8"))["questions"]


@lru_cache(maxsize=1)
def load() -> dict[str, Question]:
    """Every question in the bank, by id, in lesson order."""
    found: dict[str, Question] = {}
    for path in sorted(FOLDER.glob("*.json")):
        for entry in _read(path):
            found[entry["id"]] = _from_stored(entry)
    return found


def question(question_id: str) -> Question:
    """One question by its id."""
    bank = load()
    if question_id not in bank:
        from difflib import get_close_matches

        near = get_close_matches(question_id, bank, n=1)
        raise QuestionBankError(
            f"There is no self-check {question_id!r} in the question bank.",
            f"Did you mean {near[0]!r}?" if near else "Check the id in the lesson cell.")
    return bank[question_id]


def questions(lesson: str) -> list[Question]:
    """A lesson's questions, in the order the lesson asks them."""
    return [q for q in load().values() if q.lesson == lesson]


def add(plain_questions: list[dict[str, Any]], folder: Path = FOLDER) -> list[str]:
    """Seal plain questions into their lessons' files; a question with the same id is replaced
    in place, a new one goes at the end. Returns the ids written."""
    written = []
    for plain in plain_questions:
        stored = seal_question(plain)
        path = folder / f"{stored['id'][:2]}.json"
        entries = _read(path) if path.exists() else []
        ids = [entry["id"] for entry in entries]
        if stored["id"] in ids:
            entries[ids.index(stored["id"])] = stored
        else:
            entries.append(stored)
        write_json_atomically(path, {"lesson": stored["id"][:2], "questions": entries})
        written.append(stored["id"])
    load.cache_clear()
    return written


def answer_key_markdown() -> str:
    """The trainers' answer key: every question, its right answer and its explanation."""
    lines = ["# Self-check answer key", "",
             "Generated from the question bank (`python3 run.py answer-key`). For trainers: "
             "do not hand it to trainees before they try.", ""]
    lesson = None
    for q in load().values():
        if q.lesson != lesson:
            lesson = q.lesson
            lines += [f"## Lesson {lesson}", ""]
        answer = q.answer()
        right = answer if isinstance(answer, list) else [answer]
        lines += [f"**{q.id}.** {q.question}", ""]
        lines += [f"- {'**✔**' if text in right else '✘'} {text}: *{q.feedback(text)}*"
                  for text in q.options]
        lines += ["", f"Explanation: {q.explanation()}", ""]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """``add FILE`` | ``show ID`` | ``key``: the author's and trainer's tools."""
    if argv[:1] == ["add"] and len(argv) == 2:
        plain = json.loads(Path(argv[1]).read_text("utf-8"))
        for question_id in add(plain if isinstance(plain, list) else [plain]):
            print(f"Sealed {question_id} into the bank.")
        return 0
    if argv[:1] == ["show"] and len(argv) == 2:
        print(json.dumps(question(argv[1]).plain(), indent=1, ensure_ascii=False))
        return 0
    if argv == ["key"]:
        print(answer_key_markdown())
        return 0
    print("Use: python -m htcds_learn.learn.bank add FILE.json | show ID | key",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
