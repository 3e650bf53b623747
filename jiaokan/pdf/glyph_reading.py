"""Reading what a PDF's text layer cannot give: fonts without a usable map, punctuation fonts
with an encoding of their own, private-use characters, and glyphs printed with no Unicode at
all (a blank character, or just ink in a gap beside a hanzi). Each is read from its rendered
glyph by the ``GlyphReader`` — in its line where the text around it renders, alone otherwise
— or, without a reader, reported and never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import replace
from typing import Any

from jiaokan.encodings.glyph_maps import PRIVATE_USE, glyph_table
from jiaokan.encodings.lexicon import is_hanzi
from jiaokan.models import Finding
from jiaokan.ocr.reader import GlyphReader
from jiaokan.pdf.ink import GlyphChecker
from jiaokan.pdf.model import OCR_FONT, Char, PdfLine
from jiaokan.pdf.read import FontFacts

GLYPH_VERIFIED = 0.99
CID = re.compile(r"^\(cid:\d+\)$")
# A suspect font is trusted when this share of its most frequent glyphs read as its text.
VERIFIED_GLYPHS = 40
AGREEMENT = 0.5
# A punctuation font: ASCII and Windows-1252 marks and digits only, at least this many.
PUNCTUATION_FONT_TEXT = re.compile(r"[!-/0-9:-@\[-`{-~\u00a1-\u00bf\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a]")
PUNCTUATION_FONT_MIN = 3
# Letters a recogniser reads a punctuation font's glyph as, alone, and the mark they are.
MARK_CONFUSIONS = str.maketrans("Cc", "（（")
# A glyph at least this share of an em wide is full-width (CJK punctuation is); a gap up to
# GAP_GLYPH_MAX ems wide may hold one glyph.
FULL_WIDTH = 0.8
GAP_GLYPH_MAX = 1.4
IDEOGRAPHIC_SPACE = "\u3000"  # a space meant as one, not a glyph left unmapped
# Ink this close (in ems) to a box's sides may be the neighbours'.
NEIGHBOUR_TRIM = 0.1
# A character's place in the lines: (line index, character index).
Place = tuple[int, int]
# What a character becomes: (text, method, confidence).
Reading = tuple[str, str, float]


def unmapped_fonts(
    lines: list[PdfLine], by_font: dict[str, list[Place]], fonts: FontFacts, reader: GlyphReader | None
) -> dict[str, str]:
    """The fonts whose text layer cannot be trusted, with the damage: "no-tounicode" for
    text mostly "(cid:N)", or without a map and with codes of no standard meaning;
    "glyph:own-encoding" for a font of punctuation whose codes extract as ASCII marks
    between hanzi. A suspect font is trusted when its most frequent glyphs, recognised, read
    as its text does."""
    unmapped = {}
    for font, places in by_font.items():
        if sum(bool(CID.match(lines[n].chars[m].text)) for n, m in places) > len(places) / 2:
            unmapped[font] = "no-tounicode"
        elif font in fonts.unmapped and not (reader and _reads_true(font, places, lines, reader)):
            unmapped[font] = "no-tounicode"
        elif (reader and font not in fonts.unembedded and _punctuation_font(places, lines)
              and not _reads_true(font, places, lines, reader)):
            unmapped[font] = "glyph:own-encoding"
    return unmapped


def _punctuation_font(places: list[Place], lines: list[PdfLine]) -> bool:
    """A font that prints nothing but ASCII marks and digits, most of its runs beside hanzi:
    the punctuation font of a Chinese text, whose own encoding may put ``#`` where ``，`` is
    printed."""
    runs = beside = 0
    for n, m in places:
        chars = lines[n].chars
        if not PUNCTUATION_FONT_TEXT.fullmatch(chars[m].text):
            return False
        if m > 0 and chars[m - 1].font == chars[m].font:
            continue  # inside a run of the font
        end = m
        while end + 1 < len(chars) and chars[end + 1].font == chars[m].font:
            end += 1
        runs += 1
        beside += any(is_hanzi(c.text[:1]) for c in chars[max(0, m - 1) : m] + chars[end + 1 : end + 2])
    return len(places) >= PUNCTUATION_FONT_MIN and beside > runs / 2


def read_blank_glyphs(
    lines: list[PdfLine],
    readings: dict[Place, Reading],
    checker: GlyphChecker,
    unembedded: frozenset[str],
    reader: GlyphReader | None,
    least: float,
) -> list[Finding]:
    """Glyphs printed with no Unicode: a run of blank characters (spaces, or nothing) beside
    hanzi, together a glyph wide, whose box holds ink — punctuation a producer left unmapped
    (S22PDF writes ，and 。 so, and （ over two half-width spaces). Read by glyph recognition,
    in the line where it can be; the run's first character becomes the glyph read, the rest
    nothing; a reading less sure than ``least`` leaves the blanks (an OCR layer's space over
    a scan's smudge). One finding per font."""
    runs = [run for n, line in enumerate(lines) for run in _blank_runs(n, line, readings, checker, unembedded)]
    if not runs:
        return []
    found: dict[tuple, tuple[str, float]] = {}
    if reader is not None:
        found = _read_runs(lines, runs, reader)
    by_font: dict[str, list[bool]] = defaultdict(list)  # per run: whether it was read
    for n, at, box in runs:
        text, confidence = found.get((n, at[0]), ("", 0.0))
        read = bool(text.strip()) and confidence >= least
        by_font[box.font].append(read)
        if read:
            for k, m in enumerate(at):
                readings[(n, m)] = (text if k == 0 else "", "glyph-recognized", round(confidence, 3))
    route = {"route": "glyph recognition"} if reader else {"route": "none (glyph recognition is off)"}
    return [Finding("font", font, "glyph:no-unicode", GLYPH_VERIFIED, {"characters": len(read), "read": sum(read), **route})
            for font, read in by_font.items()]


def _blank_runs(n: int, line: PdfLine, readings: dict[Place, Reading], checker: GlyphChecker,
                unembedded: frozenset[str]) -> list[tuple[int, list[int], Char]]:
    """The runs of blank characters of line ``n`` that hold a glyph: (line, places, their box)."""
    chars, runs, m = line.chars, [], 0
    while m < len(chars):
        end = m
        while (end < len(chars) and not chars[end].text.strip() and chars[end].text != IDEOGRAPHIC_SPACE
               and (n, end) not in readings and chars[end].font != OCR_FONT
               and (chars[end].code is None or chars[end].font not in unembedded)):
            end += 1
        if end == m:
            m += 1
            continue
        first, last = chars[m], chars[end - 1]
        box = first._replace(x1=last.x1, top=min(c.top for c in chars[m:end]), bottom=max(c.bottom for c in chars[m:end]))
        if (box.x1 - box.x0 >= FULL_WIDTH * box.size and _beside_hanzi(chars, m, end)
                and checker.has_ink(line.page, box, NEIGHBOUR_TRIM)):
            runs.append((n, list(range(m, end)), box))
        m = end
    return runs


def _read_runs(lines: list[PdfLine], runs: list[tuple[int, list[int], Char]], reader: GlyphReader) -> dict[tuple, tuple[str, float]]:
    """What each blank run's glyph reads as: in its line, else alone."""
    by_line: dict[int, list[tuple[list[int], Char]]] = defaultdict(list)
    for n, at, box in runs:
        by_line[n].append((at, box))
    samples = []
    for n, line_runs in sorted(by_line.items()):
        starts = {at[0]: (at, box) for at, box in line_runs}
        chars: list[tuple[tuple | None, Char]] = []
        m = 0
        while m < len(lines[n].chars):
            if m in starts:
                at, box = starts[m]
                chars.append(((n, m), box))
                m = at[-1] + 1
            else:
                chars.append((None, lines[n].chars[m]))
                m += 1
        samples.append((lines[n].page, chars))
    found = {key: reading for key, reading in reader.in_lines(samples).items() if reading[0].strip()}
    alone = {(n, at[0]): (lines[n].page, box) for n, at, box in runs if (n, at[0]) not in found}
    found.update(reader.glyphs(alone) if alone else {})
    return found


def _beside_hanzi(chars: list[Char], start: int, end: int) -> bool:
    """Whether the characters from ``start`` to ``end`` stand beside a hanzi, with no Latin
    letter on their other side (a gap between words is no punctuation)."""
    before = chars[start - 1].text[-1:] if start > 0 else ""
    after = chars[end].text[:1] if end < len(chars) else ""
    return (is_hanzi(before) or is_hanzi(after)) and not (before + after).isascii() or (is_hanzi(before) and is_hanzi(after))


def with_ink_gaps(lines: list[PdfLine], checker: GlyphChecker) -> list[PdfLine]:
    """The lines with a space put where a gap beside a hanzi holds a glyph's ink: a glyph
    printed with no character at all (S22PDF prints ，and 。 so, in a font of their own,
    whatever face the hanzi are in); it is then read from its glyph like any blank one. A gap
    wider than a glyph, and the em before and after a line, are looked at one em beside the
    hanzi (the （ after an indent, the ，at a line's end). A place where another character of
    the page stands (the next column's, across a narrow gutter) or a rule is drawn is not
    looked at."""
    gaps: list[tuple[int, int, Char]] = []  # line, before which character, the gap's box
    for n, line in enumerate(lines):
        if not line.chars or line.chars[0].font == OCR_FONT:  # page OCR read all the ink there is
            continue
        first, last = line.chars[0], line.chars[-1]
        ends = [(0, first, first.x0 - first.size, first.x0)] * is_hanzi(first.text[:1])
        ends += [(len(line.chars), last, last.x1, last.x1 + last.size)] * is_hanzi(last.text[-1:])
        for k, (a, b) in enumerate(zip(line.chars, line.chars[1:])):
            em, gap = a.size, b.x0 - a.x1
            if gap < FULL_WIDTH * em:
                continue
            if gap <= GAP_GLYPH_MAX * em:
                ends += [(k + 1, a, a.x1, b.x0)] if is_hanzi(a.text[-1:]) or is_hanzi(b.text[:1]) else []
            else:
                ends += [(k + 1, a, a.x1, a.x1 + em)] * is_hanzi(a.text[-1:]) + [(k + 1, b, b.x0 - em, b.x0)] * is_hanzi(b.text[:1])
        gaps += [(n, at, Char(" ", beside.font, beside.size, x0, beside.top, x1, beside.bottom))
                 for at, beside, x0, x1 in ends if x0 >= 0]
    inked = checker.inked([(lines[n].page, blank, NEIGHBOUR_TRIM) for n, _, blank in gaps])
    inserted: dict[int, dict[int, list[Char]]] = defaultdict(lambda: defaultdict(list))  # line → before which character
    for (n, at, blank), ink in zip(gaps, inked):
        if ink and not checker.taken(lines[n].page, blank):
            inserted[n][at].append(blank)
    gapped = list(lines)
    for n, before in inserted.items():
        chars = [c for m, char in enumerate(lines[n].chars) for c in (*before.get(m, ()), char)]
        gapped[n] = replace(lines[n], chars=chars + before.get(len(lines[n].chars), []))
    return gapped


def _reads_true(font: str, places: list[Place], lines: list[PdfLine], reader: GlyphReader) -> bool:
    """Whether the font's most frequent glyphs, recognised, read as its text layer says. All
    its glyphs are recognised (a later call for them finds them known)."""
    glyphs = reader.glyphs(_samples(font, places, lines))
    counts = Counter(_glyph(lines[n], m) for n, m in places)
    frequent = [(key, text) for (key, text), _ in counts.most_common(VERIFIED_GLYPHS) if text.strip()]
    same = sum(_same_char(glyphs.get(key, ("", 0.0))[0], text) for key, text in frequent)
    return bool(frequent) and same >= AGREEMENT * len(frequent)


def _samples(font: str, places: list[Place], lines: list[PdfLine]) -> dict[tuple, tuple[int, Char]]:
    """One occurrence (page, character) of each distinct glyph of ``font``, in reading order."""
    samples: dict[tuple, tuple[int, Char]] = {}
    for n, m in places:
        key = _glyph(lines[n], m)[0]
        if key not in samples:
            samples[key] = (lines[n].page, _own_box(lines[n].chars, m))
    return samples


def _own_box(chars: list[Char], m: int) -> Char:
    """The character with its box cut where the next one begins: a half-width digit set in a
    box an em wide overlaps the next one, whose ink its crop would take in too."""
    char = chars[m]
    if m + 1 < len(chars) and char.x0 < chars[m + 1].x0 < char.x1:
        return char._replace(x1=chars[m + 1].x0)
    return char


def _glyph(line: PdfLine, m: int) -> tuple[tuple, str]:
    """A glyph's key — its font and code; its text where the code is unknown (one text, one
    glyph, in a font without a map); its place for ink between characters, which has
    neither — and its text."""
    char = line.chars[m]
    if char.code is not None:
        return (char.font, char.code), char.text
    if not char.text.strip():
        return (char.font, line.page, char.x0, char.top), char.text
    return (char.font, char.text), char.text


def _same_char(a: str, b: str) -> bool:
    """Equal but for width (a recogniser reads ， as , beside no hanzi)."""
    return unicodedata.normalize("NFKC", a) == unicodedata.normalize("NFKC", b)


def readable(
    lines: list[PdfLine], places: dict[str, list[Place]], unmapped: dict[str, str], recognizing: bool
) -> tuple[list[PdfLine], list[Finding], list[int]]:
    """Without glyph recognition, the characters of fonts without a usable map are left out
    (one finding per font) and their pages reported unreadable; ``lines`` come back as they
    are when nothing is left out."""
    if recognizing or not unmapped:
        return lines, [], []
    findings, pages = [], set()
    for font in sorted(unmapped):
        font_pages = sorted({lines[n].page for n, _ in places[font]})
        pages.update(font_pages)
        findings.append(Finding("font", font, unmapped[font], 0.99, {"pages": font_pages, "characters": len(places[font])}))
    kept = [replace(line, chars=[c for c in line.chars if c.font not in unmapped]) for line in lines]
    return kept, findings, sorted(pages)


def places_by_font(lines: list[PdfLine]) -> dict[str, list[Place]]:
    """Where each font's characters stand."""
    by_font: dict[str, list[Place]] = defaultdict(list)
    for n, line in enumerate(lines):
        for m, char in enumerate(line.chars):
            by_font[char.font].append((n, m))
    return by_font


def read_private_use(lines: list[PdfLine], readings: dict[Place, Reading], reader: GlyphReader | None) -> list[Finding]:
    """Private-use characters the glyph table does not know — a font's own glyphs, put there by
    its maker — read by their rendered glyph; one finding per font (without a ``reader``,
    reported and left as they are)."""
    table = glyph_table()
    by_font: dict[str, list[Place]] = defaultdict(list)
    for n, line in enumerate(lines):
        for m, char in enumerate(line.chars):
            if (n, m) not in readings and PRIVATE_USE.fullmatch(char.text) and char.text not in table:
                by_font[char.font].append((n, m))
    findings = []
    for font, places in by_font.items():
        evidence: dict[str, Any] = {"characters": len(places)}
        evidence.update(recognized(font, places, lines, reader, readings))
        findings.append(Finding("font", font, "glyph:private-use", GLYPH_VERIFIED, evidence))
    return findings


def recognized(
    font: str,
    places: list[Place],
    lines: list[PdfLine],
    reader: GlyphReader | None,
    readings: dict[Place, Reading],
) -> dict[str, Any]:
    """Map every character of ``places`` not yet read through its recognised glyph; the
    route taken."""
    if reader is None:
        return {"route": "none (glyph recognition is off)"}
    unread = [place for place in places if place not in readings]
    glyphs = reader.glyphs(_samples(font, unread, lines)) if unread else {}
    marks = _punctuation_font(places, lines)
    for n, m in unread:
        text, confidence = glyphs.get(_glyph(lines[n], m)[0], ("", 0.0))
        readings[(n, m)] = (text.translate(MARK_CONFUSIONS) if marks else text, "glyph-recognized", round(confidence, 3))
    low = sum(confidence < 0.8 for _, confidence in glyphs.values())
    route = "glyph recognition" + (" in context" if len(unread) < len(places) else "")
    return {"route": route, "glyphs": len({_glyph(lines[n], m)[0] for n, m in places}), "doubtful_glyphs": low}


def read_in_context(lines: list[PdfLine], places: set[Place], reader: GlyphReader | None, readings: dict[Place, Reading]) -> None:
    """Read the glyphs at ``places`` in the lines they stand in (each line recognised whole,
    the rest of its text known): how punctuation is read right."""
    if reader is None or not places:
        return
    by_line: dict[int, set[int]] = defaultdict(set)
    for n, m in places:
        by_line[n].add(m)
    samples = [(lines[n].page, [(_glyph(lines[n], m)[0] if m in at else None, c) for m, c in enumerate(lines[n].chars)])
               for n, at in sorted(by_line.items())]
    glyphs = reader.in_lines(samples)
    for n, m in places:
        text, confidence = glyphs.get(_glyph(lines[n], m)[0], ("", 0.0))
        if text.strip():
            readings[(n, m)] = (text, "glyph-recognized", confidence)
