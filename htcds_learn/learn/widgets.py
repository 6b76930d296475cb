"""Self-check questions and explorers for the lessons (ipywidgets).

A self-check never shows its answer in the notebook: the notebook holds a *hash* of the right
answer, and the explanation that follows a right answer is sealed with that answer, so it can
only be read by answering. Authors make both with :func:`answer_key`.

>>> key = answer_key("demo-1", "Feminine", explanation="Value names are stored; labels are shown.")
>>> check = single_choice("demo-1", "Which text is stored?", ["Female", "Feminine"],
...                       answer=key["answer"], explanation=key["explanation"],
...                       hints={"Female": "Look at the value names, not everyday words."},
...                       lesson="01", record=False)
>>> check.submit("Female").correct
False
>>> result = check.submit("Feminine")
>>> result.correct, result.message
(True, 'Correct! Value names are stored; labels are shown.')
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .. import standard
from ..model import mermaid_diagram
from .progress import ProgressRecord

TRY_AGAIN = "Not quite. Have another look and try again."


def _normalise(kind: str, answer: Any) -> str:
    if kind == "multiple":
        return "|".join(sorted(" ".join(str(a).split()).casefold() for a in answer))
    if kind == "number":
        return repr(round(float(answer), 6))
    return " ".join(str(answer).split()).casefold()


def _digest(check_id: str, kind: str, answer: Any) -> str:
    text = f"htcds-learn:{check_id}:{_normalise(kind, answer)}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _keystream(check_id: str, kind: str, answer: Any, length: int) -> bytes:
    seed = f"htcds-learn-seal:{check_id}:{_normalise(kind, answer)}".encode()
    stream = b""
    counter = 0
    while len(stream) < length:
        stream += hashlib.sha256(seed + counter.to_bytes(4, "big")).digest()
        counter += 1
    return stream[:length]


def _seal(check_id: str, kind: str, answer: Any, text: str) -> str:
    data = text.encode("utf-8")
    stream = _keystream(check_id, kind, answer, len(data))
    return base64.b64encode(bytes(a ^ b for a, b in zip(data, stream))).decode("ascii")


def _unseal(check_id: str, kind: str, answer: Any, sealed: str) -> str:
    data = base64.b64decode(sealed)
    stream = _keystream(check_id, kind, answer, len(data))
    return bytes(a ^ b for a, b in zip(data, stream)).decode("utf-8")


def answer_key(check_id: str, answer: Any, *, explanation: str = "",
               kind: str | None = None) -> dict[str, str]:
    """For lesson authors: the hash of the right answer and the sealed explanation.

    ``kind`` is guessed from the answer: a list means multiple choice, a number a number.
    Paste the two strings into the notebook, never the answer itself.
    """
    if kind is None:
        kind = ("multiple" if isinstance(answer, (list, tuple, set))
                else "number" if isinstance(answer, (int, float)) else "single")
    return {
        "answer": _digest(check_id, kind, answer),
        "explanation": _seal(check_id, kind, answer, explanation) if explanation else "",
    }


@dataclass(frozen=True)
class Result:
    correct: bool
    message: str


class SelfCheck:
    """One question with instant feedback. Use the helpers below to make one."""

    def __init__(
        self, check_id: str, question: str, kind: str, *, answer: str,
        options: Sequence[str] = (), hints: dict[str, str] | None = None,
        hint: str = "", explanation: str = "", lesson: str = "", record: bool = True,
    ) -> None:
        self.check_id = check_id
        self.question = question
        self.kind = kind
        self.answer_hash = answer
        self.options = list(options)
        self.hints = dict(hints or {})
        self.hint = hint
        self.sealed_explanation = explanation
        self.lesson = lesson or check_id.split("-", 1)[0]
        self.record = record
        self._widget: Any = None

    def submit(self, response: Any) -> Result:
        """Check a response, record the attempt, and say what to do next."""
        if response is None or response == "" or response == [] or response == ():
            return Result(False, "Choose or type an answer first.")
        try:
            correct = _digest(self.check_id, self.kind, response) == self.answer_hash
        except (TypeError, ValueError):
            return Result(False, "Type a number, for example 38.")
        if self.record:
            ProgressRecord().record_attempt(self.check_id, lesson=self.lesson, correct=correct)
        if correct:
            explanation = ""
            if self.sealed_explanation:
                explanation = _unseal(self.check_id, self.kind, response,
                                      self.sealed_explanation)
            return Result(True, f"Correct! {explanation}".strip())
        hints = []
        chosen = response if self.kind == "multiple" else [response]
        for option in chosen:
            if str(option) in self.hints:
                hints.append(self.hints[str(option)])
        if not hints and self.hint:
            hints.append(self.hint)
        return Result(False, " ".join([TRY_AGAIN, *hints]))

    # --- the widget -------------------------------------------------------------------
    def _input(self) -> tuple[Any, Callable[[], Any]]:
        import ipywidgets as w

        layout = w.Layout(width="auto")
        if self.kind == "single":
            box = w.RadioButtons(options=self.options, value=None, layout=layout)
            return box, lambda: box.value
        if self.kind == "multiple":
            boxes = [w.Checkbox(description=o, value=False, indent=False, layout=layout)
                     for o in self.options]
            return w.VBox(boxes), lambda: [b.description for b in boxes if b.value]
        if self.kind == "number":
            box = w.Text(placeholder="Type a number", layout=w.Layout(width="16em"))
            return box, lambda: box.value.strip()
        box = w.Text(placeholder="Type your answer", layout=w.Layout(width="30em"))
        return box, lambda: box.value

    def widget(self) -> Any:
        """The ipywidgets form: question, choices, a Check button and the feedback."""
        import ipywidgets as w

        entry, read = self._input()
        button = w.Button(description="Check", button_style="primary", icon="check")
        feedback = w.HTML()

        def on_click(_: Any) -> None:
            result = self.submit(read())
            colour = "#1b5e20" if result.correct else "#8a3c00"
            symbol = "✔" if result.correct else "✘"
            feedback.value = (f'<p style="color:{colour};font-size:1.05em">'
                              f"{symbol} {html.escape(result.message)}</p>")

        button.on_click(on_click)
        title = w.HTML(f"<b>Self-check.</b> {html.escape(self.question)}")
        self._widget = w.VBox([title, entry, button, feedback],
                              layout=w.Layout(border="1px solid #bbb", padding="8px"))
        self._widget.add_class("htcds-self-check")
        return self._widget

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget())


def single_choice(check_id: str, question: str, options: Sequence[str], *, answer: str,
                  **kwargs: Any) -> SelfCheck:
    """A question with one right option among several."""
    return SelfCheck(check_id, question, "single", answer=answer, options=options, **kwargs)


def multiple_choice(check_id: str, question: str, options: Sequence[str], *, answer: str,
                    **kwargs: Any) -> SelfCheck:
    """A question where every right option (and no wrong one) must be ticked."""
    return SelfCheck(check_id, question, "multiple", answer=answer, options=options, **kwargs)


def short_text(check_id: str, question: str, *, answer: str, **kwargs: Any) -> SelfCheck:
    """A question answered with a word or a field name (letter case and spaces ignored)."""
    return SelfCheck(check_id, question, "text", answer=answer, **kwargs)


def number(check_id: str, question: str, *, answer: str, **kwargs: Any) -> SelfCheck:
    """A question answered with a number."""
    return SelfCheck(check_id, question, "number", answer=answer, **kwargs)


# --- explorers -----------------------------------------------------------------------

def field_explorer(section: str | None = None) -> Any:
    """Pick a section and a field to read its definition and allowed values."""
    import ipywidgets as w

    names = [s.name for s in standard.sections(with_fields_only=True)]
    section_box = w.Dropdown(options=names, value=section or names[0], description="Section")
    field_box = w.Dropdown(description="Field")
    card = w.HTML()

    def show_section(_: Any = None) -> None:
        chosen = standard.fields(section_box.value, include_deprecated=True)
        field_box.options = [(f"{f.label} ({f.name})", f.name) for f in chosen]
        field_box.value = chosen[0].name

    def show_field(_: Any = None) -> None:
        if field_box.value:
            card.value = standard.field(field_box.value)._repr_html_()

    section_box.observe(show_section, names="value")
    field_box.observe(show_field, names="value")
    show_section()
    show_field()
    return w.VBox([w.HBox([section_box, field_box]), card])


def validation_explorer(report: Any, table: Any = None) -> Any:
    """Browse a validation report: filter by field and severity, see the record behind a
    finding (with the flagged field marked)."""
    import ipywidgets as w

    findings = report.findings
    fields = ["All fields", *sorted(findings["field"].unique())]
    field_box = w.Dropdown(options=fields, description="Field")
    severity_box = w.Dropdown(options=["All", "error", "warning"], description="Severity")
    chooser = w.Select(rows=8, layout=w.Layout(width="100%"))
    record = w.HTML()
    count = w.HTML()

    def refresh(_: Any = None) -> None:
        chosen = findings
        if field_box.value != "All fields":
            chosen = chosen[chosen["field"] == field_box.value]
        if severity_box.value != "All":
            chosen = chosen[chosen["severity"] == severity_box.value]
        count.value = f"<p>{len(chosen):,} of {len(findings):,} findings.</p>"
        chooser.options = [(message, index) for index, message in
                           chosen["message"].head(500).items()]
        record.value = ""

    def show(_: Any = None) -> None:
        if chooser.value is None or table is None:
            return
        finding = findings.loc[chooser.value]
        position = int(finding["row"]) - report.first_row
        if not 0 <= position < len(table):
            record.value = "<p>This finding is about a column, not a row.</p>"
            return
        row = table.iloc[position]
        marked = ' style="background:#ffe7c2"'
        cells = "".join(
            f"<tr{marked if column == finding['field'] else ''}>"
            f"<td><code>{html.escape(str(column))}</code></td>"
            f"<td>{html.escape(str(value))}</td></tr>" for column, value in row.items())
        record.value = (f"<p><b>Row {int(finding['row'])}</b> "
                        f"(the flagged field is highlighted)</p><table>{cells}</table>")

    field_box.observe(refresh, names="value")
    severity_box.observe(refresh, names="value")
    chooser.observe(show, names="value")
    refresh()
    return w.VBox([w.HTML(f"<p>{html.escape(report.summary())}</p>".replace("\n", "<br>")),
                   w.HBox([field_box, severity_box]), count, chooser, record])


def show_data_model() -> Any:
    """The package's data model as a diagram (Mermaid, drawn by JupyterLab)."""
    from IPython.display import Markdown

    return Markdown(f"```mermaid\n{mermaid_diagram()}\n```")


def lesson_complete(lesson: str) -> Any:
    """Record that a lesson is finished and show the trainee's progress."""
    import ipywidgets as w

    ProgressRecord().complete_lesson(lesson)
    return w.VBox([w.HTML(f"<p>✔ Lesson {html.escape(lesson)} is marked as done.</p>"),
                   progress_summary()])


def progress_summary() -> Any:
    """The trainee's progress so far, as a small table widget."""
    import ipywidgets as w

    table = ProgressRecord().summary()
    if table.empty:
        return w.HTML("<p>No self-checks answered yet. They appear in every lesson.</p>")
    return w.HTML(table.to_html(index=False))
