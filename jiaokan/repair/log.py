"""Composing the edits of successive repair stages into one log against the original text.

Each stage edits the text the previous stage produced; ``RepairLog.add`` maps a stage's edits
back to columns of the original input, merging an edit into an earlier one where it falls
inside text that the earlier one produced. The log therefore replays on the original input
(``jiaokan.models.apply_repairs``) in any order.
"""

from __future__ import annotations

from itertools import chain

from jiaokan.models import Repair, by_line


class RepairLog:
    """Edits against the original text, kept sorted per line."""

    def __init__(self) -> None:
        self._lines: dict[int, list[Repair]] = {}

    def add(self, stage_edits: list[Repair]) -> None:
        """Add one stage's edits, given in columns of that stage's input text."""
        for line, group in by_line(stage_edits):
            edits = list(group)
            self._lines[line] = _compose(self._lines[line], edits) if line in self._lines else edits

    def repairs(self) -> tuple[Repair, ...]:
        return tuple(chain.from_iterable(self._lines[line] for line in sorted(self._lines)))


def _compose(earlier: list[Repair], edits: list[Repair]) -> list[Repair]:
    """Fold ``edits`` (one stage's, sorted, in columns of the text after ``earlier``) into
    ``earlier`` (original columns) in one pass over both: an edit inside text an earlier edit
    produced is merged into it; any other is moved back to original columns."""
    standalone: list[Repair] = []
    into: dict[int, list[tuple[int, Repair]]] = {}  # earlier edit → (offset in its text, edit)
    n, delta = 0, 0  # earlier edits passed, and how much they lengthened the line
    for edit in edits:
        column, width = edit.column, len(edit.before)
        while n < len(earlier):
            start = earlier[n].column + delta
            end = start + len(earlier[n].after)
            if column >= end and column + width > end:  # wholly after it
                delta += len(earlier[n].after) - len(earlier[n].before)
                n += 1
            elif column >= start and column + width <= end:
                into.setdefault(n, []).append((column - start, edit))
                break
            elif column < start:
                standalone.append(edit._replace(column=column - delta) if delta else edit)
                break
            else:
                raise ValueError(f"edit straddles an earlier edit at line {edit.line}: {edit}")
        else:
            standalone.append(edit._replace(column=column - delta) if delta else edit)
    merged = list(earlier)
    for k, inner in into.items():
        old = earlier[k]
        after, methods, confidence = old.after, old.method, old.confidence
        for offset, edit in reversed(inner):  # right to left: each leaves the offsets before it
            after = after[:offset] + edit.after + after[offset + len(edit.before) :]
            methods = methods if edit.method in methods.split("+") else f"{methods}+{edit.method}"
            confidence = min(confidence, edit.confidence)
        merged[k] = old._replace(after=after, method=methods, confidence=confidence)
    return [e for e in sorted(merged + standalone, key=lambda e: e.column) if e.after != e.before]
