"""The text entrance: decoded text → repair → structure."""

from __future__ import annotations

import hashlib

from jiaokan.conversion import Conversion
from jiaokan.options import RepairConfig
from jiaokan.repair.stages import repair_text
from jiaokan.structure import structure
from jiaokan.text.decode import DecodedText


def convert_text(decoded: DecodedText, path: str, raw: bytes, config: RepairConfig = RepairConfig()) -> Conversion:
    """Convert a decoded text file."""
    repaired = repair_text(decoded.text, config)
    documents, furniture = structure(repaired.text)
    source = {
        "path": path,
        "sha256": hashlib.sha256(raw).hexdigest(),
        "kind": "text",
        "pages": None,
        "encoding": decoded.encoding,
    }
    return Conversion(documents, repaired, source, furniture, [])
