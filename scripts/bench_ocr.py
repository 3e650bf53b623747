"""Glyph recognition against page OCR on the same no-ToUnicode document, in the same run:
time ratio and CER of each; and peak memory while OCRing an N-page scan.

The document is the fixture gazette set over --pages pages with its ToUnicode maps removed
(a font's distinct glyphs are recognised once, so the gain grows with the page count); the
scan is the same text rendered at 200 dpi over --scan-pages pages (both need the `fixtures`
extra), whose page OCR is also timed against RapidOCR alone on the rendered pages. The engine is loaded and warmed before timing; each figure is the fastest of
--repeats runs.
Run: python scripts/bench_ocr.py [--pages 8] [--scan-pages 20] [--repeats 1]
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pdf import gazette  # noqa: E402
from bench_repair import best_of  # noqa: E402
from measure import measured  # noqa: E402
from make_fixtures import image_only, variants  # noqa: E402

from jiaokan.ocr import default_engine  # noqa: E402
from jiaokan.ocr.glyphs import forget_glyphs  # noqa: E402
from jiaokan.ocr.pages import DPI  # noqa: E402
from jiaokan import ConvertOptions  # noqa: E402
from jiaokan.pdf.convert import convert_pdf  # noqa: E402

PDFS = Path(__file__).resolve().parents[1] / "fixtures" / "pdf"


def cer(reference: str, hypothesis: str) -> float:
    reference, hypothesis = re.sub(r"\s", "", reference), re.sub(r"\s", "", hypothesis)
    matcher = difflib.SequenceMatcher(a=reference, b=hypothesis, autojunk=False)
    errors = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")
    return errors / len(reference)


def peak_rss(path: Path) -> int:
    """Peak RSS of a fresh process converting ``path``."""
    return measured([sys.executable, "-c", "import sys; from jiaokan.pdf.convert import convert_pdf; convert_pdf(sys.argv[1])", str(path)])[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=8)
    parser.add_argument("--scan-pages", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        clean, _ = gazette(args.pages, Path(folder))
        document = Path(folder) / "notounicode.pdf"
        document.write_bytes(variants(clean.read_bytes())["notounicode"])
        reference = convert_pdf(clean, ConvertOptions(ocr="never")).repair.text
        convert_pdf(PDFS / "gazette_notounicode.pdf", ConvertOptions(engine=default_engine()))
        results = {}
        for route, mode in (("glyph recognition", "auto"), ("page OCR", "force")):
            seconds = best_of(
                args.repeats, lambda: (forget_glyphs(), results.__setitem__(route, convert_pdf(document, ConvertOptions(ocr=mode))))
            )
            print(f"{route:18} {seconds:7.2f} s  CER {cer(reference, results[route].repair.text):.4%}")
            results[f"{route} seconds"] = seconds
        ratio = results["page OCR seconds"] / results["glyph recognition seconds"]
        print(f"{args.pages}-page document: glyph recognition is {ratio:.1f}x faster than page OCR")
    with tempfile.TemporaryDirectory() as folder:
        clean, _ = gazette(args.scan_pages, Path(folder))
        scan = Path(folder) / "scan.pdf"
        scan.write_bytes(image_only(clean.read_bytes()))
        print(f"peak RSS OCRing a {args.scan_pages}-page scan at 200 dpi: {peak_rss(scan) / 1e6:.0f} MB")
        ours = best_of(args.repeats, lambda: convert_pdf(scan, ConvertOptions(engine=default_engine())))
        bare = best_of(args.repeats, bare_rapidocr(scan))
        print(f"page OCR of the scan: jiaokan {ours / args.scan_pages:.2f} s/page, bare RapidOCR (render at {DPI} dpi,"
              f" recognise) {bare / args.scan_pages:.2f} s/page: {ours / bare:.2f}x")


def bare_rapidocr(path: Path):
    """A run of RapidOCR alone over the rendered pages of ``path``, its engine made and warmed
    beforehand (as jiaokan's is)."""
    import pypdfium2
    from rapidocr import RapidOCR

    engine = RapidOCR(params={"Global.log_level": "warning"})
    warm = pypdfium2.PdfDocument(str(path))
    engine(warm[0].render(scale=DPI / 72).to_numpy())
    warm.close()

    def run() -> None:
        document = pypdfium2.PdfDocument(str(path))
        for page in document:
            engine(page.render(scale=DPI / 72).to_numpy())
        document.close()

    return run


if __name__ == "__main__":
    main()
