"""Numbers in a scenario: overlong integers, NaN, infinities and absurd weights are refused."""

from __future__ import annotations

import pytest

from .conftest import refused


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("weight: 0.5", "weight: " + "9" * 5000, "a number of 5,000 characters; numbers may"),
        ("add: -0.4", "add: .nan", "modifiers[0].add: input should be a finite number"),
        ("weight: 0.5", "weight: .inf", "outcomes[1].weight: input should be a finite number"),
        ("add: -0.4", "add: -.inf", "modifiers[0].add: input should be a finite number"),
        ("weight: 0.5", "weight: 1e300", "weight: input should be less than or equal to 1000000"),
        ("add: -0.4", "per_pressure: 1e9", "per_pressure: input should be less than or equal"),
    ],
)
def test_numbers_are_finite_and_bounded(scenario, old, new, message):
    path = scenario((old, new))
    line = (
        path.read_text()
        .splitlines()
        .index(next(x for x in path.read_text().splitlines() if new in x))
    )
    err = refused("validate", path)
    assert f"{path}:{line + 1}:" in err and message in err
