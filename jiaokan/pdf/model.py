"""The PDF model both the reader and the OCR share: characters with their boxes, pages, lines.

One geometry vocabulary (pdfplumber's): x0, x1 from the left edge, top, bottom from the top
edge, in points, page numbers from 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from jiaokan.models import from_columns


# The font name of characters read by page OCR.
OCR_FONT = "OCR"
# A box on a page: x0, top, x1, bottom in points.
Box = tuple[float, float, float, float]


class Char(NamedTuple):
    """A character as the text layer reports it: text, font name, size, its box, and its
    code in the font (the key of the font's ToUnicode map; None where it is not known)."""

    text: str
    font: str
    size: float
    x0: float
    top: float
    x1: float
    bottom: float
    code: int | None = None


@dataclass
class PdfTable:
    """A ruled table found on a page: its box and its rows of cell texts."""

    bbox: tuple[float, float, float, float]
    rows: list[list[str]]


@dataclass(frozen=True)
class PageFrame:
    """Where a page's boxes are measured: from the top left of its MediaBox (PDF user space:
    x0, y0, x1, y1) as displayed (its /Rotate applied), then turned ``turn`` quarter turns
    clockwise so that its text runs left to right. Every box of the page (characters,
    tables, OCR lines, repairs) and every rendering of it is in this frame."""

    mediabox: tuple[float, float, float, float]
    turn: int = 0

    def turned(self, box: tuple[float, float, float, float], width: float, height: float) -> tuple[float, float, float, float]:
        """``box`` (x0, top, x1, bottom) on the displayed page of ``width`` × ``height``, in
        this frame."""
        x0, top, x1, bottom = box
        if self.turn == 1:
            return height - bottom, x0, height - top, x1
        if self.turn == 2:
            return width - x1, height - bottom, width - x0, height - top
        if self.turn == 3:
            return top, width - x1, bottom, width - x0
        return box


@dataclass
class PdfPage:
    """One page: its number (1-based), size in points (in its frame), characters (those of
    tables left out), ruled tables, its frame, the boxes of its drawn rules, and the fonts
    whose text it draws invisibly (an OCR layer's)."""

    number: int
    width: float
    height: float
    chars: list[Char]
    tables: list[PdfTable] = field(default_factory=list)
    frame: PageFrame | None = None  # None: the MediaBox at the origin, upright
    rules: list[Box] = field(default_factory=list)
    hidden: frozenset[str] = frozenset()


@dataclass
class PageError:
    page: int
    message: str


@dataclass
class PdfLine:
    """A line of one page in reading order, with its characters and, once repaired, its
    repaired text."""

    page: int
    chars: list[Char]
    repaired: str | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with its characters as columns of their fields (``models.from_columns``)."""
        return _unpickled_line, (self.page, tuple(zip(*self.chars)), self.repaired)

    @property
    def text(self) -> str:
        """The repaired text, or the text layer's before repair."""
        return "".join(c.text for c in self.chars) if self.repaired is None else self.repaired

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (
            min(c.x0 for c in self.chars),
            min(c.top for c in self.chars),
            max(c.x1 for c in self.chars),
            max(c.bottom for c in self.chars),
        )


def _unpickled_line(page: int, columns: tuple[tuple[Any, ...], ...], repaired: str | None) -> PdfLine:
    return PdfLine(page, list(from_columns(Char, columns)), repaired)


@dataclass
class PageLayout:
    """A page's lines in reading order, and the short rows in its top and bottom margins
    (running heads and page numbers, unless ``split_furniture`` decides otherwise)."""

    lines: list[PdfLine]
    head: list[PdfLine]
    foot: list[PdfLine]
