"""Texts that depend on the game: `when` picks a variant, `asserts` is proved by the walk."""

from __future__ import annotations

import pytest

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
