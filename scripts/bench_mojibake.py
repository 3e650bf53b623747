"""Code-page misreadings, pair by pair: jiaokan's character error against ftfy's, in one run.

Every clean text is written in a code page and read back in another (line by line, the way a
wrong decoder damages a file; a misreading twice repeats the trip, a chain makes a second
trip through another pair). Bytes the wrong decoder cannot read are lost (U+FFFD): such
pairs are *lossy*, and their bar is the share of characters some byte of which was lost,
plus 0.2%. ftfy is given its own best tool, ``fix_encoding``. Clean texts must come out
with zero edits. Also prints the repair speed on damaged and clean text.

Run: python scripts/bench_mojibake.py [FILES...]   (default: the clean fixtures)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import ftfy
from rapidfuzz.distance import Levenshtein

from jiaokan import repair_text
from jiaokan.encodings import damage
from jiaokan.encodings.codepages import PAIRS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "text"
DOUBLE = (("utf-8", "latin-1"), ("utf-8", "sloppy-windows-1252"), ("utf-8", "gbk"))
# Misread, saved, and misread another way (a page of UTF-8 shown as GBK, then as Latin-1).
CHAINED = ((("utf-8", "gbk"), ("utf-8", "latin-1")), (("utf-8", "shift_jis"), ("utf-8", "sloppy-windows-1252")))
# Misread text copied from a page: its no-break spaces (byte A0 read as U+00A0) made spaces.
COPIED = (("utf-8", "latin-1"), ("utf-8", "sloppy-windows-1252"), ("gbk", "latin-1"))
BAR = 0.002
# Megabytes of the fixtures, repeated, whose repair is timed (the speed of a large file).
SPEED_MB = 5.0


def cer(reference: str, hypothesis: str) -> float:
    """Character error (Levenshtein distance over the reference's length), line by line where
    the lines correspond (a misreading keeps them)."""
    ours, theirs = reference.split("\n"), hypothesis.split("\n")
    pairs = zip(ours, theirs) if len(ours) == len(theirs) else [(reference, hypothesis)]
    return sum(Levenshtein.distance(a, b) for a, b in pairs) / max(1, len(reference))


def traditional(text: str) -> str:
    """Text written in Big5 is in traditional characters."""
    import opencc

    return opencc.OpenCC("s2t").convert(text)


def cases() -> list[tuple[str, tuple[tuple[str, str], ...], bool]]:
    """(name, its rounds of (written in, read as), copied) for every pair jiaokan knows, the
    doubles, the chains and the copied."""
    return (
        [(f"{w} read as {r}", ((w, r),), False) for w, r in PAIRS]
        + [(f"{w} read as {r} twice", ((w, r),) * 2, False) for w, r in DOUBLE]
        + [(", then ".join(f"{w} read as {r}" for w, r in chain), chain, False) for chain in CHAINED]
        + [(f"{w} read as {r}, A0 copied as space", ((w, r),), True) for w, r in COPIED]
    )


def main(paths: list[Path]) -> int:
    texts = {p.name: p.read_text(encoding="utf-8") for p in paths}
    failures = 0
    for name, text in texts.items():
        edits = len(repair_text(text).repairs)
        failures += edits > 0
        print(f"clean {name}: {edits} edits")
    print(f"\n{'misreading':44} {'lost':>7} {'jiaokan':>8} {'ftfy':>8}  worst file")
    for label, rounds, copied in cases():
        worst = (0.0, 0.0, 0.0, "")
        for name, text in texts.items():
            text = traditional(text) if rounds[0][0].startswith("big5") else text
            damaged = text
            for written, read in rounds:
                damaged = damage.mojibake(damaged, written, read, lossy=True)
            damaged = damaged.replace("\xa0", " ") if copied else damaged
            if damaged == text:
                continue
            lost = damage.lost_share(text, rounds)
            ours = cer(text, repair_text(damaged).text)
            theirs = cer(text, ftfy.fix_encoding(damaged))
            if ours - lost > worst[1] - worst[0] or not worst[3]:
                worst = (lost, ours, theirs, name)
        lost, ours, theirs, name = worst
        bad = ours > lost + BAR or theirs < ours
        failures += bad
        print(f"{label:44} {lost:7.2%} {ours:8.2%} {theirs:8.2%}  {name}{'  <-- FAIL' if bad else ''}")
    joined = "\n".join(texts.values())
    big = "\n".join([joined] * max(1, round(SPEED_MB * 1e6 / len(joined.encode("utf-8")))))
    for label, sample in (("clean", big), ("damaged gbk/latin-1", damage.mojibake(big, "gbk", "latin-1"))):
        start = time.perf_counter()
        repair_text(sample)
        seconds = time.perf_counter() - start
        size = len(sample.encode("utf-8")) / 1e6
        print(f"speed {label}: {size / seconds:.1f} MB/s ({size:.1f} MB in {seconds:.2f} s)")
    return 1 if failures else 0


if __name__ == "__main__":
    files = [Path(a) for a in sys.argv[1:]] or [FIXTURES / "notice_clean.txt", *sorted((FIXTURES / "clean").glob("*.txt"))]
    sys.exit(main(files))
