"""Texts that depend on the game: `when` picks a variant, `asserts` is proved by the walk."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from exsim import paths
from exsim.cli import main
from exsim.engine import Game, ScenarioError, open_campaign
from exsim.engine.campaign import shown
from exsim.engine.explore import explore

AFTER = "    kind: outcome\n    date: 1962-11-21\n"
LIFTED = (
    "    situation:\n"
    "      - text: The quarantine was lifted yesterday.\n"
    "        cite: [doc_b]\n"
    "        asserts: {quarantine: lifted}\n"
)


def test_a_text_shown_where_its_assertion_fails_is_refused_at_its_line(variant):
    path, line = variant(AFTER, AFTER + LIFTED)
    with pytest.raises(ScenarioError) as info:
        open_campaign(path)
    message = str(info.value)
    assert f"bad.yaml:{line + 5}:" in message  # the `asserts` key
    assert "phases[1].situation[0].asserts" in message
    assert "this text states quarantine: lifted but is shown where quarantine: in_force" in message
    assert "after: pledge=withhold, pressure=wait, answer=agrees" in message
    assert "give it a `when`" in message


def test_a_variant_per_state_is_proved_and_shown_only_where_it_holds(variant):
    kept = LIFTED.replace("lifted yesterday", "kept on").replace(
        "lifted}", "[in_force, tightened]}"
    )
    kept = kept.replace("    situation:\n", "").replace("asserts:", "when:", 1)
    kept += "        asserts: {quarantine: [in_force, tightened]}\n"
    lifted = LIFTED.replace("asserts:", "when: {quarantine: lifted}\n        asserts:")
    path, _ = variant(AFTER, AFTER + lifted + kept)
    campaign = open_campaign(path)
    assert not explore(campaign).problems
    game = Game(campaign)
    game.decide("pledge", "withhold")
    game.decide("pressure", ["tighten"])
    after = campaign.scenario.phases[1]
    state = game.phase_state(after)
    assert state["quarantine"] == "tightened"
    assert [p.text for p in shown(after.situation, state)] == ["The quarantine was kept on."]


def test_a_briefing_variant_is_chosen_by_the_state_the_phase_opened_in(variant):
    briefing = (
        "    briefings:\n"
        "      - phase: meeting\n"
        "        text: You want inspection first.\n"
        "        cite: [doc_a#1]\n"
    )
    variants = (
        briefing
        + "      - phase: after\n        text: The bombers have gone.\n        cite: [doc_b]\n"
        "        when: {il28: removed}\n        asserts: {il28: removed}\n"
        "      - phase: after\n        text: The bombers are still there.\n        cite: [doc_b]\n"
        "        when: {il28: [in_cuba, removal_agreed]}\n"
        "        asserts: {il28: [in_cuba, removal_agreed]}\n"
    )
    path, _ = variant(briefing, variants)
    campaign = open_campaign(path)
    after = campaign.scenario.phases[1]
    game = Game(campaign, mode="what-if", forced={"answer": "stalls"})
    game.decide("pledge", "withhold")
    game.decide("pressure", ["wait"])
    briefs = campaign.briefings("rusk", after, game.phase_state(after))
    assert [b.text for b in briefs] == ["The bombers are still there."]
    game = Game(campaign)
    game.decide("pledge", "withhold")
    game.decide("pressure", ["wait"])
    briefs = campaign.briefings("rusk", after, game.phase_state(after))
    assert [b.text for b in briefs] == ["The bombers have gone."]


def test_a_question_that_asserts_what_its_condition_does_not_guarantee_is_refused(variant):
    path, line = variant(
        "        when: {il28: removed}\n",
        "        when: {il28: removed}\n        asserts: {quarantine: lifted}\n",
    )
    with pytest.raises(ScenarioError) as info:
        open_campaign(path)
    assert f"bad.yaml:{line + 1}:" in str(info.value)
    assert "phases[1].decisions[0].asserts" in str(info.value)


def test_an_assertion_naming_an_unknown_state_is_a_reference_error(variant):
    path, line = variant(AFTER, AFTER + LIFTED.replace("{quarantine: lifted}", "{quarantine: up}"))
    with pytest.raises(ScenarioError) as info:
        open_campaign(path)
    assert f"bad.yaml:{line + 5}:" in str(info.value)
    assert "unknown state of 'quarantine' 'up'" in str(info.value)


# -- the safe default: a text that says nothing presumes the record so far --------------------

LIFT = "      - id: lift\n        asserts: {}\n"


def test_a_text_without_asserts_presumes_the_record_and_is_refused_where_play_left_it(variant):
    path, line = variant(LIFT, "      - id: lift\n")
    with pytest.raises(ScenarioError) as info:
        open_campaign(path)
    message = str(info.value)
    assert f"bad.yaml:{line}:9: phases[1].decisions[0]: this text states no `asserts`" in message
    assert (
        "presumes the record so far (quarantine: in_force), but it is shown where quarantine: "
        "tightened, after: pledge=withhold, pressure=tighten, answer=agrees" in message
    )
    assert "Write a variant for that state" in message and "`asserts: {}`" in message


def test_asserts_nothing_is_the_deliberate_claim_that_a_text_holds_whatever_was_decided(mini):
    lift = next(c for c in mini.claims if c.key == ("phases", 1, "decisions", 0, "asserts"))
    assert lift.asserts == {} and not lift.default
    report = explore(mini)
    assert not report.problems and report.texts == len(mini.claims) == 21  # 2 guard reasons


def test_a_text_shown_after_the_record_stops_must_say_what_it_presumes(variant):
    path, _ = variant(
        "          chosen: [wait]\n          summary: No firm policy; await the talks.\n",
        "          gap: The notes were not attached.\n",
    )
    stated = "    asserts: {il28: removed, quarantine: lifted}\n"
    path.write_text(path.read_text().replace(stated, ""))
    with pytest.raises(ScenarioError) as info:
        open_campaign(path)
    message = str(info.value)
    assert "endings[0]: this text is shown after the record path has stopped" in message
    assert "Say what it presumes with `asserts`" in message


TALK = (
    "      - id: talk\n"
    "        title: Talk it over\n"
    "        question: Talk it over first?\n"
    "        asserts: {}\n"
    "        options:\n"
    "          - {id: talk_more, label: Talk it over, asserts: {}}\n"
    "          - {id: move_on, label: Move on, asserts: {}}\n"
    "        record:\n"
    "          chosen: [talk_more]\n"
    "          summary: They talked.\n"
    "          cite: [doc_b]\n"
)


def test_validate_warns_on_a_decision_that_changes_nothing(variant):
    path, line = variant(LIFT, TALK + LIFT)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert f"bad.yaml:{line}:9: phases[1].decisions[0]: warning: decision 'talk' changes" in (
        result.output
    )
    declared = TALK.replace(
        "        asserts: {}\n", "        asserts: {}\n        discussion_item: true\n", 1
    )
    path, _ = variant(LIFT, declared + LIFT)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0 and "warning: decision" not in result.output


def test_explore_prints_the_texts_and_paths_it_checked(mini):
    out = CliRunner().invoke(main, ["explore", str(mini.file.path)]).output
    assert "texts checked: 21 on 9 paths; each shown only where what it presumes holds: yes" in out


def test_describe_counts_the_decisions_with_consequences():
    scenario = str(paths.BUNDLED_SCENARIOS / "november-1962.yaml")
    out = CliRunner().invoke(main, ["describe", scenario]).output
    assert "Decisions with consequences: 17 of 19" in out
    assert "discussion items (declared): photographs, zorin_protocol" in out
    assert "changing nothing, not declared: none" in out
