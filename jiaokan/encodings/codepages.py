"""Code-page mojibake: text whose bytes were decoded with the wrong code page.

A damaged span is re-encoded with the code page it was wrongly read as and decoded with the
one it was written in. A candidate is kept only when it is clearly better Chinese than the span
(``chinese_score``), so clean text, whose characters are already common, never changes.

>>> fix_span("¼ÎÐËÊÐ")
('嘉兴市', 'gbk read as latin-1')
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-windows-* codecs)

from jiaokan.encodings.founder import is_shift_symbol
from jiaokan.encodings.lexicon import Lexicon, is_hanzi

# Where software falls back when it misreads a file: single-byte code pages (every byte is
# some character, so the misreading loses nothing), then the multi-byte ones (bytes they cannot
# read are lost as U+FFFD). "sloppy-windows-*" (registered by ftfy) are the Windows code pages
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
# When one misreading explains DOMINANT of a text's non-ASCII characters, the rest was misread
# the same way too: a span then only has to decode cleanly and score no worse than the span
# by more than DOMINANT_SLACK (某某某 shown as 議議議, 氨 as °±, 〔 as 〃).
DOMINANT = 0.9
DOMINANT_SLACK = 2.5
RARE_CHAR = -11.7
# The score of a character no Chinese text holds (a control, a Latin letter, U+FFFD).
UNREADABLE = -20.0
# Chinese typography that single-byte code pages also hold (GB2312 row 1 among them: ××
# stands for a withheld name): never a misreading on its own.
TYPOGRAPHY = "“”‘’—…·•‰€™×÷°±§¨¤"
HANZI = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
# Kana and hangul: UTF-8 read as Shift-JIS or EUC-KR.
KANA_HANGUL = re.compile("[\u3040-\u30fa\u30fd-\u30ff\uff61-\uff9f\uac00-\ud7af]")  # not ・ ー
# Runs a multi-byte misreading makes: anything but ASCII, CJK punctuation and full-width forms.
NON_ASCII_RUN = re.compile(r"[^\x00-\x7f\u3000-\u303f\uff01-\uff60\uffe0-\uffef]+")
# Once a text is known to be misread throughout, every run of non-ASCII characters.
ANY_RUN = re.compile(r"[^\x00-\x7f\s]+")
NEWLINE = re.compile("\n")
LATIN_LETTER = re.compile("[\u00c0-\u024f]")
CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
# A span judged without the text's help is this long at least (one hanzi misread from UTF-8).
SHORTEST = 3
PUNCTUATION_BLOCKS = (("\u2010", "\u206f"), ("\u3000", "\u303f"), ("\uff00", "\uffef"))


@dataclass(frozen=True)
class Mojibake:
    """A span of a line and what it decodes to."""

    start: int
    before: str
    after: str
    pair: str
    confidence: float
    lost: int = 0  # characters whose bytes the wrong decoder lost (U+FFFD in ``after``)


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
    return -8.0 if (char.isascii() and char.isprintable()) or _plausible_symbol(char) else UNREADABLE


@lru_cache(maxsize=1 << 14)
def fix_span(span: str, pairs: tuple[tuple[str, str], ...] = PAIRS, margin: float = MARGIN) -> tuple[str, str] | None:
    """The best re-decoding of ``span`` under ``pairs`` when it is Chinese better than the span
    by ``margin`` nats per character, with the name of the misreading undone. Characters whose
    bytes are lost (U+FFFD) count on neither side; at most half of them may be lost. A
    re-decoding must hold a CJK character and no Latin letter, and a single-byte
    misreading of a span with nothing lost must come back whole (Müller, ÄÖÜ stay)."""
    lost = span.count("\ufffd")
    baseline = chinese_score(span.replace("\ufffd", ""))
    best: tuple[float, str, str] | None = None
    for decoded, name in _decodings(span, pairs, DEPTH):
        if not CJK.search(decoded) or LATIN_LETTER.search(decoded):
            continue
        if not lost and name.split(" read as ")[-1] in SINGLE_BYTE_READS and "\ufffd" in decoded:
            continue
        score = _lossy_score(decoded, lost)
        if score >= baseline + margin and (best is None or score > best[0]):
            best = (score, decoded, name)
    return None if best is None else (best[1], best[2])


def _lossy_score(decoded: str, lost: int) -> float:
    """``chinese_score`` where the characters lost before (``lost`` of the U+FFFD) are no
    evidence either way, and any further U+FFFD, a loss the re-decoding made, counts as rare."""
    kept = decoded.replace("\ufffd", "")
    made = max(0, decoded.count("\ufffd") - lost)
    if not kept:
        return chinese_score(decoded)
    return (chinese_score(kept) * len(kept) + made * UNREADABLE) / (len(kept) + made)


def _decodings(span: str, pairs: tuple[tuple[str, str], ...], depth: int) -> Iterator[tuple[str, str]]:
    """Every re-decoding of ``span`` under ``pairs``, and of those that still look misread,
    their own re-decodings under every pair (a misreading repeated)."""
    seen = {span}
    single = _single_byte_run(span)
    raw_of: dict[str, list[bytes] | None] = {}
    latin = bool(LATIN_LETTER.search(span))
    for written, read in pairs:
        if (read in SINGLE_BYTE_READS) != single or (latin and not single):
            continue  # a multi-byte decoder makes no Latin letters
        if read not in raw_of:
            try:
                raw_of[read] = [piece.encode(read) for piece in span.split("\ufffd")]
            except UnicodeEncodeError:
                raw_of[read] = None
        if (pieces := raw_of[read]) is None:
            continue
        decoded = _decode_pieces(pieces, WRITTEN[written])
        if decoded in seen or decoded.count("\ufffd") * 2 > len(decoded):
            continue
        seen.add(decoded)
        name = _name((written, read))
        yield decoded, name
        if depth > 1 and (_single_byte_run(decoded) or _rare_hanzi(decoded) * 2 > len(decoded)):
            for again, inner in _decodings(decoded, PAIRS, depth - 1):
                yield again, (f"{name} twice" if inner == name else f"{name}, then {inner}")


def _decode_pieces(pieces: list[bytes], codec: str) -> str:
    """The bytes between lost characters decoded, one U+FFFD for each loss. A piece after a
    loss may start with the rest of the lost character: it is read from its first byte or its
    second, whichever reads as better Chinese (double-byte code pages do not resynchronise;
    UTF-8 does, and is decoded whole)."""
    if codec == "utf-8":
        return b"".join(pieces).decode(codec, errors="replace")
    out = [pieces[0].decode(codec, errors="replace")]
    for raw in pieces[1:]:
        options = [raw.decode(codec, errors="replace"), raw[1:].decode(codec, errors="replace")]
        out.append(max(options, key=lambda text: chinese_score(text.replace("\ufffd", ""))))
    return "\ufffd".join(out)


def is_suspicious(line: str) -> bool:
    """A line with a run of characters that single-byte code pages make of high bytes, kana or
    hangul, or in which rare hanzi are common."""
    if _single_byte_pattern().search(line) or len(KANA_HANGUL.findall(line)) >= 2:
        return True
    rare = _rare_hanzi(line)
    return rare >= 2 and rare * 4 >= len(HANZI.findall(line))


def suspicious_lines(text: str) -> list[int]:
    """0-based numbers of the suspicious lines, found with one scan of the whole text."""
    starts = [0] + [m.end() for m in NEWLINE.finditer(text)]
    hits = sorted({bisect_right(starts, m.start()) - 1 for m in _gate_pattern().finditer(text)})
    lines = text.split("\n")
    return [n for n in hits if is_suspicious(lines[n])]


def _plausible_symbol(char: str) -> bool:
    """Punctuation and symbols of Chinese typography (GB2312 rows 1–9, CJK and full-width
    punctuation); not the accented letters of row 8 (pinyin á, ü), which misreadings make."""
    return ("\u00c0" > char or char > "\u024f") and (is_shift_symbol(char) or any(a <= char <= b for a, b in PUNCTUATION_BLOCKS))


def _rare_hanzi(text: str) -> int:
    return len(_rare_pattern().findall(text))


@cache
def _rare_pattern() -> re.Pattern[str]:
    """A class of the hanzi whose share of running text is below ``RARE_CHAR``."""
    lexicon = Lexicon.default()
    rare = [chr(c) for c in (*range(0x3400, 0x4DC0), *range(0x4E00, 0xA000)) if lexicon.char_share(chr(c)) < RARE_CHAR]
    return re.compile("[" + "".join(rare) + "]")


@cache
def _high_chars() -> str:
    """What the single-byte code pages make of bytes 0x80–0xFF, as a character class body."""
    chars = {c for read in SINGLE_BYTE_READS for c in bytes(range(0x80, 0x100)).decode(read, errors="ignore")}
    chars -= set(TYPOGRAPHY)
    chars.add("\ufffd")
    return "".join(re.escape(c) for c in sorted(chars))


@cache
def _single_byte_pattern(loose: bool = False) -> re.Pattern[str]:
    """Two or more characters of a single-byte misreading, at least one of them no mark of
    Chinese typography, with the marks and ASCII letters (Big5 and GBK trail bytes) that may
    stand among them; ``loose``, for texts known to be misread: also one character and the
    ASCII letter after it (年 in Big5 read as Latin-1 is ¦~), and marks alone (氨 is °±)."""
    high, typography = _high_chars(), re.escape(TYPOGRAPHY)
    mark = f"[{high}{typography}][\\x40-\\x7e]?"
    if loose:
        return re.compile(f"(?={mark}{mark}|[{high}{typography}][\\x40-\\x7e])(?:{mark})+")
    return re.compile(f"(?={mark}{mark})(?:[{typography}][\\x40-\\x7e]?)*[{high}][\\x40-\\x7e]?(?:{mark})*")


@cache
def _rest_pattern() -> re.Pattern[str]:
    """What is left of a text known to be misread: single-byte runs (a mark and its trail
    byte too), or any run of non-ASCII characters."""
    return re.compile(f"{_single_byte_pattern(loose=True).pattern}|{ANY_RUN.pattern}")


def _single_byte_run(text: str) -> bool:
    return _single_byte_pattern(loose=True).fullmatch(text) is not None


@cache
def _gate_pattern() -> re.Pattern[str]:
    """Single-byte misreadings, kana or hangul, or two rare hanzi close together."""
    rare = _rare_pattern().pattern
    return re.compile(f"{_single_byte_pattern().pattern}|{KANA_HANGUL.pattern}|{rare}[^\\n]{{0,3}}{rare}")


def misread_spans(text: str) -> dict[int, list[Mojibake]]:
    """The misread spans of ``text`` by 0-based line, with their repairs: first where a line is
    clearly damaged; once a misreading has shown itself, every line again under it (and it
    wins over other readings of the spans already found); where it explains nearly all the
    text, whatever non-ASCII text is left, under it alone."""
    lines = text.split("\n")
    found = {n: spans for n in suspicious_lines(text) if (spans := find_mojibake(lines[n]))}
    counts = Counter(span.pair for spans in found.values() for span in spans)
    shown = {name for name, count in counts.items() if count >= KNOWN_SPANS}
    known = known_pairs(counts)
    for n, line in enumerate(lines) if known else ():
        spans = [_prefer(span, known, shown) for span in found.get(n, [])]
        if spans := spans + find_mojibake(line, known, KNOWN_MARGIN, spans, loose=True):
            # the rest of a line shown misread is misread alike (总理  某某某, not 議議議)
            on_line = tuple(pair for pair in known if any(span.pair == _name(pair) for span in spans))
            spans += find_mojibake(line, on_line, -DOMINANT_SLACK, spans, _rest_pattern(), confidence=0.8)
            found[n] = sorted(spans, key=lambda span: span.start)
    dominant = dominant_pair(text, [span for spans in found.values() for span in spans])
    for n, line in enumerate(lines) if dominant else ():
        spans = found.get(n, [])
        if more := find_mojibake(line, (dominant,), -DOMINANT_SLACK, spans, _rest_pattern(), confidence=0.8):
            found[n] = sorted(spans + more, key=lambda span: span.start)
    return found


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
    found = []
    for start, run in _runs(line, runs, loose):
        for start, run in _uncovered(start, run, covered):
            if fixed := _best_variant(start, run, pairs, margin, 1 if loose or runs else SHORTEST):
                at, span, after, pair = fixed
                lost = after.count("\ufffd")
                found.append(Mojibake(at, span, after, pair, min(confidence, 0.6) if lost else confidence, lost))
    return found


def _best_variant(
    start: int, run: str, pairs: tuple[tuple[str, str], ...], margin: float, shortest: int
) -> tuple[int, str, str, str] | None:
    """(start, span, repair, pair) for the run itself if it re-decodes, else for the variant
    of it (``_trimmed``) that makes the run read best. Spans shorter than ``shortest`` and
    spans that are words of the lexicon (秸秆, which a Big5 reading makes 調解) are left."""
    lexicon = Lexicon.default()

    def candidate(span: str) -> bool:
        return len(span) >= shortest and (shortest == 1 or lexicon.word_logp(span) is None)

    if candidate(run) and (fixed := fix_span(run, pairs, margin)):
        return start, run, *fixed
    best: tuple[float, tuple[int, str, str, str]] | None = None
    for at, span in _trimmed(start, run):
        if candidate(span) and (fixed := fix_span(span, pairs, margin)):
            # the run as it would read: what the variant leaves out stays as it is
            result = run[: at - start] + fixed[0] + run[at - start + len(span) :]
            total = chinese_score(result) * len(result)
            if best is None or total > best[0]:
                best = (total, (at, span, *fixed))
    return best and best[1]


def _prefer(span: Mojibake, known: tuple[tuple[str, str], ...], shown: set[str]) -> Mojibake:
    """A span re-read under a misreading the text shows more often, if that reads it about as
    well: within KNOWN_PRIOR when the span's own misreading is not one the text shows
    (某某某, not the Big5 reading 議議議, in a text misread from GBK); as well, when it is and
    both start from the same code page (code pages that share the span's bytes tie); better
    by KNOWN_MARGIN otherwise."""
    own = chinese_score(span.after.replace("\ufffd", ""))
    for pair in known:
        if span.pair == _name(pair):
            return span
        if span.pair not in shown:
            slack = KNOWN_PRIOR
        else:
            slack = 0.0 if span.pair.startswith(f"{pair[0]} read as") else -KNOWN_MARGIN
        fixed = fix_span(span.before, (pair,), KNOWN_MARGIN)
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
    non_ascii = sum(len(run) for run in ANY_RUN.findall(text))
    by_pair = Counter()
    for span in spans:
        by_pair[span.pair] += len(span.before)
    if not by_pair or not non_ascii:
        return None
    name, chars = by_pair.most_common(1)[0]
    return next((pair for pair in PAIRS if _name(pair) == name), None) if chars >= DOMINANT * non_ascii else None


def _name(pair: tuple[str, str]) -> str:
    return f"{pair[0]} read as {pair[1]}"


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
