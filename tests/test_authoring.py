"""What an instructor writing a new meeting meets: each planted mistake gets a message that
says where (file:line:col, key path) and how to fix it; record gaps, phase conditions,
exclusive options and the game's own guards work on every path."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from exsim.cli import main
from exsim.engine import Campaign, Game, GameError, ScenarioError, open_campaign
from exsim.engine.compare import compare, play_record
from exsim.engine.explore import explore, path_warnings
from exsim.engine.game import option_sets
from exsim.scenario.loader import read_scenario


def problems(path) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        open_campaign(path)
    return [str(p) for p in info.value.problems]


def exsim(*args) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


# -- YAML and shape messages -------------------------------------------------------------------


def test_a_tab_in_the_indentation(variant):
    path, line = variant("    name: Dean Rusk", "\tname: Dean Rusk")
    assert problems(path) == [
        f"{path}:{line}:1: YAML: tabs are not allowed in YAML indentation; use spaces "
        "(set your editor to insert spaces for Tab)"
    ]


def test_a_tab_that_starts_a_line(variant):
    path, line = variant("roles:\n  - id: president", "roles:\n\t- id: president")
    assert problems(path) == [
        f"{path}:{line + 1}:1: YAML: tabs are not allowed in YAML indentation; use spaces "
        "(set your editor to insert spaces for Tab)"
    ]


@pytest.mark.parametrize("written", ["21 November 1962", "November 21, 1962", "'21/11/1962'"])
def test_a_date_in_words(variant, written):
    path, line = variant("    date: 1962-11-21", f"    date: {written}")
    (msg,) = problems(path)
    assert msg.startswith(f"{path}:{line}:5: phases[1].date: a date is written YYYY-MM-DD, ")
    assert "e.g. 1962-11-16 (quoted or not)" in msg


def test_a_string_where_a_list_belongs(variant):
    path, line = variant("present: [president, rusk]", "present: president, rusk")
    assert problems(path) == [
        f"{path}:{line}:5: phases[0].present: a list belongs here: write [president, rusk], "
        "or one item per line starting with '- '"
    ]


def test_an_unquoted_comma_in_a_flow_mapping(variant):
    path, line = variant(
        "{id: withhold, label: Withhold it}", "{id: withhold, label: Hold, for now}"
    )
    (msg,) = problems(path)
    assert msg.startswith(f"{path}:{line}:")
    assert msg.endswith(
        "phases[0].decisions[0].options[0].for now: 'for now' is read as a key: in a {…} mapping "
        'a comma ends a value, so text that contains a comma must be quoted: label: "Hold, for now"'
    )
    assert "unknown key" not in msg


# -- dates ---------------------------------------------------------------------------------------


def test_phases_out_of_date_order(variant):
    path, line = variant("    date: 1962-11-21", "    date: 1962-11-12")
    msgs = problems(path)
    assert (
        f"{path}:{line}:5: phases[1].date: phase 'after' is dated 1962-11-12, before 'meeting' "
        "(1962-11-13) which comes first: phases are played in the order written, so move this "
        "phase up or correct its date (YYYY-MM-DD)"
    ) in msgs


ANSWER_DATE = "    date: 1962-11-20\n    actor: khrushchev"


def test_a_response_dated_before_its_phase(variant):
    path, line = variant(ANSWER_DATE, ANSWER_DATE.replace("11-20", "11-10"))
    msg, cable = problems(path)
    assert "'doc_b' is dated 1962-11-20, but this text is shown during play at 'answer'" in cable
    assert msg == (
        f"{path}:{line}:5: responses[0].date: response 'answer' is dated 1962-11-10, before "
        "phase 'meeting' (1962-11-13) that it follows: correct its date, or set `after` to an "
        "earlier phase"
    )


def test_a_response_firing_before_a_phase_it_postdates(variant):
    path, line = variant(ANSWER_DATE, ANSWER_DATE.replace("11-20", "11-25"))
    (msg,) = problems(path)
    assert msg == (
        f"{path}:{line}:5: responses[0].date: response 'answer' is dated 1962-11-25, but it "
        "happens after 'meeting' and before 'after' (1962-11-21): the log would run backwards; "
        "set `after: after` or correct its date"
    )


# -- records and gaps ---------------------------------------------------------------------------

LIFT_RECORD = """        record:
          chosen: [lift]
          summary: Lifted.
          cite: [doc_b]
"""


def test_a_decision_without_a_record(variant):
    path, _ = variant(LIFT_RECORD, "")
    (msg,) = problems(path)
    assert "phases[1].decisions[0]: decision 'lift' has no record: add `record:` with" in msg
    assert "write `record: {gap: why the sources are silent, cite: [...]}`" in msg


def test_a_record_with_neither_choice_nor_gap(variant):
    path, _ = variant(LIFT_RECORD, "        record: {cite: [doc_b]}\n")
    (msg,) = problems(path)
    assert msg.endswith(
        "phases[1].decisions[0].record: a record without `chosen` is a gap: say in `gap:` why "
        "the sources do not tell what was decided, or name the options `chosen`"
    )


@pytest.fixture
def gap_file(variant):
    path, _ = variant(
        LIFT_RECORD,
        "        record: {gap: The letters do not say when it was lifted., cite: [doc_b]}\n",
    )
    return path


def test_a_gap_on_the_record_path(gap_file):
    campaign = open_campaign(gap_file)
    record = play_record(campaign)
    assert not record.finished and record.current.id == "lift"
    code, out, _ = exsim("run", gap_file, "--record")
    assert code == 0
    assert (
        "The record stops at 'lift' (1962-11-21): the record does not say what was decided: " in out
    )
    assert "The letters do not say when it was lifted. [Doc B]" in out
    code, out, _ = exsim("run", gap_file, "--record", "--json")
    data = json.loads(out)
    assert data["finished"] is False and data["comparison"]["record_stops"] == "lift"


def test_a_gap_in_a_players_game_and_in_explore_and_simulate(gap_file, tmp_path):
    campaign = open_campaign(gap_file)
    game = Game(campaign, mode="historical")
    game.decide("pledge", "withhold")
    game.decide("pressure", "wait")
    game.decide("lift", "keep")
    rows = {r.decision: r for r in compare(game).decisions}
    assert rows["lift"].record is None
    assert rows["lift"].gap == "The letters do not say when it was lifted."
    script = tmp_path / "play.yaml"
    script.write_text(
        "decisions:\n  - {decision: pledge, choose: withhold}\n"
        "  - {decision: pressure, choose: wait}\n  - {decision: lift, choose: keep}\n"
    )
    code, out, _ = exsim("run", gap_file, "--script", script)
    assert code == 0
    assert "the record does not say: The letters do not say when it was lifted." in out
    assert "the record path stops at 'lift'" in out
    code, out, _ = exsim("explore", gap_file)
    assert code == 0 and "note: the record path stops at 'lift'" in out
    code, out, _ = exsim("simulate", gap_file, "--runs", 50)
    assert code == 0, out
    assert "the record's choices (the record does not say at lift: first option taken)" in out


# -- multi-select, phase conditions, guards, endings ---------------------------------------------

PRESSURE = """        select: many
        options:
          - {id: wait, label: Wait for the talks}
          - {id: tighten, label: Tighten the quarantine, triggers: [tighten]}"""


def test_exclusive_options(variant):
    path, _ = variant(
        PRESSURE,
        PRESSURE.replace("select: many", "select: many\n        exclusive: [[wait, tighten]]"),
    )
    campaign = open_campaign(path)
    assert option_sets(campaign.decisions["pressure"]) == [("wait",), ("tighten",)]
    game = Game(campaign)
    game.decide("pledge", "withhold")
    clash = r"'Wait for the talks' \(wait\) and 'Tighten the quarantine' \(tighten\) exclude"
    with pytest.raises(GameError, match=clash):
        game.decide("pressure", ["wait", "tighten"])


def test_exclusive_mistakes(variant):
    path, _ = variant(
        PRESSURE,
        PRESSURE.replace("select: many", "select: many\n        exclusive: [[wait, tigthen]]"),
    )
    assert any("exclusive[0][1]: unknown option 'tigthen'" in m for m in problems(path))
    path, _ = variant(
        "        title: The pledge\n",
        "        title: The pledge\n        exclusive: [[withhold, give]]\n",
    )
    assert any(
        "`exclusive` groups options of a `select: many` decision" in m for m in problems(path)
    )


def test_a_phase_with_a_condition_is_passed_over(variant):
    path, _ = variant(
        "    kind: outcome\n", "    kind: outcome\n    when: {quarantine: tightened}\n"
    )
    campaign = open_campaign(path)
    game = Game(campaign)
    game.decide("pledge", "withhold")
    game.decide("pressure", "wait")
    assert game.finished and game.log[-1].kind == "skipped" and game.log[-1].step == "lift"


def test_a_phase_condition_its_own_decision_changes(variant):
    path, _ = variant(
        "    chair: president\n    present: [president, rusk]",
        "    chair: president\n    when: {pledge: none}\n    present: [president, rusk]",
    )
    (msg,) = problems(path)
    assert "phases[0].when: decision 'pledge' moves pledge, which this phase's `when` reads" in msg
    assert "put the condition on the decisions that need it" in msg


GUARD = """    - id: bombers_out
      when: {il28: removed}
      reason: The quarantine stays until the IL-28s are removed.
      cite: [doc_a#1]"""


def test_a_guard_that_is_the_games_own_rule(variant):
    path, _ = variant(
        GUARD,
        GUARD.replace("cite: [doc_a#1]", "simulated: true\n      rationale: The game's rule."),
    )
    assert open_campaign(path).scenario.machine.guards[0].simulated
    path, _line = variant(GUARD, GUARD.replace("      cite: [doc_a#1]", ""))
    (msg,) = problems(path)
    assert msg.endswith(
        "machine.guards[0]: a guard states the record's policy with a `cite`; for a rule that is "
        "the game's own, write `simulated: true` and a `rationale` instead"
    )
    path, _line = variant(GUARD, GUARD.replace("cite: [doc_a#1]", "simulated: true"))
    (msg,) = problems(path)
    assert msg.endswith("a simulated guard needs a `rationale`: why the game has it")


def test_a_guard_that_can_never_pass(variant):
    path, _line = variant("when: {il28: removed}", "when: {quarantine: lifted}")
    (msg,) = problems(path)
    assert msg == (
        f"{path}:78:123: machine.triggers[1].guards[0]: guard 'bombers_out' can never pass here: "
        "it wants quarantine lifted, but 'lift' starts only from in_force, tightened (a guard "
        "reads the state before the move); fix the guard's `when` or the trigger's `source`"
    )


def test_a_guard_that_never_lets_a_move_through_is_a_warning(mini):
    (warning,) = path_warnings(mini)
    assert str(warning).endswith(
        "machine.guards[1].when: warning: guard 'inspection_first' never lets a move through: in "
        "every game, whenever 'Give the pledge' is tried its `when` does not hold, so those "
        "options are always refused. If that is not meant, fix its `when` (it reads the state "
        "before the move) or the moves before it"
    )


def test_an_ending_no_game_reaches(variant):
    path, _ = variant(
        "endings:\n",
        "endings:\n  - {id: never, title: Never, when: {inspection: agreed}, text: No.,"
        " simulated: true}\n",
    )
    (msg,) = problems(path)
    assert msg.endswith(
        "endings[0]: no game ends with 'never': no game finishes in a state where its `when` "
        "holds and no ending above it does (`exsim explore` lists the states games reach): fix "
        "its `when`, move it up, or remove it"
    )


def test_an_ending_shadowed_by_one_above(variant):
    broad = "  - {id: broad, title: Broad, when: {quarantine: [in_force, tightened, lifted]}, "
    ending = f"{broad}text: All., simulated: true, asserts: {{}}}}\n"
    path, _ = variant("endings:\n", f"endings:\n{ending}")
    msgs = problems(path)
    assert any(
        "endings[1]: no game ends with 'deal': 'broad' above it takes every game it would match: "
        "put it before 'broad', or narrow 'broad''s `when`" in m
        for m in msgs
    ), msgs


def test_the_walk_report_agrees_with_validate(gap_file):
    campaign = Campaign(read_scenario(gap_file))
    report = explore(campaign)
    assert not report.truncated and report.problems == []


def test_the_responses_after_a_phase_passed_over_do_not_happen(variant):
    path, _ = variant('    time: "11:00"\n', '    time: "11:00"\n    when: {inspection: agreed}\n')
    game = Game(Campaign(read_scenario(path)))  # the walk would object to the unreachable endings
    assert game.finished
    assert [(e.kind, e.step) for e in game.log] == [
        ("skipped", "pledge"),
        ("skipped", "pressure"),  # and no answer from Khrushchev: no entry
        ("skipped", "lift"),
    ]


# -- impossible dates, YAML's readings, and the mistakes validate used to miss ----------------


@pytest.mark.parametrize("written", ["1962-11-31", "'1962-11-31'"])
def test_a_date_that_does_not_exist(variant, written):
    path, line = variant("    date: 1962-11-21", f"    date: {written}")
    assert problems(path) == [
        f"{path}:{line}:5: phases[1].date: there is no 31 November 1962: November has 30 days"
    ]


def test_a_month_that_does_not_exist_in_every_command(variant, tmp_path):
    path, line = variant("    date: 1962-11-21", "    date: 1962-13-01")
    message = (
        f"{path}:{line}:5: phases[1].date: 1962-13-01 names month 13: a date is written "
        "YYYY-MM-DD (year, month 01-12, day), e.g. 1962-11-16"
    )
    assert problems(path) == [message]
    for command in (["validate"], ["explore"], ["describe"], ["run", "--record"]):
        code, out, err = exsim(command[0], path, *command[1:])
        assert code == 1 and message in out + err, (command, out, err)


@pytest.mark.parametrize(
    ("written", "reading"),
    [("No", "false (a yes/no value)"), ("yes", "true (a yes/no value)"), ("1", "a number")],
)
def test_a_label_yaml_reads_as_something_else(variant, written, reading):
    path, line = variant(
        "{id: withhold, label: Withhold it}", f"{{id: withhold, label: {written}}}"
    )
    assert problems(path) == [
        f"{path}:{line}:28: phases[0].decisions[0].options[0].label: YAML read {written} as "
        f'{reading}, but text belongs here: put it in quotes, "{written}"'
    ]


def test_a_version_yaml_reads_as_a_number(variant):
    path, line = variant('version: "1"', "version: 0.10")
    assert problems(path) == [
        f"{path}:{line}:1: version: YAML read 0.10 as a number, but text belongs here: put it "
        'in quotes, "0.10"'
    ]


def test_a_colon_inside_unquoted_text(variant):
    path, line = variant(
        "      - text: The bombers are still in Cuba.", "      - text: The bombers: still there."
    )
    assert problems(path) == [
        f"{path}:{line}:26: YAML: a ': ' (colon and space) inside unquoted text starts a new "
        'key; put the text in quotes: text: "The bombers: still there." (or write it after >- '
        "on the next lines, indented)"
    ]


def test_a_missing_colon_is_reported_at_its_own_line(variant):
    path, line = variant("    name: Dean Rusk", "    name Dean Rusk")
    assert problems(path) == [
        f"{path}:{line}:5: YAML: a key needs a ':' after it: write name: Dean Rusk (without it "
        "YAML joins this line to the next one)"
    ]


def test_a_misspelt_required_key_is_reported_once(variant):
    path, line = variant("    office: Secretary of State", "    ofice: Secretary of State")
    assert problems(path) == [
        f"{path}:{line}:5: roles[1].ofice: unknown key 'ofice'; did you mean 'office'? (a key "
        "required here, and missing)"
    ]


def test_an_empty_list(variant):
    path, line = variant(
        "        options:\n          - {id: withhold, label: Withhold it}\n"
        "          - {id: give, label: Give it, triggers: [give_pledge]}",
        "        options: []",
    )
    (msg, *_) = problems(path)
    assert msg == (
        f"{path}:{line}:9: phases[0].decisions[0].options: this list is empty: give at least "
        "one item"
    )


def test_a_guard_no_trigger_uses(variant):
    path, _ = variant("guards: [bombers_out]}", "}")
    (msg,) = problems(path)
    assert msg.endswith(
        "machine.guards[0].id: guard 'bombers_out' is used by no trigger, so it never refuses "
        "anything: name it in the `guards` of the triggers it governs (guards: [bombers_out]), "
        "or remove it"
    )


def test_an_outcome_whose_moves_can_never_all_be_made(variant):
    path, line = variant(
        "triggers: [agree_removal, remove]", "triggers: [agree_removal, agree_removal]"
    )
    assert problems(path) == [
        f"{path}:{line}:35: responses[0].outcomes[0].triggers[1]: this outcome can never "
        "happen: 'agree_removal' moves il28 to removal_agreed, and 'agree_removal' cannot then "
        "again start from there (it starts from in_cuba); remove one of the two, or change the "
        "triggers"
    ]


def test_hindsight_in_a_meeting_phase(variant):
    path, line = variant(
        "        cite: [doc_a#1]\n    decisions",
        "        cite: [doc_a#1]\n        hindsight: true\n    decisions",
    )
    assert problems(path) == [
        f"{path}:{line + 1}:9: phases[0].situation[0].hindsight: hindsight is allowed only in "
        "an outcome phase, and this is a meeting phase: move the passage to the phase with "
        "`kind: outcome`, or remove `hindsight: true` and cite only what was known by this "
        "phase's date"
    ]


def test_the_schema_asks_for_a_decisions_record():
    schema = json.loads(exsim("schema")[1])
    assert "record" in schema["$defs"]["Decision"]["required"]


def test_a_response_given_as_a_scripted_decision(variant, tmp_path):
    path, _ = variant("", "")
    script = tmp_path / "play.yaml"
    script.write_text(
        "decisions:\n  - {decision: pledge, choose: withhold}\n"
        "  - {decision: answer, choose: agrees}\n"
    )
    code, _, err = exsim("run", path, "--script", script)
    assert code == 1
    assert err.strip() == (
        "error: script decision 2: 'answer' is a counterpart's response, not a decision: force "
        "its outcome under `responses: {answer: agrees|stalls}`"
    )


def test_a_forced_answer_that_cannot_happen_names_the_response(variant, tmp_path):
    path, _ = variant(
        "        triggers: [agree_removal, remove]",
        "        triggers: [agree_removal, remove]\n        when: {quarantine: tightened}",
    )
    script = tmp_path / "play.yaml"
    script.write_text(
        "decisions:\n  - {decision: pledge, choose: withhold}\n"
        "  - {decision: pressure, choose: wait}\nresponses: {answer: agrees}\n"
    )
    code, _, err = exsim("run", path, "--script", script)
    assert code == 1
    assert err.strip() == (
        "error: responses: response 'answer': the forced outcome 'agrees' cannot happen in this "
        "game's state (possible here: stalls), after decision 'pressure' (script decision 2); "
        "force another outcome, or leave it out"
    )


def test_a_decision_whose_condition_never_holds(variant):
    path, line = variant(
        "        when: {il28: removed}", "        when: {il28: removed, pledge: given}"
    )
    code, _, err = exsim("validate", path)
    assert code == 1
    assert (
        f"{path}:{line}:9: phases[1].decisions[0].when: decision 'lift' never comes up: no game "
        "is in a state where il28: removed, pledge: given holds when its turn comes (`exsim "
        "explore` lists the states games reach); fix the `when`, or remove the decision"
    ) in err


def test_the_records_ending_after_a_simulated_answer(variant):
    """'stalls' is simulated; if it also lets the bombers go, the record's ending follows it."""
    path, _ = variant(
        "        text: He stalls.",
        "        text: He stalls.\n        triggers: [agree_removal, remove]",
    )
    code, _, err = exsim("validate", path)
    assert code == 1
    assert (
        f"{path}:{path.read_text().splitlines().index('  - id: deal') + 1}:5: endings[0]: "
        "ending 'deal' is told as the record's (it has a "
        "`cite`), but a game reaches it after a simulated answer: pledge=withhold, pressure=wait, "
        "answer=stalls, lift=lift; give it a `when` that every simulated answer rules out (the "
        "`course` convention: each simulated outcome also moves a dimension such as `course` "
        "to `simulated`, and the record's endings want `course: record`), or mark it "
        "`simulated: true`"
    ) in err, err


# -- phases with no decision ---------------------------------------------------------------------


def test_a_phase_with_no_decision_reaches_every_debrief_format(quiet_phases, tmp_path):
    from exsim.report.debrief import build
    from exsim.report.render import document

    game = play_record(open_campaign(quiet_phases))
    assert game.finished
    assert [p.id for p in game.phases_passed()] == ["press", "later"]
    d = build(game, None)
    assert [(e.phase, e.text) for e in d.events] == [
        (
            "The President's press conference",
            "The President tells the press that the quarantine stays for now.",
        )
    ]
    assert [(a.text, a.hindsight) for a in d.aftermath] == [
        ("The documents at hand end here.", True)
    ]
    md = document(d, "md")
    assert (
        "## Events without a decision\n\n**The President's press conference**, 20 November 1962"
        "\n\n- The President tells the press that the quarantine stays for now. [[Doc B]"
    ) in md
    assert "The documents at hand end here." in md
    assert "The President tells the press that the quarantine stays for now." in document(d, "html")
    data = json.loads(document(d, "json"))
    assert data["events"][0]["text"].startswith("The President tells the press")


# -- previewing a phase's texts in every state ----------------------------------------------------

TWO_VARIANTS = """    kind: outcome
    date: 1962-11-21
    situation:
      - text: The quarantine holds.
        when: {quarantine: in_force}
        asserts: {quarantine: in_force}
        cite: [doc_b]
      - text: The quarantine was tightened.
        when: {quarantine: tightened}
        asserts: {quarantine: tightened}
        cite: [doc_b]
"""


def test_describe_states_shows_every_variant_of_a_phases_texts(variant):
    path, _ = variant("    kind: outcome\n    date: 1962-11-21\n", TWO_VARIANTS)
    code, out, _ = exsim("describe", path, "--phase", "after", "--states")
    assert code == 0
    assert out == (
        "Afterwards (after, 1962-11-21): its texts in every state a game shows them\n"
        "States are told by the dimensions its texts read: quarantine, il28.\n"
        "\n"
        "Situation\n"
        "  in 1 state (quarantine in_force):\n"
        "    - The quarantine holds.\n"
        "  in 1 state (quarantine tightened):\n"
        "    - The quarantine was tightened.\n"
        "\n"
        "Decision lift: Lift it?\n"
        "  in 1 state (il28 removed):\n"
        "    - (nothing)\n"
    )


def test_describe_states_of_an_unknown_phase(mini):
    code, _, err = exsim("describe", mini.file.path, "--phase", "nope", "--states")
    assert code == 1
    assert err == "error: no phase 'nope' in this scenario (phases: meeting, after)\n"


# -- the group's rules, next moves and hindsight sources ----------------------------------------

PLEDGE_GUARD = "      when: {inspection: agreed}\n      reason: No pledge"


def test_a_guard_with_both_when_and_unless(variant):
    path, line = variant(
        PLEDGE_GUARD, PLEDGE_GUARD.replace("agreed}\n", "agreed}\n      unless: {pledge: none}\n")
    )
    (msg,) = problems(path)
    assert msg == (
        f"{path}:{line - 1}:7: machine.guards[1]: a guard gives `when` (the move is allowed only "
        "while it holds) or `unless` (the move is refused while it holds): one of them"
    )


def test_an_unless_guard_refuses_while_its_condition_holds(variant):
    path, _ = variant(
        PLEDGE_GUARD,
        PLEDGE_GUARD.replace("when: {inspection: agreed}", "unless: {inspection: none}"),
    )
    game = Game(open_campaign(path))
    refusal = {o.id: o for o in game.options()}["give"].refusal
    assert refusal.guard == "inspection_first" and refusal.cite == ("doc_a#2",)


def test_a_next_move_naming_no_trigger(variant):
    anchor = "  invariants:\n"
    rule = (
        "  next_moves:\n    - {id: lift_on_removal, when: {il28: removed}, move: lift_it, "
        "reason: Removal ends it., cite: [doc_a#1]}\n"
    )
    path, line = variant(anchor, rule + anchor)
    (msg,) = problems(path)
    assert msg.startswith(
        f"{path}:{line + 1}:52: machine.next_moves[0].move: unknown trigger 'lift_it' (known: "
    )


def test_a_source_known_only_in_hindsight_is_not_cited_during_play(variant):
    path, _ = variant("    date: 1962-11-13\n", "    date: 1962-11-13\n    hindsight: true\n")
    found = problems(path)
    assert found and all("known only in hindsight" in m for m in found)
    assert f"{path}:" in found[0] and "but this text is shown during play at 'meeting'" in found[0]
