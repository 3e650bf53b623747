"""Composing the edits of successive repair stages into one log against the original text.

Each stage edits the text the previous stage produced; ``RepairLog.add`` maps a stage's edits
back to columns of the original input, merging an edit into an earlier one where it falls
inside text that the earlier one produced. The log therefore replays on the original input
(``jiaokan.models.apply_repairs``) in any order.
"""

from __future__ import annotations

from bisect import insort

from jiaokan.models import Repair


class RepairLog:
    """Edits against the original text, kept sorted per line."""

    def __init__(self) -> None:
        self._lines: dict[int, list[Repair]] = {}

    def add(self, stage_edits: list[Repair]) -> None:
        """Add one stage's edits, given in columns of that stage's input text."""
        by_line: dict[int, list[Repair]] = {}
        for edit in stage_edits:
            by_line.setdefault(edit.line, []).append(edit)
        for line, edits in by_line.items():
            if line not in self._lines:
                self._lines[line] = sorted(edits, key=lambda e: e.column)
                continue
            merged = self._lines[line]
            for edit in sorted(edits, key=lambda e: e.column, reverse=True):
                merged = _compose(merged, edit)
            self._lines[line] = merged

    def repairs(self) -> tuple[Repair, ...]:
        return tuple(e for line in sorted(self._lines) for e in self._lines[line])


def _compose(earlier: list[Repair], edit: Repair) -> list[Repair]:
    """Fold ``edit`` (columns of the text after ``earlier``) into ``earlier`` (original columns).

    Edits of one stage arrive right to left, so an edit never shifts the columns of the ones
    still to come from its stage.
    """
    column = edit.column
    delta = 0
    for n, old in enumerate(earlier):
        start = old.column + delta
        end = start + len(old.after)
        if column < start:
            break
        if column + len(edit.before) <= end:
            offset = column - start
            after = old.after[:offset] + edit.after + old.after[offset + len(edit.before) :]
            method = old.method if edit.method in old.method.split("+") else f"{old.method}+{edit.method}"
            merged = old._replace(after=after, method=method, confidence=min(old.confidence, edit.confidence))
            return earlier[:n] + ([merged] if merged.after != merged.before else []) + earlier[n + 1 :]
        if column < end:
            raise ValueError(f"edit straddles an earlier edit at line {edit.line}: {edit}")
        delta += len(old.after) - len(old.before)
    moved = edit._replace(column=column - delta) if delta else edit
    insort(earlier, moved, key=lambda e: e.column)
    return earlier
