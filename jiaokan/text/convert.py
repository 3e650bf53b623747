"""The text entrance: decoded text → repair → structure."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace

from jiaokan.conversion import Conversion
from jiaokan.models import Finding
from jiaokan.options import ConvertOptions
from jiaokan.repair.stages import repair_text
from jiaokan.structure import structure
from jiaokan.text.decode import DecodedText

# Below this confidence the choice of code page was the detector's guess.
GUESSED = 0.95


def convert_text(
    decoded: DecodedText, path: str, raw: bytes, options: ConvertOptions = ConvertOptions(),
    on_text: Callable[[int], Callable[[int], None] | None] | None = None,
) -> Conversion:
    """Convert a decoded text file (``raw``, its bytes, give its sha256). ``on_text`` is
    called with the text's length; what it returns, with each block's as it is repaired."""
    on_block = on_text(len(decoded.text)) if on_text else None
    repaired = repair_text(decoded.text, options.repair, options.jobs, on_block)
    if decoded.confidence < GUESSED:  # the byte decoding was a guess: say so beside the damage
        guess = Finding.document("encoding-guessed", decoded.confidence, {"encoding": decoded.encoding})
        repaired = replace(repaired, diagnosis=(*repaired.diagnosis, guess))
    documents, furniture = structure(repaired.text)
    source = {
        "path": path,
        "sha256": hashlib.sha256(raw).hexdigest(),
        "kind": "text",
        "pages": None,
        "encoding": decoded.encoding,
    }
    return Conversion(documents, repaired, source, furniture, [])
