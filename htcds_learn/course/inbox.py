"""Bring a folder or an LMS download into a scratch folder, treating every file as hostile.

Whatever lands in an instructor's inbox may have been made to hurt: a symbolic link to the
solution notebook or to ``/etc/shadow``, a small zip that inflates to gigabytes, a zip in a zip
in a zip, or entry names such as ``../../.bashrc``. :func:`gather` copies only what is safe
into a scratch folder of regular files and lists everything it left out, with the reason;
it stops only when the source itself cannot be read.

- Symbolic links are never followed (folder walks do not descend into them, files are opened
  with ``O_NOFOLLOW``), and zip entries that are links are not written.
- Only regular files are read (no devices or named pipes).
- Each file and the whole source have a size cap; a zip entry must also not inflate more than
  :attr:`Limits.max_ratio` times its compressed size.
- Archives are unpacked one level deep: the download itself, and a zip a trainee uploaded in
  it. A zip inside that is reported, not opened.
- Entry names that are absolute, name a drive, or climb out with ``..`` are skipped.

>>> Limits().max_ratio
200
"""

from __future__ import annotations

import os
import stat
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

from .layout import CourseError

MiB = 1024 * 1024
IGNORED = {".DS_Store", "Thumbs.db", "desktop.ini", "__MACOSX", ".ipynb_checkpoints"}


@dataclass(frozen=True)
class Limits:
    """How much a source may hold. A real notebook is well under a few MB; one with big
    stored outputs may reach tens of MB, so the caps leave room for that and no more."""

    max_file_bytes: int = 200 * MiB
    max_total_bytes: int = 2048 * MiB
    max_ratio: int = 200  # inflated / compressed size, for entries over ratio_floor_bytes
    ratio_floor_bytes: int = 1 * MiB
    max_entries: int = 20_000


@dataclass
class Gathered:
    """What :func:`gather` copied (``folder``) and what it left out (``skipped``)."""

    folder: Path
    skipped: list[tuple[str, str]] = field(default_factory=list)
    total_bytes: int = 0


def _size(n: int) -> str:
    return f"{n / MiB:.1f} MB" if n >= MiB else f"{n / 1024:.1f} KB" if n >= 1024 else f"{n} B"


def _ignored(parts: tuple[str, ...]) -> bool:
    return bool(IGNORED.intersection(parts)) or any(p.startswith("._") for p in parts)


def _clean_entry_name(name: str) -> PurePosixPath | None:
    """The entry's path inside the archive, or None when it is absolute or climbs out."""
    text = name.replace("\\", "/")
    if text.startswith("/") or (len(text) > 1 and text[1] == ":"):
        return None
    parts = [p for p in text.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return PurePosixPath(*parts)


def _is_link(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _refusal(info: zipfile.ZipInfo, limits: Limits, total_bytes: int) -> str:
    """Why one zip entry must not be written (a link, encrypted, a bomb, too big), or ''."""
    if _is_link(info):
        return "a symbolic link inside the zip; not followed"
    if info.flag_bits & 0x1:
        return "encrypted; cannot be read"
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > limits.ratio_floor_bytes and ratio > limits.max_ratio:
        return (f"would inflate from {_size(info.compress_size)} to {_size(info.file_size)} "
                f"({ratio:,.0f} to 1): a zip bomb, not written")
    if info.file_size > limits.max_file_bytes:
        return (f"would inflate to {_size(info.file_size)}, more than "
                f"{_size(limits.max_file_bytes)}; not written")
    if total_bytes + info.file_size > limits.max_total_bytes:
        return (f"the source already holds {_size(total_bytes)}; the cap is "
                f"{_size(limits.max_total_bytes)}; not written")
    return ""


def _unzip(archive: Path, into: Path, shown: str, limits: Limits, result: Gathered) -> None:
    """Extract one zip's safe entries into ``into``; raise BadZipFile when it is unreadable."""
    with zipfile.ZipFile(archive) as handle:
        infos = handle.infolist()
        if len(infos) > limits.max_entries:
            result.skipped.append((shown, f"holds {len(infos):,} entries, more than "
                                          f"{limits.max_entries:,}; not opened"))
            return
        for info in infos:
            label = f"{shown}/{info.filename}"
            relative = _clean_entry_name(info.filename)
            if relative is None:
                result.skipped.append((label, "its name points outside the archive's folder "
                                              "(absolute or '..'); not written"))
                continue
            if _ignored(relative.parts):
                continue
            if info.is_dir():
                continue
            refusal = _refusal(info, limits, result.total_bytes)
            if refusal:
                result.skipped.append((label, refusal))
                continue
            target = into.joinpath(*relative.parts)
            if not target.resolve().is_relative_to(into.resolve()):
                result.skipped.append((label, "its name points outside the archive's folder; "
                                              "not written"))
                continue
            if target.exists():
                result.skipped.append((label, "appears twice in the archive; the first copy "
                                              "was kept"))
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            written = 0
            try:
                with handle.open(info) as source, open(target, "xb") as sink:
                    while chunk := source.read(MiB):
                        written += len(chunk)
                        if written > info.file_size:  # the header lied about the size
                            raise zipfile.BadZipFile("more data than the header says")
                        sink.write(chunk)
            except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError) as error:
                target.unlink(missing_ok=True)
                result.skipped.append((label, f"damaged in the zip ({error}); not written"))
                continue
            result.total_bytes += written
            stamp = datetime(*info.date_time).timestamp()
            os.utime(target, (stamp, stamp))


def _copy_tree(source: Path, into: Path, limits: Limits, result: Gathered) -> None:
    """Copy a folder's regular files, never following a symbolic link."""
    for top, folders, files in os.walk(source, followlinks=False):
        top_path = Path(top)
        for name in list(folders):
            path = top_path / name
            if path.is_symlink():
                folders.remove(name)
                result.skipped.append((f"{source.name}/{path.relative_to(source).as_posix()}",
                                       f"a symbolic link to a folder ({os.readlink(path)}); "
                                       "never followed"))
            elif name in IGNORED:
                folders.remove(name)
        for name in sorted(files):
            path = top_path / name
            relative = path.relative_to(source)
            label = f"{source.name}/{relative.as_posix()}"
            if _ignored(relative.parts):
                continue
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                result.skipped.append((label, f"a symbolic link (to {os.readlink(path)}); "
                                              "never followed"))
                continue
            if not stat.S_ISREG(info.st_mode):
                result.skipped.append((label, "not a regular file; not read"))
                continue
            if info.st_size > limits.max_file_bytes:
                result.skipped.append((label, f"{_size(info.st_size)}, more than "
                                              f"{_size(limits.max_file_bytes)}; not read"))
                continue
            if result.total_bytes + info.st_size > limits.max_total_bytes:
                result.skipped.append((label, f"the source already holds "
                                              f"{_size(result.total_bytes)}; the cap is "
                                              f"{_size(limits.max_total_bytes)}; not read"))
                continue
            target = into / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            except OSError as error:
                result.skipped.append((label, f"could not be read ({error.strerror})"))
                continue
            with os.fdopen(descriptor, "rb") as handle, open(target, "xb") as sink:
                if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                    continue
                copied = 0
                while chunk := handle.read(MiB):
                    copied += len(chunk)
                    sink.write(chunk)
            result.total_bytes += copied
            os.utime(target, (info.st_mtime, info.st_mtime))


def _unzip_uploads(folder: Path, shown: str, limits: Limits, result: Gathered) -> None:
    """Unpack the zips trainees uploaded (one level); report zips found inside those."""
    for inner in sorted(p for p in folder.rglob("*") if p.suffix.lower() == ".zip"
                        and p.is_file()):
        label = f"{shown}/{inner.relative_to(folder).as_posix()}"
        target = inner.with_name(inner.stem)
        while target.exists():
            target = target.with_name(target.name + "-unzipped")
        target.mkdir()
        try:
            _unzip(inner, target, label, limits, result)
        except (zipfile.BadZipFile, OSError) as error:
            result.skipped.append((label, f"not a readable zip file ({error})"))
        inner.unlink()
        for nested in sorted(p for p in target.rglob("*") if p.suffix.lower() == ".zip"):
            result.skipped.append((f"{label}/{nested.relative_to(target).as_posix()}",
                                   "a zip inside a zip inside the source: only one level of "
                                   "archives is unpacked; ask for the notebook itself"))
            nested.unlink()


def gather(source: Path, into: Path, limits: Limits | None = None) -> Gathered:
    """Copy the safe files of a folder or .zip ``source`` into the empty folder ``into``."""
    limits = limits or Limits()
    result = Gathered(into)
    shown = source.name
    if source.is_dir():  # the folder the instructor named; links inside it are not followed
        _copy_tree(source, into, limits, result)
    elif source.is_file():
        try:
            _unzip(source, into, shown, limits, result)
        except zipfile.BadZipFile as error:
            raise CourseError(f"{source} is not a readable zip file ({error}).",
                              "Download it again from the LMS.") from error
    else:
        raise CourseError(f"{source} does not exist.", "Give the folder or .zip of submissions.")
    _unzip_uploads(into, shown, limits, result)
    return result
