"""The glossary: one definition per term, its page up to date, and each term linked from the
lesson that first uses it."""

from __future__ import annotations

import json
import re

import pytest

from htcds_learn.learn import glossary
from htcds_learn.learn.lessons import LESSONS


def test_the_glossary_page_is_made_from_the_data(repo):
    assert (repo / "notebooks" / "glossary.md").read_text("utf-8") == glossary.markdown()


def test_every_term_is_defined_once_in_plain_words():
    names = [item["term"].casefold() for item in glossary.terms()]
    assert len(names) == len(set(names)) >= 30
    for item in glossary.terms():
        assert 40 < len(item["definition"]) < 330, item["term"]
        assert item["lesson"] in {lesson.number for lesson in LESSONS}


def test_a_term_is_looked_up_by_name_and_an_unknown_one_says_what_there_is():
    assert glossary.glossary("quasi-IDENTIFIER").startswith("Quasi-identifier: A field that")
    with pytest.raises(glossary.HtcdsLearnError, match="It has: Notebook, Kernel"):
        glossary.glossary("blockchain")


@pytest.mark.parametrize("lesson", LESSONS,
                         ids=lambda lesson: lesson.number)
def test_each_term_is_linked_where_its_lesson_first_uses_it(repo, lesson):
    notebook = json.loads((repo / "notebooks" / lesson.notebook).read_text("utf-8"))
    prose = "".join("".join(cell["source"]) for cell in notebook["cells"]
                    if cell["cell_type"] == "markdown")
    linked = set(re.findall(r"\]\(glossary\.md#([^)]+)\)", prose))
    wanted = {glossary.anchor(item["term"]) for item in glossary.terms()
              if item["lesson"] == lesson.number}
    assert wanted <= linked, f"not linked: {sorted(wanted - linked)}"
    assert linked <= {glossary.anchor(item["term"]) for item in glossary.terms()}
