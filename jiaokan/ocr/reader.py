"""The glyph reader the PDF path holds: light to make, it loads the pixel work (numpy, in
``jiaokan.ocr.glyphs``) and the OCR engine at its first reading, so that a PDF whose glyphs
are never read pays for neither."""

from __future__ import annotations

from collections.abc import Callable

from jiaokan.ocr import OcrEngine
from jiaokan.pdf.model import Char
from jiaokan.pdf.render import PageRenderer


class GlyphReader:
    """Reads the glyphs of one PDF (drawn by ``renderer``) with an OCR engine (made on first
    use by ``engine``)."""

    def __init__(self, renderer: PageRenderer, engine: Callable[[], OcrEngine]) -> None:
        self._renderer = renderer
        self._engine = engine

    def glyphs(self, samples: dict[tuple, tuple[int, Char]]) -> dict[tuple, tuple[str, float]]:
        """Each glyph key's character and confidence, its sample recognised alone."""
        from jiaokan.ocr.glyphs import recognize_glyphs

        return recognize_glyphs(self._renderer, samples, self._engine())

    def in_lines(self, lines: list[tuple[int, list[tuple[tuple | None, Char]]]]) -> dict[tuple, tuple[str, float]]:
        """Each unknown glyph's character and confidence, read in the lines it stands in
        (``recognize_in_lines``)."""
        from jiaokan.ocr.glyphs import recognize_in_lines

        if not lines:
            return {}  # no engine made for nothing to read
        return recognize_in_lines(self._renderer, lines, self._engine())
