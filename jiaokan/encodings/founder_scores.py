"""Per-occurrence evidence that a hanzi hides a Founder-shifted symbol.

Each candidate (a hanzi that some symbol shifts onto) gets a log-likelihood ratio
``llr = log P(symbol here) - log P(hanzi here)``: the symbol's prior rate against how well the
hanzi fits the words around it (``Lexicon.support``), plus structural evidence that only
symbols show: an opening bracket closed a little later, digits around a full-width digit or a
decimal point, indentation at a line start. Positive means the symbol is more likely.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from functools import cache, cached_property
from typing import NamedTuple

from jiaokan.encodings.founder import FounderShift
from jiaokan.encodings.lexicon import MAX_WORD, Lexicon, is_hanzi
from jiaokan.encodings.symbols import (
    BREAKS,
    CONTEXT_BOUND,
    DIGITS,
    ENUMERATORS,
    FULLWIDTH_DIGITS,
    NUMERIC_JOINERS,
    OPENING,
    OPERATORS,
    PARTNER,
    symbol_logp,
)

try:
    from jiaokan.encodings._lattice import score_candidates
except ImportError:  # built where no C compiler was: candidates are scored in Python, same results
    score_candidates = None

PAIR_REACH = 60
PAIR_CAP = 8.0
# log(P(digit next to a digit) / P(digit next to a hanzi)), about log(0.6 / 0.02).
DIGIT_NEIGHBOUR = math.log(30)
# A lone digit in a date's slot (2015年2月4日) has digits one unit away on each side.
DATE_UNITS = "年月日"
# Digits, number joiners and enumerators seldom stand outside their context (a digit beside
# a digit, an enumerator opening an item): log of the share of their rate found outside it.
OUT_OF_CONTEXT = math.log(0.05)
# An ideographic space opening a line is indentation; a line rarely opens with its hanzi image.
INDENT = math.log(1000)
# Dashes and ellipses come doubled (——, ……), their hanzi images seldom do.
DOUBLED = math.log(1000)
DOUBLED_SYMBOLS = "—…"
# What stands on each side of an operator between quantities, besides digits.
QUANTITY_CLOSING = "）)"
QUANTITY_OPENING = "（("
# A line that is a page number between two marks (— 12 —, ·12·) shows page decoration.
PAGE_DECORATION = re.compile(r"\s*(\S)\1*\s*\d{1,4}\s*\1+\s*")
DECORATIONS = "—－·"
# The symbols that local evidence may concern besides a break after a leaning word.
LOCAL_ROLES = frozenset(FULLWIDTH_DIGITS + NUMERIC_JOINERS + OPERATORS + ENUMERATORS + "\u3000" + DOUBLED_SYMBOLS + DECORATIONS)
# How far the document's own behaviour of a hanzi moves each occurrence (see _document_prior).
DOCUMENT_WEIGHT = 0.5
DOCUMENT_MIN = 3
# A clause rarely ends on a word that leans on the next one (本：, 各，, 由。).
LEANING_BEFORE_BREAK = math.log(0.05)
# Candidates this sure to be genuine do not take part in bracket pairs.
PAIR_FLOOR = -4.0
# Marks of which no two stand side by side, and what a candidate beside one loses.
ADJACENT_BREAKS = frozenset("，。、：；")
ADJACENT_PENALTY = -12.0
# An enumeration comma right before a conjunction (、或, 、和) is not Chinese typography.
CONJUNCTIONS = frozenset("或和及与")
CONJUNCTION_PENALTY = -8.0
# A hanzi beside the same neighbour in a line known clean (its genuine punctuation shows its
# font sound) is the document's own usage: each sighting moves it toward the hanzi, on a log
# scale (院前 in a law on 院前医疗急救, its title set without punctuation).
CLEAN_USAGE = -1.5


class Candidate(NamedTuple):
    """A hanzi at ``index`` of the flattened text that may stand for ``symbol`` (a named tuple:
    a text yields hundreds of thousands of them)."""

    index: int
    hanzi: str
    symbol: str
    llr: float


@cache
def candidate_chars(offset: int, paired: frozenset[str]) -> str:
    """The hanzi worth weighing for this shift; brackets in ``paired`` (those whose partner's
    image occurs in the text) may gain pair evidence."""
    shift = FounderShift.build(offset)
    lexicon = Lexicon.default()
    return "".join(sorted(
        h for h, s in shift.to_symbol.items() if symbol_logp(s) - lexicon.char_logp(h) + max_bonus(s, paired) > 0
    ))


@cache
def candidate_pattern(offset: int, paired: frozenset[str]) -> re.Pattern[str]:
    """A character class of ``candidate_chars``."""
    return re.compile("[" + re.escape(candidate_chars(offset, paired)) + "]")


def max_bonus(symbol: str, paired: frozenset[str]) -> float:
    """The most structural evidence a symbol can gather (see ``FounderScorer._local_evidence``
    and ``_pair_evidence``): a bracket only when its partner can be found."""
    if symbol in PARTNER:
        return PAIR_CAP if symbol in paired else 0.0
    if symbol in FULLWIDTH_DIGITS or symbol in NUMERIC_JOINERS or symbol in OPERATORS:
        return 2 * DIGIT_NEIGHBOUR
    if symbol == "\u3000":
        return INDENT
    return DOUBLED if symbol in DOUBLED_SYMBOLS or symbol in DECORATIONS else 0.0


# The roles of a symbol and the classes of a character, as bits in this order: the tables the
# compiled scorer (_founder_scores.c, S_ and C_ bits) reads.
SYMBOL_ROLES = (BREAKS, LOCAL_ROLES, FULLWIDTH_DIGITS, NUMERIC_JOINERS, CONTEXT_BOUND, OPERATORS, ENUMERATORS,
                "\u3000", DOUBLED_SYMBOLS, DECORATIONS, OPENING, ADJACENT_BREAKS, "、")
CHAR_CLASSES = (DIGITS, QUANTITY_CLOSING, QUANTITY_OPENING, DATE_UNITS[:2], DATE_UNITS[1:], ADJACENT_BREAKS, CONJUNCTIONS)
# The weights, in the order _founder_scores.c reads them.
WEIGHTS = (PAIR_REACH, PAIR_CAP, DIGIT_NEIGHBOUR, OUT_OF_CONTEXT, INDENT, DOUBLED, DOCUMENT_WEIGHT, DOCUMENT_MIN,
           LEANING_BEFORE_BREAK, PAIR_FLOOR, ADJACENT_PENALTY, CONJUNCTION_PENALTY, CLEAN_USAGE)


def _bits(char: str, groups: tuple[frozenset[str] | str, ...]) -> int:
    """Bit n set where ``char`` is in ``groups[n]``."""
    return sum(1 << n for n, group in enumerate(groups) if char in group)


class FounderScorer:
    """Scores every candidate of one shift in a flattened text (line breaks removed)."""

    def __init__(self, offset: int, lexicon: Lexicon | None = None) -> None:
        self.shift = FounderShift.build(offset)
        self.lexicon = lexicon or Lexicon.default()
        self._prior = {h: symbol_logp(s) for h, s in self.shift.to_symbol.items()}
        # One string object per hanzi, shared by all its candidates (and their edits).
        self._hanzi = {h: h for h in self.shift.to_symbol}
        self._breaks = frozenset(h for h, s in self.shift.to_symbol.items() if s in ADJACENT_BREAKS)

    def score(
        self, flat: str, line_starts: tuple[int, ...] = (), ranges: list[tuple[int, int]] | None = None,
        clean: str = "",
    ) -> tuple[list[Candidate], list[int]]:
        """Candidates of ``flat`` (only those inside the sorted (start, end) ``ranges`` when
        given) with their final log-likelihood ratios, and the 0-based line of each
        (``line_starts``: where the lines start in ``flat``, in order). The words around a
        candidate are weighed once with every neighbour as it stands, and again, for
        candidates inside a known word, with the neighbours judged symbols taken out;
        ``clean``, the lines known clean, shows how the document itself uses each hanzi.
        Computed in C (``_founder_scores.c``) where the lattice is compiled."""
        if ranges is None:
            ranges = [(0, len(flat))]
        paired = self.paired(flat)
        pattern = candidate_pattern(self.shift.offset, paired)
        usage = self._usage(clean, pattern)
        lattice = self.lexicon.lattice
        if lattice is not None and score_candidates is not None:
            return score_candidates(
                lattice, flat, ranges, line_starts, self._table(paired), self._classes, usage,
                lambda i: PAGE_DECORATION.fullmatch(_line_at(flat, line_starts, i)) is not None, WEIGHTS, Candidate,
            )
        found = [(m.start(), m.group()) for start, end in ranges for m in pattern.finditer(flat, start, end)]
        llr = {}
        in_word = {}  # the support of each candidate a known word covers
        support_around = self.lexicon.support_around
        for i, hanzi in found:
            support, covered = support_around(flat, i)
            llr[i] = self._prior[hanzi] - support
            if covered:
                in_word[i] = support
        for i, value in self._local_evidence(flat, found, line_starts).items():
            llr[i] += value
        for i, _ in found if usage else ():
            if seen := usage[flat[max(0, i - 1) : i + 1]] + usage[flat[i : i + 2]]:
                llr[i] += CLEAN_USAGE * math.log1p(seen)
        pairable = {i for i, value in llr.items() if value > PAIR_FLOOR}
        for i, value in self._pair_evidence(flat, found, pairable).items():
            llr[i] += value
        for i, value in self._document_prior(found, llr).items():
            llr[i] += value
        symbols = {i for i, value in llr.items() if value > 0}
        for i, support in in_word.items():
            blocked = tuple(j for j in range(i - MAX_WORD + 1, i + MAX_WORD) if j != i and j in symbols)
            if blocked:
                llr[i] += support - support_around(flat, i, blocked)[0]
        for i, value in self._adjacent_breaks(flat, found, llr).items():
            llr[i] += value
        to_symbol = self.shift.to_symbol
        lines = [bisect.bisect_right(line_starts, i) - 1 for i, _ in found]
        return [Candidate(i, self._hanzi[hanzi], to_symbol[hanzi], llr[i]) for i, hanzi in found], lines

    def _table(self, paired: frozenset[str]) -> dict[str, tuple[str, float, float, int, str]]:
        """For the compiled scorer, per hanzi worth weighing: its symbol, the symbol's prior,
        the hanzi's probability as a lone character, the symbol's roles (``SYMBOL_ROLES``) and
        its partner bracket (or "")."""
        to_symbol, char_logp = self.shift.to_symbol, self.lexicon.char_logp
        return {
            self._hanzi[h]: (to_symbol[h], self._prior[h], math.exp(char_logp(h)), _bits(to_symbol[h], SYMBOL_ROLES),
                             PARTNER.get(to_symbol[h], ""))
            for h in candidate_chars(self.shift.offset, paired)
        }

    @cached_property
    def _classes(self) -> dict[str, int]:
        """For the compiled scorer, the classes of the characters in ``CHAR_CLASSES`` and,
        as the last bit, of the lexicon's words that lean forward."""
        groups = (*CHAR_CLASSES, self.lexicon.leaning)
        return {c: _bits(c, groups) for c in set().union(*groups)}

    @staticmethod
    def _usage(clean: str, pattern: re.Pattern[str]) -> Counter[str]:
        """How often each candidate hanzi stands beside each neighbour in ``clean`` (pairs of
        characters)."""
        found = [match.start() for match in pattern.finditer(clean)]
        return Counter([clean[max(0, i - 1) : i + 1] for i in found] + [clean[i : i + 2] for i in found])

    def _adjacent_breaks(self, flat: str, found: list[tuple[int, str]], llr: dict[int, float]) -> dict[int, float]:
        """Two sentence breaks never stand side by side (：、 ，。): a candidate for one, beside a
        genuine break or a likelier candidate for one, is the hanzi it shows (浙江院、); nor
        does 、 stand before a conjunction (股息或红利)."""
        to_symbol, breaks = self.shift.to_symbol, self._breaks
        breaking = {i: llr[i] for i, hanzi in found if hanzi in breaks and llr[i] > 0}
        penalties = {}
        likelier = breaking.get
        for i, value in breaking.items():
            if (
                flat[i - 1 : i] in ADJACENT_BREAKS or flat[i + 1 : i + 2] in ADJACENT_BREAKS  # a genuine break beside it
                or likelier(i - 1, -math.inf) > value or likelier(i + 1, -math.inf) > value
            ):
                penalties[i] = ADJACENT_PENALTY
            if to_symbol[flat[i]] == "、" and flat[i + 1 : i + 2] in CONJUNCTIONS:
                penalties[i] = penalties.get(i, 0.0) + CONJUNCTION_PENALTY  # 、 lists nouns: 股息或红利, not 股、或
        return penalties

    def paired(self, flat: str) -> frozenset[str]:
        """The brackets whose partner's image occurs in ``flat``."""
        to_hanzi = self.shift.to_hanzi
        return frozenset(s for s in PARTNER if to_hanzi.get(PARTNER[s], "\x00") in flat)

    def _local_evidence(self, flat: str, found: list[tuple[int, str]], starts: tuple[int, ...]) -> dict[int, float]:
        """Evidence from the neighbourhood that only symbols show: numbers around digits and
        joiners, enumerators opening items, indentation, doubled dashes."""
        to_symbol = self.shift.to_symbol
        line_starts = frozenset(starts)
        symbol_at = {i: to_symbol[h] for i, h in found}
        bonus: dict[int, float] = {}

        def shows(j: int, symbols: str) -> bool:
            """Position ``j`` holds one of ``symbols``, as it stands or as a candidate's image."""
            return 0 <= j < len(flat) and (flat[j] in symbols or (j in symbol_at and symbol_at[j] in symbols))

        def is_digit(j: int) -> bool:
            return shows(j, DIGITS)

        def date_sides(i: int) -> int:
            """Sides of a lone digit at ``i`` that show a date around it: the month of
            2015年2月4日 has two (年 after a digit, 月 after it), a month opening 2月14日 one."""
            unit_after = i + 1 < len(flat) and flat[i + 1] in DATE_UNITS[1:]
            unit_before = 0 < i and flat[i - 1] in DATE_UNITS[:2] and is_digit(i - 2)
            return unit_before + unit_after if unit_before else int(unit_after and is_digit(i + 2))

        lexicon = self.lexicon
        for i, symbol in symbol_at.items():
            if symbol in BREAKS and i > 0 and lexicon.leans_forward(flat[i - 1]):
                if i < 2 or lexicon.word_logp(flat[i - 2 : i]) is None:
                    bonus[i] = LEANING_BEFORE_BREAK
            elif symbol not in LOCAL_ROLES:
                continue
            elif symbol in FULLWIDTH_DIGITS:
                neighbours = is_digit(i - 1) + is_digit(i + 1) or date_sides(i)
                bonus[i] = DIGIT_NEIGHBOUR * neighbours if neighbours else OUT_OF_CONTEXT
            elif symbol in NUMERIC_JOINERS:
                if is_digit(i - 1):
                    bonus[i] = DIGIT_NEIGHBOUR * (1 + is_digit(i + 1))
                elif symbol in CONTEXT_BOUND:
                    bonus[i] = OUT_OF_CONTEXT
            elif symbol in OPERATORS:
                # a quantity on each side: a digit or a bracket next to it, or a digit and its unit
                before = shows(i - 1, QUANTITY_CLOSING) or is_digit(i - 1) or is_digit(i - 2) / 2
                after = shows(i + 1, QUANTITY_OPENING) or is_digit(i + 1)
                bonus[i] = DIGIT_NEIGHBOUR * (before + after) if before and after else 0.0
            elif symbol in ENUMERATORS:
                opens_item = i in line_starts or i == 0 or not is_hanzi(flat[i - 1]) or (i - 1) in symbol_at
                bonus[i] = 0.0 if opens_item else OUT_OF_CONTEXT
            elif symbol == "\u3000" and (i in line_starts or symbol_at.get(i - 1) == "\u3000"):
                bonus[i] = INDENT
            elif symbol in DOUBLED_SYMBOLS and symbol in (symbol_at.get(i - 1), symbol_at.get(i + 1)):
                bonus[i] = DOUBLED
            elif symbol in DECORATIONS and PAGE_DECORATION.fullmatch(_line_at(flat, starts, i)):
                bonus[i] = DOUBLED
        return bonus

    def _pair_evidence(self, flat: str, found: list[tuple[int, str]], pairable: set[int]) -> dict[int, float]:
        """Opening and closing brackets that close each other within ``PAIR_REACH``: the chance
        that the closing hanzi follows by accident is about gap × its probability."""
        to_symbol = self.shift.to_symbol
        pair_at = {i: to_symbol[h] for i, h in found if i in pairable and to_symbol[h] in PARTNER}
        positions = sorted(pair_at)
        bonus: dict[int, float] = {}
        for n, i in enumerate(positions):
            symbol = pair_at[i]
            if symbol not in OPENING:
                continue
            partner = self._partner(positions, n, pair_at, symbol)
            if partner is None:
                continue
            gap = partner - i
            p_close = math.exp(self.lexicon.char_logp(flat[partner]))
            p_open = math.exp(self.lexicon.char_logp(flat[i]))
            bonus[i] = bonus.get(i, 0.0) + min(PAIR_CAP, max(0.0, -math.log(gap * p_close)))
            bonus[partner] = bonus.get(partner, 0.0) + min(PAIR_CAP, max(0.0, -math.log(gap * p_open)))
        return bonus

    @staticmethod
    def _document_prior(found: list[tuple[int, str]], llr: dict[int, float]) -> dict[int, float]:
        """The document's own statistics: how often each hanzi behaves like its symbol here.

        For every occurrence, the share of the hanzi's other occurrences judged symbols so far
        (leave-one-out, smoothed), as a log-odds shift of ``DOCUMENT_WEIGHT``.
        """
        by_hanzi: dict[str, list[int]] = {}
        for i, hanzi in found:
            by_hanzi.setdefault(hanzi, []).append(i)
        shift: dict[int, float] = {}
        for positions in by_hanzi.values():
            if len(positions) < DOCUMENT_MIN:
                continue
            judged = [llr[i] > 0 for i in positions]
            symbols = sum(judged)
            values = {}  # the shift of the occurrences judged symbols (True) and of the others
            for verdict, count in ((True, symbols - 1), (False, symbols)):
                if 0 <= count < len(positions):
                    share = (count + 0.5) / len(positions)
                    values[verdict] = DOCUMENT_WEIGHT * math.log(share / (1.0 - share))
            shift.update((i, values[verdict]) for i, verdict in zip(positions, judged) if verdict in values)
        return shift

    @staticmethod
    def _partner(positions: list[int], n: int, symbol_at: dict[int, str], opening: str) -> int | None:
        """The first closing partner after ``positions[n]`` within reach, unless the same
        opening bracket comes first."""
        closing = PARTNER[opening]
        start = positions[n]
        for m in range(n + 1, len(positions)):
            j = positions[m]
            if j - start > PAIR_REACH:
                return None
            if symbol_at[j] == opening:
                return None
            if symbol_at[j] == closing:
                return j
        return None


def _line_at(flat: str, starts: tuple[int, ...], j: int) -> str:
    """The line of ``flat`` (lines starting at ``starts``, in order) that index ``j`` is in."""
    k = bisect.bisect_right(starts, j)
    return flat[starts[k - 1] if k else 0 : starts[k] if k < len(starts) else len(flat)]
