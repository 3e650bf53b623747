"""Throughput and memory of ``repair_text`` against a plain ``str.translate`` baseline.

Damaged text: the Founder gazette fixture repeated to at least --mb megabytes. Clean text: the
clean notice fixture repeated likewise (nothing to repair: the common case in a corpus). The
baseline is a fixed-table ``str.translate`` (the forum fix) over the same text in the same run.
Each figure is the fastest of --repeats runs (this machine's timings are noisy); the ratio
compares the two in the same process. Memory: a child process reads and repairs a
--memory-mb file and reports its peak RSS.
Run: python scripts/bench_repair.py [--mb 5] [--memory-mb 50] [--repeats 3]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import measured  # noqa: E402

from jiaokan import repair_text  # noqa: E402
from jiaokan.encodings.founder import FounderShift  # noqa: E402
from jiaokan.encodings.lexicon import Lexicon  # noqa: E402

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "text"


def repeated(path: Path, megabytes: float) -> str:
    text = path.read_text(encoding="utf-8")
    copies = int(megabytes * 1e6 / len(text.encode("utf-8"))) + 1
    return "\n".join([text] * copies)


def best_of(repeats: int, work) -> float:
    """The fastest of ``repeats`` runs, in seconds (the least disturbed by the machine)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def throughput(label: str, text: str, repeats: int) -> None:
    size = len(text.encode("utf-8")) / 1e6
    table = str.maketrans(FounderShift.build(0x31).to_symbol)
    baseline = best_of(repeats, lambda: text.translate(table))
    result = repair_text(text)
    seconds = best_of(repeats, lambda: repair_text(text))
    print(
        f"{label:8} {size:6.1f} MB  jiaokan {size / seconds:7.2f} MB/s ({len(result.repairs)} edits)  "
        f"str.translate {size / baseline:8.1f} MB/s  ratio {seconds / baseline:8.1f}x slower"
    )


def peak_rss(megabytes: float) -> None:
    """Peak RSS of a fresh process that reads a damaged file and repairs it (as the CLI does)."""
    code = "import sys; from jiaokan import repair_text; from jiaokan.text.decode import read_text; repair_text(read_text(sys.argv[1]).text)"
    text = repeated(FIXTURES / "gazette_founder.txt", megabytes)
    size = len(text.encode("utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "damaged.txt"
        path.write_text(text, encoding="utf-8")
        del text
        _, peak = measured([sys.executable, "-c", code, str(path)])
    print(f"memory   {size / 1e6:6.1f} MB damaged text: peak RSS {peak / 1e6:.0f} MB = {peak / size:.1f}x the input")


def long_line(characters: int, repeats: int) -> None:
    """One damaged line of ``characters`` against the same text in 40-character lines: the
    repair must stay linear in a line's length."""
    body = "".join(repeated(FIXTURES / "gazette_founder.txt", characters * 4 / 1e6).split())[:characters]
    short = "\n".join(body[i : i + 40] for i in range(0, len(body), 40))
    one, lines = best_of(repeats, lambda: repair_text(body)), best_of(repeats, lambda: repair_text(short))
    print(f"one line {characters:,} characters {one:.2f} s, in short lines {lines:.2f} s: {one / lines:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0)
    parser.add_argument("--memory-mb", type=float, default=50.0)
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement; the fastest counts")
    parser.add_argument("--line", type=int, default=400_000, help="characters of the one-line text (0: skip)")
    args = parser.parse_args()
    start = time.perf_counter()
    Lexicon.default()
    print(f"lexicon loaded in {time.perf_counter() - start:.2f} s (once per process, not counted below)")
    throughput("damaged", repeated(FIXTURES / "gazette_founder.txt", args.mb), args.repeats)
    throughput("clean", repeated(FIXTURES / "notice_clean.txt", args.mb), args.repeats)
    if args.line > 0:
        long_line(args.line, args.repeats)
    if args.memory_mb > 0:
        peak_rss(args.memory_mb)
    print(f"self peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB")


if __name__ == "__main__":
    main()
