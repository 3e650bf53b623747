"""Damage clean text on purpose, the way broken fonts and wrong decoders do (for fixtures,
tests and benchmarks). Each function is the inverse of one repair.

>>> mojibake("嘉兴市", written_in="gbk", read_as="latin-1")
'¼ÎÐËÊÐ'
"""

from __future__ import annotations

import codecs
from collections.abc import Sequence

from jiaokan.encodings.founder import FounderShift
from jiaokan.encodings.glyph_maps import glyph_table
from jiaokan.encodings.sloppy import register as register_sloppy_codecs

register_sloppy_codecs()  # the sloppy-windows-* code pages misreadings are made with


def founder(text: str, offset: int = 0x31) -> str:
    """Shift every GB2312 row 1–9 symbol by ``offset`` lead-byte rows."""
    return FounderShift.build(offset).damage(text)


def founder_by_line(text: str, offsets: tuple[int, ...] = (0x31, 0x2E)) -> str:
    """Line n takes shift ``offsets[n % len(offsets)]``: two damaged fonts in one text."""
    lines = text.split("\n")
    return "\n".join(founder(line, offsets[n % len(offsets)]) for n, line in enumerate(lines))


def mojibake(text: str, written_in: str, read_as: str, lossy: bool = False) -> str:
    """Encode with ``written_in`` and decode with ``read_as``, line by line; a line that cannot
    make the trip is left as it was, unless ``lossy``: then bytes ``read_as`` cannot read
    become U+FFFD, as a lenient decoder leaves them."""
    out = []
    for line in text.split("\n"):
        try:
            out.append(line.encode(written_in).decode(read_as, errors="replace" if lossy else "strict"))
        except UnicodeError:
            out.append(line)
    return "\n".join(out)


def lost_share(text: str, rounds: Sequence[tuple[str, str]]) -> float:
    """The share of ``text``'s characters of which ``mojibake(…, lossy=True)``, made for each
    (written in, read as) of ``rounds`` in turn, loses a byte (the bar of a lossy repair):
    every character of every round is followed back to the characters of ``text`` its bytes
    came from."""
    lost = 0
    for line in text.split("\n"):
        origins = [{k} for k in range(len(line))]  # the characters of the line behind each character
        gone: set[int] = set()
        for written_in, read_as in rounds:
            try:
                raw = line.encode(written_in)
            except UnicodeEncodeError:
                break  # mojibake leaves such a line as it was
            owners = [origins[n] for n, char in enumerate(line) for _ in char.encode(written_in)]
            _UNREAD.clear()
            line, at, origins = raw.decode(read_as, errors="jiaokan-lost"), 0, []
            for char in line:
                width = _UNREAD.pop(0)[1] - at if _UNREAD and _UNREAD[0][0] == at else len(char.encode(read_as))
                origin = set().union(*owners[at : at + width])
                gone |= origin if char == "\ufffd" else set()
                origins.append(origin)
                at += width
        lost += len(gone)
    return lost / max(1, len(text))


# The byte ranges the last decoding with errors="jiaokan-lost" could not read.
_UNREAD: list[tuple[int, int]] = []


def _noted(error: UnicodeDecodeError) -> tuple[str, int]:
    """The "replace" error handler, noting what it replaced in ``_UNREAD``."""
    _UNREAD.append((error.start, error.end))
    return "\ufffd", error.end


codecs.register_error("jiaokan-lost", _noted)


def kangxi(text: str) -> str:
    """Replace every character that has a Kangxi radical form by that radical."""
    radicals = {full: radical for radical, full in glyph_table().items() if 0x2F00 <= ord(radical) <= 0x2FDF}
    return text.translate(str.maketrans(radicals))
