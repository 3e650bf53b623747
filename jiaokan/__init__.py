"""jiaokan (校勘, "collate and correct"): recover clean, structured text from damaged Chinese
government documents.

>>> from jiaokan import repair_text
>>> repair_text("为深入贯彻落实袁制定本意见遥").text
'为深入贯彻落实，制定本意见。'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jiaokan.models import Finding, Repair, RepairResult, apply_repairs
from jiaokan.options import ConvertOptions, OcrMode, RepairConfig
from jiaokan.repair.stages import repair_text

if TYPE_CHECKING:
    from jiaokan.conversion import Conversion
    from jiaokan.convert import convert_file

__version__ = "0.1.0"

# Loaded on first use: repairing text needs neither structure nor the PDF stack.
_LAZY = {"Conversion": "jiaokan.conversion", "convert_file": "jiaokan.convert"}

__all__ = [
    "Conversion", "ConvertOptions", "Finding", "OcrMode", "Repair", "RepairConfig", "RepairResult", "__version__",
    "apply_repairs", "convert_file", "repair_text",
]


def __getattr__(name: str) -> Any:
    """``Conversion`` and ``convert_file``, imported when first asked for."""
    if name not in _LAZY:
        raise AttributeError(f"module 'jiaokan' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(_LAZY[name]), name)
    globals()[name] = value
    return value
