"""The published JSON Schema of jiaokan's output (schema_version 2.x; the 1.x schema is kept beside it)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

SCHEMA_FILE = "jiaokan-2.schema.json"


@cache
def load_schema() -> dict[str, Any]:
    return json.loads(resources.files("jiaokan.schema").joinpath(SCHEMA_FILE).read_text("utf-8"))
