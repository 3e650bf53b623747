"""Founder (方正) glyph shifts: the tables between GB2312 symbols and the hanzi that replace them.

Gazettes typeset with Founder fonts often carry a text layer in which a symbol from GB2312
rows 1–9 (lead bytes A1–A9: punctuation, full-width digits and letters, kana, Greek, box
drawing) is reported as the character ``offset`` rows further on, trail byte unchanged. With the
common offset 0x31 the comma A3AC becomes D4AC, 袁:

>>> FounderShift.build(0x31).damage("各县（市、区）")
'各县渊市尧区冤'
>>> FounderShift.build(0x31).to_symbol["遥"]
'。'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

SYMBOL_LEADS = range(0xA1, 0xAA)
TRAILS = range(0xA1, 0xFF)
HANZI_LEADS = range(0xB0, 0xF8)
# Offsets whose images of rows 1–9 all land in the GB2312 hanzi rows (B0–F7).
PLAUSIBLE_OFFSETS = tuple(k for k in range(0x0F, 0x4F))
# GB2312 decoders disagree on a few row-1 symbols; fonts may report either form.
SYMBOL_ALIASES = {"\u30fb": "\u00b7", "\u2015": "\u2014", "\u301c": "\uff5e", "\u2225": "\u2016"}


def _gbk_char(lead: int, trail: int) -> str | None:
    try:
        char = bytes((lead, trail)).decode("gbk")
    except UnicodeDecodeError:
        return None
    return char if len(char) == 1 else None


def shifted(symbol: str, offset: int) -> str | None:
    """The hanzi a shift of ``offset`` reports ``symbol`` as (one entry of
    ``FounderShift.build(offset).to_hanzi``, without building the table), if any.

    >>> shifted("，", 0x31)
    '袁'
    """
    try:
        lead, trail = symbol.encode("gbk")
    except (UnicodeEncodeError, ValueError):
        return None
    if lead not in SYMBOL_LEADS or trail not in TRAILS or lead + offset not in HANZI_LEADS:
        return None
    return _gbk_char(lead + offset, trail)


@dataclass(frozen=True)
class FounderShift:
    """One lead-byte shift: ``to_symbol`` maps each damaged hanzi back to its symbol."""

    offset: int
    to_symbol: dict[str, str]
    to_hanzi: dict[str, str]

    @classmethod
    @cache
    def build(cls, offset: int) -> FounderShift:
        to_symbol: dict[str, str] = {}
        for lead in SYMBOL_LEADS:
            if lead + offset not in HANZI_LEADS:
                continue
            for trail in TRAILS:
                symbol = _gbk_char(lead, trail)
                hanzi = _gbk_char(lead + offset, trail)
                if symbol and hanzi:
                    to_symbol[hanzi] = symbol
        to_hanzi = {symbol: hanzi for hanzi, symbol in to_symbol.items()}
        for alias, symbol in SYMBOL_ALIASES.items():
            if symbol in to_hanzi:
                to_hanzi[alias] = to_hanzi[symbol]
        return cls(offset, to_symbol, to_hanzi)

    @property
    def name(self) -> str:
        return _shift_name(self.offset)

    def damage(self, text: str) -> str:
        """Apply the shift to ``text``, as a damaged font's text layer would report it."""
        return text.translate(str.maketrans(self.to_hanzi))


@cache
def _shift_name(offset: int) -> str:
    return f"founder+0x{offset:02X}"


def is_shift_symbol(char: str) -> bool:
    """True for a symbol of GB2312 rows 1–9, the characters a Founder shift replaces."""
    return char in shift_symbols()


@cache
def shift_symbols() -> frozenset[str]:
    """The symbols of GB2312 rows 1–9 (and their aliases)."""
    symbols = {_gbk_char(lead, trail) for lead in SYMBOL_LEADS for trail in TRAILS}
    symbols.discard(None)
    return frozenset(symbols) | frozenset(SYMBOL_ALIASES)
