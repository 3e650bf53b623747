"""Page OCR: a page without a usable text layer becomes characters with boxes, like a text
layer's, so the layout stage (columns, running heads) treats both alike."""

from __future__ import annotations

import re
from dataclasses import replace

from jiaokan.ocr import OcrEngine
from jiaokan.pdf.model import Char, PdfPage
from jiaokan.pdf.render import PageRenderer

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


def ocr_page(renderer: PageRenderer, page: PdfPage, engine: OcrEngine, dpi: int = DPI) -> tuple[PdfPage, float]:
    """``page`` with its characters read from its image (drawn by ``renderer``), and the mean
    confidence. Each recognised line's box is shared out evenly among its characters (in
    points)."""
    image, scale = renderer.render(page.number, dpi / 72, grey=False)
    chars: list[Char] = []
    confidences = []
    for line in engine.recognize(image):
        text = recognised_text(line.text)
        if not text:
            continue
        x0, top, x1, bottom = (float(v) / scale for v in line.box)
        step = (x1 - x0) / len(text)
        size = bottom - top
        chars += [Char(c, OCR_FONT, size, x0 + i * step, top, x0 + (i + 1) * step, bottom) for i, c in enumerate(text)]
        confidences.append(line.confidence)
    confidence = sum(confidences) / len(confidences) if confidences else 0.0
    return replace(page, chars=chars), confidence
