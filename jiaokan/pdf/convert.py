"""The PDF entrance: pages read → OCR where needed → layout → per-font repair → structure."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any, Callable

from jiaokan.conversion import Conversion, PdfRecovery, file_sha256
from jiaokan.models import Document, Finding, RepairResult, Table
from jiaokan.ocr import OcrEngine, default_engine
from jiaokan.ocr.glyphs import recognize_glyphs
from jiaokan.ocr.pages import ocr_page
from jiaokan.pdf.ink import GlyphChecker
from jiaokan.pdf.layout import page_lines, split_furniture
from jiaokan.pdf.model import Char, PageError, PageLayout, PdfLine, PdfPage
from jiaokan.pdf.read import fonts_without_map, read_pdf
from jiaokan.pdf.repair import repair_lines
from jiaokan.structure import structure


def convert_pdf(
    path: str | Path, ocr: str = "auto", engine: OcrEngine | None = None, on_page: Callable[[], None] | None = None
) -> Conversion:
    """Convert a PDF: pages read and laid out one at a time, fonts diagnosed and repaired,
    glyphs verified by rendering, then the same structure stages as text.

    ``ocr``: "auto" reads fonts without a map by recognising their glyphs and pages without
    text by page OCR, "force" every page by OCR, "never" neither (they are reported).
    ``engine`` defaults to RapidOCR, made on first use; ``on_page`` is called as each page
    is done (for a progress bar)."""
    layouts: list[PageLayout] = []
    errors: list[dict[str, Any]] = []
    empty: list[int] = []
    tables: list[tuple[int, Table]] = []
    routes: list[Finding] = []
    ocr_chars: dict[int, list[Char]] = {}
    sizes: dict[int, tuple[float, float]] = {}
    unmapped = fonts_without_map(path)
    pages = 0
    for page in _reported(read_pdf(path), on_page):
        pages += 1
        if isinstance(page, PageError):
            errors.append({"code": "page-parse", "message": page.message, "page": page.page})
            continue
        sizes[page.number] = (page.width, page.height)
        tables += [(page.number, Table(t.rows[0], t.rows[1:])) for t in page.tables]
        if ocr == "force" or (ocr == "auto" and not page.chars):
            scanned = not page.chars
            try:
                page, confidence = ocr_page(path, page, engine or default_engine())
            except Exception as error:  # an engine failure costs this page only
                errors.append({"code": "ocr", "message": f"{type(error).__name__}: {error}", "page": page.number})
                empty.append(page.number)
                continue
            routes.append(Finding("page", f"page {page.number}", "page-ocr", round(confidence, 3), {"route": "page OCR"}))
            if scanned:
                ocr_chars[page.number] = page.chars
        if not page.chars:
            empty.append(page.number)
            continue
        layouts.append(page_lines(page))
    every = [line for layout in layouts for line in layout.head + layout.lines + layout.foot]
    checker = GlyphChecker(path)
    recognize = None if ocr == "never" else partial(_recognize, path, engine)
    try:
        repaired = repair_lines(every, checker, unmapped, recognize)
    finally:
        checker.close()
    text_of = dict(zip(map(id, every), repaired.texts))
    lines, furniture = split_furniture(layouts, lambda line: text_of[id(line)])
    body_texts = [text_of[id(line)] for line in lines]
    unreadable = sorted(set(empty) | set(repaired.unreadable_pages))
    findings = list(repaired.findings) + routes
    if unreadable:
        listed = ", ".join(map(str, unreadable))
        findings.insert(0, Finding.document("no-text-layer", 1.0, {"pages": unreadable, "message": f"no usable text layer on pages {listed}"}))
    text_lines, line_pages = _text_lines(lines, body_texts)
    text = "\n".join(text_lines)
    documents, _ = structure(text)
    for document in documents:
        _set_pages(document, line_pages)
    _place_tables(documents, tables)
    source = {"path": str(path), "sha256": file_sha256(path), "kind": "pdf", "pages": pages, "encoding": None}
    result = RepairResult(text, (), tuple(findings))
    furniture_texts = [text_of[id(line)] for line in furniture if text_of[id(line)]]
    page_texts: dict[int, list[str]] = {}
    for line, text in zip(every, repaired.texts):
        page_texts.setdefault(line.page, []).append(text)
    recovery = PdfRecovery(repaired.repairs, repaired.codes, ocr_chars, page_texts, sizes)
    return Conversion(documents, result, source, furniture_texts, errors, recovery)


def _reported(pages: Iterator[PdfPage | PageError], on_page: Callable[[], None] | None) -> Iterator[PdfPage | PageError]:
    """The pages, with ``on_page`` called once each has been dealt with."""
    for page in pages:
        yield page
        if on_page:
            on_page()


def _recognize(path: str | Path, engine: OcrEngine | None, samples: dict) -> dict:
    return recognize_glyphs(path, samples, engine or default_engine())


def _place_tables(documents: list[Document], tables: list[tuple[int, Table]]) -> None:
    """Each ruled table goes to the last document printed on its page (a document of its own
    when the file holds no other text)."""
    for page, table in tables:
        owners = [d for d in documents if page in d.pages] or documents[-1:]
        if not owners:
            documents.append(Document(pages=[page]))
            owners = documents
        owners[-1].tables.append(table)


def _text_lines(lines: list[PdfLine], texts: list[str]) -> tuple[list[str], list[int]]:
    """The repaired lines as text, a blank line wherever the type size changes (a title
    block, a heading set apart), and the page of each text line."""
    out: list[str] = []
    pages: list[int] = []
    previous = None
    for line, text in zip(lines, texts):
        size = max(c.size for c in line.chars)
        if previous and abs(size - previous) > SIZE_CHANGE * previous:
            out.append("")
            pages.append(line.page)
        out.append(text)
        pages.append(line.page)
        previous = size
    return out, pages


SIZE_CHANGE = 0.15


def _set_pages(document: Document, line_pages: list[int]) -> None:
    if document.lines:
        first, last = document.lines
        document.pages = sorted(set(line_pages[first - 1 : last]))
    for attachment in document.attachments:
        if attachment.document:
            _set_pages(attachment.document, line_pages)
