"""Result records with ``to_dict()`` for JSON output: repairs and findings (immutable), and the
documents, clauses, attachments and tables that structure builds up (mutable dataclasses)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from itertools import groupby, repeat
from operator import itemgetter
from typing import Any, NamedTuple, TypeVar

Row = TypeVar("Row", bound=tuple)
_PLACE, _LINE = itemgetter(0, 1), itemgetter(0)  # a repair's line and column, its line (fields 0, 1)


class Repair(NamedTuple):
    """One change to the input, from either entrance: ``before`` at ``line``:``column`` (1-based,
    in code points of the input line; for a PDF, the line of the page's text layer in reading
    order) became ``after``, by ``method``, with ``confidence`` in [0, 1]. A PDF repair also
    has its place: ``page``, ``bbox`` (x0, top, x1, bottom in points), ``font`` and the glyph
    ``code`` (when it covers one character). A named tuple: a damaged text yields millions."""

    line: int
    column: int
    before: str
    after: str
    method: str
    confidence: float
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    font: str | None = None
    code: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: page (null for text), line, column, before, after, method,
        confidence, and bbox, font and code where the repair has a place on a page."""
        data = {"page": self.page, "line": self.line, "column": self.column, "before": self.before,
                "after": self.after, "method": self.method, "confidence": self.confidence}
        if self.bbox is not None:
            data.update(bbox=list(self.bbox), font=self.font, code=self.code)
        return data


# The fields after ``confidence`` of a text's repair, which has no place on a page: a repair
# made as ``tuple.__new__(Repair, (line, column, before, after, method, confidence) + NO_PLACE)``
# (no Python call, where hundreds of thousands are made).
NO_PLACE = (None,) * (len(Repair._fields) - 6)


@dataclass(frozen=True)
class Finding:
    """One candidate damage kind with its evidence (a diagnosis row).

    ``scope`` is "document" (the whole input), "span" (lines of a text), "font" (one font of a
    PDF) or "page" (how a PDF page was read); ``where`` says which ("whole text", "lines
    3-40", the font's name, "page 2"); ``lines`` holds a span's first and last line (1-based).
    """

    scope: str
    where: str
    damage: str
    confidence: float
    evidence: dict[str, Any] = field(default_factory=dict)
    lines: tuple[int, int] | None = None

    @classmethod
    def document(cls, damage: str, confidence: float, evidence: dict[str, Any]) -> Finding:
        return cls("document", "whole text", damage, round(confidence, 3), evidence)

    @classmethod
    def span(cls, first: int, last: int, damage: str, confidence: float, evidence: dict[str, Any] | None = None) -> Finding:
        where = f"line {first}" if first == last else f"lines {first}-{last}"
        return cls("span", where, damage, round(confidence, 3), evidence or {}, (first, last))

    def moved(self, offset: int) -> Finding:
        """The same finding with its lines ``offset`` further down."""
        if self.lines is None or not offset:
            return self
        first, last = self.lines
        return Finding.span(first + offset, last + offset, self.damage, self.confidence, self.evidence)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["lines"] = list(self.lines) if self.lines else None
        return data


@dataclass(frozen=True)
class RepairResult:
    """Repaired text, every repair made, and the diagnosis ranked most likely first."""

    text: str
    repairs: tuple[Repair, ...]
    diagnosis: tuple[Finding, ...]

    @property
    def damage(self) -> str:
        """The document's leading damage kind (a PDF's: its leading font's), "clean" when
        nothing was found."""
        damages = [f for f in self.diagnosis if f.damage != "encoding-guessed"]
        leading = [f for f in damages if f.scope == "document"] or [f for f in damages if f.scope == "font"]
        return leading[0].damage if leading else "clean"

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "repairs": [r.to_dict() for r in self.repairs],
            "diagnosis": [f.to_dict() for f in self.diagnosis],
        }

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with its repairs as columns of their fields: a worker process sends a
        block's hundreds of thousands of repairs, and named tuples unpickle one Python call
        each."""
        return _unpickled_result, (self.text, tuple(zip(*self.repairs)), self.diagnosis)


def from_columns(kind: type[Row], columns: Iterable[Iterable[Any]]) -> Iterator[Row]:
    """Named tuples of ``kind`` from columns of their fields (as ``zip(*rows)`` gives them),
    made without a Python call each: how repairs and a PDF's characters cross to and from
    worker processes (pickled one by one, each costs a Python call to write and another to
    read)."""
    return map(tuple.__new__, repeat(kind), zip(*columns))


def _unpickled_result(text: str, columns: tuple[tuple[Any, ...], ...], diagnosis: tuple[Finding, ...]) -> RepairResult:
    return RepairResult(text, tuple(from_columns(Repair, columns)), diagnosis)


def by_line(repairs: Iterable[Repair]) -> Iterator[tuple[int, Iterator[Repair]]]:
    """``repairs`` by line, in order, each line's by column (in their order where two share one)."""
    return groupby(sorted(repairs, key=_PLACE), key=_LINE)


def apply_repairs(text: str, repairs: list[Repair] | tuple[Repair, ...]) -> str:
    """Replay ``repairs`` on the original ``text``; gives back the repaired text.

    >>> apply_repairs("单位院\\n", [Repair(1, 3, "院", "：", "founder+0x31", 0.99)])
    '单位：\\n'
    """
    lines = text.split("\n")
    for number, edits in by_line(repairs):
        line = lines[number - 1]
        pieces, at = [], 0
        for edit in edits:
            start, before = edit[1] - 1, edit[2]
            if start < at or line[start : start + len(before)] != before:
                raise ValueError(f"edit does not match the text at line {edit.line}, column {edit.column}: {edit}")
            pieces += (line[at:start], edit[3])
            at = start + len(before)
        pieces.append(line[at:])
        lines[number - 1] = "".join(pieces)
    return "\n".join(lines)


@dataclass
class Table:
    """A table: column names and rows of cells (strings, as printed)."""

    columns: list[str]
    rows: list[list[str]]

    def to_dict(self) -> dict[str, Any]:
        return {"columns": self.columns, "rows": self.rows}


@dataclass
class Clause:
    """A numbered clause: ``label`` as printed (一、 （一） 1． 第一条 …), its ``kind``, the short
    ``heading`` that opens it (or None), its own ``text`` and ``sentences``, and its children.

    ``numbering`` is None, or "skipped"/"repeated" when the number does not follow the
    previous sibling's (kept as printed, never renumbered). ``citation`` is how a legal
    text cites the clause (第三条第二款第（一）项), None outside legal provisions. Not emitted:
    ``paragraph_lines``, the lines of each paragraph of ``text``, and ``after``, how many of
    its parent's paragraphs were printed before this clause (the 款 it belongs to)."""

    label: str
    kind: str
    heading: str | None
    text: str
    sentences: list[str] = field(default_factory=list)
    children: list[Clause] = field(default_factory=list)
    lines: tuple[int, int] | None = None
    numbering: str | None = None
    responsible_units: list[str] = field(default_factory=list)
    amounts: list[str] = field(default_factory=list)
    deadlines: list[str] = field(default_factory=list)
    citation: str | None = None
    paragraph_lines: list[tuple[int, int]] = field(default_factory=list, repr=False)
    after: int = field(default=0, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "kind": self.kind,
            "heading": self.heading,
            "text": self.text,
            "sentences": self.sentences,
            "children": [c.to_dict() for c in self.children],
            "lines": list(self.lines) if self.lines else None,
            "numbering": self.numbering,
            "responsible_units": self.responsible_units,
            "amounts": self.amounts,
            "deadlines": self.deadlines,
            "citation": self.citation,
        }

    def walk(self):
        """This clause and all below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Promulgation:
    """One entry of a law's promulgation record (题注): on ``date`` (ISO) ``body`` (an organ or
    its meeting) did ``action`` (通过, 公布, 发布, 批准, 修正, 修订, 施行, 废止), under ``number``
    (国务院令第361号, 法释〔2015〕4号) or following ``basis`` (the decision it applies); ``text``
    as printed."""

    date: str | None
    action: str | None
    body: str | None
    number: str | None
    basis: str | None
    text: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Attachment:
    """An attachment note item (附件说明) and, when the file holds it, the attached document."""

    label: str
    title: str
    document: Document | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "title": self.title, "document": self.document.to_dict() if self.document else None}


@dataclass
class Document:
    """One document of an input, with its GB/T 9704 elements (发文字号 doc_number, 标题 title,
    发文机关署名 issuer, 成文日期 date, 主送机关 addressees, 附注 publication_note, 抄送 cc,
    印发 printed_by), and for laws and rules their promulgation record, 施行日期 ``effective``,
    what ``date`` is (``date_basis``: signed, adopted or promulgated) and the decision that
    amended the text as republished (``amended_by``)."""

    kind: str = "other"
    doc_number: str | None = None
    registration_number: str | None = None
    title: str | None = None
    issuer: list[str] = field(default_factory=list)
    date: str | None = None
    addressees: str | None = None
    publication_note: str | None = None
    cc: str | None = None
    printed_by: str | None = None
    promulgation: list[Promulgation] = field(default_factory=list)
    effective: str | None = None
    date_basis: str | None = None
    amended_by: str | None = None
    pages: list[int] = field(default_factory=list)
    text: str = ""
    clauses: list[Clause] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    lines: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "doc_number": self.doc_number,
            "registration_number": self.registration_number,
            "title": self.title,
            "issuer": self.issuer,
            "date": self.date,
            "addressees": self.addressees,
            "publication_note": self.publication_note,
            "cc": self.cc,
            "printed_by": self.printed_by,
            "promulgation": [p.to_dict() for p in self.promulgation],
            "effective": self.effective,
            "date_basis": self.date_basis,
            "amended_by": self.amended_by,
            "pages": self.pages,
            "text": self.text,
            "clauses": [c.to_dict() for c in self.clauses],
            "attachments": [a.to_dict() for a in self.attachments],
            "tables": [t.to_dict() for t in self.tables],
            "lines": list(self.lines) if self.lines else None,
        }
