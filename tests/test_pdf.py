"""PDFs: per-font diagnosis, glyph-verified repair, reading order, furniture, bad files."""

import re

import jsonschema
import pikepdf
import pypdfium2
import pytest

from jiaokan import ConvertOptions, RepairConfig, convert_file
from jiaokan.cli import main
from jiaokan.errors import DamagedPdfError, EncryptedPdfError, ExitCode, NotPdfError
from jiaokan.schema import load_schema

from conftest import FIXTURES

PDFS = FIXTURES.parent / "pdf"
SOURCE = (PDFS / "gazette_source.txt").read_text(encoding="utf-8")
TEXT_LAYER_KINDS = ["clean", "founder31", "founder2E", "twofonts", "kangxi"]


def squeeze(text: str) -> str:
    return re.sub(r"\s", "", text)


@pytest.fixture(scope="module", params=TEXT_LAYER_KINDS)
def converted(request):
    return request.param, convert_file(PDFS / f"gazette_{request.param}.pdf")


def test_recovered_text_equals_the_source(converted):
    kind, conversion = converted
    assert squeeze(conversion.repair.text) == squeeze(SOURCE)
    if kind == "clean":
        assert conversion.repair.repairs == ()
    else:
        assert conversion.repair.repairs


def test_founder_fonts_are_found_and_glyphs_verified(converted):
    kind, conversion = converted
    damaged = {f.where for f in conversion.repair.diagnosis if f.scope == "font" and f.damage.startswith("founder")}
    if kind in ("founder31", "founder2E"):
        assert len(damaged) == 2
    elif kind == "twofonts":
        assert damaged == {"MPDFAA+WenQuanYiMicroHei"}
    else:
        assert damaged == set()
    methods = {r.method for r in conversion.repair.repairs}
    if kind.startswith("founder") or kind == "twofonts":
        assert "glyph-verified" in methods
        verified = [r for r in conversion.repair.repairs if r.method == "glyph-verified"]
        assert all(r.page in (1, 2) and len(r.bbox) == 4 for r in verified)


def test_reading_order_furniture_and_structure(converted):
    _, conversion = converted
    assert conversion.furniture == ["示范市政报（总第 8 期）", "- 1 -", "示范市政报（总第 8 期）", "- 2 -"]
    assert "示范市政报" not in conversion.repair.text
    [document] = conversion.documents
    assert document.doc_number == "嘉政办发〔2021〕38号"
    assert document.title == "嘉兴市人民政府办公室关于促进嘉兴市建筑业高质量发展的实施意见"
    assert document.pages == [1, 2]
    assert [c.label for c in document.clauses] == ["一、", "二、", "三、"]
    jsonschema.validate(conversion.to_json(), load_schema())


@pytest.mark.parametrize("kind", ["notounicode", "imageonly"])
def test_no_usable_text_layer_is_said_not_guessed(kind):
    conversion = convert_file(PDFS / f"gazette_{kind}.pdf", ConvertOptions(ocr="never"))
    [finding] = [f for f in conversion.repair.diagnosis if f.damage == "no-text-layer"]
    assert finding.evidence["message"] == "no usable text layer on pages 1, 2"
    assert conversion.documents == [] and conversion.repair.text.strip() == ""
    jsonschema.validate(conversion.to_json(), load_schema())


@pytest.mark.parametrize("kind", TEXT_LAYER_KINDS + ["notounicode"])
def test_fixtures_render_like_the_clean_pdf(kind):
    clean = pypdfium2.PdfDocument(str(PDFS / "gazette_clean.pdf"))
    other = pypdfium2.PdfDocument(str(PDFS / f"gazette_{kind}.pdf"))
    for n in range(len(clean)):
        assert clean[n].render(scale=0.5).to_pil().tobytes() == other[n].render(scale=0.5).to_pil().tobytes()


def test_bad_pdfs_give_one_clear_error(tmp_path, capsys):
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes((PDFS / "gazette_clean.pdf").read_bytes()[:3000])
    encrypted = tmp_path / "locked.pdf"
    with pikepdf.open(PDFS / "gazette_clean.pdf") as pdf:
        pdf.save(encrypted, encryption=pikepdf.Encryption(owner="o", user="secret"))
    empty = tmp_path / "empty.pdf"
    pikepdf.new().save(empty)
    not_pdf = tmp_path / "notes.pdf"
    not_pdf.write_bytes(b"\x89PNG\r\n" + bytes(100))
    with pytest.raises(DamagedPdfError, match="truncated.pdf: "):
        convert_file(truncated)
    with pytest.raises(EncryptedPdfError, match="locked.pdf: "):
        convert_file(encrypted)
    with pytest.raises(DamagedPdfError, match="empty.pdf: "):
        convert_file(empty)
    with pytest.raises(NotPdfError, match="notes.pdf: "):
        convert_file(not_pdf)
    assert main(["convert", str(encrypted)]) == ExitCode.INPUT_FILE_ERROR
    assert "locked.pdf: the PDF is encrypted" in capsys.readouterr().err


def test_ruled_table_found_and_kept_out_of_the_text():
    conversion = convert_file(PDFS / "table.pdf")
    [document] = conversion.documents
    [table] = document.tables
    assert table.columns == ["县（市、区）", "建筑业产值（亿元）", "特级资质企业（家）", "智慧工地覆盖率（%）"]
    assert table.rows == [["南湖", "200", "1", "100"], ["秀洲", "240", "1", "100"], ["嘉善", "82", "0", "100"]]
    assert "南湖" not in conversion.repair.text and "各地目标任务如下表" in conversion.repair.text
    jsonschema.validate(conversion.to_json(), load_schema())


class RefusingEngine:
    """An OCR engine that must not be called, or that fails when it is."""

    calls = 0

    def recognize(self, image):
        RefusingEngine.calls += 1
        raise RuntimeError("engine failure")


def test_text_layer_pdfs_never_touch_ocr_in_auto():
    from jiaokan.pdf.convert import convert_pdf

    RefusingEngine.calls = 0
    conversion = convert_pdf(PDFS / "gazette_founder31.pdf", ConvertOptions(engine=RefusingEngine()))
    assert RefusingEngine.calls == 0 and conversion.errors == []


def test_an_ocr_failure_costs_only_its_page():
    from jiaokan.pdf.convert import convert_pdf

    conversion = convert_pdf(PDFS / "gazette_imageonly.pdf", ConvertOptions(engine=RefusingEngine()))
    assert [(e["code"], e["page"]) for e in conversion.errors] == [("ocr", 1), ("ocr", 2)]
    assert "engine failure" in conversion.errors[0]["message"]
    jsonschema.validate(conversion.to_json(), load_schema())


def test_scanned_pages_are_read_by_ocr_in_reading_order():
    conversion = convert_file(PDFS / "gazette_imageonly.pdf")
    routes = [f for f in conversion.repair.diagnosis if f.damage == "page-ocr"]
    assert [f.where for f in routes] == ["page 1", "page 2"] and all(f.confidence > 0.9 for f in routes)
    expected, got = squeeze(SOURCE), squeeze(conversion.repair.text)
    errors = sum(a != b for a, b in zip(expected, got)) + abs(len(expected) - len(got))
    assert errors / len(expected) <= 0.02
    [document] = conversion.documents
    assert document.doc_number == "嘉政办发〔2021〕38号" and [c.label for c in document.clauses] == ["一、", "二、", "三、"]
    assert "示范市政报" not in conversion.repair.text


def test_fonts_without_a_map_are_read_glyph_by_glyph():
    conversion = convert_file(PDFS / "gazette_notounicode.pdf")
    fonts = [f for f in conversion.repair.diagnosis if f.damage == "no-tounicode"]
    assert len(fonts) == 2 and all(f.evidence["route"] == "glyph recognition" for f in fonts)
    assert sum(f.evidence["glyphs"] for f in fonts) < 500  # each distinct glyph once
    expected, got = squeeze(SOURCE), squeeze(conversion.repair.text)
    errors = sum(a != b for a, b in zip(expected, got)) + abs(len(expected) - len(got))
    assert errors / len(expected) <= 0.005
    assert {r.method for r in conversion.repair.repairs} == {"glyph-recognized"}
    assert not any(f.damage == "page-ocr" for f in conversion.repair.diagnosis)


class CountingEngine:
    """Reads every strip as the right number of 字, and counts the strips it is shown."""

    strips = 0

    def read_lines(self, images):
        CountingEngine.strips += len(images)
        return [("字" * round(image.shape[1] / 56), 0.9) for image in images]


def test_a_font_seen_before_is_not_recognised_again():
    from jiaokan.ocr.glyphs import forget_glyphs
    from jiaokan.pdf.convert import convert_pdf

    forget_glyphs()
    CountingEngine.strips = 0
    first = convert_pdf(PDFS / "gazette_notounicode.pdf", ConvertOptions(engine=CountingEngine()))
    seen = CountingEngine.strips
    second = convert_pdf(PDFS / "gazette_notounicode.pdf", ConvertOptions(engine=CountingEngine()))
    assert seen > 0 and CountingEngine.strips == seen
    assert first.repair.text == second.repair.text and "字" in first.repair.text
    forget_glyphs()


def test_margin_rows_are_furniture_only_when_they_repeat_or_look_like_it():
    from jiaokan.pdf.model import Char
    from jiaokan.pdf.layout import split_furniture
    from jiaokan.pdf.model import PageLayout, PdfLine

    def line(page, text, top):
        return PdfLine(page, [Char(c, "F", 10, 50 + 10 * i, top, 60 + 10 * i, top + 10) for i, c in enumerate(text)])

    body = [line(1, "正文第一行", 100), line(2, "正文第二行", 100)]
    pages = [
        PageLayout([body[0]], [line(1, "某某日报", 20), line(1, "第一章总则", 40)], [line(1, "3", 800)]),
        PageLayout([body[1]], [line(2, "某某日报", 20)], [line(2, "4", 800)]),
    ]
    lines, furniture = split_furniture(pages)
    assert [l.text for l in lines] == ["第一章总则", "正文第一行", "正文第二行"]
    assert sorted(l.text for l in furniture) == ["3", "4", "某某日报", "某某日报"]
    # a margin row left without characters (its font unreadable, as in pdfminer's issue_495_pdfobjref.pdf)
    unread = PdfLine(1, [], "")
    lines, furniture = split_furniture([PageLayout([body[0]], [unread], [line(1, "3", 800)])])
    assert [l.text for l in lines] == ["", "正文第一行"] and [l.text for l in furniture] == ["3"]


def rewrite_maps(source, target, change) -> None:
    """``source`` saved as ``target`` with every ToUnicode entry's text passed through ``change``."""
    from jiaokan.encodings.cmaps import read_tounicode, write_tounicode

    with pikepdf.open(source) as pdf:
        for _, font in pdf.pages[0].Resources.Font.items():
            mapping, width = read_tounicode(font.ToUnicode.read_bytes())
            font.ToUnicode = pdf.make_stream(write_tounicode({c: change(t) for c, t in mapping.items()}, width))
        pdf.save(target)


def test_t2s_reaches_pdfs(tmp_path):
    import opencc

    traditional = tmp_path / "traditional.pdf"
    rewrite_maps(PDFS / "gazette_clean.pdf", traditional, opencc.OpenCC("s2t").convert)
    kept = convert_file(traditional)
    assert "嘉興" in kept.repair.text and kept.repair.repairs == ()
    converted = convert_file(traditional, ConvertOptions(RepairConfig(t2s=True)))
    assert squeeze(converted.repair.text) == squeeze(SOURCE)
    assert {r.method for r in converted.repair.repairs} == {"t2s"}
    assert all(r.page in (1, 2) and r.font and r.code is not None for r in converted.repair.repairs)
    assert main(["convert", str(traditional), "--t2s", "-o", str(tmp_path / "out.json")]) == 0
    assert "嘉兴" in (tmp_path / "out.json").read_text(encoding="utf-8")


def unembedded(tmp_path):
    """The Founder-damaged gazette with its damaged font's glyphs not embedded: a viewer draws
    them in a face of its own, so only context can decide."""
    target = tmp_path / "unembedded.pdf"
    with pikepdf.open(PDFS / "gazette_founder31.pdf") as pdf:
        for _, font in pdf.pages[0].Resources.Font.items():
            descriptor = font.DescendantFonts[0].FontDescriptor
            del descriptor["/FontFile2"]
        pdf.save(target)
    return target


def test_fonts_not_embedded_are_decided_by_context_and_min_confidence_gates_them(tmp_path):
    path = unembedded(tmp_path)
    default = convert_file(path, ConvertOptions(ocr="never"))
    methods = {r.method for r in default.repair.repairs}
    assert methods == {"founder+0x31"}  # no glyph was looked at
    errors = sum(a != b for a, b in zip(squeeze(default.repair.text), squeeze(SOURCE)))
    assert errors / len(squeeze(SOURCE)) < 0.01
    strict = convert_file(path, ConvertOptions(RepairConfig(min_confidence=0.999), ocr="never"))
    assert 0 < len(strict.repair.repairs) < len(default.repair.repairs)
    assert all(r.confidence > 0.999 for r in strict.repair.repairs)


def test_page_ocr_keeps_the_spaces_between_words(tmp_path):
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (1600, 300), "white")
    ImageDraw.Draw(image).text((60, 100), "General rules for punctuation", fill="black", font=ImageFont.load_default(size=72))
    scan = tmp_path / "scan.pdf"
    image.save(scan, resolution=200)
    conversion = convert_file(scan)
    assert [f.damage for f in conversion.repair.diagnosis if f.scope == "page"] == ["page-ocr"]
    assert "General rules for punctuation" in conversion.repair.text


def test_a_flat_stroke_is_no_bracket(monkeypatch):
    """一 is where the +0x31 shift puts 』: its ink, one flat stroke, is small enough to pass
    for punctuation, but a bracket's ink is tall, so the glyph check says hanzi."""
    from PIL import Image, ImageDraw

    from jiaokan.pdf.ink import GlyphChecker
    from jiaokan.pdf.model import Char

    em = 20  # pixels at the checker's scale
    flat = Image.new("L", (em, em), 0)  # the box's dark pixels, white on black, as _box gives them
    ImageDraw.Draw(flat).line([(2, em // 2), (em - 3, em // 2)], fill=255)  # a horizontal stroke across the em
    checker = GlyphChecker(renderer=None)
    monkeypatch.setattr(checker, "_box", lambda page, char, trim, scale: (flat, em / 10.0))
    one = Char("一", "F", 10.0, 0, 0, 10, 10)
    assert checker.shape(1, one) == "symbol"  # ink alone: short, so a symbol
    assert checker.shape(1, one, "』") == "hanzi"  # but no corner bracket is that flat
    assert checker.shape(1, one, "—") == "symbol"  # a dash is


def test_a_text_layer_showing_gbk_bytes_as_latin_letters_comes_out_clean(tmp_path):
    def misread(text):
        try:
            return text.encode("gbk").decode("latin-1")
        except UnicodeEncodeError:
            return text

    mojibake = tmp_path / "mojibake.pdf"
    rewrite_maps(PDFS / "gazette_clean.pdf", mojibake, misread)
    conversion = convert_file(mojibake, ConvertOptions(ocr="never"))
    assert "Ê¾·¶" not in conversion.repair.text
    assert squeeze(conversion.repair.text) == squeeze(SOURCE)
    assert {r.method for r in conversion.repair.repairs} == {"mojibake:gbk read as latin-1"}
    assert all(r.page in (1, 2) and r.font for r in conversion.repair.repairs)
    assert conversion.repair.damage == "mojibake:gbk read as latin-1"


def test_pages_read_in_worker_processes_give_the_same_conversion(tmp_path, monkeypatch):
    """Pages read, laid out and their glyphs looked at in worker processes: the same result."""
    from jiaokan import workers

    combined = pikepdf.Pdf.new()
    for name in ("gazette_founder31.pdf", "gazette_imageonly.pdf", "gazette_twofonts.pdf", "table.pdf"):
        with pikepdf.open(PDFS / name) as part:
            combined.pages.extend(part.pages)
    combined.save(tmp_path / "mixed.pdf")
    monkeypatch.setattr(workers, "PARALLEL_PAGES", 2)  # ranges of a page or two
    serial = convert_file(tmp_path / "mixed.pdf", ConvertOptions(engine=RefusingEngine()))
    parallel = convert_file(tmp_path / "mixed.pdf", ConvertOptions(engine=RefusingEngine(), jobs=2))
    assert parallel.to_json() == serial.to_json()
    assert serial.repair.repairs and [e["code"] for e in serial.errors] == ["ocr", "ocr"]
    assert serial.to_json()["source"]["pages"] >= 7


def test_lines_sent_to_a_worker_come_back_as_they_were():
    """A line is pickled with its characters as columns: they come back as characters, equal."""
    import pickle

    from jiaokan.pdf.model import Char, PdfLine

    line = PdfLine(3, [Char("院", "F+Song", 10.5, 1.0, 2.0, 11.5, 12.5, 0x6e), Char("，", "F+Song", 10.5, 11.5, 2.0, 22.0, 12.5)], "院，")
    back = pickle.loads(pickle.dumps([line, PdfLine(4, [])]))
    assert back == [line, PdfLine(4, [])]
    assert [type(c) for c in back[0].chars] == [Char, Char] and back[0].chars[1].code is None


def test_a_mark_read_alone_takes_the_width_its_glyph_has():
    from jiaokan.ocr.glyphs import _width_form
    from jiaokan.pdf.model import Char

    def glyph(width: float) -> Char:
        return Char("?", "F", 10.0, 0.0, 0.0, width, 10.0)

    assert _width_form("．", glyph(2.8)) == "."  # the period of 15. alone in a cell looks full-width
    assert _width_form("(", glyph(9.5)) == "（"
    assert _width_form("，", glyph(5.0)) == "，"  # squeezed to half an em between two marks
    assert _width_form("字", glyph(2.0)) == "字"
