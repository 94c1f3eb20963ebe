"""The group's rules of 13 November, encoded in the policy machine: each branch driven through
the machines (FRUS XI 174 ¶3)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from exsim import paths
from exsim.cli import main
from exsim.engine import Game, GameError, open_campaign
from exsim.engine.compare import compare, play
from exsim.tui.widgets import machine_text


@pytest.fixture(scope="module")
def campaign():
    return open_campaign(paths.BUNDLED_SCENARIOS / "november-1962.yaml")


def until(game: Game, step: str, choices: dict[str, list[str]]) -> Game:
    """Take *choices* (the record's where not given) until *step* is the open decision."""
    record = {**game.campaign.record_choices, **choices}
    while game.current.id != step:
        decision = game.current.decision.id
        game.decide(decision, record[decision])
    return game


def test_once_adopted_a_formal_pledge_without_inspection_is_refused_with_its_reason(campaign):
    game = until(Game(campaign), "assurance", {})
    assert game.state["pledge_rule"] == "adopted"
    assert game.state["inspection"] == "none"
    refusal = {o.id: o for o in game.options()}["formal_pledge"].refusal
    assert refusal.guard == "inspection_before_pledge"
    assert refusal.cite == ("frus_xi_174#3",)
    assert "unless appropriate measures for inspection are agreed" in refusal.reason
    with pytest.raises(GameError, match=r"refused: The group's rule of 13 November.*FRUS XI, 174"):
        game.decide("assurance", "formal_pledge")
    assert game.state["pledge"] == "none"  # nothing changed


def test_once_adopted_a_formal_pledge_is_allowed_with_inspection_agreed(campaign):
    forced = {"castro_inspection": "accepts_un_presence"}
    game = until(Game(campaign, mode="what-if", forced=forced), "assurance", {})
    assert game.state["pledge_rule"] == "adopted"
    assert game.state["inspection"] == "agreed"
    assert {o.id: o for o in game.options()}["formal_pledge"].allowed
    game.decide("assurance", "formal_pledge")
    assert game.state["pledge"] == "given"


def test_a_group_that_never_adopted_the_rules_stays_free(campaign):
    # A what-if from 5 November: the formal commitment on the Soviet count alone is taken; the
    # rule of 13 November never comes to the table, and the game simulates what follows.
    choices = {**campaign.record_choices, "commitment_terms": ["commit_now"]}
    choices |= {"answer_offer": ["hold_terms"], "quarantine_late": ["lift"]}
    game = play(campaign, choices, mode="what-if")
    assert game.state["pledge"] == "given"
    assert game.state["pledge_rule"] == "none"
    assert "pledge_rule" in [e.step for e in game.log if e.kind == "skipped"]
    assert compare(game).ending == "pledge_without_inspection"
    assert game.campaign.scenario.endings[2].simulated


def test_not_adopting_the_rule_on_13_november_leaves_the_formal_pledge_open(campaign):
    game = until(Game(campaign, mode="what-if"), "assurance", {"pledge_rule": ["aerial_enough"]})
    assert game.state["pledge_rule"] == "none"
    assert {o.id: o for o in game.options()}["formal_pledge"].allowed


def test_removal_agreed_makes_lifting_the_quarantine_the_policys_next_move(campaign):
    game = until(Game(campaign), "pressure_again", {})
    assert game.state["quarantine_rule"] == "adopted"
    assert game.next_moves() == []  # the bombers are still there
    until(game, "quarantine_nov20", {})
    assert game.state["il28"] == "removal_agreed"
    (move,) = game.next_moves()
    assert (move.id, move.move) == ("removal_lifts_quarantine", "lift_quarantine")
    assert move.cite == ["frus_xi_174#3"]
    shown = machine_text(game).plain
    assert "◆ The policy's next move: Lift the quarantine" in shown
    assert "if they are removed, the quarantine can be removed" in shown
    game.decide("quarantine_nov20", "lift_now")
    assert game.next_moves() == []  # done


def test_without_the_rule_removal_calls_for_nothing(campaign):
    choices = {"il28s": ["lift_now"]}
    game = until(Game(campaign, mode="what-if"), "measures_nov20", choices)
    assert game.state["quarantine_rule"] == "none"
    assert game.next_moves() == []
    assert "next move" not in machine_text(game).plain


def test_otherwise_the_pressure_steps_apply_while_the_bombers_are_there(campaign):
    game = until(Game(campaign, mode="what-if"), "pressure_steps", {})
    options = {o.id: o for o in game.options()}
    assert all(o.allowed for o in options.values())
    game.decide("pressure_steps", ["oas_meeting", "noncompliance", "oas_economic", "tighten"])
    assert game.pressure == [
        "an OAS meeting to restate policy",
        "a presidential statement of Soviet non-compliance",
        "OAS economic measures",
        "a tightened quarantine",
    ]


def test_the_graph_shows_the_policys_next_move_and_the_pledge_rule():
    result = CliRunner().invoke(main, ["graph", "november-1962"])
    assert result.exit_code == 0, result.output
    assert "in_force --> lifted: Lift the quarantine [policy next: removal_lifts_quarantine]" in (
        result.output
    )
    assert (
        "none --> given: Give a formal no-invasion commitment [!inspection_before_pledge]"
        in result.output
    )
    dot = CliRunner().invoke(main, ["graph", "november-1962", "--format", "dot"]).output
    assert 'label="Lift the quarantine [policy next: removal_lifts_quarantine]"' in dot
