"""How the package writes files: whole or not at all, and safe to open in a spreadsheet.

This is the engine of the one writer. People's outputs (a fixed copy, a findings report, a
release, a dataset, a template) go through :mod:`htcds_learn.io.writers`, which adds the
rules a person relies on (never over the file being read, never over an existing file unless
``force``) and words its refusals; this module does the mechanics, for it and for the
package's own state files (a progress record, a grading ledger), which are meant to be
replaced.

* ``write_atomically(path, write, overwrite=True)``: ``write(temporary)`` fills a temporary
  file beside ``path``, which is then renamed into place in one step. A reader never sees half
  a file; if anything fails, ``path`` is as it was. With ``overwrite=False`` the rename refuses
  (``FileExistsError``) when ``path`` exists, even if it appeared a moment ago.
* ``write_text_atomically`` and ``write_json_atomically``: the same for text and JSON.
* ``files_together(folder, overwrite=False)``: a ``with`` block that yields a temporary
  folder; the files written there appear in ``folder`` together when the block ends, or not
  at all if it fails (see its docstring for the one exception: a power cut in the
  microseconds between two renames).
* Spreadsheet safety: a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return is run as a formula by Excel and LibreOffice when a CSV is opened (CSV injection).
  ``formula_like`` tells such text; ``neutralise`` puts an apostrophe in front, the way a
  spreadsheet marks text typed to look like a formula, and ``restore`` takes it off again when
  the package reads its own file back. ``neutralise_frame`` does a whole table and counts the
  cells; ``xlsx_text`` types an openpyxl cell as text, so Excel shows it and never runs it.
  Signed numbers (``-3``, ``+44 20 7946 0958``) are left alone: digits, spaces, dots, dashes,
  slashes and brackets can make arithmetic but never call a function or another program.

>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "note.txt"
>>> write_text_atomically(target, "hello")
>>> target.read_text()
'hello'
>>> write_text_atomically(target, "again", overwrite=False)  # doctest: +ELLIPSIS
Traceback (most recent call last):
FileExistsError: [Errno 17] File exists: ...
>>> [neutralise(v) for v in ("=1+1", "@SUM(A1)", "+44 20 7946 0958", "-cmd|' /C calc'!A0")]
["'=1+1", "'@SUM(A1)", '+44 20 7946 0958', "'-cmd|' /C calc'!A0"]
>>> restore("'=1+1"), restore("'Hello")
('=1+1', "'Hello")
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# What may follow a leading + or - and still be only a number: no letters, no quotes, no '|'
# or '!' (DDE and references), so at worst arithmetic; phone numbers in E.164 stay as typed.
_PLAIN_NUMBER = re.compile(r"[+-][0-9 .,()/+-]*")


# --- whole or not at all -----------------------------------------------------------------------

def write_atomically(path: Path, write: Callable[[Path], None], mode: int | None = None, *,
                     overwrite: bool = True) -> None:
    """Call ``write(temporary_path)`` beside ``path``, then rename the result into place.

    A reader never sees half a file, and an existing file is replaced only once the new one
    is complete (and only with ``overwrite``); if writing fails, the temporary file is removed
    and ``path`` is untouched. The file gets ``mode``, or the permissions a new file gets.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not overwrite and os.path.lexists(path):  # early, before any work; _place checks again
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path))
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(descriptor)
    try:
        write(Path(name))
        os.chmod(name, _default_mode() if mode is None else mode)
        _place(Path(name), path, overwrite)
    finally:
        Path(name).unlink(missing_ok=True)


def _place(source: Path, target: Path, overwrite: bool) -> None:
    """Rename ``source`` to ``target`` in one step; without ``overwrite``, never over a file."""
    if overwrite:
        os.replace(source, target)
        return
    try:
        os.link(source, target)  # fails if target exists, even one made a moment ago
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links (FAT on a USB stick): check, then rename
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target)) from None
        os.replace(source, target)
    else:
        source.unlink()


def _default_mode(folder: bool = False) -> int:
    mask = os.umask(0)  # reading the umask means setting it; put it straight back
    os.umask(mask)
    return (0o777 if folder else 0o666) & ~mask


def write_text_atomically(path: Path, text: str, mode: int | None = None, *,
                          overwrite: bool = True) -> None:
    """Write UTF-8 text atomically (see :func:`write_atomically`), flushed to disk."""

    def write(temporary: Path) -> None:
        with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())

    write_atomically(path, write, mode, overwrite=overwrite)


def write_json_atomically(path: Path, data: Any, *, overwrite: bool = True) -> None:
    """Write JSON atomically (see :func:`write_text_atomically`)."""
    write_text_atomically(path, json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False)
                          + "\n", overwrite=overwrite)


@contextmanager
def files_together(folder: Path, *, overwrite: bool = False) -> Iterator[Path]:
    """Yield a temporary folder; what is written there appears in ``folder`` together.

    When ``folder`` does not exist yet, the temporary folder is renamed to it: one step, the
    set appears whole. When it exists (it may hold other files, which are kept), the files
    are moved in one by one, in name order; if a move fails, the files moved so far are taken
    out again and the files they replaced are put back. Only a power cut in the microseconds
    between two renames could leave part of a set. Without ``overwrite``, a file of the set
    that already exists in ``folder`` stops everything (``FileExistsError``) before any move.
    If the ``with`` block raises, nothing is moved and the temporary folder is removed.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "release"
    >>> with files_together(out) as work:
    ...     _ = (work / "shared.csv").write_text("a\\n1\\n")
    ...     _ = (work / "report.md").write_text("# Report\\n")
    >>> sorted(p.name for p in out.iterdir())
    ['report.md', 'shared.csv']
    """
    folder = Path(folder)
    if os.path.lexists(folder) and not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))
    new = not os.path.lexists(folder)
    parent = folder.parent if new else folder
    parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=parent))
    try:
        yield work
        names = sorted(p.name for p in work.iterdir())
        if new:
            os.chmod(work, _default_mode(folder=True))
            try:
                os.rename(work, folder)  # one step; fails if folder appeared meanwhile
                return
            except OSError:
                if not folder.is_dir():
                    raise
        _move_set(work, folder, names, overwrite)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _move_set(work: Path, folder: Path, names: list[str], overwrite: bool) -> None:
    if not overwrite:
        taken = [name for name in names if os.path.lexists(folder / name)]
        if taken:
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(folder / taken[0]))
    backups = work / ".replaced"
    backups.mkdir()
    moved: list[str] = []
    try:
        for name in names:
            target = folder / name
            if overwrite and os.path.lexists(target):
                os.replace(target, backups / name)
            _place(work / name, target, overwrite)
            moved.append(name)
    except BaseException:
        for name in moved:
            (folder / name).unlink(missing_ok=True)
        for kept in backups.iterdir():
            os.replace(kept, folder / kept.name)
        raise


# --- safe to open in a spreadsheet -------------------------------------------------------------

def formula_like(text: str) -> bool:
    """True when a spreadsheet would run ``text`` as a formula (see the module docstring).

    >>> [formula_like(v) for v in ("=A1", "@x", "\\tx", "-2+3+cmd|' /C calc'!A0", "-12.5", "Ana")]
    [True, True, True, True, False, False]
    """
    return text.startswith(FORMULA_START) and not (
        text[0] in "+-" and _PLAIN_NUMBER.fullmatch(text) is not None)


def neutralise(text: str) -> str:
    """``text`` with an apostrophe in front if a spreadsheet would run it, else unchanged."""
    return "'" + text if formula_like(text) else text


def restore(text: str) -> str:
    """Undo :func:`neutralise`: the apostrophe goes only where neutralise would have put it."""
    return text[1:] if text.startswith("'") and formula_like(text[1:]) else text


def neutralise_frame(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """A copy of ``frame`` with every formula-like text cell neutralised, and how many were.

    Column names are cells too (the header row), and are neutralised the same way.

    >>> import pandas as pd
    >>> safe, count = neutralise_frame(pd.DataFrame({"name": ["=1+1", "Ana"], "n": [1, -2]}))
    >>> safe["name"].tolist(), count
    (["'=1+1", 'Ana'], 1)
    >>> neutralise_frame(pd.DataFrame({"c": pd.Categorical(["@x", "@x", "b"])}))[1]
    2
    """
    import pandas as pd

    out = frame.copy()
    count = 0
    for position in range(frame.shape[1]):
        values = frame.iloc[:, position]
        if isinstance(values.dtype, pd.CategoricalDtype):  # a release's columns: by category
            values = values.astype(object)
        elif values.dtype != object:
            continue  # numbers, booleans and dates are written as such, never as formulas
        array = values.to_numpy()
        changed = [i for i in _starts_like_formula(values) if formula_like(array[i])]
        if changed:
            array = array.copy()
            for i in changed:
                array[i] = "'" + array[i]
            out.isetitem(position, array)
            count += len(changed)
    names = [neutralise(c) if isinstance(c, str) else c for c in frame.columns]
    count += sum(a != b for a, b in zip(names, frame.columns))
    out.columns = names
    return out, count


def _starts_like_formula(values: pd.Series) -> list[int]:
    """Positions of text cells whose first character is one of FORMULA_START (a first sieve,
    in C where pandas can; ``formula_like`` decides)."""
    import numpy as np

    try:
        first = values.str[:1]  # NaN for cells that are not text
    except AttributeError:  # no text at all in the column: pandas refuses .str
        return []
    return np.flatnonzero(first.isin(FORMULA_START).to_numpy()).tolist()


def xlsx_text(cell: Any, value: Any) -> None:
    """Put ``value`` in an openpyxl ``cell``; text stays text, even text that looks like a
    formula (openpyxl would otherwise store ``=...`` as a live formula)."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
