"""The headless commands as a user meets them: messages, exit status, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from exsim import paths
from exsim.cli import main
from exsim.scenario.schema import schema_text

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini.yaml"
WHAT_IF = DATA / "mini-what-if.play.yaml"
RECORD = DATA / "mini-record.play.yaml"


def exsim(*args) -> tuple[int, str, str]:
    """Run `exsim ARGS`: (exit status, stdout, stderr); fails on any uncaught exception."""
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def refused(*args) -> list[str]:
    """Run a command that must fail: exit 1, nothing on stdout; the error lines."""
    code, out, err = exsim(*args)
    assert code == 1, (out, err)
    assert out == ""
    assert "error: " in err
    return err.splitlines()


# -- help ------------------------------------------------------------------------------------


def test_main_help_lists_every_command():
    code, out, _ = exsim("--help")
    assert code == 0
    for name in ("validate", "describe", "graph", "run", "schema"):
        assert f"  {name} " in out


@pytest.mark.parametrize("command", sorted(main.commands))
def test_each_command_explains_itself(command):
    code, out, _ = exsim(command, "--help")
    assert code == 0
    assert out.startswith(f"Usage: main {command}") or out.startswith(f"Usage: exsim {command}")
    summary = main.commands[command].get_short_help_str(200)
    assert len(summary) > 20, f"`exsim {command} --help` says too little: {summary!r}"


def test_run_help_shows_a_script():
    _, out, _ = exsim("run", "--help")
    assert "decisions:" in out and "choose:" in out and "--record" in out


# -- validate: each class of bad file --------------------------------------------------------


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("title: Mini crisis", "title: [\n", "(while parsing a flow sequence that began at line 4"),
        (
            "    office: Secretary of State",
            "    ofice: Secretary of State",
            "did you mean 'office'",
        ),
        ("    weight: 0.5", "    weight: lots", "weight: input should be a valid number"),
        ("triggers: [give_pledge]}", "triggers: [give_pledges]}", "unknown trigger 'give_pledges'"),
        (
            "        cite: [doc_a#1]\n\nactors",
            "        cite: [doc_z#1]\n\nactors",
            "unknown source 'doc_z'",
        ),
        ("guards: [bombers_out]", "guards: [bombers_gone]", "unknown guard 'bombers_gone'"),
        ("    chair: president", "    chair: presidnet", "unknown role 'presidnet'"),
        (
            "        - {id: given, label: Given}",
            "        - {id: given, label: Given}\n        - {id: withdrawn, label: Withdrawn}",
            "state 'withdrawn' cannot be reached from 'none'",
        ),
        (
            "title: Mini crisis",
            "title: !!python/object/apply:os.system [echo hi]",
            "YAML: ",
        ),
        ("title: Mini crisis", "title: Mini crisis\ntitle: Again", "key 'title' appears twice"),
        ('      "1": It was agreed', "      1: It was agreed", 'write it in quotes ("1")'),
    ],
    ids=[
        "yaml-syntax",
        "unknown-key",
        "wrong-type",
        "option-unknown-trigger",
        "cite-unknown-source",
        "guard-unknown-condition",
        "unknown-role",
        "unreachable-state",
        "object-construction",
        "repeated-key",
        "numeric-key",
    ],
)
def test_validate_reports_file_line_column(variant, old, new, expected):
    path, line = variant(old, new)
    lines = refused("validate", path)
    problems = [x for x in lines if x.startswith(f"{path}:")]
    assert problems, lines
    assert any(expected in x for x in problems), lines
    if new.startswith(old + "\n"):
        line += 1  # the problem is on the added line
    assert any(x.startswith(f"{path}:{line}:") for x in problems) or "began" in expected
    assert lines[-1] == "error: 1 of 1 file(s) have problems"


def test_validate_reports_a_path_that_reaches_no_ending(variant):
    path, _ = variant(
        "  - id: standoff\n    title: Standoff\n",
        "  - id: standoff\n    title: Standoff\n    when: {pledge: given}\n",
    )
    lines = refused("validate", path)
    assert any(x.startswith(f"{path}:") and "matches no ending" in x for x in lines), lines


def test_validate_reports_several_problems_in_file_order(variant):
    path, _ = variant("    chair: president", "    chair: nobody")
    text = path.read_text().replace("guards: [bombers_out]", "guards: [nothing]")
    path.write_text(text.replace("    actor: khrushchev", "    actor: nobody"))
    lines = refused("validate", path)
    problems = [x for x in lines if x.startswith(f"{path}:")]
    numbers = [int(x.split(":")[1]) for x in problems]
    assert len(problems) == 3 and numbers == sorted(numbers), lines


@pytest.mark.parametrize(
    "text, expected",
    [
        ("x: " + "a" * (3 * 1024 * 1024), "the limit is"),
        (
            "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 9)),
            "aliases expand to more than",
        ),
        ("a: " + "[" * 200 + "]" * 200, "nested more than"),
        ("", "the file is empty"),
        ("- a list\n", "expected a mapping"),
    ],
    ids=["oversized", "alias-bomb", "deep-nesting", "empty", "not-a-mapping"],
)
def test_validate_refuses_hostile_files(tmp_path, text, expected):
    path = tmp_path / "hostile.yaml"
    path.write_text(text)
    lines = refused("validate", path)
    assert any(x.startswith(f"{path}:") and expected in x for x in lines), lines


def test_validate_undecodable_and_missing_files(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: caf\xe9\n".encode("latin-1"))
    assert any("not UTF-8 text" in x for x in refused("validate", path))
    assert any("cannot read" in x for x in refused("validate", tmp_path / "nope.yaml"))


def test_validate_good_and_bad_files_together(variant):
    bad, _ = variant("    chair: president", "    chair: nobody")
    code, out, err = exsim("validate", MINI, bad)
    assert code == 1
    assert out.splitlines()[0] == f"{MINI}: ok (mini 1, 4 steps)"
    assert all("warning: guard 'inspection_first'" in line for line in out.splitlines()[1:])
    assert "unknown role 'nobody'" in err and "error: 1 of 2 file(s) have problems" in err


def test_validate_ok():
    code, out, err = exsim("validate", MINI)
    assert (code, err) == (0, "")
    assert "ok (mini 1" in out


@pytest.mark.parametrize("command", [["run", "--record"], ["describe"], ["graph"]])
def test_commands_that_load_a_scenario_report_its_problems(variant, command):
    path, line = variant("    chair: president", "    chair: presidnet")
    lines = refused(command[0], path, *command[1:])
    assert lines[0] == "error: 1 problem(s):"
    assert lines[1].startswith(f"{path}:{line}:5: phases[0].chair: unknown role 'presidnet'")


def test_unknown_scenario_name():
    (line,) = refused("describe", "no_such_scenario")
    assert line.startswith("error: no scenario file or name 'no_such_scenario' (known: ")


# -- run -------------------------------------------------------------------------------------


def write_script(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "play.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    "script, message",
    [
        (
            "decisions:\n  - {decision: nope, choose: withhold}\n",
            "error: script decision 1: no decision 'nope' in this scenario "
            "(decisions: pledge, pressure, lift)",
        ),
        (
            "decisions:\n  - {decision: pledge, choose: maybe}\n",
            "error: script decision 1: pledge: option 'maybe' is not offered "
            "(options: withhold, give)",
        ),
        (
            "decisions:\n  - {decision: pledge, choose: withhold, by: rusk}\n",
            "error: script decision 1: pledge: 'rusk' may not take this decision; "
            "it is taken by 'president'",
        ),
        (
            "decisions:\n  - {decision: pledge, choose: give}\n",
            "error: script decision 1: pledge: refused: No pledge without inspection agreed "
            "by the Soviets and Castro. [Doc A ¶2]",
        ),
        (
            "decisions:\n  - {decision: pressure, choose: wait}\n",
            "error: script decision 1: 'pressure' is not on the agenda now; "
            "the open decision is 'pledge'",
        ),
        (
            "decisions:\n  - {decision: pledge, choose: withhold}\n"
            "  - {decision: pressure, choose: wait, recommendations: {nobody: wait}}\n",
            "error: script decision 2: pressure: 'nobody' is not asked to recommend "
            "(asked: president, rusk)",
        ),
        (
            "decisions:\n  - {decision: pledge, choose: withhold}\n",
            "error: the script ends with decision 'pressure' still open (options: wait, tighten)",
        ),
        (
            "scenario: other\ndecisions: []\n",
            "error: the script is for scenario 'other', not 'mini'",
        ),
        (
            "decisions: []\nresponses: {answer: refuses}\n",
            "error: answer: no outcome 'refuses' (outcomes: agrees, stalls)",
        ),
    ],
    ids=[
        "no-such-decision",
        "option-not-offered",
        "role-may-not-decide",
        "refused-by-guard",
        "not-on-the-agenda",
        "not-asked-to-recommend",
        "script-ends-early",
        "other-scenario",
        "no-such-outcome",
    ],
)
def test_run_script_that_cannot_be_played(tmp_path, script, message):
    lines = refused("run", MINI, "--script", write_script(tmp_path, script))
    assert lines == [message]


@pytest.mark.parametrize(
    "script, where, message",
    [
        ("decisions:\n  - {decision: pledge, choose: [withhold\n", ":3:1: ", "YAML: "),
        (
            "decisions:\n  - {decision: pledge, chose: withhold}\n",
            ":2:24: decisions[0].chose: ",
            "unknown key 'chose'; did you mean 'choose'?",
        ),
        ("seed: many\n", ":1:1: seed: ", "input should be a valid integer"),
        ("- pledge\n", ":1:1: ", "expected a mapping of keys at the top"),
    ],
    ids=["yaml-syntax", "unknown-key", "wrong-type", "not-a-mapping"],
)
def test_run_bad_script_file_names_its_own_place(tmp_path, script, where, message):
    path = write_script(tmp_path, script)
    lines = refused("run", MINI, "--script", path)
    assert lines[0].startswith("error: ") and "problem(s) in the script:" in lines[0]
    assert any(x.startswith(f"{path}{where}") and message in x for x in lines[1:]), lines


def test_run_missing_script(tmp_path):
    lines = refused("run", MINI, "--script", tmp_path / "nope.yaml")
    assert any("nope.yaml:1:1: cannot read" in x for x in lines)


@pytest.mark.parametrize("extra", [[], ["--script", WHAT_IF, "--record"]], ids=["neither", "both"])
def test_run_needs_script_or_record(extra):
    assert refused("run", MINI, *extra) == ["error: give either --script PLAY.yaml or --record"]


def test_run_record_text():
    code, out, err = exsim("run", MINI, "--record")
    assert (code, err) == (0, "")
    assert "answer: agrees by khrushchev" in out
    assert "pledge                 same        record: withhold [Doc A ¶2]" in out
    assert "Outcome: The deal holds\n" in out
    assert "Divergence from the record: 0" in out


def test_run_script_text_labels_simulated_parts():
    code, out, _ = exsim("run", MINI, "--script", WHAT_IF)
    assert code == 0
    assert "pressure               DIFFERENT" in out
    assert "Outcome: Standoff (simulated)" in out


def test_run_record_script_equals_record():
    _, by_script, _ = exsim("run", MINI, "--script", RECORD, "--json")
    _, by_flag, _ = exsim("run", MINI, "--record", "--json")
    assert json.loads(by_script) == json.loads(by_flag)


def test_run_json_shape():
    _, out, _ = exsim("run", MINI, "--script", WHAT_IF, "--json")
    data = json.loads(out)
    assert data["scenario"] == "mini" and data["seed"] == 7 and data["mode"] == "what-if"
    assert data["ending"] == "standoff" and data["ending_simulated"] is True
    assert [e["step"] for e in data["log"]] == ["pledge", "pressure", "answer", "lift"]
    assert data["log"][2]["forced"] is True
    assert data["comparison"]["record_ending"] == "deal"


# -- determinism -----------------------------------------------------------------------------


def run_in_process(args: list[str], hash_seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    result = subprocess.run(
        [sys.executable, "-m", "exsim", *args], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_same_script_and_seed_give_identical_json_across_processes(tmp_path):
    script = write_script(
        tmp_path,
        "mode: what-if\ndecisions:\n  - {decision: pledge, choose: withhold}\n"
        "  - {decision: pressure, choose: [wait, tighten], recommendations: {rusk: [wait]}}\n"
        "  - {decision: lift, choose: lift}\n",
    )
    outs = set()
    for seed in ("3", "11"):
        args = ["run", str(MINI), "--script", str(script), "--seed", "5", "--json"]
        # different hash seeds: set and dict ordering must not leak into the output
        outs |= {run_in_process(args, hash_seed) for hash_seed in ("0", "1", "12345")}
        assert len(outs) == 1, f"output differs between runs (seed {seed})"
    _, again, _ = exsim(*args)
    assert outs == {again}


def test_different_seeds_can_differ_and_one_script_covers_both(tmp_path):
    script = write_script(
        tmp_path,
        "mode: what-if\ndecisions:\n  - {decision: pledge, choose: withhold}\n"
        "  - {decision: pressure, choose: [wait, tighten]}\n"
        "  - {decision: lift, choose: lift}\n",
    )
    endings = set()
    for seed in range(12):
        _, out, err = exsim("run", MINI, "--script", script, "--seed", seed, "--json")
        endings.add(json.loads(out)["ending"] if out else err)
    assert endings == {"deal", "standoff"}  # lift is passed over when the bombers stay


def test_python_dash_m_shows_errors_without_traceback(variant):
    path, _ = variant("    chair: president", "    chair: nobody")
    result = subprocess.run(
        [sys.executable, "-m", "exsim", "validate", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "phases[0].chair: unknown role 'nobody'" in result.stderr


# -- graph, describe, schema ------------------------------------------------------------------


def test_graph_mermaid():
    code, out, _ = exsim("graph", MINI, "--format", "mermaid")
    assert code == 0
    assert out.count("```mermaid") == 4 and out.count("stateDiagram-v2") == 4
    assert 'state "In force" as in_force' in out  # the labels people read, not the ids
    assert "in_force --> tightened: Tighten the quarantine" in out
    assert "in_force --> lifted: Lift the quarantine [bombers_out]" in out


def test_graph_dot_is_one_graph_with_a_cluster_per_dimension():
    code, out, _ = exsim("graph", MINI, "--format", "dot")
    assert code == 0
    assert out.startswith("digraph mini {") and out.count("digraph") == 1
    assert out.count("subgraph cluster_") == 4
    # states with the same name in two dimensions stay apart
    assert '"pledge-none" [label="None' in out and '"inspection-none" [label="None' in out
    moved = '[label="Lift the quarantine [bombers_out]"]'
    assert f'"quarantine-in_force" -> "quarantine-lifted" {moved}' in out
    assert out.count("{") == out.count("}")


def test_graph_rejects_unknown_format():
    code, _, err = exsim("graph", MINI, "--format", "png")
    assert code == 2 and "'png' is not one of 'mermaid', 'dot'" in err


def test_describe_text_and_json():
    code, out, _ = exsim("describe", MINI)
    assert code == 0
    assert "pledge             The pledge (choose one)" in out
    assert "lift                   quarantine: in_force, tightened → lifted  if bombers_out" in out
    _, raw, _ = exsim("describe", MINI, "--json")
    assert json.loads(raw)["id"] == "mini"


def test_schema_command_prints_the_published_schema():
    code, out, _ = exsim("schema")
    assert code == 0 and out == schema_text() == paths.SCHEMA_FILE.read_text()
