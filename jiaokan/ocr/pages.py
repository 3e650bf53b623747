"""Page OCR: a page without a usable text layer becomes characters with boxes, like a text
layer's, so the layout stage (columns, running heads) treats both alike."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from jiaokan.ocr import Box, OcrEngine, OcrLine
from jiaokan.pdf.model import OCR_FONT, Char, PdfPage
from jiaokan.pdf.render import PageRenderer

DPI = 200
# Within a recognised line, glyphs further apart than this share of the line's height stand
# on either side of a gutter (the engine read two columns as one line).
SPLIT = 0.45


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
    confidence."""
    image, scale = renderer.render(page.number, dpi / 72, grey=False)
    chars: list[Char] = []
    confidences = []
    for line in engine.recognize(image):
        text = recognised_text(line.text)
        if text:
            chars += line_chars(text, line, scale)
            confidences.append(line.confidence)
    confidence = sum(confidences) / len(confidences) if confidences else 0.0
    return replace(page, chars=chars), confidence


def line_chars(text: str, line: OcrLine, scale: float) -> list[Char]:
    """A recognised line's characters, in points: each where the engine placed it (the box of
    its piece shared among the piece's characters; a space taking no room), or, when the
    pieces do not spell the text, the line's box shared out evenly."""
    x0, top, x1, bottom = (v / scale for v in line.box)
    spans = _piece_spans(text, line.pieces, scale)
    if spans is None:
        step = (x1 - x0) / len(text)
        spans = [(x0 + i * step, x0 + (i + 1) * step) for i in range(len(text))]
    else:  # a mark fills its cell on the line's pitch, whatever ink the engine boxed (a
        # comma's); glyphs closer than a gutter touch: only a gap a gutter wide stays open
        steps = sorted(n[0] - a for c, d, (a, _), n in zip(text, text[1:], spans, spans[1:]) if not (c + d).isascii())
        pitch = steps[len(steps) // 2] if steps else 0.0
        split = SPLIT * (bottom - top)
        solid = [n for n, char in enumerate(text) if char != " "]
        for n, m in zip(solid, solid[1:] + [None]):
            (a, b), following = spans[n], spans[m][0] if m is not None else float("inf")
            b = min(following, a + pitch) if unicodedata.category(text[n]).startswith("P") else b
            spans[n] = (a, following if following - b < split else b)
    return [Char(c, OCR_FONT, bottom - top, a, top, b, bottom) for c, (a, b) in zip(text, spans)]


def _piece_spans(text: str, pieces: tuple[tuple[str, Box], ...], scale: float) -> list[tuple[float, float]] | None:
    placed: list[tuple[str, float, float]] = []
    for piece, (px0, _, px1, _) in pieces:
        piece = piece.replace(" ", "")
        step = (px1 - px0) / scale / max(1, len(piece))
        placed += [(c, px0 / scale + i * step, px0 / scale + (i + 1) * step) for i, c in enumerate(piece)]
    solid = [c for c in text if c != " "]
    if len(placed) != len(solid) or any(c != p and p.translate(ASCII_PUNCTUATION) != c for c, (p, _, _) in zip(solid, placed)):
        return None
    spans: list[tuple[float, float]] = []
    found = iter(placed)
    for n, char in enumerate(text):
        if char != " ":
            _, a, b = next(found)
            spans.append((a, b))
        else:  # where the piece before ends, taking no room (a gap it stands in stays open)
            end = spans[-1][1] if spans else placed[0][1]
            spans.append((end, end))
    return spans
