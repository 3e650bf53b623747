"""Page images in the frame of the page's characters, for every reader of ink: glyph checks,
glyph recognition, page OCR and the review page.

PDFium shows a page's CropBox with its /Rotate applied; the characters are measured on the
whole MediaBox, displayed, then turned so that the text runs left to right (``PageFrame``).
A rendering shows the MediaBox and is turned the same way, so a character's box, scaled,
lands on its own glyph whatever the page's origin, crop or rotation. Huge pages are drawn
at a smaller scale (at most ``MAX_PIXELS``): the caller gets the scale used.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from jiaokan.pdf.model import PageFrame

if TYPE_CHECKING:
    import numpy as np
    from PIL import Image

# The most pixels one rendering may have (about 40 MB in grey, 120 MB in colour).
MAX_PIXELS = 40_000_000


class PageRenderer:
    """One PDF opened for rendering; ``frames`` gives each page number its frame."""

    def __init__(self, path: str | Path, frames: dict[int, PageFrame | None]) -> None:
        self.path = str(path)
        self.frames = frames
        self._document = None  # opened at the first rendering

    def __enter__(self) -> PageRenderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._document is not None:
            self._document.close()
            self._document = None

    def image(self, number: int, scale: float, grey: bool = True) -> tuple[Image.Image, float]:
        """Page ``number`` as an image (grey, else RGB) and the scale used (pixels per
        point), at most ``scale``."""
        if self._document is None:
            import pypdfium2

            self._document = pypdfium2.PdfDocument(self.path)
        page = self._document[number - 1]
        frame = self.frames.get(number)
        if frame is not None:
            page.set_cropbox(*frame.mediabox)  # in memory only: the file is never written
        width, height = page.get_size()
        scale = min(scale, math.sqrt(MAX_PIXELS / max(1.0, width * height)))
        image = page.render(scale=scale, grayscale=grey).to_pil().convert("L" if grey else "RGB")
        if frame is not None and frame.turn:
            image = image.rotate(-90 * frame.turn, expand=True)  # clockwise
        return image, scale

    def render(self, number: int, scale: float, grey: bool = True) -> tuple[np.ndarray, float]:
        """``image`` as an array (grey: height × width; else RGB), for the readers that
        compute on pixels (OCR: numpy is loaded only where they are)."""
        import numpy as np

        image, scale = self.image(number, scale, grey)
        return np.asarray(image), scale
