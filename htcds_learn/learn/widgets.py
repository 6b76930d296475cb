"""Self-checks and explorers for the lessons (ipywidgets).

A lesson cell shows one line, ``hl.check("01-value-names")``. The question comes from the
question bank (:mod:`htcds_learn.learn.bank`), where the answer is kept only as a hash and the
feedback is sealed, so the notebook and the package do not show the answer at a glance.

A wrong answer gets the feedback for the option chosen (the misconception behind it). After two
wrong tries, the explanation is offered. Every attempt is counted in the trainee's progress
record, and a lesson counts as done once each of its self-checks has been tried.

>>> check = SelfCheck(bank.question("01-value-names"), record=False)
>>> check.submit("Female").correct
False
>>> result = check.submit("Feminine")
>>> result.correct, result.message.startswith("Correct!")
(True, True)
"""

from __future__ import annotations

import html
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import standard
from . import bank
from .lessons import LESSONS
from .progress import ProgressRecord

TRY_AGAIN = "Not quite."
TRIES_BEFORE_EXPLANATION = 2


@dataclass(frozen=True)
class Result:
    correct: bool
    message: str
    offer_explanation: bool = False


class SelfCheck:
    """One question from the bank, with instant feedback."""

    def __init__(self, question: bank.Question, *, record: bool = True) -> None:
        self.question = question
        self.record = record
        self.wrong_tries = 0

    @property
    def check_id(self) -> str:
        return self.question.id

    def submit(self, response: Any) -> Result:
        """Check a response, record the attempt, and say what to do next."""
        q = self.question
        if response is None or response == "" or list(response or []) == []:
            return Result(False, "Choose an answer first.")
        correct = q.is_right(response)
        if self.record:
            record = ProgressRecord()
            record.record_attempt(q.id, lesson=q.lesson, correct=correct)
            ids = [item.id for item in bank.questions(q.lesson)]
            if all(record.attempted(item) for item in ids):
                record.complete_lesson(q.lesson)
            _refresh_live_views()
        if correct:
            return Result(True, f"Correct! {q.explanation()}")
        self.wrong_tries += 1
        if q.kind == "single":
            notes = [q.feedback(response)]
        else:
            answer = set(q.answer())
            ticked_wrong = [option for option in response if option not in answer]
            missing = len(answer - set(response))
            notes = [q.feedback(option) for option in ticked_wrong]
            if not notes:
                notes = [f"Every option you ticked is right, but {missing} more "
                         f"{'is' if missing == 1 else 'are'} right too."]
        offer = self.wrong_tries >= TRIES_BEFORE_EXPLANATION
        return Result(False, " ".join([TRY_AGAIN, *notes]), offer)

    def worked_explanation(self) -> str:
        """The explanation with every option marked right or wrong, and why (as HTML)."""
        q = self.question
        answer = q.answer()
        right = set(answer) if isinstance(answer, list) else {answer}
        items = "".join(
            f"<li>{'✔' if option in right else '✘'} <b>{html.escape(option)}</b>: "
            f"{html.escape(q.feedback(option))}</li>" for option in q.options)
        return f"<p>{html.escape(q.explanation())}</p><ul>{items}</ul>"

    # --- the widget -------------------------------------------------------------------
    def _input(self) -> tuple[Any, Callable[[], Any]]:
        import ipywidgets as w

        layout = w.Layout(width="auto")
        if self.question.kind == "single":
            box = w.RadioButtons(options=list(self.question.options), value=None,
                                 layout=layout)
            box.add_class("htcds-wrap")
            return box, lambda: box.value
        boxes = [w.Checkbox(description=o, value=False, indent=False, layout=layout)
                 for o in self.question.options]
        return w.VBox(boxes), lambda: [b.description for b in boxes if b.value]

    def widget(self) -> Any:
        """The form: question, choices, a Check button, the feedback, and (after two wrong
        tries) a button that shows the explanation."""
        import ipywidgets as w

        entry, read = self._input()
        button = w.Button(description="Check", button_style="primary", icon="check")
        explain = w.Button(description="Show the explanation", icon="lightbulb-o",
                           layout=w.Layout(display="none", width="auto"))
        feedback = w.HTML()
        explanation = w.HTML()

        def on_check(_: Any) -> None:
            result = self.submit(read())
            colour = "#1b5e20" if result.correct else "#8a3c00"
            symbol = "✔" if result.correct else "✘"
            feedback.value = (f'<p style="color:{colour};font-size:1.05em">'
                              f"{symbol} {html.escape(result.message)}</p>")
            if result.offer_explanation:
                explain.layout.display = ""

        def on_explain(_: Any) -> None:
            explanation.value = self.worked_explanation()
            explain.layout.display = "none"

        button.on_click(on_check)
        explain.on_click(on_explain)
        kind = ("Tick every right answer." if self.question.kind == "multiple"
                else "Choose one answer.")
        title = w.HTML(f"<p><b>Self-check.</b> {html.escape(self.question.question)} "
                       f"<i>{kind}</i></p>")
        box = w.VBox([title, entry, w.HBox([button, explain]), feedback, explanation],
                     layout=w.Layout(border="1px solid #bbb", padding="8px"))
        box.add_class("htcds-self-check")
        return box

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget())


def check(question_id: str) -> SelfCheck:
    """The self-check ``question_id`` from the question bank, shown as a form."""
    return SelfCheck(bank.question(question_id))


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


_LIVE_VIEWS: weakref.WeakSet[Any] = weakref.WeakSet()


class _LiveView:
    """An HTML widget that redraws itself whenever a self-check is answered."""

    def __init__(self, draw: Callable[[], str]) -> None:
        import ipywidgets as w

        self.draw = draw
        self.widget = w.HTML(draw())
        self.widget._htcds_view = self  # lives as long as the widget it draws
        _LIVE_VIEWS.add(self)

    def refresh(self) -> None:
        self.widget.value = self.draw()


def _refresh_live_views() -> None:
    for view in list(_LIVE_VIEWS):
        view.refresh()


def _lesson_status(lesson: str) -> str:
    record = ProgressRecord()
    ids = [q.id for q in bank.questions(lesson)]
    tried = sum(record.attempted(i) for i in ids)
    if record.data["lessons"].get(lesson, {}).get("completed_at"):
        return (f"<p>✔ <b>Lesson {html.escape(lesson)} is done.</b> You tried all "
                f"{len(ids)} self-checks. Well done.</p>")
    return (f"<p>Lesson {html.escape(lesson)} is not finished yet: you have tried {tried} of "
            f"its {len(ids)} self-checks. Answer the others above; this line updates by "
            "itself.</p>")


def lesson_complete(lesson: str) -> Any:
    """The end of a lesson: whether it is done (every self-check tried), and the progress.

    A lesson is marked done when each of its self-checks has been tried, not when this cell
    runs, so Run All alone never marks a lesson done.
    """
    import ipywidgets as w

    return w.VBox([_LiveView(lambda: _lesson_status(lesson)).widget, progress_summary()])


def _progress_table() -> str:
    record = ProgressRecord()
    table = record.summary().set_index("lesson")
    rows = []
    for item in LESSONS:
        total = len(bank.questions(item.number))
        tried = int(table.at[item.number, "attempted"]) if item.number in table.index else 0
        right = int(table.at[item.number, "passed"]) if item.number in table.index else 0
        done = item.number in table.index and bool(table.at[item.number, "completed"])
        rows.append(f"<tr><td>{item.number}</td><td>{html.escape(item.title)}</td>"
                    f"<td>{tried} of {total}</td><td>{right} of {total}</td>"
                    f"<td>{'✔ done' if done else ''}</td></tr>")
    return ("<table class='htcds-progress'><thead><tr><th>Lesson</th><th>Title</th>"
            "<th>Self-checks tried</th><th>Answered right</th><th>Done</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
            "<p><i>Saved only on this computer. It updates as you answer.</i></p>")


def progress_summary() -> Any:
    """The trainee's progress in every lesson, as a table that updates as checks are answered."""
    return _LiveView(_progress_table).widget
