"""Glyph verification: look at the glyph a character's box shows, once the text layer is in doubt.

A comma's outline is a small mark low in its em box; 袁 fills the box. Rendering the page
(pypdfium2) and measuring the ink inside a character's box settles whether a Founder-shifted
hanzi is really the symbol it hides, without guessing from context.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from typing import TYPE_CHECKING

from jiaokan.encodings.symbols import CLOSING, OPENING
from jiaokan.models import from_columns
from jiaokan.pdf.model import Box, Char, PdfLine
from jiaokan.pdf.render import PageRenderer
from jiaokan.workers import in_workers, page_ranges

if TYPE_CHECKING:
    from PIL import Image

SCALE = 2.0
# Whether a box holds any ink at all is seen at this scale.
INK_SCALE = 1.0
INK = 128
# A lookup table that makes dark pixels white and the rest black (whose bounding box is the
# ink's): applied once to each page drawn (Pillow rounds a table's every entry at each use).
DARK = [255 if value < INK else 0 for value in range(256)]
# Neighbouring glyphs touch a box's sides: this share of an em is trimmed off each side.
TRIM = 0.08
# Ink narrower or shorter than this share of the em box is a symbol; wider and taller than
# FULL is a hanzi; in between, the glyph does not decide.
SMALL = 0.55
FULL = 0.68
# A bracket's ink is at least TALL of an em tall and at most BRACKET_WIDTH wide (thin strokes
# fade at small sizes, so only ink both flat and wide, like 一's, rules a bracket out).
TALL_SYMBOLS = frozenset(OPENING + CLOSING + "｜") - frozenset("“”‘’")
TALL = 0.45
BRACKET_WIDTH = 0.6


class Occupancy:
    """Where each page's characters stand and its rules are drawn: a glyph's box may reach
    over a neighbour's (a mark hung into a narrow gutter, a rule beside it), whose ink is
    not the glyph's."""

    def __init__(self, lines: list[PdfLine], rules: dict[int, list[Box]]) -> None:
        self._chars: dict[int, list[Char]] = defaultdict(list)
        self._ends: set[int] = set()  # the first and last characters of lines, by id
        for line in lines:
            self._chars[line.page] += [c for c in line.chars if c.text.strip()]
            if line.chars:
                self._ends |= {id(line.chars[0]), id(line.chars[-1])}
        for chars in self._chars.values():
            chars.sort(key=lambda c: c.top)
        self._tops = {page: [c.top for c in chars] for page, chars in self._chars.items()}
        self._rules = rules

    def others(self, page: int, box: Char) -> list[Box]:
        """The boxes of the characters (other than ``box`` itself) and rules that overlap
        ``box`` by a tenth of its em or more, a rule by any amount."""
        margin = 0.1 * box.size
        chars, tops = self._chars.get(page, []), self._tops.get(page, [])
        found = [
            (c.x0, c.top, c.x1, c.bottom)
            for c in chars[bisect_left(tops, box.top - box.size) : bisect_right(tops, box.bottom - margin)]
            if min(c.x1, box.x1) - max(c.x0, box.x0) >= margin and min(c.bottom, box.bottom) - max(c.top, box.top) > margin and c != box
        ]
        return found + [rule for rule in self._rules.get(page, ()) if _overlap(rule, box, 0.0)]

    def clear(self, page: int, char: Char) -> Char:
        """The character's box narrowed to the part no other character or vertical rule
        stands in (only a line's first or last character reaches over another line's)."""
        if id(char) not in self._ends:
            return char
        x0, x1 = char.x0, char.x1
        for ox0, _, ox1, _ in self.others(page, char):
            if ox0 > char.x0:
                x1 = min(x1, ox0)
            elif ox1 < char.x1:
                x0 = max(x0, ox1)
        return char._replace(x0=x0, x1=max(x0, x1))


def _overlap(a: Box, b: Char, margin: float) -> bool:
    return min(a[2], b.x1) - max(a[0], b.x0) >= margin and min(a[3], b.bottom) - max(a[1], b.top) > margin


class GlyphChecker:
    """Looks at glyphs on pages rendered on demand (one at a time, kept until the next page
    is asked for) by ``renderer``; with ``occupancy``, only at the part of a glyph's box
    that no other character or rule takes. Glyphs asked about together on many pages are
    looked at in up to ``jobs`` worker processes, each rendering a range of the pages."""

    def __init__(self, renderer: PageRenderer, occupancy: Occupancy | None = None, jobs: int = 1) -> None:
        self._renderer = renderer
        self._occupancy = occupancy
        self._jobs = jobs
        self._pages: dict[float, tuple[int, Image.Image, float]] = {}  # by scale: the last page's dark pixels

    def taken(self, page: int, box: Char) -> bool:
        """Whether another character or a rule stands in ``box``."""
        return bool(self._occupancy and self._occupancy.others(page, box))

    def shape(self, page: int, char: Char, symbol: str = "") -> str | None:
        """"symbol", "hanzi", or None when the glyph's ink does not decide. Given the
        ``symbol`` the glyph may be, ink that cannot be it is "hanzi": a bracket's is tall
        and narrow, so a flat, wide stroke (一 where a font's shift would put 』) is none."""
        return self.shapes([(page, char, symbol)])[0]

    def shapes(self, glyphs: list[tuple[int, Char, str]]) -> list[str | None]:
        """``shape`` of each (page, character, symbol)."""
        if self._occupancy:
            glyphs = [(page, self._occupancy.clear(page, char), symbol) for page, char, symbol in glyphs]
        return self._each("_shape", glyphs)

    def inked(self, boxes: list[tuple[int, Char, float]]) -> list[bool]:
        """``has_ink`` of each (page, box, trim)."""
        return self._each("has_ink", boxes)

    def _each(self, method: str, queries: list[tuple]) -> list:
        """``method`` answered for each query (page first), in worker processes where the
        queries are on many pages."""
        pages = sorted({query[0] for query in queries})
        ranges = page_ranges(len(pages), self._jobs)
        if len(ranges) == 1:
            return [getattr(self, method)(*query) for query in queries]
        where = {page: k for k, (first, last) in enumerate(ranges) for page in pages[first:last]}
        groups: list[list[int]] = [[] for _ in ranges]
        for n, query in enumerate(queries):
            groups[where[query[0]]].append(n)
        path, frames = self._renderer.path, self._renderer.frames
        calls = [(path, {page: frames.get(page) for page in pages[first:last]}, method, *_as_columns([queries[n] for n in group]))
                 for (first, last), group in zip(ranges, groups)]
        answers: list = [None] * len(queries)
        for group, found in zip(groups, in_workers(_looked_at, calls, self._jobs)):
            for n, answer in zip(group, found):
                answers[n] = answer
        return answers

    def _shape(self, page: int, char: Char, symbol: str) -> str | None:
        """``shape`` of a character whose box is already clear of others."""
        box, scale = self._box(page, char, TRIM * char.size, SCALE)
        ink = box.getbbox() if box.width and box.height else None
        if ink is None:
            return None
        left, top, right, bottom = ink
        em = char.size * scale
        height = (bottom - top) / em
        width = (right - left) / em
        if symbol in TALL_SYMBOLS and height < TALL and width > BRACKET_WIDTH:
            return "hanzi"
        if width <= SMALL or height <= SMALL:
            return "symbol"
        if width >= FULL and height >= FULL:
            return "hanzi"
        return None

    def has_ink(self, page: int, char: Char, trim: float = 0.0) -> bool:
        """Whether the rendered page shows ink inside the character's box, less ``trim`` ems
        on each side (looked at in a cheaper, coarser rendering)."""
        box, _ = self._box(page, char, trim * char.size, INK_SCALE)
        return bool(box.width and box.height) and box.getbbox() is not None

    def _box(self, page: int, char: Char, trim: float, scale: float) -> tuple[Image.Image, float]:
        """The dark pixels (white on black) of the rendered page inside the character's box,
        less ``trim`` points on each side (clipped to the page: possibly empty), and the scale
        of the rendering."""
        drawn = self._pages.get(scale)
        if drawn is None or drawn[0] != page:
            image, used = self._renderer.image(page, scale)
            drawn = self._pages[scale] = (page, image.point(DARK), used)
        _, image, scale = drawn
        x0, x1 = int((char.x0 + trim) * scale), math.ceil((char.x1 - trim) * scale)
        top, bottom = int(char.top * scale), math.ceil(char.bottom * scale)
        x0, top = min(max(0, x0), image.width), min(max(0, top), image.height)
        return image.crop((x0, top, max(x0, min(x1, image.width)), max(top, min(bottom, image.height)))), scale


def _as_columns(queries: list[tuple]) -> tuple[tuple, tuple[tuple, ...], tuple]:
    """Queries (page, character, one more argument) as the columns of pages, characters'
    fields and arguments, for a worker (``models.from_columns``)."""
    pages, chars, arguments = zip(*queries)
    return pages, tuple(zip(*chars)), arguments


def _looked_at(path: str, frames: dict, method: str, pages: tuple[int, ...], chars: tuple[tuple, ...], arguments: tuple) -> list:
    """In a worker: a ``GlyphChecker`` method answered for each query, given in columns
    (``_as_columns``), on pages rendered here."""
    with PageRenderer(path, frames) as renderer:
        checker = GlyphChecker(renderer)
        answer = getattr(checker, method)
        return list(map(answer, pages, from_columns(Char, chars), arguments))
