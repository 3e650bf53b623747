"""fix-pdf: corrected ToUnicode maps make every extractor read the source text, pages untouched."""

import difflib
import json
import re

import pdfplumber
import pikepdf
import pypdfium2
import pytest

from jiaokan import ConvertOptions, convert_file
from jiaokan.cli import main
from jiaokan.errors import EncryptedPdfError, SignedPdfError
from jiaokan.fixpdf.remap import METADATA_KEY, fix_pdf

import pdf_quirks as quirks
from conftest import FIXTURES

NEVER = ConvertOptions(ocr="never")

PDFS = FIXTURES.parent / "pdf"
CLEAN = PDFS / "gazette_clean.pdf"


def plumber_text(path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() for page in pdf.pages)


def pdfium_text(path) -> str:
    document = pypdfium2.PdfDocument(str(path))
    try:
        return "\n".join(document[n].get_textpage().get_text_range() for n in range(len(document)))
    finally:
        document.close()


def pixels(path) -> list[bytes]:
    document = pypdfium2.PdfDocument(str(path))
    try:
        return [document[n].render(scale=1).to_pil().tobytes() for n in range(len(document))]
    finally:
        document.close()


def squeeze(text: str) -> str:
    return re.sub(r"\s", "", text)


def tounicode_streams(path) -> dict[str, bytes]:
    with pikepdf.open(path) as pdf:
        return {str(f.BaseFont): f.ToUnicode.read_bytes() for _, f in pdf.pages[0].Resources.Font.items() if "/ToUnicode" in f}


@pytest.mark.parametrize("kind", ["founder31", "founder2E", "twofonts", "kangxi"])
def test_fixed_pdf_reads_as_the_clean_one_and_looks_the_same(kind, tmp_path):
    damaged, fixed = PDFS / f"gazette_{kind}.pdf", tmp_path / "fixed.pdf"
    assert plumber_text(damaged) != plumber_text(CLEAN)
    report = fix_pdf(damaged, fixed, options=NEVER)
    assert plumber_text(fixed) == plumber_text(CLEAN)
    assert pdfium_text(fixed) == pdfium_text(CLEAN)
    assert pixels(fixed) == pixels(damaged)
    with pikepdf.open(fixed) as pdf:
        assert pdf.check_pdf_syntax() == []
        note = json.loads(str(pdf.docinfo[METADATA_KEY]))
    assert note["corrected_by"].startswith("jiaokan ") and note["codes"] == len(report.fixes) > 0
    before, after = tounicode_streams(damaged), tounicode_streams(fixed)
    changed = {name.lstrip("/") for name in before if before[name] != after[name]}
    assert changed == set(report.fonts)
    if kind == "twofonts":  # the clean title font is not touched
        assert len(changed) == 1 and "Mono" not in next(iter(changed))


def test_font_without_map_gets_one_from_recognised_glyphs(tmp_path):
    fixed = tmp_path / "fixed.pdf"
    report = fix_pdf(PDFS / "gazette_notounicode.pdf", fixed)
    assert {fix.method for fix in report.fixes} == {"glyph-recognized"}
    assert squeeze(plumber_text(fixed)) == squeeze(plumber_text(CLEAN))
    assert squeeze(pdfium_text(fixed)) == squeeze(pdfium_text(CLEAN))
    assert pixels(fixed) == pixels(PDFS / "gazette_notounicode.pdf")


def test_glyphs_read_the_same_whatever_the_process_read_before(tmp_path):
    """Glyphs are read in strips beside other glyphs; what a process remembers from earlier
    files must not change how it reads a later one (a batch worker, a test run)."""
    from jiaokan.ocr.glyphs import forget_glyphs

    forget_glyphs()
    fix_pdf(PDFS / "gazette_notounicode.pdf", tmp_path / "alone.pdf")
    forget_glyphs()
    convert_file(quirks.punctuation_font(PDFS / "gazette_clean.pdf", tmp_path / "punct.pdf"))
    fix_pdf(PDFS / "gazette_notounicode.pdf", tmp_path / "after.pdf")
    assert plumber_text(tmp_path / "after.pdf") == plumber_text(tmp_path / "alone.pdf")
    forget_glyphs()


def test_scanned_pages_get_an_invisible_ocr_layer(tmp_path):
    fixed = tmp_path / "fixed.pdf"
    report = fix_pdf(PDFS / "gazette_imageonly.pdf", fixed, ocr_layer=True)
    assert report.text_layer_pages == [1, 2] and report.fonts == []
    assert pixels(fixed) == pixels(PDFS / "gazette_imageonly.pdf")
    clean = squeeze(plumber_text(CLEAN))
    for text in (plumber_text(fixed), pdfium_text(fixed)):
        matcher = difflib.SequenceMatcher(None, squeeze(text), clean, autojunk=False)
        assert 1 - matcher.ratio() <= 0.02
    with pikepdf.open(fixed) as pdf:
        assert pdf.check_pdf_syntax() == []


def test_clean_pdf_is_copied_byte_for_byte(tmp_path):
    fixed = tmp_path / "fixed.pdf"
    report = fix_pdf(CLEAN, fixed, options=NEVER)
    assert not report.changed and fixed.read_bytes() == CLEAN.read_bytes()


def test_codes_under_the_threshold_are_left_as_found_and_reported(tmp_path):
    fixed = tmp_path / "fixed.pdf"
    report = fix_pdf(PDFS / "gazette_founder31.pdf", fixed, min_confidence=0.995, options=NEVER)
    verified = [d for d in report.doubtful if d["method"] == "glyph-verified"]
    assert verified and all(d["why"] == "confidence 0.99 is below 0.995" for d in verified)
    assert all(fix.confidence >= 0.995 for fix in report.fixes)
    text = plumber_text(fixed)
    assert all(d["found"] in text for d in verified)  # still the damaged hanzi, not guessed


def test_encrypted_and_signed_pdfs_are_refused_unless_forced(tmp_path):
    locked, signed = tmp_path / "locked.pdf", tmp_path / "signed.pdf"
    with pikepdf.open(PDFS / "gazette_founder31.pdf") as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="owner", user=""))
        pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(), SigFlags=3)
        pdf.save(signed)
    with pytest.raises(EncryptedPdfError, match="locked.pdf: "):
        fix_pdf(locked, tmp_path / "out.pdf", options=NEVER)
    with pytest.raises(SignedPdfError, match="signed.pdf: "):
        fix_pdf(signed, tmp_path / "out.pdf", options=NEVER)
    assert not (tmp_path / "out.pdf").exists()
    assert main(["fix-pdf", str(signed), str(tmp_path / "out.pdf"), "--ocr", "never"]) == 3
    assert main(["fix-pdf", str(signed), str(tmp_path / "out.pdf"), "--ocr", "never", "--force"]) == 0
    assert plumber_text(tmp_path / "out.pdf") == plumber_text(CLEAN)


def test_batch_writes_corrected_pdfs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for kind in ("founder31", "clean"):
        (folder / f"{kind}.pdf").write_bytes((PDFS / f"gazette_{kind}.pdf").read_bytes())
    fixed = tmp_path / "fixed"
    assert main(["batch", str(folder), str(tmp_path / "out"), "-j", "1", "--ocr", "never", "--fix-pdf", str(fixed)]) == 0
    assert plumber_text(fixed / "founder31.pdf") == plumber_text(CLEAN)
    assert (fixed / "clean.pdf").read_bytes() == CLEAN.read_bytes()


def test_not_a_pdf_is_named(tmp_path, capsys):
    text = FIXTURES / "notice_clean.txt"
    assert main(["fix-pdf", str(text), str(tmp_path / "out.pdf")]) == 4
    assert f"{text}: not a PDF (no %PDF header in its first 1024 bytes)" in capsys.readouterr().err
    assert main(["fix-pdf", str(CLEAN), str(CLEAN)]) == 2


def test_private_use_glyphs_are_read_and_written_back(tmp_path):
    from jiaokan.encodings.cmaps import read_tounicode, write_tounicode
    from jiaokan.pdf.convert import convert_pdf

    damaged, fixed = tmp_path / "private.pdf", tmp_path / "fixed.pdf"
    own = {"嘉": "\ue000", "兴": "\ue001"}  # a font maker's own code points for two hanzi
    with pikepdf.open(CLEAN) as pdf:
        for _, font in pdf.pages[0].Resources.Font.items():
            mapping, width = read_tounicode(font.ToUnicode.read_bytes())
            font.ToUnicode = pdf.make_stream(write_tounicode({c: own.get(t, t) for c, t in mapping.items()}, width))
        pdf.save(damaged)
    conversion = convert_pdf(damaged)
    assert {(r.before, r.after, r.method) for r in conversion.repair.repairs} == {
        ("\ue000", "嘉", "glyph-recognized"), ("\ue001", "兴", "glyph-recognized")}
    assert {f.damage for f in conversion.repair.diagnosis} == {"glyph:private-use"}
    fix_pdf(damaged, fixed, conversion=conversion)
    assert plumber_text(fixed) == plumber_text(CLEAN) and pixels(fixed) == pixels(damaged)
