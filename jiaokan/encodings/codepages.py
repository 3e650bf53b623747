"""Code-page mojibake: text whose bytes were decoded with the wrong code page.

A damaged span is re-encoded with the code page it was wrongly read as and decoded with the
one it was written in. A candidate is kept only when it is clearly better Chinese than the span
(``chinese_score``), so clean text, whose characters are already common, never changes.

>>> fix_span("¼ÎÐËÊÐ")
('嘉兴市', 'gbk read as latin-1')
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple
from functools import cache, lru_cache


from jiaokan.encodings.founder import is_shift_symbol
from jiaokan.encodings.lexicon import Lexicon, is_hanzi
from jiaokan.encodings.sloppy import register as register_sloppy_codecs
from jiaokan.encodings.symbols import range_class, ranges_without

# Where software falls back when it misreads a file: single-byte code pages (every byte is
# some character, so the misreading loses nothing), then the multi-byte ones (bytes they cannot
# read are lost as U+FFFD). "sloppy-windows-*" (sloppy.py) are the Windows code pages
# keeping their undefined bytes as C1 controls, as most software that misreads text does.
SINGLE_BYTE_READS = (
    "latin-1", "sloppy-windows-1252", "sloppy-windows-1250", "sloppy-windows-1251", "iso8859-2",
    "iso8859-15", "cp437", "cp850", "mac-roman", "koi8-r", "koi8-u", "ptcp154", "cp866",
    "mac-cyrillic", "iso8859-5", "sloppy-windows-1253", "iso8859-7", "sloppy-windows-1254",
    "sloppy-windows-1255", "sloppy-windows-1256", "sloppy-windows-1257", "sloppy-windows-1258",
)
# The code pages Chinese text is written in, and the decoder that reads each best.
WRITTEN = {"gbk": "gb18030", "utf-8": "utf-8", "big5": "big5hkscs"}
# (written in, read as): the misreadings jiaokan undoes, in order of preference on a tie.
# Adding a misreading is adding a pair.
PAIRS = (
    *((written, read) for read in SINGLE_BYTE_READS for written in WRITTEN),
    ("utf-8", "gbk"), ("big5", "gbk"), ("gbk", "big5"), ("utf-8", "big5"), ("utf-8", "shift_jis"),
    ("utf-8", "euc-kr"),
)
MULTI_BYTE_PAIRS = tuple(pair for pair in PAIRS if pair[1] not in SINGLE_BYTE_READS)
# A span misread twice is undone twice (UTF-8 read as Latin-1, saved as UTF-8, read again).
DEPTH = 2
# Where a wrong decoding met a byte it could not read it left U+FFFD: that byte is lost, and
# re-encoding skips it; the right decoding then marks the damaged character with U+FFFD.
# A candidate must beat the span by this many nats per character.
MARGIN = 2.5
# Once a text has shown a misreading clearly (KNOWN_SPANS spans at MARGIN), any of its spans
# need only be better Chinese under that same pair by KNOWN_MARGIN, rare hanzi or not: a lone
# 瘍 in 劳社部发[2008]3瘍 (号 in GBK read as Big5) is no longer a guess.
KNOWN_SPANS = 2
KNOWN_MARGIN = 0.5
# What a misreading the text has shown is worth against one it has not, per character.
KNOWN_PRIOR = 2.0
# Among re-decodings good enough, what each round that decoded well-formed UTF-8 is worth
# per character: other text is seldom well-formed UTF-8 (GBK hanzi one time in about 60),
# while GBK takes nearly any pair of high bytes.
UTF8_ROUND = 2.0
# What a reading pays per character for each round of misreading it undoes beyond one where
# it competes with readings of fewer rounds: a text misread once is likelier than one misread
# twice (某某某 in Big5 read as GBK, not 議議議 read twice).
ROUND_COST = 1.5
# When one misreading explains DOMINANT of a text's non-ASCII characters, the rest was misread
# the same way too: a span then only has to decode cleanly and score no worse than the span
# by more than DOMINANT_SLACK (某某某 shown as 議議議, 氨 as °±, 〔 as 〃).
DOMINANT = 0.9
DOMINANT_SLACK = 2.5
RARE_CHAR = -11.7
# The score of a character no Chinese text holds (a control, a Latin letter, U+FFFD).
UNREADABLE = -20.0
# The score of printable ASCII and of the marks and symbols of Chinese typography.
SYMBOL_SCORE = -8.0
# The score of a character whose bytes were partly lost: as likely as a common hanzi.
LOST_CHAR = -9.0
# The lead bytes of UTF-8 by the length of the character they start.
UTF8_LEADS = {2: (0xC2, 0xDF), 3: (0xE0, 0xEF), 4: (0xF0, 0xF4)}
# Chinese typography that single-byte code pages also hold (GB2312 row 1 among them: ××
# stands for a withheld name): never a misreading on its own.
TYPOGRAPHY = "“”‘’—…·•‰€™×÷°±§¨¤"
HANZI_BLOCKS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF))
# Classes of tens of thousands of code points (hanzi, hangul) are character classes given as
# text and compiled at their first use (``_compiled``): CPython takes 1–3 ms over each, and
# most texts never reach the searches that use them.
HANZI = range_class(HANZI_BLOCKS)
# Kana and hangul: UTF-8 read as Shift-JIS or EUC-KR.
KANA_HANGUL = "[\u3040-\u30fa\u30fd-\u30ff\uff61-\uff9f\uac00-\ud7af]"  # not ・ ー
# Runs a multi-byte misreading makes: anything but ASCII, CJK punctuation and full-width forms.
NON_ASCII_RUN = re.compile(r"[^\x00-\x7f\u3000-\u303f\uff01-\uff60\uffe0-\uffef]+")
# Once a text is known to be misread throughout, every run of non-ASCII characters.
ANY_RUN = re.compile(r"[^\x00-\x7f\s]+")
# A run a multi-byte misreading may have made from UTF-8, where ASCII bytes are characters,
# and from GBK or Big5, where an ASCII letter after a lead byte is its trail byte.
MULTI_BYTE_RUN = re.compile(r"[^\x00-\x7f]+")
DOUBLE_BYTE_RUN = re.compile(r"(?:[^\x00-\x7f][\x40-\x7e]?)+")
LATIN_LETTER = re.compile("[\u00c0-\u024f]")
CJK = "[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]"
# A span judged without the text's help is this long at least (one hanzi misread from UTF-8).
SHORTEST = 3
# A Latin-script text (French, Polish, German …): the characters single-byte code pages make
# are its accented letters, not misread bytes. It has LATIN_MARKS of them or more, at least
# LATIN_LETTERS ASCII letters for each, and at least LATIN_SCRIPT of them stand in words (créé,
# była: at most two thirds accented letters) or alone between non-letters (à). Measured: no
# misreading of the fixtures or of 300 laws under any pair qualifies; the five Latin-script
# PDFs of pdfminer's and pdfplumber's tests (French, Polish …) all do (9–2,139 marks). Its
# CJK characters count with the marks (a Chinese text misread by a multi-byte code page is
# hanzi with a few Cyrillic letters among them).
LATIN_MARKS = 8
LATIN_LETTERS = 3.0
LATIN_SCRIPT = 0.5
ASCII_LETTER = re.compile("[A-Za-z]")
# A Japanese text: hiragana make at least JAPANESE of its JAPANESE_MIN or more CJK characters
# (36% and 70% in pdfminer's two Japanese samples; Big5 read as GBK, which makes hiragana of
# the commonest hanzi, 中 A4A4 being い, at most 17% on 595 laws, 5% at the median).
JAPANESE = 0.3
JAPANESE_MIN = 50
HIRAGANA = re.compile("[\u3041-\u309f]")
CJK_OR_KANA = "[\u3041-\u30ff\u3400-\u4dbf\u4e00-\u9fff]"
PUNCTUATION_BLOCKS = (("\u2010", "\u206f"), ("\u3000", "\u303f"), ("\uff00", "\uffef"))


class Decoding(NamedTuple):
    """A re-decoding of a span: its text, the misreading undone, how many of its characters
    the losses in what it re-decoded may account for (a repeated misreading loses some in
    each round, and a character lost in the second is one or two bytes of the first),
    whether a single-byte misreading was undone on the way (which loses nothing), the code
    page the text was last decoded from, and how many of its rounds decoded well-formed
    UTF-8 (see UTF8_ROUND)."""

    text: str
    name: str
    inherited: int
    single_byte: bool
    written: str
    utf8_rounds: int


@dataclass(frozen=True)
class Mojibake:
    """A span of a line and what it decodes to."""

    start: int
    before: str
    after: str
    pair: str
    confidence: float
    lost: int = 0  # characters whose bytes the wrong decoder lost (U+FFFD in ``after``)

    @classmethod
    def repaired(cls, start: int, before: str, after: str, pair: str, confidence: float) -> Mojibake:
        """A span whose repair ``after`` counts its lost characters, at 0.6 at most if any."""
        lost = after.count("\ufffd")
        return cls(start, before, after, pair, min(confidence, 0.6) if lost else confidence, lost)


@cache
def t2s_converter():
    """OpenCC's traditional → simplified converter, made once per process."""
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1 << 16)
def chinese_score(text: str) -> float:
    """Mean log-probability per character under the lexicon (higher is more like Chinese).

    Hanzi score their lexicon probability, CJK and full-width punctuation, the symbols of
    GB2312 rows 1–9 (÷ × ± …) and printable ASCII a fixed plausible score, anything else
    (Latin-1 letters, controls, U+FFFD) as very rare.
    """
    if not text:
        return -30.0
    simplified = t2s_converter().convert(text)
    return sum(map(_char_score, simplified)) / len(simplified)


@lru_cache(maxsize=1 << 16)
def _char_score(char: str) -> float:
    if is_hanzi(char):
        return Lexicon.default().char_share(char)
    return SYMBOL_SCORE if (char.isascii() and char.isprintable()) or _plausible_symbol(char) else UNREADABLE


@lru_cache(maxsize=1 << 14)
def fix_span(
    span: str, pairs: tuple[tuple[str, str], ...] = PAIRS, margin: float = MARGIN, known: bool = False
) -> tuple[str, str] | None:
    """The best re-decoding of ``span`` under ``pairs`` when it is Chinese better than the span
    by ``margin`` nats per character (``_span_score``, ``_decoding_score``), with the name of
    the misreading undone; among those, each round that decoded well-formed UTF-8 counts
    UTF8_ROUND. At most half of a re-decoding may be characters it could not read. A
    re-decoding must hold a CJK character and no Latin letter, and a single-byte misreading of
    a span with nothing lost (no U+FFFD, nor one shown misread: ï¿½) must come back whole
    (Müller, ÄÖÜ stay). ``known``: the text is known to be misread under ``pairs``."""
    lost = span.count("\ufffd") + sum(span.count(shown) for shown in _replacements_misread())
    least = _span_score(span, pairs, known) + margin
    own_kana = _compiled(KANA_HANGUL).search(span) is not None
    best: tuple[float, str, str] | None = None
    for decoding in _decodings(span, pairs, DEPTH):
        decoded = decoding.text
        if not _compiled(CJK).search(decoded) or LATIN_LETTER.search(decoded):
            continue
        if not lost and decoding.single_byte and "\ufffd" in decoded:
            continue
        score = _decoding_score(decoding, own_kana)
        ranked = score + UTF8_ROUND * decoding.utf8_rounds
        if score >= least and (best is None or ranked > best[0]):
            best = (ranked, decoded, decoding.name)
    return None if best is None else (best[1], best[2])


def _span_score(span: str, pairs: tuple[tuple[str, str], ...], known: bool) -> float:
    """``chinese_score`` of a span as it stands, characters lost (U+FFFD) left out. In a text
    ``known`` to be misread under ``pairs``, what their code pages make is no Chinese
    typography in the span (``_junk_made``; GB2312 holds box drawing, Greek, Cyrillic and
    kana, which otherwise score as symbols: 氯 in GBK read as KOI8-R is бх, in UTF-8 read as
    Shift-JIS 豌ｯ; 某 in Big5 read as KOI8-R ╛Y)."""
    kept = span.replace("\ufffd", "")
    score = chinese_score(kept)
    if known and (junk := sum(span.count(c) for c in _junk_made(pairs))):
        score += junk * (UNREADABLE - SYMBOL_SCORE) / max(1, len(kept))
    return score


def _decoding_score(decoding: Decoding, own_kana: bool) -> float:
    """``_lossy_score`` of a re-decoding. Kana or hangul that decoding GBK or Big5 makes where
    the span had none (``own_kana``) score as unreadable: both hold kana among their symbols,
    where misread bytes land (“引誘 re-read as Big5 from GBK is ¨ま护). A misreading undone
    twice pays ROUND_COST; a chain does not (its first round reads as junk either way, and
    costing it made chains worse)."""
    decoded = decoding.text
    score = _lossy_score(decoded, decoding.inherited)
    if decoding.written != "utf-8" and not own_kana and (made := len(_compiled(KANA_HANGUL).findall(decoded))):
        score += made * (UNREADABLE - SYMBOL_SCORE) / len(decoded)
    if decoding.name.endswith(" twice"):
        score -= ROUND_COST
    return score


@cache
def _junk_made(pairs: tuple[tuple[str, str], ...]) -> frozenset[str]:
    """What the code pages ``pairs`` read with make of high bytes that scores as a symbol:
    everything a single-byte code page makes (box drawing, ×, Cyrillic: a text misread by it
    shows its own marks as such junk too), and the letters of other scripts (Greek, Cyrillic,
    kana) a multi-byte one makes. Latin letters and hangul score as unreadable already."""
    register_sloppy_codecs()
    reads = {read for _, read in pairs}
    made = {c for read in reads & set(SINGLE_BYTE_READS) for c in _high_byte_chars(read)}
    made.update(c for c in _foreign_letters() if any(_makes(read, c) for read in reads))
    return frozenset(c for c in made if _char_score(c) == SYMBOL_SCORE)


@cache
def _foreign_letters() -> tuple[str, ...]:
    """The letters of Greek, Cyrillic and kana that score as symbols."""
    blocks = (range(0x370, 0x500), range(0x3041, 0x3100), range(0xFF66, 0xFF9E))
    return tuple(c for block in blocks for c in map(chr, block) if c.isalpha() and _char_score(c) == SYMBOL_SCORE)


def _makes(read: str, char: str) -> bool:
    """Whether code page ``read`` has ``char`` for some high bytes."""
    try:
        return not char.encode(read).isascii()
    except UnicodeEncodeError:
        return False


@cache
def _replacements_misread() -> frozenset[str]:
    """U+FFFD written in UTF-8 and read by a single-byte code page (ï¿½ in Latin-1): a text
    that lost characters in an earlier misreading, then misread again."""
    register_sloppy_codecs()
    return frozenset(b"\xef\xbf\xbd".decode(read, errors="replace") for read in SINGLE_BYTE_READS)


def _lossy_score(decoded: str, lost: int) -> float:
    """``chinese_score`` where the characters lost before (``lost`` of the U+FFFD) are no
    evidence either way, and any further U+FFFD, a loss the re-decoding made, counts as rare."""
    kept = decoded.replace("\ufffd", "")
    made = max(0, decoded.count("\ufffd") - lost)
    if not kept:
        return chinese_score(decoded)
    return (chinese_score(kept) * len(kept) + made * UNREADABLE) / (len(kept) + made)


def _decodings(span: str, pairs: tuple[tuple[str, str], ...], depth: int, hole: int = 1) -> Iterator[Decoding]:
    """Every re-decoding of ``span`` under ``pairs``, and of those that still look misread,
    their own re-decodings under every pair (a misreading repeated). A character lost
    (U+FFFD) in ``span`` took 1 to ``hole`` bytes."""
    register_sloppy_codecs()
    seen = {span}
    single = _single_byte_run(span)
    raw_of: dict[str, list[bytes] | None] = {}
    for written, read in pairs:
        if (read in SINGLE_BYTE_READS) != single:
            continue
        if read not in raw_of:
            try:
                raw_of[read] = [piece.encode(read) for piece in span.split("\ufffd")]
            except UnicodeEncodeError:
                raw_of[read] = None
        if (pieces := raw_of[read]) is None:
            continue
        decoded = _decode_pieces(pieces, WRITTEN[written], hole)
        if single and "\ufffd" in decoded and b" " in b"".join(pieces) and _reads_no_break_space(read):
            # byte A0 read as a no-break space, which copying made a space (根 = E6 A0 B9: "æ ¹")
            again = _decode_pieces([_no_break_spaces(piece, written) for piece in pieces], WRITTEN[written], hole)
            decoded = decoded if "\ufffd" in again else again
        if decoded in seen or (decoded.count("\ufffd") - span.count("\ufffd")) * 2 > len(decoded):
            continue
        seen.add(decoded)
        name = _name((written, read))
        utf8 = int(written == "utf-8" and not decoded.isascii() and _well_formed_utf8(pieces))
        yield Decoding(decoded, name, span.count("\ufffd") * hole, single, written, utf8)
        # still misread: single-byte, mostly hanzi and most of them rare, or hanzi among Latin
        # letters (what GBK makes of UTF-8: its pinyin row holds à and é)
        if depth > 1 and (_single_byte_run(decoded) or _mostly_rare_hanzi(decoded)
                          or (single and LATIN_LETTER.search(decoded) and _compiled(HANZI).search(decoded))):
            again = _decodings(decoded, _after((written, read)), depth - 1, _widest(read))
        elif depth > 1 and not single:  # a multi-byte misreading repeated reads as hanzi between
            again = _decodings(decoded, ((written, read),), depth - 1, _widest(read))
        else:
            continue
        for inner in again:
            yield inner._replace(name=_repeated(name, inner.name), single_byte=single or inner.single_byte,
                                 utf8_rounds=utf8 + inner.utf8_rounds)


def _well_formed_utf8(pieces: list[bytes]) -> bool:
    """Whether every piece of a span's bytes is well-formed UTF-8."""
    try:
        for piece in pieces:
            piece.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _mostly_rare_hanzi(text: str) -> bool:
    """Hanzi make most of ``text``, and rare ones most of them (what a multi-byte decoder
    makes of another's bytes; its marks and lost characters stand among them)."""
    hanzi = len(_compiled(HANZI).findall(text))
    return hanzi * 2 > len(text) and _rare_hanzi(text) * 2 > hanzi


@cache
def _reads_no_break_space(read: str) -> bool:
    return b"\xa0".decode(read, errors="replace") == "\xa0"


def _no_break_spaces(raw: bytes, written: str) -> bytes:
    """``raw`` with each space that stands where a character's next byte must be made byte
    A0 (a UTF-8 continuation byte, a GBK or Big5 trail byte); other spaces stay."""
    out = bytearray(raw)
    awaited = 0  # bytes the character begun still needs
    for k, byte in enumerate(raw):
        if awaited:
            if byte == 0x20:
                out[k] = 0xA0
            awaited -= 1
        elif written == "utf-8":
            awaited = next((width - 1 for width, (low, high) in UTF8_LEADS.items() if low <= byte <= high), 0)
        else:
            awaited = 1 if byte >= 0x81 else 0
    return bytes(out)


@cache
def _after(pair: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    """The misreadings that may have come before ``pair``: any but its reverse (Big5 read as
    GBK is not undone by undoing GBK read as Big5 after it)."""
    return tuple(other for other in PAIRS if other != pair[::-1])


def _widest(codec: str) -> int:
    """The most bytes one character takes in ``codec`` as a misreading decodes it."""
    return 1 if codec in SINGLE_BYTE_READS else 2


def _decode_pieces(pieces: list[bytes], codec: str, hole: int = 1) -> str:
    """The bytes between lost characters decoded, one U+FFFD for each lost character. A
    character lost took 1 to ``hole`` bytes: one where a wrong decoder lost it, a character
    of the text it decoded where a text misread twice lost it in the second round."""
    if len(pieces) == 1:
        return pieces[0].decode(codec, errors="replace")
    seq: list[int | None] = list(pieces[0])
    maybe: set[int] = set()
    for piece in pieces[1:]:
        maybe.update(range(len(seq) + 1, len(seq) + hole))
        seq += [None] * hole + list(piece)
    return _decode_with_holes(seq, codec, maybe)


def _decode_with_holes(seq: list[int | None], codec: str, maybe: set[int]) -> str:
    """A byte sequence with lost bytes (None; a wrong decoder loses one byte per U+FFFD; those
    at ``maybe`` may not have been there, anywhere in a character) read as the text it was:
    the split into characters that reads as the best Chinese, a character with a lost byte
    being U+FFFD. Whether a lost byte was a lead byte or a trail byte decides how the bytes
    after it pair up (a wrong decoder that drops a lead byte reads on from its trail byte)."""
    characters = _utf8_characters_at if codec == "utf-8" else _double_byte_characters_at
    scores = [-math.inf] * (len(seq) + 1)
    back: list[tuple[int, str]] = [(0, "")] * (len(seq) + 1)  # where the best path came from
    scores[0] = 0.0
    for i in range(len(seq)):
        if scores[i] == -math.inf:
            continue
        steps = characters(seq, i, codec, maybe)
        for width, char, cost in ((1, "", 0.0), *steps) if i in maybe else steps:
            if scores[i] + cost > scores[i + width]:
                scores[i + width] = scores[i] + cost
                back[i + width] = (i, char)
    chars, at = [], len(seq)
    while at:
        at, char = back[at]
        chars.append(char)
    return "".join(reversed(chars))


def _following(
    seq: list[int | None], start: int, count: int, maybe: set[int]
) -> Iterator[tuple[int, tuple[int | None, ...]]]:
    """Every way to take ``count`` bytes from ``start`` on, the lost bytes at ``maybe`` taken or
    not (they may not have been there): where they end, and the bytes."""
    if count == 0:
        yield start, ()
        return
    if start >= len(seq):
        return
    for end, rest in _following(seq, start + 1, count - 1, maybe):
        yield end, (seq[start], *rest)
    if start in maybe:
        yield from _following(seq, start + 1, count, maybe)


def _utf8_characters_at(seq: list[int | None], i: int, codec: str, maybe: set[int]) -> Iterator[tuple[int, str, float]]:
    """(places taken, character, score) for every UTF-8 character the sequence may hold at
    ``i``: a lost byte is a lead byte or a continuation byte."""
    first = seq[i]
    if first is not None and first < 0x80:
        yield 1, chr(first), _char_score(chr(first))
        return
    widths = (2, 3, 4) if first is None else [n for n, (low, high) in UTF8_LEADS.items() if low <= first <= high]
    for width in widths:
        for end, rest in _following(seq, i + 1, width - 1, maybe):
            if any(b is not None and not 0x80 <= b <= 0xBF for b in rest):
                continue
            if first is None or None in rest:
                yield end - i, "\ufffd", LOST_CHAR
                continue
            try:
                char = bytes((first, *rest)).decode(codec)
            except UnicodeDecodeError:
                continue
            yield end - i, char, _char_score(t2s_converter().convert(char))
    yield 1, "\ufffd", LOST_CHAR if first is None else UNREADABLE


def _double_byte_characters_at(
    seq: list[int | None], i: int, codec: str, maybe: set[int]
) -> Iterator[tuple[int, str, float]]:
    """(places taken, character, score) for every character the sequence may hold at ``i``."""
    first = seq[i]
    if first is not None and first < 0x80:
        yield 1, chr(first), _char_score(chr(first))
        return
    ends = list(_following(seq, i + 1, 1, maybe)) or [(i + 1, (-1,))]  # -1: the end of the sequence
    for end, (second,) in ends:
        if first is not None and second is not None and second >= 0:
            try:
                char = bytes((first, second)).decode(codec)
            except UnicodeDecodeError:
                pass
            else:
                yield end - i, char, _char_score(t2s_converter().convert(char))
        if second == -1 or (second is not None and second < 0x40):
            yield 1, "\ufffd", LOST_CHAR if first is None else UNREADABLE
        elif first is None or second is None:
            yield end - i, "\ufffd", LOST_CHAR
        else:
            yield 1, "\ufffd", UNREADABLE


def is_suspicious(line: str, marked: bool = True) -> bool:
    """A line with a run of characters that single-byte code pages make of high bytes, kana or
    hangul (only where it is ``marked``: it holds one of their characters), or in which rare
    hanzi are common."""
    if marked and (_single_byte_pattern().search(line) or len(_compiled(KANA_HANGUL).findall(line)) >= 2):
        return True
    rare = _rare_hanzi(line)
    return rare >= 2 and rare * 4 >= _compiled(HANZI).subn("", line)[1]


def suspicious_lines(text: str) -> list[int]:
    """0-based numbers of the suspicious lines. Scans of the whole text for what a gate match
    needs find the few lines worth the full gate (no gate match spans a line break): a mark
    of a single-byte misreading, kana or hangul (one class), and two rare hanzi at most four
    characters apart (a class of thousands of hanzi takes milliseconds to compile: each is
    compiled once)."""
    found, number, start = [], 0, 0
    marks = _gate_marks()
    mark, pair = marks.search(text), _rare_pair(text, 0)  # each one's next place
    while mark or pair is not None:
        at = mark.start() if pair is None or mark and mark.start() < pair else pair
        number += text.count("\n", start, at)
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at) % (len(text) + 1)
        line = text[start:end]
        marked = mark is not None and mark.start() <= end  # else the line holds no mark, kana or hangul
        if _gated(line, marked) and is_suspicious(line, marked):
            found.append(number)
        if marked:
            mark = marks.search(text, end + 1)
        if pair is not None and pair <= end:
            pair = _rare_pair(text, end + 1)
    return found


def _rare_pair(text: str, start: int) -> int | None:
    """Where the first two rare hanzi at most four characters apart in one line stand in
    ``text`` from ``start`` on (the first one's place), or None."""
    previous = -5
    for match in _rare_pattern().finditer(text, start):
        at = match.start()
        if at - previous <= 4 and "\n" not in text[previous:at]:
            return previous
        previous = at
    return None


def _gated(line: str, marked: bool) -> bool:
    """The gate: a single-byte misreading, kana or hangul (only where the line is ``marked``:
    it holds one of their characters), or two rare hanzi at most four characters apart."""
    if marked and (_single_byte_pattern().search(line) or _compiled(KANA_HANGUL).search(line)):
        return True
    rare = [match.start() for match in _rare_pattern().finditer(line)]
    return any(b - a <= 4 for a, b in zip(rare, rare[1:]))


def _plausible_symbol(char: str) -> bool:
    """Punctuation and symbols of Chinese typography (GB2312 rows 1–9, CJK and full-width
    punctuation); not the accented letters of row 8 (pinyin á, ü), which misreadings make."""
    return ("\u00c0" > char or char > "\u024f") and (is_shift_symbol(char) or any(a <= char <= b for a, b in PUNCTUATION_BLOCKS))


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    """A class of the constants above, compiled once it is used."""
    return re.compile(pattern)


def _rare_hanzi(text: str) -> int:
    return len(_rare_pattern().findall(text))


@cache
def _rare_pattern() -> re.Pattern[str]:
    """A class of the hanzi whose share of running text is below ``RARE_CHAR``: all but the
    lexicon's common ones."""
    common = Lexicon.default().common_chars(RARE_CHAR)
    return re.compile(range_class(ranges_without(HANZI_BLOCKS, map(ord, common))))


@cache
def _high_set() -> frozenset[str]:
    """What the single-byte code pages make of bytes 0x80–0xFF but the marks of Chinese
    typography, and U+FFFD (a byte a lenient decoder lost)."""
    chars = {c for read in SINGLE_BYTE_READS for c in _high_byte_chars(read)}
    return frozenset(chars - set(TYPOGRAPHY) | {"\ufffd"})


@cache
def _high_chars() -> str:
    """``_high_set`` as a character class body."""
    return "".join(re.escape(c) for c in sorted(_high_set()))


@cache
def _high_byte_chars(read: str) -> frozenset[str]:
    """What single-byte code page ``read`` makes of bytes 0x80–0xFF. A sloppy Windows code
    page is its Windows one with the undefined bytes read as the C1 controls Latin-1 reads
    them as: the Windows one and Latin-1 give the same characters (no codec to register)."""
    return frozenset(bytes(range(0x80, 0x100)).decode(read.replace("sloppy-windows-", "cp"), errors="ignore"))


@cache
def _single_byte_pattern(loose: bool = False) -> re.Pattern[str]:
    """Two or more characters of a single-byte misreading, at least one of them no mark of
    Chinese typography, with the marks and ASCII letters (Big5 and GBK trail bytes) that may
    stand among them; ``loose``, for texts known to be misread: also one character and the
    ASCII letter after it (年 in Big5 read as Latin-1 is ¦~), and marks alone (氨 is °±)."""
    high, typography = _high_chars(), re.escape(TYPOGRAPHY)
    mark = f"[{high}{typography}][\\x40-\\x7e]?"
    # a space between two may be a no-break space (byte A0) that copying made a space
    if loose:
        return re.compile(f"(?={mark} ?{mark}|[{high}{typography}][\\x40-\\x7e])(?:{mark})(?: ?{mark})* ?")
    return re.compile(f"(?={mark} ?{mark})(?:[{typography}][\\x40-\\x7e]?)*[{high}][\\x40-\\x7e]?(?: ?{mark})* ?")


@cache
def _rest_pattern() -> re.Pattern[str]:
    """What is left of a text known to be misread: single-byte runs (a mark and its trail
    byte too), or any run of non-ASCII characters."""
    return re.compile(f"{_single_byte_pattern(loose=True).pattern}|{ANY_RUN.pattern}")


def _single_byte_run(text: str) -> bool:
    return _single_byte_pattern(loose=True).fullmatch(text) is not None


@cache
def _gate_marks() -> re.Pattern[str]:
    """A mark of a single-byte misreading, kana or hangul: the gate's characters but the rare hanzi."""
    return re.compile(f"[{_high_chars()}{KANA_HANGUL[1:-1]}]")


def undo_misreadings(text: str) -> dict[int, list[Mojibake]]:
    """``misread_spans``, then again on the lines they re-read, while they find something (a
    text misread twice shows its second misreading once the first is undone): a line re-read
    more than once is one span, from its first change to its last."""
    found = misread_spans(text)
    if not found:
        return found
    lines = text.split("\n")
    current = {n: _applied(lines[n], spans) for n, spans in found.items()}
    for _ in range(DEPTH):
        numbers = sorted(current)
        again = misread_spans("\n".join(current[n] for n in numbers), _undone_last(found))
        for k, spans in again.items():
            n = numbers[k]
            current[n] = _applied(current[n], spans)
            name = _repeated(found[n][0].pair, spans[0].pair)
            confidence = min(span.confidence for span in found[n] + spans)
            found[n] = [_line_change(lines[n], current[n], name, confidence)]
        if not again:
            break
    return found


def _undone_last(found: dict[int, list[Mojibake]]) -> Counter[str]:
    """The misreading undone last by the spans that undid two different ones, by name: where
    the first round found a chain on some lines, the round after it knows what the others
    still show. Spans re-read twice the same way are left out: in a text misread once, say
    Big5 read as GBK, a re-reading of a span's result that happens to score better looks like
    such a round, and taking it as known would re-read the lines already right."""
    names = (span.pair for spans in found.values() for span in spans)
    return Counter(name.rsplit(", then ", 1)[-1] for name in names if ", then " in name)


def _applied(line: str, spans: list[Mojibake]) -> str:
    """``line`` with its misread ``spans`` (sorted, apart) re-read."""
    for span in reversed(spans):
        line = line[: span.start] + span.after + line[span.start + len(span.before) :]
    return line


def _line_change(before: str, after: str, pair: str, confidence: float) -> Mojibake:
    """The one span in which line ``before`` and line ``after`` differ."""
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end = 0
    while end < min(len(before), len(after)) - start and before[-1 - end] == after[-1 - end]:
        end += 1
    return Mojibake.repaired(start, before[start : len(before) - end], after[start : len(after) - end], pair, confidence)


def misread_spans(text: str, shown: Counter[str] = Counter()) -> dict[int, list[Mojibake]]:
    """The misread spans of ``text`` by 0-based line, with their repairs: first where a line is
    clearly damaged; once a misreading has shown itself (here, or in the ``shown`` spans by
    misreading's name), every line again under it (and it wins over other readings of the
    spans already found); where it explains nearly all the text, whatever non-ASCII text is
    left, under it alone. A text written in a Latin-script language or in Japanese has none."""
    lines = text.split("\n")
    found = {n: spans for n in suspicious_lines(text) if (spans := _first_pass(lines[n]))}
    if (found or shown) and (written_in_latin_script(text) or written_in_japanese(text)):
        return {}  # asked only where there is something to search (the gate passes clean Chinese)
    # a span misread twice, or misread and then misread another way, shows its first
    # misreading too: the rounds of ``undo_misreadings`` undo the next on every line this
    # pass re-reads
    counts = Counter(_first_round(span.pair) for spans in found.values() for span in spans) + shown
    known = known_pairs(counts)
    for n, line in enumerate(lines) if known else ():
        if line.isascii():
            continue  # nothing to re-read (blank lines, numbers, Latin text)
        spans = _with_whole_runs(line, known, KNOWN_MARGIN, [_prefer(span, known, counts) for span in found.get(n, [])])
        if spans := spans + find_mojibake(line, known, KNOWN_MARGIN, spans, loose=True):
            # the rest of a line shown misread is misread alike (总理  某某某, not 議議議)
            on_line = tuple(pair for pair in known if any(span.pair == _name(pair) for span in spans))
            spans += find_mojibake(line, on_line, -DOMINANT_SLACK, spans, _rest_pattern(), confidence=0.8)
            found[n] = sorted(spans, key=lambda span: span.start)
    dominant = dominant_pair(text, [span for spans in found.values() for span in spans])
    for n, line in enumerate(lines) if dominant else ():
        if line.isascii():
            continue
        spans = _with_whole_runs(line, (dominant,), -DOMINANT_SLACK, found.get(n, []), confidence=0.8)
        if more := find_mojibake(line, (dominant,), -DOMINANT_SLACK, spans, _rest_pattern(), confidence=0.8):
            found[n] = sorted(spans + more, key=lambda span: span.start)
    return found


def written_in_latin_script(text: str) -> bool:
    """Whether ``text`` is written in a Latin-script language (see ``LATIN_SCRIPT``): a
    misreading search would take its accented letters for bytes (créé read as GBK is 殚,
    größere read as Big5 gr银e). A misreading of Chinese makes those characters in runs of
    their own (¼ÎÐËÊÐ), or hanzi (鍢夊叴), few ASCII letters among them."""
    limit = len(ASCII_LETTER.findall(text)) / LATIN_LETTERS  # the most marks and CJK characters it has
    marks = _counted(_high_pattern(), text, limit)
    if not LATIN_MARKS <= marks <= limit or marks + _counted(_compiled(CJK), text, limit - marks) > limit:
        return False
    inside = 0
    for word in _accented_word().finditer(text):
        accents = len(_high_pattern().findall(word.group()))
        if len(word.group()) == 1:
            beside = text[max(0, word.start() - 1) : word.start()] + text[word.end() : word.end() + 1]
            inside += accents * (not _high_pattern().search(beside))
        elif ASCII_LETTER.search(word.group()) and accents * 3 <= len(word.group()) * 2:
            inside += accents
        if inside >= LATIN_SCRIPT * marks:
            return True
    return False


def written_in_japanese(text: str) -> bool:
    """Whether hiragana make at least ``JAPANESE`` of the text's CJK characters: a misreading
    search would take its kana among kanji for Big5 read as GBK (いいいて is no 中中中化)."""
    limit = len(HIRAGANA.findall(text)) / JAPANESE  # the most CJK characters it has
    return limit >= JAPANESE_MIN and JAPANESE_MIN <= _counted(_compiled(CJK_OR_KANA), text, limit) <= limit


def _counted(pattern: re.Pattern[str], text: str, limit: float) -> int:
    """How many matches of ``pattern`` ``text`` holds, counted up to the first beyond ``limit``
    (a large misread text is not counted through)."""
    count = 0
    for count, _ in enumerate(pattern.finditer(text), 1):
        if count > limit:
            break
    return count


@cache
def _high_pattern() -> re.Pattern[str]:
    """One of ``_high_set``."""
    return re.compile(f"[{_high_chars()}]")


@cache
def _accented_word() -> re.Pattern[str]:
    """A word of ASCII letters and the letters single-byte code pages make, one of them at least."""
    accented = re.escape("".join(sorted(c for c in _high_set() if c.isalpha())))
    return re.compile(f"[A-Za-z{accented}]*[{accented}][A-Za-z{accented}]*")


def _with_whole_runs(
    line: str, pairs: tuple[tuple[str, str], ...], margin: float, spans: list[Mojibake], confidence: float = 0.95
) -> list[Mojibake]:
    """``spans`` where a multi-byte misreading among ``pairs`` re-reads a whole run of non-ASCII
    characters: the run's re-reading replaces the spans inside it. A multi-byte decoder splits
    what it misread at the marks it makes (鍗＄悊 is 管理 read as GBK, ＄ among it), and at the
    bytes it lost; ASCII is a character of its own in UTF-8, but may be the trail byte of a
    GBK or Big5 character (〔 in Big5 read as GBK is �e: the lead byte lost, the trail an e)."""
    whole: list[Mojibake] = []
    for pair in (pair for pair in pairs if pair[1] not in SINGLE_BYTE_READS):
        runs = MULTI_BYTE_RUN if pair[0] == "utf-8" else DOUBLE_BYTE_RUN
        for match in runs.finditer(line):
            end = match.end()
            if any(span.start < end and match.start() < span.start + len(span.before) for span in whole):
                continue
            if fixed := _whole_run(match.group(), pair, margin):
                whole.append(Mojibake.repaired(match.start(), match.group(), *fixed, confidence))
    if not whole:
        return spans
    inside = [(span.start, span.start + len(span.before)) for span in whole]
    kept = [span for span in spans if not any(a < span.start + len(span.before) and span.start < b for a, b in inside)]
    return sorted(kept + whole, key=lambda span: span.start)


def _whole_run(run: str, pair: tuple[str, str], margin: float) -> tuple[str, str] | None:
    """The run re-read under ``pair``, or re-read twice (a text misread twice), with the name
    of what was undone: the one that reads best (the second round paying ROUND_COST), if
    better than the run by ``margin``; or a run that loses nothing more than the bytes
    already lost (one misread character whose last byte was lost; a round of rare hanzi
    whose next round is only such characters)."""
    least = chinese_score(run.replace("\ufffd", "")) + margin
    best: tuple[float, str, str] | None = None
    text, name, hole = run, _name(pair), 1
    for _ in range(DEPTH):
        decoded = _redecoded(text, pair, hole)
        if decoded is None or decoded == text:
            break
        inherited = text.count("\ufffd") * hole  # the characters a lost one may have been
        if not decoded.replace("\ufffd", ""):
            kept = text.replace("\ufffd", "")
            if len(decoded) <= inherited and (best is None or _rare_hanzi(kept) * 2 > len(kept)):
                return decoded, name  # the last round's text, rare hanzi, was misread again
            break
        score = _lossy_score(decoded, inherited) - (ROUND_COST if name.endswith(" twice") else 0.0)
        readable = _compiled(CJK).search(decoded) and not LATIN_LETTER.search(decoded)  # ā may stand between
        if readable and score >= least and (best is None or score > best[0]):
            best = (score, decoded, name)
        text, name, hole = decoded, f"{name} twice", _widest(pair[1])
    return best and best[1:]


def _redecoded(text: str, pair: tuple[str, str], hole: int = 1) -> str | None:
    """``text`` encoded as ``pair`` read it and decoded as it was written (U+FFFD: a lost
    character of 1 to ``hole`` bytes)."""
    register_sloppy_codecs()
    written, read = pair
    try:
        return _decode_pieces([piece.encode(read) for piece in text.split("\ufffd")], WRITTEN[written], hole)
    except UnicodeEncodeError:
        return None


def _first_pass(line: str) -> list[Mojibake]:
    """The misread spans of a line judged alone: runs of non-ASCII text that hold CJK marks
    re-read whole under the multi-byte misreadings first (a multi-byte decoder makes such
    marks, and a text misread twice is full of them), then what is left as ``find_mojibake``
    finds it."""
    whole = []
    for match in MULTI_BYTE_RUN.finditer(line):
        run = match.group()
        if len(run) >= SHORTEST and not NON_ASCII_RUN.fullmatch(run) and (fixed := fix_span(run, MULTI_BYTE_PAIRS)):
            whole.append(Mojibake.repaired(match.start(), run, *fixed, 0.95))
    return sorted(whole + find_mojibake(line, taken=whole), key=lambda span: span.start)


def find_mojibake(
    line: str, pairs: tuple[tuple[str, str], ...] = PAIRS, margin: float = MARGIN, taken: list[Mojibake] = (),
    runs: re.Pattern[str] | None = None, confidence: float = 0.95, loose: bool = False,
) -> list[Mojibake]:
    """Misread spans of ``line`` with their repairs, outside the spans already ``taken``.
    Spans are single-byte runs (``loose``: see ``_single_byte_pattern``) and runs of
    non-ASCII text, or the matches of ``runs``; clean lines give none. A span shorter than
    SHORTEST or a word of the lexicon is judged only in a text known to be misread
    (``loose``, or ``runs`` given)."""
    covered = sorted((span.start, span.start + len(span.before)) for span in taken)
    if all(piece.isascii() for _, piece in _uncovered(0, line, covered)):
        return []  # every span that could be misread is taken
    found = []
    for start, run in _runs(line, runs, loose):
        for start, run in _uncovered(start, run, covered):
            if fixed := _best_variant(start, run, pairs, margin, known=bool(loose or runs)):
                found.append(Mojibake.repaired(*fixed, confidence))
    return found


def _best_variant(
    start: int, run: str, pairs: tuple[tuple[str, str], ...], margin: float, known: bool
) -> tuple[int, str, str, str] | None:
    """(start, span, repair, pair) for the run itself if it re-decodes, else for the variant
    of it (``_trimmed``) that makes the run read best (``fix_span``; ``known``: in a text
    known to be misread under ``pairs``). Left as they are: spans of spaces (no-break spaces
    padding a line: mac-roman's CA CA is GBK's 适), spans shorter than SHORTEST of common
    hanzi (隱 of a clean line in a text misread as Big5), and, outside a known text, any span
    shorter than SHORTEST and words of the lexicon (秸秆, which a Big5 reading makes 調解)."""
    lexicon = Lexicon.default()

    def candidate(span: str) -> bool:
        if not span or span.isspace() or (not known and len(span) < SHORTEST):
            return False
        if len(span) < SHORTEST and all(map(is_hanzi, span)) and not _rare_hanzi(t2s_converter().convert(span)):
            return False
        return known or lexicon.word_logp(span) is None

    if candidate(run) and (fixed := fix_span(run, pairs, margin, known)):
        return start, run, *fixed
    best: tuple[float, tuple[int, str, str, str]] | None = None
    for at, span in _trimmed(start, run):
        if candidate(span) and (fixed := fix_span(span, pairs, margin, known)):
            # the run as it would read: what the variant leaves out stays as it is
            result = run[: at - start] + fixed[0] + run[at - start + len(span) :]
            total = chinese_score(result) * len(result)
            if best is None or total > best[0]:
                best = (total, (at, span, *fixed))
    return best and best[1]


def _prefer(span: Mojibake, known: tuple[tuple[str, str], ...], counts: Counter[str]) -> Mojibake:
    """A span re-read under a misreading the text shows more often, if that reads it about as
    well: within KNOWN_PRIOR when the span's own misreading is not one the text shows
    (某某某, not the Big5 reading 議議議, in a text misread from GBK); when it is, within the
    log of how much more often the text shows the other (at most KNOWN_PRIOR), less
    KNOWN_MARGIN unless both start from the same code page (code pages that share the span's
    bytes tie); and by ROUND_COST more for each round of misreading its own reading takes
    beyond the other's (某某某 in Big5 read as KOI8-R, not 后后后 read as cp437, then as Big5)."""
    own = chinese_score(span.after.replace("\ufffd", ""))
    first = _first_round(span.pair)
    seen = counts[first]
    for pair in known:
        if first == _name(pair):
            return span
        if seen < KNOWN_SPANS:
            slack = KNOWN_PRIOR
        else:
            slack = min(KNOWN_PRIOR, math.log(counts[_name(pair)] / seen))
            slack -= 0.0 if span.pair.startswith(f"{pair[0]} read as") else KNOWN_MARGIN
        fixed = fix_span(span.before, (pair,), KNOWN_MARGIN, known=True)
        if fixed:
            slack += ROUND_COST * (_rounds(span.pair) - _rounds(fixed[1]))
        if fixed and chinese_score(fixed[0].replace("\ufffd", "")) >= own - slack:
            after, name = fixed
            return Mojibake(span.start, span.before, after, name, span.confidence, after.count("\ufffd"))
    return span


def _runs(line: str, runs: re.Pattern[str] | None, loose: bool) -> list[tuple[int, str]]:
    """The candidate spans of a line, left to right, none overlapping."""
    if runs is not None:
        return [(m.start(), m.group()) for m in runs.finditer(line)]
    spans: list[tuple[int, str]] = []
    candidates = [(m.start(), m.group()) for m in _single_byte_pattern(loose).finditer(line)]
    candidates += [(m.start(), m.group()) for m in NON_ASCII_RUN.finditer(line)]
    for start, run in sorted(candidates, key=lambda span: -len(span[1])):  # the longer wins an overlap
        if all(start + len(run) <= at or at + len(other) <= start for at, other in spans):
            spans.append((start, run))
    return sorted(spans)


def _uncovered(start: int, run: str, taken: list[tuple[int, int]]) -> list[tuple[int, str]]:
    """The pieces of a run outside the (start, end) spans already ``taken``."""
    end, pieces = start + len(run), []
    at = start
    for left, right in taken:
        if right <= at or left >= end:
            continue
        if left > at:
            pieces.append((at, run[at - start : left - start]))
        at = max(at, right)
    if at < end:
        pieces.append((at, run[at - start :]))
    return pieces


def known_pairs(counts: Counter[str]) -> tuple[tuple[str, str], ...]:
    """The pairs a text has shown clearly (``counts``: spans by misreading's name),
    KNOWN_SPANS times or more, most frequent first."""
    known = [pair for pair in PAIRS if counts[_name(pair)] >= KNOWN_SPANS]
    return tuple(sorted(known, key=lambda pair: -counts[_name(pair)]))


def dominant_pair(text: str, spans: list[Mojibake]) -> tuple[str, str] | None:
    """The misreading that explains DOMINANT of the text's non-ASCII characters, if any."""
    if not spans:
        return None
    by_pair = Counter()
    for span in spans:
        by_pair[span.pair] += len(span.before)
    non_ascii = sum(len(run) for run in ANY_RUN.findall(text))
    name, chars = by_pair.most_common(1)[0]
    return next((pair for pair in PAIRS if _name(pair) == name), None) if chars >= DOMINANT * non_ascii else None


def _name(pair: tuple[str, str]) -> str:
    return f"{pair[0]} read as {pair[1]}"


def _rounds(name: str) -> int:
    """How many misreadings a span re-read by ``name`` undid (see ``_repeated``)."""
    return 1 + name.count(", then ") + name.endswith(" twice")


def _first_round(name: str) -> str:
    """The misreading undone first in a span re-read by ``name`` (see ``_repeated``)."""
    return name.split(", then ", 1)[0].removesuffix(" twice")


def _repeated(first: str, then: str) -> str:
    """The name of misreading ``first`` undone, then ``then``."""
    return f"{first} twice" if then == first else f"{first}, then {then}"


def _trimmed(start: int, run: str) -> list[tuple[int, str]]:
    """The run without its common (already clean) hanzi at either end, or without an ASCII
    letter at either end."""
    lexicon = Lexicon.default()
    left, right = 0, len(run)
    while left < right and is_hanzi(run[left]) and lexicon.char_share(run[left]) >= RARE_CHAR:
        left += 1
    while right > left and (is_hanzi(run[right - 1]) and lexicon.char_share(run[right - 1]) >= RARE_CHAR):
        right -= 1
    options = []
    if (left, right) != (0, len(run)) and right > left:
        options.append((start + left, run[left:right]))
    if len(run) > 2 and run[0].isascii():  # a letter at either end that was no trail byte
        options.append((start + 1, run[1:]))
    if len(run) > 2 and run[-1].isascii():
        options.append((start, run[:-1]))
    return options


def decode_name(raw: bytes) -> str:
    """A file name stored as bytes in an unknown code page (zip members without the UTF-8
    flag): the decoding that reads as the best Chinese (UTF-8 first when it decodes).

    >>> decode_name("文件.txt".encode("gbk"))
    '文件.txt'
    """
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    candidates = []
    for codec in ("gb18030", "big5", "cp437"):
        try:
            candidates.append(raw.decode(codec))
        except UnicodeDecodeError:
            continue
    return max(candidates, key=chinese_score)
