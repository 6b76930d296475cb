"""The course glossary: plain-language definitions, kept as data in ``learn/glossary.json``.

Lessons link a term's first use to its heading in ``notebooks/glossary.md``, which is made
from the data (``python -m htcds_learn.learn.glossary > notebooks/glossary.md``; a test checks
it is up to date). In a notebook, ``hl.glossary("seed")`` shows one definition.

>>> glossary("seed").startswith("Seed: A starting number for random choices.")
True
"""

from __future__ import annotations

import json
import sys
from functools import lru_cache
from pathlib import Path

from ..errors import HtcdsLearnError

DATA = Path(__file__).resolve().parent / "glossary.json"


@lru_cache(maxsize=1)
def terms() -> list[dict[str, str]]:
    """Every term with its definition and the lesson that first uses it."""
    return json.loads(DATA.read_text("utf-8"))["terms"]


def anchor(term: str) -> str:
    """The heading id JupyterLab gives a term's heading (spaces become '-')."""
    return term.replace(" ", "-")


class Definition(str):
    """A definition that shows itself as a short paragraph in a notebook."""

    def _repr_html_(self) -> str:
        import html

        term, _, text = self.partition(": ")
        return f"<p><b>{html.escape(term)}</b>: {html.escape(text)}</p>"


def glossary(term: str) -> Definition:
    """The definition of one term (letter case ignored)."""
    for item in terms():
        if item["term"].casefold() == term.strip().casefold():
            return Definition(f"{item['term']}: {item['definition']}")
    known = ", ".join(item["term"] for item in terms())
    raise HtcdsLearnError(f"The glossary has no term {term!r}.", f"It has: {known}.")


def markdown() -> str:
    """The glossary page, in the order a trainee meets the terms."""
    lines = ["# Glossary", "",
             "Words this course uses, in plain language, in the order the lessons meet them. "
             "The number after each word is the lesson that first uses it.", ""]
    for item in terms():
        lines += [f"## {item['term']}", "", f"{item['definition']} *(Lesson {item['lesson']}.)*",
                  ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(markdown())
