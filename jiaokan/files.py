"""Files written and named safely: every output is complete or absent, never outside its
folder, never over an input, and names from untrusted input are made harmless."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from functools import cache
from itertools import chain
from pathlib import Path

# C0 and C1 controls (a terminal obeys them) and the Unicode line and bidi controls.
CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
DRIVE = re.compile(r"^[A-Za-z]:$")
# The names temporary_path makes: .NAME.RANDOM.part
TEMPORARY = re.compile(r"\..+\.[a-z0-9_]{8}\.part")


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, synced, then
    renamed over it: a reader (or a full disk, or a kill) sees the old file or the new one,
    never a part. Text is written as UTF-8."""
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with _temporary(path) as (handle, _):
        handle.write(payload)


def write_json(path: str | Path | None, data: object) -> str:
    """``data`` as indented UTF-8 JSON (and a final newline) to ``path`` as ``write_atomic``
    writes, or to stdout when ``path`` is None, encoded piece by piece (a large output is
    never one string in memory); returns the sha256 of what was written."""
    digest = hashlib.sha256()

    def pieces() -> Iterator[bytes]:
        buffer: list[str] = []
        size = 0
        for chunk in chain(json.JSONEncoder(ensure_ascii=False, indent=1).iterencode(data), "\n"):
            buffer.append(chunk)
            size += len(chunk)
            if size >= 1 << 20:
                yield "".join(buffer).encode("utf-8")
                buffer, size = [], 0
        yield "".join(buffer).encode("utf-8")

    if path is None:
        for piece in pieces():
            digest.update(piece)
            sys.stdout.buffer.write(piece)
        sys.stdout.flush()
        return digest.hexdigest()
    with _temporary(Path(path)) as (handle, _):
        for piece in pieces():
            digest.update(piece)
            handle.write(piece)
    return digest.hexdigest()


def copy_atomic(source: str | Path, target: str | Path) -> None:
    """Copy ``source`` to ``target`` as ``write_atomic`` writes."""
    with open(source, "rb") as original, _temporary(Path(target)) as (handle, _):
        shutil.copyfileobj(original, handle, 1 << 20)


def temporary_path(path: str | Path) -> Path:
    """A fresh temporary file beside ``path`` (for a writer that wants a name); the caller
    renames it over ``path`` with ``os.replace`` or removes it. It has the permissions
    ``path`` has, or a new file's (not the owner-only ones of ``mkstemp``)."""
    path = Path(path)
    descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent or ".")
    try:
        os.chmod(descriptor, _mode_for(path))
    finally:
        os.close(descriptor)
    return Path(name)


def _mode_for(path: Path) -> int:
    """The permission bits of ``path``, or of a new file where there is none (0666 less the
    umask)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


@cache
def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def remove_stale_parts(folder: str | Path) -> None:
    """Remove the temporary files a killed run left below ``folder`` (``temporary_path``'s
    names, regular files only)."""
    for path in Path(folder).rglob(".*.part"):
        if TEMPORARY.fullmatch(path.name) and path.is_file() and not path.is_symlink():
            path.unlink(missing_ok=True)


class _temporary:
    """A temporary file beside ``path``, renamed over it when the block ends well and
    removed when it does not."""

    def __init__(self, path: Path) -> None:
        self._path = path

    def __enter__(self):
        self._name = temporary_path(self._path)
        self._handle = open(self._name, "wb")
        return self._handle, self._name

    def __exit__(self, kind, *rest) -> None:
        try:
            if kind is None:
                self._handle.flush()
                os.fsync(self._handle.fileno())
        finally:
            self._handle.close()
            if kind is not None:
                self._name.unlink(missing_ok=True)
        if kind is None:
            try:
                os.replace(self._name, self._path)
            except OSError as error:  # a folder in the way, say: named as the target, not the temporary
                self._name.unlink(missing_ok=True)
                raise OSError(error.errno, error.strerror, str(self._path)) from None


def safe_relative(name: str) -> str | None:
    """A name from untrusted input (an archive member, a file name) as a relative path that
    stays inside the folder it is joined to: no root, drive, ``..`` or ``.`` parts, no
    controls, backslashes taken as separators. None when nothing is left.

    >>> safe_relative("../../etc/passwd"), safe_relative("C:\\\\temp\\\\a.txt"), safe_relative("/..")
    ('etc/passwd', 'temp/a.txt', None)
    """
    parts = []
    for part in re.split(r"[/\\]+", CONTROLS.sub("_", name)):
        if part in ("", ".", "..") or DRIVE.match(part):
            continue
        parts.append(part)
    return "/".join(parts) or None


def inside(path: str | Path, folder: str | Path) -> bool:
    """Whether ``path`` (resolved, links followed) lies inside ``folder``."""
    try:
        Path(path).resolve().relative_to(Path(folder).resolve())
    except ValueError:
        return False
    return True


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name one file (an existing one, links followed)."""
    try:
        return Path(a).resolve() == Path(b).resolve() or os.path.samefile(a, b)
    except OSError:
        return False


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: controls shown as escapes, undecodable bytes of
    a file name as \\x escapes.

    >>> printable("a\\x1b]0;owned\\x07b")
    'a\\\\x1b]0;owned\\\\x07b'
    """
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return CONTROLS.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
