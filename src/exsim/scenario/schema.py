"""The published JSON Schema of the scenario format, generated from the validation model."""

from __future__ import annotations

import json

from exsim.scenario.model import Scenario

SCHEMA_ID = "https://exsim.invalid/schema/scenario.schema.json"


def schema_text() -> str:
    """The schema as the text of `src/exsim/schema/scenario.schema.json`."""
    schema = Scenario.model_json_schema()
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
