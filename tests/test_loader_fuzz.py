"""Mutated scenario files never raise anything but ScenarioError, with positioned problems."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exsim.engine import Campaign, ScenarioError, open_campaign
from exsim.scenario.loader import parse_scenario

MINI = Path(__file__).parent / "data" / "mini.yaml"
TEXT = MINI.read_text()
DATA = yaml.safe_load(TEXT)
PROBLEM = re.compile(r"^.+:\d+:\d+: ")

fuzz = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def walk(node, path=()):
    """Every key path in *node*, parents before children."""
    yield path
    if isinstance(node, dict | list):
        for key, value in node.items() if isinstance(node, dict) else enumerate(node):
            yield from walk(value, path + (key,))


def get(node, path):
    for key in path:
        node = node[key]
    return node


PATHS = [p for p in walk(DATA) if p]
IDS = sorted(
    {v for p in PATHS if isinstance(v := get(DATA, p), str) and re.fullmatch(r"[a-z_]+", v)}
)


def copy(node):
    return yaml.safe_load(yaml.safe_dump(node, sort_keys=False))


def must_fail_cleanly(path: Path) -> None:
    """Open *path*: it loads, or raises ScenarioError whose problems are file:line:col lines."""
    try:
        campaign = open_campaign(path)
    except ScenarioError as exc:
        assert exc.problems, "a ScenarioError without problems"
        for problem in exc.problems:
            assert PROBLEM.match(str(problem)), str(problem)
        return
    assert isinstance(campaign, Campaign)


@pytest.fixture(scope="module")
def target(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "mutant.yaml"


def write(target: Path, data) -> Path:
    target.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return target


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from(IDS),
    st.dates(),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


@fuzz
@given(st.sampled_from(PATHS))
def test_deleting_a_key_or_item(target, path):
    data = copy(DATA)
    del get(data, path[:-1])[path[-1]]
    must_fail_cleanly(write(target, data))


@fuzz
@given(st.sampled_from(PATHS), values)
def test_changing_a_value_or_its_type(target, path, value):
    data = copy(DATA)
    get(data, path[:-1])[path[-1]] = value
    must_fail_cleanly(write(target, data))


@fuzz
@given(st.sampled_from(IDS), st.sampled_from(IDS), st.booleans())
def test_swapping_ids(target, old, new, everywhere):
    pattern = re.compile(rf"\b{old}\b")
    text = pattern.sub(new, TEXT) if everywhere else pattern.sub(new, TEXT, count=1)
    target.write_text(text)
    must_fail_cleanly(target)


@fuzz
@given(st.data())
def test_random_yaml_scalar_in_a_line(target, data):
    lines = TEXT.splitlines()
    n = data.draw(st.integers(0, len(lines) - 1))
    head = lines[n].split(":", 1)[0] if ":" in lines[n] else lines[n]
    tail = data.draw(
        st.sampled_from(
            ["", "~", "[]", "{}", "-1", "1e9", "yes", "'", '"', "&a", "*a", "!!str", "|"]
        )
        | st.text(max_size=20)
    )
    lines[n] = f"{head}: {tail}"
    target.write_text("\n".join(lines))
    must_fail_cleanly(target)


@fuzz
@given(st.integers(0, len(TEXT)))
def test_truncated_text(target, end):
    target.write_text(TEXT[:end])
    must_fail_cleanly(target)


@fuzz
@given(st.binary(max_size=300))
def test_random_bytes(target, raw):
    target.write_bytes(raw)
    must_fail_cleanly(target)


@fuzz
@given(st.text(max_size=200))
def test_random_text_through_the_parser(text):
    """Any str, surrogates included, through parse_scenario (no file involved)."""
    try:
        parse_scenario(text, "text.yaml")
    except ScenarioError as exc:
        assert all(PROBLEM.match(str(p)) for p in exc.problems)


def test_the_unmutated_file_loads(target):
    must_fail_cleanly(write(target, copy(DATA)))
    assert open_campaign(target).id == "mini"
