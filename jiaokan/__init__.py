"""jiaokan (校勘, "collate and correct"): recover clean, structured text from damaged Chinese
government documents.

>>> from jiaokan import repair_text
>>> repair_text("为深入贯彻落实袁制定本意见遥").text
'为深入贯彻落实，制定本意见。'
"""

from jiaokan.models import Finding, Repair, RepairResult, apply_repairs
from jiaokan.options import ConvertOptions, OcrMode, RepairConfig
from jiaokan.conversion import Conversion
from jiaokan.convert import convert_file
from jiaokan.repair.stages import repair_text

__version__ = "0.1.0"

__all__ = [
    "Conversion", "ConvertOptions", "Finding", "OcrMode", "Repair", "RepairConfig", "RepairResult", "__version__",
    "apply_repairs", "convert_file", "repair_text",
]
