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
from dataclasses import dataclass
from functools import cache

import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-windows-* codecs)

from jiaokan.encodings.founder import is_shift_symbol
from jiaokan.encodings.lexicon import Lexicon, is_hanzi

# (read as, written in): the wrong decoding that produced the span, and the right one.
# "sloppy-windows-1252" (registered by ftfy) is cp1252 that keeps its five undefined bytes as
# C1 controls, as most software that misreads text does.
PAIRS = (
    ("latin-1", "gbk"),
    ("sloppy-windows-1252", "gbk"),
    ("latin-1", "utf-8"),
    ("sloppy-windows-1252", "utf-8"),
    ("gbk", "utf-8"),
    ("gbk", "big5"),
    ("big5", "gbk"),
    ("latin-1", "big5"),
)
# Where a wrong decoding met a byte it could not read it left U+FFFD: that byte is lost, and
# re-encoding skips it; the right decoding then marks the damaged character with U+FFFD.
# A candidate must beat the span by this many nats per character.
MARGIN = 2.5
# Once a text has shown a misreading clearly (KNOWN_SPANS spans at MARGIN), any of its spans
# need only be better Chinese under that same pair by KNOWN_MARGIN, rare hanzi or not: a lone
# 瘍 in 劳社部发[2008]3瘍 (号 in GBK read as Big5) is no longer a guess.
KNOWN_SPANS = 2
KNOWN_MARGIN = 0.5
RARE_CHAR = -11.7
# Characters a Latin-1 or cp1252 decoder makes of high bytes (C), and runs of two or more of
# them that hold a true Latin-1 character: curly quotes alone are ordinary Chinese typography.
LATIN_CLASS = "[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122\ufffd]"
HIGH_LATIN = re.compile(f"(?={LATIN_CLASS}{{2}}){LATIN_CLASS}*?[\\u0080-\\u00ff]{LATIN_CLASS}*")
NON_ASCII_RUN = re.compile(r"[^\x00-\x7f\u3000-\u303f\uff00-\uffef]+")


HANZI = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
NEWLINE = re.compile("\n")
PUNCTUATION_BLOCKS = (("\u2010", "\u206f"), ("\u3000", "\u303f"), ("\uff00", "\uffef"))
LATIN_READS = ("latin-1", "sloppy-windows-1252")


@dataclass(frozen=True)
class Mojibake:
    """A span of a line and what it decodes to."""

    start: int
    before: str
    after: str
    pair: str
    confidence: float


@cache
def t2s_converter():
    """OpenCC's traditional → simplified converter, made once per process."""
    import opencc

    return opencc.OpenCC("t2s")


def chinese_score(text: str) -> float:
    """Mean log-probability per character under the lexicon (higher is more like Chinese).

    Hanzi score their lexicon probability, CJK and full-width punctuation, the symbols of
    GB2312 rows 1–9 (÷ × ± …) and printable ASCII a fixed plausible score, anything else
    (Latin-1 letters, controls, U+FFFD) as very rare.
    """
    if not text:
        return -30.0
    lexicon = Lexicon.default()
    simplified = t2s_converter().convert(text)
    total = 0.0
    for char in simplified:
        if is_hanzi(char):
            total += lexicon.char_share(char)
        elif (char.isascii() and char.isprintable()) or _plausible_symbol(char):
            total += -8.0
        else:
            total += -20.0
    return total / len(simplified)


def fix_span(span: str, known: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """The best re-decoding of ``span`` when it is clearly better Chinese, with its pair name.
    With ``known`` (pair names such as "gbk read as big5") only those pairs are tried, and a
    gain of KNOWN_MARGIN is enough."""
    baseline: float | None = None
    best: tuple[float, str, str] | None = None
    latin = HIGH_LATIN.fullmatch(span) is not None
    for read_as, written_in in PAIRS:
        name = f"{written_in} read as {read_as}"
        if known and name not in known:
            continue
        if latin != (read_as in LATIN_READS) or not known and not latin and _rare_hanzi(span) < 2:
            continue
        try:
            raw = span.replace("\ufffd", "").encode(read_as)
        except UnicodeEncodeError:
            continue
        decoded = raw.decode(written_in, errors="replace")
        if decoded == span or "\ufffd" in decoded and decoded.count("\ufffd") * 4 > len(decoded):
            continue
        if baseline is None:
            baseline = chinese_score(span)
        score = chinese_score(decoded)
        if score >= baseline + (KNOWN_MARGIN if known else MARGIN) and (best is None or score > best[0]):
            best = (score, decoded, name)
    return None if best is None else (best[1], best[2])


def is_suspicious(line: str) -> bool:
    """A line with runs of Latin-1 letters, or in which rare hanzi are common."""
    if HIGH_LATIN.search(line):
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
    punctuation)."""
    return is_shift_symbol(char) or any(a <= char <= b for a, b in PUNCTUATION_BLOCKS)


def _rare_hanzi(text: str) -> int:
    return len(_rare_pattern().findall(text))


@cache
def _rare_pattern() -> re.Pattern[str]:
    """A class of the hanzi whose share of running text is below ``RARE_CHAR``."""
    lexicon = Lexicon.default()
    rare = [chr(c) for c in (*range(0x3400, 0x4DC0), *range(0x4E00, 0xA000)) if lexicon.char_share(chr(c)) < RARE_CHAR]
    return re.compile("[" + "".join(rare) + "]")


@cache
def _gate_pattern() -> re.Pattern[str]:
    """Latin-1 runs, or two rare hanzi close together."""
    rare = _rare_pattern().pattern
    return re.compile(f"{HIGH_LATIN.pattern}|{rare}[^\\n]{{0,3}}{rare}")


def find_mojibake(line: str, known: tuple[str, ...] = (), taken: list[Mojibake] = ()) -> list[Mojibake]:
    """Damaged spans of ``line`` with their repairs; clean lines give none. With ``known``
    pairs (seen clearly elsewhere in the text) every line is examined under those pairs
    alone, outside the spans already ``taken``."""
    if not known and not is_suspicious(line):
        return []
    covered = {i for span in taken for i in range(span.start, span.start + len(span.before))}
    found = []
    for match in NON_ASCII_RUN.finditer(line):
        if covered & set(range(match.start(), match.end())):
            continue
        for start, span in _trimmed(match.start(), match.group()):
            fixed = fix_span(span, known)
            if fixed:
                after, pair = fixed
                confidence = 0.6 if "\ufffd" in after else 0.95
                found.append(Mojibake(start, span, after, pair, confidence))
                break
    return found


def known_pairs(spans: list[Mojibake]) -> tuple[str, ...]:
    """The pairs a text has shown clearly, KNOWN_SPANS times or more."""
    counts: dict[str, int] = {}
    for span in spans:
        counts[span.pair] = counts.get(span.pair, 0) + 1
    return tuple(pair for pair, count in counts.items() if count >= KNOWN_SPANS)


def _trimmed(start: int, run: str) -> list[tuple[int, str]]:
    """The run itself, then the run without its common (already clean) hanzi at either end."""
    lexicon = Lexicon.default()
    left, right = 0, len(run)
    while left < right and is_hanzi(run[left]) and lexicon.char_share(run[left]) >= RARE_CHAR:
        left += 1
    while right > left and is_hanzi(run[right - 1]) and lexicon.char_share(run[right - 1]) >= RARE_CHAR:
        right -= 1
    options = [(start, run)]
    if (left, right) != (0, len(run)) and right > left:
        options.append((start + left, run[left:right]))
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
