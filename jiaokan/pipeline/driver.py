"""The driver: ingest → repair (diagnose inside) → layout → documents → clauses → emit."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jiaokan.config import RepairConfig
from jiaokan.models import Document, RepairResult
from jiaokan.pipeline import emit
from jiaokan.pipeline.clauses import build_clauses
from jiaokan.pipeline.documents import body_paragraphs, nest_attachments, read_elements, split_documents
from jiaokan.pipeline.ingest import DecodedText, read_text
from jiaokan.pipeline.layout import paragraphs
from jiaokan.pipeline.repair import repair_text


def structure(text: str) -> tuple[list[Document], list[str]]:
    """The documents of a clean text, and its page furniture."""
    paras, furniture = paragraphs(text)
    built = []
    for draft in split_documents(paras):
        document = read_elements(draft)
        document.clauses, document.tables, _ = build_clauses(body_paragraphs(draft))
        built.append((document, draft))
    return nest_attachments(built), [f.text for f in furniture]


@dataclass(frozen=True)
class Conversion:
    """A converted input: its documents, the repair behind them, and provenance."""

    documents: list[Document]
    repair: RepairResult
    source: dict[str, Any]
    furniture: list[str]
    errors: list[dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        """The JSON contract (DESIGN.md section 4), valid against ``jiaokan schema``."""
        return emit.to_json(self.documents, self.repair, self.source, self.furniture, self.errors)

    def to_markdown(self) -> str:
        return emit.to_markdown(self.documents)


def convert_text(decoded: DecodedText, path: str, raw: bytes, config: RepairConfig = RepairConfig()) -> Conversion:
    """Convert a decoded text file."""
    repaired = repair_text(decoded.text, config)
    documents, furniture = structure(repaired.text)
    source = {
        "path": path,
        "sha256": hashlib.sha256(raw).hexdigest(),
        "kind": "text",
        "pages": None,
        "encoding": decoded.encoding,
    }
    return Conversion(documents, repaired, source, furniture, [])


def convert_file(path: str | Path, config: RepairConfig = RepairConfig()) -> Conversion:
    """Convert a text file (PDF input arrives with the PDF stages)."""
    decoded = read_text(path)
    return convert_text(decoded, str(path), Path(path).read_bytes(), config)
