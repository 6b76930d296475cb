"""A quick look at a CSV file's bytes: may pandas read it alone, without the strict check?

pandas' C parser is fast but lenient: it reads ``"Ana" x`` as ``Ana x``, pads short rows
without a word, and keeps NUL characters. Python's csv module, in strict mode, refuses all
of these with the line, but checking every record that way halves the reading speed. So the
bytes are surveyed first, a block of a few megabytes at a time, with operations that run in
C (numpy over the bytes; a regular expression where quotes are not simple). A file is
*plain* when:

* no NUL byte, no line longer than a cell may be (so no cell is), no lone carriage return;
* every quoted cell starts a cell, is closed, and is followed by a delimiter or a line end
  (what strict mode demands), and none holds a line break (so each record is one line).

Rows shorter than the header are found after pandas has read a plain file (it pads them
with empty cells): only rows whose last cell is empty can be short, and only their lines
are counted again (:func:`short_lines`).

A plain file is read by pandas alone; anything else gets the strict check, which finds the
problem and names its line. The survey may send a good file to the strict check (a quote
inside an unquoted cell, a cell over two lines); it never lets a bad one through.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "good.csv").write_bytes(b'a,b\\n"x, y",z\\n')
>>> found = survey(folder / "good.csv", ",")
>>> found.lines, found.header_cells
(2, 2)
>>> _ = (folder / "bad.csv").write_bytes(b'a,b\\n"x" y,z\\n')
>>> survey(folder / "bad.csv", ",") is None
True
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import limits

BLOCK = 8 * 1024 * 1024  # bytes read at a time
NEWLINE, QUOTE = 10, 34


@dataclass
class Survey:
    """A plain file: its records (one a line, the header included), the cells its first
    line holds at most (quoted delimiters counted too), and where its lines end."""

    lines: int
    header_cells: int
    ends: np.ndarray  # the offset of each line's last byte (its line feed), from ``skip``


def quoted_cells(delimiter: str) -> re.Pattern[bytes]:
    """A well-formed quoted cell on one line: it starts a cell (nothing but a delimiter or a
    line end before its quote), doubles the quotes inside, and ends where its cell ends."""
    d = re.escape(delimiter.encode("ascii"))
    return re.compile(rb'"(?<![^' + d + rb'\r\n]")[^"\n]*+(?:""[^"\n]*+)*+"(?=[' + d
                      + rb"\r\n]|\Z)")


def survey(path: Path, delimiter: str, skip: int = 0) -> Survey | None:
    """The file's lines if it is plain (see the module), else None.

    ``skip``: bytes at the start that are not text (a byte-order mark)."""
    cells = quoted_cells(delimiter)
    separator = delimiter.encode("ascii")
    ends: list[np.ndarray] = []
    offset = 0  # of the block in the file, after ``skip``
    tail = b""
    header_cells = None
    with open(path, "rb") as handle:
        handle.seek(skip)
        while True:
            chunk = handle.read(BLOCK)
            block = tail + chunk
            if chunk:
                end = block.rfind(b"\n") + 1
                if end == 0:  # no line end in a whole block: a line longer than a cell
                    return None
                block, tail = block[:end], block[end:]
            if not block:
                break
            breaks = _plain_block(block, separator, cells)
            if breaks is None:
                return None
            if header_cells is None:
                header_cells = block[:breaks[0] if len(breaks) else None].count(separator) + 1
            ends.append(breaks + offset)
            offset += len(block)
            if not chunk:
                break
    if header_cells is None:
        return None
    lines = np.concatenate(ends)
    last = int(lines[-1]) if len(lines) else -1
    count = len(lines) + (1 if last != offset - 1 else 0)  # the last line may lack its end
    return Survey(count, header_cells, lines)


def _plain_block(block: bytes, separator: bytes, cells: re.Pattern[bytes]
                 ) -> np.ndarray | None:
    """Where the block's lines end, if the block is plain (see the module); else None."""
    if b"\x00" in block or (b"\r" in block and block.count(b"\r") != block.count(b"\r\n")):
        return None
    data = np.frombuffer(block, dtype=np.uint8)
    marks = np.flatnonzero((data == NEWLINE) | (data == QUOTE))
    kinds = data[marks]
    breaks = marks[kinds == NEWLINE]
    starts = np.concatenate(([-1], breaks[:-1])) if len(breaks) else np.array([-1])
    stops = breaks if len(breaks) else np.array([len(block)])
    if len(block) - 1 - (int(breaks[-1]) if len(breaks) else -1) > limits.MAX_CELL or int(
            (stops - starts).max()) > limits.MAX_CELL + 1:
        return None
    quotes = marks[kinds == QUOTE]
    if len(quotes) and not _simple_quotes(data, quotes, breaks, separator[0]):
        rest = cells.sub(b"", block)  # the well-formed quoted cells taken out
        if _opening_quote_left(rest, separator):
            return None
    return breaks


def _simple_quotes(data: np.ndarray, quotes: np.ndarray, breaks: np.ndarray,
                   separator: int) -> bool:
    """Whether the quotes pair up as quoted cells with no quote inside, each on one line,
    opened where a cell starts and closed where it ends (what most files hold)."""
    if len(quotes) % 2:
        return False
    opens, closes = quotes[0::2], quotes[1::2]
    before = data[opens[opens > 0] - 1]
    after = data[closes[closes < len(data) - 1] + 1]
    return bool(((before == separator) | (before == NEWLINE)).all()
                and ((after == separator) | (after == NEWLINE) | (after == 13)).all()
                and (np.searchsorted(breaks, opens) == np.searchsorted(breaks, closes)).all())


def _opening_quote_left(rest: bytes, separator: bytes) -> bool:
    """Whether a quote that starts a cell is left once the good quoted cells are taken out:
    one that is never closed, closed with more text after it, or closed on another line.
    (A quote inside an unquoted cell, ``O"Brien``, is text, in strict mode too.)"""
    at = rest.find(b'"')
    while at != -1:
        if at == 0 or rest[at - 1:at] in (separator, b"\n", b"\r"):
            return True
        at = rest.find(b'"', at + 1)
    return False


def short_lines(path: Path, found: Survey, rows: Iterable[int], width: int, delimiter: str,
                skip: int = 0) -> bool:
    """Whether any of ``rows`` (records from 0, the header first) has fewer than ``width``
    cells: each such line is read again, by itself, as Python's csv module reads it."""
    starts = np.concatenate(([-1], found.ends))
    with open(path, "rb") as handle:
        for row in rows:
            handle.seek(skip + int(starts[row]) + 1)
            line = handle.readline()
            if b'"' in line:
                text = line.decode("latin-1")  # delimiters and quotes are one byte in it
                cells = len(next(csv.reader([text], delimiter=delimiter, strict=True), []))
            else:
                cells = line.count(delimiter.encode("ascii")) + 1 if line.strip(b"\r\n") else 0
            if cells < width:
                return True
    return False
