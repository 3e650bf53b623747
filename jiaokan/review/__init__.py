"""Review reports: the page images beside the recovered text, every repair marked, the doubtful
decisions first, in one self-contained HTML file an archivist can open from a USB stick.

``build_report`` turns a ``Conversion`` into the HTML of one input (page images rendered by
pypdfium2, downscaled and embedded as 16-grey PNG: crisp glyph edges, about 100 KB a page;
text input gets the text alone); ``build_index``
lists the reports of a batch. The pages read without JavaScript: the details of a repair are
in its ``title`` (shown on hover) and every link is a plain anchor; the script only sorts
tables. Fonts are the reader's own Chinese system fonts.
"""

from __future__ import annotations

import base64
import io
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jiaokan import __version__
from jiaokan.conversion import Conversion
from jiaokan.files import write_atomic
from jiaokan.models import Repair
from jiaokan.options import REVIEW_THRESHOLD
from jiaokan.pdf.render import PageRenderer
from jiaokan.structure.emit import damage_kinds

THRESHOLD = REVIEW_THRESHOLD
IMAGE_WIDTH = 900
GREYS = 16


@dataclass(frozen=True)
class Mark:
    """A repair as shown: its anchor number, texts, method, confidence, and for a PDF its page
    and its box on the page image in percent of the page (left, top, width, height)."""

    number: int
    before: str
    after: str
    method: str
    confidence: float
    page: int | None = None
    box: tuple[float, float, float, float] | None = None

    @property
    def title(self) -> str:
        return f"{self.before} → {self.after} · {self.method} · {self.confidence:.2f}"


@dataclass
class PageView:
    """One page (or the whole text of a text input): its image, its lines (each a list of
    plain strings and marks), and notes on how it was read."""

    number: int | None
    image: str | None
    lines: list[list[str | Mark]] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReviewSummary:
    """What the batch index shows of one report."""

    input: str
    report: str | None
    status: str
    damage: list[str]
    repairs: int
    to_check: int
    error: str | None = None


def build_report(conversion: Conversion, threshold: float = THRESHOLD) -> str:
    """The review page of one converted input."""
    data = conversion.to_json()
    pages = _pdf_pages(conversion) if conversion.pdf is not None else [_text_page(conversion)]
    marks = [mark for page in pages for mark in page.marks]
    doubtful = sorted((m for m in marks if m.confidence < threshold), key=lambda m: (m.confidence, m.number))
    return _template("report.html").render(
        source=data["source"], diagnosis=data["diagnosis"], documents=data["documents"], errors=data["errors"],
        furniture=data["furniture"], pages=pages, marks=marks, doubtful=doubtful, threshold=threshold,
        methods=Counter(m.method for m in marks).most_common(), version=__version__,
    )


def write_report(conversion: Conversion, output: str | Path, threshold: float = THRESHOLD) -> None:
    """Write the review page of ``conversion`` to ``output`` (atomically)."""
    write_atomic(output, build_report(conversion, threshold))


def index_row(data: dict[str, Any], report: str | None, threshold: float = THRESHOLD) -> ReviewSummary:
    """The index row of a converted input, from its JSON output."""
    repairs = data["repairs"]
    errors = "; ".join(e["message"] for e in data["errors"]) or None
    return ReviewSummary(data["source"]["path"], report, "partial" if errors else "ok", damage_kinds(data),
                         len(repairs), sum(r["confidence"] < threshold for r in repairs), errors)


def build_index(rows: list[ReviewSummary], title: str = "jiaokan review") -> str:
    """The page listing a batch's reports, with status, damage, repairs and doubts (sortable)."""
    return _template("index.html").render(rows=rows, title=title, version=__version__)


def _text_page(conversion: Conversion) -> PageView:
    """A text input as one view: its repaired lines with every repair marked."""
    view = PageView(None, None)
    _mark_lines(view, conversion.repair.text.split("\n"), list(enumerate(conversion.repair.repairs, start=1)), None)
    return view


def _pdf_pages(conversion: Conversion) -> list[PageView]:
    """Each page: its image, a note on how it was read, its repaired lines with the repairs
    marked and boxed."""
    recovery = conversion.pdf
    by_page: dict[int, list[tuple[int, Repair]]] = {}
    for number, repair in enumerate(conversion.repair.repairs, start=1):
        by_page.setdefault(repair.page, []).append((number, repair))
    notes: dict[str, list[str]] = {}
    for finding in conversion.repair.diagnosis:
        if finding.scope == "page":
            notes.setdefault(finding.where, []).append(f"read by {finding.damage} (confidence {finding.confidence:.2f})")
        for page in finding.evidence.get("pages", []) if finding.damage == "no-text-layer" else []:
            notes.setdefault(f"page {page}", []).append("no usable text layer: nothing could be read")
    images = _page_images(conversion)
    views = []
    for page in sorted(recovery.page_sizes):
        view = PageView(page, images.get(page), notes=notes.get(f"page {page}", []))
        _mark_lines(view, recovery.page_lines.get(page, []), by_page.get(page, []), recovery.page_sizes[page])
        views.append(view)
    return views


def _mark_lines(view: PageView, lines: list[str], repairs: list[tuple[int, Repair]], size: tuple[float, float] | None) -> None:
    """Add ``lines`` (repaired) to ``view`` with each repair marked where it landed: a repair's
    column is in the input line, so earlier repairs of the line shift it. Marks are numbered
    as the repairs are listed in the JSON output; with the page ``size``, a repair's box is
    given in percent of the page."""
    by_line: dict[int, list[tuple[int, Repair]]] = {}
    for number, repair in repairs:
        by_line.setdefault(repair.line, []).append((number, repair))
    for n, line in enumerate(lines, start=1):
        placed = []
        shift = 0
        for number, repair in sorted(by_line.get(n, []), key=lambda pair: pair[1].column):
            box = None
            if size and repair.bbox:
                (width, height), (x0, top, x1, bottom) = size, repair.bbox
                box = (100 * x0 / width, 100 * top / height, 100 * (x1 - x0) / width, 100 * (bottom - top) / height)
            mark = Mark(number, repair.before, repair.after, repair.method, repair.confidence, repair.page, box)
            placed.append((repair.column - 1 + shift, mark))
            shift += len(repair.after) - len(repair.before)
        view.lines.append(_segments(line, placed))
        view.marks += [mark for _, mark in placed]


def _segments(line: str, placed: list[tuple[int, Mark]]) -> list[str | Mark]:
    """``line`` cut into plain text and the marks at their columns."""
    out: list[str | Mark] = []
    at = 0
    for column, mark in sorted(placed, key=lambda p: p[0]):
        if column < at or line[column : column + len(mark.after)] != mark.after:
            continue  # a repair that does not sit where it says is listed, not drawn
        out += [line[at:column], mark]
        at = column + len(mark.after)
    out.append(line[at:])
    return [piece for piece in out if piece != ""]


def _page_images(conversion: Conversion) -> dict[int, str]:
    """Page images (in the frame of the page's boxes) as PNG data URIs, IMAGE_WIDTH pixels
    wide, in GREYS shades of grey."""
    from PIL import Image

    step = 255 / (GREYS - 1)
    images = {}
    recovery = conversion.pdf
    with PageRenderer(conversion.source["path"], recovery.frames) as renderer:
        for number, (width, _) in sorted(recovery.page_sizes.items()):
            image, _ = renderer.image(number, IMAGE_WIDTH / width)
            image = image.point(lambda v: round(round(v / step) * step))
            image = image.convert("P", palette=Image.Palette.ADAPTIVE, colors=GREYS)
            buffer = io.BytesIO()
            image.save(buffer, format="PNG", optimize=True, bits=4)
            images[number] = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
    return images


@cache
def _environment() -> Any:
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("jiaokan.review", "templates"),
        autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
    )
    environment.tests["mark"] = lambda piece: isinstance(piece, Mark)
    # A link to a report is a relative path, percent-encoded: a name such as
    # "javascript:alert(1).txt" or "a#b?.txt" names a file, never a scheme, fragment or query.
    environment.filters["urlpath"] = lambda path: quote(path, safe="/")
    return environment


def _template(name: str) -> Any:
    return _environment().get_template(name)

