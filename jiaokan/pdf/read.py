"""Reading PDFs: every character with its font, size, box and glyph code (pdfplumber's
layout of each page), page by page, and ruled tables. A page that fails to parse is
reported with its number and skipped; a file that cannot be opened at all raises an error
naming it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from jiaokan.errors import DamagedPdfError, EncryptedPdfError, InputFileError, NotPdfError
from jiaokan.pdf.model import Char, PageError, PdfPage, PdfTable

RULES_FOR_TABLE = 4


def require_pdf(path: str | Path) -> None:
    """Raise ``InputFileError`` for a missing file, ``NotPdfError`` for one that does not
    open with a PDF header."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(1024)
    except OSError as error:
        raise InputFileError(str(path), f"cannot read the file ({error.strerror or error})") from error
    if not head.lstrip().startswith(b"%PDF"):
        raise NotPdfError(str(path), "not a PDF (no %PDF header)")


@dataclass(frozen=True)
class FontFacts:
    """What the font dictionaries of a PDF say, by font name: the composite (Type0) fonts
    without a ToUnicode map (their text layer can only be junk or "(cid:N)", whatever an
    extractor prints), and the fonts whose glyphs are not embedded (a viewer draws them in a
    face of its own, so their ink proves nothing)."""

    unmapped: frozenset[str] = frozenset()
    unembedded: frozenset[str] = frozenset()


def font_facts(path: str | Path) -> FontFacts:
    """The ``FontFacts`` of ``path`` (empty when it cannot be opened: ``read_pdf`` says why)."""
    import pikepdf

    unmapped: set[str] = set()
    unembedded: set[str] = set()
    try:
        with pikepdf.open(path) as pdf:
            for page in pdf.pages:
                for _, font in (page.Resources.get("/Font") or {}).items():
                    name = str(font.get("/BaseFont", "")).lstrip("/")
                    if font.get("/Subtype") == "/Type0" and "/ToUnicode" not in font:
                        unmapped.add(name)
                    if not _embedded(font):
                        unembedded.add(name)
    except (pikepdf.PdfError, pikepdf.PasswordError, OSError):
        return FontFacts()
    return FontFacts(frozenset(unmapped), frozenset(unembedded))


def _embedded(font) -> bool:
    """Whether a font carries its glyphs: a font file in its descriptor (a composite font's
    in its descendant's), or glyph procedures (Type3)."""
    if font.get("/Subtype") == "/Type3":
        return True
    if font.get("/Subtype") == "/Type0":
        descendants = font.get("/DescendantFonts") or []
        font = descendants[0] if len(descendants) else {}
    descriptor = font.get("/FontDescriptor") or {}
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def _ruled(container) -> bool:
    """True when the page draws enough rules or boxes to hold a table (cheap pre-check: the
    table finder parses every object of the page)."""
    from pdfminer.layout import LTCurve

    return sum(isinstance(item, LTCurve) for item in container) >= RULES_FOR_TABLE


def _tables(page) -> list[PdfTable]:
    tables = []
    for table in page.find_tables():
        rows = [[(cell or "").replace("\n", "") for cell in row] for row in table.extract()]
        if len(rows) >= 2 and len(rows[0]) >= 2:
            tables.append(PdfTable(tuple(table.bbox), rows))
    return tables


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
        def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):  # type: ignore[override]
            advance = super().render_char(matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate)
            self.cur_item._objs[-1].code = cid
            return advance

    device = CodedAggregator(page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams)
    PDFPageInterpreter(page.pdf.rsrcmgr, device).process_page(page.page_obj)
    page._layout = device.get_result()
    return page._layout


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


def read_pdf(path: str | Path) -> Iterator[PdfPage | PageError]:
    """Pages of ``path`` one at a time (each released after use); raises ``InputFileError``
    for a missing file, ``NotPdfError``, ``EncryptedPdfError`` or ``DamagedPdfError`` (truncated,
    unparsable, no pages)."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    name = str(path)
    require_pdf(path)
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
        for page in pdf.pages:
            try:
                left, _, _, top = (float(v) for v in page.mediabox)
                chars = [
                    Char(c.get_text(), c.fontname, float(c.size), c.x0 - left, top - c.y1, c.x1 - left, top - c.y0, c.code)
                    for c in _layout_chars(_coded_layout(page))
                ]
                tables = _tables(page) if _ruled(page.layout) else []
                for table in tables:
                    chars = [c for c in chars if not _inside(c, table.bbox)]
                yield PdfPage(page.page_number, float(page.width), float(page.height), chars, tables)
            except Exception as error:  # one broken page must not lose the others
                yield PageError(page.page_number, f"{type(error).__name__}: {error}")
            finally:
                page.close()
