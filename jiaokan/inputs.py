"""The inputs of a batch: PDFs and text files below a folder and inside zip archives there,
found without trusting anything about them.

Names become safe relative output names (no ``..``, root, drive or controls; names stored in
GBK decoded; two inputs never share one). Links that leave the folder are not followed, and
each input that cannot be read — a dangling link, an unreadable folder, a zip that will not
open, an encrypted or unsupported member, an archive inside an archive, a zip bomb — is a
``Problem`` naming it, never an exception. Contents are read in blocks: hashing a 2 GB member
holds one block in memory.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from jiaokan.encodings.codepages import decode_name
from jiaokan.files import inside, safe_relative

SUFFIXES = (".pdf", ".txt")
ARCHIVES = (".zip",)
BLOCK = 1 << 20
# A member that unpacks past MAX_MEMBER_BYTES, or past BOMB_BYTES at a ratio over BOMB_RATIO
# to its packed size, is refused before a byte of it is read.
MAX_MEMBER_BYTES = 1 << 30
BOMB_BYTES = 64 << 20
BOMB_RATIO = 200
# What reading a zip member can raise besides OSError: a damaged archive, encryption, a
# compression method zipfile lacks (deflate64), corrupt data, a member cut short.
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, NotImplementedError, zlib.error, EOFError, ValueError, KeyError)


class InputError(Exception):
    """An input that cannot be read; ``str()`` says why."""


@dataclass(frozen=True)
class Input:
    """A file to convert: a path, or a member of a zip archive (``member`` is its name as
    stored); ``name`` is its safe relative name, which its outputs are named after."""

    path: Path
    name: str
    member: str | None = None
    size: int = 0

    def open(self) -> BinaryIO:
        """The input's bytes as a stream (raises ``InputError``)."""
        try:
            if self.member is None:
                return open(self.path, "rb")
            archive = zipfile.ZipFile(self.path)
            return _Member(archive, archive.open(self.member))
        except (OSError, *ZIP_ERRORS) as error:
            raise InputError(f"cannot read it ({_why(error)})") from error

    def blocks(self) -> Iterator[bytes]:
        """The input's bytes, block by block (raises ``InputError``); a member yields no
        more than it declared."""
        with self.open() as stream:
            total = 0
            while True:
                try:
                    block = stream.read(BLOCK)
                except (OSError, *ZIP_ERRORS) as error:
                    raise InputError(f"cannot read it ({_why(error)})") from error
                if not block:
                    return
                total += len(block)
                if self.member is not None and total > max(self.size, 1) * 1.01 + BLOCK:
                    raise InputError("it unpacks to more than its archive declares (a zip bomb)")
                yield block

    def sha256(self) -> str:
        digest = hashlib.sha256()
        for block in self.blocks():
            digest.update(block)
        return digest.hexdigest()

    def copy_to(self, target: Path) -> None:
        """Write the input's bytes to ``target`` (a member, unpacked)."""
        with open(target, "wb") as out:
            for block in self.blocks():
                out.write(block)


@dataclass(frozen=True)
class Problem:
    """An input that cannot be converted, with the reason."""

    name: str
    error: str


class _Member:
    """A zip member's stream that closes its archive with it."""

    def __init__(self, archive: zipfile.ZipFile, stream: BinaryIO) -> None:
        self._archive, self._stream = archive, stream

    def read(self, size: int) -> bytes:
        return self._stream.read(size)

    def __enter__(self) -> _Member:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stream.close()
        self._archive.close()


def find_inputs(folder: Path, exclude: tuple[Path, ...] = ()) -> tuple[list[Input], list[Problem]]:
    """The inputs below ``folder`` (outside the ``exclude`` folders: a batch's own outputs),
    and the problems met on the way."""
    inputs: list[Input] = []
    problems: list[Problem] = []
    names = _Names()

    def unreadable(error: OSError) -> None:
        problems.append(Problem(_display(folder, Path(error.filename or folder)), f"cannot read the folder ({error.strerror})"))

    for root, folders, files in os.walk(folder, onerror=unreadable):
        here = Path(root)
        folders[:] = sorted(f for f in folders if not any(inside(here / f, x) for x in exclude) or (here / f).is_symlink())
        for entry in sorted(files) + [f for f in folders if (here / f).is_symlink()]:
            path = here / entry
            display = _display(folder, path)
            suffix = path.suffix.lower()
            if suffix not in SUFFIXES + ARCHIVES:
                continue
            if path.is_symlink() and not inside(path, folder):
                reason = "a link to nothing" if not path.exists() else "a link to outside the input folder: not followed"
                problems.append(Problem(display, reason))
            elif not path.is_file():
                problems.append(Problem(display, "a link to nothing" if path.is_symlink() else "not a regular file"))
            elif suffix in SUFFIXES:
                inputs.append(Input(path, names.unique(safe_relative(display) or "input"), size=path.stat().st_size))
            else:
                found, trouble = _members(path, display, names)
                inputs += found
                problems += trouble
    return inputs, problems


def _members(path: Path, display: str, names: _Names) -> tuple[list[Input], list[Problem]]:
    """The PDF and text members of an archive, and its problems."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (OSError, *ZIP_ERRORS) as error:
        return [], [Problem(display, f"cannot open the archive ({_why(error)})")]
    members, problems = [], []
    for info in infos:
        stored = info.filename if info.flag_bits & 0x800 else decode_name(info.filename.encode("cp437", "replace"))
        shown = f"{display}/{stored}"
        suffix = Path(stored).suffix.lower()
        if info.is_dir() or suffix not in SUFFIXES + ARCHIVES:
            continue
        safe = safe_relative(stored)
        if suffix in ARCHIVES:
            problems.append(Problem(shown, "an archive inside an archive: not unpacked"))
        elif safe is None:
            problems.append(Problem(shown, "a member name with no file name in it"))
        elif info.flag_bits & 0x1:
            problems.append(Problem(shown, "an encrypted member: decrypt the archive first"))
        elif info.file_size > MAX_MEMBER_BYTES or (
            info.file_size > BOMB_BYTES and info.file_size > BOMB_RATIO * max(info.compress_size, 1)
        ):
            problems.append(Problem(shown, f"unpacks to {info.file_size / 2**20:.0f} MB from {info.compress_size / 2**20:.1f} MB "
                                           "(a zip bomb, or too large): not unpacked"))
        else:
            members.append(Input(path, names.unique(f"{safe_relative(display)}/{safe}"), info.filename, info.file_size))
    if not members and not problems:
        problems.append(Problem(display, "the archive holds no PDF or text file"))
    return members, problems


class _Names:
    """Output names handed out so far: a second input that would share one gets ``~2``."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def unique(self, name: str) -> str:
        candidate, n = name, 1
        while candidate.lower() in self._taken:
            n += 1
            stem, dot, suffix = name.rpartition(".")
            candidate = f"{stem}~{n}.{suffix}" if dot else f"{name}~{n}"
        self._taken.add(candidate.lower())
        return candidate


def _display(folder: Path, path: Path) -> str:
    """The path below ``folder`` as text: a name stored in GBK bytes (as Windows wrote it)
    decoded through the Chinese code pages."""
    try:
        relative = path.relative_to(folder)
    except ValueError:
        relative = path
    return decode_name(os.fsencode(relative))


def _why(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def unpacked(item: Input, folder: Path) -> Path:
    """The input as a file: its own path, or a member unpacked into ``folder``."""
    if item.member is None:
        return item.path
    target = folder / ("member" + Path(item.name).suffix)
    item.copy_to(target)
    return target

