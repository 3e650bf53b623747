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
from functools import cache, cached_property
from itertools import accumulate

from jiaokan.encodings.founder import PLAUSIBLE_OFFSETS, FounderShift, shift_symbols, shifted
from jiaokan.encodings.founder_scores import Candidate, FounderScorer
from jiaokan.encodings.lexicon import Lexicon
from jiaokan.encodings.symbols import symbol_logp
from jiaokan.models import Finding

KNOWN_OFFSETS = (0x31, 0x2E)
# log P(a genuine row 1-9 symbol | the line's font is damaged): another font may supply it.
GENUINE_SYMBOL = math.log(0.05)
# Chance that the next line changes state (font runs are long).
SWITCH_RATE = 0.02
# Evidence this far ahead of every other state settles a line on its own (e^-7 odds).
DECISIVE = 7.0
# Lines with text around a shift's strong candidates where its other candidates are weighed
# too (a page number or a running head above the first damaged paragraph is still reached).
NEAR = 8
# A line with this many genuine symbols is clean whatever its neighbours (e^-9 odds).
ANCHOR_SYMBOLS = 3
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
        starts = tuple(accumulate(map(len, lines[:-1]), initial=0))
        return cls(lines, "".join(lines), starts)

    def ranges(self, lines: list[int]) -> list[tuple[int, int]]:
        """The spans of ``flat`` (start, end) covered by ``lines`` (sorted), adjacent ones merged."""
        spans: list[tuple[int, int]] = []
        for n in lines:
            start, end = self.starts[n], self.starts[n] + len(self.lines[n])
            if spans and spans[-1][1] == start:
                spans[-1] = (spans[-1][0], end)
            elif end > start:
                spans.append((start, end))
        return spans

    def around(self, lines: list[int], reach: int) -> set[int]:
        """``lines`` (sorted) and up to ``reach`` lines with text on either side of each: the
        overlapping stretches of the lines with text taken once each."""
        if not lines:
            return set()  # (a clean text never lists its lines with text)
        filled, found, done = self._filled, set(lines), 0
        for line in lines:
            k = bisect_right(filled, line)
            start, end = max(0, k - 1 - reach, done), k + reach
            if start < end:
                found.update(filled[start:end])
                done = end
        return found

    @cached_property
    def _filled(self) -> list[int]:
        """The lines with text."""
        return [n for n, line in enumerate(self.lines) if line.strip()]


@dataclass(frozen=True)
class ShiftReading:
    """One shift's verdict: the posterior of each modelled line being damaged (lines not
    listed are clean), and its scored candidates."""

    shift: FounderShift
    line_posterior: dict[int, float]
    candidates: tuple[Candidate, ...]
    lines: tuple[int, ...]

    def posteriors(self) -> list[float]:
        """The decision rule of a context repair, one for both entrances, for each candidate
        in order: P(its line is damaged by this shift) × P(its hanzi hides its symbol | the
        line is damaged)."""
        line_posterior, exp = self.line_posterior.get, math.exp
        return [
            line_posterior(line, 0.0) / (1.0 + exp(-candidate.llr)) for candidate, line in zip(self.candidates, self.lines)
        ]


@cache
def _row_symbol_pattern() -> re.Pattern[str]:
    """Genuine symbols, and U+FFFD: a character a code-page misreading lost is as likely a
    line's punctuation as anything (Big5 read as GBK loses most of it), no sign of a shift."""
    chars = {c for c in shift_symbols() if "\x80" <= c <= "\uffff"} | {"\ufffd"}
    return re.compile("[" + re.escape("".join(sorted(chars))) + "]")


@cache
def _anchor_pattern() -> re.Pattern[str]:
    """A whole line with at least ``ANCHOR_SYMBOLS`` genuine symbols (an anchor line)."""
    symbol = _row_symbol_pattern().pattern
    return re.compile(f"(?m)^(?:[^{symbol[1:-1]}\n]*{symbol}){{{ANCHOR_SYMBOLS}}}[^\n]*")


def genuine_symbols(text: str) -> int:
    """How many genuine GB2312 row 1–9 symbols ``text`` holds (a shifted font prints none)."""
    return len(_row_symbol_pattern().findall(text))


def screen_offsets(flat: str) -> tuple[int, ...]:
    """The known shifts, plus any other whose images of common punctuation are over-represented."""
    lexicon = Lexicon.default()
    images = {}
    for offset in PLAUSIBLE_OFFSETS:
        if offset in KNOWN_OFFSETS:
            continue
        images[offset] = [h for s in SCREEN_SYMBOLS if (h := shifted(s, offset))]
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
    """Per-line posteriors and scored candidates for every shift worth considering.

    Only stretches of lines around a line with evidence of damage are modelled; they end at
    anchor lines, whose genuine punctuation pins them clean, so clean text costs one scan for
    strong candidates. Each shift is weighed in context only near the lines where its strong
    candidates (those likelier symbols even without context) stand.
    """
    scorers = [FounderScorer(offset) for offset in screen_offsets(text.flat)]
    genuine = _GenuineCounts(text)
    strong = [_context_free(s.shift.offset, text) for s in scorers]
    segments = _segments(text, strong, genuine)
    inside = {n for start, end in segments for n in range(start, end)}
    clean: str | None = None  # the lines whose genuine punctuation pins them clean
    readings = []
    for k, scorer in enumerate(scorers):
        near = text.around([n for n in strong[k] if n in inside], NEAR) & inside
        ranges = text.ranges(sorted(near))
        if ranges and clean is None:
            clean = "\n".join(_anchor_pattern().findall("\n".join(text.lines)))
        readings.append(scorer.score(text.flat, text.starts, ranges, clean) if ranges else ([], []))
    evidence = [_candidate_evidence([c.llr for c in candidates], lines) for candidates, lines in readings]
    posterior = _segment_posteriors(text, segments, evidence, genuine)
    return [
        ShiftReading(scorer.shift, posterior[k], tuple(readings[k][0]), tuple(readings[k][1]))
        for k, scorer in enumerate(scorers)
    ]


class _GenuineCounts(dict):
    """Genuine GB2312 row 1–9 symbols per line, counted when first asked for."""

    def __init__(self, text: LineText) -> None:
        super().__init__()
        self._lines = text.lines
        self._findall = _row_symbol_pattern().findall

    def __missing__(self, line: int) -> int:
        count = self[line] = len(self._findall(self._lines[line]))  # genuine_symbols, asked of most lines
        return count


def _candidate_evidence(llrs: list[float], lines: list[int]) -> dict[int, float]:
    """Per line (in order), the log-likelihood ratio of damaged vs clean that its candidates
    give: the sum of log(1 + e^llr) (each candidate a symbol or its hanzi)."""
    log1p, exp = math.log1p, math.exp
    totals: dict[int, float] = {}
    get = totals.get
    for llr, line in zip(llrs, lines):
        gain = llr + log1p(exp(-llr)) if llr > 0.0 else log1p(exp(llr))  # as numpy's logaddexp(0, llr)
        totals[line] = get(line, 0.0) + gain
    return dict(sorted(totals.items()))


def _segments(text: LineText, evidence: list[dict[int, float]], genuine: _GenuineCounts) -> list[tuple[int, int]]:
    """Maximal runs of lines (start, end exclusive) around lines with positive evidence,
    bounded by anchors (lines with at least ``ANCHOR_SYMBOLS`` genuine symbols)."""
    positive = sorted(
        {n for e in evidence for n, v in e.items() if v + genuine[n] * GENUINE_SYMBOL > 0}
    )
    segments: list[tuple[int, int]] = []
    for n in positive:
        if segments and n < segments[-1][1]:
            continue
        start = n
        while start > 0 and genuine[start - 1] < ANCHOR_SYMBOLS:
            start -= 1
        end = n + 1
        while end < len(text.lines) and genuine[end] < ANCHOR_SYMBOLS:
            end += 1
        if segments and start <= segments[-1][1]:
            start = segments.pop()[0]
        segments.append((start, end))
    return segments


def _segment_posteriors(
    text: LineText, segments: list[tuple[int, int]], evidence: list[dict[int, float]], genuine: _GenuineCounts
) -> list[dict[int, float]]:
    """Posterior of each shift for the lines of ``segments`` (lines elsewhere are clean)."""
    result: list[dict[int, float]] = [{} for _ in evidence]
    for start, end in segments:
        lines = range(start, end)
        rows = [[e.get(n, 0.0) + genuine[n] * GENUINE_SYMBOL for n in lines] for e in evidence]
        posterior = _posteriors(rows, after_anchor=start > 0, before_anchor=end < len(text.lines))
        for k, values in enumerate(posterior):
            result[k].update(zip(lines, values))
    return result


def founder_findings(text: LineText, readings: list[ShiftReading], changed: Counter[str]) -> list[Finding]:
    """Document- and span-level findings for the shifts that damaged some lines."""
    findings = []
    for reading in readings:
        spans = _damaged_spans(text, reading.line_posterior)
        if not spans:
            continue
        name = reading.shift.name
        for first, last, confidence in spans:
            findings.append(Finding.span(first + 1, last + 1, name, confidence))
        damaged_lines = sum(last - first + 1 for first, last, _ in spans)
        confidence = max(c for _, _, c in spans)
        evidence = {"damaged_lines": damaged_lines, "symbols_restored": changed[name], "spans": len(spans)}
        findings.insert(0, Finding.document(name, confidence, evidence))
    return findings


def _damaged_spans(text: LineText, posterior: dict[int, float]) -> list[tuple[int, int, float]]:
    """Runs of damaged lines (first, last, best posterior); blank lines do not break a run."""
    spans: list[tuple[int, int, float]] = []
    for n in sorted(posterior):
        p = posterior[n]
        if p <= 0.5 or not text.lines[n].strip():
            continue
        first, last, best = spans[-1] if spans else (-2, -2, 0.0)
        if spans and (n == last + 1 or all(not text.lines[m].strip() for m in range(last + 1, n))):
            spans[-1] = (first, n, max(best, p))
        else:
            spans.append((n, n, p))
    return spans


def _context_free(offset: int, text: LineText) -> dict[int, float]:
    """Per line (in order), the evidence (``_candidate_evidence``) of the candidates a symbol
    is likelier to be even without context (each hanzi's is fixed: looked up)."""
    gain, findall = _context_free_gain(offset), _strong_pattern(offset).findall
    evidence = {}
    for n, line in enumerate(text.lines):
        if found := findall(line):
            total = 0.0
            for hanzi in found:
                total += gain[hanzi]
            evidence[n] = total
    return evidence


@cache
def _context_free_gain(offset: int) -> dict[str, float]:
    """What each strong candidate adds to its line's evidence (``_candidate_evidence``)."""
    return {h: _candidate_evidence([llr], [0])[0] for h, llr in _context_free_llr(offset).items()}


@cache
def _context_free_llr(offset: int) -> dict[str, float]:
    lexicon = Lexicon.default()
    shift = FounderShift.build(offset)
    llr = {h: symbol_logp(s) - lexicon.char_logp(h) for h, s in shift.to_symbol.items()}
    return {h: v for h, v in llr.items() if v > 0}


@cache
def _strong_pattern(offset: int) -> re.Pattern[str]:
    return re.compile("[" + re.escape("".join(sorted(_context_free_llr(offset)))) + "]")


def _posteriors(
    evidence: list[list[float]], after_anchor: bool = False, before_anchor: bool = False
) -> list[list[float]]:
    """Forward-backward over lines; state 0 is clean, state k+1 is shift k. Next to an
    anchor (a clean line just outside) the chain starts or ends from the clean state.

    A decisive line (one state ahead of all others by ``DECISIVE`` nats) is in that state
    whatever its neighbours, so it splits the chain: only the runs of undecided lines between
    decisive ones are computed, each from the state on its left to the state on its right; a
    run without evidence (blank lines) between two lines of one state takes that state.
    """
    states = len(evidence) + 1
    n_lines = len(evidence[0]) if evidence else 0
    rows = [[0.0, *map(float, values)] for values in zip(*evidence)]
    known = _decisive(rows)
    result = [[0.0] * n_lines for _ in range(states - 1)]
    n = 0
    while n < n_lines:
        if known[n] is not None:
            if known[n]:
                result[known[n] - 1][n] = 1.0
            n += 1
            continue
        end = n
        while end < n_lines and known[end] is None:
            end += 1
        left = known[n - 1] if n > 0 else (0 if after_anchor else None)
        right = known[end] if end < n_lines else (0 if before_anchor else None)
        if left is not None and left == right and not any(map(any, rows[n:end])):
            if left:
                result[left - 1][n:end] = [1.0] * (end - n)
        else:
            for k, values in enumerate(_chain(rows[n:end], states, left, right)):
                result[k][n:end] = values
        n = end
    return result


def _decisive(rows: list[list[float]]) -> list[int | None]:
    """Per line (row), the state ahead of all others by ``DECISIVE``, or None."""
    known: list[int | None] = []
    for row in rows:
        second, top = sorted(row)[-2:]  # ahead of all others: of the second best
        known.append(row.index(top) if top - second >= DECISIVE else None)
    return known


def _chain(rows: list[list[float]], states: int, left: int | None, right: int | None) -> list[list[float]]:
    """Posteriors of shift states along ``rows`` of log emissions (clean first), the chain
    coming from state ``left`` and going to state ``right`` (None: unknown)."""
    stay = 1.0 - SWITCH_RATE
    switch = SWITCH_RATE / (states - 1)
    emit = []
    for row in rows:
        top = max(row)
        emit.append([math.exp(v - top) for v in row])
    if left is None:
        current = [0.5] + [0.5 / (states - 1)] * (states - 1)
    else:
        current = [stay if s == left else switch for s in range(states)]
    forward = []
    for n, weights in enumerate(emit):
        if n:
            total = sum(current)
            current = [stay * c + switch * (total - c) for c in current]
        current = [c * w for c, w in zip(current, weights)]
        norm = sum(current)
        current = [c / norm for c in current]
        forward.append(current)
    backward = [1.0] * states if right is None else [stay if s == right else switch for s in range(states)]
    result = [[0.0] * len(rows) for _ in range(states - 1)]
    for n in range(len(rows) - 1, -1, -1):
        if n < len(rows) - 1:
            weighted = [b * w for b, w in zip(backward, emit[n + 1])]
            total = sum(weighted)
            backward = [stay * w + switch * (total - w) for w in weighted]
            norm = sum(backward)
            backward = [b / norm for b in backward]
        joint = [f * b for f, b in zip(forward[n], backward)]
        total = sum(joint)
        for k in range(1, states):
            result[k - 1][n] = joint[k] / total
    return result
