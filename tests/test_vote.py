"""Who decides an item, and how the vote binds: the engine's one rule (engine/vote.py)."""

from __future__ import annotations

import pytest

from exsim import paths
from exsim.classroom import room
from exsim.engine import Game, open_campaign
from exsim.engine import vote as rule
from exsim.engine.vote import TIE_RULE, asked, count_votes, deciding_role, settle
from exsim.tui import sitting
from games import play


@pytest.fixture(scope="module")
def november():
    return open_campaign(paths.BUNDLED_SCENARIOS / "november-1962.yaml")


def test_the_chair_decides_only_under_the_chair_rule_and_when_played(mini):
    pledge = mini.decisions["pledge"]
    assert deciding_role(mini, pledge, "chair", {"president", "rusk"}) == "president"
    assert deciding_role(mini, pledge, "vote", {"president", "rusk"}) is None
    assert deciding_role(mini, pledge, "chair", {"rusk"}) is None  # an absent chair: a vote
    assert asked(mini, pledge, "chair", {"president", "rusk"}) == ["rusk"]
    assert asked(mini, pledge, "vote", {"president", "rusk"}) == ["president", "rusk"]


def test_an_item_without_a_chair_is_voted_on(november):
    il28s = november.decisions["il28s"]  # 13 November: the President absent
    assert deciding_role(november, il28s, "chair", {"president", "rusk"}) is None
    assert "president" not in asked(november, il28s, "chair", {"president", "rusk"})


def test_the_game_and_the_class_use_the_engines_rule():
    assert sitting.deciding_role is rule.deciding_role and sitting.asked is rule.asked
    assert room.deciding_role is rule.deciding_role and room.asked is rule.asked
    assert sitting.settle is rule.settle and room.settle is rule.settle


def test_a_two_to_nothing_vote_is_the_decision(mini):
    game = Game(mini)
    verdict = settle(
        game, mini.decisions["pledge"], {"president": ("withhold",), "rusk": ("withhold",)}
    )
    assert verdict.chosen == ("withhold",) and not verdict.by_tie_rule
    assert verdict.vote.tally == {"withhold": 2, "give": 0}


def test_a_tie_goes_to_the_option_listed_first_among_those_tied(mini):
    game = Game(mini)
    game.decide("pledge", "withhold")
    pressure = mini.decisions["pressure"]
    verdict = settle(game, pressure, {"president": ("tighten",), "rusk": ("wait",)})
    assert verdict.vote.tied and verdict.by_tie_rule
    assert verdict.chosen == ("wait",)  # listed before 'tighten'
    assert TIE_RULE == "a tie goes to the option listed first among those tied"


def test_without_any_vote_the_tie_rule_takes_the_first_option_allowed(mini):
    game = Game(mini)
    verdict = settle(game, mini.decisions["pledge"], {})
    assert verdict.by_tie_rule and verdict.chosen == ("withhold",)


def test_a_vote_for_a_refused_option_falls_to_the_tie_rule(mini):
    # 'give' is refused while no inspection is agreed: the vote cannot take it.
    game = Game(mini)
    verdict = settle(game, mini.decisions["pledge"], {"a": ("give",), "b": ("give",)})
    assert verdict.vote.winners == ("give",)
    assert verdict.by_tie_rule and verdict.chosen == ("withhold",)


def test_many_options_without_a_majority_are_a_tie(mini):
    pressure = mini.decisions["pressure"]
    split = count_votes(pressure, {"a": ("wait",), "b": ("tighten",)})
    assert split.tied and split.winners == ("wait", "tighten")
    both = count_votes(pressure, {"a": ("wait", "tighten"), "b": ("tighten",)})
    assert not both.tied and both.winners == ("tighten",)


def test_the_tally_names_only_the_options_offered(november):
    """Audit R2-3: with the quarantine already tightened, 'Tighten it' is not offered on
    20 November, and the vote's tally does not list it either."""
    game = play(november, {"pressure_steps": ["tighten"]}, until="quarantine_nov20")
    decision = november.decisions["quarantine_nov20"]
    offered = [o.id for o in game.options(decision)]
    assert "tighten" not in offered
    verdict = settle(game, decision, {"president": (offered[0],), "rusk": (offered[0],)})
    assert list(verdict.vote.tally) == offered
