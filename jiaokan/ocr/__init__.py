"""OCR behind a small interface: an engine turns a page image into lines with boxes.

The default engine is RapidOCR (3.x) on onnxruntime with the Chinese detection and
recognition models that ship inside its wheel; nothing is downloaded. With the package
onnxruntime-gpu installed instead of onnxruntime, onnxruntime runs the same models on CUDA.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import numpy as np


Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class OcrLine:
    """A recognised line: text, box in image pixels (x0, top, x1, bottom), confidence, and
    where the engine says so, the box of each piece of its text (a hanzi, a Latin word)."""

    text: str
    box: Box
    confidence: float
    pieces: tuple[tuple[str, Box], ...] = ()


class OcrEngine(Protocol):
    def recognize(self, image: np.ndarray) -> list[OcrLine]:
        """Lines of text in an RGB page image, in no particular order."""

    def read_lines(self, images: list[np.ndarray]) -> list[tuple[str, float]]:
        """Text and confidence of each image of one line of text (no detection)."""


class RapidOcrEngine:
    """RapidOCR with its bundled default models (loaded once per process)."""

    def __init__(self) -> None:
        from rapidocr import RapidOCR

        self._engine = RapidOCR(params={"Global.log_level": "warning"})

    def read_lines(self, images: list[np.ndarray]) -> list[tuple[str, float]]:
        if not images:
            return []
        result = self._engine.recognize_txt(images)
        return [(text, float(score)) for text, score in zip(result.txts, result.scores)]

    def recognize(self, image: np.ndarray) -> list[OcrLine]:
        result = self._engine(image, return_word_box=True)
        if result.boxes is None:
            return []
        words = result.word_results or [()] * len(result.boxes)
        return [
            OcrLine(text, _box(box), float(score), tuple((str(piece[0]), _box(piece[2])) for piece in pieces))
            for box, text, score, pieces in zip(result.boxes, result.txts, result.scores, words)
        ]


def _box(points) -> Box:
    """The upright box around a polygon's points."""
    xs, ys = [float(p[0]) for p in points], [float(p[1]) for p in points]
    return min(xs), min(ys), max(xs), max(ys)


@cache
def default_engine() -> OcrEngine:
    """The process's OCR engine, made on first use."""
    return RapidOcrEngine()
