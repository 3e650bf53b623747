"""Real producers' quirks (made from the fixtures by tests/pdf_quirks.py) and the real PDFs in
../shared/real-pdf/: never a traceback, never worse text, every change a logged repair."""

import re
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest

import pdf_quirks as quirks
from jiaokan import ConvertOptions, convert_file
from jiaokan.errors import NotPdfError
from jiaokan.pdf.ink import GlyphChecker
from jiaokan.pdf.read import read_pdf
from jiaokan.pdf.render import PageRenderer
from jiaokan.structure.patterns import is_furniture

PDFS = quirks.PDFS
SOURCE = (PDFS / "gazette_source.txt").read_text(encoding="utf-8")
REAL = Path(__file__).resolve().parents[2] / "shared" / "real-pdf"
BOXES = {
    "offset": {"dx": -26, "dy": -40},
    "crop": {"crop": (10, 20, 15, 28)},
    "rotate90": {"rotate": 90},
    "rotate270": {"rotate": 270},
    "all": {"dx": -26, "dy": -40, "crop": (10, 20, 15, 28), "rotate": 90},
}
NEVER = ConvertOptions(ocr="never")


def squeeze(text: str) -> str:
    return re.sub(r"\s", "", text)


def errors(expected: str, got: str) -> float:
    """Character error rate (edit distance over the expected length), whitespace aside."""
    import difflib

    a, b = squeeze(expected), squeeze(got)
    opcodes = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in opcodes if tag != "equal") / len(a)


@pytest.mark.parametrize("quirk", sorted(BOXES))
@pytest.mark.parametrize("kind", ["clean", "founder31"])
def test_page_boxes_and_rotation_change_nothing(kind, quirk, tmp_path):
    path = quirks.boxes(PDFS / f"gazette_{kind}.pdf", tmp_path / "quirk.pdf", **BOXES[quirk])
    conversion = convert_file(path, NEVER)
    assert squeeze(conversion.repair.text) == squeeze(SOURCE)
    methods = Counter(r.method for r in conversion.repair.repairs)
    assert methods == (Counter() if kind == "clean" else Counter({"glyph-verified": 222, "founder+0x31": 24}))


@pytest.mark.parametrize("quirk", ["offset", "all"])
def test_every_glyph_check_looks_where_the_glyph_is(quirk, tmp_path):
    path = quirks.boxes(PDFS / "gazette_clean.pdf", tmp_path / "quirk.pdf", **BOXES[quirk])
    pages = [page for page in read_pdf(path)]
    with PageRenderer(path, {p.number: p.frame for p in pages}) as renderer:
        checker = GlyphChecker(renderer)
        inked = [checker.has_ink(p.number, c) for p in pages for c in p.chars if c.text.strip()]
    assert len(inked) > 1000 and all(inked)


def test_fonts_named_in_gbk_bytes(tmp_path):
    path = quirks.gbk_font_names(PDFS / "gazette_founder31.pdf", tmp_path / "gbk.pdf")
    conversion = convert_file(path, NEVER)
    assert squeeze(conversion.repair.text) == squeeze(SOURCE)
    assert {f.where for f in conversion.repair.diagnosis if f.scope == "font"} == {"ABCDE0+宋体", "ABCDE1+宋体"}


def test_predefined_cmap_font_is_read_as_mapped(tmp_path):
    text = "关于印发《示范市农场创建实施方案》的通知\n各县（市、区）人民政府，市政府各部门："
    conversion = convert_file(quirks.predefined_cmap(tmp_path / "stsong.pdf", text))
    assert conversion.repair.text == text and conversion.repair.repairs == ()
    assert not any(f.damage == "no-tounicode" for f in conversion.repair.diagnosis)


def test_punctuation_printed_without_unicode_is_read_from_its_glyphs(tmp_path):
    path = quirks.remapped(PDFS / "gazette_clean.pdf", tmp_path / "blank.pdf", lambda t: " " if t in "，。" else t)
    assert "，" not in "".join(c["text"] for c in pdfplumber.open(path).pages[0].chars)
    conversion = convert_file(path)
    assert squeeze(conversion.repair.text) == squeeze(SOURCE)
    assert {r.method for r in conversion.repair.repairs} == {"glyph-recognized"}
    assert {(r.before, r.after) for r in conversion.repair.repairs} <= {(" ", "，"), (" ", "。")}
    assert [f.damage for f in conversion.repair.diagnosis if f.scope == "font"] == ["glyph:no-unicode"]


def test_glyphs_printed_over_themselves_are_read_once(tmp_path):
    """Fake bold prints each glyph again a fraction of a point away: read once, not twice."""
    path = quirks.overprinted(PDFS / "gazette_clean.pdf", tmp_path / "bold.pdf")
    layer = "".join(c["text"] for c in pdfplumber.open(path).pages[0].chars)
    assert "嘉嘉兴兴市市" in layer
    conversion = convert_file(path)
    assert squeeze(conversion.repair.text) == squeeze(SOURCE) and not conversion.repair.repairs


def test_text_drawn_invisibly_over_a_picture_is_repaired_from_context(tmp_path):
    """An OCR layer draws its text invisibly over a scan: the ink under a box is the
    picture's, not the glyph's (here set half an em aside, a comma's box shows the next
    hanzi), so the glyph checks prove nothing there and context decides."""
    path = quirks.ocr_layer(PDFS / "gazette_founder31.pdf", PDFS / "gazette_clean.pdf", tmp_path / "layer.pdf")
    conversion = convert_file(path, NEVER)
    assert squeeze(conversion.repair.text) == squeeze(SOURCE)
    assert {r.method for r in conversion.repair.repairs} == {"founder+0x31"}


def test_rules_framing_a_page_are_no_table(tmp_path):
    """A research report boxes its page in rules (a frame, an empty sidebar): the table finder
    sees a table whose one huge cell holds the page; its text stays the page's."""
    path = quirks.framed(PDFS / "gazette_clean.pdf", tmp_path / "framed.pdf")
    conversion = convert_file(path, NEVER)
    assert squeeze(conversion.repair.text) == squeeze(SOURCE)
    assert not [table for document in conversion.documents for table in document.tables]


def test_a_blank_glyph_read_unsure_stays_blank(tmp_path):
    """A glyph read where the layer has only blanks replaces them only when recognition is as
    sure as a context repair must be (an OCR layer's space over a scan's smudge is no comma)."""
    from jiaokan.ocr import default_engine
    from jiaokan.ocr.glyphs import forget_glyphs

    class Unsure:
        def read_lines(self, images):
            return [(text, score * 0.4) for text, score in default_engine().read_lines(images)]

    forget_glyphs()
    path = quirks.remapped(PDFS / "gazette_clean.pdf", tmp_path / "blank.pdf", lambda t: " " if t in "，。" else t)
    conversion = convert_file(path, ConvertOptions(engine=Unsure()))
    forget_glyphs()
    assert not conversion.repair.repairs
    [finding] = [f for f in conversion.repair.diagnosis if f.damage == "glyph:no-unicode"]
    assert finding.evidence["characters"] > 90 and finding.evidence["read"] == 0


def test_punctuation_font_with_its_own_encoding_is_read_from_its_glyphs(tmp_path):
    path = quirks.punctuation_font(PDFS / "gazette_clean.pdf", tmp_path / "punct.pdf")
    layer = "".join(c["text"] for c in pdfplumber.open(path).pages[0].chars)
    assert "，" not in layer and "#" in layer
    conversion = convert_file(path)
    assert errors(SOURCE, conversion.repair.text) < 0.002
    damaged = {f.where: f.damage for f in conversion.repair.diagnosis if f.scope == "font"}
    assert set(damaged.values()) == {"glyph:own-encoding"} and all(name.startswith("PUNCTS+") for name in damaged)
    assert {r.font for r in conversion.repair.repairs} == set(damaged)


def test_simple_truetype_fonts_without_maps_are_read_from_their_glyphs():
    """ReportLab (as LaTeX's CJK package) cuts a CJK face into symbolic TrueType fonts of 256
    glyphs with no encoding: without their maps the layer extracts as Latin-1 junk, which
    once came out "repaired" as mojibake into other junk."""
    path = PDFS / "gazette_simplefonts.pdf"
    layer = "".join(c["text"] for c in pdfplumber.open(path).pages[0].chars)
    assert not re.search("[\u4e00-\u9fff]", layer)
    conversion = convert_file(path)
    assert {f.damage for f in conversion.repair.diagnosis if f.scope == "font"} == {"no-tounicode"}
    assert {r.method for r in conversion.repair.repairs} == {"glyph-recognized"}
    read = squeeze(conversion.repair.text)
    set_text = squeeze(SOURCE)[: squeeze(SOURCE).find(read[-8:]) + 8]  # the lines the page holds
    assert len(set_text) > 500 and errors(set_text, read) < 0.005
    unread = convert_file(path, NEVER)  # without glyph recognition: reported, nothing guessed
    assert not unread.repair.repairs and not squeeze(unread.repair.text)


def test_a_font_printing_genuine_punctuation_is_not_shifted(tmp_path):
    """A font has one encoding: one that prints genuine ，and 。 everywhere is not Founder-
    shifted, however much a few short lines of it (a table's cells, 第页共页 with the digits
    in another font) look like shifted marks; its glyphs are not embedded here, so context
    alone would decide."""
    path = quirks.unembedded_with_cells(PDFS / "gazette_clean.pdf", tmp_path / "cells.pdf",
                                        ["员元", "原员", "院", "要", "员", "元", "资", "院"])
    conversion = convert_file(path)
    assert not conversion.repair.repairs
    assert "员元\n原员\n院\n要\n员\n元\n资\n院" in conversion.repair.text


def test_browser_print_heads_and_feet_are_furniture():
    assert is_furniture("中华人民共和国主席令页码，1/11") and is_furniture("一、总 类　　页码，2/40")
    assert is_furniture(r"file://G:\法规图书\刑法编\11_synthetize1000.htm2002-9-7")
    assert not is_furniture("第一条 为了惩罚犯罪，保护人民，根据宪法，制定本法。")


def layer_lines(conversion) -> list[str]:
    """The text layer as read, rebuilt from the repaired lines by undoing each repair."""
    by_line: dict[tuple[int, int], list] = {}
    for repair in conversion.repair.repairs:
        by_line.setdefault((repair.page, repair.line), []).append(repair)
    lines = []
    for page, texts in conversion.pdf.page_lines.items():
        for n, text in enumerate(texts, start=1):
            out, at = "", 0
            for repair in sorted(by_line.get((page, n), []), key=lambda r: r.column):
                keep = repair.column - 1 - len(out)
                out += text[at : at + keep] + repair.before
                at += keep + len(repair.after)
            lines.append(out + text[at:])
    return lines


def do_no_harm_inputs(tmp_path) -> list[Path]:
    made = [
        quirks.boxes(PDFS / "gazette_founder31.pdf", tmp_path / "all.pdf", **BOXES["all"]),
        quirks.gbk_font_names(PDFS / "gazette_kangxi.pdf", tmp_path / "gbk.pdf"),
        quirks.remapped(PDFS / "gazette_clean.pdf", tmp_path / "blank.pdf", lambda t: " " if t in "，。" else t),
        quirks.punctuation_font(PDFS / "gazette_founder2E.pdf", tmp_path / "punct.pdf"),
    ]
    fixtures = [PDFS / f"gazette_{kind}.pdf" for kind in ("clean", "founder31", "founder2E", "twofonts", "kangxi", "notounicode")]
    return fixtures + made + sorted(REAL.glob("*.pdf"))


def test_every_difference_from_the_text_layer_is_a_logged_repair(tmp_path):
    for path in do_no_harm_inputs(tmp_path):
        conversion = convert_file(path)
        with pdfplumber.open(path) as pdf:
            raw = Counter(c["text"] for page in pdf.pages for c in page.chars if c["text"].strip())
        ours = Counter(ch for line in layer_lines(conversion) for ch in line if ch.strip())
        if "notounicode" not in path.name:  # its text layer is junk that pdfplumber splits otherwise
            assert ours == raw, path.name
        assert all(r.before != r.after for r in conversion.repair.repairs)
        if path.name == "gazette_clean.pdf" or path.parent == REAL:
            assert conversion.repair.repairs == (), path.name


needs_real = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real-pdf/ is not beside the checkout")


@needs_real
def test_browser_printed_law():
    conversion = convert_file(REAL / "criminal-law-browser-print.pdf")
    [law] = conversion.documents
    assert law.title == "中华人民共和国刑法" and conversion.repair.repairs == ()
    articles = [c for c in law.clauses for c in c.walk() if c.kind == "article"]
    assert len(articles) == 452 and articles[-1].label == "第四百五十二条"
    assert "file://" not in law.text and "页码" not in law.text
    assert sum("页码" in line for line in conversion.furniture) == 41


@needs_real
def test_law_exported_with_a_predefined_cmap():
    conversion = convert_file(REAL / "shanghai-labor-contract-regulations.pdf")
    [law] = conversion.documents
    assert law.title == "上海市劳动合同条例" and conversion.repair.repairs == ()
    assert [c.label for c in law.clauses] == [f"第{n}章" for n in "一二三四五六七"]
    articles = [c for c in law.clauses for c in c.walk() if c.kind == "article"]
    assert len(articles) == 62 and articles[-1].label == "第六十二条"
    with pdfplumber.open(REAL / "shanghai-labor-contract-regulations.pdf") as pdf:
        raw = "".join(c["text"] for page in pdf.pages for c in page.chars)
    assert squeeze(conversion.repair.text) == squeeze(raw)


def test_words_set_apart_by_position_keep_their_spaces(tmp_path):
    conversion = convert_file(quirks.positioned_words(tmp_path / "words.pdf"))
    assert conversion.repair.text == "General rules for punctuation\nVol 19\nHeidelberg, Victoria (2005) 253"


def test_a_header_after_a_printer_banner_is_found(tmp_path):
    """Ghostscript writing to standard output puts its banner before the PDF; readers take
    the header anywhere in the first 1024 bytes (seen in pdfplumber's issue-848.pdf)."""
    banner = b"GPL Ghostscript 10.02.0 (2023-09-13)\nCopyright (C) 2023 Artifex Software, Inc.  All rights reserved.\n"
    printed = tmp_path / "printed.pdf"
    printed.write_bytes(banner + (PDFS / "gazette_clean.pdf").read_bytes())
    assert squeeze(convert_file(printed, NEVER).repair.text) == squeeze(SOURCE)
    late = tmp_path / "late.pdf"
    late.write_bytes(b" " * 1024 + (PDFS / "gazette_clean.pdf").read_bytes())
    with pytest.raises(NotPdfError, match="no %PDF header in its first 1024 bytes"):
        convert_file(late, NEVER)


def test_encrypted_without_a_user_password_is_read(tmp_path):
    import pikepdf

    from jiaokan.errors import EncryptedPdfError
    from jiaokan.fixpdf.remap import fix_pdf

    locked = tmp_path / "owner-only.pdf"
    with pikepdf.open(PDFS / "gazette_founder31.pdf") as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="owner", user=""))
    assert squeeze(convert_file(locked, NEVER).repair.text) == squeeze(SOURCE)
    with pytest.raises(EncryptedPdfError):
        fix_pdf(locked, tmp_path / "fixed.pdf")


def test_punctuation_printed_outside_the_text_layer_is_read_from_the_ink(tmp_path):
    path = quirks.punctuation_as_ink(PDFS / "gazette_clean.pdf", tmp_path / "ink.pdf")
    layer = "".join(c["text"] for c in pdfplumber.open(path).pages[0].chars)
    assert "，" not in layer and "。" not in layer and "人民政府" in layer
    conversion = convert_file(path)
    assert squeeze(conversion.repair.text) == squeeze(SOURCE)
    assert Counter((r.before, r.after) for r in conversion.repair.repairs) == Counter(
        {(" ", "，"): SOURCE.count("，"), (" ", "。"): SOURCE.count("。")})
    assert not convert_file(path, NEVER).repair.repairs  # recognition off: nothing made up
