"""Generate the PDF fixtures: one source text set as a two-column gazette page, in variants
that look identical but whose text layers differ.

Variants: clean; founder31 and founder2E (every GB2312 row 1–9 symbol glyph reports the
shifted hanzi); twofonts (only the body font damaged, the title font clean); kangxi
(unified ideographs reported as Kangxi radicals); notounicode (no ToUnicode map at all);
imageonly (the pages rendered at 200 dpi, no text layer); simplefonts (the first lines set by
ReportLab in 256-glyph TrueType fonts without maps); and table.pdf, one page with a ruled
table for the table finder. Every text-layer variant is checked
to render pixel-identical to the clean one (pypdfium2).

The font is WenQuanYi Micro Hei from the PyPI package paperang-p2-fonts-cjk (a TrueType
collection; CFF .otf fonts break pdfminer): `pip install paperang-p2-fonts-cjk fpdf2 pikepdf reportlab`.
The committed fixtures embed subsets, so the tests never need the font.
Run: python scripts/make_fixtures.py [SOURCE.txt] [--out fixtures/pdf]
"""

from __future__ import annotations

import argparse
import io
import re
import tempfile
from importlib import resources
from pathlib import Path

import pikepdf
import pypdfium2
from fontTools.ttLib import TTCollection
from fpdf import FPDF

from jiaokan.encodings import damage
from jiaokan.encodings.cmaps import read_tounicode, write_tounicode
from jiaokan.encodings.founder import FounderShift

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "fixtures" / "pdf" / "gazette_source.txt"
PAGE_W, PAGE_H, MARGIN, GUTTER = 210.0, 297.0, 20.0, 8.0
BODY_PT, TITLE_PT, HEAD_PT = 10.5, 16.0, 9.0
LINE_MM = 5.6
HEAD = "示范市政报（总第 8 期）"
BODY_FONT = "WenQuanYiMicroHei"


def font_files(folder: Path) -> tuple[Path, Path]:
    """WenQuanYi Micro Hei and its Mono face as plain TrueType files (the package ships a
    collection): two distinct fonts, for body and titles."""
    collection = resources.files("paperang_p2_fonts_cjk").joinpath("fonts/wqy-microhei.ttc")
    targets = folder / "wqy-microhei.ttf", folder / "wqy-microhei-mono.ttf"
    if not all(t.exists() for t in targets):
        fonts = TTCollection(str(collection)).fonts
        for font, target in zip(fonts, targets):
            font.save(str(target))
    return targets


def layout(pdf: FPDF, text: str) -> None:
    """Title block across the page, then the body in two columns, running head, page numbers."""
    lines = [line.strip() for line in text.strip().split("\n")]
    title_end = lines.index("") if "" in lines else 2
    title, body = lines[:title_end], [line for line in lines[title_end:] if line]
    col_w = (PAGE_W - 2 * MARGIN - GUTTER) / 2
    page = _new_page(pdf)
    y = MARGIN + 8
    pdf.set_font("Title", size=TITLE_PT)
    for line in title:
        pdf.set_xy(MARGIN, y)
        pdf.cell(PAGE_W - 2 * MARGIN, 8, line, align="C")
        y += 9
    top = y + 4
    column, y = 0, top
    pdf.set_font("Body", size=BODY_PT)
    for paragraph in body:
        for line in _wrap(pdf, paragraph, col_w):
            if y > PAGE_H - MARGIN - 8:
                column, y = column + 1, top if page == pdf.page else MARGIN + 8
                if column == 2:
                    page = _new_page(pdf)
                    pdf.set_font("Body", size=BODY_PT)
                    column, y, top = 0, MARGIN + 8, MARGIN + 8
            x = MARGIN + column * (col_w + GUTTER)
            pdf.set_xy(x, y)
            pdf.cell(col_w, LINE_MM, line)
            y += LINE_MM


def _new_page(pdf: FPDF) -> int:
    pdf.add_page()
    pdf.set_font("Body", size=HEAD_PT)
    pdf.set_xy(MARGIN, 10)
    pdf.cell(PAGE_W - 2 * MARGIN, 5, HEAD, align="L")
    pdf.line(MARGIN, 16, PAGE_W - MARGIN, 16)
    pdf.set_xy(MARGIN, PAGE_H - 14)
    pdf.cell(PAGE_W - 2 * MARGIN, 5, f"- {pdf.page} -", align="C")
    return pdf.page


def _wrap(pdf: FPDF, paragraph: str, width: float) -> list[str]:
    text = "\u3000\u3000" + paragraph if not re.match(r"^[一二三四五六七八九十]+、|^（", paragraph) else paragraph
    lines, current = [], ""
    for char in text:
        if pdf.get_string_width(current + char) > width and current:
            lines.append(current)
            current = ""
        current += char
    return lines + ([current] if current else [])


def clean_pdf(text: str, body: Path, title: Path) -> bytes:
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("Body", fname=str(body))
    pdf.add_font("Title", fname=str(title))
    layout(pdf, text)
    return bytes(pdf.output())


def rewrite_tounicode(data: bytes, remap, fonts: tuple[str, ...] = ()) -> bytes:
    """Rewrite the ToUnicode map of every font (or those whose name contains one of ``fonts``):
    ``remap`` takes the Unicode text of a glyph and returns what the text layer reports
    (None: drop the map)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for _, font in page.Resources.Font.items():
                if fonts and str(font.BaseFont).split("+")[-1] not in fonts:
                    continue
                if "/ToUnicode" not in font:
                    continue
                if remap is None:
                    del font.ToUnicode
                    continue
                mapping, width = read_tounicode(font.ToUnicode.read_bytes())
                font.ToUnicode = pdf.make_stream(write_tounicode({code: remap(text) for code, text in mapping.items()}, width))
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


TABLE = [
    ["县（市、区）", "建筑业产值（亿元）", "特级资质企业（家）", "智慧工地覆盖率（%）"],
    ["南湖", "200", "1", "100"],
    ["秀洲", "240", "1", "100"],
    ["嘉善", "82", "0", "100"],
]


def table_pdf(body: Path, title: Path) -> bytes:
    """One page with a title, a paragraph and a ruled table (for the table finder)."""
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("Body", fname=str(body))
    pdf.add_font("Title", fname=str(title))
    pdf.add_page()
    pdf.set_font("Title", size=TITLE_PT)
    pdf.set_xy(MARGIN, MARGIN + 8)
    pdf.cell(PAGE_W - 2 * MARGIN, 8, "各县（市、区）2025年末建筑业发展目标任务清单", align="C")
    pdf.set_font("Body", size=BODY_PT)
    pdf.set_xy(MARGIN, MARGIN + 22)
    pdf.cell(PAGE_W - 2 * MARGIN, LINE_MM, "\u3000\u3000各地目标任务如下表。")
    pdf.set_xy(MARGIN, MARGIN + 32)
    with pdf.table(col_widths=(40, 45, 45, 40), text_align="CENTER", line_height=8, first_row_as_headings=False) as table:
        for cells in TABLE:
            row = table.row()
            for cell in cells:
                row.cell(cell)
    return bytes(pdf.output())


def simple_fonts_pdf(text: str, body: Path, lines: int = 12) -> bytes:
    """The first ``lines`` lines of ``text`` set by ReportLab, which cuts a TrueType face into
    simple fonts of 256 glyphs (symbolic, no encoding: the codes only pick glyphs, as LaTeX's
    CJK package does), with their ToUnicode maps taken out: the text layer is junk."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("Body", str(body)))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=(595.28, 841.89), invariant=True)
    page.setFont("Body", BODY_PT)
    y = 780.0
    for line in [line for line in text.split("\n") if line.strip()][:lines]:
        while line:
            page.drawString(57, y, line[:44])
            line, y = line[44:], y - 16
    page.save()
    with pikepdf.open(io.BytesIO(buffer.getvalue())) as pdf:
        for font in pdf.pages[0].Resources.Font.values():
            if "/ToUnicode" in font:
                del font.ToUnicode
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()


def image_only(data: bytes, dpi: int = 200) -> bytes:
    pdf = FPDF(unit="mm", format="A4")
    document = pypdfium2.PdfDocument(data)
    for page in document:
        image = page.render(scale=dpi / 72, grayscale=True).to_pil()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        pdf.add_page()
        pdf.image(buffer, x=0, y=0, w=PAGE_W, h=PAGE_H)
    return bytes(pdf.output())


def renders_identical(a: bytes, b: bytes) -> bool:
    first, second = pypdfium2.PdfDocument(a), pypdfium2.PdfDocument(b)
    if len(first) != len(second):
        return False
    return all(
        first[n].render(scale=1).to_pil().tobytes() == second[n].render(scale=1).to_pil().tobytes()
        for n in range(len(first))
    )


def variants(clean: bytes) -> dict[str, bytes]:
    founder31 = FounderShift.build(0x31).to_hanzi
    founder2e = FounderShift.build(0x2E).to_hanzi
    return {
        "founder31": rewrite_tounicode(clean, lambda t: founder31.get(t, t)),
        "founder2E": rewrite_tounicode(clean, lambda t: founder2e.get(t, t)),
        "twofonts": rewrite_tounicode(clean, lambda t: founder31.get(t, t), fonts=(BODY_FONT,)),
        "kangxi": rewrite_tounicode(clean, damage.kangxi),
        "notounicode": rewrite_tounicode(clean, None),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", default=str(SOURCE))
    parser.add_argument("--out", default=str(ROOT / "fixtures" / "pdf"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    text = Path(args.source).read_text(encoding="utf-8")
    clean = clean_pdf(text, *font_files(Path(tempfile.gettempdir())))
    (out / "gazette_clean.pdf").write_bytes(clean)
    for name, data in variants(clean).items():
        assert renders_identical(clean, data), f"{name} does not render like the clean PDF"
        (out / f"gazette_{name}.pdf").write_bytes(data)
        print(f"gazette_{name}.pdf  {len(data) // 1024} KiB  renders pixel-identical to the clean PDF")
    simple = simple_fonts_pdf(text, font_files(Path(tempfile.gettempdir()))[0])
    (out / "gazette_simplefonts.pdf").write_bytes(simple)
    print(f"gazette_simplefonts.pdf  {len(simple) // 1024} KiB  ReportLab's 256-glyph TrueType fonts, their maps taken out")
    (out / "gazette_imageonly.pdf").write_bytes(image_only(clean))
    (out / "table.pdf").write_bytes(table_pdf(*font_files(Path(tempfile.gettempdir()))))
    print(f"gazette_clean.pdf {len(clean) // 1024} KiB; gazette_imageonly.pdf written")


if __name__ == "__main__":
    main()
