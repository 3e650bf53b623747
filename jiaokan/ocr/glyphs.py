"""Glyph recognition: read a font whose text layer is unusable by recognising each distinct
glyph once, then map every occurrence.

A glyph is known by a key the caller gives (its font and glyph code). One occurrence of each is rendered, centred on a blank
cell, and the cells are set side by side in strips that the recogniser reads as lines: a
strip of N glyphs read as N characters gives each glyph its character; a strip read
otherwise is read again glyph by glyph. Glyphs without ink are spaces.
"""

from __future__ import annotations

import hashlib

import numpy as np
from PIL import Image

from jiaokan.ocr import OcrEngine
from jiaokan.pdf.model import Char
from jiaokan.pdf.render import PageRenderer

SCALE = 3.0
CELL = 48
STRIP = 24
GAP = 8
INK = 128
# A glyph this share of its em wide, or wider, is full-width.
FULL_WIDTH = 0.8
FULL_WIDTH_FORMS = str.maketrans("(),:;?!", "（），：；？！")
# Glyph outline hash → (character, confidence), for the life of the process.
_KNOWN: dict[bytes, tuple[str, float]] = {}


def recognize_glyphs(
    renderer: PageRenderer, samples: dict[tuple, tuple[int, Char]], engine: OcrEngine
) -> dict[tuple, tuple[str, float]]:
    """Character and confidence for each glyph key, from one sample (page, char) of each,
    drawn by ``renderer``."""
    cells: dict[tuple, np.ndarray] = {}
    result: dict[tuple, tuple[str, float]] = {}
    rendered, bitmap = 0, (np.zeros((0, 0), np.uint8), SCALE)
    for key, (page, char) in sorted(samples.items(), key=lambda item: item[1][0]):  # one page in memory at a time
        if page != rendered:
            rendered, bitmap = page, renderer.render(page, SCALE)
        cell = _cell(*bitmap, char)
        if cell is None:
            result[key] = (" " if char.x1 - char.x0 < 0.6 * char.size else "\u3000", 1.0)
        else:
            cells[key] = cell
    for key, cell in list(cells.items()):
        known = _KNOWN.get(_outline(cell))
        if known is not None:
            result[key] = known
            del cells[key]
    keys = list(cells)
    groups = [keys[i : i + STRIP] for i in range(0, len(keys), STRIP)]
    readings = engine.read_lines([_strip([cells[k] for k in group]) for group in groups])
    retry: list[tuple] = []
    for group, (text, confidence) in zip(groups, readings):
        if len(text) == len(group):
            result.update({k: (c, confidence) for k, c in zip(group, text)})
        else:
            retry += group
    for key, (text, confidence) in zip(retry, engine.read_lines([_strip([cells[k]]) for k in retry])):
        result[key] = (text[:1], confidence if len(text) == 1 else confidence / 2)
    for key in keys:
        _KNOWN[_outline(cells[key])] = result[key]
    return {key: (_width_form(text, samples[key][1]), confidence) for key, (text, confidence) in result.items()}


def _width_form(text: str, char: Char) -> str:
    """A recogniser reads a full-width bracket or colon alone as its ASCII twin: a glyph as
    wide as its em is the full-width form."""
    if char.x1 - char.x0 >= FULL_WIDTH * char.size:
        return text.translate(FULL_WIDTH_FORMS)
    return text


def forget_glyphs() -> None:
    """Empty the process's cache of recognised glyphs (benchmarks start cold)."""
    _KNOWN.clear()


def _outline(cell: np.ndarray) -> bytes:
    """A hash of a glyph's rendered outline: a font reused by later files (the issues of a
    gazette) is recognised once per process."""
    return hashlib.blake2b(cell.tobytes(), digest_size=16).digest()


def _cell(bitmap: np.ndarray, scale: float, char: Char) -> np.ndarray | None:
    """The glyph's ink, scaled into a blank square cell; None when the glyph has no ink."""
    trim = 0.03 * char.size
    top, bottom = int(char.top * scale), int(np.ceil(char.bottom * scale))
    left, right = int((char.x0 + trim) * scale), int(np.ceil((char.x1 - trim) * scale))
    crop = bitmap[max(0, top) : max(0, bottom), max(0, left) : max(0, right)]
    if crop.size == 0 or crop.min() >= INK:
        return None
    height, width = crop.shape
    ratio = (CELL - 8) / max(height, width)
    image = Image.fromarray(crop).resize((max(1, int(width * ratio)), max(1, int(height * ratio))))
    glyph = np.asarray(image)
    cell = np.full((CELL, CELL), 255, np.uint8)
    y, x = (CELL - glyph.shape[0]) // 2, (CELL - glyph.shape[1]) // 2
    cell[y : y + glyph.shape[0], x : x + glyph.shape[1]] = glyph
    return cell


def _strip(cells: list[np.ndarray]) -> np.ndarray:
    gap = np.full((CELL, GAP), 255, np.uint8)
    row = np.hstack([part for cell in cells for part in (cell, gap)])
    return np.ascontiguousarray(np.stack([row] * 3, axis=-1))
