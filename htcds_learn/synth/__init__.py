"""Synthetic HTCDS cases, made with Faker and numpy: never about real people.

``generator`` makes cases block by block (the same case whatever the batch size). Each
concern has its own provider module (``places``, ``people``, ``timeline``, ``exploitation``,
``status``, ``contacts``, ``referrals``) that draws its columns into the typed block
(``block``); ``tables`` and ``core`` turn a block into tables, ``directory`` names the
organisations and places cases point to. ``pools`` holds Faker's names and places per
country; ``texts`` the words written into cases (``data/texts/en.json``), which
``text_provider`` offers one at a time in Faker; ``profile`` the proportions a trainer can
edit; ``dataset`` writes whole datasets to disk.

>>> from htcds_learn import synth
>>> len(synth.generate_core(3, seed=1))
3
"""

from __future__ import annotations

from .block import BLOCK, VictimBlock
from .dataset import FORMATS, DatasetError, write_dataset
from .days import whole_years_between
from .generator import (
    COURSE_CASES,
    COURSE_SEED,
    CaseGenerator,
    course_dataset,
    generate_cases,
    generate_core,
    generate_tables,
)
from .pools import POOL_SEED
from .profile import Profile, load_profile
from .texts import CaseTexts, TextsError, load_texts

__all__ = [
    "BLOCK", "COURSE_CASES", "COURSE_SEED", "FORMATS", "POOL_SEED", "CaseGenerator",
    "CaseTexts", "DatasetError", "Profile", "TextsError", "VictimBlock",
    "course_dataset", "generate_cases", "generate_core", "generate_tables", "load_profile",
    "load_texts", "whole_years_between", "write_dataset",
]
