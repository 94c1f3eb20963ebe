"""The published JSON Schemas of the debrief and class-report JSON, generated from their models.

Regenerate after changing a model: `python -m exsim.report.schema`.
"""

from __future__ import annotations

import json

from pydantic import BaseModel

from exsim import paths
from exsim.report.classes import ClassReport
from exsim.report.debrief import Debrief

SCHEMAS: dict[str, type[BaseModel]] = {
    "debrief.schema.json": Debrief,
    "class-report.schema.json": ClassReport,
}


def schema_text(name: str) -> str:
    """The text of `src/exsim/schema/NAME`."""
    schema = SCHEMAS[name].model_json_schema(mode="serialization")
    head = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://exsim.invalid/schema/{name}",
    }
    return json.dumps({**head, **schema}, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    for name in SCHEMAS:
        (paths.SCHEMA_DIR / name).write_text(schema_text(name))
        print(f"wrote {paths.SCHEMA_DIR / name}")
