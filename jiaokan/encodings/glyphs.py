"""Glyph-map damage: Kangxi radicals, radical supplements, compatibility ideographs and GB18030
private-use points where a unified ideograph (or standard symbol) was meant.

Only these characters change; blanket NFKC would also turn full-width punctuation into ASCII.

>>> normalize_glyphs("⼈⺠政府")
'人民政府'
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


@cache
def glyph_pattern() -> re.Pattern[str]:
    return re.compile("[" + re.escape("".join(glyph_table())) + "]")


def normalize_glyphs(text: str) -> str:
    table = glyph_table()
    return glyph_pattern().sub(lambda m: table[m.group()], text)
