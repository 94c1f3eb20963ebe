"""exsim simulate: policy files, reproducible distributions, --jobs, output files."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from conftest import DATA, MINI
from exsim.cli import main
from exsim.engine import ScenarioError
from exsim.engine.simulate import distribution, read_policy, record_plan, simulate

POLICY = DATA / "policy_pressure.yaml"


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_policy_family_is_every_combination(mini):
    plans = read_policy(POLICY, mini)
    assert [p.label for p in plans] == [
        "Pressure first · pledge=withhold",
        "Pressure first · pledge=give",
    ]
    assert plans[1].choices == {
        "pledge": ("give",),
        "pressure": ("wait", "tighten"),
        "lift": ("lift",),
    }


def test_refused_choice_falls_back_and_is_counted(mini):
    give = read_policy(POLICY, mini)[1]  # the pledge needs inspection: always refused
    dist = simulate(mini, give, 500, seed=1)
    assert dist.fallbacks() == 500
    assert dict(dist.measure("unverified_pledge")) == {False: 500}


def test_same_seed_same_counts_whatever_the_jobs(mini):
    plan = record_plan(mini)
    one = simulate(mini, plan, 9_000, seed=5)
    assert one.counts == simulate(mini, plan, 9_000, seed=5).counts
    assert one.counts == simulate(mini, plan, 9_000, seed=5, jobs=2).counts
    assert one.counts != simulate(mini, plan, 9_000, seed=6).counts
    assert sum(one.counts.values()) == 9_000


def test_distribution_for_the_outcome_screen(mini):
    dist = distribution(mini, {"pressure": ["tighten"]}, runs=2_000, seed=0)
    assert dist.to_dict()["simulated"] is True
    shares = {r["value"]: r["share"] for r in dist.rows() if r["kind"] == "ending"}
    assert set(shares) == {"deal", "standoff"}
    assert shares["deal"] > 0.8  # tightening makes stalling less likely (weight 0.1 vs 1)
    assert dict(dist.measure("pressure")) == {1: 2_000}


def test_cli_table_and_plot_are_labelled_simulated():
    result = run("simulate", MINI, "--policy", POLICY, "--runs", 3000, "--seed", 2)
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("SIMULATED:")
    assert "Policy: Pressure first · pledge=withhold" in out
    assert "Policy: Pressure first · pledge=give" in out
    assert "\n  IL-28s leave\n" in out and "(simulated)" not in out  # SIMULATED said once
    table = [line for line in out.splitlines() if "\x1b" not in line]  # the chart is coloured
    assert max(len(line) for line in table) <= 80
    assert "= the record [Doc B]" in out
    assert "Outcomes, % of simulated games" in out
    assert "3,000 game(s) fell back" in out


def test_cli_json_is_identical_for_the_same_seed_and_any_jobs():
    args = ("simulate", MINI, "--runs", 5000, "--seed", 9, "--json")
    first = run(*args)
    assert first.exit_code == 0
    assert run(*args).output == first.output
    assert run(*args, "--jobs", 2).output == first.output
    data = json.loads(first.output)
    assert data["simulated"] is True
    (policy,) = data["policies"]
    assert policy["policy"] == "the record's choices" and policy["runs"] == 5000
    assert all(row["simulated"] for row in policy["rows"])
    assert sum(r["games"] for r in policy["rows"] if r["kind"] == "ending") == 5000


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_out_file(tmp_path, suffix):
    out = tmp_path / f"result{suffix}"
    result = run("simulate", MINI, "--runs", 1000, "--out", out)
    assert result.exit_code == 0
    assert f"Written: {out}" in result.output
    if suffix == ".json":
        assert json.loads(out.read_text())["policies"][0]["runs"] == 1000
    else:
        rows = list(csv.DictReader(out.open()))
        assert {r["simulated"] for r in rows} == {"True"}
        assert {r["kind"] for r in rows} == {"ending", "measure"}


def test_out_file_needs_a_known_suffix(tmp_path):
    result = run("simulate", MINI, "--runs", 10, "--out", tmp_path / "x.txt")
    assert result.exit_code == 1
    assert "error: --out" in result.output and ".csv or .json" in result.output


@pytest.mark.parametrize(
    "text, where, message",
    [
        (
            "decisions:\n  pledge: maybe\n",
            "2:3",
            "pledge: no option 'maybe' (options: withhold, give)",
        ),
        (
            "decisions:\n  pledj: give\n",
            "2:3",
            "no decision 'pledj' (decisions: pledge, pressure, lift)",
        ),
        ("decisions:\n  pledge: [withhold, give]\n", "2:3", "pledge: takes exactly one option"),
        ("scenario: other\n", "1:1", "the policy is for 'other', not 'mini'"),
        ("decisions:\n  pledge: give\nfamily:\n  pledge: [give]\n", "4:3", "under both"),
        ("mode: dreamy\n", "1:1", "input should be 'what-if' or 'historical'"),
        ("desicions: {}\n", "1:1", "unknown key 'desicions'; did you mean 'decisions'?"),
        ("decisions: [pledge]\n", "1:1", "valid dictionary"),
        ("decisions:\n  pledge: give\n  pledge: give\n", "3:3", "twice"),
    ],
)
def test_policy_file_errors_name_file_line_column(tmp_path, mini, text, where, message):
    path = tmp_path / "policy.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as info:
        read_policy(path, mini)
    assert f"{path}:{where}" in str(info.value)
    assert message in str(info.value)
    result = run("simulate", MINI, "--policy", path, "--runs", 10)
    assert result.exit_code == 1
    assert "problem(s) in the policy file" in result.output
    assert "Traceback" not in result.output


def test_missing_policy_file_is_a_clear_error(tmp_path):
    result = run("simulate", MINI, "--policy", tmp_path / "nope.yaml")
    assert result.exit_code == 1
    assert "cannot read" in result.output


def test_help_documents_the_default_for_unlisted_decisions():
    out = run("simulate", "--help").output
    assert "Decisions the file leaves out take the record's choice" in out


def test_an_unknown_decision_in_a_family_is_reported_once(tmp_path):
    from click.testing import CliRunner

    from exsim.cli import main

    policy = tmp_path / "p.yaml"
    policy.write_text("family:\n  nope: [a, b, c]\n")
    result = CliRunner().invoke(main, ["simulate", "tests/data/mini.yaml", "--policy", str(policy)])
    assert result.exit_code == 1
    assert result.output.count("no decision 'nope'") == 1


def test_the_example_policy_runs_on_the_bundled_scenario():
    example = DATA.parents[1] / "examples" / "pressure-first.yaml"
    args = ["simulate", "november-1962", "--policy", str(example), "--runs", "200"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("SIMULATED")
    assert (
        "answer_offer=hold_terms" in result.output and "answer_offer=accept_months" in result.output
    )
