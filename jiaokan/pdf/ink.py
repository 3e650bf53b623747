"""Glyph verification: look at the glyph a character's box shows, once the text layer is in doubt.

A comma's outline is a small mark low in its em box; 袁 fills the box. Rendering the page
(pypdfium2) and measuring the ink inside a character's box settles whether a Founder-shifted
hanzi is really the symbol it hides, without guessing from context.
"""

from __future__ import annotations

import numpy as np

from jiaokan.pdf.model import Char
from jiaokan.pdf.render import PageRenderer

SCALE = 2.0
# Whether a box holds any ink at all is seen at this scale.
INK_SCALE = 1.0
INK = 128
# Neighbouring glyphs touch a box's sides: this share of an em is trimmed off each side.
TRIM = 0.08
# Ink narrower or shorter than this share of the em box is a symbol; wider and taller than
# FULL is a hanzi; in between, the glyph does not decide.
SMALL = 0.55
FULL = 0.68


class GlyphChecker:
    """Looks at glyphs on pages rendered on demand (one at a time, kept until the next page
    is asked for) by ``renderer``."""

    def __init__(self, renderer: PageRenderer) -> None:
        self._renderer = renderer
        self._pages: dict[float, tuple[int, np.ndarray, float]] = {}  # by scale: the last page drawn

    def shape(self, page: int, char: Char) -> str | None:
        """"symbol", "hanzi", or None when the glyph's ink does not decide."""
        ink, scale = self._ink(page, char, TRIM * char.size, SCALE)
        if ink.size == 0:
            return None
        em = char.size * scale
        height = (ink[:, 0].max() - ink[:, 0].min() + 1) / em
        width = (ink[:, 1].max() - ink[:, 1].min() + 1) / em
        if width <= SMALL or height <= SMALL:
            return "symbol"
        if width >= FULL and height >= FULL:
            return "hanzi"
        return None

    def has_ink(self, page: int, char: Char, trim: float = 0.0) -> bool:
        """Whether the rendered page shows ink inside the character's box, less ``trim`` ems
        on each side (looked at in a cheaper, coarser rendering)."""
        return self._ink(page, char, trim * char.size, INK_SCALE)[0].size > 0

    def _ink(self, page: int, char: Char, trim: float, scale: float) -> tuple[np.ndarray, float]:
        """The dark pixels inside the character's box, less ``trim`` points on each side, and
        the scale of the rendering they were found in."""
        drawn = self._pages.get(scale)
        if drawn is None or drawn[0] != page:
            drawn = (page, *self._renderer.render(page, scale))
            self._pages[scale] = drawn
        _, bitmap, scale = drawn
        x0, x1 = int((char.x0 + trim) * scale), int(np.ceil((char.x1 - trim) * scale))
        top, bottom = int(char.top * scale), int(np.ceil(char.bottom * scale))
        return np.argwhere(bitmap[max(0, top) : max(0, bottom), max(0, x0) : max(0, x1)] < INK), scale
