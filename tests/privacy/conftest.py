"""Releases made once per test session, for the attacks to play against."""

from __future__ import annotations

import pandas as pd
import pytest

import htcds_learn as hl
from htcds_learn import privacy as pv

CASES = 3000


@pytest.fixture(scope="session")
def core() -> pd.DataFrame:
    return hl.generate_core(CASES, seed=11)


@pytest.fixture(scope="session")
def key() -> bytes:
    return pv.new_key()


@pytest.fixture(scope="session")
def research(core, key) -> pv.Release:
    return pv.share(core, purpose="research", key=key, recipient="University")


@pytest.fixture(scope="session")
def ctdc(core) -> pv.Release:
    return pv.share(core, purpose="ctdc", recipient="CTDC")
