"""An option taken only by itself (`alone: true`): holding the steps in reserve cannot go with a
step (audit G5-2); the machine refuses the mix with a sentence, validate checks the field."""

from __future__ import annotations

import pytest

from exsim import paths
from exsim.engine import Game, GameError, ScenarioError, open_campaign
from exsim.engine.game import option_sets

SCENARIO = paths.BUNDLED_SCENARIOS / "november-1962.yaml"


def test_holding_the_steps_in_reserve_is_refused_with_a_step():
    campaign = open_campaign(SCENARIO)
    game = Game(campaign, seed=1, mode="what-if")
    while game.current.decision.id != "pressure_steps":
        d = game.current.decision
        game.decide(d.id, campaign.record_choices[d.id])
    with pytest.raises(GameError) as info:
        game.decide("pressure_steps", ["hold_in_reserve", "oas_meeting", "noncompliance"])
    assert str(info.value) == (
        "pressure_steps: 'Hold the steps in reserve until the Soviet position is known' "
        "(hold_in_reserve) is taken alone; it cannot go with 'Call an OAS meeting to restate its "
        "policy' and 'A presidential statement of Soviet non-compliance'"
    )
    assert game.state["oas_meeting"] == "none"  # nothing taken
    game.decide("pressure_steps", ["oas_meeting", "noncompliance"])  # the steps alone: taken
    assert game.state["oas_meeting"] == "convened"


def test_the_walk_never_takes_the_reserve_with_a_step():
    decision = open_campaign(SCENARIO).decisions["pressure_steps"]
    sets = option_sets(decision)
    assert ("hold_in_reserve",) in sets
    assert not [s for s in sets if "hold_in_reserve" in s and len(s) > 1]


def test_alone_on_a_single_choice_is_a_located_error(variant):
    path, line = variant(
        "          - {id: withhold, label: Withhold it}",
        "          - {id: withhold, label: Withhold it, alone: true}",
    )
    with pytest.raises(ScenarioError) as info:
        open_campaign(path)
    (msg,) = [str(p) for p in info.value.problems]
    assert msg.startswith(f"{path}:{line}:")
    assert "`alone` marks an option of a `select: many` decision" in msg


def test_a_record_naming_an_alone_option_with_another_is_a_located_error(variant):
    path, _line = variant(
        "          - {id: wait, label: Wait for the talks}",
        "          - {id: wait, label: Wait for the talks, alone: true}",
    )
    text = path.read_text().replace("chosen: [wait]", "chosen: [wait, tighten]")
    path.write_text(text)
    with pytest.raises(ScenarioError) as info:
        open_campaign(path)
    msgs = [str(p) for p in info.value.problems]
    assert any(
        "wait is taken alone (`alone: true`); the record can name it only" in m for m in msgs
    )


def test_a_vote_whose_winners_mix_the_reserve_with_a_step_falls_to_the_tie_rule():
    from exsim.engine.vote import settle

    campaign = open_campaign(SCENARIO)
    game = Game(campaign, seed=1, mode="what-if")
    while game.current.decision.id != "pressure_steps":
        d = game.current.decision
        game.decide(d.id, campaign.record_choices[d.id])
    votes = {
        "a": ("hold_in_reserve",),
        "b": ("hold_in_reserve", "oas_meeting"),
        "c": ("oas_meeting",),
    }
    verdict = settle(game, campaign.decisions["pressure_steps"], votes)
    assert verdict is not None and verdict.by_tie_rule
    assert verdict.chosen == ("hold_in_reserve",)
