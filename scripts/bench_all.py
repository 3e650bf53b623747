"""Every speed ratio in one run, as whole processes (what a user waits for), best of --repeats:

- start-up: `jiaokan convert` of a one-line text;
- `jiaokan convert` of a 3-page and a --pages-page two-column gazette (clean and Founder
  +0x31, generated as in scripts/bench_pdf.py: needs the `fixtures` extra) against a process
  running pdfplumber's `extract_text` and one running pypdfium2's text extraction;
- `jiaokan convert` of every --pdf (default: the real PDFs in ../shared/real-pdf/, if there);
- `jiaokan repair` (with -j all cores and -j 1) of --mb megabytes of damaged (the Founder
  gazette fixture) and clean (the notice fixture) text, repeated, and of --text files (clean
  texts, say LawRefBook laws) damaged by the shift, against a process doing `str.translate`
  with the shift table;
- then scripts/bench_ocr.py (glyph path vs page OCR, bare RapidOCR) and scripts/bench_batch.py
  (-j1/-j2), unless --quick.

Peak RSS is printed beside each time (each command's own: see measure.py). The table is
Markdown, for the README.
Run: python scripts/bench_all.py [--pages 100] [--mb 5] [--repeats 2] [--quick] [--pdf FILE ...] [--text FILE ...]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_pdf import gazette  # noqa: E402
from bench_repair import FIXTURES, repeated  # noqa: E402
from measure import measured  # noqa: E402

REAL_PDFS = HERE.parents[1] / "shared" / "real-pdf"
# Every process runs as on a machine where jiaokan is installed: with its bytecode cached, as
# the baselines' libraries in site-packages have theirs (where PYTHONDONTWRITEBYTECODE is set,
# as in some sandboxes, each run would compile jiaokan's source again: 0.1 s more).
CHILD_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
PLUMBER = (
    "import sys, pdfplumber\n"
    "with pdfplumber.open(sys.argv[1]) as pdf:\n"
    "    text = [page.extract_text() for page in pdf.pages]\n"
)
PDFIUM = (
    "import sys, pypdfium2\n"
    "document = pypdfium2.PdfDocument(sys.argv[1])\n"
    "text = [page.get_textpage().get_text_range() for page in document]\n"
)
TRANSLATE = (
    "import sys\n"
    "from jiaokan.encodings.founder import FounderShift\n"
    "table = str.maketrans(FounderShift.build(0x31).to_symbol)\n"
    "text = open(sys.argv[1], encoding='utf-8').read()\n"
    "open(sys.argv[2], 'w', encoding='utf-8').write(text.translate(table))\n"
)


def run(command: list[str], repeats: int) -> tuple[float, int]:
    """Fastest wall time of ``repeats`` runs of ``command``, and its peak RSS."""
    runs = [measured(command, CHILD_ENV) for _ in range(repeats)]
    return min(seconds for seconds, _ in runs), max(peak for _, peak in runs)


def python(code: str, *args: str) -> list[str]:
    return [sys.executable, "-c", code, *args]


def jiaokan(*args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("jiaokan")), *args]


def row(label: str, ours: tuple[float, int], others: dict[str, tuple[float, int]], note: str = "") -> str:
    ratios = "; ".join(f"{ours[0] / t:.2f}× {name} ({t:.2f} s)" for name, (t, _) in others.items())
    return f"| {label} | {ours[0]:.2f} s | {ours[1] / 1e6:.0f} MB | {ratios or '—'} | {note} |"


def founder_damaged(paths: list[Path], megabytes: float) -> str:
    """Clean texts, one after another up to ``megabytes``, their punctuation shifted by 0x31."""
    from jiaokan.encodings.founder import FounderShift

    table = str.maketrans(FounderShift.build(0x31).to_hanzi)
    texts, size = [], 0
    for path in paths:
        texts.append(path.read_text(encoding="utf-8").translate(table))
        size += len(texts[-1].encode("utf-8"))
        if size >= megabytes * 1e6:
            break
    return "\n".join(texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--mb", type=float, default=5.0)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="leave out the OCR and batch benchmarks")
    parser.add_argument("--pdf", type=Path, nargs="*", default=sorted(REAL_PDFS.glob("*.pdf")),
                        help="more PDFs to convert against the baselines (default: ../shared/real-pdf/)")
    parser.add_argument("--text", type=Path, nargs="*", default=[],
                        help="clean texts to damage with the Founder shift for a repair of text that does not repeat "
                        "itself (the fixtures are repeated, which caches reward)")
    args = parser.parse_args()
    rows = ["| job | jiaokan | peak RSS | time ÷ baseline | note |", "|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        one = folder / "one.txt"
        one.write_text("关于印发嘉兴市标准创新贡献奖管理办法的通知\n", encoding="utf-8")
        bare = run(python("pass"), args.repeats)
        rows.append(row("start-up: convert a one-line text", run(jiaokan("convert", str(one), "-o", str(folder / "one.json")), args.repeats),
                        {"bare Python": bare}, "target ≤ 0.7 s"))
        for pages in (3, args.pages):
            sub = folder / f"p{pages}"
            sub.mkdir()
            for pdf in gazette(pages, sub):
                ours = run(jiaokan("convert", str(pdf), "-o", str(folder / "out.json")), args.repeats)
                others = {"pdfplumber": run(python(PLUMBER, str(pdf)), args.repeats),
                          "pypdfium2": run(python(PDFIUM, str(pdf)), args.repeats)}
                rows.append(row(f"convert {pdf.stem} gazette PDF, {pages} pages", ours, others,
                                "target ≤ 1× pdfplumber" if pages > 3 else "target ≤ 2× pdfplumber"))
        for pdf in args.pdf:
            others = {"pdfplumber": run(python(PLUMBER, str(pdf)), args.repeats),
                      "pypdfium2": run(python(PDFIUM, str(pdf)), args.repeats)}
            rows.append(row(f"convert {pdf.name}", run(jiaokan("convert", str(pdf), "-o", str(folder / "out.json")), args.repeats),
                            others, "a real PDF"))
        texts = {"damaged": repeated(FIXTURES / "gazette_founder.txt", args.mb),
                 "clean": repeated(FIXTURES / "notice_clean.txt", args.mb)}
        if args.text:
            texts["damaged, not repeated,"] = founder_damaged(args.text, args.mb)
        for label, text in texts.items():
            path = folder / "text.txt"
            path.write_text(text, encoding="utf-8")
            size = path.stat().st_size / 1e6
            baseline = run(python(TRANSLATE, str(path), str(folder / "out.txt")), args.repeats)
            for jobs in (os.cpu_count() or 1, 1):
                ours = run(jiaokan("repair", "-j", str(jobs), str(path), "-o", str(folder / "out.txt")), args.repeats)
                rows.append(row(f"repair {size:.1f} MB {label} text, -j {jobs}", ours, {"str.translate": baseline},
                                f"{size / ours[0]:.2f} MB/s (target {'20' if label == 'clean' else '4'})"))
    print("\n".join(rows), flush=True)
    if not args.quick:
        for script, extra in (("bench_ocr.py", ["--pages", "4", "--scan-pages", "3"]), ("bench_batch.py", ["--copies", "4"])):
            print(f"\n$ python scripts/{script} {' '.join(extra)}", flush=True)
            subprocess.run([sys.executable, str(HERE / script), *extra], check=False, env=CHILD_ENV)


if __name__ == "__main__":
    main()
