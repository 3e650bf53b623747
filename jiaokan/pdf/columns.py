"""Columns: a page's rows cut into bands, each read column by column.

A band is a run of rows that leave the same strips of whitespace (gutters) empty. Each
row's whitespace is intersected with the band's, so a gutter is found however narrow,
however the columns' baselines are offset, whatever the content stream's order. Closing
punctuation hung into a gutter (避头尾) and glyphs without known text do not close it. A
band must look like set text to be read as columns (tall enough, wide columns whose lines
run up to the gutter); else its rows are read as they stand, as are the rows that cross
every gutter (titles, headings, one-column text). Positions from page OCR wobble: there a
gutter is allowed to wobble by ``jitter`` ems.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

from jiaokan.encodings.founder import FounderShift
from jiaokan.encodings.symbols import BREAKS, CLOSING
from jiaokan.pdf.model import OCR_FONT, Char

# A gutter is at least this wide (in ems of the type beside it).
GUTTER_EMS = 0.45
# A column band has at least this many rows, and each column at least MIN_COLUMN_ROWS of them,
# MIN_COLUMN_EMS wide.
MIN_BAND_ROWS = 3
MIN_COLUMN_ROWS = 2
MIN_COLUMN_EMS = 6
# At least FULL_SHARE of a column's lines end within RAGGED_EMS of its gutter.
RAGGED_EMS = 1.5
FULL_SHARE = 0.4
# Marks that may hang into a gutter, as printed and as Founder fonts report them.
HANGING = BREAKS + CLOSING + "…,.;:!?)"

Interval = tuple[float, float]
Row = list[Char]


@dataclass
class Band:
    """Consecutive rows and the gutters (whitespace strips) they all leave empty."""

    rows: list[Row]
    gutters: list[Interval]

    @property
    def text_rows(self) -> int:
        return sum(any(c.text.strip() for c in row) for row in self.rows)


@dataclass(frozen=True)
class Columns:
    """The column finder for one page: ``extent``, the left and right edges of its text;
    ``jitter``, how far (in ems) positions may wobble."""

    extent: Interval
    jitter: float = 0.0

    def reading_order(self, rows: list[Row]) -> list[Row]:
        """The rows as lines in reading order: band by band, each column of a band in turn."""
        lines: list[Row] = []
        for band in self.bands(rows):
            if not band.gutters:
                lines += band.rows
                continue
            cuts = [(a + b) / 2 for a, b in band.gutters]
            for column in range(len(cuts) + 1):
                lines += [part for row in band.rows if (part := [c for c in row if _column(c, cuts) == column])]
        return lines

    def bands(self, rows: list[Row]) -> list[Band]:
        """The rows cut into bands, top to bottom: a row joins the band above while they
        still share a gutter. Bands too short to be columns are read row by row."""
        bands: list[Band] = []
        for row in rows:
            if not any(c.text.strip() for c in row):
                if bands:
                    bands[-1].rows.append(row)
                else:
                    bands.append(Band([row], []))
                continue
            gaps = self.gaps(row)
            if bands:
                shared = self._shared(bands[-1], row, gaps)
                if any(self._inside(gap) for gap in shared):
                    bands[-1].rows.append(row)
                    bands[-1].gutters = shared
                    continue
            bands.append(Band([row], gaps))
        for band in bands:
            band.gutters = [gap for gap in band.gutters if self._inside(gap)]
        return self._merged([band for found in bands for band in self._checked(found)])

    def gaps(self, row: Row, extent: Interval | None = None) -> list[Interval]:
        """The whitespace of a row between the text's edges, at least a gutter wide (widened
        by the jitter). A mark that ends a run of text (hung into a gutter, or overlapping
        the next column's first character) is left out."""
        lo, hi = extent or self.extent
        width = _min_gutter(row)
        wobble = self.jitter * (median([c.size for c in row]) or 1.0)
        gaps: list[Interval] = []
        edge = lo
        for n, char in enumerate(row):
            following = row[n + 1] if n + 1 < len(row) else None
            overlapped = following is not None and following.x0 < char.x1 - 0.1 * char.size
            ends_run = following is None or following.x0 - char.x1 >= 0.3 * char.size
            if (_is_mark(char) and (ends_run or overlapped)) or (_unknown(char) and overlapped):
                continue
            if char.x0 - edge >= width:
                gaps.append((edge - wobble, char.x0 + wobble))
            edge = max(edge, char.x1)
        if hi - edge >= width:
            gaps.append((edge - wobble, hi))
        return _union(gaps)

    def _shared(self, band: Band, row: Row, gaps: list[Interval]) -> list[Interval]:
        """The band's gutters that the row leaves empty too (narrowed to its own whitespace),
        and those it crosses only by a mark hung into them, once the band has shown its
        gutters on two rows or the row leaves another one empty."""
        shared, crossed = [], []
        for gutter in band.gutters:
            narrowed = _intersect([gutter], gaps, _min_gutter(row))
            shared += narrowed
            hung = None if narrowed or not self._inside(gutter) else self._past_hung_mark(row, gutter)
            if hung:
                crossed.append(hung)
        if crossed and (shared or band.text_rows > 1):
            shared += crossed
        return _union(shared)

    def _past_hung_mark(self, row: Row, gutter: Interval) -> Interval | None:
        """The gutter as the row leaves it once a mark hung into it from its left edge is
        set aside (narrowed to where the row's next character starts), or None when anything
        else crosses it."""
        g0, g1 = gutter
        em = median([c.size for c in row]) or 1.0
        tolerance = 0.25 * em + self.jitter * em
        inside = sorted((c for c in row if c.x1 > g0 + tolerance and c.x0 < g1 - tolerance), key=lambda c: c.x0)
        if not inside or not _may_hang(inside[0]) or abs(inside[0].x0 - g0) > tolerance:
            return None
        end = min([g1] + [c.x0 + self.jitter * em for c in inside[1:]])
        return (g0, end) if end - g0 >= _min_gutter(row) else None

    def _fits(self, row: Row, gutters: list[Interval]) -> bool:
        """Whether the row leaves every gutter empty, but for marks hung into them."""
        gaps = self.gaps(row, (float("-inf"), float("inf")))
        return bool(gutters) and all(_intersect([g], gaps, _min_gutter(row)) or self._past_hung_mark(row, g) for g in gutters)

    def _merged(self, bands: list[Band]) -> list[Band]:
        """The bands with the rows and bands that the first pass cut off wrongly taken back:
        a lone row above or below a column band that leaves its gutters empty (but for marks
        hung into them), and a column band whose gutters meet those of the band above (the
        first rows of a band may leave a gutter wider than the band's, and a row that hangs
        a mark into the true one then cuts the band)."""
        merged: list[Band] = []
        for band in bands:
            if band.gutters:
                while merged and not merged[-1].gutters and merged[-1].text_rows <= 1 and self._fits(merged[-1].rows[-1], band.gutters):
                    band.rows[:0] = merged.pop().rows
                if merged and merged[-1].gutters:
                    met = _meeting(merged[-1].gutters, band.gutters, _min_gutter(band.rows[0]))
                    if met:
                        merged[-1].rows += band.rows
                        merged[-1].gutters = met
                        continue
            elif merged and merged[-1].gutters and self._fits(band.rows[0], merged[-1].gutters):
                merged[-1].rows += band.rows
                continue
            merged.append(band)
        return merged

    def _checked(self, band: Band) -> list[Band]:
        """The band as columns when it looks like set text: tall enough, every column at
        least MIN_COLUMN_EMS wide with text on MIN_COLUMN_ROWS rows, and the lines left of
        each gutter mostly running up to it (justified text; a ragged list beside a heading
        is not a column). Else its rows one by one."""
        rows = [Band([row], []) for row in band.rows]
        em = median([c.size for row in band.rows for c in row]) or 1.0
        edges = [self.extent[0], *(x for gutter in band.gutters for x in gutter), self.extent[1]]
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

    def _inside(self, gap: Interval) -> bool:
        """Whether a strip of whitespace has text on both sides (a gutter, not a margin)."""
        return self.extent[0] < gap[0] and gap[1] < self.extent[1]


def _column(char: Char, cuts: list[float]) -> int:
    """The column a character stands in: by its left edge, so that a mark hung into the
    gutter stays with the line it ends."""
    return sum(char.x0 >= cut for cut in cuts)


def _meeting(upper: list[Interval], lower: list[Interval], width: float) -> list[Interval]:
    """The gutters two bands share, one for one, or none when any fails to meet."""
    if len(upper) != len(lower):
        return []
    met = [shared for a, b in zip(upper, lower) for shared in _intersect([a], [b], width)]
    return met if len(met) == len(upper) else []


def _union(intervals: list[Interval]) -> list[Interval]:
    """The intervals sorted, those that overlap made one."""
    merged: list[Interval] = []
    for lo, hi in sorted(intervals):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _intersect(band: list[Interval], row: list[Interval], width: float) -> list[Interval]:
    """The strips of whitespace the band and the row share that are at least ``width`` wide."""
    shared = []
    for a0, a1 in band:
        for b0, b1 in row:
            lo, hi = max(a0, b0), min(a1, b1)
            if hi - lo >= width:
                shared.append((lo, hi))
    return shared


def _min_gutter(row: Row) -> float:
    return GUTTER_EMS * (median([c.size for c in row]) or 1.0)


def _may_hang(char: Char) -> bool:
    """Closing punctuation, and glyphs whose text is not known: a typesetter may hang them
    into the gutter."""
    return _is_mark(char) or _unknown(char)


def _is_mark(char: Char) -> bool:
    """Closing punctuation, also as a Founder font reports it (in a text layer: OCR reads
    what is printed)."""
    return char.text in HANGING or (char.font != OCR_FONT and char.text in _founder_marks())


def _unknown(char: Char) -> bool:
    """A glyph whose text the text layer does not give."""
    text = char.text
    return text.startswith("(cid:") or text == "\ufffd" or unicodedata.category(text[:1] or " ") == "Co"


@cache
def _founder_marks() -> frozenset[str]:
    images = {FounderShift.build(offset).to_hanzi.get(mark) for offset in (0x31, 0x2E) for mark in HANGING}
    return frozenset(images - {None})


def median(values: list[float]) -> float | None:
    return sorted(values)[len(values) // 2] if values else None
