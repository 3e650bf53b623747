"""Language knowledge: word and character frequencies from jieba's shipped dictionary.

A unigram word model is enough to tell a genuine character from a hidden symbol: 院 in
研究院 completes a frequent word, 院 in 单位院 only follows a finished one. Probabilities are
natural logs of a share of all word tokens. A character outside any known word scores the
better of its frequency as a one-character word (也, 的, 是 stand alone all the time) and its
share of all characters in the dictionary's words less ``LONE_CHAR_PENALTY`` (running text
rarely breaks into lone characters otherwise).
"""

from __future__ import annotations

import json
import math
import sys
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache, cached_property, lru_cache
from importlib import resources
from pathlib import Path

try:
    from jiaokan.encodings._lattice import Lattice
except ImportError:  # built where no C compiler was: the lattice is computed in Python, same results
    Lattice = None

MAX_WORD = 5
# What a masked character reads as in ``Lexicon.support_around``: part of no word.
MASK = "\x00"
LONE_CHAR_PENALTY = math.log(10)
# Parts of speech (jieba's tags) of words that lean on the next word and cannot end a
# clause: pronouns and determiners (本, 各, 该), prepositions (由, 对), conjunctions, adverbs.
LEANING_TAGS = frozenset({"r", "p", "c", "d"})
# jieba's dictionary compiled (scripts/build_lexicon.py): parsing dict.txt takes a second.
# Stored uncompressed and read in one go (inflating it took longer than the rest of the load;
# the wheel and git compress it anyway).
COMPILED = "lexicon.bin"


def is_hanzi(char: str) -> bool:
    """True for a CJK unified ideograph (BMP blocks, extension A included)."""
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


class Lexicon:
    """Word log-probabilities and best-segmentation scores over short strings."""

    def __init__(self, freqs: Mapping[str, int], chars: dict[str, int], leaning: frozenset[str] = frozenset(),
                 singles: Mapping[str, int] | None = None, total: int | None = None) -> None:
        """``freqs``: word frequencies (``singles``, the one-character words', and ``total``,
        their sum, when known apart); ``chars``: each character's count in the words
        (``char_counts``); ``leaning``: one-character words that lean forward."""
        self._freqs = freqs
        singles = freqs if singles is None else singles
        self._leaning = leaning
        self._log_total = math.log(total if total is not None else sum(freqs.values()))
        log_chars = math.log(sum(chars.values()))
        self._char_share = {c: math.log(n) - log_chars for c, n in chars.items()}
        self._unknown_share = -log_chars
        self._char_logp = {
            c: max(math.log(n) - log_chars - LONE_CHAR_PENALTY, math.log(singles.get(c, 1)) - self._log_total)
            for c, n in chars.items()
        }
        self._unknown_char = -log_chars - LONE_CHAR_PENALTY
        self._pieces = freqs.bucket if isinstance(freqs, _Words) else _by_first(freqs)
        self._opening: dict[str, dict[str, int]] = {}
        self._compiled = False

    @classmethod
    @cache
    def default(cls) -> Lexicon:
        """The lexicon of jieba's dictionary, as compiled into the package, loaded once per
        process."""
        return cls.load(resources.files("jiaokan.encodings").joinpath("data", COMPILED).read_bytes())

    @classmethod
    def load(cls, compiled: bytes, lattice: bool = True) -> Lexicon:
        """A lexicon from ``dumps``'s bytes: character counts at once, words as looked up;
        its word lattice compiled (``_lattice.c``) where that was built and ``lattice`` is
        true, else computed in Python."""
        header_end = compiled.index(b"\n")
        header = json.loads(compiled[:header_end])
        at = header_end + 1
        parts = []
        for size in header["sizes"]:
            parts.append(compiled[at : at + size])
            at += size
        words, freqs, chars, counts, ends, prefixes, prefix_ends = parts
        chars = chars.decode("utf-8")
        lexicon = cls(
            _Words(words, freqs, header["firsts"], ends, prefixes, prefix_ends), dict(zip(chars, _unsigned(counts, "Q"))),
            frozenset(header["leaning"]), header["singles"], header["total"],
        )
        lexicon._compiled = lattice and Lattice is not None
        return lexicon

    def dumps(self, source: str) -> bytes:
        """The lexicon compiled for ``load`` (``source`` names where it was read from): the
        words sorted, so that those sharing a first character stand together, and so the
        beginnings of longer words that are no words themselves."""
        words = sorted(self._freqs)
        prefixes = _prefixes_only(words)
        chars = char_counts(self._freqs)
        order = sorted(chars)
        firsts = sorted({w[0] for w in words})
        parts = [
            _joined(words), _little_endian([self._freqs[w] for w in words], "I"),
            "".join(order).encode("utf-8"), _little_endian([chars[c] for c in order], "Q"),
            _little_endian(_bucket_ends(words, firsts), "I"),
            _joined(prefixes), _little_endian(_bucket_ends(prefixes, firsts), "I"),
        ]
        header = {
            "source": source, "leaning": sorted(self._leaning), "total": sum(self._freqs.values()),
            "singles": {w: f for w, f in sorted(self._freqs.items()) if len(w) == 1},
            "firsts": "".join(firsts), "sizes": [len(p) for p in parts],
        }
        return json.dumps(header, ensure_ascii=False).encode("utf-8") + b"\n" + b"".join(parts)

    @classmethod
    def from_dictionary(cls, path: Path) -> Lexicon:
        """The lexicon of a dictionary in jieba's format (``word freq [tag]`` per line)."""
        freqs: dict[str, int] = {}
        leaning = set()
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                word, freq, *tag = line.split()
                if len(word) <= MAX_WORD and freq.isdigit() and int(freq) > 0:
                    freqs[word] = int(freq)
                    if len(word) == 1 and tag and tag[0] in LEANING_TAGS:
                        leaning.add(word)
        return cls(freqs, char_counts(freqs), frozenset(leaning))

    def word_logp(self, word: str) -> float | None:
        """Log-probability of ``word`` as one token, or None when it is not a known word."""
        freq = self._freqs.get(word)
        return None if freq is None else math.log(freq) - self._log_total

    def char_logp(self, char: str) -> float:
        """Log-probability of ``char`` standing outside any known word."""
        return self._char_logp.get(char, self._unknown_char)

    def leans_forward(self, char: str) -> bool:
        """True for a one-character word that cannot end a clause (本, 各, 由, 和, 也 …)."""
        return char in self._leaning

    @property
    def leaning(self) -> frozenset[str]:
        """The one-character words that lean forward (``leans_forward``)."""
        return self._leaning

    def common_chars(self, least: float) -> list[str]:
        """The characters whose share of running text (``char_share``) is at least ``least``."""
        return [char for char, share in self._char_share.items() if share >= least]

    def char_share(self, char: str) -> float:
        """Log of ``char``'s share of all characters in running text (word frequencies weighted)."""
        return self._char_share.get(char, self._unknown_share)

    @cached_property
    def lattice(self) -> Lattice | None:
        """The compiled lattice over the compiled lexicon's tables (built at first use: a
        clean text never asks), or None where the lattice is computed here."""
        return self._freqs.lattice(self._char_logp, self._unknown_char, self._log_total) if self._compiled else None

    def in_word(self, text: str, index: int) -> bool:
        """True when some known word of two or more characters covers ``text[index]``. Only
        pieces reaching past ``index`` are looked up, the shortest first; a piece that is no
        word's beginning ends the search from its start (most characters open none)."""
        if self.lattice is not None:
            return self.lattice.in_word(text, index)
        opening, size = self._opening, len(text)
        for start in range(max(0, index - MAX_WORD + 1), index + 1):
            pieces = opening.get(text[start])  # the loaded bucket at once: this is the hot path
            if pieces is None:
                pieces = self._pieces_of(text[start])
            for end in range(max(start + 2, index + 1), min(size, start + MAX_WORD) + 1):
                freq = pieces.get(text[start:end])
                if freq:
                    return True
                if freq is None:
                    break
        return False

    def support(self, text: str, index: int) -> tuple[float, bool]:
        """How well ``text[index]`` is explained as a genuine character in its context, and
        whether a known word covers it.

        The best segmentation of ``text`` against the best of its two sides with the character
        taken out, so that a symbol's log-probability minus this is a likelihood ratio of the
        unigram model. Without a word covering ``index`` this is the lone character's score.
        """
        if self.lattice is not None:
            return self.lattice.support(text, index)
        return self._support_here(text, index)

    def support_around(self, text: str, index: int, masked: tuple[int, ...] = ()) -> tuple[float, bool]:
        """``support`` of ``text[index]`` in its window of ``text`` (up to ``MAX_WORD`` - 1
        characters on each side), the characters at the ``masked`` positions of ``text``
        read as ``MASK`` (no character of any word)."""
        if self.lattice is not None:
            return self.lattice.support_around(text, index, masked)
        start = max(0, index - MAX_WORD + 1)
        window = text[start : index + MAX_WORD]
        if masked:
            chars = list(window)
            for j in masked:
                if 0 <= j - start < len(chars):
                    chars[j - start] = MASK
            window = "".join(chars)
        return self._support_here(window, index - start)

    @lru_cache(maxsize=1 << 18)
    def _support_here(self, text: str, index: int) -> tuple[float, bool]:
        """``support`` computed in Python (where the lattice is not compiled: remembered, as
        damaged text repeats its windows)."""
        if not self.in_word(text, index):
            return self.char_logp(text[index]), False
        words = self._words_in(text)
        whole = self._best(text, words, 0)
        return whole[-1] - whole[index] - self._best(text, words, index + 1)[-1], True

    def _pieces_of(self, first: str) -> Mapping[str, int]:
        """The words opening with ``first`` (and the beginnings of longer ones, frequency 0)."""
        pieces = self._opening.get(first)
        if pieces is None:
            pieces = self._opening[first] = self._pieces(first)
        return pieces

    def _words_in(self, text: str) -> list[list[tuple[int, float]]]:
        """For each position of ``text``, the (end, log-probability) of the known words of two
        or more characters that open there."""
        found: list[list[tuple[int, float]]] = []
        log_total, log = self._log_total, math.log
        size = len(text)
        for start, first in enumerate(text):
            pieces = self._pieces_of(first)
            freq = pieces.get(text[start : start + 2]) if start + 2 <= size else None
            if freq is None:  # most characters open no word: one look-up
                found.append([])
                continue
            ends = [(start + 2, log(freq) - log_total)] if freq else []
            for end in range(start + 3, min(size, start + MAX_WORD) + 1):
                freq = pieces.get(text[start:end])
                if freq is None:
                    break
                if freq:
                    ends.append((end, log(freq) - log_total))
            found.append(ends)
        return found

    def _best(self, text: str, words: list[list[tuple[int, float]]], start: int) -> list[float]:
        """Log-probabilities of the best segmentations of ``text[start:start + k]`` into
        ``words`` (``_words_in``) or lone characters, for every k up to the end."""
        scores = [0.0] + [-math.inf] * (len(text) - start)
        char_logp, unknown = self._char_logp, self._unknown_char
        for at in range(start, len(text)):
            base = scores[at - start]
            value = base + char_logp.get(text[at], unknown)
            if value > scores[at - start + 1]:
                scores[at - start + 1] = value
            for stop, logp in words[at]:
                if base + logp > scores[stop - start]:
                    scores[stop - start] = base + logp
        return scores


def _by_first(freqs: Mapping[str, int]) -> Callable[[str], dict[str, int]]:
    """Look-up of the words of ``freqs`` opening with a character, with the beginnings of
    longer words that are no words themselves (frequency 0)."""
    groups: dict[str, dict[str, int]] = {}
    for prefix in _prefixes_only(freqs):
        groups.setdefault(prefix[0], {})[prefix] = 0
    for word, freq in freqs.items():
        groups.setdefault(word[0], {})[word] = freq
    return lambda first: groups.get(first, {})


def _prefixes_only(words: Iterable[str]) -> list[str]:
    """The beginnings (two characters or more) of longer ``words`` that are not among them,
    sorted: where a look-up of longer pieces can stop."""
    known = set(words)
    return sorted({word[:end] for word in known for end in range(2, len(word))} - known)


def _joined(words: list[str]) -> bytes:
    return "\n".join(words).encode("utf-8") + b"\n"


def char_counts(freqs: dict[str, int]) -> dict[str, int]:
    """Each character's count over the words of ``freqs``, weighted by word frequency."""
    chars: Counter[str] = Counter()
    for word, freq in freqs.items():
        for char in word:
            chars[char] += freq
    return dict(chars)


def _bucket_ends(words: list[str], firsts: list[str]) -> list[int]:
    """For each first character in turn, where its words end in ``words`` (sorted): the byte
    offset in the newline-joined blob and the word count, interleaved (where one character's
    words end, the next one's begin)."""
    ends, offset, n = [], 0, 0
    for first in firsts:
        while n < len(words) and words[n][0] == first:
            offset += len(words[n].encode("utf-8")) + 1
            n += 1
        ends += [offset, n]
    return ends


class _Words(Mapping[str, int]):
    """Word frequencies of a compiled lexicon, read a first character's words at a time when
    one of them is first looked up (a clean page asks about a few dozen of 350,000)."""

    def __init__(self, blob: bytes, freqs: bytes, firsts: str, ends: bytes, prefixes: bytes, prefix_ends: bytes) -> None:
        self._blob = blob
        self._freqs = _unsigned(freqs, "I")
        self._prefixes = prefixes
        self._firsts = dict(zip(firsts, range(len(firsts))))
        self._ends = [0, 0, *_unsigned(ends, "I")]
        self._prefix_ends = [0, 0, *_unsigned(prefix_ends, "I")]
        self._buckets: dict[str, dict[str, int]] = {}

    def bucket(self, first: str) -> dict[str, int]:
        """The words opening with ``first`` and their frequencies, and the beginnings of
        longer ones that are no words themselves with frequency 0."""
        bucket = self._buckets.get(first)
        if bucket is None:
            bucket = {}
            k = self._firsts.get(first)
            if k is not None:
                start, end = self._prefix_ends[2 * k], self._prefix_ends[2 * k + 2]
                bucket.update(dict.fromkeys(_split(self._prefixes, start, end), 0))
                start, first_word, end, last_word = self._ends[2 * k : 2 * k + 4]
                bucket.update(zip(_split(self._blob, start, end), self._freqs[first_word:last_word]))
            self._buckets[first] = bucket
        return bucket

    def lattice(self, char_logp: dict[str, float], unknown_char: float, log_total: float) -> Lattice:
        """The compiled word lattice over these tables, with the lexicon's lone-character
        scores."""
        return Lattice(self._blob, self._freqs, self._prefixes, "".join(self._firsts), self._ends[3::2],
                       self._prefix_ends[3::2], char_logp, unknown_char, log_total)

    def __getitem__(self, word: str) -> int:
        freq = self.get(word)
        if freq is None:
            raise KeyError(word)
        return freq

    def get(self, word: str, default: int | None = None) -> int | None:  # type: ignore[override]
        return (self.bucket(word[0]).get(word) or default) if word else default

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word) is not None

    def __iter__(self) -> Iterator[str]:
        for first in self._firsts:
            yield from (word for word, freq in self.bucket(first).items() if freq)

    def __len__(self) -> int:
        return len(self._freqs)


def _unsigned(blob: bytes, code: str) -> array:
    """Little-endian unsigned integers (``code``: array's "I", 4 bytes, or "Q", 8) read from ``blob``."""
    values = array(code, blob)
    if sys.byteorder == "big":
        values.byteswap()
    return values


def _little_endian(values: list[int], code: str) -> bytes:
    """``values`` stored as ``_unsigned`` reads them."""
    stored = array(code, values)
    if sys.byteorder == "big":
        stored.byteswap()
    return stored.tobytes()


def _split(blob: bytes, start: int, end: int) -> list[str]:
    return blob[start : end - 1].decode("utf-8").split("\n") if end > start else []
