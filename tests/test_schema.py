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
