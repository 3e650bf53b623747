"""Ingest: read a text file in whatever encoding it arrived in.

Chinese text files arrive as GBK, GB18030, Big5, UTF-8 (with or without BOM) or UTF-16.
A BOM or strict UTF-8 decides at once; otherwise charset-normalizer ranks the candidates and
the Chinese code pages win when it is unsure between them and others.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jiaokan.errors import InputFileError, UndecodableError

CHINESE_CODEPAGES = ("gb18030", "gbk", "gb2312", "big5", "big5hkscs", "utf_8")
# Texts shorter than this (bytes) are too short for the detector to tell GBK from Big5.
SHORT = 256
BOMS = ((b"\xef\xbb\xbf", "utf_8_sig"), (b"\xff\xfe", "utf_16"), (b"\xfe\xff", "utf_16"))


@dataclass(frozen=True)
class DecodedText:
    """A file's text with the encoding chosen and the confidence in that choice."""

    text: str
    encoding: str
    confidence: float


def read_text(path: str | Path) -> DecodedText:
    """Read and decode ``path``; raises ``InputFileError`` or ``UndecodableError`` naming it."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise InputFileError(str(path), f"cannot read the file ({error.strerror or error})") from error
    return decode_bytes(raw, str(path))


def decode_bytes(raw: bytes, name: str = "<stdin>") -> DecodedText:
    """Decode ``raw`` text bytes; ``name`` labels errors."""
    if not raw.strip():
        raise InputFileError(name, "the file is empty")
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            body = raw[len(bom):]
            if encoding == "utf_16" and b"\x00" not in body[:4096] and _decodes(body, "utf-8"):
                return DecodedText(body.decode("utf-8"), "utf_8 (after a stray UTF-16 byte-order mark)", 0.9)
            try:
                return DecodedText(raw.decode(encoding), encoding, 1.0)
            except UnicodeDecodeError as error:
                raise UndecodableError(name, f"starts with a {encoding} byte-order mark but is not {encoding}") from error
    if (utf16 := _utf16_without_bom(raw)) is not None:
        return DecodedText(raw.decode(utf16), utf16, 0.95)
    if b"\x00" in raw[:4096]:
        raise UndecodableError(name, "binary data (NUL bytes), not a text file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if (gbk := _gbk_not_utf8(raw, text)) is not None:
            return DecodedText(gbk, "gb18030", 0.9)
        return DecodedText(text, "utf_8", 1.0)
    from charset_normalizer import from_bytes  # loaded only for the bytes that are no UTF-8

    matches = from_bytes(raw, cp_isolation=list(CHINESE_CODEPAGES))
    best = matches.best()
    if best is None:  # too short or too odd for the detector: the first Chinese code page that reads it
        strict = next((codec for codec in ("gb18030", "big5hkscs") if _decodes(raw, codec)), None)
        if strict is None:
            raise UndecodableError(name, "not text in any supported encoding (GBK, GB18030, Big5, UTF-8, UTF-16)")
        return DecodedText(raw.decode(strict), strict, 0.5)
    encoding = "gb18030" if best.encoding in ("gbk", "gb2312") else best.encoding
    confidence = round(1.0 - best.chaos, 3) * (1.0 if best.coherence else 0.9)
    if encoding in ("big5", "big5hkscs") and len(raw) < SHORT and _decodes(raw, "gb18030"):
        # A few bytes fit both code pages: the reading that is likelier Chinese (关于, not 壽衾).
        from jiaokan.encodings.codepages import chinese_score

        if chinese_score(raw.decode("gb18030")) > chinese_score(raw.decode(encoding)):
            encoding, confidence = "gb18030", 0.8
    return DecodedText(raw.decode(encoding, errors="strict"), encoding, confidence)


def _decodes(raw: bytes, encoding: str) -> bool:
    try:
        raw.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _utf16_without_bom(raw: bytes) -> str | None:
    """"utf_16_le" or "utf_16_be" for UTF-16 text written without a byte-order mark: a
    decoding free of control characters, with NULs on one side of many byte pairs (ASCII)
    and hardly any on the other, or almost all CJK, punctuation and ASCII; where both byte
    orders read so (swapped hanzi are often hanzi too), the one that reads as better Chinese.

    >>> _utf16_without_bom("关于印发的通知，各县：".encode("utf-16-le")), _utf16_without_bom(b"plain")
    ('utf_16_le', None)
    >>> _utf16_without_bom("hello 世界\\n".encode("utf-16-be"))
    'utf_16_be'
    """
    sample = raw[: 4096 - 4096 % 2]
    if len(sample) < 4 or len(raw) % 2:
        return None
    pairs = len(sample) // 2
    readings = []
    for encoding, side in (("utf_16_le", 1), ("utf_16_be", 0)):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        if any(c < " " and c not in "\t\r\n" for c in text):
            continue
        high, low = sample[side::2].count(0) / pairs, sample[1 - side :: 2].count(0) / pairs
        if high > 0.3 and low < 0.1:
            return encoding
        plausible = sum(_plausible(c) for c in text) / len(text)
        if plausible > 0.95:
            readings.append((encoding, text))
    if not readings:
        return None
    from jiaokan.encodings.codepages import chinese_score

    return max(readings, key=lambda reading: chinese_score(reading[1]))[0]


def _plausible(char: str) -> bool:
    """A character of Chinese text: CJK, CJK and full-width punctuation, printable ASCII."""
    return "\u3000" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef" or (char.isascii() and (char.isprintable() or char in "\r\n\t")) or "\u2010" <= char <= "\u206f"


def _gbk_not_utf8(raw: bytes, text: str) -> str | None:
    """A short GBK text whose bytes happen to be valid UTF-8 (通知 is also ``֪ͨ``): the GB18030
    reading, when the UTF-8 one holds no CJK character at all but non-ASCII letters of other
    scripts, and the GB18030 one is all hanzi, punctuation and ASCII.

    >>> _gbk_not_utf8("通知".encode("gbk"), "通知".encode("gbk").decode("utf-8")), _gbk_not_utf8(b"caf\\xc3\\xa9", "café")
    ('通知', None)
    """
    if text.isascii() or any("\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef" or "\u0080" <= c <= "\u024f" for c in text):
        return None  # CJK, or Latin letters (café): UTF-8 it is
    try:
        gbk = raw.decode("gb18030")
    except UnicodeDecodeError:
        return None
    wide = [c for c in gbk if not c.isascii()]
    if wide and all("\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef" for c in wide):
        return gbk
    return None
