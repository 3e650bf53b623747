"""Prior rates of full-width symbols and the roles they play (pairs, numbers)."""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources

OPENING = "（《“〔【「『〈〖‘"
CLOSING = "）》”〕】」』〉〗’"
PARTNER = dict(zip(OPENING + CLOSING, CLOSING + OPENING))
FULLWIDTH_DIGITS = "０１２３４５６７８９"
DIGITS = "0123456789" + FULLWIDTH_DIGITS
# Symbols that sit inside numbers: 1．5, 1～2, 8：30, 50％, 2020－2021, 3／4.
NUMERIC_JOINERS = "．～：－／％"
# Operators between quantities: 365天－104天＝261天, 250天÷4季, 月计薪天数×8小时.
OPERATORS = "＝＋×÷＜＞≤≥±"
# Marks that end a clause or a list item.
BREAKS = "，。、：；！？"
# Joiners that, outside numbers, are rare enough to need the number to be believed.
CONTEXT_BOUND = "．～－／％"
# Item enumerators of GB2312 row 2: ⅰ–ⅹ ⒈–⒛ ⑴–⒇ ①–⑩ ㈠–㈩ Ⅰ–Ⅻ.
ENUMERATORS = (
    "".join(chr(c) for c in range(0x2170, 0x217A))
    + "".join(chr(c) for c in range(0x2488, 0x249C))
    + "".join(chr(c) for c in range(0x2474, 0x2488))
    + "".join(chr(c) for c in range(0x2460, 0x246A))
    + "".join(chr(c) for c in range(0x3220, 0x322A))
    + "".join(chr(c) for c in range(0x2160, 0x216C))
)


@cache
def _rates() -> tuple[dict[str, float], float]:
    data = json.loads(resources.files("jiaokan.encodings").joinpath("data/symbol_rates.json").read_text("utf-8"))
    return data["rates"], data["default"]


def symbol_logp(symbol: str) -> float:
    """Log prior of ``symbol`` as one token of Chinese prose."""
    rates, default = _rates()
    return math.log(rates.get(symbol, default))


def code_point_class(codes: Iterable[int]) -> str:
    """A regular-expression character class of ``codes`` (ascending), consecutive code points
    written as one range: a class of thousands compiles in milliseconds."""
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return range_class(ranges)


def range_class(ranges: Iterable[Sequence[int]]) -> str:
    """A regular-expression character class of inclusive (first, last) code point ranges."""
    return "[" + "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges) + "]"


def ranges_without(blocks: Iterable[tuple[int, int]], taken: Iterable[int]) -> list[tuple[int, int]]:
    """The parts of the inclusive (first, last) code point ``blocks`` that hold none of the
    ``taken`` code points, as inclusive ranges (thousands of code points, no loop over them)."""
    taken = sorted(taken)
    ranges = []
    for first, last in blocks:
        start = first
        for code in taken[bisect_left(taken, first) : bisect_right(taken, last)]:
            if code > start:
                ranges.append((start, code - 1))
            start = code + 1
        if start <= last:
            ranges.append((start, last))
    return ranges
