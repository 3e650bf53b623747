"""Damage clean texts on purpose, repair them, and report the character error rate per kind.

Also reports the edits made to the clean texts themselves (must be 0).
Run: python scripts/eval_roundtrip.py [FILES...]   (default: the clean fixtures)
"""

from __future__ import annotations

import difflib
import sys
import time
from pathlib import Path

from jiaokan import repair_text
from jiaokan.encodings import damage

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "text"
KINDS = {
    "founder+0x31": lambda t: damage.founder(t, 0x31),
    "founder+0x2E": lambda t: damage.founder(t, 0x2E),
    "founder mixed by line": damage.founder_by_line,
    "gbk read as latin-1": lambda t: damage.mojibake(t, "gbk", "latin-1"),
    "utf-8 read as cp1252": lambda t: damage.mojibake(t, "utf-8", "sloppy-windows-1252"),
    "gbk read as big5": lambda t: damage.mojibake(t, "gbk", "big5"),
    "kangxi radicals": damage.kangxi,
}


def errors(reference: str, hypothesis: str) -> int:
    """Character edits between two texts (difflib's opcodes, close to Levenshtein)."""
    matcher = difflib.SequenceMatcher(a=reference, b=hypothesis, autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")


def main(paths: list[Path]) -> int:
    texts = {p.name: p.read_text(encoding="utf-8") for p in paths}
    failures = 0
    print(f"{'clean input':28} {'file':22} edits")
    for name, text in texts.items():
        edits = len(repair_text(text).repairs)
        failures += edits > 0
        print(f"{'':28} {name:22} {edits}")
    print(f"\n{'damage kind':28} {'file':22} {'damaged CER':>12} {'repaired CER':>12} {'exact':>6} {'sec':>6}")
    for kind, make in KINDS.items():
        for name, text in texts.items():
            damaged = make(text)
            start = time.perf_counter()
            repaired = repair_text(damaged).text
            seconds = time.perf_counter() - start
            before = errors(text, damaged) / len(text)
            after = errors(text, repaired) / len(text)
            exact = repaired == text
            failures += not exact
            print(f"{kind:28} {name:22} {before:12.4%} {after:12.4%} {str(exact):>6} {seconds:6.2f}")
    return 1 if failures else 0


if __name__ == "__main__":
    files = [Path(a) for a in sys.argv[1:]] or [FIXTURES / "notice_clean.txt", *sorted((FIXTURES / "clean").glob("*.txt"))]
    sys.exit(main(files))
