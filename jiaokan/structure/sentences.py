"""Sentences, split as spaCy's sentencizer splits a blank Chinese pipeline's text, without
loading spaCy (its import alone costs more than reading a short PDF).

The sentencizer starts a sentence at the first token that is neither punctuation nor a
sentence end after a sentence end. The blank Chinese tokenizer makes every character a token
and a run of whitespace one token, but for a single space after a character, which belongs
to it. So a sentence ends after a sentence end and the punctuation that follows it (single
spaces between punctuation included); sentences are given stripped, and empty ones dropped.
``tests/test_startup.py`` checks the two agree.

>>> split_sentences("推进建设。完成任务！”好 ")
['推进建设。', '完成任务！”', '好']
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from jiaokan.encodings.symbols import code_point_class

SENTENCE_ENDS = "。！？；!?"
# Blocks in which Unicode has no punctuation: CJK ideographs (extension A and the unified
# block), Hangul syllables, surrogates and private use.
LETTERS_ONLY = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7A3), (0xD800, 0xF8FF))


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, stripped, none empty."""
    starts = [0] + [m.end() for m in _sentence_close().finditer(text) if m.end() < len(text)]
    pieces = (text[a:b].strip() for a, b in zip(starts, [*starts[1:], len(text)]))
    return [piece for piece in pieces if piece]


@cache
def _sentence_close() -> re.Pattern[str]:
    """A sentence end and the punctuation after it (a space between two marks is no token)."""
    punctuation = _punctuation_class()
    return re.compile(f"[{re.escape(SENTENCE_ENDS)}](?:{punctuation}| (?={punctuation}))*")


@cache
def _punctuation_class() -> str:
    """A character class of Unicode's punctuation (categories P*), as spaCy's ``is_punct``, in
    the Basic Multilingual Plane (beyond it only historic scripts have any); the blocks of
    ``LETTERS_ONLY`` are not looked through."""
    category = unicodedata.category
    codes: list[int] = []
    start = 0
    for first, last in LETTERS_ONLY:
        codes += range(start, first)
        start = last + 1
    codes += range(start, 0x10000)
    return code_point_class(code for code in codes if category(chr(code))[0] == "P")
