"""The one writer for people's outputs: a fixed copy, a report, a release, a template.

Every output a person asks for goes through here, with three promises:

1. **Whole or not at all.** A file is written to a temporary file and renamed into place; a
   set of files (``write_files``) appears together. An interrupted run leaves what was there.
2. **Nothing is lost.** Never over a file being read (``inputs``), even with ``force``; never
   over an existing file unless ``force=True`` (the commands' ``--force``).
3. **Safe to open in a spreadsheet.** A CSV cell that Excel or LibreOffice would run as a
   formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets an
   apostrophe in front, and the count is returned so the caller can say so; in an ``.xlsx``
   such text is typed as text (``_util.files.xlsx_text``). The readers take the apostrophe
   off again, so the package reads back what it wrote.

Refusals are :class:`OutputError` (exit code 2 on the command line), worded by the message
catalogue (ids ``io.write.*``). The mechanics live in :mod:`htcds_learn._util.files`.

    write_csv(frame, path, *, inputs=(), force=False) -> Written(path, neutralised)
    write_text(text, path, *, inputs=(), force=False) -> Written
    write_files(folder, {name: text | DataFrame | write(path)}, *, inputs, force) -> [Written]
    write_with(path, write(temporary_path), *, inputs, force) -> Written   # any other format
    check_output(path, *, inputs=(), force=False) -> Path                  # the checks alone

>>> import tempfile, pathlib, pandas as pd
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> written = write_csv(pd.DataFrame({"prs_FirstName": ["=HYPERLINK(1)", "Ana"]}),
...                     folder / "fixed.csv")
>>> written.neutralised, (folder / "fixed.csv").read_text()
(1, "prs_FirstName\\n'=HYPERLINK(1)\\nAna\\n")
>>> write_csv(pd.DataFrame({"a": [1]}), folder / "fixed.csv")
Traceback (most recent call last):
htcds_learn.io.writers.OutputError: ... already exists. Choose a new name, or add --force ...
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Union

from .._util import files
from ..errors import HtcdsLearnError

if TYPE_CHECKING:
    import pandas as pd

PathLike = Union[str, "os.PathLike[str]"]
Content = Union[str, "pd.DataFrame", Callable[[Path], None]]


class OutputError(HtcdsLearnError):
    """An output that cannot be written as asked; it names the file and says what to do."""


@dataclass(frozen=True)
class Written:
    """What was written: the file, and how many cells were neutralised (see the module)."""

    path: Path
    neutralised: int = 0


def _same_file(a: Path, b: Path) -> bool:
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)  # a hard link or another name for the same file
    except OSError:
        return False


def check_output(path: PathLike, *, inputs: Iterable[PathLike] = (), force: bool = False,
                 folder: bool = False) -> Path:
    """Raise :class:`OutputError` unless ``path`` may be written; return it as a Path.

    ``folder=True`` checks an output folder: it may exist, but must not be a file.
    """
    path = Path(path)
    for source in inputs:
        if source is not None and _same_file(path, Path(source)):
            raise OutputError.from_catalogue("io.write.is-input", path=str(path))
    if folder:
        if os.path.lexists(path) and not path.is_dir():
            raise OutputError.from_catalogue("io.write.not-a-folder", path=str(path))
        return path
    if path.is_dir():
        raise OutputError.from_catalogue("io.write.is-folder", path=str(path))
    if os.path.lexists(path) and not force:
        raise OutputError.from_catalogue("io.write.exists", path=str(path))
    return path


def check_distinct(paths: Iterable[PathLike | None]) -> None:
    """Raise :class:`OutputError` when two outputs of one command name the same file."""
    seen: list[Path] = []
    for given in paths:
        if given is None:
            continue
        path = Path(given)
        if any(_same_file(path, other) for other in seen):
            raise OutputError.from_catalogue("io.write.twice", path=str(path))
        seen.append(path)


def csv_text(frame: pd.DataFrame, *, sep: str = ",") -> tuple[str, int]:
    """A table as CSV text, formula-safe, and how many cells were neutralised.

    Lines end with CR LF, as RFC 4180 and Excel have it. With LF alone, Python's csv writer
    leaves a cell holding a lone CR unquoted, and a spreadsheet starts a new row there.
    """
    safe, count = files.neutralise_frame(frame)
    return safe.to_csv(index=False, sep=sep, lineterminator="\r\n"), count


def _exists_error(error: FileExistsError, fallback: Path) -> HtcdsLearnError:
    return OutputError.from_catalogue("io.write.exists", path=error.filename or str(fallback))


def write_with(path: PathLike, write: Callable[[Path], None], *,
               inputs: Iterable[PathLike] = (), force: bool = False) -> Written:
    """Write any format: ``write(temporary_path)`` makes the file, which is then put in place."""
    path = check_output(path, inputs=inputs, force=force)
    try:
        files.write_atomically(path, write, overwrite=force)
    except FileExistsError as error:  # appeared between the check and the rename
        raise _exists_error(error, path) from None
    return Written(path)


def write_text(text: str, path: PathLike, *, inputs: Iterable[PathLike] = (),
               force: bool = False) -> Written:
    """Write UTF-8 text (a report, a page) as one file, whole or not at all."""
    path = check_output(path, inputs=inputs, force=force)
    try:
        files.write_text_atomically(path, text, overwrite=force)
    except FileExistsError as error:
        raise _exists_error(error, path) from None
    return Written(path)


def write_csv(frame: pd.DataFrame, path: PathLike, *, inputs: Iterable[PathLike] = (),
              force: bool = False, sep: str = ",") -> Written:
    """Write a table as a UTF-8 CSV file, formula-safe, whole or not at all."""
    text, count = csv_text(frame, sep=sep)
    written = write_text(text, path, inputs=inputs, force=force)
    return Written(written.path, count)


def write_files(folder: PathLike, contents: Mapping[str, Content], *,
                inputs: Iterable[PathLike] = (), force: bool = False) -> list[Written]:
    """Write several files into ``folder`` so that they appear together, or not at all.

    Each content is text, a table (written as formula-safe CSV) or a function that writes
    the file at the path it is given. Other files in ``folder`` are left alone.
    """
    folder = check_output(folder, inputs=inputs, folder=True)
    inputs = list(inputs)
    for name in contents:
        check_output(folder / name, inputs=inputs, force=force)
    written = []
    try:
        with files.files_together(folder, overwrite=force) as work:
            for name, content in contents.items():
                count = 0
                if isinstance(content, str):
                    files.write_text_atomically(work / name, content)
                elif callable(content):
                    content(work / name)
                else:
                    text, count = csv_text(content)
                    files.write_text_atomically(work / name, text)
                written.append(Written(folder / name, count))
    except FileExistsError as error:
        raise _exists_error(error, folder) from None
    return written
