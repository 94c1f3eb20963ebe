"""The format documentation keeps up with the format model."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel

from exsim.scenario.loader import _model_in
from exsim.scenario.model import Scenario

DOCS = Path(__file__).resolve().parents[1] / "docs"


def models(model: type[BaseModel], seen: dict | None = None) -> dict[str, type[BaseModel]]:
    """Every model reachable from *model*'s fields, by name."""
    seen = {} if seen is None else seen
    seen[model.__name__] = model
    for field in model.model_fields.values():
        inner = _model_in(field.annotation)
        if inner is not None and inner.__name__ not in seen:
            models(inner, seen)
    return seen


def test_every_key_of_the_format_is_documented():
    text = (DOCS / "scenario-format.md").read_text()
    documented = set(re.findall(r"`([a-z_]+)(?::[^`]*)?`", text))  # `key` or `key: value`
    missing = sorted(
        f"{name}.{key}"
        for name, model in models(Scenario).items()
        for key in model.model_fields
        if key not in documented
    )
    assert not missing, f"docs/scenario-format.md does not mention: {', '.join(missing)}"


def test_format_doc_shows_the_schema_line_and_the_commands():
    text = (DOCS / "scenario-format.md").read_text()
    assert "# yaml-language-server: $schema=../schema/scenario.schema.json" in text
    for command in ("exsim validate", "exsim graph", "exsim schema", "exsim run", "--format dot"):
        assert command in text
