"""Where the two entrances meet: a repaired text becomes documents with their GB/T 9704
elements, clause trees and tables (paragraphs → documents → clauses), emitted as JSON or
Markdown."""

from __future__ import annotations

from jiaokan.models import Document
from jiaokan.structure.clauses import build_clauses
from jiaokan.structure.laws import LEGAL_KINDS
from jiaokan.structure.documents import body_paragraphs, nest_attachments, read_elements, split_documents
from jiaokan.structure.paragraphs import paragraphs


def structure(text: str) -> tuple[list[Document], list[str]]:
    """The documents of a clean text, and its page furniture."""
    paras, furniture = paragraphs(text)
    built = []
    for draft in split_documents(paras):
        document = read_elements(draft)
        document.clauses, document.tables, _ = build_clauses(body_paragraphs(draft), document.kind in LEGAL_KINDS)
        built.append((document, draft))
    return nest_attachments(built), [f.text for f in furniture]
