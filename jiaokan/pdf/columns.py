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

import math
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache
from itertools import groupby

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
FULL_SHARE = 0.2
# Gutters are voted for in strips this wide (points); a strip that at most CROSSING_SHARE of
# a band's rows cross (marks hung into it) is empty.
VOTE_BIN = 0.5
CROSSING_SHARE = 0.12
# A centred row (a title's line, a heading) is narrower than this share of the text.
CENTRED_WIDTH = 0.8
# Type this much larger or smaller than a band's is not its text.
SIZE_CHANGE = 0.15
# Marks that may hang into a gutter, as printed and as Founder fonts report them.
HANGING = BREAKS + CLOSING + "…,.;:!?)"

Interval = tuple[float, float]
Row = list[Char]


@dataclass
class Band:
    """Consecutive rows and the gutters (whitespace strips) they all leave empty."""

    rows: list[Row]
    gutters: list[Interval]
    doubtful: int = 0  # trailing rows that joined only by a mark that may have hung, or not
    _counted: tuple[int, int] = (0, 0)  # rows counted, of which with text

    @property
    def text_rows(self) -> int:
        """The rows with text (counted as rows are added at the end)."""
        counted, texts = self._counted
        texts += sum(map(has_text, self.rows[counted:]))
        self._counted = (len(self.rows), texts)
        return texts


@dataclass
class Columns:
    """The column finder for one page: ``extent``, the left and right edges of its text;
    ``jitter``, how far (in ems) positions may wobble."""

    extent: Interval
    jitter: float = 0.0
    _gaps: dict[int, list[Interval]] = field(default_factory=dict, repr=False)  # each row's, by id

    def reading_order(self, rows: list[Row]) -> list[Row]:
        """The rows as lines in reading order: band by band, each column of a band in turn."""
        lines: list[Row] = []
        for band in self.bands(rows):
            if not band.gutters:
                lines += band.rows
                continue
            cuts = [(a + b) / 2 for a, b in band.gutters]
            parts = [_split(row, cuts) for row in band.rows]
            lines += [part[column] for column in range(len(cuts) + 1) for part in parts if part[column]]
        return lines

    def bands(self, rows: list[Row]) -> list[Band]:
        """The rows cut into bands, top to bottom: a row joins the band above while they
        still share a gutter. Bands too short to be columns are read row by row."""
        bands: list[Band] = []
        for row in rows:
            if not has_text(row):
                if bands:
                    bands[-1].rows.append(row)
                else:
                    bands.append(Band([row], []))
                continue
            gaps = self.gaps(row)
            heading = bands and bands[-1].text_rows == 1 and (self._size_changes(bands[-1].rows[0], row) or self._centred(bands[-1].rows[0], []))
            if bands and not heading:
                shared, doubtful = self._shared(bands[-1], row, gaps)
                kept = sum(self._inside(gap) for gap in shared)
                # a row across one of a settled band's gutters ends it; a row whose gutters
                # the band's one row crosses (a paragraph's last line above columns) begins one
                settled = bands[-1].text_rows >= MIN_BAND_ROWS and kept < sum(self._inside(gap) for gap in bands[-1].gutters)
                lost = bands[-1].text_rows == 1 and any(self._inside(gap) and not _intersect([gap], shared, 0.0) for gap in gaps)
                if kept and not settled and not lost:
                    bands[-1].rows.append(row)
                    bands[-1].gutters = shared
                    bands[-1].doubtful = bands[-1].doubtful + 1 if doubtful else 0
                    continue
                bands += self._doubts_dropped(bands.pop())
            bands.append(Band([row], gaps))
        if bands:
            bands += self._doubts_dropped(bands.pop())
        for band in bands:
            band.gutters = self._voted(band)
        return self._merged([band for found in bands for band in self._checked(found)])

    def gaps(self, row: Row, extent: Interval | None = None) -> list[Interval]:
        """The whitespace of a row between the text's edges, at least a gutter wide (widened
        by the jitter). A mark that ends a run of text (hung into a gutter, or overlapping
        the next column's first character) is left out."""
        if extent is None:
            found = self._gaps.get(id(row))
            if found is None:
                found = self._gaps[id(row)] = self._row_gaps(row, self.extent)
            return found
        return self._row_gaps(row, extent)

    def _row_gaps(self, row: Row, extent: Interval) -> list[Interval]:
        lo, hi = extent
        em = _em(row)
        width, wobble = GUTTER_EMS * em, self.jitter * em
        gaps: list[Interval] = []
        edge = lo
        for n, char in enumerate(row):
            following = row[n + 1].x0 if n + 1 < len(row) else None
            overlapped = following is not None and following < char.x1 - 0.1 * char.size
            if (overlapped and _may_hang(char)) or ((following is None or following - char.x1 >= 0.3 * char.size) and _is_mark(char)):
                continue
            if char.x0 - edge >= width:
                gaps.append((edge - wobble, char.x0 + wobble))
            edge = max(edge, char.x1)
        if hi - edge >= width:
            gaps.append((edge - wobble, hi))
        return _union(gaps)

    def _voted(self, band: Band) -> list[Interval]:
        """The band's gutters, found again from all its rows: the strips that nearly every row
        leaves empty (a gutter that a mark hung into it on the band's first rows cut off is
        found again), or, in a band too short to vote, those the rows share."""
        shared = [gap for gap in band.gutters if self._inside(gap)]
        rows = [row for row in band.rows if has_text(row)]
        if len(rows) < MIN_BAND_ROWS:
            return shared
        lo, hi = self.extent
        bins = [0] * (int((hi - lo) / VOTE_BIN) + 2)
        for row in rows:
            covered = bytearray([1]) * len(bins)
            for a, b in self.gaps(row):
                strip = slice(max(0, math.ceil((a - lo) / VOTE_BIN)), max(0, int((b - lo) / VOTE_BIN)))
                covered[strip] = bytes(len(covered[strip]))
            bins = [votes + cover for votes, cover in zip(bins, covered)]
        empty = [votes <= CROSSING_SHARE * len(rows) for votes in bins]
        width = GUTTER_EMS * _em([c for row in rows for c in row])
        starts = sorted(min(c.x0 for c in row) for row in rows)
        ends = sorted(max(c.x1 for c in row) for row in rows)
        left, right = starts[len(starts) // 10], ends[-1 - len(ends) // 10]  # the band's own edges, strays aside
        voted = []
        at = 0
        for is_empty, run in groupby(empty):
            start, at = at, at + sum(1 for _ in run)
            gap = (lo + start * VOTE_BIN, lo + at * VOTE_BIN)
            if is_empty and gap[1] - gap[0] >= width and left < gap[0] and gap[1] < right:
                voted.append(gap)
        return voted if len(voted) > len(shared) else shared

    def _doubts_dropped(self, band: Band) -> list[Band]:
        """The band without its doubtful last rows, which stand as rows of their own: text
        running on through the gutter once the columns have ended."""
        kept = len(band.rows) - band.doubtful
        return [Band(band.rows[:kept], band.gutters)] + [Band([row], self.gaps(row)) for row in band.rows[kept:]]

    def _shared(self, band: Band, row: Row, gaps: list[Interval]) -> tuple[list[Interval], bool]:
        """The band's gutters that the row leaves empty too (narrowed to its own whitespace),
        and those it crosses only by a mark hung into them, once the band has shown its
        gutters on two rows or the row leaves another one empty; and whether a mark crossing
        with text running on right after it was needed (a hung mark in a gutter one em wide,
        or a line across the columns: what follows decides)."""
        shared, crossing = [], []
        for gutter in band.gutters:
            narrowed = _intersect([gutter], gaps, _min_gutter(row))
            shared += narrowed
            if not narrowed and self._inside(gutter):
                crossing.append(gutter)
        others = any(self._inside(gap) for gap in shared)
        if not (others or band.text_rows > 1) or self._size_changes(band.rows[-1], row):
            return _union(shared), False  # a heading set larger does not hang marks into the band's gutters
        crossed, doubtful = [], False
        for gutter in crossing:
            hung = self._past_hung_mark(row, gutter)
            if hung is None:
                hung = self._past_hung_mark(row, gutter, running_on=True)
                doubtful = doubtful or (hung is not None and not others)
            if hung:
                crossed.append(hung)
        return _union(shared + crossed), doubtful

    def _past_hung_mark(self, row: Row, gutter: Interval, running_on: bool = False) -> Interval | None:
        """The gutter as the row leaves it when a mark hangs into it from its left edge,
        narrowed to the character after the mark; else None. The character after must
        overlap the mark's box or stand clear of it, unless ``running_on``: text that runs
        on right after a mark may be the next column one em away, or a line across."""
        g0, g1 = gutter
        em = _em(row)
        tolerance = 0.25 * em + self.jitter * em
        inside = sorted((c for c in row if c.x1 > g0 + tolerance and c.x0 < g1 - tolerance), key=lambda c: c.x0)
        if not inside or not _may_hang(inside[0]) or abs(inside[0].x0 - g0) > tolerance:
            return None
        if any(g0 + (0.1 + self.jitter) * em < c.x1 <= inside[0].x0 + 0.1 * em for c in row if c is not inside[0]):
            return None  # the text before the mark runs on past the column's edge: a line across
        mark, end = inside[0], g1
        if len(inside) > 1:
            following = inside[1].x0
            runs_on = mark.x1 - 0.1 * em <= following < mark.x1 + 0.12 * em
            if runs_on and not running_on:
                return None
            end = following + self.jitter * em
        return (g0, end) if end - g0 >= _min_gutter(row) else None

    def _fits(self, row: Row, gutters: list[Interval], running_on: bool = False) -> bool:
        """Whether the row leaves every gutter empty, but for marks hung into them."""
        gaps = self.gaps(row, (float("-inf"), float("inf")))
        return bool(gutters) and all(
            _intersect([g], gaps, _min_gutter(row)) or self._past_hung_mark(row, g, running_on) for g in gutters
        )

    def _joins(self, row: Row, band: Band, running_on: bool = False) -> bool:
        """Whether a lone row beside a column band belongs to it: it leaves the band's
        gutters empty, is set in the band's type size, and is not centred on the page away
        from a column's edge (a title's last line, a heading)."""
        if not has_text(row):
            return True
        centred = self._centred(row, band.gutters)
        return not self._size_changes([c for r in band.rows for c in r], row) and not centred and self._fits(row, band.gutters, running_on)

    def _joins_above(self, merged: list[Band], band: Band) -> bool:
        """Whether the lone row at the end of ``merged`` belongs to the column band below:
        it joins it, or it crosses a gutter only by a mark with text running on after it
        and the row above it joins the band outright (a row between column rows)."""
        if merged[-1].gutters or merged[-1].text_rows > 1:
            return False
        row = merged[-1].rows[-1]
        if self._joins(row, band):
            return True
        above = merged[-2] if len(merged) > 1 else None
        return (above is not None and not above.gutters and above.text_rows == 1 and self._joins(above.rows[-1], band)
                and self._joins(row, band, running_on=True))

    def _centred(self, row: Row, gutters: list[Interval]) -> bool:
        """Whether the row is one run of text centred on the page, narrower than the text,
        not starting at the left edge of a column: a title's line or a heading."""
        em = _em(row)
        left = min(c.x0 for c in row)
        starts = [self.extent[0]] + [g1 for _, g1 in gutters]
        centred = abs((left + max(c.x1 for c in row)) / 2 - sum(self.extent) / 2) < (0.6 + self.jitter) * em
        away = all(abs(left - start) > (0.1 + self.jitter) * em for start in starts)
        narrow = max(c.x1 for c in row) - left < CENTRED_WIDTH * (self.extent[1] - self.extent[0])
        return centred and away and narrow and not any(self._inside(gap) for gap in self.gaps(row))

    def _merged(self, bands: list[Band]) -> list[Band]:
        """The bands with the rows and bands that the first pass cut off wrongly taken back:
        a lone row above or below a column band that leaves its gutters empty (but for marks
        hung into them), and a column band whose gutters meet those of the band above (the
        first rows of a band may leave a gutter wider than the band's, and a row that hangs
        a mark into the true one then cuts the band)."""
        merged: list[Band] = []
        for band in bands:
            if band.gutters:
                while merged and self._joins_above(merged, band):
                    band.rows[:0] = merged.pop().rows
                    band._counted = (0, 0)
                if merged and merged[-1].gutters:
                    met = _meeting(merged[-1].gutters, band.gutters, _min_gutter(band.rows[0]))
                    if met:
                        merged[-1].rows += band.rows
                        merged[-1].gutters = met
                        continue
            elif merged and merged[-1].gutters and self._joins(band.rows[0], merged[-1]):
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
        em = _em([c for row in band.rows for c in row])
        band.gutters = self._wide_columns(band.gutters, MIN_COLUMN_EMS * em / (1 + self.jitter))  # OCR's line boxes are taller than an em
        if len(band.rows) < MIN_BAND_ROWS or not band.gutters:
            return rows
        cuts = [(a + b) / 2 for a, b in band.gutters]
        line_ends: list[list[float]] = [[] for _ in range(len(cuts) + 1)]
        for row in band.rows:
            for column, part in enumerate(_split(row, cuts)):
                ends = [c.x1 for c in part if c.text.strip()]
                if ends:
                    line_ends[column].append(max(ends))
        if any(len(ends) < MIN_COLUMN_ROWS for ends in line_ends):
            return rows
        for (g0, _), ends in zip(band.gutters, line_ends):
            if sum(end >= g0 - RAGGED_EMS * em for end in ends) < FULL_SHARE * len(ends):
                return rows
        return [band]

    def _size_changes(self, before: Row, row: Row) -> bool:
        """Whether the row is set in another type size than ``before`` (a title above a band;
        OCR's line heights wobble)."""
        size, body = _em(row), _em(before)
        return abs(size - body) > (SIZE_CHANGE + self.jitter) * body

    def _wide_columns(self, gutters: list[Interval], width: float) -> list[Interval]:
        """The gutters less those beside a column narrower than ``width`` (a strip of marks
        hung into the margin is no column)."""
        while gutters:
            edges = [self.extent[0], *(x for gutter in gutters for x in gutter), self.extent[1]]
            narrow = [n for n, (a, b) in enumerate(zip(edges[::2], edges[1::2])) if b - a < width]
            if not narrow:
                break
            gutters = gutters[: narrow[0] - 1] + gutters[narrow[0] :] if narrow[0] == len(gutters) else gutters[: narrow[0]] + gutters[narrow[0] + 1 :]
        return gutters

    def _inside(self, gap: Interval) -> bool:
        """Whether a strip of whitespace has text on both sides (a gutter, not a margin)."""
        return self.extent[0] < gap[0] and gap[1] < self.extent[1]


def has_text(row: Row) -> bool:
    """Whether a row holds more than white space."""
    return any(c.text.strip() for c in row)


def _split(row: Row, cuts: list[float]) -> list[Row]:
    """The row (left to right) cut into the part in each column: a character by its left
    edge, so that a mark hung into the gutter stays with the line it ends."""
    xs = [c.x0 for c in row]
    ends = [0, *(bisect_left(xs, cut) for cut in cuts), len(row)]
    return [row[a:b] for a, b in zip(ends, ends[1:])]


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
    return GUTTER_EMS * _em(row)


def _em(row: Row) -> float:
    """The row's type size (its median character's), in points."""
    return median([c.size for c in row]) or 1.0


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
