"""Duplicate records found without identifiers: a row entered twice, or one person twice.

IOM's Excel template has no case id column, and a record typed in twice usually gets a new
id, so ``duplicate-id`` cannot see these. Two rules look at what the record says instead:

* ``repeated-record``: two rows that name a person and are the same in every cell except
  their identifiers. The later row is reported against the first row with that content.
* ``likely-same-person``: two rows with the same birth date and citizenship whose names are
  the same once written alike (capitals, accents, spaces, punctuation, first and second name
  swapped), or nearly the same (rapidfuzz's ``ratio`` of at least :data:`NAME_SIMILARITY`, a
  typo in a longer name). Each row is reported against the first earlier row it matches.

Every pair is reported both ways: "repeats row 3" on row 9, and "is repeated in row 9" on
row 3, so whoever reads either row sees the other. Rows are compared only within a *block*
of the same birth date and citizenship; in a block of more than :data:`MAX_FUZZY_BLOCK`
rows (a placeholder date such as 1900-01-01 shared by many), only names written alike match,
so the time stays linear in the rows.

>>> import pandas as pd
>>> rows = pd.DataFrame({"prs_FirstName": ["Ana", "Bo", "ANA "],
...                      "prs_SecondName": ["Souza", "Lee", "Sóuza"],
...                      "prs_Birthdate": ["1990-01-02", "1990-01-02", "1990-01-02"],
...                      "prs_Citizenship": ["BR", "BR", "BR"]})
>>> likely_pairs_fast(rows)
[(0, 2)]
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date

import numpy as np
import pandas as pd

from ...messages import Message
from ...standard import kinds
from ...standard.kinds import split_items
from ..context import FastTable, ReferenceTable
from ..finding import Finding
from ..registry import Change, FlawSite, Rule, flaw, register
from .identity import key_columns, later_repeats

NAMES = ("prs_FirstName", "prs_SecondName")
BIRTH, CITIZENSHIP = "prs_Birthdate", "prs_Citizenship"
# rapidfuzz's ratio (0-100) from which two names in one block are taken for one person. One
# letter changed in a name of 9 letters or more scores 88.9 or more; two different short
# names stay below (Ada Eze/Ana Eze: 85.7). Longer ones can pass (Maria Silva/Mario Silva:
# 90.9), but they must also share a birth date and a citizenship, and the finding is a
# warning that asks a person to check. The benchmark measures precision and recall here.
NAME_SIMILARITY = 88.0
# Rows with one birth date and citizenship compared pair by pair; above this, names must be
# written alike (a hash lookup), so a million rows with a placeholder date stay linear.
MAX_FUZZY_BLOCK = 64
# Buckets of characters counted to rule out pairs of names before rapidfuzz compares them.
LETTER_BUCKETS = 32


# Every ASCII character that is not a letter or a digit, to a space (for normal_name).
_ASCII_SPACES = {c: " " for c in range(128) if not chr(c).isalnum()}


def identifier_columns(columns: Iterable[str]) -> set[str]:
    """Columns that identify a record rather than describe it (compared by ``duplicate-id``)."""
    return {c for c in columns if str(c).endswith("_id")}


def normal_name(text: str) -> str:
    """A name written alike: no accents, lower case, letters and digits only, one space.

    >>> normal_name("  Sóuza-LIMA,  Ana ")
    'souza lima ana'
    """
    if text.isascii():  # the same, faster: no accents to take off, letters are a-z
        return " ".join(text.lower().translate(_ASCII_SPACES).split())
    return _normal_any_name(text)


def _normal_any_name(text: str) -> str:
    """:func:`normal_name` for any text (the way for text that is not ASCII)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(" " if not (ch.isalnum() or unicodedata.combining(ch)) else ch
                   for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(kept.split())


def normal_citizenship(text: str) -> str:
    return ";".join(sorted({i.strip().upper() for i in split_items(text) if i.strip()}))


def birth_day(text: str) -> int:
    parsed = kinds.Date.parse(text)
    return -1 if parsed is None else parsed.toordinal()


def similar(a: str, b: str) -> bool:
    """Two normal names (first then second) that are nearly the same (see the module)."""
    from rapidfuzz import fuzz

    return fuzz.ratio(a, b) >= NAME_SIMILARITY


# --- the fast engine: whole columns ---------------------------------------------------------

def _fast_table(table: FastTable | pd.DataFrame) -> FastTable:
    """The engine's view of a table (any frame: its cells as text, as the engines read them)."""
    if isinstance(table, FastTable):
        return table
    from ..._util.frames import as_text

    return FastTable(as_text(table, renumber=True), date.today())


def _codes(table: FastTable, column: str) -> tuple[np.ndarray, np.ndarray]:
    c = table.column(column)
    return c.codes, c.uniques


def _named(table: FastTable) -> np.ndarray | None:
    """Rows that name a person (a first or second name that is not blank)."""
    names = [n for n in NAMES if n in table.columns]
    if not names:
        return None
    named = np.zeros(len(table), dtype=bool)
    for name in names:
        codes, uniques = _codes(table, name)
        filled = np.fromiter((bool(v.strip()) for v in uniques), dtype=bool,
                             count=len(uniques))
        named |= filled[codes]
    return named


def _content_ids(table: FastTable, rows: np.ndarray) -> np.ndarray:
    """For each of ``rows``, a number that is the same exactly when every described cell (all
    but the identifiers) is; only rows that may repeat one another are factorised."""
    from ..._util.frames import factorize_exact

    ids = identifier_columns(table.columns)
    columns = [c for c in table.columns if c not in ids]
    if not columns or not len(rows):
        return np.zeros(len(rows), dtype=np.int64)
    subset = table.text.iloc[rows].reset_index(drop=True)
    frame = pd.DataFrame({i: factorize_exact(subset[c])[0] for i, c in enumerate(columns)})
    return frame.groupby(list(frame.columns), sort=False).ngroup().to_numpy()


def _seen_id(table: FastTable, rows: np.ndarray) -> np.ndarray:
    """Which of ``rows`` ``duplicate-id`` reports (an identifier seen in an earlier row, not
    blank): its own answer, not a second grouping of a million identifiers."""
    keys = key_columns(table.columns)
    if not keys:
        return np.zeros(len(rows), dtype=bool)
    return np.isin(rows, later_repeats(table, keys))


def repeated_pairs_fast(table: FastTable | pd.DataFrame) -> list[tuple[int, int]]:
    """(first row, later row) for every later row that repeats an earlier one (positions)."""
    table = _fast_table(table)
    named = _named(table)
    if named is None or not named.any():
        return []
    # Rows that repeat each other share their names (and birth date): only those are compared
    # cell by cell.
    same = [c for c in (*NAMES, BIRTH) if c in table.columns]
    shared = pd.DataFrame({c: _codes(table, c)[0] for c in same}).duplicated(keep=False)
    candidates = np.flatnonzero(shared.to_numpy() & named)
    if not len(candidates):
        return []
    content = pd.Series(_content_ids(table, candidates))
    later = content.duplicated(keep="first").to_numpy() & ~_seen_id(table, candidates)
    first = pd.Series(candidates).groupby(content.to_numpy()).transform("first").to_numpy()
    return list(zip(first[later].tolist(), candidates[later].tolist()))


def _names(table: FastTable, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For ``rows``: the normal name (first then second) and the same swapped (second then
    first), as object arrays; and each name's letters counted (:func:`_letters`), one row of
    counts per row."""
    parts, letters = [], np.zeros((len(rows), LETTER_BUCKETS), dtype=np.uint8)
    for name in NAMES:
        if name in table.columns:
            codes, uniques = _codes(table, name)
            mine = codes[rows]
            used, back = np.unique(mine, return_inverse=True)  # normalise each name once
            normal = np.empty(len(used), dtype=object)
            normal[:] = [normal_name(v) for v in uniques[used].tolist()]
            back = back.reshape(-1)
            parts.append(normal[back])
            letters += _letters(normal.tolist())[back]
        else:
            parts.append(np.full(len(rows), "", dtype=object))
    first, second = parts
    both = (first != "") & (second != "")
    plain = np.where(both, first + " ", first) + second
    swapped = np.where(both, second + " ", second) + first
    return plain, swapped, letters


def _letters(names: list[str]) -> np.ndarray:
    """How many of each name's characters (spaces aside) fall in each of
    :data:`LETTER_BUCKETS` buckets (a character's code modulo the buckets).

    Turning one name into another takes at least as many insertions and deletions as their
    counts differ, bucket by bucket; so the counts bound rapidfuzz's ``ratio`` from above,
    exactly, and most pairs of names are ruled out without comparing them.

    >>> _letters(["ab a", "b"])[:, [1, 2]].tolist()
    [[2, 1], [0, 1]]
    """
    lengths = np.fromiter(map(len, names), dtype=np.int64, count=len(names))
    codes = np.frombuffer("".join(names).encode("utf-32-le"), dtype=np.uint32)
    owner = np.repeat(np.arange(len(names)), lengths)
    counted = codes != ord(" ")
    counts = np.zeros((len(names), LETTER_BUCKETS), dtype=np.int64)
    np.add.at(counts, (owner[counted], codes[counted] % LETTER_BUCKETS), 1)
    # At most 127 a bucket (two parts of a name fit a byte): counts cut alike differ no more
    # than the counts, so the bound holds.
    return np.minimum(counts, 127).astype(np.uint8)


def _may_be_similar(letters: np.ndarray, length: np.ndarray, left: np.ndarray,
                    right: np.ndarray) -> np.ndarray:
    """Which pairs may score NAME_SIMILARITY: those whose letter counts differ by no more
    than the insertions and deletions that score allows (see :func:`_letters`)."""
    allowed = (1 - NAME_SIMILARITY / 100) * (length[left] + length[right]) + 1e-6
    keep = np.zeros(len(left), dtype=bool)
    for start in range(0, len(left), 200_000):  # in slices: bounded memory
        part = slice(start, start + 200_000)
        differ = np.abs(letters[left[part]].astype(np.int16)
                        - letters[right[part]].astype(np.int16)).sum(axis=1)
        keep[part] = differ <= allowed[part]
    return keep


def likely_pairs_fast(table: FastTable | pd.DataFrame) -> list[tuple[int, int]]:
    """(earlier row, later row): each later row with the first earlier row it matches."""
    from rapidfuzz import fuzz
    from rapidfuzz.process import cpdist

    table = _fast_table(table)
    named = _named(table)
    if named is None or BIRTH not in table.columns or CITIZENSHIP not in table.columns:
        return []
    b_codes, b_uniques = _codes(table, BIRTH)
    birth = np.array([birth_day(v) for v in b_uniques.tolist()], dtype=np.int64)[b_codes]
    c_codes, c_uniques = _codes(table, CITIZENSHIP)
    normal = np.empty(len(c_uniques), dtype=object)
    normal[:] = [normal_citizenship(v) for v in c_uniques.tolist()]
    citizenship_code = pd.factorize(normal)[0][c_codes]
    blank_citizenship = (normal == "")[c_codes]
    rows = np.flatnonzero(named & (birth >= 0) & ~blank_citizenship)
    if len(rows) < 2:
        return []
    block = pd.DataFrame({"b": birth[rows], "c": citizenship_code[rows]}).groupby(
        ["b", "c"], sort=False).ngroup().to_numpy()
    sizes = np.bincount(block)[block]
    rows, block, sizes = rows[sizes >= 2], block[sizes >= 2], sizes[sizes >= 2]
    if not len(rows):
        return []
    plain, swapped, letters = _names(table, rows)
    best: dict[int, int] = {}
    # Blocks small enough for every pair: all pairs at once, scored by rapidfuzz in C.
    small = np.flatnonzero(sizes <= MAX_FUZZY_BLOCK)
    left, right = _pairs_within(small, block[small])  # indexes into rows
    if len(left):
        # Names of very different lengths cannot score NAME_SIMILARITY (the ratio is at most
        # 200 x the shorter / both lengths): only the others are compared, in C.
        length = np.fromiter(map(len, plain.tolist()), dtype=np.int64, count=len(plain))
        short, long = np.minimum(length[left], length[right]), np.maximum(
            length[left], length[right])
        close = np.flatnonzero(200 * short >= (NAME_SIMILARITY - 0.01) * (short + long))
        left, right = left[close], right[close]
        alike = length[left] == length[right]  # names written alike are as long
        same = np.flatnonzero(alike)
        alike[same] = (plain[left[same]] == plain[right[same]]) | (
            plain[left[same]] == swapped[right[same]])
        score = np.zeros(len(left))
        rest = np.flatnonzero(~alike)
        rest = rest[_may_be_similar(letters, length, left[rest], right[rest])]
        if len(rest):
            score[rest] = cpdist(plain[left[rest]].tolist(), plain[right[rest]].tolist(),
                                 scorer=fuzz.ratio, workers=-1, score_cutoff=NAME_SIMILARITY)
        keep = np.flatnonzero(alike | (score >= NAME_SIMILARITY))
        left, right = left[keep], right[keep]
        involved = np.unique(np.concatenate([left, right]))
        content = np.full(len(rows), -1, dtype=np.int64)
        content[involved] = _content_ids(table, rows[involved])
        differ = content[left] != content[right]
        for i, j in zip(rows[left[differ]].tolist(), rows[right[differ]].tolist()):
            if j not in best or i < best[j]:
                best[j] = i
    # Large blocks: names written alike only, the first earlier row of another content.
    big = np.flatnonzero(sizes > MAX_FUZZY_BLOCK)
    big = big[np.argsort(rows[big], kind="stable")]
    content = np.full(len(rows), -1, dtype=np.int64)
    content[big] = _content_ids(table, rows[big])
    firsts: dict[tuple[int, str], list[int]] = {}
    for index in big.tolist():
        options = [i for name in (plain[index], swapped[index])
                   for i in firsts.get((block[index], name), [])
                   if content[i] != content[index]]
        if options:
            best[int(rows[index])] = int(rows[min(options)])
        seen = firsts.setdefault((block[index], plain[index]), [])
        if len(seen) < 2 and all(content[i] != content[index] for i in seen):
            seen.append(index)
    return sorted((i, j) for j, i in best.items())


def _pairs_within(rows: np.ndarray, block: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (earlier, later) pair of rows that share a block, as two arrays."""
    order = np.lexsort((rows, block))
    rows, block = rows[order], block[order]
    lefts, rights = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for gap in range(1, len(rows)):  # each row with the one `gap` places on, in its block
        index = np.flatnonzero(block[:-gap] == block[gap:])
        if not len(index):
            break  # blocks are runs: no pair `gap` apart means none further apart either
        lefts.append(rows[index])
        rights.append(rows[index + gap])
    return np.concatenate(lefts), np.concatenate(rights)


# --- the reference engine: one record at a time ---------------------------------------------

def repeated_pairs_reference(table: ReferenceTable) -> list[tuple[int, int]]:
    """The same as :func:`repeated_pairs_fast`, written plainly."""
    names = [n for n in NAMES if n in table.columns]
    if not names:
        return []
    ids = identifier_columns(table.columns)
    described = [c for c in table.columns if c not in ids]
    keys = key_columns(table.columns)
    first_with: dict[tuple[str, ...], int] = {}
    seen_keys: set[tuple[str, ...]] = set()
    pairs = []
    for record in table.records:
        content = tuple(record.cells[c] for c in described)
        key = tuple(record.cells[k] for k in keys)
        seen_id = bool(keys) and key in seen_keys and not all(record.blank(k) for k in keys)
        seen_keys.add(key)
        named = any(not record.blank(n) for n in names)
        if content in first_with:
            if named and not seen_id:
                pairs.append((first_with[content], record.position))
        else:
            first_with[content] = record.position
    return pairs


def likely_pairs_reference(table: ReferenceTable) -> list[tuple[int, int]]:
    """The same as :func:`likely_pairs_fast`, written plainly."""
    names = [n for n in NAMES if n in table.columns]
    if not names or BIRTH not in table.columns or CITIZENSHIP not in table.columns:
        return []
    ids = identifier_columns(table.columns)
    described = [c for c in table.columns if c not in ids]
    people = []
    for record in table.records:
        first, second = (normal_name(record.cells[n]) if n in table.columns else ""
                         for n in NAMES)
        plain = f"{first} {second}" if first and second else first + second
        swapped = f"{second} {first}" if first and second else second + first
        block = (birth_day(record.cells[BIRTH]), normal_citizenship(record.cells[CITIZENSHIP]))
        usable = any(not record.blank(n) for n in names) and block[0] >= 0 and block[1] != ""
        people.append((record.position, usable, block, plain, swapped,
                       tuple(record.cells[c] for c in described)))
    sizes: dict[tuple[int, str], int] = {}
    for _, usable, block, *_ in people:
        if usable:
            sizes[block] = sizes.get(block, 0) + 1
    earlier: dict[tuple[int, str], list[tuple[int, str, tuple[str, ...]]]] = {}
    pairs = []
    for position, usable, block, plain, swapped, content in people:
        if not usable:
            continue
        fuzzy = sizes[block] <= MAX_FUZZY_BLOCK
        for other, other_plain, other_content in earlier.get(block, []):
            if other_content == content:
                continue
            if other_plain in (plain, swapped) or (fuzzy and similar(other_plain, plain)):
                pairs.append((other, position))
                break
        earlier.setdefault(block, []).append((position, plain, content))
    return sorted(pairs)


# --- the rules ------------------------------------------------------------------------------

def _field(columns: Sequence[str]) -> str:
    return next(n for n in NAMES if n in columns)


def both_ways(code: str, pairs: list[tuple[int, int]], columns: Sequence[str],
              cell) -> list[Finding]:
    """Two findings per pair, one on each row, each naming the other (by position; the
    report turns ``other_position`` into the spreadsheet row ``other_row``)."""
    if not pairs:
        return []
    field = _field(columns)
    found = []
    for first, later in pairs:
        found.append((later, first, "repeats"))
        found.append((first, later, "repeated-in"))
    found.sort()
    return [Finding(code, field, cell(field, position), position,
                    params={"other_position": other,
                            "relation": Message(f"rule.{code}.{relation}")})
            for position, other, relation in found]


def _reference_cell(table: ReferenceTable):
    return lambda column, position: table.records[position].cells[column]


@register
class RepeatedRecord(Rule):
    """A record entered twice: every cell but the identifiers the same."""

    code = "repeated-record"
    examples = ([{"prs_FirstName": "Ana", "prs_Gender": "Feminine"},
                 {"prs_FirstName": "Bo", "prs_Gender": "Masculine"},
                 {"prs_FirstName": "Ana", "prs_Gender": "Feminine"}],
                [{"case_id": "CASE-1", "prs_SecondName": "Lee"},
                 {"case_id": "CASE-2", "prs_SecondName": "Lee"}])

    def fast(self, table: FastTable) -> Iterable[Finding]:
        return both_ways(self.code, repeated_pairs_fast(table), table.columns, table.cell)

    def reference(self, table: ReferenceTable) -> Iterable[Finding]:
        return both_ways(self.code, repeated_pairs_reference(table), table.columns,
                         _reference_cell(table))

    @staticmethod
    @flaw("repeated-record")
    def enter_again(site: FlawSite) -> Change | None:
        """An earlier record typed in again under new identifiers."""
        if site.position == 0 or not any(site.has(n) for n in NAMES):
            return None
        other = int(site.rng.integers(site.position))
        ids = identifier_columns(site.columns)
        columns = [c for c in site.dirty.columns if c not in ids]
        field = _field(site.dirty.columns)
        if not any(str(site.dirty.at[other, n]).strip() for n in NAMES if site.has(n)):
            return None
        original = site.cell(field)
        site.dirty.loc[site.position, columns] = site.dirty.loc[other, columns].to_numpy()
        site.partner = other
        return field, original, site.cell(field)


@register
class LikelySamePerson(Rule):
    """One person in two records: same birth date and citizenship, a name nearly the same."""

    code = "likely-same-person"
    severity = "warning"
    examples = ([{"prs_FirstName": "Ana", "prs_SecondName": "Souza",
                  "prs_Birthdate": "1990-01-02", "prs_Citizenship": "BR",
                  "cas_Status": "Active"},
                 {"prs_FirstName": "ANA", "prs_SecondName": "Sóuza ",
                  "prs_Birthdate": "1990-01-02", "prs_Citizenship": "BR",
                  "cas_Status": "Closed"}],
                [{"prs_FirstName": "Chiamaka", "prs_SecondName": "Okafor",
                  "prs_Birthdate": "2001-05-06", "prs_Citizenship": "NG", "case_id": "C-1"},
                 {"prs_FirstName": "Okafor", "prs_SecondName": "Chiamaka",
                  "prs_Birthdate": "2001-05-06", "prs_Citizenship": "NG", "case_id": "C-2"},
                 {"prs_FirstName": "Chiamaka", "prs_SecondName": "Okafr",
                  "prs_Birthdate": "2001-05-06", "prs_Citizenship": "NG", "case_id": "C-3"}])

    def fast(self, table: FastTable) -> Iterable[Finding]:
        return both_ways(self.code, likely_pairs_fast(table), table.columns, table.cell)

    def reference(self, table: ReferenceTable) -> Iterable[Finding]:
        return both_ways(self.code, likely_pairs_reference(table), table.columns,
                         _reference_cell(table))

    @staticmethod
    @flaw("same-person-again")
    def person_again(site: FlawSite) -> Change | None:
        """An earlier person in a new record, the name written a little differently."""
        if site.position == 0 or not site.has(*NAMES, BIRTH, CITIZENSHIP):
            return None
        other = int(site.rng.integers(site.position))
        first, second = (str(site.dirty.at[other, n]) for n in NAMES)
        if not (first.strip() and second.strip()) or birth_day(
                str(site.dirty.at[other, BIRTH])) < 0 or not normal_citizenship(
                str(site.dirty.at[other, CITIZENSHIP])):
            return None
        how = site.choose(["swap", "capitals", "accents", "spaces", "typo"])
        if how == "swap":
            first, second = second, first
        elif how == "capitals":
            first, second = first.upper(), second.upper()
        elif how == "accents":
            first = "".join(ch for ch in unicodedata.normalize("NFKD", first)
                            if not unicodedata.combining(ch)) + " "
        elif how == "spaces":
            first = f"  {first}  "
        else:  # one letter changed, in a name long enough for a typo to leave it close
            if len(normal_name(f"{first} {second}")) < 9 or len(second) < 3:
                first = first.upper()
            else:
                at = len(second) // 2
                second = second[:at] + ("x" if second[at] != "x" else "y") + second[at + 1:]
        original = site.cell(NAMES[0])
        site.dirty.at[site.position, NAMES[0]] = first
        site.dirty.at[site.position, NAMES[1]] = second
        site.dirty.at[site.position, BIRTH] = site.dirty.at[other, BIRTH]
        site.dirty.at[site.position, CITIZENSHIP] = site.dirty.at[other, CITIZENSHIP]
        site.partner = other
        return NAMES[0], original, first

