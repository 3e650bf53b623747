"""The one configuration object of a repair; CLI flags map onto its fields."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RepairConfig:
    """What ``repair_text`` may change.

    founder: undo Founder glyph shifts. mojibake: re-decode code-page mojibake.
    glyphs: map Kangxi radicals, radical supplements, compatibility ideographs and GB18030
    private-use points to unified ideographs. t2s: convert traditional to simplified (OpenCC).
    min_confidence: an edit needs at least this posterior to be made.
    """

    founder: bool = True
    mojibake: bool = True
    glyphs: bool = True
    t2s: bool = False
    min_confidence: float = 0.5

    def __post_init__(self) -> None:
        if not 0.0 < self.min_confidence < 1.0:
            raise ValueError(f"min_confidence must lie strictly between 0 and 1, not {self.min_confidence}")
