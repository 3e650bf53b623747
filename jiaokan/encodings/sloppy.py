"""The "sloppy" Windows code pages: windows-1250 … 1258 with the bytes they leave undefined
read as Latin-1 reads them (C1 controls), as most software that misreads text does, and byte
0x1A (SUB) standing for U+FFFD. The same codecs as ftfy's ``sloppy-windows-*``, registered
here: importing ftfy for them took 50 ms in every process that re-reads a span.
"""

from __future__ import annotations

import codecs
from functools import cache

PREFIX = "sloppy_windows_"
SUBSTITUTE = 0x1A


@cache
def register() -> None:
    """Make ``sloppy-windows-125x`` known to ``str.encode`` and ``bytes.decode`` (once)."""
    codecs.register(_search)


def _search(name: str) -> codecs.CodecInfo | None:
    normal = name.lower().replace("-", "_").replace(" ", "_")
    return _codec(normal.removeprefix(PREFIX)) if normal.startswith(PREFIX) else None


@cache
def _codec(number: str) -> codecs.CodecInfo | None:
    """sloppy-windows-``number``, or None where Python has no windows-``number``."""
    try:
        strict = bytes(range(256)).decode(f"windows-{number}", errors="replace")
    except LookupError:
        return None
    chars = [char if char != "\ufffd" else chr(byte) for byte, char in enumerate(strict)]
    chars[SUBSTITUTE] = "\ufffd"
    decoding = "".join(chars)
    encoding = codecs.charmap_build(decoding)

    def encode(text: str, errors: str = "strict") -> tuple[bytes, int]:
        return codecs.charmap_encode(text, errors, encoding)

    def decode(data: bytes, errors: str = "strict") -> tuple[str, int]:
        return codecs.charmap_decode(data, errors, decoding)

    return codecs.CodecInfo(encode, decode, name=f"sloppy-windows-{number}")
