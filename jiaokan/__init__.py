"""jiaokan (校勘, "collate and correct"): recover clean, structured text from damaged Chinese
government documents.

>>> from jiaokan import repair_text
>>> repair_text("为深入贯彻落实袁制定本意见遥").text
'为深入贯彻落实，制定本意见。'
"""

from jiaokan.options import RepairConfig
from jiaokan.models import Edit, Finding, RepairResult, apply_edits
from jiaokan.conversion import Conversion
from jiaokan.convert import convert_file
from jiaokan.repair.stages import repair_text

__version__ = "0.1.0"

__all__ = [
    "Conversion", "Edit", "Finding", "RepairConfig", "RepairResult", "__version__", "apply_edits", "convert_file",
    "repair_text",
]
