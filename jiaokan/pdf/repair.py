"""Repair for PDFs: diagnose each font on its own, verify each doubtful glyph by its shape,
then run the stages text gets.

A font's characters, in reading order, are diagnosed like a text: a Founder shift shows in
the font that carries it and nowhere else. In a damaged font every character whose hanzi a
symbol shifts onto is looked at (``GlyphChecker``): the ink decides, and the repair is
"glyph-verified"; where the ink does not decide, the context decision of the text engine
stands. What the text layer cannot give is read from the glyphs (``glyph_reading``). The repaired
lines then go through the text stages (mojibake, glyph maps, t2s: whatever the options
switch on), and every repair is given its place: page, line, box, font, glyph code.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from jiaokan.encodings.diagnosis import LineText, founder_findings, genuine_symbols, read_shifts
from jiaokan.models import Finding, Repair, RepairResult, apply_repairs
from jiaokan.ocr.reader import GlyphReader
from jiaokan.options import RepairConfig
from jiaokan.pdf.glyph_reading import (
    GLYPH_VERIFIED, Place, Reading, places_by_font, read_blank_glyphs, read_in_context, read_private_use, readable, recognized,
    unmapped_fonts, with_ink_gaps,
)
from jiaokan.pdf.ink import GlyphChecker
from jiaokan.pdf.model import PdfLine
from jiaokan.pdf.read import FontFacts
from jiaokan.repair.log import RepairLog
from jiaokan.repair.stages import run_stages


@dataclass
class CodeReading:
    """How the occurrences of one glyph code of one font were read: the text layer's text,
    the repaired texts with their counts, and (where repaired) the method and the lowest
    confidence. One code is one glyph, so a sound reading has one text. ``joined`` names the
    method of a repair that took the glyph together with its neighbours (a mojibake span):
    no one code carries such a reading."""

    found: str
    readings: Counter[str] = field(default_factory=Counter)
    method: str | None = None
    confidence: float = 1.0
    joined: str | None = None


@dataclass
class PdfRepair:
    """The lines with their repaired text, the repair result (repairs with their places,
    against the text layer's lines numbered per page; findings), the pages nothing could be
    read from, and the reading of every glyph code of every font."""

    lines: list[PdfLine]
    result: RepairResult
    unreadable_pages: list[int] = field(default_factory=list)
    codes: dict[tuple[str, int], CodeReading] = field(default_factory=dict)


def repair_lines(
    lines: list[PdfLine],
    config: RepairConfig,
    checker: GlyphChecker | None,
    fonts: FontFacts = FontFacts(),
    reader: GlyphReader | None = None,
) -> PdfRepair:
    """Repair every line's characters; ``lines`` are in reading order over all pages.
    Fonts without a map are read by ``reader`` (glyph recognition) or, without it, reported
    and their characters left out. The glyphs of fonts that are not embedded are not looked
    at: context decides."""
    if checker is not None and reader is not None:
        lines = with_ink_gaps(lines, checker)
    by_font = places_by_font(lines)
    unmapped = unmapped_fonts(lines, by_font, fonts, reader)
    kept, findings, unreadable = readable(lines, by_font, unmapped, reader is not None)
    if kept is not lines:  # characters of unreadable fonts left out
        lines, by_font = kept, places_by_font(kept)
    readings: dict[Place, Reading] = {}
    own = {place for font, damage in unmapped.items() if damage == "glyph:own-encoding" for place in by_font[font]}
    read_in_context(lines, own, reader, readings)
    for font, places in by_font.items():
        if font in unmapped:
            evidence = {"pages": sorted({lines[n].page for n, _ in places}), "characters": len(places)}
            evidence.update(recognized(font, places, lines, reader, readings))
            findings.append(Finding("font", font, unmapped[font], 0.99, evidence))
        elif config.founder:
            findings += _repair_font(font, places, lines, config, None if font in fonts.unembedded else checker, readings)
    findings += read_private_use(lines, readings, reader)
    if checker is not None:
        findings += read_blank_glyphs(lines, readings, checker, fonts.unembedded, reader, config.min_confidence)
    layer = "\n".join(line.text for line in lines)
    log = RepairLog()
    log.add(_font_repairs(lines, readings))
    result = run_stages(apply_repairs(layer, log.repairs()), replace(config, founder=False), log)
    covered = [_covered(lines[repair.line - 1], repair) for repair in result.repairs]
    placed = _placed(lines, result.repairs, covered)
    findings += _by_font(result.diagnosis, placed)
    repaired = [replace(line, repaired=text) for line, text in zip(lines, result.text.split("\n"))]
    return PdfRepair(repaired, RepairResult(result.text, tuple(placed), tuple(findings)), unreadable,
                     _code_readings(lines, result.repairs, covered))


def _repair_font(
    font: str,
    places: list[Place],
    lines: list[PdfLine],
    config: RepairConfig,
    checker: GlyphChecker | None,
    readings: dict[Place, Reading],
) -> list[Finding]:
    """Diagnose one font from its own text; repair it when damaged. Returns its findings."""
    rows: dict[int, list[Place]] = defaultdict(list)
    for n, m in places:
        rows[n].append((n, m))
    order = sorted(rows)
    text = LineText.of("\n".join("".join(lines[n].chars[m].text for _, m in rows[n]) for n in order))
    flat_places = [place for n in order for place in rows[n] for _ in lines[place[0]].chars[place[1]].text]
    shifts = read_shifts(text)
    findings = [f for f in founder_findings(text, shifts, Counter()) if f.scope == "document"]
    damaged = {f.damage for f in findings}
    candidates: list[tuple[Place, str, str, float]] = []  # place, symbol, shift, posterior
    for reading in shifts:
        if reading.shift.name not in damaged:
            continue
        to_symbol = reading.shift.to_symbol
        for candidate, posterior in zip(reading.candidates, reading.posteriors()):
            n, m = flat_places[candidate.index]
            char = lines[n].chars[m]
            if char.text in to_symbol:
                candidates.append(((n, m), to_symbol[char.text], reading.shift.name, posterior))
    # A font has one encoding: one that prints more genuine symbols than it has hanzi judged
    # symbols is not shifted (an OCR layer's 第1页 with the digits in another font reads 第页).
    if genuine_symbols(text.flat) > sum(posterior > 0.5 for *_, posterior in candidates):
        return []
    seen = (checker.shapes([(lines[n].page, lines[n].chars[m], symbol) for (n, m), symbol, *_ in candidates])
            if checker else [None] * len(candidates))
    verdicts = [(place, symbol, shift, shape, posterior) for (place, symbol, shift, posterior), shape in zip(candidates, seen)]
    shapes = Counter(seen)
    # The glyphs are the evidence: where every glyph looked at is a hanzi, the font is clean
    # (its shift "candidates" are genuine hanzi), and context decides nothing.
    ink_says_clean = checker is not None and shapes["symbol"] == 0 and shapes["hanzi"] > 0
    restored: Counter[str] = Counter()
    for place, symbol, shift, shape, posterior in [] if ink_says_clean else verdicts:
        if shape == "symbol":
            readings[place] = (symbol, "glyph-verified", GLYPH_VERIFIED)
        elif shape is None and posterior > config.min_confidence:
            readings[place] = (symbol, shift, round(posterior, 4))
        else:
            continue
        restored[shift] += 1
    return [
        Finding("font", font, f.damage, f.confidence, {**f.evidence, "symbols_restored": restored[f.damage],
                                                        "glyphs_symbol": shapes["symbol"], "glyphs_hanzi": shapes["hanzi"]})
        for f in findings
        if restored[f.damage]
    ]


def _font_repairs(lines: list[PdfLine], readings: dict[Place, Reading]) -> list[Repair]:
    """The per-font readings as repairs against the text layer (line n + 1, 1-based column)."""
    repairs = []
    for (n, m), (after, method, confidence) in readings.items():
        char = lines[n].chars[m]
        if after != char.text:
            column = sum(len(c.text) for c in lines[n].chars[:m]) + 1
            repairs.append(Repair(n + 1, column, char.text, after, method, confidence))
    return repairs


def _covered(line: PdfLine, repair: Repair) -> list[int]:
    """The characters of ``line`` a repair covers (by its columns in the text layer's line)."""
    start, end = repair.column - 1, repair.column - 1 + max(1, len(repair.before))
    covered, at = [], 0
    for m, char in enumerate(line.chars):
        if at < end and at + len(char.text) > start:
            covered.append(m)
        at += len(char.text)
    return covered or ([min(start, len(line.chars)) - 1] if line.chars else [])


def _placed(lines: list[PdfLine], repairs: tuple[Repair, ...], covered: list[list[int]]) -> list[Repair]:
    """Each repair with its place: page, line on that page, box, font, and the glyph code of
    the one character it covers (``covered``: the characters each covers)."""
    line_on_page, counts = [], Counter()
    for line in lines:
        counts[line.page] += 1
        line_on_page.append(counts[line.page])
    placed = []
    for repair, places in zip(repairs, covered):
        line = lines[repair.line - 1]
        chars = [line.chars[m] for m in places]
        bbox = (round(min(c.x0 for c in chars), 2), round(min(c.top for c in chars), 2),
                round(max(c.x1 for c in chars), 2), round(max(c.bottom for c in chars), 2)) if chars else (0.0, 0.0, 0.0, 0.0)
        code = chars[0].code if len(chars) == 1 and chars[0].text == repair.before else None
        font = chars[0].font if chars else None
        placed.append(repair._replace(page=line.page, line=line_on_page[repair.line - 1], bbox=bbox, font=font, code=code))
    return placed


def _code_readings(
    lines: list[PdfLine], repairs: tuple[Repair, ...], covered: list[list[int]]
) -> dict[tuple[str, int], CodeReading]:
    """How every glyph code was read in the end (``repairs`` in text-layer lines, with the
    characters each covers)."""
    by_char: dict[Place, Repair] = {}
    for repair, places in zip(repairs, covered):
        for m in places:
            by_char[(repair.line - 1, m)] = repair
    codes: dict[tuple[str, int], CodeReading] = {}
    for n, line in enumerate(lines):
        for m, char in enumerate(line.chars):
            if char.code is None:
                continue
            reading = codes.get((char.font, char.code))
            if reading is None:
                reading = codes[(char.font, char.code)] = CodeReading(char.text)
            repair = by_char.get((n, m))
            if repair is None:
                reading.readings[char.text] += 1
            elif repair.before != char.text:
                reading.joined = repair.method
                reading.method, reading.confidence = repair.method, min(reading.confidence, repair.confidence)
            else:
                reading.readings[repair.after] += 1
                reading.method, reading.confidence = repair.method, min(reading.confidence, repair.confidence)
    return codes


def _by_font(diagnosis: tuple[Finding, ...], repairs: list[Repair]) -> list[Finding]:
    """The text stages' findings, with each whole-text one that names a repair method told
    per font (a PDF's damage is diagnosed per font)."""
    counts = Counter((r.font, r.method) for r in repairs)
    findings = []
    for finding in diagnosis:
        fonts = [(font, n) for (font, method), n in counts.items() if method == finding.damage and font]
        if finding.scope != "document" or not fonts:
            findings.append(finding)
            continue
        findings += [Finding("font", font, finding.damage, finding.confidence, {**finding.evidence, "characters": n})
                     for font, n in sorted(fonts)]
    return findings
