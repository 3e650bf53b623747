"""The text entrance: decoded text → repair → structure."""

from __future__ import annotations

import hashlib

from jiaokan.conversion import Conversion
from jiaokan.options import ConvertOptions
from jiaokan.repair.stages import repair_text
from jiaokan.structure import structure
from jiaokan.text.decode import DecodedText


def convert_text(decoded: DecodedText, path: str, raw: bytes, options: ConvertOptions = ConvertOptions()) -> Conversion:
    """Convert a decoded text file (``raw``, its bytes, give its sha256)."""
    repaired = repair_text(decoded.text, options.repair)
    documents, furniture = structure(repaired.text)
    source = {
        "path": path,
        "sha256": hashlib.sha256(raw).hexdigest(),
        "kind": "text",
        "pages": None,
        "encoding": decoded.encoding,
    }
    return Conversion(documents, repaired, source, furniture, [])
