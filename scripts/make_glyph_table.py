"""Build jiaokan/encodings/data/glyph_table.json: damaged glyph code points → unified ideographs.

Sources, all from the Unicode and GB18030 standards as Python ships them:
- Kangxi radicals (U+2F00–U+2FD5): their NFKC compatibility mapping.
- CJK compatibility ideographs (U+F900–U+FAFF, U+2F800–U+2FA1F): their canonical mapping
  (the twelve unified ideographs in that block have none and stay).
- CJK radicals supplement (U+2E80–U+2EF3): NFKC where defined, else the listed full forms.
- GB18030 private-use points (GB18030-2000) that later editions map to standard code points:
  the FE50–FEA0 block as Python's gb18030 codec decodes it, the vertical forms and ḿ.
Run: python scripts/make_glyph_table.py
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "jiaokan" / "encodings" / "data" / "glyph_table.json"

# Radical-supplement forms that stand for a whole character (no NFKC mapping).
RADICAL_FULL_FORMS = dict(
    zip(
        "⺌⺍⺎⺏⺐⺒⺓⺖⺘⺙⺛⺜⺝⺠⺡⺢⺣⺤⺥⺦⺧⺨⺩⺪⺫⺬⺭⺮⺯⺰⺶⺷⺹⺺⺻⺼⺽⺾⺿⻀⻁⻂⻃⻄⻅⻆⻈⻉⻋⻌⻍⻎⻏⻐⻑⻒⻓⻔⻖⻗⻘⻙⻚⻛⻜⻝⻟⻠⻢⻣⻤⻥⻦⻧⻨⻩⻪⻫⻬⻭⻮⻯⻰⻱⻲",
        "小小兀尣尢巳幺忄扌攵旡日月民氵氺灬爫爫丬牜犭王疋罒示礻竹糸纟羊羊耂肀聿月臼艹艹艹虎衤覀西见角讠贝车辶辶辶阝钅長镸长门阝雨青韦页风飞食飠饣马骨鬼鱼鸟卤麦黄黾斉齐歯齿竜龙龜亀",
    )
)
# GB18030-2000 private-use vertical forms and ḿ, mapped to standard points from GB18030-2005 on.
PUA_FIXED = {
    0xE78D: 0xFE10, 0xE78E: 0xFE12, 0xE78F: 0xFE11, 0xE790: 0xFE13, 0xE791: 0xFE14,
    0xE792: 0xFE15, 0xE793: 0xFE16, 0xE794: 0xFE17, 0xE795: 0xFE18, 0xE796: 0xFE19,
    0xE7C7: 0x1E3F,
}
# GB18030-2022 moved these FE-row private-use points to standard code points.
PUA_2022 = {
    0xE81E: 0x9FB4, 0xE826: 0x9FB5, 0xE82B: 0x9FB6, 0xE82C: 0x9FB7, 0xE832: 0x9FB8,
    0xE843: 0x9FB9, 0xE854: 0x9FBA, 0xE864: 0x9FBB, 0xE816: 0x20087, 0xE817: 0x20089,
    0xE818: 0x200CC, 0xE831: 0x215D7, 0xE83B: 0x2298F, 0xE855: 0x241FE,
}


def build() -> dict[str, str]:
    table: dict[str, str] = {}
    for code in list(range(0x2F00, 0x2FD6)) + list(range(0x2E80, 0x2EF4)):
        char = chr(code)
        mapped = unicodedata.normalize("NFKC", char)
        if mapped != char:
            table[char] = mapped
    for char, full in RADICAL_FULL_FORMS.items():
        table.setdefault(char, full)
    for code in list(range(0xF900, 0xFB00)) + list(range(0x2F800, 0x2FA20)):
        char = chr(code)
        mapped = unicodedata.normalize("NFC", char)
        if mapped != char:
            table[char] = mapped
    trails = [t for t in range(0x50, 0xA1) if t != 0x7F]
    for index, trail in enumerate(trails):
        decoded = bytes((0xFE, trail)).decode("gb18030")
        if not 0xE000 <= ord(decoded) <= 0xF8FF:
            table[chr(0xE815 + index)] = decoded
    for pua, standard in {**PUA_FIXED, **PUA_2022}.items():
        table[chr(pua)] = chr(standard)
    return table


if __name__ == "__main__":
    table = build()
    OUT.write_text(json.dumps(dict(sorted(table.items())), ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(table)} entries written to {OUT}")
