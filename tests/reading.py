"""How far a text read from a page is from the text printed on it: character edits, in
order and order-free (for the layout tests and scripts/bench_layout.py)."""

from __future__ import annotations

import difflib
import re
from collections import Counter


def squeeze(text: str) -> str:
    """The text without whitespace (line breaks and spaces are the layout's business)."""
    return re.sub(r"\s", "", text)


def error(truth: str, text: str) -> float:
    """Character edits from ``truth`` to ``text`` (difflib's opcodes: a moved block counts
    twice), per character of ``truth``."""
    matcher = difflib.SequenceMatcher(a=truth, b=text, autojunk=False)
    edits = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")
    return edits / len(truth)


def bag_error(truth: str, text: str) -> float:
    """The error of ``text`` as a bag of characters, per character of ``truth``: what no
    reading order can explain (the recogniser's own misreadings)."""
    want, got = Counter(truth), Counter(text)
    return max(sum((want - got).values()), sum((got - want).values())) / len(truth)
