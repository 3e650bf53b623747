"""Glyph verification: look at the glyph a character's box shows, once the text layer is in doubt.

A comma's outline is a small mark low in its em box; 袁 fills the box. Rendering the page
(pypdfium2) and measuring the ink inside a character's box settles whether a Founder-shifted
hanzi is really the symbol it hides, without guessing from context.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from jiaokan.pdf.model import Char

SCALE = 2.0
INK = 128
# Neighbouring glyphs touch a box's sides: this share of an em is trimmed off each side.
TRIM = 0.08
# Ink narrower or shorter than this share of the em box is a symbol; wider and taller than
# FULL is a hanzi; in between, the glyph does not decide.
SMALL = 0.55
FULL = 0.68


class GlyphChecker:
    """Renders pages on demand (one at a time, kept until the next page is asked for)."""

    def __init__(self, path: str | Path) -> None:
        import pypdfium2

        self._document = pypdfium2.PdfDocument(str(path))
        self._page_number = 0
        self._bitmap: np.ndarray | None = None

    def close(self) -> None:
        self._document.close()

    def shape(self, page: int, char: Char) -> str | None:
        """"symbol", "hanzi", or None when the glyph's ink does not decide."""
        bitmap = self._page(page)
        trim = TRIM * char.size
        x0, x1 = int((char.x0 + trim) * SCALE), int(np.ceil((char.x1 - trim) * SCALE))
        top, bottom = int(char.top * SCALE), int(np.ceil(char.bottom * SCALE))
        crop = bitmap[max(0, top) : bottom, max(0, x0) : x1]
        ink = np.argwhere(crop < INK)
        if ink.size == 0:
            return None
        em = char.size * SCALE
        height = (ink[:, 0].max() - ink[:, 0].min() + 1) / em
        width = (ink[:, 1].max() - ink[:, 1].min() + 1) / em
        if width <= SMALL or height <= SMALL:
            return "symbol"
        if width >= FULL and height >= FULL:
            return "hanzi"
        return None

    def _page(self, number: int) -> np.ndarray:
        if number != self._page_number:
            page = self._document[number - 1]
            image = page.render(scale=SCALE, grayscale=True).to_pil()
            self._bitmap = np.asarray(image.convert("L"))
            self._page_number = number
        return self._bitmap
