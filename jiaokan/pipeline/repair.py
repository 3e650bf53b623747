"""Repair: undo the damage the diagnosis found, one stage after another, logging every edit.

Stages, in order: code-page mojibake (re-decoding changes which characters are there), glyph
maps (Kangxi radicals and kin), Founder shifts (decided per occurrence from context), and,
when asked, traditional → simplified. The line structure never changes.
"""

from __future__ import annotations

import difflib
from collections import Counter
from functools import cache

from jiaokan.config import RepairConfig
from jiaokan.edits import EditLog
from jiaokan.encodings.codepages import find_mojibake
from jiaokan.encodings.glyphs import glyph_pattern, glyph_table
from jiaokan.models import Edit, Finding, RepairResult, apply_edits
from jiaokan.pipeline.diagnose import LineText, founder_findings, read_shifts

GLYPH_CONFIDENCE = 0.99


def repair_text(text: str, config: RepairConfig = RepairConfig()) -> RepairResult:
    """Repair damaged Chinese ``text``; clean text comes back unchanged.

    >>> repair_text("各县渊市尧区冤人民政府袁市政府各部门尧直属各单位院").text
    '各县（市、区）人民政府，市政府各部门、直属各单位：'
    """
    log = EditLog()
    findings: list[Finding] = []
    current = text
    stages = []
    if config.mojibake:
        stages.append(_mojibake_stage)
    if config.glyphs:
        stages.append(_glyph_stage)
    if config.founder:
        stages.append(lambda t: _founder_stage(t, config.min_confidence))
    if config.t2s:
        stages.append(_t2s_stage)
    for stage in stages:
        edits, stage_findings = stage(current)
        findings.extend(stage_findings)
        if edits:
            log.add(edits)
            current = apply_edits(current, edits)
    ranked = sorted(findings, key=_rank)
    return RepairResult(current, log.edits(), tuple(ranked))


def _rank(finding: Finding) -> tuple[bool, float, int]:
    """Documents first, then by confidence, then by how much evidence (counts) stands behind."""
    amount = sum(v for v in finding.evidence.values() if isinstance(v, int))
    return finding.scope != "document", -round(finding.confidence, 2), -amount


def _mojibake_stage(text: str) -> tuple[list[Edit], list[Finding]]:
    edits = []
    pairs: Counter[str] = Counter()
    for n, line in enumerate(text.split("\n"), start=1):
        for span in find_mojibake(line):
            edits.append(Edit(n, span.start + 1, span.before, span.after, f"mojibake:{span.pair}", span.confidence))
            pairs[span.pair] += 1
    findings = [
        Finding("document", "whole text", f"mojibake:{pair}", 0.95, {"spans": count}) for pair, count in pairs.items()
    ]
    findings += [Finding("span", f"line {e.line}", e.method, e.confidence, {"before": e.before}) for e in edits]
    return edits, findings


def _glyph_stage(text: str) -> tuple[list[Edit], list[Finding]]:
    table = glyph_table()
    pattern = glyph_pattern()
    edits = [
        Edit(n, m.start() + 1, m.group(), table[m.group()], _glyph_kind(m.group()), GLYPH_CONFIDENCE)
        for n, line in enumerate(text.split("\n"), start=1)
        for m in pattern.finditer(line)
    ]
    kinds = Counter(e.method for e in edits)
    findings = [Finding("document", "whole text", kind, GLYPH_CONFIDENCE, {"characters": n}) for kind, n in kinds.items()]
    return edits, findings


def _glyph_kind(char: str) -> str:
    code = ord(char)
    if 0x2F00 <= code <= 0x2FDF or 0x2E80 <= code <= 0x2EFF:
        return "glyph:radical"
    if 0xE000 <= code <= 0xF8FF:
        return "glyph:private-use"
    return "glyph:compatibility"


def _founder_stage(text: str, min_confidence: float) -> tuple[list[Edit], list[Finding]]:
    lines = LineText.of(text)
    readings = read_shifts(lines)
    best: dict[int, tuple[float, Edit]] = {}
    for reading in readings:
        for candidate in reading.candidates:
            line, column = lines.locate(candidate.index)
            posterior = reading.symbol_posterior(candidate, line)
            if posterior <= min_confidence or posterior <= best.get(candidate.index, (0.0, None))[0]:
                continue
            edit = Edit(line + 1, column + 1, candidate.hanzi, candidate.symbol, reading.shift.name, round(posterior, 4))
            best[candidate.index] = (posterior, edit)
    edits = [edit for _, edit in best.values()]
    changed = Counter(e.method for e in edits)
    return edits, founder_findings(lines, readings, changed)


@cache
def _opencc_t2s():
    import opencc

    return opencc.OpenCC("t2s")


def _t2s_stage(text: str) -> tuple[list[Edit], list[Finding]]:
    converter = _opencc_t2s()
    edits = []
    for n, line in enumerate(text.split("\n"), start=1):
        converted = converter.convert(line)
        if converted == line:
            continue
        matcher = difflib.SequenceMatcher(a=line, b=converted, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                edits.append(Edit(n, i1 + 1, line[i1:i2], converted[j1:j2], "t2s", 1.0))
    findings = [Finding("document", "whole text", "traditional", 1.0, {"characters": len(edits)})] if edits else []
    return edits, findings
