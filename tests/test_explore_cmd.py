"""exsim explore: the report of every path, and exit 1 on a violation."""

from __future__ import annotations

import json

from click.testing import CliRunner

from conftest import MINI
from exsim import paths
from exsim.cli import main


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_report_on_the_test_scenario():
    result = run("explore", MINI)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "game states: 13   complete paths: 9" in out
    assert "Unreachable options: pledge.give" in out
    assert "no_pledge_without_inspection       holds on every path" in out
    assert "never reached: pledge given" in out
    assert "paths ending without a cited outcome: 6" in out
    assert "note: measure quarantine_lifted: playing the record gives 21 Nov 1962" in out
    assert "Violations: none" in out


def test_json_report():
    data = json.loads(run("explore", MINI, "--json").output)
    assert data["paths"] == 9
    assert {e["id"]: e["paths"] for e in data["endings"]} == {"standoff": 6, "deal": 3}
    assert data["unreachable_states"]["il28"] == ["removal_agreed"]
    assert data["violations"] == []


def test_broken_invariant_exits_1(variant):
    path, _ = variant("when: {inspection: agreed}", "when: {}")  # a guard that lets all through
    result = run("explore", path)
    assert result.exit_code == 1
    assert "no_pledge_without_inspection       BROKEN" in result.output
    assert "invariant 'no_pledge_without_inspection' broken after: pledge=give" in result.output
    # the texts written for a game without a pledge are reported too: they presume the record
    presumed = "presumes the record so far (pledge: none), but it is shown where pledge: given"
    assert f"{presumed}, after: pledge=give" in result.output
    assert "error: 5 violation(s)" in result.output


def test_path_with_no_ending_exits_1(variant):
    path, _ = variant(
        "  - id: standoff\n    title: Standoff\n",
        "  - id: standoff\n    when: {pledge: given}\n    title: Standoff\n",
    )
    result = run("explore", path, "--json")
    assert result.exit_code == 1
    assert "matches no ending" in json.loads(result.output.split("\nerror:")[0])["violations"][0]


def test_dead_end_exits_1(variant):
    path, _ = variant(  # lifting is refused while the bombers stay
        "{id: wait, label: Wait for the talks}",
        "{id: wait, label: Wait for the talks, triggers: [lift]}",
    )
    text = path.read_text().replace("triggers: [tighten]}", "triggers: [tighten, lift]}")
    path.write_text(text)
    result = run("explore", path)
    assert result.exit_code == 1
    assert "pressure: no option can be taken after: pledge=withhold" in result.output


def test_too_many_nodes_exits_1():
    result = run("explore", MINI, "--max-nodes", 3)
    assert result.exit_code == 1
    assert "the walk of every game passed 3 game states" in result.output
    assert "every path walked" not in result.output


def test_unknown_scenario_is_a_clear_error():
    result = run("explore", "no-such-scenario")
    assert result.exit_code == 1
    assert "error: no scenario file or name 'no-such-scenario'" in result.output


def test_bundled_scenarios_pass():
    for path in paths.scenario_files():
        result = run("explore", path)
        assert result.exit_code == 0, result.output
