"""The options of a run, built once (by the CLI, by batch, or by an API caller) and passed to
both entrances; CLI flags map onto their fields."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jiaokan.ocr import OcrEngine

# Decisions below this confidence are listed in the review report to check.
REVIEW_THRESHOLD = 0.9
# The least confidence for fix-pdf to remap a glyph code.
FIX_PDF_MIN_CONFIDENCE = 0.8


@dataclass(frozen=True)
class RepairConfig:
    """What a repair may change, text or PDF alike (``jiaokan.repair.stages`` runs a stage only
    when its switch is on).

    founder: undo Founder glyph shifts. mojibake: re-decode code-page mojibake.
    glyphs: map Kangxi radicals, radical supplements, compatibility ideographs and GB18030
    private-use points to unified ideographs, and document-number brackets turned into
    quotation marks back into 〔〕. t2s: convert traditional to simplified (OpenCC).
    min_confidence: a repair decided from context needs at least this posterior to be made.
    """

    founder: bool = True
    mojibake: bool = True
    glyphs: bool = True
    t2s: bool = False
    min_confidence: float = 0.5

    def __post_init__(self) -> None:
        if not (math.isfinite(self.min_confidence) and 0.0 < self.min_confidence < 1.0):
            raise ValueError(f"min_confidence must lie strictly between 0 and 1, not {self.min_confidence}")


class OcrMode(str, Enum):
    """Which PDF text is read by OCR: "auto" fonts without a usable map (by recognising their
    glyphs) and pages without text (page OCR), "never" none (reported instead), "force" every
    page by page OCR."""

    AUTO = "auto"
    NEVER = "never"
    FORCE = "force"


@dataclass(frozen=True)
class ConvertOptions:
    """Everything a conversion depends on besides the input: the repair settings, the OCR
    mode, the OCR engine (None: RapidOCR, made on first use), and how many worker processes
    may read a long PDF's pages or repair a large text's blocks (the result is the same)."""

    repair: RepairConfig = RepairConfig()
    ocr: OcrMode = OcrMode.AUTO
    engine: OcrEngine | None = field(default=None, compare=False)
    jobs: int = field(default=1, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "ocr", OcrMode(self.ocr))

    def key(self, kind: str) -> str:
        """The options that can change the output of an input of ``kind`` ("pdf" or "text"),
        as text: batch re-converts an input only when its key changes (OCR does not touch
        text input)."""
        repair = self.repair
        key = (f"founder={repair.founder}|mojibake={repair.mojibake}|glyphs={repair.glyphs}|t2s={repair.t2s}"
               f"|min_confidence={repair.min_confidence:g}")
        return key + (f"|ocr={self.ocr.value}" if kind == "pdf" else "")
