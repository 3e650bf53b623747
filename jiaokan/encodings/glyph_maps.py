"""Glyph-map damage: Kangxi radicals, radical supplements, compatibility ideographs and GB18030
private-use points where a unified ideograph (or standard symbol) was meant.

Only these characters change; blanket NFKC would also turn full-width punctuation into ASCII.

>>> [(i, damaged, meant) for i, damaged, meant in find_glyphs("⼈⺠政府")]
[(0, '⼈', '人'), (1, '⺠', '民')]
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources


@cache
def glyph_table() -> dict[str, str]:
    """Damaged code point → intended character (see scripts/make_glyph_table.py)."""
    data = resources.files("jiaokan.encodings").joinpath("data/glyph_table.json").read_text("utf-8")
    return json.loads(data)


# The blocks the table draws from, as plain ranges (a class of 1,400 single characters scans
# several times slower); a match is then looked up in the table.
GLYPH_BLOCKS = re.compile("[\u2e80-\u2fdf\ue000-\uf8ff\uf900-\ufaff\U0002f800-\U0002fa1f]")


def find_glyphs(text: str) -> list[tuple[int, str, str]]:
    """(index, damaged, intended) for every damaged glyph in ``text``."""
    table = glyph_table()
    return [(m.start(), m.group(), table[m.group()]) for m in GLYPH_BLOCKS.finditer(text) if m.group() in table]


# Private-use code points: those of GB18030 are in the table, a font maker's own are not.
PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010fffd]")

# Brackets of a document number that some converters turn into low and high quotation marks:
# 国办发„2009‟3号 for 国办发〔2009〕3号. Only there: „ and ‟ are rare, the form is not.
NUMBER_BRACKETS = re.compile(r"(?<=[\u4e00-\u9fff])„((?:19|20)\d{2})‟(?=\s*\d{1,4}\s*号)")


# Any character a glyph-map repair or a private-use report starts from: a line without one is
# passed over.
GLYPH_MARKS = re.compile(f"[{GLYPH_BLOCKS.pattern[1:-1]}{PRIVATE_USE.pattern[1:-1]}„]")


def find_number_brackets(text: str) -> list[tuple[int, str, str]]:
    """(index, damaged, intended) for the quotation marks standing for 〔〕 in document numbers.

    >>> find_number_brackets("（国办发„2009‟3号）")
    [(4, '„', '〔'), (9, '‟', '〕')]
    """
    found = []
    for match in NUMBER_BRACKETS.finditer(text):
        found += [(match.start(), "„", "〔"), (match.end() - 1, "‟", "〕")]
    return found


def glyph_kind(char: str) -> str:
    """The damage kind of a damaged glyph: glyph:radical, glyph:private-use,
    glyph:number-bracket or glyph:compatibility."""
    if char in "„‟":
        return "glyph:number-bracket"
    code = ord(char)
    if 0x2F00 <= code <= 0x2FDF or 0x2E80 <= code <= 0x2EFF:
        return "glyph:radical"
    if 0xE000 <= code <= 0xF8FF:
        return "glyph:private-use"
    return "glyph:compatibility"
