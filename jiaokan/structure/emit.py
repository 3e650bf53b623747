"""Emit: the JSON contract (jiaokan/schema/jiaokan-2.schema.json) and Markdown for reading and RAG."""

from __future__ import annotations

from typing import Any

from jiaokan.models import Clause, Document, RepairResult, Table
from jiaokan.structure.patterns import DIVISIONS

SCHEMA_VERSION = "2.0"


def to_json(
    documents: list[Document], repair: RepairResult, source: dict[str, Any], furniture: list[str], errors: list[dict]
) -> dict[str, Any]:
    """The output object: source, diagnosis, repairs, documents, errors."""
    return {
        "schema_version": SCHEMA_VERSION,
        "source": source,
        "diagnosis": [f.to_dict() for f in repair.diagnosis],
        "repairs": [r.to_dict() for r in repair.repairs],
        "documents": [d.to_dict() for d in documents],
        "furniture": furniture,
        "errors": errors,
    }


def damage_kinds(data: dict[str, Any]) -> list[str]:
    """The damage kinds an output's diagnosis names for the whole text or for a font."""
    return sorted({f["damage"] for f in data["diagnosis"] if f["scope"] in ("document", "font")})


def to_markdown(documents: list[Document]) -> str:
    """Each document as Markdown: title heading, elements as a front block, clauses as nested
    headings and lists, tables as Markdown tables; full-width punctuation kept."""
    return "\n\n---\n\n".join(_document_md(d, level=1) for d in documents) + "\n"


def _document_md(document: Document, level: int) -> str:
    out = [f"{'#' * level} {document.title or '（无标题）'}"]
    elements = [
        ("发文字号", document.doc_number),
        ("登记号", document.registration_number),
        ("发文机关", "、".join(document.issuer) or None),
        ("成文日期", document.date),
        ("主送机关", document.addressees),
        ("附注", document.publication_note),
    ]
    front = [f"> **{name}**：{value}  " for name, value in elements if value]
    if front:
        out.append("\n".join(front))
    for clause in document.clauses:
        out.append(_clause_md(clause, level + 1))
    for table in document.tables:
        out.append(_table_md(table))
    for attachment in document.attachments:
        if attachment.document:
            out.append(_document_md(attachment.document, min(level + 1, 6)))
        else:
            out.append(f"附件{attachment.label}：{attachment.title}")
    return "\n\n".join(out)


def _clause_md(clause: Clause, level: int) -> str:
    if not clause.heading and (not clause.children or clause.kind not in DIVISIONS):
        return _item_md(clause, "")
    gap = "\u3000" if clause.kind in (*DIVISIONS, "article") and clause.heading and clause.label else ""  # 第一章　总则
    parts = [f"{'#' * min(level, 6)} {clause.label}{gap}{clause.heading or ''}"]
    if clause.text:
        parts.append(clause.text)
    parts += [_clause_md(c, level + 1) for c in clause.children]
    return "\n\n".join(parts)


def _item_md(clause: Clause, indent: str) -> str:
    """A clause as a list item: its 款 are paragraphs of the item (the first one on the label's
    line), its items nest one level deeper. A 款 outside any item is a plain paragraph."""
    children = list(clause.children)
    text = clause.text
    if not text and children and children[0].kind == "paragraph" and clause.kind != "paragraph":
        first = children.pop(0)
        text, children = first.text, first.children + children
    label = f"**{clause.label}** " if clause.label else ""
    lead = indent if clause.kind == "paragraph" else f"{indent}- "
    inner = indent if clause.kind == "paragraph" else indent + "  "
    parts = [f"{lead}{label}{text}"]
    for child in children:
        parts.append(_item_md(child, inner))
    return "\n\n".join(parts)


def _table_md(table: Table) -> str:
    def row(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    lines = [row(table.columns), row(["---"] * len(table.columns))]
    lines += [row(r) for r in table.rows]
    return "\n".join(lines)
