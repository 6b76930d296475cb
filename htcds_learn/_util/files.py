"""Writing files so that a reader never sees half of one.

Every file the package writes goes through here: the new content is written to a temporary
file beside the target, then renamed into place in one step.

>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "note.txt"
>>> write_text_atomically(target, "hello")
>>> target.read_text()
'hello'
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


def write_atomically(path: Path, write: Callable[[Path], None],
                     mode: int | None = None) -> None:
    """Call ``write(temporary_path)`` beside ``path``, then rename the result into place.

    A reader never sees half a file, and an existing file is replaced only once the new one
    is complete; if writing fails, the temporary file is removed and ``path`` is untouched.
    The file gets ``mode``, or by default the permissions a new file gets (the umask's).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(descriptor)
    try:
        write(Path(name))
        os.chmod(name, _default_mode() if mode is None else mode)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def _default_mode() -> int:
    mask = os.umask(0)  # reading the umask means setting it; put it straight back
    os.umask(mask)
    return 0o666 & ~mask


def write_text_atomically(path: Path, text: str, mode: int | None = None) -> None:
    """Write UTF-8 text atomically (see :func:`write_atomically`), flushed to disk."""

    def write(temporary: Path) -> None:
        with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())

    write_atomically(path, write, mode)


def write_json_atomically(path: Path, data: Any) -> None:
    """Write JSON atomically (see :func:`write_text_atomically`)."""
    write_text_atomically(path, json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False)
                          + "\n")
