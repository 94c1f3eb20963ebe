"""Sizes in a scenario file: a file of many plain values is refused with a true message, and
every list or table of the format has a documented bound, refused at its file:line."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from exsim.scenario import model
from exsim.scenario.model import MAX_NAMED, MAX_OPTIONS, MAX_ROLES
from exsim.scenario.yamlsafe import MAX_NODES

from .conftest import refused


def test_a_long_plain_list_is_refused_for_its_values_not_for_aliases(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- a\n" * 300_000)
    assert path.stat().st_size == 1_200_000
    err = refused("validate", path)
    assert f"the file holds more than {MAX_NODES:,} values" in err
    assert "alias" not in err


def test_an_alias_bomb_is_still_named_as_one(tmp_path):
    path = tmp_path / "bomb.yaml"
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(6):
        name, previous = chr(98 + n), chr(97 + n)
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 10)}]")
    path.write_text("\n".join(lines) + "\n")
    assert f"aliases expand to more than {MAX_NODES:,} values" in refused("validate", path)


def test_ten_thousand_options_are_refused_at_the_list_quickly(scenario):
    many = "".join(f"\n          - {{id: o{n}, label: O{n}}}" for n in range(10_002))
    path = scenario(("          - {id: withhold, label: Withhold it}", many.lstrip("\n")))
    line = path.read_text().splitlines().index("        options:") + 1
    began = time.monotonic()
    err = refused("validate", path)
    assert time.monotonic() - began < 10
    assert f"{path}:{line}:" in err
    assert f"options: list should have at most {MAX_OPTIONS} items" in err


@pytest.mark.parametrize(
    "old, new, key",
    [
        ("present: [president, rusk]", "present: [{}]", "present"),
        ("cite: [doc_a#1]", "cite: [{}]", "cite"),
        ("discussion: [", "discussion: [{}, ", "discussion"),
    ],
)
def test_every_list_has_a_bound(scenario, old, new, key):
    path = scenario((old, new.format(", ".join(["rusk"] * (MAX_NAMED + MAX_ROLES)))))
    err = refused("validate", path)
    assert f"{key}: list should have at most" in err


def test_the_limits_are_documented():
    text = (Path(__file__).parents[2] / "docs" / "scenario-format.md").read_text()
    text = text.split("### Limits", 1)[1].split("\n### ", 1)[0]
    for name, value in vars(model).items():
        if name.startswith("MAX_") and isinstance(value, int):
            assert f"{value:,}" in text, name
