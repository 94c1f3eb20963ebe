"""The published JSON Schema matches the validation model, and accepts the bundled files."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from exsim import paths
from exsim.scenario.schema import schema_text


def test_published_schema_is_in_sync():
    assert paths.SCHEMA_FILE.read_text() == schema_text(), (
        "src/exsim/schema/scenario.schema.json is stale: "
        "run `exsim schema > src/exsim/schema/scenario.schema.json`"
    )


def test_schema_accepts_scenarios(mini):
    schema = json.loads(schema_text())
    for path in [mini.file.path, *paths.scenario_files()]:
        data = json.loads(json.dumps(yaml.safe_load(Path(path).read_text()), default=str))
        jsonschema.validate(data, schema)


def test_every_key_of_the_schema_has_a_description():
    """Editors show a key's description as hover help: every key needs one."""
    schema = json.loads(schema_text())
    models = {"Scenario": schema, **schema["$defs"]}
    missing = [
        f"{name}.{key}"
        for name, model in models.items()
        for key, spec in model.get("properties", {}).items()
        if not spec.get("description")
    ]
    assert not missing, f"give these keys a Field(description=…) in model.py: {missing}"
