"""Batch throughput: files/s and pages/s with -j 1 and -j 2 (scaling efficiency) and on a
2-worker Dask LocalCluster, on the same folder in the same run.

The folder holds --copies copies of every committed text and PDF fixture with a text layer
(OCR left out: it would dominate) and of five broken inputs (empty, truncated PDF, encrypted
PDF, HTML saved as .pdf, binary .txt). Each run writes to a fresh output folder; the script
checks that every good input converted and every broken one is an error record, and reports
the peak memory of each worker process.
Run: python scripts/bench_batch.py [--copies 16]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path

import pikepdf

from jiaokan import ConvertOptions
from jiaokan.batch import BatchOptions, run_batch

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SOURCES = [
    *sorted((FIXTURES / "text").rglob("*.txt")),
    *(FIXTURES / "pdf" / f"gazette_{kind}.pdf" for kind in ("clean", "founder31", "founder2E", "twofonts", "kangxi")),
]


BROKEN = ("empty.txt", "truncated.pdf", "encrypted.pdf", "saved-page.pdf", "binary.txt")


def write_broken(folder: Path) -> None:
    """One input of each broken kind a batch meets in the wild."""
    pdf = (FIXTURES / "pdf" / "gazette_clean.pdf").read_bytes()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "truncated.pdf").write_bytes(pdf[: len(pdf) // 3])
    with pikepdf.open(FIXTURES / "pdf" / "gazette_clean.pdf") as document:
        document.save(folder / "encrypted.pdf", encryption=pikepdf.Encryption(owner="o", user="u"))
    (folder / "saved-page.pdf").write_text("<html><body>404 Not Found</body></html>")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)


def folder_of_inputs(root: Path, copies: int) -> tuple[Path, int]:
    folder = root / "in"
    for n in range(copies):
        target = folder / f"copy{n}"
        target.mkdir(parents=True)
        for source in SOURCES:
            shutil.copy(source, target / source.name)
        write_broken(target)
    return folder, copies * (len(SOURCES) + len(BROKEN))


def timed(folder: Path, out: Path, **kwargs) -> tuple[float, int, str]:
    """Seconds and pages of one batch run, and its statuses and worker peaks (every record
    checked: good inputs converted, broken ones error records with a message)."""
    start = time.perf_counter()
    with contextlib.redirect_stderr(io.StringIO()):
        run_batch(folder, out, options=BatchOptions(ConvertOptions(ocr="never")), **kwargs)
    seconds = time.perf_counter() - start
    records = [json.loads(line) for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    wrong = [r["input"] for r in records if (r["status"] == "error") != (Path(r["input"]).name in BROKEN)]
    assert not wrong and all(r["error"] for r in records if r["status"] == "error"), wrong
    pages = sum(json.loads(Path(r["output"]).read_text(encoding="utf-8"))["source"]["pages"] or 1
                for r in records if r["output"])
    peaks: dict[str, float] = {}
    for r in records:
        peaks[r["worker"]] = max(peaks.get(r["worker"], 0), r["peak_mb"])
    statuses = Counter(r["status"] for r in records)
    return seconds, pages, f"{dict(statuses)}; peak RSS per worker: {', '.join(f'{v:.0f}' for v in sorted(peaks.values()))} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=16)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root:
        folder, files = folder_of_inputs(Path(root), args.copies)
        results = {}

        def report(label: str, seconds: float, pages: int, note: str) -> None:
            results[label] = seconds
            print(f"{label:12} {files} files {pages} pages: {files / seconds:5.2f} files/s {pages / seconds:6.2f} pages/s  {note}")

        for label, jobs in (("-j 1", 1), ("-j 2", 2)):
            report(label, *timed(folder, Path(root) / label.replace(" ", ""), jobs=jobs))
        from distributed import LocalCluster

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            report("dask 2 wkrs", *timed(folder, Path(root) / "dask", scheduler=cluster.scheduler_address))
        print(f"-j 2 is {results['-j 1'] / results['-j 2']:.2f}x -j 1 (efficiency {results['-j 1'] / results['-j 2'] / 2:.0%});"
              f" Dask LocalCluster is {results['-j 1'] / results['dask 2 wkrs']:.2f}x -j 1")


if __name__ == "__main__":
    main()
