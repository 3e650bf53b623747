"""Pages per second of `jiaokan convert` on PDFs, against pdfplumber's extract_text and
pypdfium2's text extraction on the same files in the same run, and peak memory on a
100-page gazette.

The files are generated (scripts/make_fixtures.py, which needs the `fixtures` extra): the
fixture source text set again and again into an N-page two-column gazette, clean and with
the Founder +0x31 damage. Each figure is the fastest of --repeats runs.
Run: python scripts/bench_pdf.py [--pages 100] [--repeats 2]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import pdfplumber
import pypdfium2

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_repair import best_of  # noqa: E402
from measure import measured  # noqa: E402
from make_fixtures import SOURCE, clean_pdf, font_files, variants  # noqa: E402

from jiaokan.pdf.convert import convert_pdf  # noqa: E402


def gazette(pages: int, folder: Path) -> tuple[Path, Path]:
    source = SOURCE.read_text(encoding="utf-8")
    title, body = source.split("\n\n", 1)
    text = title + "\n\n" + "\n".join([body.strip()] * max(1, round(pages * 0.8)))
    clean = clean_pdf(text, *font_files(folder))
    paths = folder / "clean.pdf", folder / "founder31.pdf"
    paths[0].write_bytes(clean)
    paths[1].write_bytes(variants(clean)["founder31"])
    return paths


def plumber(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()


def pdfium(path: Path) -> None:
    document = pypdfium2.PdfDocument(str(path))
    for page in document:
        page.get_textpage().get_text_range()
    document.close()


def peak_rss(path: Path) -> int:
    """Peak RSS of a fresh process converting ``path``."""
    return measured([sys.executable, "-c", "import sys; from jiaokan.pdf.convert import convert_pdf; convert_pdf(sys.argv[1])", str(path)])[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for path in gazette(args.pages, Path(folder)):
            pages = len(pypdfium2.PdfDocument(str(path)))
            ours = best_of(args.repeats, lambda: convert_pdf(path))
            theirs = best_of(args.repeats, lambda: plumber(path))
            fast = best_of(args.repeats, lambda: pdfium(path))
            print(
                f"{path.stem:10} {pages:4} pages  jiaokan {pages / ours:6.1f} p/s  pdfplumber {pages / theirs:6.1f} p/s"
                f"  pypdfium2 {pages / fast:7.1f} p/s  time vs pdfplumber {ours / theirs:4.2f}x"
                f"  vs pypdfium2 {ours / fast:6.1f}x"
            )
            print(f"{'':10} peak RSS converting it: {peak_rss(path) / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
