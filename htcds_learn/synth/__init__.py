"""Synthetic HTCDS cases, made with Faker and numpy: never about real people.

``generator`` makes cases block by block (the same case whatever the batch size), ``profile``
holds the proportions a trainer can edit, ``dataset`` writes whole datasets to disk.

>>> from htcds_learn import synth
>>> len(synth.generate_core(3, seed=1))
3
"""

from __future__ import annotations

from .dataset import FORMATS, DatasetError, write_dataset
from .generator import (
    BLOCK,
    COURSE_CASES,
    COURSE_SEED,
    POOL_SEED,
    CaseGenerator,
    course_dataset,
    generate_cases,
    generate_core,
    generate_tables,
    whole_years_between,
)
from .profile import Profile, load_profile

__all__ = [
    "BLOCK", "COURSE_CASES", "COURSE_SEED", "FORMATS", "POOL_SEED", "CaseGenerator",
    "DatasetError", "Profile", "course_dataset", "generate_cases", "generate_core",
    "generate_tables", "load_profile", "whole_years_between", "write_dataset",
]
