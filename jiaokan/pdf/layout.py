"""Layout for PDF pages: rows, bands of columns, reading order and page furniture.

Characters are grouped into rows by their baseline. Rows in the top and bottom margins,
above or below all the other text, that are short, set small or look like running heads or
page numbers, are set apart as candidate furniture. The rest of the page is cut, top to
bottom, into bands: a band is a run of rows that leave the same strip of whitespace empty
(a gutter), found by intersecting the whitespace of each row across the band, so that a
gutter is found however narrow, however the columns' baselines are offset, and whatever the
content stream's order. Closing punctuation hung into a gutter (避头尾) and glyphs without
known text do not close it. A band with gutters is read column by column; rows that cross
every gutter (titles, headings, one-column text) are read as they stand.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache

from jiaokan.encodings.founder import FounderShift
from jiaokan.encodings.symbols import BREAKS, CLOSING
from jiaokan.pdf.model import Char, PageLayout, PdfLine, PdfPage
from jiaokan.structure.patterns import is_furniture

WORD_GAP = 0.2
# Latin words further apart than this (in ems) are not one phrase: no space is put between.
PHRASE_GAP = 1.5
# A gutter is at least this wide (in ems of the type beside it).
GUTTER_EMS = 0.45
# A column band has at least this many rows, and each column at least MIN_COLUMN_ROWS of them.
MIN_BAND_ROWS = 3
MIN_COLUMN_ROWS = 2
MIN_COLUMN_EMS = 6
# Most lines of a column end within RAGGED_EMS of its gutter: at least FULL_SHARE of them.
RAGGED_EMS = 1.5
FULL_SHARE = 0.4
MARGIN_SHARE = 0.1
MARGIN_ROW_MAX = 30
# Running heads and page numbers stand this many ems clear of the body.
SET_APART = 0.9
# The outermost margin row set this much smaller than the page's body text may be a long
# running head (a document's title).
SMALL_TYPE = 0.92
# Marks that may hang into a gutter, as printed and as Founder fonts report them.
HANGING = BREAKS + CLOSING + "…,.;:!?)"

Interval = tuple[float, float]


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
    body_size = _median([c.size for row in rows for c in row]) or 0.0
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
    body = _reading_order(rows[first:last], (left, right))
    return PageLayout([line(row) for row in body], [line(row) for row in rows[:first]], [line(row) for row in rows[last:]])


def _set_apart(rows: list[list[Char]], first: int, last: int) -> tuple[int, int]:
    """The margin runs ``rows[:first]`` and ``rows[last:]`` cut back to the rows set apart
    from the body by a blank of SET_APART ems or more: a row that follows on at the body's
    line spacing is body text (a column's last line low on the page), whatever its length."""
    text = [n for n, row in enumerate(rows) if any(c.text.strip() for c in row)]

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
    looks like a running head or a page number, or whose words repeat (digits and marks
    aside, in the same type size) on two pages or more. Other margin rows go back into their
    page's text."""

    def key(line: PdfLine) -> tuple[str, int]:
        words = re.sub(r"[\W\d_]", "", line.text)
        return words, round(max(c.size for c in line.chars)) if words else 0

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


@dataclass
class _Band:
    """Consecutive rows and the gutters (whitespace strips) they all leave empty."""

    rows: list[list[Char]]
    gutters: list[Interval]


def _reading_order(rows: list[list[Char]], extent: Interval) -> list[list[Char]]:
    """The rows as lines in reading order: band by band, each column of a band in turn."""
    lines: list[list[Char]] = []
    for band in _bands(rows, extent):
        if not band.gutters:
            lines += band.rows
            continue
        cuts = [(a + b) / 2 for a, b in band.gutters]
        for column in range(len(cuts) + 1):
            for row in band.rows:
                part = [c for c in row if _column(c, cuts) == column]
                if part:
                    lines.append(part)
    return lines


def _column(char: Char, cuts: list[float]) -> int:
    """The column a character stands in: by its left edge, so that a mark hung into the
    gutter stays with the line it ends."""
    return sum(char.x0 >= cut for cut in cuts)


def _bands(rows: list[list[Char]], extent: Interval) -> list[_Band]:
    """The rows cut into bands, top to bottom: a row joins the band above while they still
    share a gutter. Bands too short to be columns are read row by row."""
    bands: list[_Band] = []
    for row in rows:
        if not any(c.text.strip() for c in row):
            if bands:
                bands[-1].rows.append(row)
            else:
                bands.append(_Band([row], []))
            continue
        gaps = _gaps(row, extent)
        if bands:
            band = bands[-1]
            shared = _shared(band, row, gaps, extent)
            if any(_inside(gap, extent) for gap in shared):
                band.rows.append(row)
                band.gutters = shared
                continue
        bands.append(_Band([row], gaps))
    for band in bands:
        band.gutters = _interior(band.gutters, extent)
    checked = [band for found in bands for band in _checked(found, extent)]
    return _merged(checked)


def _shared(band: _Band, row: list[Char], gaps: list[Interval], extent: Interval) -> list[Interval]:
    """The band's gutters that the row leaves empty too (narrowed to its own whitespace), and
    those it crosses only by a mark hung into them, once the band has shown its gutters on
    two rows or the row leaves another one empty."""
    shared, crossed = [], []
    for gutter in band.gutters:
        narrowed = _intersect([gutter], gaps, _min_gutter(row))
        shared += narrowed
        hung = None if narrowed or not _inside(gutter, extent) else _past_hung_mark(row, gutter)
        if hung:
            crossed.append(hung)
    if crossed and (shared or _text_rows(band) > 1):
        shared = sorted(shared + crossed)
    return shared


def _text_rows(band: _Band) -> int:
    return sum(any(c.text.strip() for c in row) for row in band.rows)


def _merged(bands: list[_Band]) -> list[_Band]:
    """The bands with the rows and bands that a first pass cut off wrongly taken back: a
    lone row above or below a column band that leaves its gutters empty (but for marks hung
    into them), and a column band whose gutters meet those of the band above (the first
    rows of a band may leave a gutter wider than the band's, and a row that hangs a mark
    into the true one then cuts the band)."""
    merged: list[_Band] = []
    for band in bands:
        if band.gutters:
            while merged and not merged[-1].gutters and _text_rows(merged[-1]) <= 1 and _fits(merged[-1].rows[-1], band.gutters):
                band.rows[:0] = merged.pop().rows
            if merged and merged[-1].gutters:
                met = _meeting(merged[-1].gutters, band.gutters, _min_gutter(band.rows[0]))
                if met:
                    merged[-1].rows += band.rows
                    merged[-1].gutters = met
                    continue
        elif merged and merged[-1].gutters and _fits(band.rows[0], merged[-1].gutters):
            merged[-1].rows += band.rows
            continue
        merged.append(band)
    return merged


def _meeting(upper: list[Interval], lower: list[Interval], width: float) -> list[Interval]:
    """The gutters two bands share, one for one, or none when any fails to meet."""
    if len(upper) != len(lower):
        return []
    met = [shared for a, b in zip(upper, lower) for shared in _intersect([a], [b], width)]
    return met if len(met) == len(upper) else []


def _fits(row: list[Char], gutters: list[Interval]) -> bool:
    """Whether the row leaves every gutter empty, but for marks hung into them."""
    gaps = _gaps(row, (float("-inf"), float("inf")))
    return bool(gutters) and all(_intersect([g], gaps, _min_gutter(row)) or _past_hung_mark(row, g) for g in gutters)


def _past_hung_mark(row: list[Char], gutter: Interval) -> Interval | None:
    """The gutter as the row leaves it once a mark hung into it from its left edge is set
    aside (narrowed to where the row's next character starts), or None when anything else
    crosses it."""
    g0, g1 = gutter
    tolerance = 0.25 * (_median([c.size for c in row]) or 1.0)
    crossing = [c for c in row if c.x0 < g0 + tolerance < c.x1]
    if len(crossing) != 1 or not _may_hang(crossing[0]) or abs(crossing[0].x0 - g0) > tolerance:
        return None
    end = min([g1] + [c.x0 for c in row if c.x0 >= g0 + tolerance])
    return (g0, end) if end - g0 >= _min_gutter(row) else None


def _interior(gaps: list[Interval], extent: Interval) -> list[Interval]:
    return [gap for gap in gaps if _inside(gap, extent)]


def _inside(gap: Interval, extent: Interval) -> bool:
    """Whether a strip of whitespace has text on both sides (a gutter, not a margin)."""
    return extent[0] < gap[0] and gap[1] < extent[1]


def _checked(band: _Band, extent: Interval) -> list[_Band]:
    """The band as columns when it looks like set text: tall enough, every column at least
    MIN_COLUMN_EMS wide with text on MIN_COLUMN_ROWS rows, and the lines left of each gutter
    mostly running up to it (justified text; a ragged list beside a heading is not a
    column). Else its rows one by one."""
    rows = [_Band([row], []) for row in band.rows]
    em = _median([c.size for row in band.rows for c in row]) or 1.0
    edges = [extent[0], *(x for gutter in band.gutters for x in gutter), extent[1]]
    if len(band.rows) < MIN_BAND_ROWS or not band.gutters or any(b - a < MIN_COLUMN_EMS * em for a, b in zip(edges[::2], edges[1::2])):
        return rows
    cuts = [(a + b) / 2 for a, b in band.gutters]
    line_ends: list[list[float]] = [[] for _ in range(len(cuts) + 1)]
    for row in band.rows:
        ends: dict[int, float] = {}
        for char in row:
            if char.text.strip():
                column = _column(char, cuts)
                ends[column] = max(ends.get(column, char.x1), char.x1)
        for column, end in ends.items():
            line_ends[column].append(end)
    if any(len(ends) < MIN_COLUMN_ROWS for ends in line_ends):
        return rows
    for (g0, _), ends in zip(band.gutters, line_ends):
        if sum(end >= g0 - RAGGED_EMS * em for end in ends) < FULL_SHARE * len(ends):
            return rows
    return [band]


def _gaps(row: list[Char], extent: Interval) -> list[Interval]:
    """The whitespace of a row between the page's text edges, at least a gutter wide. A mark
    that ends a run of text (hung into a gutter, or overlapping the next column's first
    character) is left out."""
    lo, hi = extent
    width = _min_gutter(row)
    gaps: list[Interval] = []
    edge = lo
    for n, char in enumerate(row):
        following = row[n + 1] if n + 1 < len(row) else None
        overlapped = following is not None and following.x0 < char.x1 - 0.1 * char.size
        ends_run = following is None or following.x0 - char.x1 >= 0.3 * char.size
        if (_is_mark(char) and (ends_run or overlapped)) or (_unknown(char) and overlapped):
            continue
        if char.x0 - edge >= width:
            gaps.append((edge, char.x0))
        edge = max(edge, char.x1)
    if hi - edge >= width:
        gaps.append((edge, hi))
    return gaps


def _intersect(band: list[Interval], row: list[Interval], width: float) -> list[Interval]:
    """The strips of whitespace the band and the row share that are at least ``width`` wide."""
    shared = []
    for a0, a1 in band:
        for b0, b1 in row:
            lo, hi = max(a0, b0), min(a1, b1)
            if hi - lo >= width:
                shared.append((lo, hi))
    return shared


def _min_gutter(row: list[Char]) -> float:
    return GUTTER_EMS * (_median([c.size for c in row]) or 1.0)


def _may_hang(char: Char) -> bool:
    """Closing punctuation, and glyphs whose text is not known: a typesetter may hang them
    into the gutter."""
    return _is_mark(char) or _unknown(char)


def _is_mark(char: Char) -> bool:
    """Closing punctuation, also as a Founder font reports it."""
    return char.text in _hanging_marks()


def _unknown(char: Char) -> bool:
    """A glyph whose text the text layer does not give."""
    text = char.text
    return text.startswith("(cid:") or text == "\ufffd" or unicodedata.category(text[:1] or " ") == "Co"


@cache
def _hanging_marks() -> frozenset[str]:
    images = {FounderShift.build(offset).to_hanzi.get(mark) for offset in (0x31, 0x2E) for mark in HANGING}
    return frozenset(HANGING) | frozenset(images - {None})


def _rows(chars: list[Char]) -> list[list[Char]]:
    """Characters grouped by baseline band, top to bottom, each row left to right."""
    rows: list[list[Char]] = []
    for char in sorted(chars, key=lambda c: (round(c.bottom, 1), c.x0)):
        if rows and abs(rows[-1][-1].bottom - char.bottom) <= 0.3 * char.size:
            rows[-1].append(char)
        else:
            rows.append([char])
    return [sorted(row, key=lambda c: c.x0) for row in rows]


def _word_spaces(row: list[Char]) -> list[Char]:
    """A line with a space put between Latin words and numbers that the PDF set apart by
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
                and usual + WORD_GAP * b.size < gap < PHRASE_GAP * b.size):
            spaced.append(Char(" ", b.font, b.size, a.x1, min(a.top, b.top), b.x0, max(a.bottom, b.bottom)))
        spaced.append(b)
    return spaced


def _median(values: list[float]) -> float | None:
    return sorted(values)[len(values) // 2] if values else None
