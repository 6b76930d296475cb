"""Synthetic HTCDS cases: plausible, consistent, reproducible, and never about a real person.

How it works, and why it is fast:

1. **Pools** (``pools.py``). For each country, Faker (seeded per instance) draws a pool of
   first names, surnames, cities, streets and postcodes in that country's locale, once per
   process. A Faker call costs tens of microseconds, so calling it per record would be slow.
2. **Providers** (``places``, ``people``, ``timeline``, ``exploitation``, ``status``,
   ``contacts``, ``referrals``). Each draws the columns of one concern for a whole block at
   once with numpy: which pool entry, which picklist value, which date. Every rule that ties
   fields together (ages and dates, exploitation subtypes, closure reasons, routes) is applied
   to whole columns. The texts they write come from ``data/texts/en.json``.
3. **Blocks** (``block.py``). Cases are made in blocks of ``BLOCK`` cases, held in a typed
   ``VictimBlock``. Block *b* draws from its own generator, seeded with ``(seed, b)``: the
   same seed gives the same bytes whether you ask for 500 cases or stream a million, and
   memory stays bounded while streaming.
4. **Tables** (``tables.py``, ``core.py``). A block becomes the section tables and the Core
   table; ``directory.py`` names the organisations, workers and places cases point to.

Everything the generator makes is marked synthetic: a ``synthetic`` column in every table and
``"synthetic": true`` in every case document. Identity numbers start with ``SYN-`` and e-mail
addresses use the reserved ``example.*`` domains, so no real address is ever formed.

>>> gen = CaseGenerator(seed=7)
>>> core = gen.core_table(3)
>>> core.loc[0, "case_id"], bool(core["synthetic"].all())
('CASE-0000001', True)
>>> gen.core_table(3).equals(core)  # same seed, same data
True
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache, cached_property
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ProfileError
from ..model import tables_to_documents
from .block import BLOCK, BlockDrawer, VictimBlock
from .core import core_columns
from .directory import Directory
from .pools import CountryPool, Pools
from .profile import Profile, load_profile
from .tables import TableMaker, finish, keep_first_cases, ordered
from .texts import CaseTexts, load_texts


def _progress(items: Iterator[Any], total: int, unit: str) -> Iterator[Any]:
    """A progress bar (tqdm) for long runs: on stderr in a terminal, a widget in notebooks."""
    from tqdm.auto import tqdm

    return tqdm(items, total=total, unit=unit, desc="Generating")


def _countries(profile: Profile, locales: list[str] | None) -> list[str]:
    data = profile.data
    allowed = [c for c in profile.countries()
               if locales is None or data["countries"][c]["faker_locale"] in locales]
    if not allowed:
        used = sorted({v["faker_locale"] for v in data["countries"].values()})
        raise ProfileError(f"None of the locales {', '.join(locales or [])} is used by the "
                           f"profile '{profile.name}'.", f"Choose from: {', '.join(used)}.")
    return allowed


class CaseGenerator:
    """Makes synthetic HTCDS cases from a seed and a profile.

    ``locales`` restricts the countries to those whose Faker locale is listed. ``texts`` are
    the words written into cases (``load_texts("fr")`` for a translation; English by
    default): they change no draw, so the same seed gives the same cases in other words.
    """

    def __init__(self, seed: int = 0, profile: Profile | None = None,
                 locales: list[str] | None = None, texts: CaseTexts | None = None) -> None:
        if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
            raise ValueError(f"The seed must be a whole number of 0 or more, not {seed!r}.")
        self.seed = int(seed)
        self.profile = profile or load_profile()
        self.texts = texts or load_texts()
        self.countries = _countries(self.profile, locales)
        self._pools = Pools(self.profile, self.countries)
        self._drawer = BlockDrawer(self.seed, self.profile, self.countries, self._pools,
                                   self.texts)
        self.directory = Directory(self.seed, self.countries, self.profile, self._pools,
                                   self.texts)
        self._codes = np.array(self.countries, dtype=object)

    @cached_property
    def _tables(self) -> TableMaker:
        return TableMaker(self.seed, self.profile, self.countries, self._pools, self.texts,
                          self.directory)

    def pool(self, code: str) -> CountryPool:
        """The names and places Faker drew for the country ``code``."""
        return self._pools.of(code)

    def block(self, number: int) -> VictimBlock:
        """Every victim-level column of block ``number`` (cases number * BLOCK + 1 onwards)."""
        return self._drawer.draw(number)

    def _blocks(self, n_cases: int, progress: bool = False) -> Iterator[tuple[int, int]]:
        """(block number, how many of its cases to keep) for ``n_cases`` cases."""
        blocks: Any = ((block, min(BLOCK, n_cases - start))
                       for block, start in enumerate(range(0, n_cases, BLOCK)))
        if progress:
            blocks = _progress(blocks, total=-(-n_cases // BLOCK), unit="block")
        return blocks

    def _core_columns(self, number: int, keep: int) -> dict[str, np.ndarray]:
        return core_columns(self.block(number).head(keep), self.directory.lookups, self._codes)

    def iter_core(self, n_cases: int, *, progress: bool = False) -> Iterator[pd.DataFrame]:
        """The Core table in blocks of ``BLOCK`` rows: for streaming large datasets.

        (Sharing blocks among processes was measured and gave nothing on two cores: sending
        the strings back costs as much as making them.)
        """
        for number, keep in self._blocks(n_cases, progress):
            yield pd.DataFrame(self._core_columns(number, keep), copy=False)

    def core_table(self, n_cases: int, *, progress: bool = False) -> pd.DataFrame:
        """One row per victim with the 38 Core columns of IOM's template (lookups as names)."""
        parts = [self._core_columns(number, keep)
                 for number, keep in self._blocks(n_cases, progress)]
        if not parts:
            return pd.DataFrame(self._core_columns(0, 0), copy=False)
        # Joining the columns' arrays is several times faster than pd.concat of frames.
        columns = {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}
        return pd.DataFrame(columns, copy=False)

    def iter_tables(self, n_cases: int, *, progress: bool = False
                    ) -> Iterator[dict[str, pd.DataFrame]]:
        """The flat tables block by block, then one last part with the shared records.

        Each block holds ``BLOCK`` cases with their people, contexts, referrals, events,
        plans, comments, consents and Core rows. The last part holds the organisations, the
        places and the case workers those cases point to. Concatenating the parts gives
        :meth:`tables`; streaming them keeps memory bounded for very large datasets.
        """
        used_locations: set[tuple[int, int]] = set()
        for number, keep in self._blocks(n_cases, progress):
            block = self.block(number)
            parts = keep_first_cases(self._tables.tables(block), block, keep)
            places = block.places
            for country, city in ((block.route.origin, places.origin_city_index),
                                  (block.route.destination, places.destination_city_index)):
                used_locations.update(zip(country[:keep].tolist(), city[:keep].tolist()))
            yield {name: finish(name, frame) for name, frame in ordered(parts).items()}
        organisations, workers = self.directory.rows
        locations = self.directory.locations(sorted(used_locations))
        yield {"people": finish("people", workers),
               "organisations": finish("organisations",
                                       pd.concat([organisations, locations],
                                                 ignore_index=True))}

    def tables(self, n_cases: int, *, progress: bool = False) -> dict[str, pd.DataFrame]:
        """Every flat table (one per section) and the Core table, joined by identifiers."""
        parts: dict[str, list[pd.DataFrame]] = {}
        for chunk in self.iter_tables(n_cases, progress=progress):
            for name, frame in chunk.items():
                parts.setdefault(name, []).append(frame)
        tables = {name: pd.concat(frames, ignore_index=True) for name, frames in parts.items()}
        for name in ("people", "organisations"):
            tables[name] = finish(name, tables[name])  # restore dtypes after concatenation
        return ordered(tables)

    def documents(self, n_cases: int, *, progress: bool = False) -> Iterator[dict[str, Any]]:
        """Nested case documents (valid against the package's JSON Schema), streamed.

        Each document carries the people and organisations it points to.
        """
        organisations, workers = self.directory.rows
        shared_people = finish("people", workers)
        shared_organisations = finish("organisations", pd.concat(
            [organisations, self.directory.every_location()], ignore_index=True))
        for part in self.iter_tables(n_cases, progress=progress):
            if "cases" not in part:
                continue  # the closing part holds only the shared records
            tables = dict(part)
            tables["people"] = pd.concat([part["people"], shared_people], ignore_index=True)
            tables["organisations"] = shared_organisations
            yield from tables_to_documents(tables)


def generate_tables(n_cases: int, seed: int = 0, *, profile: Profile | None = None,
                    locales: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """Every flat table for ``n_cases`` synthetic cases (see :class:`CaseGenerator`)."""
    return CaseGenerator(seed, profile, locales).tables(n_cases)


def generate_cases(n_cases: int, seed: int = 0, *, profile: Profile | None = None,
                   locales: list[str] | None = None) -> list[dict[str, Any]]:
    """``n_cases`` synthetic nested case documents."""
    return list(CaseGenerator(seed, profile, locales).documents(n_cases))


COURSE_CASES = 500
COURSE_SEED = 2026


def course_dataset() -> dict[str, pd.DataFrame]:
    """The course's own 500 synthetic cases (the same as the files in synthetic_data/).

    Made once per process (lessons ask for it several times); each call gets its own copies,
    so a change to one call's tables never shows in the next.

    >>> data = course_dataset()
    >>> data["core"].loc[0, "prs_Gender"] = "changed"
    >>> course_dataset()["core"].loc[0, "prs_Gender"] != "changed"
    True
    """
    return {name: frame.copy() for name, frame in _course_tables().items()}


@cache
def _course_tables() -> dict[str, pd.DataFrame]:
    return generate_tables(COURSE_CASES, COURSE_SEED)


def generate_core(n_cases: int, seed: int = 0, *, profile: Profile | None = None,
                  locales: list[str] | None = None) -> pd.DataFrame:
    """The one-row-per-victim Core table for ``n_cases`` synthetic cases."""
    return CaseGenerator(seed, profile, locales).core_table(n_cases)
