"""Glyph recognition: read a font whose text layer is unusable by recognising each distinct
glyph once, then map every occurrence; or read punctuation in the line it stands in.

A glyph is known by a key the caller gives (its font and glyph code). One occurrence of each is rendered, centred on a blank
cell, and the cells are set side by side in strips that the recogniser reads as lines: a
strip of N glyphs read as N characters gives each glyph its character; a strip read
otherwise is read again glyph by glyph (where a glyph may hold two digits, as footnote and
page-number glyphs of Founder e-books do). Glyphs without ink are spaces.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections import Counter, defaultdict

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
# A glyph this share of its em wide, or wider, is full-width (and may hold two digits); a
# mark WIDE_MARK wide is wider than any ASCII mark.
FULL_WIDTH = 0.8
WIDE_MARK = 0.6
# What a recogniser reads a full-width mark alone as, and what the mark is.
FULL_WIDTH_FORMS = str.maketrans("(),:;?![]<>", "（），：；？！【】《》")
# A mark less than HALF_MARK of its em wide is an ASCII one, even where a recogniser, seeing
# it alone in the middle of a cell, read its full-width form (the period of 15. read as ．);
# punctuation squeezed to half an em between two marks stays full-width.
HALF_MARK = 0.45
HALF_WIDTH_FORMS = str.maketrans("（），：；？！．", "(),:;?!.")
# A strip's glyph outline hashes → its reading (text, confidence), for the life of the
# process: a font reused by later files (the issues of a gazette) is read once, and a file's
# reading never depends on what the process read before.
_KNOWN: dict[tuple[bytes, ...], tuple[str, float]] = {}


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
    keys = list(cells)
    groups = [keys[i : i + STRIP] for i in range(0, len(keys), STRIP)]
    retry: list[tuple] = []
    for group, (text, confidence) in zip(groups, _read(engine, [[cells[k] for k in group] for group in groups])):
        text = text.replace(" ", "")  # the gaps between narrow glyphs read as spaces
        if len(text) == len(group):
            result.update({k: (c, confidence) for k, c in zip(group, text)})
        else:
            retry += group
    for key, (text, confidence) in zip(retry, _read(engine, [[cells[k]] for k in retry])):
        char = samples[key][1]
        two_digits = text.isdigit() and len(text) == 2 and char.x1 - char.x0 >= FULL_WIDTH * char.size
        if len(text) > 1 and not two_digits:  # a full-width glyph of two digits (10) is one
            text, confidence = text[:1], confidence / 2
        result[key] = (text, confidence)
    return {key: (_width_form(text, samples[key][1]), confidence) for key, (text, confidence) in result.items()}


def _width_form(text: str, char: Char) -> str:
    """A mark read alone in the width its glyph does not have: a glyph as wide as its em
    read as an ASCII bracket or colon is the full-width form, a glyph far narrower read as
    a full-width mark the ASCII one."""
    if len(text) == 1 and char.x1 - char.x0 >= WIDE_MARK * char.size:
        return text.translate(FULL_WIDTH_FORMS)
    if len(text) == 1 and char.x1 - char.x0 < HALF_MARK * char.size:
        return text.translate(HALF_WIDTH_FORMS)
    return text


def recognize_in_lines(
    renderer: PageRenderer, lines: list[tuple[int, list[tuple[tuple | None, Char]]]], engine: OcrEngine
) -> dict[tuple, tuple[str, float]]:
    """Each unknown glyph's character and confidence, read in the lines it stands in (drawn
    by ``renderer``): a line (page, its characters, each with a glyph key, or None where its
    text is known) is recognised whole, aligned with its known text, and the character read
    where an unknown glyph stands is one vote for that glyph. Punctuation, alone a dot or a
    stroke, is read right beside the text it punctuates."""
    votes: dict[tuple, Counter[str]] = defaultdict(Counter)
    scores: dict[tuple, list[float]] = defaultdict(list)
    by_page: dict[int, list[list[tuple[tuple | None, Char]]]] = defaultdict(list)
    for page, chars in lines:
        by_page[page].append(chars)
    for page, page_lines in sorted(by_page.items()):
        bitmap, scale = renderer.render(page, SCALE)
        images = [_line_image(bitmap, scale, [char for _, char in chars]) for chars in page_lines]
        for chars, (text, confidence) in zip(page_lines, engine.read_lines(images)):
            for key, read in _aligned(chars, text):
                votes[key][read] += 1
                scores[key].append(confidence)
    first: dict[tuple, Char] = {}  # each glyph's first occurrence
    for _, chars in lines:
        for key, char in chars:
            if key is not None:
                first.setdefault(key, char)
    return {key: (_width_form(count.most_common(1)[0][0], first[key]),
                  round(count.most_common(1)[0][1] / sum(count.values()) * sum(scores[key]) / len(scores[key]), 3))
            for key, count in votes.items()}


def _line_image(bitmap: np.ndarray, scale: float, chars: list[Char]) -> np.ndarray:
    """The line's characters cut out of the page, a little margin around, as RGB."""
    size = max(c.size for c in chars)
    x0, x1 = min(c.x0 for c in chars) - 0.3 * size, max(c.x1 for c in chars) + 0.3 * size
    top, bottom = min(c.top for c in chars) - 0.15 * size, max(c.bottom for c in chars) + 0.15 * size
    crop = bitmap[max(0, int(top * scale)) : max(0, int(bottom * scale)), max(0, int(x0 * scale)) : max(0, int(x1 * scale))]
    if crop.size == 0:
        crop = np.full((CELL, CELL), 255, np.uint8)
    return np.ascontiguousarray(np.stack([crop] * 3, axis=-1))


def _aligned(chars: list[tuple[tuple | None, Char]], text: str) -> list[tuple[tuple, str]]:
    """The characters of ``text`` (a line as read) that stand where the line's unknown glyphs
    stand, aligned on its known characters; nothing where the alignment is not one to one."""
    unknown = "\x00"
    known = "".join(unknown if key is not None else re.sub(r"\s", "", char.text)[:1] or " " for key, char in chars)
    keys = [key for key, _ in chars]
    found = []
    matcher = difflib.SequenceMatcher(a=known, b=text, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace" and i2 - i1 == j2 - j1:
            found += [(keys[i], text[j]) for i, j in zip(range(i1, i2), range(j1, j2)) if keys[i] is not None]
    return found


def _read(engine: OcrEngine, strips: list[list[np.ndarray]]) -> list[tuple[str, float]]:
    """The reading of each strip of glyph cells, recognised or remembered."""
    keys = [tuple(_outline(cell) for cell in strip) for strip in strips]
    new = {key: strip for key, strip in zip(keys, strips) if key not in _KNOWN}
    _KNOWN.update(zip(new, engine.read_lines([_strip(strip) for strip in new.values()])))
    return [_KNOWN[key] for key in keys]


def forget_glyphs() -> None:
    """Empty the process's memory of strips read (benchmarks start cold)."""
    _KNOWN.clear()


def _outline(cell: np.ndarray) -> bytes:
    """A hash of a glyph's rendered outline."""
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
