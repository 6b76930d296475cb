"""Pseudonym keys: only keys this package made, kept where only their owner can read them.

A key is 32 random bytes from the operating system's generator, written as one line of base64
under a header line that says what the file is. A key a person chose ("password12345678") can
be found by trying a dictionary of likely keys, after which every pseudonym maps back to its
case, so such keys are refused: too short, only printable characters, too few distinct bytes,
or a file without the header. A key file that others can read, or that sits inside the folder
of a release, is refused too; a new key never replaces an existing file.

>>> key = new_key()
>>> len(key), check_key(key) is None
(32, True)
>>> check_key(b"password12345678password12345678")
Traceback (most recent call last):
...
htcds_learn.privacy.errors.SharingError: This key was chosen by a person, not made at random. ...
"""

from __future__ import annotations

import base64
import os
import secrets
import stat
import string
import tempfile
from pathlib import Path

from .errors import refuse

KEY_BYTES = 32
HEADER = "htcds-learn pseudonym key v1"
_PRINTABLE = set(string.printable.encode("ascii"))


def new_key() -> bytes:
    """A fresh random key (32 bytes). Keep it apart from every file you share."""
    return secrets.token_bytes(KEY_BYTES)


def check_key(key: object) -> None:
    """Refuse a key that is not 32 or more random bytes (see the module docstring)."""
    if not isinstance(key, (bytes, bytearray)) or len(key) < KEY_BYTES:
        raise refuse("privacy.key_too_short", bytes=KEY_BYTES)
    # 32 random bytes are all printable with probability (100/256)**32, about 1e-13, and
    # hold fewer than 16 distinct values with a probability far smaller still.
    if set(key) <= _PRINTABLE or len(set(key)) < 16:
        raise refuse("privacy.key_chosen_by_person")


def save_key(key: bytes, path: str | Path) -> Path:
    """Write a new key file that only its owner can read; never replace an existing file."""
    check_key(key)
    path = Path(path)
    if path.exists():
        raise refuse("privacy.key_file_exists", path=str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(descriptor, 0o600) if hasattr(os, "fchmod") else None
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(f"{HEADER}\n{base64.b64encode(bytes(key)).decode('ascii')}\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(name, path)  # fails if the path exists: a key never replaces a file
        except FileExistsError:
            raise refuse("privacy.key_file_exists", path=str(path)) from None
        except OSError:  # a file system without hard links
            if path.exists():
                raise refuse("privacy.key_file_exists", path=str(path)) from None
            os.replace(name, path)
    finally:
        Path(name).unlink(missing_ok=True)
    return path


def is_inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or lies inside it (after resolving links)."""
    path, folder = Path(path).resolve(), Path(folder).resolve()
    return path == folder or folder in path.parents


def load_key(path: str | Path, *, release_folder: str | Path | None = None) -> bytes:
    """Read a key written by :func:`save_key`, refusing keys that are weak or badly kept."""
    path = Path(path)
    if release_folder is not None and is_inside(path, Path(release_folder)):
        raise refuse("privacy.key_in_release", path=str(path))
    try:
        mode = path.stat().st_mode
        lines = path.read_text(encoding="ascii").split()
    except FileNotFoundError:
        raise refuse("privacy.key_missing", path=str(path)) from None
    except (UnicodeDecodeError, IsADirectoryError):
        raise refuse("privacy.key_not_ours", path=str(path)) from None
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise refuse("privacy.key_readable_by_others", path=str(path), mode=oct(mode & 0o777))
    if len(lines) < 2 or " ".join(lines[:-1]) != HEADER:
        raise refuse("privacy.key_not_ours", path=str(path))
    try:
        key = base64.b64decode(lines[-1], validate=True)
    except ValueError:
        raise refuse("privacy.key_not_ours", path=str(path)) from None
    check_key(key)
    return key
