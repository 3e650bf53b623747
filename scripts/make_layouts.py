"""Generate the layout corpus: the same kind of text set in many page layouts, each with the
text a reader would read from it, for the reading-order tests and ``bench_layout.py``.

Each layout is an A5 PDF (every character placed on its own, so lines are justified and
the content stream's order can be shuffled) and a ``.txt`` beside it holding the lines in
reading order: the title, then each band of columns column by column, headings where they
fall. Running heads and page numbers are printed but not in the ``.txt``.

Varied: columns (1–4, equal or not), gutters (0.5–3 ems) with closing punctuation hung into
them (避头尾), columns whose baselines are offset by half a line, a heading across the
columns mid-page followed by a new band, one column on top and two below, vertical rules,
random content-stream order, running heads alternating between the issue's name and the
document's title, page numbers in several forms, type from 9 to 16 pt, sans, mono and serif
faces. The text comes from the clean legal texts in fixtures/text/clean.

Fonts: WenQuanYi Micro Hei and its Mono face (the PyPI package paperang-p2-fonts-cjk, as for
make_fixtures.py), AR PL UMing (Debian's fonts-arphic-uming, a Ming/serif face) and
WenQuanYi Zen Hei (fonts-wqy-zenhei, random layouts only); a layout whose face is missing is
skipped, saying so. The PDFs embed subsets. `--random N --seed S` draws N designs at random
instead of the named ones (for trying the layout stage on designs no test names).
Run: python scripts/make_layouts.py [--out fixtures/layouts] [--random N --seed S]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTCollection
from fpdf import FPDF

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_fixtures import font_files  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "fixtures" / "text" / "clean").glob("*.txt"))
UMING = Path("/usr/share/fonts/truetype/arphic/uming.ttc")
A5, A4 = (419.5, 595.3), (595.3, 841.9)  # in points
MARGIN = 36.0
ZENHEI = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
HANGING = "，。、；：！？）》」』”’"
ISSUE = "示范市人民政府公报 2025年第3期"
PAGE_NUMBERS = ("— {n} —", "- {n} -", "·{n}·", "第{n}页", "{n}", "页码，{n}/40")


@dataclass(frozen=True)
class Layout:
    """How one page design sets the text."""

    name: str
    columns: tuple[float, ...] = (1, 1)  # relative widths
    gutter: float = 1.7  # ems
    size: float = 10.5
    face: str = "sans"
    offset: float = 0.0  # lines by which every other column's baselines are lowered
    heading: bool = False  # a heading across the columns mid-page, then a new band
    lead: bool = False  # one column of text on top, then the columns
    rule: bool = False  # a vertical rule in each gutter
    shuffle: bool = False  # the content stream in random order
    alternate: bool = False  # running heads: the issue's name and the title in turn
    pages: int = 1
    numbers: str = "- {n} -"
    source: int = 0
    page: tuple[float, float] = A5


LAYOUTS = (
    Layout("one-column-12pt", columns=(1,), size=12, numbers="第{n}页"),
    Layout("two-columns-wide-gutter", gutter=3.0),
    Layout("two-columns-1.7em", gutter=1.7, source=1),
    Layout("two-columns-1em-serif", gutter=1.0, face="serif", numbers="— {n} —", source=2),
    Layout("two-columns-0.5em", gutter=0.5, source=3),
    Layout("two-columns-offset", gutter=1.2, offset=0.5, numbers="·{n}·", source=1),
    Layout("two-columns-unequal", columns=(2, 1), gutter=1.5, size=9.5, source=2),
    Layout("three-columns-9pt", columns=(1, 1, 1), gutter=1.2, size=9, source=3),
    Layout("four-columns-9pt", columns=(1, 1, 1, 1), gutter=1.0, size=9, face="mono", numbers="{n}"),
    Layout("mid-page-heading", gutter=1.5, heading=True, source=1),
    Layout("one-then-two-columns", gutter=1.5, lead=True, face="serif", source=2),
    Layout("vertical-rules", columns=(1, 1, 1), gutter=1.5, rule=True, size=9, source=3),
    Layout("shuffled-stream", gutter=1.2, shuffle=True, offset=0.3, numbers="页码，{n}/40"),
    Layout("alternating-heads", gutter=1.5, alternate=True, pages=3, source=1),
    Layout("large-type-16pt", columns=(1, 1), gutter=1.0, size=16, face="mono", source=2),
    Layout("three-columns-offset-shuffled", columns=(1, 1, 1), gutter=0.8, size=9.5, offset=0.5, shuffle=True, face="serif", source=3),
)


@dataclass
class Glyph:
    """One character to draw: text, font, size, baseline position."""

    text: str
    size: float
    x: float
    y: float
    page: int


class Setter:
    """Sets paragraphs into columns, page after page, recording what a reader reads."""

    def __init__(self, pdf: FPDF, layout: Layout, title: str) -> None:
        self.pdf, self.layout, self.title = pdf, layout, title
        self.glyphs: list[Glyph] = []
        self.read: list[str] = []  # lines in reading order
        self.rules: list[tuple[int, float, float, float]] = []
        self.page = 0

    def width(self, text: str, size: float) -> float:
        self.pdf.set_font("Body", size=size)
        return self.pdf.get_string_width(text)

    def new_page(self) -> float:
        """Start a page with its running head and page number; the top of its text."""
        self.page += 1
        head = self.title if self.layout.alternate and self.page % 2 == 1 else ISSUE
        self.line(head, 8, MARGIN, 24, align="left", read=False)
        number = self.layout.numbers.format(n=self.page + 6)
        self.line(number, 8, MARGIN, self.layout.page[1] - 20, align="centre", read=False)
        return 48.0

    def line(self, text: str, size: float, x: float, y: float, align: str, read: bool = True, width: float | None = None) -> None:
        """One line of ``text`` set solid from ``x`` (or centred), recorded as read unless ``read`` is false."""
        full = width or self.layout.page[0] - 2 * MARGIN
        shift = {"left": 0.0, "centre": (full - self.width(text, size)) / 2}[align]
        self._glyphs(text, size, x + shift, y, 0.0)
        if read:
            self.read.append(text)

    def _glyphs(self, text: str, size: float, x: float, y: float, spacing: float) -> None:
        for char in text:
            self.glyphs.append(Glyph(char, size, x, y, self.page))
            x += self.width(char, size) + spacing

    def wrap(self, paragraph: str, width: float, size: float, indent: bool) -> list[tuple[str, float, bool]]:
        """Lines of a paragraph: text, its first character's indent, whether it is justified.
        A closing mark that would start a line hangs at the end of the line before."""
        lines: list[tuple[str, float, bool]] = []
        line, used = "", 2 * size if indent else 0.0
        start = used
        for char in paragraph:
            advance = self.width(char, size)
            if used + advance > width + 0.01 and line:
                if char in HANGING:
                    lines.append((line + char, start, True))
                    line, used, start = "", 0.0, 0.0
                    continue
                lines.append((line, start, True))
                line, used, start = "", 0.0, 0.0
            line += char
            used += advance
        if line:
            lines.append((line, start, False))
        return lines

    def set_line(self, text: str, indent: float, justified: bool, x: float, y: float, width: float, size: float) -> None:
        hung = text[-1] in HANGING and self.width(text, size) + indent > width + 0.01
        body = text[:-1] if hung else text
        natural = self.width(body, size)
        spacing = (width - indent - natural) / (len(body) - 1) if justified and len(body) > 1 else 0.0
        self._glyphs(body, size, x + indent, y, max(0.0, spacing))
        if hung:
            self._glyphs(text[-1], size, x + width, y, 0.0)
        self.read.append(text)

    def band(self, paragraphs: list[str], top: float, bottom: float, columns: tuple[float, ...]) -> tuple[list[str], float]:
        """Fill one band of columns from ``paragraphs``; what is left, and the band's bottom."""
        size, leading = self.layout.size, self.layout.size * 1.6
        gutter = self.layout.gutter * size
        total = self.layout.page[0] - 2 * MARGIN - gutter * (len(columns) - 1)
        widths = [total * share / sum(columns) for share in columns]
        x, lowest = MARGIN, top
        queue: list[tuple[str, float, bool]] = []
        left = list(paragraphs)
        for index, width in enumerate(widths):
            y = top + size + (self.layout.offset * leading if index % 2 else 0.0)
            while y <= bottom:
                if not queue:
                    if not left:
                        break
                    paragraph = left.pop(0)
                    queue = self.wrap(paragraph, width, size, indent=not re.match(r"第.{1,6}[章条]|[一二三四五六七八九十]+、", paragraph))
                text, indent, justified = queue.pop(0)
                self.set_line(text, indent, justified, x, y, width, size)
                lowest = max(lowest, y)
                y += leading
            if queue:  # the rest of a paragraph begun in this column carries on in the next
                left.insert(0, "".join(t for t, _, _ in queue))
                queue = []
            if self.layout.rule and index < len(widths) - 1:
                self.rules.append((self.page, x + width + gutter / 2, top, bottom + size))
            x += width + gutter
        return left, lowest + leading


def layout_pdf(layout: Layout, text: str, fonts: dict[str, Path]) -> tuple[bytes, list[str]]:
    """The PDF of ``layout`` set with ``text``, and the lines in reading order."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    start = 1 + sum(layout.name.encode()) % max(1, len(lines) - 80)
    title, paragraphs = lines[0], lines[start:]
    width, height = layout.page
    pdf = FPDF(unit="pt", format=(width, height))
    pdf.set_auto_page_break(False)
    pdf.add_font("Body", fname=str(fonts[layout.face]))
    setter = Setter(pdf, layout, title)
    for page in range(layout.pages):
        top = setter.new_page()
        if page == 0:
            size = min(16.0, layout.size * 1.5)
            for line, _, _ in setter.wrap(title, width - 2 * MARGIN, size, indent=False):
                setter.line(line, size, MARGIN, top + 12, align="centre")
                top += size * 1.4
            top += 10
        if layout.lead:
            for text, indent, justified in setter.wrap(paragraphs.pop(0), width - 2 * MARGIN, layout.size, indent=True):
                setter.set_line(text, indent, justified, MARGIN, top + layout.size, width - 2 * MARGIN, layout.size)
                top += layout.size * 1.6
            top += 8
        bottom = height - 44
        if layout.heading:
            middle = (top + bottom) / 2
            paragraphs, end = setter.band(paragraphs, top, middle, layout.columns)
            heading = "第二部分　实施要求与保障措施"
            setter.line(heading, layout.size * 1.2, MARGIN, end + 10, align="centre")
            top = end + 24
        paragraphs, _ = setter.band(paragraphs, top, bottom, layout.columns)
    draw(pdf, setter, layout)
    return bytes(pdf.output()), setter.read


def draw(pdf: FPDF, setter: Setter, layout: Layout) -> None:
    """Every glyph drawn page by page, in reading order or shuffled."""
    by_page: dict[int, list[Glyph]] = {}
    for glyph in setter.glyphs:
        by_page.setdefault(glyph.page, []).append(glyph)
    rng = random.Random(layout.name)
    for page in sorted(by_page):
        pdf.add_page()
        glyphs = by_page[page]
        if layout.shuffle:
            rng.shuffle(glyphs)
        for glyph in glyphs:
            pdf.set_font("Body", size=glyph.size)
            pdf.text(glyph.x, glyph.y, glyph.text)
        for rule_page, x, top, bottom in setter.rules:
            if rule_page == page:
                pdf.set_line_width(0.5)
                pdf.line(x, top, x, bottom)


def fonts_available() -> dict[str, Path]:
    folder = Path(tempfile.gettempdir())
    sans, mono = font_files(folder)
    faces = {"sans": sans, "mono": mono}
    for face, collection in (("serif", UMING), ("zenhei", ZENHEI)):
        if collection.exists():
            target = folder / f"{collection.stem}.ttf"
            if not target.exists():
                TTCollection(str(collection)).fonts[0].save(str(target))
            faces[face] = target
    return faces


def random_layouts(count: int, seed: int) -> list[Layout]:
    """``count`` layouts drawn at random (for trying the layout stage on designs no test
    names)."""
    rng = random.Random(seed)
    layouts = []
    for n in range(count):
        columns = rng.choice([(1,), (1, 1), (1, 1), (1, 1, 1), (1, 1, 1, 1), (2, 1), (1, 2), (3, 2)])
        page = rng.choice([A5, A4])
        size = rng.choice([9, 9.5, 10.5, 12, 14, 16] if page == A4 or len(columns) < 3 else [9, 9.5])
        layouts.append(Layout(
            f"random-{seed}-{n}", columns=columns, gutter=rng.choice([0.5, 0.7, 1.0, 1.5, 2.0, 3.0]), size=size,
            face=rng.choice(["sans", "mono", "serif", "zenhei"]), offset=rng.choice([0.0, 0.0, 0.3, 0.5]),
            heading=rng.random() < 0.3, lead=rng.random() < 0.3, rule=rng.random() < 0.2, shuffle=rng.random() < 0.3,
            alternate=rng.random() < 0.2, pages=rng.choice([1, 1, 2]), numbers=rng.choice(PAGE_NUMBERS),
            source=rng.randrange(8), page=page,
        ))
    return layouts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "fixtures" / "layouts"))
    parser.add_argument("--random", type=int, default=0, metavar="N", help="N random layouts instead of the named ones")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    fonts = fonts_available()
    for layout in random_layouts(args.random, args.seed) if args.random else LAYOUTS:
        if layout.face not in fonts:
            print(f"{layout.name}: skipped, no {layout.face} face installed")
            continue
        source = SOURCES[layout.source % len(SOURCES)].read_text(encoding="utf-8")
        data, read = layout_pdf(layout, source, fonts)
        (out / f"{layout.name}.pdf").write_bytes(data)
        (out / f"{layout.name}.txt").write_text("\n".join(read) + "\n", encoding="utf-8")
        print(f"{layout.name}.pdf  {len(data) // 1024} KiB, {sum(map(len, read))} characters")


if __name__ == "__main__":
    main()
