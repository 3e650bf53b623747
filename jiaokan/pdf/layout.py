"""Layout for PDF pages: rows, reading order and page furniture.

Characters are grouped into rows by their baseline. Rows in the top and bottom margins,
above or below all the other text and standing clear of it, that are short, set small or
look like running heads or page numbers, are set apart as candidate furniture; the rest of
the page is read in the order its columns give (``columns``).
"""

from __future__ import annotations

import re
from collections import Counter

from jiaokan.pdf.columns import Columns, has_text, median
from jiaokan.pdf.model import OCR_FONT, Char, PageLayout, PdfLine, PdfPage
from jiaokan.structure.patterns import is_furniture

WORD_GAP = 0.2
# Marks that close a Latin word or stand after it, and marks that open one.
LATIN_AFTER = frozenset(",.;:!?)]}%'\"")
LATIN_BEFORE = frozenset("([{'\"$#")
# Latin words further apart than this (in ems) are not one phrase: no space is put between.
PHRASE_GAP = 1.5
MARGIN_SHARE = 0.1
MARGIN_ROW_MAX = 30
# Running heads and page numbers stand this many ems clear of the body.
SET_APART = 0.9
# The outermost margin row set this much smaller than the page's body text may be a long
# running head (a document's title).
SMALL_TYPE = 0.92
# How far (in ems) positions read by page OCR wobble.
OCR_JITTER = 0.3


def page_lines(page: PdfPage, unmapped: frozenset[str] = frozenset()) -> PageLayout:
    """Lay out one page: margin rows set apart, then the body in reading order. The text of
    the ``unmapped`` fonts' characters is junk: they are laid out as unknown glyphs."""
    originals: dict[int, Char] = {}
    chars = []
    for char in page.chars:
        seen = char._replace(text="\ufffd") if char.font in unmapped else char
        originals[id(seen)] = char
        chars.append(seen)

    def line(row: list[Char]) -> PdfLine:
        return PdfLine(page.number, [originals.get(id(c), c) for c in _word_spaces(row)])

    rows = _rows(chars)
    body_size = median([c.size for row in rows for c in row]) or 0.0
    left = min((c.x0 for c in page.chars), default=0.0)
    right = max((c.x1 for c in page.chars), default=page.width)

    def marginal(row: list[Char], top_margin: bool, outermost: bool) -> bool:
        top = min(c.top for c in row)
        if not (top < page.height * MARGIN_SHARE if top_margin else top > page.height * (1 - MARGIN_SHARE)):
            return False
        text = "".join(c.text for c in row).strip()
        small = outermost and max(c.size for c in row) < SMALL_TYPE * body_size
        return len(text) <= MARGIN_ROW_MAX or is_furniture(text) or small

    first = 0
    while first < len(rows) and marginal(rows[first], True, first == 0):
        first += 1
    last = len(rows)
    while last > first and marginal(rows[last - 1], False, last == len(rows)):
        last -= 1
    first, last = _set_apart(rows, first, last)
    jitter = OCR_JITTER if chars and chars[0].font == OCR_FONT else 0.0
    body = Columns((left, right), jitter).reading_order(rows[first:last])
    return PageLayout([line(row) for row in body], [line(row) for row in rows[:first]], [line(row) for row in rows[last:]])


def _printed_larger(line: PdfLine, page: PageLayout) -> bool:
    """Whether the words of a margin row are printed again on its page in larger type (the
    title under a running head that repeats it)."""
    words, size = _words(line.text), _size(line)
    lines = sorted((other for other in page.head + page.lines if _size(other) > size), key=lambda other: other.bbox[1::-1])
    return len(words) >= 4 and words in "".join(_words(other.text) for other in lines)


def _size(line: PdfLine) -> float:
    """The largest type size of a line's characters (0 for a line left without any: its
    font's characters could not be read)."""
    return max((c.size for c in line.chars), default=0.0)


def _words(text: str) -> str:
    """The letters and hanzi of a text, digits, marks and spaces left out."""
    return re.sub(r"[\W\d_]", "", text)


def _set_apart(rows: list[list[Char]], first: int, last: int) -> tuple[int, int]:
    """The margin runs ``rows[:first]`` and ``rows[last:]`` cut back to the rows set apart
    from the body by a blank of SET_APART ems or more: a row that follows on at the body's
    line spacing is body text (a column's last line low on the page), whatever its length."""
    text = [n for n, row in enumerate(rows) if has_text(row)]

    def apart(upper: int, lower: int) -> bool:
        size = max(c.size for c in rows[upper] + rows[lower])
        return min(c.top for c in rows[lower]) - max(c.bottom for c in rows[upper]) >= SET_APART * size

    while True:
        inner = [n for n in text if n < first]
        outer = [n for n in text if n >= first]
        if not inner or not outer or apart(inner[-1], outer[0]):
            break
        first = inner[-1]
    while True:
        inner = [n for n in text if n >= last]
        outer = [n for n in text if first <= n < last]
        if not inner or not outer or apart(outer[-1], inner[0]):
            break
        last = inner[0] + 1
    return first, last


def split_furniture(pages: list[PageLayout]) -> tuple[list[PdfLine], list[PdfLine]]:
    """All lines in reading order, and the page furniture: margin rows whose (repaired) text
    looks like a running head or a page number, whose words repeat (digits and marks aside,
    in the same type size) on two pages or more, or repeat words printed larger on their
    page (a running head that is the title printed below it). Other margin rows go back
    into their page's text."""

    def key(line: PdfLine) -> tuple[str, int]:
        words = _words(line.text)
        return words, round(_size(line)) if words else 0

    seen = Counter(k for page in pages for k in {key(line) for line in page.head + page.foot})
    lines: list[PdfLine] = []
    furniture: list[PdfLine] = []
    for page in pages:
        kept_head, kept_foot = [], []
        margins = [(line, kept_head) for line in page.head] + [(line, kept_foot) for line in page.foot]
        for line, kept in margins:
            if is_furniture(line.text.strip()) or seen[key(line)] >= 2 or _printed_larger(line, page):
                furniture.append(line)
            else:
                kept.append(line)
        lines += kept_head + page.lines + kept_foot
    return lines, furniture


def _rows(chars: list[Char]) -> list[list[Char]]:
    """Characters grouped by baseline band, top to bottom, each row left to right."""
    rows: list[list[Char]] = []
    for char in sorted(chars, key=lambda c: (round(c.bottom, 1), c.x0)):
        if rows and abs(rows[-1][-1].bottom - char.bottom) <= 0.3 * char.size:
            rows[-1].append(char)
        else:
            rows.append([char])
    return [sorted(row, key=lambda c: c.x0) for row in rows]


def _latin(text: str) -> bool:
    """Text of Latin script: ASCII, accented letters, ligatures (ﬁ ﬂ)."""
    return all(c.isascii() or "\u00c0" <= c <= "\u024f" or "\ufb00" <= c <= "\ufb06" for c in text)


def _ends_word(row: list[Char], k: int) -> bool:
    """Whether ``row[k]`` ends a Latin word or number, or is a mark right after one
    (``Heidelberg,``); a mark after a hanzi is not (时间:2021 keeps its Chinese spacing)."""
    text = row[k].text
    if text[-1:].isalnum():
        return _latin(text)
    before = row[k - 1].text if k else ""
    return text[-1:] in LATIN_AFTER and before[-1:].isalnum() and _latin(before)


def _word_start(char: str) -> bool:
    """A character a Latin word or number may begin with, an opening mark included."""
    return char.isalnum() or char in LATIN_BEFORE


def _word_spaces(row: list[Char]) -> list[Char]:
    """A line with a space put between Latin words and numbers (and the marks around them:
    ``Heidelberg, Victoria``, ``310 (2005)``) that the PDF set apart by position alone (no
    space character), as an extractor's text would have it. Letter-spaced
    text (V o l. 1 9) is not cut between its letters: a gap is a word gap only when it is
    wider than the row's usual gap between letters by WORD_GAP ems."""
    pairs = [(a, b) for a, b in zip(row, row[1:]) if a.text[-1:].isascii() and b.text[:1].isascii()]
    letters = sorted(b.x0 - a.x1 for a, b in pairs if (a.text + b.text).strip())
    if not letters:
        return row
    usual = max(0.0, letters[len(letters) // 2])
    spaced = [row[0]]
    for k, (a, b) in enumerate(zip(row, row[1:])):
        gap = b.x0 - a.x1
        if (_ends_word(row, k) and _word_start(b.text[:1]) and _latin(b.text)
                and usual + WORD_GAP * b.size < gap < PHRASE_GAP * b.size):
            spaced.append(Char(" ", b.font, b.size, a.x1, min(a.top, b.top), b.x0, max(a.bottom, b.bottom)))
        spaced.append(b)
    return spaced


