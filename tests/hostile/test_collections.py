"""Sizes in a scenario file: a file of many plain values is refused with a true message, and
every list or table of the format has a documented bound, refused at its file:line."""

from __future__ import annotations

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
