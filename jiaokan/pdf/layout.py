"""Layout for PDF pages: rows of characters, columns, reading order and page furniture.

Characters are grouped into rows by their vertical position, and a row is cut where a gap
wider than ``GUTTER_EMS`` ems separates its characters. When many rows are cut at the same
place the page has two columns: rows that cross that gutter (title blocks) are read first
in their band, then the left column of the band, then the right. Short rows in the top and
bottom margins, above or below all the other text, that look like running heads or page
numbers, or repeat from page to page, are page furniture.
"""

from __future__ import annotations

import re
from collections import Counter

from jiaokan.pdf.model import Char, PageLayout, PdfLine, PdfPage
from jiaokan.structure.patterns import is_furniture

GUTTER_EMS = 1.5
WORD_GAP = 0.2
MARGIN_SHARE = 0.1
MARGIN_ROW_MAX = 30
MIN_COLUMN_ROWS = 6


def page_lines(page: PdfPage) -> PageLayout:
    """Lay out one page: rows, columns, reading order; margin rows set apart."""
    rows = _rows(page.chars)
    segments = [_split(row) for row in rows]
    gutter = _gutter(segments, page.width)

    def marginal(row_segments: list[list[Char]], top_margin: bool) -> bool:
        chars = [c for s in row_segments for c in s]
        text = "".join(c.text for c in chars).strip()
        if len(text) > MARGIN_ROW_MAX and not is_furniture(text):
            return False
        top = min(c.top for c in chars)
        return top < page.height * MARGIN_SHARE if top_margin else top > page.height * (1 - MARGIN_SHARE)

    # Margin rows are those above or below all the text: the leading and trailing runs.
    first = 0
    while first < len(segments) and marginal(segments[first], True):
        first += 1
    last = len(segments)
    while last > first and marginal(segments[last - 1], False):
        last -= 1
    head = [PdfLine(page.number, [c for s in row for c in s]) for row in segments[:first]]
    foot = [PdfLine(page.number, [c for s in row for c in s]) for row in segments[last:]]
    return PageLayout(_reading_order(page.number, segments[first:last], gutter), head, foot)


def split_furniture(pages: list[PageLayout]) -> tuple[list[PdfLine], list[PdfLine]]:
    """All lines in reading order, and the page furniture: margin rows whose (repaired) text
    looks like a running head or a page number, or repeats (digits aside) on two pages or
    more. Other margin rows go back into their page's text."""

    def key(line: PdfLine) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s", "", line.text))

    seen = Counter(k for page in pages for k in {key(line) for line in page.head + page.foot})
    lines: list[PdfLine] = []
    furniture: list[PdfLine] = []
    for page in pages:
        kept_head, kept_foot = [], []
        for line, kept in [(line, kept_head) for line in page.head] + [(line, kept_foot) for line in page.foot]:
            if is_furniture(line.text.strip()) or seen[key(line)] >= 2:
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
    return [_word_spaces(sorted(row, key=lambda c: c.x0)) for row in rows]


def _word_spaces(row: list[Char]) -> list[Char]:
    """A row with a space put between Latin words and numbers that the PDF set apart by
    position alone (no space character), as an extractor's text would have it. Letter-spaced
    text (V o l. 1 9) is not cut between its letters: a gap is a word gap only when it is
    wider than the row's usual gap between letters by WORD_GAP ems."""
    pairs = [(a, b) for a, b in zip(row, row[1:]) if a.text[-1:].isascii() and b.text[:1].isascii()]
    letters = sorted(b.x0 - a.x1 for a, b in pairs if (a.text + b.text).strip())
    if not letters:
        return row
    usual = max(0.0, letters[len(letters) // 2])
    spaced = [row[0]]
    for a, b in zip(row, row[1:]):
        gap = b.x0 - a.x1
        if (a.text[-1:].isalnum() and b.text[:1].isalnum() and a.text.isascii() and b.text.isascii()
                and usual + WORD_GAP * b.size < gap < GUTTER_EMS * b.size):
            spaced.append(Char(" ", b.font, b.size, a.x1, min(a.top, b.top), b.x0, max(a.bottom, b.bottom)))
        spaced.append(b)
    return spaced


def _split(row: list[Char]) -> list[list[Char]]:
    segments = [[row[0]]]
    for previous, char in zip(row, row[1:]):
        if char.x0 - previous.x1 > GUTTER_EMS * max(char.size, previous.size):
            segments.append([char])
        else:
            segments[-1].append(char)
    return segments


def _gutter(segments: list[list[list[Char]]], width: float) -> float | None:
    """The x of the column gutter, when enough rows are cut at the same place mid-page."""
    cuts = Counter()
    for row in segments:
        if len(row) == 2:
            left_end, right_start = row[0][-1].x1, row[1][0].x0
            middle = (left_end + right_start) / 2
            if 0.3 * width < middle < 0.7 * width:
                cuts[round(middle / 4) * 4] += 1
    if not cuts:
        return None
    place, count = cuts.most_common(1)[0]
    return float(place) if count >= MIN_COLUMN_ROWS else None


def _reading_order(page: int, rows: list[list[list[Char]]], gutter: float | None) -> list[PdfLine]:
    if gutter is None:
        return [PdfLine(page, [c for s in row for c in s]) for row in rows]
    lines: list[PdfLine] = []
    left: list[PdfLine] = []
    right: list[PdfLine] = []
    for row in rows:
        chars = [c for s in row for c in s]
        spans = min(c.x0 for c in chars) < gutter < max(c.x1 for c in chars) and len(row) == 1
        if spans:
            lines += left + right
            left, right = [], []
            lines.append(PdfLine(page, chars))
            continue
        left_chars = [c for c in chars if c.x1 <= gutter]
        right_chars = [c for c in chars if c.x1 > gutter]
        if left_chars:
            left.append(PdfLine(page, left_chars))
        if right_chars:
            right.append(PdfLine(page, right_chars))
    return lines + left + right
