"""Files as text: is there a file at all, how big, and in which encoding.

UTF-8 (with or without a byte-order mark), UTF-16 with its mark, and Windows-1252 (what
Excel writes on many computers) are read; anything else is refused with the line of the
first byte that fits none of them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from . import limits
from .problems import fail


@dataclass(frozen=True)
class Encoding:
    """How to decode a file: ``codec`` for Python and pandas, ``name`` to show a person."""

    codec: str
    name: str


UTF8 = Encoding("utf-8", "utf-8")
UTF8_BOM = Encoding("utf-8-sig", "utf-8 with BOM")
CP1252 = Encoding("cp1252", "windows-1252")
# A byte-order mark, the encoding it announces, and the codec for the bytes after it.
_BLOCK = 8 * 1024 * 1024  # bytes read at a time by holds()
_BOMS = ((b"\xef\xbb\xbf", UTF8_BOM, "utf-8"),
         (b"\xff\xfe", Encoding("utf-16", "utf-16-le with BOM"), "utf-16-le"),
         (b"\xfe\xff", Encoding("utf-16", "utf-16-be with BOM"), "utf-16-be"))


def check_file(path: Path) -> int:
    """The file's size in bytes; a missing, empty, too big or unreadable file is refused."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        fail(path, "io.file.missing")
    except OSError as error:
        fail(path, "io.file.unreadable", reason=error.strerror or str(error))
    if path.is_dir():
        fail(path, "io.file.folder")
    if not os.access(path, os.R_OK):
        fail(path, "io.file.unreadable", reason=os.strerror(13))
    if size == 0:
        fail(path, "io.file.empty")
    if size > limits.MAX_FILE_BYTES:
        fail(path, "io.file.too-big", size=f"{size / 2**20:,.0f}",
             limit=f"{limits.MAX_FILE_BYTES / 2**20:,.0f}")
    return size


def sniff_encoding(path: Path) -> Encoding:
    """The encoding a byte-order mark announces, else UTF-8 (the reader falls back to
    Windows-1252 if the bytes are not UTF-8). A binary file is refused here."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    for mark, encoding, _ in _BOMS:
        if head.startswith(mark):
            return encoding
    if head.count(b"\x00") > 8:  # text has none; a few are reported by line when read
        fail(path, "io.text.binary")
    return UTF8


def first_bad_byte(path: Path, encoding: Encoding) -> int:
    """The line (from 1) of the first byte that ``encoding`` cannot decode (0 if none)."""
    import codecs

    decoder = codecs.getincrementaldecoder(encoding.codec)()
    line = 1
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                return line + chunk[:error.start].count(b"\n")
            line += chunk.count(b"\n")
    return 0


def holds(path: Path, patterns: tuple[bytes, ...]) -> bool:
    """Whether any of the byte ``patterns`` occurs in the file, read a block at a time.

    Each pattern's first byte is looked for (``find``, as fast as memory), and the patterns
    are tried only where one is: searching for each whole pattern is many times slower.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = path.write_bytes(b"O'Brien,'=1+1")
    >>> holds(path, (b"'=", b"'+")), holds(path, (b"'-",))
    (True, False)
    """
    firsts = {pattern[:1] for pattern in patterns}
    overlap = max(map(len, patterns)) - 1
    tail = b""
    with open(path, "rb") as handle:
        while chunk := handle.read(_BLOCK):
            block = tail + chunk
            for first in firsts:
                at = block.find(first)
                while at != -1:
                    if block.startswith(patterns, at):
                        return True
                    at = block.find(first, at + 1)
            tail = block[len(block) - overlap:] if overlap else b""
    return False


def decode(path: Path, raw: bytes) -> tuple[str, Encoding]:
    """All of ``raw`` (the file's bytes) as text, and the encoding it was in."""
    for mark, encoding, codec in _BOMS:
        if raw.startswith(mark):
            try:
                return raw[len(mark):].decode(codec), encoding
            except UnicodeDecodeError as error:
                fail(path, "io.text.undecodable",
                     line=raw[:error.start].count(b"\n") + 1, encoding=encoding.name)
    if raw[:4096].count(b"\x00") > 8:
        fail(path, "io.text.binary")
    try:
        return raw.decode("utf-8"), UTF8
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), CP1252
    except UnicodeDecodeError as error:
        fail(path, "io.text.not-text", line=raw[:error.start].count(b"\n") + 1)

