"""The result of converting one input (text or PDF): documents, repairs, provenance."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jiaokan.models import Document, RepairResult
from jiaokan.structure import emit

if TYPE_CHECKING:
    from jiaokan.pdf.model import Char, PageFrame
    from jiaokan.pdf.repair import CodeReading


@dataclass(frozen=True)
class PdfRecovery:
    """What a PDF's conversion learned beyond its text: the reading of every glyph code of
    every font, the characters page OCR found on pages without a text layer, and each page's
    repaired lines and size (all by page number)."""

    codes: dict[tuple[str, int], CodeReading]
    ocr_chars: dict[int, list[Char]]
    page_lines: dict[int, list[str]]  # repaired lines of each page, as numbered in ``repairs``
    page_sizes: dict[int, tuple[float, float]]  # width and height in points
    frames: dict[int, PageFrame | None]  # where each page's boxes are measured


@dataclass(frozen=True)
class Conversion:
    """A converted input: its documents, the repair behind them, and provenance. A text's
    repairs are placed by line and column of the input; a PDF's by page, line of that page's
    text layer (``pdf.page_lines`` holds the repaired lines), column, box, font and code."""

    documents: list[Document]
    repair: RepairResult
    source: dict[str, Any]
    furniture: list[str]
    errors: list[dict[str, Any]]
    pdf: PdfRecovery | None = None

    def to_json(self) -> dict[str, Any]:
        """The JSON contract, valid against ``jiaokan schema``."""
        return emit.to_json(self.documents, self.repair, self.source, self.furniture, self.errors)

    def to_markdown(self) -> str:
        return emit.to_markdown(self.documents)


def file_sha256(path: str | Path) -> str:
    """The sha256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
