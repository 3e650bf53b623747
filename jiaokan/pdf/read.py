"""Reading PDFs: every character with its font, size, box and glyph code (pdfplumber's
layout of each page), page by page, and ruled tables. A page that fails to parse is
reported with its number and skipped; a file that cannot be opened at all raises an error
naming it.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSLiteral, literal_name

from jiaokan.errors import DamagedPdfError, EncryptedPdfError, InputFileError, NotPdfError
from jiaokan.encodings.codepages import decode_name
from jiaokan.pdf import HEADER_WITHIN, has_pdf_header
from jiaokan.pdf.model import Box, Char, PageError, PageFrame, PdfPage, PdfTable

if TYPE_CHECKING:
    import pdfplumber

RULES_FOR_TABLE = 4
# A ruled "table" over this share of the page, with fewer than FRAME_FILLED of its cells
# filled and a cell of more than FRAME_PROSE characters holding FRAME_SHARE or more of its
# text, frames the page's layout.
FRAME_AREA = 0.5
FRAME_FILLED = 1 / 3
FRAME_PROSE = 200
FRAME_SHARE = 0.4
# A drawn line or box at most this thick (points) is a rule.
RULE_WIDTH = 2.0
# The most codes one bfrange of a ToUnicode map may give text to (a font has at most 65,535 glyphs).
MAX_RANGE = 1 << 16
# Character collections whose CIDs extractors map to Unicode by themselves.
STANDARD_ORDERINGS = ("GB1", "CNS1", "Japan1", "Korea1", "KR")
# A glyph drawn again this close (points) over the same glyph is an overprint (fake bold);
# runs of up to REPEATED_RUN's length are looked at.
OVERPRINT = 1.0
REPEATED_RUN = re.compile(r"(.{1,16}?)\1+", re.S)
# Text render modes that draw nothing (3: invisible, 7: a clipping path only): an OCR layer
# over a scan is set so, its boxes over ink that is not its glyphs.
HIDDEN_RENDER_MODES = (3, 7)
# The Symbolic bit of a font descriptor's /Flags.
SYMBOLIC = 1 << 2
LINE_BREAKS = re.compile(r"[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def require_pdf(path: str | Path) -> None:
    """Raise ``InputFileError`` for a missing file, ``NotPdfError`` for one that does not
    open with a PDF header."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(HEADER_WITHIN)
    except OSError as error:
        raise InputFileError(str(path), f"cannot read the file ({error.strerror or error})") from error
    if not has_pdf_header(head):
        raise NotPdfError(str(path), f"not a PDF (no %PDF header in its first {HEADER_WITHIN} bytes)")


@dataclass(frozen=True)
class FontFacts:
    """What the font dictionaries of a PDF say, by font name: the composite (Type0) fonts
    without a ToUnicode map whose codes have no standard meaning (an Identity ordering, not
    Adobe-GB1 and kin, which extractors map themselves): their text comes from the font
    program's own tables, right or junk; and the fonts whose glyphs are not embedded (a
    viewer draws them in a face of its own, so their ink proves nothing)."""

    unmapped: frozenset[str] = frozenset()
    unembedded: frozenset[str] = frozenset()


def font_facts(path: str | Path) -> FontFacts:
    """The ``FontFacts`` of ``path``'s pages' fonts, read with pdfminer as the characters are
    (empty when the file cannot be read: ``read_pdf`` says why)."""
    unmapped: set[str] = set()
    unembedded: set[str] = set()
    try:
        with opened(path) as pdf:
            for page in pdf.pages:
                for ref in (resolve1(page.page_obj.resources.get("Font")) or {}).values():
                    font = resolve1(ref)
                    if not isinstance(font, dict):
                        continue
                    name = _base_font(font)
                    if _without_map(font):
                        unmapped.add(name)
                    if not _embedded(font):
                        unembedded.add(name)
    except Exception:  # broken fonts or files: no facts (reading the pages reports the file)
        return FontFacts()
    return FontFacts(frozenset(unmapped), frozenset(unembedded))


def _base_font(font: dict) -> str:
    """A font dictionary's /BaseFont as the characters' font is named (text, in any byte form)."""
    raw = resolve1(font.get("BaseFont"))
    if not isinstance(raw, PSLiteral):
        return "unknown"
    return raw.name if isinstance(raw.name, str) else font_name(raw.name)


def _subtype(font: dict) -> str:
    subtype = resolve1(font.get("Subtype"))
    return literal_name(subtype) if subtype is not None else ""


def _descendant(font: dict) -> dict:
    """A composite font's descendant font dictionary (empty when it has none)."""
    descendants = resolve1(font.get("DescendantFonts")) or []
    first = resolve1(descendants[0]) if isinstance(descendants, list) and descendants else None
    return first if isinstance(first, dict) else {}


def _without_map(font: dict) -> bool:
    """A font with no ToUnicode map whose codes carry no standard meaning: a composite font
    whose CIDs have none (an Identity ordering), or a symbolic TrueType font without an
    encoding, whose codes only pick glyphs (LaTeX's CJK package and ReportLab cut a CJK face
    into such fonts of 256 glyphs each: their text extracts as Latin-1 junk)."""
    if "ToUnicode" in font:
        return False
    subtype = _subtype(font)
    if subtype == "TrueType":
        return font.get("Encoding") is None and _symbolic(font)
    if subtype != "Type0":
        return False
    info = resolve1(_descendant(font).get("CIDSystemInfo"))
    ordering = resolve1(info.get("Ordering", b"")) if isinstance(info, dict) else b""
    ordering = ordering.decode("latin-1") if isinstance(ordering, bytes) else str(ordering)
    return ordering not in STANDARD_ORDERINGS


def _symbolic(font: dict) -> bool:
    """Whether a simple font's descriptor flags it symbolic (its glyphs outside the standard
    Latin set)."""
    descriptor = resolve1(font.get("FontDescriptor"))
    flags = resolve1(descriptor.get("Flags", 0)) if isinstance(descriptor, dict) else 0
    return isinstance(flags, int) and bool(flags & SYMBOLIC)


def _embedded(font: dict) -> bool:
    """Whether a font carries its glyphs: a font file in its descriptor (a composite font's
    in its descendant's), or glyph procedures (Type3)."""
    subtype = _subtype(font)
    if subtype == "Type3":
        return True
    if subtype == "Type0":
        font = _descendant(font)
    descriptor = resolve1(font.get("FontDescriptor")) or {}
    return isinstance(descriptor, dict) and any(key in descriptor for key in ("FontFile", "FontFile2", "FontFile3"))


def _ruled(container) -> bool:
    """True when the page draws enough rules or boxes to hold a table, some of them with
    height and some with width (cheap pre-check: the table finder parses every object of the
    page, and without a vertical edge no cell closes: a browser's print of a page underlines
    links with dozens of flat rules)."""
    from pdfminer.layout import LTCurve

    drawn = [item for item in container if isinstance(item, LTCurve)]
    return len(drawn) >= RULES_FOR_TABLE and any(i.height > 0 for i in drawn) and any(i.width > 0 for i in drawn)


def _tables(page) -> list[PdfTable]:
    """The page's ruled tables: two rows and two columns at least, and no layout frame."""
    tables = []
    for table in page.find_tables():
        rows = [[(cell or "").replace("\n", "") for cell in row] for row in table.extract()]
        if len(rows) >= 2 and len(rows[0]) >= 2 and not _layout_frame(rows, table.bbox, page.width * page.height):
            tables.append(PdfTable(tuple(table.bbox), rows))
    return tables


def _layout_frame(rows: list[list[str]], bbox: tuple[float, float, float, float], page_area: float) -> bool:
    """Rules that frame a page's layout, not a table: over half the page, most cells empty
    (merged into the few that hold the page's blocks), and one cell of running prose holding
    a large share of the text (a research report's sidebar and analysis boxed in; its text
    stays the page's). A table of long entries holds many of them, each a small share."""
    cells = [cell for row in rows for cell in row]
    filled = [cell for cell in cells if cell.strip()]
    longest = max(map(len, filled), default=0)
    area = (bbox[2] - bbox[0]) * (bbox[3] - bbox[1])
    return (area > FRAME_AREA * page_area and len(filled) < FRAME_FILLED * len(cells)
            and longest > FRAME_PROSE and longest >= FRAME_SHARE * sum(map(len, filled)))


def _inside(char: Char, box: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = box
    middle_x, middle_y = (char.x0 + char.x1) / 2, (char.top + char.bottom) / 2
    return x0 <= middle_x <= x1 and top <= middle_y <= bottom


def _layout_chars(container) -> Iterator:
    """The characters of pdfplumber's page layout (pdfminer objects, read directly: building
    pdfplumber's per-character dictionaries costs more than parsing the page)."""
    from pdfminer.layout import LTChar, LTContainer

    for item in container:
        if isinstance(item, LTChar):
            yield item
        elif isinstance(item, LTContainer):
            yield from _layout_chars(item)


def _coded_layout(page):
    """pdfplumber's layout of ``page``, made by its own aggregator taught to keep each
    character's code; left where pdfplumber caches it, so its table finder reuses it."""
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfplumber.page import PDFPageAggregatorWithMarkedContent

    class CodedAggregator(PDFPageAggregatorWithMarkedContent):
        hidden = False

        def render_string(self, textstate, seq, ncs, graphicstate):  # type: ignore[override]
            self.hidden = textstate.render in HIDDEN_RENDER_MODES
            super().render_string(textstate, seq, ncs, graphicstate)

        def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):  # type: ignore[override]
            advance = super().render_char(matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate)
            self.cur_item._objs[-1].code = cid
            self.cur_item._objs[-1].hidden = self.hidden
            return advance

    device = CodedAggregator(page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams)
    PDFPageInterpreter(page.pdf.rsrcmgr, device).process_page(page.page_obj)
    page._layout = device.get_result()
    return page._layout


def _page(page) -> PdfPage:
    """One page of pdfplumber's, its characters and tables measured in the page's frame."""
    x0, y0, x1, y1 = (float(v) for v in page.page_obj.mediabox)
    rotated = page.page_obj.rotate % 180 == 90
    width, height = (y1 - y0, x1 - x0) if rotated else (x1 - x0, y1 - y0)
    layout = list(_layout_chars(_coded_layout(page)))
    frame = PageFrame((x0, y0, x1, y1), _turn(layout))
    chars = []
    for c in layout:  # pdfminer measures from the displayed MediaBox's lower left corner
        box = frame.turned((c.x0, height - c.y1, c.x1, height - c.y0), width, height)
        size = box[3] - box[1] if frame.turn % 2 else float(c.size)
        chars.append(Char(_text(c.get_text()), font_name(c.fontname), size, *box, c.code))
    hidden = frozenset(char.font for char, c in zip(chars, layout) if c.hidden)
    chars = _without_overprints(chars)
    left, top = float(page.bbox[0]), float(page.bbox[1])  # pdfplumber's own origin
    tables = []
    for table in _tables(page) if _ruled(page.layout) else []:
        tx0, ttop, tx1, tbottom = table.bbox
        table.bbox = frame.turned((tx0 - left, ttop - top, tx1 - left, tbottom - top), width, height)
        tables.append(table)
        chars = [c for c in chars if not _inside(c, table.bbox)]
    size = (height, width) if frame.turn % 2 else (width, height)
    return PdfPage(page.page_number, *size, chars, tables, frame, _rules(page.layout, frame, width, height), hidden)


def _without_overprints(chars: list[Char]) -> list[Char]:
    """The characters less those printed again right over themselves (a producer's fake bold
    prints a glyph, or a run of them, two to four times a fraction of a point apart: LaTeX's
    CJK package, Chinese financial disclosures). Only runs that repeat in the text are looked
    at; a copy is dropped when each of its characters stands within ``OVERPRINT`` points of
    the last copy kept, in the same font."""
    text = "".join(c.text if len(c.text) == 1 else "\ufffe" for c in chars)
    dropped: set[int] = set()
    for match in REPEATED_RUN.finditer(text):
        kept, period = match.start(), len(match.group(1))
        for copy in range(kept + period, match.end(), period):
            if all(_over(chars[kept + i], chars[copy + i]) for i in range(period)):
                dropped.update(range(copy, copy + period))
            else:  # the run written again further on (１００, 建建): the next copies' reference
                kept = copy
    return [c for n, c in enumerate(chars) if n not in dropped] if dropped else chars


def _over(first: Char, again: Char) -> bool:
    """Whether ``again`` is ``first`` printed over itself."""
    return (first.text == again.text and first.font == again.font and abs(first.x0 - again.x0) <= OVERPRINT
            and abs(first.top - again.top) <= OVERPRINT and bool(first.text.strip()))


def _rules(container, frame: PageFrame, width: float, height: float) -> list[Box]:
    """The boxes of the page's drawn rules (lines, and rectangles or curves thin enough to
    be lines), in the page's frame."""
    from pdfminer.layout import LTCurve

    return [
        frame.turned((item.x0, height - item.y1, item.x1, height - item.y0), width, height)
        for item in container
        if isinstance(item, LTCurve) and min(item.width, item.height) <= RULE_WIDTH
    ]


def _turn(chars: list) -> int:
    """The quarter turns (clockwise) that make most of the page's text run left to right,
    from each character's direction on the displayed page."""
    turns: Counter[int] = Counter()
    for char in chars:
        a, b = char.matrix[0], char.matrix[1]
        if abs(a) >= abs(b):
            turns[0 if a > 0 else 2] += 1
        else:
            turns[1 if b > 0 else 3] += 1  # up the page (y grows upwards in PDF space) / down it
    return turns.most_common(1)[0][0] if turns else 0


def _text(text: str) -> str:
    """A character's text with anything that breaks a line made a space (a line of the text
    layer is one line); everything else is kept as the text layer says."""
    return LINE_BREAKS.sub(" ", text)


def font_name(name: str | bytes) -> str:
    """A font's name as text: names in GBK bytes (how Chinese Windows names 宋体) decoded
    through the Chinese code pages; pdfminer hands such names over as the repr of bytes.

    >>> font_name("b'ABCDEF+\\\\xcb\\\\xce\\\\xcc\\\\xe5'")
    'ABCDEF+宋体'
    """
    if isinstance(name, str) and name[:2] in ("b'", 'b"'):
        try:
            name = ast.literal_eval(name)
        except (ValueError, SyntaxError):
            return name
    return decode_name(name) if isinstance(name, bytes) else name


def _root_cause(error: BaseException) -> BaseException:
    """The innermost exception behind a wrapped one (pdfplumber wraps pdfminer's)."""
    seen = error
    while True:
        inner = seen.__cause__ or seen.__context__
        if inner is None and seen.args and isinstance(seen.args[0], BaseException):
            inner = seen.args[0]
        if inner is None or inner is seen:
            return seen
        seen = inner


def _bounded_bfranges() -> None:
    """Teach pdfminer's CMap parser to cut a ToUnicode ``bfrange`` at MAX_RANGE codes: a
    hostile map's ``<00000000> <FFFFFFFF>`` would otherwise be expanded into four billion
    entries (gigabytes, hours). No real font has more glyphs than that."""
    from pdfminer.cmapdb import CMapParser

    if getattr(CMapParser, "_jiaokan_bounded", False):
        return
    original = CMapParser.do_keyword

    def do_keyword(self, pos, token):  # type: ignore[no-untyped-def]
        if token is self.KEYWORD_ENDBFRANGE:
            stack = self.curstack
            for k in range(0, len(stack) - 2, 3):
                (_, start), (where, end) = stack[k], stack[k + 1]
                if isinstance(start, bytes) and isinstance(end, bytes) and len(start) == len(end):
                    first, last = int.from_bytes(start, "big"), int.from_bytes(end, "big")
                    if last - first >= MAX_RANGE:
                        stack[k + 1] = (where, (first + MAX_RANGE - 1).to_bytes(len(end), "big"))
        return original(self, pos, token)

    CMapParser.do_keyword = do_keyword
    CMapParser._jiaokan_bounded = True


def read_pdf(path: str | Path, first: int = 0, last: int | None = None) -> Iterator[PdfPage | PageError]:
    """Pages of ``path`` one at a time (each released after use), from the 0-based ``first``
    up to ``last`` (excluded; None: all); raises ``InputFileError`` for a missing file,
    ``NotPdfError``, ``EncryptedPdfError`` or ``DamagedPdfError`` (truncated, unparsable, no
    pages)."""
    with opened(path) as pdf:
        yield from pages_of(pdf, first, last)


def pages_of(pdf: pdfplumber.PDF, first: int = 0, last: int | None = None) -> Iterator[PdfPage | PageError]:
    """Pages of an ``opened`` PDF as ``read_pdf`` gives them."""
    for page in pdf.pages[first:last]:
        try:
            yield _page(page)
        except Exception as error:  # one broken page must not lose the others
            yield PageError(page.page_number, f"{type(error).__name__}: {error}")
        finally:
            page.close()


@contextmanager
def opened(path: str | Path) -> Iterator[pdfplumber.PDF]:
    """``path`` opened by pdfplumber, with at least one page; raises as ``read_pdf`` does."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    name = str(path)
    require_pdf(path)
    _bounded_bfranges()
    try:
        pdf = pdfplumber.open(path)
        count = len(pdf.pages)
    except Exception as error:  # pdfminer raises many kinds on broken files; pdfplumber wraps them
        cause = _root_cause(error)
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise EncryptedPdfError(name, "the PDF is encrypted; decrypt it first (e.g. qpdf --decrypt)") from error
        if isinstance(cause, PDFSyntaxError):
            raise DamagedPdfError(name, f"the PDF is damaged or truncated ({cause})") from error
        raise DamagedPdfError(name, f"cannot open the PDF ({type(cause).__name__}: {cause})") from error
    with pdf:
        if count == 0:
            raise DamagedPdfError(name, "the PDF has no pages")
        yield pdf
