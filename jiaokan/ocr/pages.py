"""Page OCR: a page without a usable text layer becomes characters with boxes, like a text
layer's, so the layout stage (columns, running heads) treats both alike."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from jiaokan.ocr import OcrEngine
from jiaokan.pdf.model import Char, PdfPage

DPI = 200
OCR_FONT = "OCR"


ASCII_PUNCTUATION = str.maketrans("(),:;?!", "（），：；？！")
NEXT_TO_HANZI = re.compile(r"(?<=[\u4e00-\u9fff])[(),:;?!]|[(),:;?!](?=[\u4e00-\u9fff])")
# Spaces a recogniser puts between two wide characters (hanzi, full-width punctuation).
WIDE_GAP = re.compile(r"(?<=[^\x00-\x7f]) +(?=[^\x00-\x7f])")


def chinese_punctuation(text: str) -> str:
    """Recognisers often read full-width punctuation beside hanzi as ASCII; put it back.

    >>> chinese_punctuation("19号)、《浙江 (责任单位:市建设局)")
    '19号）、《浙江 （责任单位：市建设局）'
    """
    return NEXT_TO_HANZI.sub(lambda m: m.group().translate(ASCII_PUNCTUATION), text)


def recognised_text(text: str) -> str:
    """A recognised line as text: spaces between hanzi dropped (Chinese sets none; a
    recogniser reads gaps of justified text as spaces), spaces between words kept, and
    ASCII punctuation beside hanzi made full-width.

    >>> recognised_text("关于 印发 《实施意见》 的通知")
    '关于印发《实施意见》的通知'
    >>> recognised_text("General rules for  punctuation (GB/T 15834)")
    'General rules for punctuation (GB/T 15834)'
    """
    return chinese_punctuation(re.sub(" {2,}", " ", WIDE_GAP.sub("", text)).strip())


def ocr_page(path: str | Path, page: PdfPage, engine: OcrEngine, dpi: int = DPI) -> tuple[PdfPage, float]:
    """``page`` with its characters read from the rendered image, and the mean confidence.

    Each recognised line's box is shared out evenly among its characters (in points)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        scale = dpi / 72
        image = np.asarray(document[page.number - 1].render(scale=scale).to_pil().convert("RGB"))
    finally:
        document.close()
    chars: list[Char] = []
    confidences = []
    for line in engine.recognize(image):
        text = recognised_text(line.text)
        if not text:
            continue
        x0, top, x1, bottom = (v / scale for v in line.box)
        step = (x1 - x0) / len(text)
        size = bottom - top
        chars += [Char(c, OCR_FONT, size, x0 + i * step, top, x0 + (i + 1) * step, bottom) for i, c in enumerate(text)]
        confidences.append(line.confidence)
    confidence = sum(confidences) / len(confidences) if confidences else 0.0
    return PdfPage(page.number, page.width, page.height, chars, page.tables), confidence
