"""Per-occurrence evidence that a hanzi hides a Founder-shifted symbol.

Each candidate (a hanzi that some symbol shifts onto) gets a log-likelihood ratio
``llr = log P(symbol here) - log P(hanzi here)``: the symbol's prior rate against how well the
hanzi fits the words around it (``Lexicon.support``), plus structural evidence that only
symbols show: an opening bracket closed a little later, digits around a full-width digit or a
decimal point, indentation at a line start. Positive means the symbol is more likely.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

from jiaokan.encodings.founder import FounderShift
from jiaokan.encodings.lexicon import MAX_WORD, Lexicon, is_hanzi
from jiaokan.encodings.symbols import (
    CLOSING,
    CONTEXT_BOUND,
    DIGITS,
    ENUMERATORS,
    FULLWIDTH_DIGITS,
    NUMERIC_JOINERS,
    OPENING,
    PARTNER,
    symbol_logp,
)

PAIR_REACH = 60
PAIR_CAP = 8.0
# log(P(digit next to a digit) / P(digit next to a hanzi)), about log(0.6 / 0.02).
DIGIT_NEIGHBOUR = math.log(30)
# Digits, number joiners and enumerators seldom stand outside their context (a digit beside
# a digit, an enumerator opening an item): log of the share of their rate found outside it.
OUT_OF_CONTEXT = math.log(0.05)
# An ideographic space opening a line is indentation; a line rarely opens with its hanzi image.
INDENT = math.log(1000)
# Dashes and ellipses come doubled (——, ……), their hanzi images seldom do.
DOUBLED = math.log(1000)
DOUBLED_SYMBOLS = "—…"
# How far the document's own behaviour of a hanzi moves each occurrence (see _document_prior).
DOCUMENT_WEIGHT = 0.5
DOCUMENT_MIN = 3
# Candidates this sure to be genuine do not take part in bracket pairs.
PAIR_FLOOR = -4.0
BLOCKED = "\x00"


@dataclass(frozen=True)
class Candidate:
    """A hanzi at ``index`` of the flattened text that may stand for ``symbol``."""

    index: int
    hanzi: str
    symbol: str
    llr: float


@cache
def candidate_pattern(offset: int) -> re.Pattern[str]:
    """A character class of the hanzi worth weighing for this shift."""
    shift = FounderShift.build(offset)
    lexicon = Lexicon.default()
    chars = [h for h, s in shift.to_symbol.items() if symbol_logp(s) - lexicon.char_logp(h) + max_bonus(s) > 0]
    return re.compile("[" + re.escape("".join(sorted(chars))) + "]")


def max_bonus(symbol: str) -> float:
    """The most structural evidence a symbol can gather (see ``FounderScorer._structure``)."""
    if symbol in OPENING + CLOSING:
        return PAIR_CAP
    if symbol in FULLWIDTH_DIGITS or symbol in NUMERIC_JOINERS:
        return 2 * DIGIT_NEIGHBOUR
    if symbol == "\u3000":
        return INDENT
    return DOUBLED if symbol in DOUBLED_SYMBOLS else 0.0


class FounderScorer:
    """Scores every candidate of one shift in a flattened text (line breaks removed)."""

    def __init__(self, offset: int, lexicon: Lexicon | None = None) -> None:
        self.shift = FounderShift.build(offset)
        self.lexicon = lexicon or Lexicon.default()
        self.pattern = candidate_pattern(offset)

    def score(
        self, flat: str, line_starts: frozenset[int] = frozenset(), positions: set[int] | None = None
    ) -> list[Candidate]:
        """Candidates of ``flat`` (only those at ``positions`` when given) with their final
        log-likelihood ratios, in two passes: the second knows which neighbours are symbols."""
        found = [(m.start(), m.group()) for m in self.pattern.finditer(flat)]
        if positions is not None:
            found = [(i, h) for i, h in found if i in positions]
        structure = self._structure(flat, found, line_starts, pairable=set())
        plain = {i: self._llr(flat, i, h, structure.get(i, 0.0), ()) for i, h in found}
        pairable = {i for i, llr in plain.items() if llr > PAIR_FLOOR}
        structure = self._structure(flat, found, line_starts, pairable)
        first = {i: self._llr(flat, i, h, structure.get(i, 0.0), ()) for i, h in found}
        for i, value in self._document_prior(found, first).items():
            structure[i] = structure.get(i, 0.0) + value
            first[i] += value
        symbols = {i for i, llr in first.items() if llr > 0}
        result = []
        for i, hanzi in found:
            blocked = [j for j in range(i - MAX_WORD + 1, i + MAX_WORD) if j != i and j in symbols]
            llr = self._llr(flat, i, hanzi, structure.get(i, 0.0), blocked) if blocked else first[i]
            result.append(Candidate(i, hanzi, self.shift.to_symbol[hanzi], llr))
        return result

    @staticmethod
    def _document_prior(found: list[tuple[int, str]], llr: dict[int, float]) -> dict[int, float]:
        """The document's own statistics: how often each hanzi behaves like its symbol here.

        For every occurrence, the share of the hanzi's other occurrences judged symbols
        (leave-one-out, smoothed), as a log-odds shift of ``DOCUMENT_WEIGHT``.
        """
        by_hanzi: dict[str, list[int]] = {}
        for i, hanzi in found:
            by_hanzi.setdefault(hanzi, []).append(i)
        shift: dict[int, float] = {}
        for positions in by_hanzi.values():
            if len(positions) < DOCUMENT_MIN:
                continue
            share = {i: 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, llr[i])))) for i in positions}
            total = sum(share.values())
            for i in positions:
                others = (total - share[i] + 0.5) / len(positions)
                shift[i] = DOCUMENT_WEIGHT * math.log(others / (1.0 - others))
        return shift

    def _llr(self, flat: str, index: int, hanzi: str, bonus: float, blocked: list[int] | tuple) -> float:
        start = max(0, index - MAX_WORD + 1)
        window = list(flat[start : index + MAX_WORD])
        for j in blocked:
            if 0 <= j - start < len(window):
                window[j - start] = BLOCKED
        support = self.lexicon.support("".join(window), index - start)
        return symbol_logp(self.shift.to_symbol[hanzi]) - support + bonus

    def _structure(
        self, flat: str, found: list[tuple[int, str]], line_starts: frozenset[int], pairable: set[int]
    ) -> dict[int, float]:
        """Evidence only symbols show: bracket pairs (between ``pairable`` candidates, those not
        already sure to be genuine), numbers, enumerators, indentation, doubled dashes."""
        to_symbol = self.shift.to_symbol
        bonus: dict[int, float] = {}
        symbol_at = {i: to_symbol[h] for i, h in found}
        pair_at = {i: s for i, s in symbol_at.items() if i in pairable}

        def add(i: int, value: float) -> None:
            bonus[i] = bonus.get(i, 0.0) + value

        def is_digit(j: int) -> bool:
            if not 0 <= j < len(flat):
                return False
            return flat[j] in DIGITS or (j in symbol_at and symbol_at[j] in FULLWIDTH_DIGITS)

        pair_positions = sorted(pair_at)
        for n, i in enumerate(pair_positions):
            symbol = pair_at[i]
            if symbol in OPENING:
                partner = self._partner(pair_positions[n + 1 :], pair_at, symbol, i)
                if partner is not None:
                    gap = partner - i
                    p_close = math.exp(self.lexicon.char_logp(flat[partner]))
                    p_open = math.exp(self.lexicon.char_logp(flat[i]))
                    add(i, min(PAIR_CAP, max(0.0, -math.log(gap * p_close))))
                    add(partner, min(PAIR_CAP, max(0.0, -math.log(gap * p_open))))
        for i, symbol in symbol_at.items():
            if symbol in FULLWIDTH_DIGITS:
                neighbours = is_digit(i - 1) + is_digit(i + 1)
                add(i, DIGIT_NEIGHBOUR * neighbours if neighbours else OUT_OF_CONTEXT)
            elif symbol in NUMERIC_JOINERS:
                if is_digit(i - 1):
                    add(i, DIGIT_NEIGHBOUR * (1 + is_digit(i + 1)))
                elif symbol in CONTEXT_BOUND:
                    add(i, OUT_OF_CONTEXT)
            elif symbol in ENUMERATORS:
                opens_item = i in line_starts or i == 0 or not is_hanzi(flat[i - 1]) or symbol_at.get(i - 1) is not None
                add(i, 0.0 if opens_item else OUT_OF_CONTEXT)
            elif symbol == "\u3000" and (i in line_starts or symbol_at.get(i - 1) == "\u3000"):
                add(i, INDENT)
            elif symbol in DOUBLED_SYMBOLS and symbol in (symbol_at.get(i - 1), symbol_at.get(i + 1)):
                add(i, DOUBLED)
        return bonus

    @staticmethod
    def _partner(later: list[int], symbol_at: dict[int, str], opening: str, start: int) -> int | None:
        closing = PARTNER[opening]
        for j in later:
            if j - start > PAIR_REACH:
                return None
            if symbol_at[j] == opening:
                return None
            if symbol_at[j] == closing:
                return j
        return None
