"""Diagnosis: which lines carry which Founder shift.

Each line is in one hidden state: clean, or damaged by one shift. A sticky hidden Markov
model over the lines combines each line's evidence (its candidates' likelihood ratios, less a
penalty for every genuine GB2312 symbol, which a damaged font could not have produced) with its
neighbours', so a short line inherits the state of the text around it. The scoring runs twice:
a cheap context-free pass finds the lines that may be damaged, and only their candidates are
then weighed in context.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import cache

from jiaokan.encodings.founder import PLAUSIBLE_OFFSETS, FounderShift, is_shift_symbol
from jiaokan.encodings.founder_scores import Candidate, FounderScorer
from jiaokan.encodings.lexicon import Lexicon
from jiaokan.encodings.symbols import symbol_logp
from jiaokan.models import Finding

KNOWN_OFFSETS = (0x31, 0x2E)
# log P(a genuine row 1-9 symbol | the line's font is damaged): another font may supply it.
GENUINE_SYMBOL = math.log(0.05)
SWITCH = math.log(0.01)
STAY = math.log(1 - 0.01 * len(KNOWN_OFFSETS))
MAYBE_DAMAGED = 0.01
SCREEN_SYMBOLS = "，。"
SCREEN_MIN_COUNT = 5
SCREEN_MIN_RATIO = 50.0


@dataclass(frozen=True)
class LineText:
    """Lines of a text and the same text with line breaks removed (for context)."""

    lines: tuple[str, ...]
    flat: str
    starts: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> LineText:
        lines = tuple(text.split("\n"))
        starts, position = [], 0
        for line in lines:
            starts.append(position)
            position += len(line)
        return cls(lines, "".join(lines), tuple(starts))

    def locate(self, index: int) -> tuple[int, int]:
        """(line, column), both 0-based, of an index into ``flat``."""
        line = bisect_right(self.starts, index) - 1
        return line, index - self.starts[line]


@dataclass(frozen=True)
class ShiftReading:
    """One shift's verdict: the posterior of each line being damaged, and its candidates."""

    shift: FounderShift
    line_posterior: tuple[float, ...]
    candidates: tuple[Candidate, ...]

    def symbol_posterior(self, candidate: Candidate, line: int) -> float:
        return self.line_posterior[line] / (1.0 + math.exp(-candidate.llr))


@cache
def _row_symbol_pattern() -> re.Pattern[str]:
    chars = {chr(c) for c in range(0x80, 0x10000) if is_shift_symbol(chr(c))}
    return re.compile("[" + re.escape("".join(sorted(chars))) + "]")


def screen_offsets(flat: str) -> tuple[int, ...]:
    """The known shifts, plus any other whose images of common punctuation are over-represented."""
    lexicon = Lexicon.default()
    images = {}
    for offset in PLAUSIBLE_OFFSETS:
        if offset in KNOWN_OFFSETS:
            continue
        shift = FounderShift.build(offset)
        images[offset] = [shift.to_hanzi[s] for s in SCREEN_SYMBOLS if s in shift.to_hanzi]
    pattern = re.compile("[" + "".join(sorted({h for hs in images.values() for h in hs})) + "]")
    counts = Counter(pattern.findall(flat))
    chars = max(1, len(flat))
    extra = []
    for offset, hanzi in images.items():
        ratios = [counts[h] / (chars * math.exp(lexicon.char_logp(h))) for h in hanzi if counts[h] >= SCREEN_MIN_COUNT]
        if len(ratios) == len(SCREEN_SYMBOLS) and min(ratios) >= SCREEN_MIN_RATIO:
            extra.append(offset)
    return KNOWN_OFFSETS + tuple(extra)


def read_shifts(text: LineText) -> list[ShiftReading]:
    """Per-line posteriors and scored candidates for every shift worth considering."""
    offsets = screen_offsets(text.flat)
    genuine = _genuine_counts(text)
    line_starts = frozenset(text.starts)
    scorers = [FounderScorer(offset) for offset in offsets]
    first = [_line_evidence(text, _context_free(s, text.flat), genuine) for s in scorers]
    posterior = _posteriors(first)
    damaged = {n for n in range(len(text.lines)) if sum(p[n] for p in posterior) > MAYBE_DAMAGED}
    positions = {i for n in damaged for i in range(text.starts[n], text.starts[n] + len(text.lines[n]))}
    readings = [scorer.score(text.flat, line_starts, positions) if positions else [] for scorer in scorers]
    evidence = [_line_evidence(text, candidates, genuine) for candidates in readings]
    posterior = _posteriors(evidence)
    return [
        ShiftReading(scorer.shift, tuple(posterior[k]), tuple(readings[k]))
        for k, scorer in enumerate(scorers)
    ]


def founder_findings(text: LineText, readings: list[ShiftReading], changed: Counter[str]) -> list[Finding]:
    """Document- and span-level findings for the shifts that damaged some lines."""
    findings = []
    for reading in readings:
        spans = _damaged_spans(text, reading.line_posterior)
        if not spans:
            continue
        name = reading.shift.name
        for first, last, confidence in spans:
            findings.append(Finding("span", f"lines {first + 1}-{last + 1}", name, round(confidence, 3)))
        damaged_lines = sum(last - first + 1 for first, last, _ in spans)
        confidence = max(c for _, _, c in spans)
        evidence = {"damaged_lines": damaged_lines, "symbols_restored": changed[name], "spans": len(spans)}
        findings.insert(0, Finding("document", "whole text", name, round(confidence, 3), evidence))
    return findings


def _damaged_spans(text: LineText, posterior: tuple[float, ...]) -> list[tuple[int, int, float]]:
    spans: list[tuple[int, int, float]] = []
    start, best = None, 0.0
    for n, p in enumerate(posterior + (0.0,)):
        blank = n < len(text.lines) and not text.lines[n].strip()
        if p > 0.5 and not blank:
            start = n if start is None else start
            best = max(best, p)
            last = n
        elif not blank and start is not None:
            spans.append((start, last, best))
            start, best = None, 0.0
    return spans


def _context_free(scorer: FounderScorer, flat: str) -> list[Candidate]:
    """Candidates with context-free ratios, keeping only the ones a symbol is likelier to be."""
    lexicon = scorer.lexicon
    to_symbol = scorer.shift.to_symbol
    result = []
    for match in scorer.pattern.finditer(flat):
        hanzi = match.group()
        llr = symbol_logp(to_symbol[hanzi]) - lexicon.char_logp(hanzi)
        if llr > 0:
            result.append(Candidate(match.start(), hanzi, to_symbol[hanzi], llr))
    return result


def _genuine_counts(text: LineText) -> list[int]:
    pattern = _row_symbol_pattern()
    return [len(pattern.findall(line)) for line in text.lines]


def _line_evidence(text: LineText, candidates: list[Candidate], genuine: list[int]) -> list[float]:
    evidence = [g * GENUINE_SYMBOL for g in genuine]
    for candidate in candidates:
        line, _ = text.locate(candidate.index)
        llr = candidate.llr
        evidence[line] += llr + math.log1p(math.exp(-llr)) if llr > 0 else math.log1p(math.exp(llr))
    return evidence


def _posteriors(evidence: list[list[float]]) -> list[list[float]]:
    """Forward-backward over lines; state 0 is clean, state k+1 is shift k."""
    states = len(evidence) + 1
    n_lines = len(evidence[0]) if evidence else 0
    emit = [[0.0] + [e[n] for e in evidence] for n in range(n_lines)]

    def step(previous: list[float]) -> list[float]:
        return [
            _logsumexp([previous[j] + (STAY if j == s else SWITCH) for j in range(states)]) for s in range(states)
        ]

    prior = [math.log(0.5)] + [math.log(0.5 / (states - 1))] * (states - 1)
    forward, current = [], prior
    for n in range(n_lines):
        current = [c + e for c, e in zip(step(current) if n else current, emit[n])]
        forward.append(current)
    backward = [[0.0] * states for _ in range(n_lines)]
    for n in range(n_lines - 2, -1, -1):
        nxt = [b + e for b, e in zip(backward[n + 1], emit[n + 1])]
        backward[n] = [
            _logsumexp([nxt[s] + (STAY if j == s else SWITCH) for s in range(states)]) for j in range(states)
        ]
    result = [[0.0] * n_lines for _ in range(states - 1)]
    for n in range(n_lines):
        joint = [f + b for f, b in zip(forward[n], backward[n])]
        total = _logsumexp(joint)
        for k in range(1, states):
            result[k - 1][n] = math.exp(joint[k] - total)
    return result


def _logsumexp(values: list[float]) -> float:
    top = max(values)
    return top + math.log(sum(math.exp(v - top) for v in values))
