"""The PDF entrance, as its steps: read pages → route OCR → lay out → repair → assemble the
text → structure → provenance."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from jiaokan.conversion import Conversion, PdfRecovery, file_sha256
from jiaokan.models import Document, Finding, RepairResult, Table
from jiaokan.ocr import default_engine
from jiaokan.ocr.reader import GlyphReader
from jiaokan.ocr.pages import ocr_page
from jiaokan.options import ConvertOptions, OcrMode
from jiaokan.pdf.ink import GlyphChecker, Occupancy
from jiaokan.pdf.layout import page_lines, split_furniture
from jiaokan.pdf.model import Box, Char, PageError, PageFrame, PageLayout, PdfLine, PdfPage
from jiaokan.pdf.read import FontFacts, font_facts, opened, pages_of, read_pdf
from jiaokan.pdf.render import PageRenderer
from jiaokan.pdf.repair import PdfRepair, repair_lines
from jiaokan.structure import structure
from jiaokan.workers import in_workers, page_ranges

# A change of type size by this share starts a new paragraph (a title block, a heading).
SIZE_CHANGE = 0.15
# A page is blank when a rendering at this scale has no pixel darker than BLANK_INK.
BLANK_SCALE = 0.25
BLANK_INK = 200


T = TypeVar("T")


@dataclass
class PdfPages:
    """What reading the pages gave: each page's layout, its size, frame and drawn rules, the
    ruled tables, the fonts drawn invisibly, the pages with nothing to read, the characters
    page OCR found on scanned pages, how each page was read, and the pages that failed."""

    layouts: list[PageLayout] = field(default_factory=list)
    sizes: dict[int, tuple[float, float]] = field(default_factory=dict)
    frames: dict[int, PageFrame | None] = field(default_factory=dict)
    rules: dict[int, list[Box]] = field(default_factory=dict)
    tables: list[tuple[int, Table]] = field(default_factory=list)
    hidden: set[str] = field(default_factory=set)
    empty: list[int] = field(default_factory=list)
    ocr_chars: dict[int, list[Char]] = field(default_factory=dict)
    routes: list[Finding] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    count: int = 0


def convert_pdf(
    path: str | Path, options: ConvertOptions = ConvertOptions(), on_page: Callable[[], None] | None = None
) -> Conversion:
    """Convert a PDF: pages read and laid out one at a time (scans by page OCR), fonts
    diagnosed and repaired with their glyphs verified by rendering, then the structure stages
    text gets. ``on_page`` is called as each page is done (for a progress bar)."""
    pages = PdfPages()
    fonts = font_facts(path)
    with PageRenderer(path, pages.frames) as renderer:
        read_pages(path, pages, renderer, options, on_page, fonts)
        # text drawn invisibly (an OCR layer) is not what the ink under it shows: as with fonts
        # not embedded, context decides
        repaired = repair(pages, renderer, options, replace(fonts, unembedded=fonts.unembedded | pages.hidden))
    lines, furniture = split_furniture(_with_repaired_lines(pages.layouts, repaired.lines))
    text, line_pages = assemble_text(lines)
    documents, _ = structure(text)
    place_documents(documents, line_pages, pages.tables)
    return Conversion(
        documents,
        RepairResult(text, repaired.result.repairs, tuple(_diagnosis(pages, repaired))),
        {"path": str(path), "sha256": file_sha256(path), "kind": "pdf", "pages": pages.count, "encoding": None},
        [line.text for line in furniture if line.text],
        pages.errors,
        PdfRecovery(repaired.codes, pages.ocr_chars, _page_texts(repaired.lines), pages.sizes, pages.frames),
    )


def read_pages(
    path: str | Path, pages: PdfPages, renderer: PageRenderer, options: ConvertOptions, on_page: Callable[[], None] | None,
    fonts: FontFacts,
) -> None:
    """Every page read into ``pages``, routed to page OCR where its text layer is missing (or
    ``force``), and laid out (the text of ``fonts`` without maps taken for unknown); a page
    that fails is an error of its own."""
    for page, layout in _reported(_laid_out_pages(path, options, fonts), on_page):
        pages.count += 1
        if isinstance(page, PageError):
            pages.errors.append({"code": "page-parse", "message": page.message, "page": page.page})
            continue
        pages.sizes[page.number] = (page.width, page.height)
        pages.frames[page.number] = page.frame
        pages.rules[page.number] = page.rules
        pages.hidden |= page.hidden
        pages.tables += [(page.number, Table(t.rows[0], t.rows[1:])) for t in page.tables]
        if layout is None:
            if _needs_ocr(page, options.ocr):
                page = _ocr(renderer, page, options, pages)
            if not page.chars:
                pages.empty.append(page.number)
                continue
            layout = page_lines(page, fonts.unmapped)
        pages.layouts.append(layout)


def _laid_out_pages(path: str | Path, options: ConvertOptions, fonts: FontFacts) -> Iterator[tuple[PdfPage | PageError, PageLayout | None]]:
    """The pages of ``path`` in order, each with its layout where a worker process made it;
    a long PDF is read in ``options.jobs`` worker processes, each taking a range of pages and
    laying out those that need no OCR (the result is the same)."""
    with opened(path) as pdf:
        ranges = page_ranges(len(pdf.pages), options.jobs)
        if len(ranges) == 1:
            yield from ((page, None) for page in pages_of(pdf))
            return
    calls = [(str(path), first, last, options.ocr, fonts.unmapped) for first, last in ranges]
    for laid_out in in_workers(_read_range, calls, options.jobs):
        yield from laid_out


def _read_range(
    path: str, first: int, last: int, ocr: OcrMode, unmapped: frozenset[str]
) -> list[tuple[PdfPage | PageError, PageLayout | None]]:
    """In a worker: pages ``first`` to ``last`` (excluded) read, and those that need no OCR
    laid out (their characters are then in the layout only)."""
    laid_out: list[tuple[PdfPage | PageError, PageLayout | None]] = []
    for page in read_pdf(path, first, last):
        if isinstance(page, PageError) or _needs_ocr(page, ocr) or not page.chars:
            laid_out.append((page, None))
        else:
            laid_out.append((replace(page, chars=[]), page_lines(page, unmapped)))
    return laid_out


def _needs_ocr(page: PdfPage, ocr: OcrMode) -> bool:
    return ocr is OcrMode.FORCE or (ocr is OcrMode.AUTO and not page.chars)


def _ocr(renderer: PageRenderer, page: PdfPage, options: ConvertOptions, pages: PdfPages) -> PdfPage:
    """The page read by page OCR (without characters when the engine fails: an error of this
    page only)."""
    scanned = not page.chars
    if scanned and blank(renderer, page.number):
        return page  # nothing printed: nothing to read (a thousand blank pages cost no OCR)
    try:
        read, confidence = ocr_page(renderer, page, options.engine or default_engine())
    except Exception as error:  # an engine failure costs this page only
        pages.errors.append({"code": "ocr", "message": f"{type(error).__name__}: {error}", "page": page.number})
        return replace(page, chars=[])
    pages.routes.append(Finding("page", f"page {page.number}", "page-ocr", round(confidence, 3), {"route": "page OCR"}))
    if scanned:
        pages.ocr_chars[page.number] = read.chars
    return read


def blank(renderer: PageRenderer, number: int) -> bool:
    """Whether a page prints nothing at all (seen in a small, cheap rendering)."""
    image, _ = renderer.image(number, BLANK_SCALE)
    return image.getextrema()[0] >= BLANK_INK


def repair(pages: PdfPages, renderer: PageRenderer, options: ConvertOptions, fonts: FontFacts) -> PdfRepair:
    """Every line of every page repaired (margin rows too: whether they are furniture is
    decided on their repaired text), glyphs checked on the rendered pages."""
    lines = [line for layout in pages.layouts for line in layout.head + layout.lines + layout.foot]
    reader = None if options.ocr is OcrMode.NEVER else GlyphReader(renderer, lambda: options.engine or default_engine())
    checker = GlyphChecker(renderer, Occupancy(lines, pages.rules), options.jobs)
    return repair_lines(lines, options.repair, checker, fonts, reader)


def assemble_text(lines: list[PdfLine]) -> tuple[str, list[int]]:
    """The repaired lines as one text, a blank line wherever the type size changes (a title
    block, a heading set apart), and the page of each text line."""
    out: list[str] = []
    pages: list[int] = []
    previous = None
    for line in lines:
        size = max((c.size for c in line.chars), default=previous)  # a line of unreadable glyphs has none
        if previous and abs(size - previous) > SIZE_CHANGE * previous:
            out.append("")
            pages.append(line.page)
        out.append(line.text)
        pages.append(line.page)
        previous = size
    return "\n".join(out), pages


def place_documents(documents: list[Document], line_pages: list[int], tables: list[tuple[int, Table]]) -> None:
    """Provenance: each document's pages, and each ruled table given to the last document
    printed on its page (a document of its own when the file holds no other text)."""
    for document in documents:
        _set_pages(document, line_pages)
    for page, table in tables:
        owners = [d for d in documents if page in d.pages] or documents[-1:]
        if not owners:
            documents.append(Document(pages=[page]))
            owners = documents
        owners[-1].tables.append(table)


def _set_pages(document: Document, line_pages: list[int]) -> None:
    if document.lines:
        first, last = document.lines
        document.pages = sorted(set(line_pages[first - 1 : last]))
    for attachment in document.attachments:
        if attachment.document:
            _set_pages(attachment.document, line_pages)


def _with_repaired_lines(layouts: list[PageLayout], repaired: list[PdfLine]) -> list[PageLayout]:
    """The page layouts with their lines replaced by the repaired ones (taken in the order
    ``repair`` took them: each page's head, body, foot)."""
    lines = iter(repaired)
    relaid = []
    for layout in layouts:
        head = [next(lines) for _ in layout.head]
        body = [next(lines) for _ in layout.lines]
        foot = [next(lines) for _ in layout.foot]
        relaid.append(PageLayout(body, head, foot))
    return relaid


def _diagnosis(pages: PdfPages, repaired: PdfRepair) -> list[Finding]:
    """The repair's findings and the route of each OCRed page, led by the pages nothing could
    be read from."""
    findings = list(repaired.result.diagnosis) + pages.routes
    unreadable = sorted(set(pages.empty) | set(repaired.unreadable_pages))
    if unreadable:
        listed = ", ".join(map(str, unreadable))
        findings.insert(0, Finding.document("no-text-layer", 1.0, {"pages": unreadable, "message": f"no usable text layer on pages {listed}"}))
    return findings


def _page_texts(lines: list[PdfLine]) -> dict[int, list[str]]:
    """Each page's repaired lines, in the order its repairs number them."""
    texts: dict[int, list[str]] = {}
    for line in lines:
        texts.setdefault(line.page, []).append(line.text)
    return texts


def _reported(pages: Iterator[T], on_page: Callable[[], None] | None) -> Iterator[T]:
    """The pages, with ``on_page`` called once each has been dealt with."""
    for page in pages:
        yield page
        if on_page:
            on_page()


