"""Reading order on the layout corpus: character error of each layout's text, per route.

For every layout in fixtures/layouts (made by make_layouts.py) and every route — the clean
text layer, a Founder-damaged layer (+0x31), fonts without ToUnicode maps (read by glyph
recognition) and the pages as 200-dpi scans (page OCR) — prints the character error of
`jiaokan convert`'s text (all documents, whitespace removed) against the text as read,
running heads and page numbers counting as errors. Beside it, for the clean layer,
pdfplumber's `extract_text` and the content stream's order (pypdfium2's text); for glyph
recognition and scans, the reading's own character error measured order-free (as a bag of
characters), which a layout cannot undo. Errors are difflib edits (a moved block counts
twice).
Run: python scripts/bench_layout.py [--routes clean,founder,unmapped,scan] [LAYOUT.pdf ...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pdfplumber
import pypdfium2

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
import pdf_quirks  # noqa: E402
from reading import bag_error, error, squeeze  # noqa: E402

from jiaokan.convert import convert_file  # noqa: E402
from jiaokan.encodings.founder import FounderShift  # noqa: E402

ROUTES = {
    "clean": lambda source, target: source,
    "founder": lambda source, target: pdf_quirks.remapped(source, target, lambda t: FounderShift.build(0x31).to_hanzi.get(t, t)),
    "unmapped": lambda source, target: pdf_quirks.remapped(source, target, None),
    "scan": lambda source, target: pdf_quirks.scanned(source, target),
}


def others(path: Path) -> tuple[str, str]:
    """pdfplumber's ``extract_text`` and the content stream's order (PDFium's text)."""
    with pdfplumber.open(path) as pdf:
        plumber = "".join(page.extract_text() or "" for page in pdf.pages)
    document = pypdfium2.PdfDocument(str(path))
    stream = "".join(document[n].get_textpage().get_text_range() for n in range(len(document)))
    document.close()
    return plumber, stream


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("layouts", nargs="*", type=Path)
    parser.add_argument("--routes", default=",".join(ROUTES))
    args = parser.parse_args()
    layouts = args.layouts or sorted((ROOT / "fixtures" / "layouts").glob("*.pdf"))
    routes = args.routes.split(",")
    print(f"{'layout':32} {'route':9} {'jiaokan':>8} {'plumber':>8} {'stream':>8} {'read bag':>8} {'s':>6}")
    worst: dict[str, float] = {}
    beyond: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        for layout in layouts:
            truth = squeeze(layout.with_suffix(".txt").read_text(encoding="utf-8"))
            for route in routes:
                path = ROUTES[route](layout, Path(folder) / f"{route}.pdf")
                start = time.perf_counter()
                text = squeeze(convert_file(path).repair.text)
                seconds = time.perf_counter() - start
                ours = error(truth, text)
                columns = ["", "", ""]
                if route == "clean":
                    columns[:2] = (f"{error(truth, squeeze(t)):8.2%}" for t in others(path))
                bag = bag_error(truth, text) if route in ("unmapped", "scan") else 0.0
                if route in ("unmapped", "scan"):
                    columns[2] = f"{bag:8.2%}"
                worst[route] = max(worst.get(route, 0.0), ours)
                beyond[route] = max(beyond.get(route, 0.0), ours - bag)  # what the layout adds to the reading's errors
                print(f"{layout.stem:32} {route:9} {ours:8.2%} {columns[0]:>8} {columns[1]:>8} {columns[2]:>8} {seconds:6.1f}")
    print(f"\n{len(layouts)} layouts; worst error per route: " + ", ".join(f"{r} {e:.2%}" for r, e in worst.items()))
    print("worst beyond the reading's own (order-free) errors: " + ", ".join(f"{r} {e:.2%}" for r, e in beyond.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
