"""Batch throughput: files/s and pages/s with -j 1 and -j 2 (scaling efficiency) and on a
2-worker Dask LocalCluster, on the same folder in the same run.

The folder holds --copies copies of every committed text and PDF fixture with a text layer
(OCR left out: it would dominate). Each run writes to a fresh output folder.
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
from pathlib import Path

from jiaokan.batch import BatchOptions, run_batch

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SOURCES = [
    *sorted((FIXTURES / "text").rglob("*.txt")),
    *(FIXTURES / "pdf" / f"gazette_{kind}.pdf" for kind in ("clean", "founder31", "founder2E", "twofonts", "kangxi")),
]


def folder_of_inputs(root: Path, copies: int) -> tuple[Path, int]:
    folder = root / "in"
    for n in range(copies):
        target = folder / f"copy{n}"
        target.mkdir(parents=True)
        for source in SOURCES:
            shutil.copy(source, target / source.name)
    return folder, copies * len(SOURCES)


def timed(folder: Path, out: Path, **kwargs) -> tuple[float, int]:
    start = time.perf_counter()
    with contextlib.redirect_stderr(io.StringIO()):
        run_batch(folder, out, options=BatchOptions(ocr="never"), **kwargs)
    seconds = time.perf_counter() - start
    pages = 0
    for output in out.rglob("*.json"):
        source = json.loads(output.read_text(encoding="utf-8"))["source"]
        pages += source["pages"] or 1
    return seconds, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=16)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root:
        folder, files = folder_of_inputs(Path(root), args.copies)
        results = {}
        for label, kwargs in (("-j 1", {"jobs": 1}), ("-j 2", {"jobs": 2})):
            seconds, pages = timed(folder, Path(root) / label.replace(" ", ""), **kwargs)
            results[label] = seconds
            print(f"{label:12} {files} files {pages} pages: {files / seconds:5.2f} files/s {pages / seconds:6.2f} pages/s")
        from distributed import LocalCluster

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            seconds, pages = timed(folder, Path(root) / "dask", scheduler=cluster.scheduler_address)
        results["dask"] = seconds
        print(f"{'dask 2 wkrs':12} {files} files {pages} pages: {files / seconds:5.2f} files/s {pages / seconds:6.2f} pages/s")
        print(f"-j 2 is {results['-j 1'] / results['-j 2']:.2f}x -j 1 (efficiency {results['-j 1'] / results['-j 2'] / 2:.0%});"
              f" Dask LocalCluster is {results['-j 1'] / results['dask']:.2f}x -j 1")


if __name__ == "__main__":
    main()
