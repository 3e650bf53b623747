"""Layout for text input: wrapped lines joined into paragraphs, page furniture set aside.

Text dumped from PDFs is hard-wrapped at the column width and often has blank lines in the
middle of a sentence. A line is joined to the next when it is about as long as the
document's full lines and does not end a sentence, and the next line does not open a
heading, a numbered item or a document element. Headings, numbered items and short lines
stay paragraphs of their own. Hanzi are joined without a space; ASCII words keep one.
Tables laid out one cell per line (cells opening with a tab, rows split by blank lines)
become one paragraph per row, cells separated by tabs.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from jiaokan.structure.patterns import (
    DIVISIONS, DOC_NUMBER, ELEMENT_START, INDEX_ROW, LABEL, TITLE_END, is_furniture, label_number,
)

SENTENCE_END = tuple("。；！？：”」』）)")
# Tables laid out one cell per line: a cell opens with a tab; a short line continues it.
CELL_MAX = 20
# Tables aligned with spaces: this many rows at least, cells this long at most.
TABLE_ROWS = 3
CELL_TEXT_MAX = 30
# A line at least this share of the document's full width counts as wrapped.
FULL_WIDTH_SHARE = 0.85
DOMINANT_SHARE = 0.1
# The first part of a date broken over two lines (2020年3月 / 9日; 二〇二〇年 / 三月九日).
DATE_HEAD = re.compile(r"^(?:[12]\d{3}|[〇零一二三四五六七八九]{4})\s*年(?:\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月)?$")
# A title block: up to three short lines without sentence punctuation above a document number.
TITLE_LINES = 3
TITLE_LINE_MAX = 40
TITLE_BREAK = re.compile(r"[，。；：！？]")
SPACES = re.compile(r"[ \t\u3000]+")
# A line this long holding numbered items after sentence ends is run-on text.
RUN_ON = 300
INLINE_START = re.compile(r"[。；！？：]\s*")
CJK_GAP = re.compile(r"(?<=[^\x00-\x7f]) +(?=[^\x00-\x7f])|(?<=[^\x00-\x7f]) +(?=[0-9])|(?<=[0-9]) +(?=[^\x00-\x7f])")


@dataclass(frozen=True)
class Paragraph:
    """A paragraph, the input lines (1-based, inclusive) it came from, and its raw lines."""

    text: str
    first_line: int
    last_line: int
    raw: tuple[str, ...] = ()


def full_width(lines: list[str]) -> int:
    """The document's full line length: the most common length among its longer lines."""
    lengths = [len(line.strip()) for line in lines if len(line.strip()) >= 10]
    if not lengths:
        return 0
    # Wrapped text has a dominant line length; unwrapped paragraphs have none.
    length, count = Counter(lengths).most_common(1)[0]
    return length if count >= max(5, DOMINANT_SHARE * len(lengths)) else 0


def paragraphs(text: str) -> tuple[list[Paragraph], list[Paragraph]]:
    """Paragraphs of ``text`` in order, and the page furniture (running heads, page numbers)."""
    lines, numbers = _run_ons_split(text.split("\n"))
    width = full_width(lines)
    titles = title_lines(lines)
    aligned = aligned_rows(lines)
    result: list[Paragraph] = []
    furniture: list[Paragraph] = []
    current: list[str] = []
    first = last = 0
    open_wrap = False
    row: list[str] = []
    for i, raw in enumerate(lines, start=1):
        n = numbers[i - 1]
        line = raw.strip()
        before_blank = i < len(lines) and not lines[i].strip()
        if i - 1 in aligned:
            if current:
                result.append(_paragraph(current, first, last))
                current = []
            result.append(Paragraph("\t" + "\t".join(aligned[i - 1]), n, n, (raw,)))
            continue
        if raw.startswith("\t") or (row and line and len(line) <= CELL_MAX):
            if current:
                result.append(_paragraph(current, first, last))
                current = []
            if not row:
                first = n
            if raw.startswith("\t"):
                row.append(line)
            else:
                row[-1] += line
            last = n
            continue
        if row:
            result.append(Paragraph("\t" + "\t".join(row), first, last))
            row = []
        if not line:
            if current and not open_wrap:
                result.append(_paragraph(current, first, last))
                current = []
            continue
        if is_furniture(line):
            furniture.append(Paragraph(line, n, n))
            continue
        is_title = i - 1 in titles
        indented = raw.startswith(("\u3000", "  ", "\t "))
        starts_new = not (current and DATE_HEAD.match(current[-1])) and bool(
            is_title or indented or LABEL.match(line) or ELEMENT_START.match(line) or INDEX_ROW.match(line)
            or DOC_NUMBER.fullmatch(line)
        )
        if current and (starts_new or not open_wrap):
            result.append(_paragraph(current, first, last))
            current = []
        if not current:
            first = n
        current.append(line)
        last = n
        wrapped = bool(width) and len(line) >= FULL_WIDTH_SHARE * width and not line.endswith(SENTENCE_END)
        ends_title = bool(TITLE_END.search(line)) and (before_blank or bool(INDEX_ROW.match(line)))
        open_wrap = (wrapped and not is_title and not ends_title) or bool(DATE_HEAD.match(line))
    if row:
        result.append(Paragraph("\t" + "\t".join(row), first, last))
    if current:
        result.append(_paragraph(current, first, last))
    return result, furniture


def _run_ons_split(lines: list[str]) -> tuple[list[str], list[int]]:
    """Lines with run-on text (a whole document on one line, as some dumps have it) cut where
    a numbered item opens after a sentence or a colon (。二、 ：（三） 。第五条), when that kind
    of label runs on (二、 then 三、) in the line; with the input line number of each piece."""
    out: list[str] = []
    numbers: list[int] = []
    for n, line in enumerate(lines, start=1):
        cuts = _run_on_cuts(line) if len(line) > RUN_ON else []
        pieces = [line[a:b] for a, b in zip([0] + cuts, cuts + [len(line)])]
        out += pieces
        numbers += [n] * len(pieces)
    return out, numbers


def _run_on_cuts(line: str) -> list[int]:
    found: dict[str, list[tuple[int, int | None]]] = {}
    for end in INLINE_START.finditer(line):
        match = LABEL.match(line, end.end())
        if match:
            found.setdefault(match.lastgroup, []).append((end.end(), label_number(match.group())))
    cuts = []
    for places in found.values():
        values = [v for _, v in places]
        if any(b is not None and a is not None and b == a + 1 for a, b in zip(values, values[1:])):
            cuts += [at for at, _ in places]
    return sorted(cuts)


def _paragraph(lines: list[str], first: int, last: int) -> Paragraph:
    return Paragraph(join_lines(lines), first, last, tuple(lines))


def aligned_rows(lines: list[str]) -> dict[int, list[str]]:
    """Rows of tables aligned with spaces: runs of at least ``TABLE_ROWS`` lines that split
    into the same number (two or more) of short cells at runs of two or more spaces, with no
    sentence punctuation and no article or chapter label. Line index → cells."""
    cells = [_cells(line) for line in lines]
    rows: dict[int, list[str]] = {}
    n = 0
    while n < len(lines):
        width = len(cells[n]) if cells[n] else 0
        end = n
        while end < len(lines) and cells[end] and len(cells[end]) == width:
            end += 1
        if width >= 2 and end - n >= TABLE_ROWS:
            rows.update({m: cells[m] for m in range(n, end)})
        n = max(end, n + 1)
    return rows


def _cells(line: str) -> list[str] | None:
    text = line.strip()
    if not text:
        return None
    cells = [c for c in re.split(r"\s{2,}|\t", text) if c]
    if len(cells) < 2 or any(len(c) > CELL_TEXT_MAX or re.search(r"[。；]", c) for c in cells):
        return None
    label = LABEL.match(text)
    if label and label.lastgroup in (*DIVISIONS, "article"):
        return None
    return cells


def title_lines(lines: list[str]) -> set[int]:
    """Indices of the lines of title blocks next to a line that is only a document number:
    the short unpunctuated lines above it (gazettes print the number under the title), back
    to the one holding 关于, or else below it (GB/T 9704 prints it above), down to the line
    with a title ending."""
    marked: set[int] = set()
    for n, line in enumerate(lines):
        if DOC_NUMBER.fullmatch(line.strip()):
            marked.update(_title_block(lines, n, -1) or _title_block(lines, n, +1))
    return marked


def _title_block(lines: list[str], n: int, step: int) -> list[int]:
    block: list[int] = []
    m = n + step
    while 0 <= m < len(lines) and len(block) < TITLE_LINES:
        text = lines[m].strip()
        m += step
        if not text:
            continue
        if len(text) > TITLE_LINE_MAX or TITLE_BREAK.search(text) or LABEL.match(text) or DOC_NUMBER.fullmatch(text):
            break
        block.append(m - step)
        if step < 0 and "关于" in text or step > 0 and TITLE_END.search(text):
            break
    if not block:
        return []
    ending = block[0] if step < 0 else block[-1]
    if not TITLE_END.search(lines[ending].strip()):
        return []
    if step < 0 and not any("关于" in lines[i] for i in block):
        return block[:1]
    return block


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines and drop layout spaces between hanzi (ASCII words keep theirs).

    >>> join_lines(["给予 10万元的奖励，对连", "续 3年 给予奖励"])
    '给予10万元的奖励，对连续3年给予奖励'
    """
    text = ""
    for line in lines:
        if text and text[-1].isascii() and text[-1].isalnum() and line[0].isascii() and line[0].isalnum():
            text += " "
        text += line
    return CJK_GAP.sub("", text)
