"""ToUnicode CMaps: read one (pdfminer's parser) and write one (bfchar entries).

>>> mapping, width = read_tounicode(write_tounicode({1: "示", 0x20: "，"}, 2))
>>> mapping == {1: "示", 0x20: "，"}, width
(True, 2)
"""

from __future__ import annotations

import io
import re

CODESPACE = re.compile(rb"begincodespacerange\s*<([0-9A-Fa-f]+)>")


def read_tounicode(data: bytes) -> tuple[dict[int, str], int]:
    """Glyph code → text of a ToUnicode CMap, and the width of its codes in bytes."""
    from pdfminer.cmapdb import CMapParser, FileUnicodeMap

    unicode_map = FileUnicodeMap()
    CMapParser(unicode_map, io.BytesIO(data)).run()
    space = CODESPACE.search(data)
    width = len(space.group(1)) // 2 if space else 2
    return dict(unicode_map.cid2unichr), width


def write_tounicode(mapping: dict[int, str], width: int) -> bytes:
    """A ToUnicode CMap for ``mapping`` (codes of ``width`` bytes), 100 entries per block."""
    digits = 2 * width
    entries = sorted(mapping.items())
    blocks = "".join(
        f"{len(chunk)} beginbfchar\n"
        + "".join(f"<{code:0{digits}X}> <{text.encode('utf-16-be').hex().upper()}>\n" for code, text in chunk)
        + "endbfchar\n"
        for chunk in (entries[i : i + 100] for i in range(0, len(entries), 100))
    )
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        f"1 begincodespacerange\n<{0:0{digits}X}> <{256**width - 1:0{digits}X}>\nendcodespacerange\n"
        f"{blocks}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode("ascii")
