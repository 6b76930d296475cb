"""Zip containers (.xlsx, .ods) opened within limits: no zip bomb gets unpacked.

Before any member is read, the zip's table of contents is checked: its size, the number of
members, what they add up to once unpacked, and how much each grows. Python's ``zipfile``
never unpacks more than a member's declared size (it stops there and checks the CRC), so
checking the declared sizes bounds both the time and the memory of everything read after.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import limits
from .problems import fail

# The table of contents (central directory): 46 bytes and a name per member. 4 MiB holds far
# more than MAX_ZIP_MEMBERS entries, and is read at once.
MAX_DIRECTORY_BYTES = 4 * 1024 * 1024
# Everything that can go wrong inside a damaged zip, as Python's zipfile reports it.
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
              NotImplementedError, RuntimeError, struct.error, KeyError, OverflowError)


def _directory_size(path: Path) -> int | None:
    """The size the zip's end record gives its table of contents (None: no end record)."""
    size = path.stat().st_size
    with open(path, "rb") as handle:
        handle.seek(max(0, size - 65_536 - 22))
        tail = handle.read()
        end = tail.rfind(b"PK\x05\x06")
        if end < 0 or len(tail) < end + 22:
            return None
        directory = int.from_bytes(tail[end + 12:end + 16], "little")
        if directory == 0xFFFFFFFF and end >= 20 and tail[end - 20:end - 16] == b"PK\x06\x07":
            offset = int.from_bytes(tail[end - 12:end - 4], "little")  # the zip64 end record
            handle.seek(offset)
            record = handle.read(56)
            if record[:4] == b"PK\x06\x06" and len(record) == 56:
                directory = int.from_bytes(record[40:48], "little")
    return directory


@contextmanager
def open_zip(path: Path) -> Iterator[zipfile.ZipFile]:
    """Open a zip file for reading once its table of contents is within the limits."""
    directory = _directory_size(path)
    if directory is not None and directory > MAX_DIRECTORY_BYTES:
        fail(path, "io.zip.too-many-members", limit=f"{limits.MAX_ZIP_MEMBERS:,}")
    try:
        archive = zipfile.ZipFile(path)
    except ZIP_ERRORS as error:
        fail(path, "io.zip.damaged", reason=_reason(error))
    with archive:
        check_members(path, archive)
        yield archive


def check_members(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse a zip with too many members, or members that unpack too big (a zip bomb)."""
    members = archive.infolist()
    if len(members) > limits.MAX_ZIP_MEMBERS:
        fail(path, "io.zip.too-many-members", limit=f"{limits.MAX_ZIP_MEMBERS:,}")
    total = 0
    for member in members:
        total += member.file_size
        grows = member.file_size / max(member.compress_size, 1)
        if member.file_size > limits.RATIO_APPLIES_ABOVE and grows > limits.MAX_RATIO:
            fail(path, "io.zip.bomb", member=member.filename, ratio=f"{grows:,.0f}",
                 limit=limits.MAX_RATIO)
        if member.flag_bits & 0x1:
            fail(path, "io.zip.encrypted", member=member.filename)
    if total > limits.MAX_INFLATED_BYTES:
        fail(path, "io.zip.too-big", size=f"{total / 2**20:,.0f}",
             limit=f"{limits.MAX_INFLATED_BYTES / 2**20:,.0f}")


def _reason(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text if len(text) < 120 else text[:117] + "..."
