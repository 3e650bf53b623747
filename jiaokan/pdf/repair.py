"""Repair for PDFs: diagnose each font on its own, then verify each doubtful glyph by its shape.

A font's characters, in reading order, are diagnosed like a text: a Founder shift shows in
the font that carries it and nowhere else. In a damaged font every character whose hanzi a
symbol shifts onto is looked at (``GlyphChecker``): the ink decides, and the edit is
"glyph-verified"; where the ink does not decide, the context decision of the text engine
stands. Glyph-map damage (Kangxi radicals and kin) is mapped wherever it occurs. Fonts
without a usable map ("(cid:N)") and private-use characters outside the glyph table are read
by glyph recognition when it is on, and reported otherwise, never guessed.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable

from jiaokan.encodings.glyph_maps import PRIVATE_USE, glyph_kind, glyph_table
from jiaokan.models import Finding
from jiaokan.encodings.diagnosis import LineText, founder_findings, read_shifts
from jiaokan.pdf.ink import GlyphChecker
from jiaokan.pdf.model import PdfLine

GLYPH_VERIFIED = 0.99
CID = re.compile(r"^\(cid:\d+\)$")


@dataclass
class CodeReading:
    """How the occurrences of one glyph code of one font were read: the text layer's text,
    the repaired texts with their counts, and (where repaired) the method and the lowest
    confidence. One code is one glyph, so a sound reading has one text."""

    found: str
    readings: Counter[str] = field(default_factory=Counter)
    method: str | None = None
    confidence: float = 1.0


@dataclass
class PdfRepair:
    """Repaired line texts, the repairs (with page, line, column, box, font and code),
    findings, and the reading of every glyph code of every font."""

    texts: list[str]
    repairs: list[dict[str, Any]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    unreadable_pages: list[int] = field(default_factory=list)
    codes: dict[tuple[str, int], CodeReading] = field(default_factory=dict)


def repair_lines(
    lines: list[PdfLine],
    checker: GlyphChecker | None,
    unmapped: set[str] = frozenset(),
    recognize: Callable[[dict], dict] | None = None,
) -> PdfRepair:
    """Repair every line's characters; ``lines`` are in reading order over all pages.
    Fonts in ``unmapped`` (no ToUnicode map) are read by ``recognize`` (glyph key → sample
    occurrence, to glyph key → character and confidence) or, without it, reported and their
    characters left out."""
    replacements: dict[tuple[int, int], tuple[str, str, float]] = {}
    findings: list[Finding] = []
    by_font: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for n, line in enumerate(lines):
        for m, char in enumerate(line.chars):
            by_font[char.font].append((n, m))
    unreadable: set[int] = set()
    for font, places in by_font.items():
        texts = [lines[n].chars[m].text for n, m in places]
        if font in unmapped or sum(bool(CID.match(t)) for t in texts) > len(texts) / 2:
            pages = sorted({lines[n].page for n, _ in places})
            evidence = {"pages": pages, "characters": len(texts)}
            if recognize is None:
                unreadable.update(pages)
                for place in places:
                    replacements[place] = ("", "dropped:no-tounicode", 1.0)
            else:
                evidence.update(_recognized(font, places, lines, recognize, replacements))
            findings.append(Finding("font", font, "no-tounicode", 0.99, evidence))
            continue
        findings += _repair_font(font, places, lines, checker, replacements)
    findings += _map_glyphs(lines, replacements)
    findings += _read_private_use(lines, replacements, recognize)
    return _apply(lines, replacements, findings, sorted(unreadable))


def _map_glyphs(lines: list[PdfLine], replacements: dict[tuple[int, int], tuple[str, str, float]]) -> list[Finding]:
    """Map Kangxi radicals and kin wherever they occur; one finding per font and kind."""
    table = glyph_table()
    kinds: Counter[tuple[str, str]] = Counter()
    for n, line in enumerate(lines):
        for m, char in enumerate(line.chars):
            if char.text in table and (n, m) not in replacements:
                kind = glyph_kind(char.text)
                replacements[(n, m)] = (table[char.text], kind, GLYPH_VERIFIED)
                kinds[(char.font, kind)] += 1
    return [Finding("font", font, kind, GLYPH_VERIFIED, {"characters": count}) for (font, kind), count in kinds.items()]


def _read_private_use(
    lines: list[PdfLine],
    replacements: dict[tuple[int, int], tuple[str, str, float]],
    recognize: Callable[[dict], dict] | None,
) -> list[Finding]:
    """Private-use characters the glyph table does not know — a font's own glyphs, put there by
    its maker — read by their rendered glyph; one finding per font (without ``recognize``,
    reported and left as they are)."""
    by_font: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for n, line in enumerate(lines):
        for m, char in enumerate(line.chars):
            if (n, m) not in replacements and PRIVATE_USE.fullmatch(char.text):
                by_font[char.font].append((n, m))
    findings = []
    for font, places in by_font.items():
        evidence: dict[str, Any] = {"characters": len(places)}
        if recognize is None:
            evidence["route"] = "none (glyph recognition is off)"
        else:
            evidence.update(_recognized(font, places, lines, recognize, replacements))
        findings.append(Finding("font", font, "glyph:private-use", GLYPH_VERIFIED, evidence))
    return findings


def _recognized(
    font: str,
    places: list[tuple[int, int]],
    lines: list[PdfLine],
    recognize: Callable[[dict], dict],
    replacements: dict[tuple[int, int], tuple[str, str, float]],
) -> dict[str, Any]:
    """Map every character of an unmapped font through its recognised glyph."""
    samples: dict[tuple[str, str], tuple[int, Any]] = {}
    for n, m in places:
        samples.setdefault((font, lines[n].chars[m].text), (lines[n].page, lines[n].chars[m]))
    glyphs = recognize(samples)
    for n, m in places:
        text, confidence = glyphs.get((font, lines[n].chars[m].text), ("", 0.0))
        replacements[(n, m)] = (text, "glyph-recognized", round(confidence, 3))
    low = sum(confidence < 0.8 for _, confidence in glyphs.values())
    return {"route": "glyph recognition", "glyphs": len(glyphs), "doubtful_glyphs": low}


def _repair_font(
    font: str,
    places: list[tuple[int, int]],
    lines: list[PdfLine],
    checker: GlyphChecker | None,
    replacements: dict[tuple[int, int], tuple[str, str, float]],
) -> list[Finding]:
    """Diagnose one font from its own text; repair it when damaged. Returns its findings."""
    rows: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for n, m in places:
        rows[n].append((n, m))
    order = sorted(rows)
    text = LineText.of("\n".join("".join(lines[n].chars[m].text for _, m in rows[n]) for n in order))
    flat_places = [place for n in order for place in rows[n] for _ in lines[place[0]].chars[place[1]].text]
    readings = read_shifts(text)
    findings = [
        Finding("font", font, f.damage, f.confidence, f.evidence)
        for f in founder_findings(text, readings, Counter())
        if f.scope == "document"
    ]
    damaged = {f.damage for f in findings}
    verified = Counter()
    for reading in readings:
        if reading.shift.name not in damaged:
            continue
        to_symbol = reading.shift.to_symbol
        for candidate, line in zip(reading.candidates, reading.lines):
            n, m = flat_places[candidate.index]
            char = lines[n].chars[m]
            if char.text not in to_symbol:
                continue
            shape = checker.shape(lines[n].page, char) if checker else None
            if shape == "symbol":
                replacements[(n, m)] = (to_symbol[char.text], "glyph-verified", GLYPH_VERIFIED)
                verified["symbol"] += 1
            elif shape == "hanzi":
                verified["hanzi"] += 1
            else:
                posterior = reading.line_posterior.get(line, 0.0) / (1.0 + math.exp(-candidate.llr))
                if posterior > 0.5:
                    replacements[(n, m)] = (to_symbol[char.text], reading.shift.name, round(posterior, 4))
    for finding in findings:
        finding.evidence.update({"glyphs_symbol": verified["symbol"], "glyphs_hanzi": verified["hanzi"]})
    return findings


def _apply(
    lines: list[PdfLine],
    replacements: dict[tuple[int, int], tuple[str, str, float]],
    findings: list[Finding],
    unreadable: list[int],
) -> PdfRepair:
    result = PdfRepair([], [], findings, unreadable)
    line_on_page: Counter[int] = Counter()
    for n, line in enumerate(lines):
        line_on_page[line.page] += 1
        out = []
        for m, char in enumerate(line.chars):
            after, method, confidence = replacements.get((n, m), (char.text, None, 1.0))
            if method and method.startswith("dropped"):
                continue
            if method:
                result.repairs.append({
                    "page": line.page, "line": line_on_page[line.page], "column": len("".join(out)) + 1,
                    "before": char.text, "after": after, "method": method, "confidence": confidence,
                    "bbox": [round(char.x0, 2), round(char.top, 2), round(char.x1, 2), round(char.bottom, 2)],
                    "font": char.font, "code": char.code,
                })
            if char.code is not None:
                reading = result.codes.setdefault((char.font, char.code), CodeReading(char.text))
                reading.readings[after] += 1
                if method:
                    reading.method, reading.confidence = method, min(reading.confidence, confidence)
            out.append(after)
        result.texts.append("".join(out))
    return result
