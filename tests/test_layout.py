"""Reading order on the layout corpus (fixtures/layouts, made by scripts/make_layouts.py):
every page design read through every route comes out in the order it is printed, running
heads and page numbers set aside."""

from __future__ import annotations

from pathlib import Path

import pytest

import pdf_quirks
from reading import bag_error, error, squeeze

from jiaokan.convert import convert_file
from jiaokan.encodings.founder import FounderShift
from jiaokan.ocr import OcrLine
from jiaokan.ocr.pages import line_chars
from jiaokan.pdf.layout import page_lines, split_furniture
from jiaokan.pdf.model import Char, PdfPage

LAYOUTS = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "layouts").glob("*.pdf"))
# At most this share of the characters may be out of place (the bar for text layers).
TOLERANCE = 0.002


def truth(layout: Path) -> str:
    return squeeze(layout.with_suffix(".txt").read_text(encoding="utf-8"))


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda p: p.stem)
def test_text_layer_reads_in_printed_order(layout):
    assert error(truth(layout), squeeze(convert_file(layout).repair.text)) <= TOLERANCE


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda p: p.stem)
def test_founder_damaged_layer_reads_in_printed_order(layout, tmp_path):
    damaged = pdf_quirks.remapped(layout, tmp_path / "founder.pdf", lambda t: FounderShift.build(0x31).to_hanzi.get(t, t))
    assert error(truth(layout), squeeze(convert_file(damaged).repair.text)) <= TOLERANCE


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda p: p.stem)
def test_fonts_without_maps_read_in_printed_order(layout, tmp_path):
    """No ToUnicode maps: the layout sees unknown glyphs (no punctuation to go by); glyph
    recognition then reads them."""
    unmapped = pdf_quirks.remapped(layout, tmp_path / "unmapped.pdf", None)
    assert error(truth(layout), squeeze(convert_file(unmapped).repair.text)) <= TOLERANCE


@pytest.mark.parametrize("name", ["three-columns-offset-shuffled", "two-columns-1em-serif"])
def test_scans_read_in_printed_order(name, tmp_path):
    """Page OCR's lines go through the same layout: it adds at most TOLERANCE to the
    recogniser's own (order-free) errors, on three columns offset by half a line and on a
    serif face with a gutter one em wide."""
    layout = next(p for p in LAYOUTS if p.stem == name)
    text = squeeze(convert_file(pdf_quirks.scanned(layout, tmp_path / "scan.pdf")).repair.text)
    assert error(truth(layout), text) - bag_error(truth(layout), text) <= TOLERANCE


def test_running_heads_alternating_with_the_title_are_furniture():
    conversion = convert_file(next(p for p in LAYOUTS if p.stem == "alternating-heads"))
    title = "最高人民法院关于人民法院执行工作若干问题的规定（试行）"
    assert conversion.furniture.count(title) == 2  # the running heads of pages 1 and 3
    assert squeeze(conversion.repair.text).count(title) == 1  # the title itself, printed once
    assert {"- 7 -", "- 8 -", "- 9 -"} <= set(conversion.furniture)


def _char(text: str, x0: float, top: float, size: float = 10.0) -> Char:
    return Char(text, "F", size, x0, top, x0 + size, top + size)


def _row(text: str, x0: float, line: float) -> list[Char]:
    """A row of 10-pt glyphs set solid, on the ``line``-th line of a body with 16-pt leading
    that starts 100 pt down the page."""
    return [_char(c, x0 + 10 * n, 100 + 16 * line) for n, c in enumerate(text)]


def _page(chars: list[Char], height: float = 600) -> PdfPage:
    return PdfPage(1, 200, height, chars)


def test_a_mark_hung_into_a_narrow_gutter_stays_with_its_line():
    """Two columns 5 pt apart; the left column's lines end with a comma hung into the
    gutter, overlapping the right column's first character."""
    left = ["甲乙丙丁戊己庚辛", "子丑寅卯辰巳午未", "天地玄黄宇宙洪荒", "日月盈昃辰宿列张"]
    right = ["一二三四五六七八", "九十百千万亿兆京", "金木水火土石竹革", "东南西北中上下左"]
    chars = []
    for n, (a, b) in enumerate(zip(left, right)):
        chars += _row(a, 0, n) + _row(b, 85, n)
        if n % 2 == 0:
            chars += _row("，", 80, n)
    layout = page_lines(_page(chars))
    assert [line.text for line in layout.lines] == [
        left[0] + "，", left[1], left[2] + "，", left[3], *right
    ]


def test_a_heading_across_two_bands_of_columns_is_read_between_them():
    chars = []
    for n in range(4):
        chars += _row(f"左{n}左左左左左左", 0, n) + _row(f"右{n}右右右右右右", 100, n)
    chars += _row("第二部分", 70, 5)
    for n in range(4):
        chars += _row(f"下{n}左左左左左左", 0, 7 + n) + _row(f"下{n}右右右右右右", 100, 7 + n)
    texts = [line.text for line in page_lines(_page(chars)).lines]
    assert texts.index("第二部分") == 8
    assert [t[:2] for t in texts[:8]] == ["左0", "左1", "左2", "左3", "右0", "右1", "右2", "右3"]
    assert [t[:2] for t in texts[9:13]] == ["下0", "下1", "下2", "下3"]


def test_a_paragraph_of_one_column_above_columns_is_not_cut_into_them():
    chars = _row("一行通栏正文一行通栏正文一行通栏", 0, 0) + _row("一行通栏正文一行", 0, 1)
    for n in range(4):
        chars += _row(f"左{n}左左左左左左", 0, 2 + n) + _row(f"右{n}右右右右右右", 100, 2 + n)
    texts = [line.text for line in page_lines(_page(chars)).lines]
    assert texts[:2] == ["一行通栏正文一行通栏正文一行通栏", "一行通栏正文一行"]
    assert [t[:2] for t in texts[2:]] == ["左0", "左1", "左2", "左3", "右0", "右1", "右2", "右3"]


def test_a_short_line_above_the_body_is_not_a_running_head_when_it_is_not_set_apart():
    """A column's last line low on the page follows on at the body's spacing: body text,
    not furniture, whatever its length."""
    chars = [c for n in range(30) for c in _row("正文正文正文正文", 0, n)] + _row("末行", 0, 30)
    layout = page_lines(_page(chars, height=100 + 16 * 31 + 10))
    assert layout.foot == [] and layout.lines[-1].text == "末行"
    lines, furniture = split_furniture([layout])
    assert furniture == [] and lines[-1].text == "末行"


def test_ocr_places_characters_where_the_engine_boxed_them():
    """A line the engine read across a gutter keeps the gutter open; a space takes no room."""
    pieces = tuple((c, (10.0 * n, 0.0, 10.0 * n + 9, 10.0)) for n, c in enumerate("甲乙丙")) + tuple(
        (c, (60.0 + 10 * n, 0.0, 60.0 + 10 * n + 9, 10.0)) for n, c in enumerate("丁戊")
    )
    chars = line_chars("甲乙丙 丁戊", OcrLine("甲乙丙 丁戊", (0.0, 0.0, 80.0, 10.0), 0.9, pieces), 1.0)
    assert [c.text for c in chars] == list("甲乙丙 丁戊")
    assert chars[2].x1 <= 30 and chars[4].x0 == 60  # the gap from 30 to 60 stays open
    assert chars[3].x0 == chars[3].x1  # the space
    assert chars[0].x1 == chars[1].x0  # slivers between glyphs closed
