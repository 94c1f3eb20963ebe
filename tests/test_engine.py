"""The policy machine, games, guard refusals, determinism and the exhaustive walk."""

from __future__ import annotations

import gc
import json

import pytest
from transitions import Machine

from exsim.cli.engine_commands import game_json
from exsim.engine import Game, GameError
from exsim.engine.compare import compare, play, play_record
from exsim.engine.explore import explore
from exsim.engine.policy import Policy, Refused


def test_machines_are_transitions_machines_without_auto_transitions(mini):
    policy = Policy(mini.machines)
    for machine in policy.machines.values():
        assert isinstance(machine, Machine)
        assert not machine.auto_transitions
    assert policy.state == {
        "quarantine": "in_force",
        "il28": "in_cuba",
        "pledge": "none",
        "inspection": "none",
    }


def test_games_share_the_machines_and_each_moves_only_its_own_model(mini):
    first, second = Policy(mini.machines), Policy(mini.machines)
    assert first.machines is second.machines
    first.apply(["tighten"])
    assert (first.state["quarantine"], second.state["quarantine"]) == ("tightened", "in_force")
    machine = mini.machines.machines["quarantine"]
    models = len(machine.models)
    games = [Game(mini) for _ in range(5)]
    assert len(machine.models) == models + 5
    del games
    gc.collect()
    assert len(machine.models) == models  # a game's model leaves the machines with the game


def test_guard_refuses_with_reason_and_citation(mini):
    policy = Policy(mini.machines)
    with pytest.raises(Refused) as info:
        policy.fire("lift")
    assert info.value.refusal.reason == "The quarantine stays until the IL-28s are removed."
    assert info.value.refusal.cite == ("doc_a#1",)
    assert policy.state["quarantine"] == "in_force"


def test_move_from_wrong_state_is_refused_not_ignored(mini):
    policy = Policy(mini.machines)
    with pytest.raises(Refused) as info:
        policy.fire("remove")
    assert str(info.value) == (
        "“Bombers leave” moves IL-28 bombers only from “Removal agreed”, not from “In Cuba”, "
        "where it stands now"
    )


def test_apply_is_all_or_nothing(mini):
    policy = Policy(mini.machines)
    with pytest.raises(Refused):
        policy.apply(["tighten", "give_pledge"])
    assert policy.state["quarantine"] == "in_force"


def test_documented_branches_from_the_start(mini):
    policy = Policy(mini.machines)
    policy.apply(["agree_removal", "remove", "lift"])
    assert policy.state["quarantine"] == "lifted"
    policy = Policy(mini.machines)
    policy.apply(["tighten"])
    assert policy.state["quarantine"] == "tightened"
    policy = Policy(mini.machines)
    assert policy.check(["give_pledge"]).guard == "inspection_first"
    policy.apply(["agree_inspection", "give_pledge"])
    assert policy.state["pledge"] == "given"


def test_forbidden_option_is_shown_with_reason(mini):
    game = Game(mini)
    status = {o.id: o for o in game.options()}
    assert status["withhold"].allowed and status["withhold"].is_record
    assert not status["give"].allowed
    assert "No pledge without inspection" in status["give"].refusal.reason
    with pytest.raises(GameError, match="refused: No pledge without inspection"):
        game.decide("pledge", "give")
    assert game.current.id == "pledge" and game.log == []


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ("nope", "withhold"),
            "no decision 'nope' in this scenario (decisions: pledge, pressure, lift)",
        ),
        (
            ("pressure", "wait"),
            "'pressure' is not on the agenda now; the open decision is 'pledge'",
        ),
        (("pledge", "maybe"), "option 'maybe' is not offered (options: withhold, give)"),
        (("pledge", ["withhold", "give"]), "choose exactly one of: withhold, give"),
    ],
)
def test_bad_moves_name_what_is_offered(mini, args, message):
    game = Game(mini)
    with pytest.raises(GameError) as info:
        game.decide(*args)
    assert message in str(info.value)
    assert game.log == []


def test_role_that_may_not_decide(mini):
    game = Game(mini)
    with pytest.raises(
        GameError, match="'rusk' may not take this decision; it is taken by 'president'"
    ):
        game.decide("pledge", "withhold", by="rusk")


def test_pressure_measures_are_tracked(mini):
    game = Game(mini)
    game.decide("pledge", "withhold")
    game.decide("pressure", ["wait", "tighten"])
    assert game.pressure == ["tightened quarantine"]


def test_record_path_has_zero_divergence(mini):
    game = play_record(mini)
    result = compare(game)
    assert result.divergence == 0
    assert result.ending == result.record_ending == "deal"


def test_leaving_the_record_counts_divergence(mini):
    game = play(
        mini,
        {"pledge": ["withhold"], "pressure": ["tighten"], "lift": ["keep"]},
        forced={"answer": "stalls"},
    )
    result = compare(game)
    assert result.ending == "standoff"
    assert [r.matches for r in result.decisions] == [True, False, None]
    assert result.simulated_responses == ["answer"]
    assert result.divergence == 3  # pressure differs, lift not reached, simulated answer


def test_same_seed_gives_identical_json(mini):
    def once(seed):
        game = play(
            mini,
            {"pledge": ["withhold"], "pressure": ["wait"], "lift": ["lift"]},
            seed=seed,
            mode="what-if",
        )
        return json.dumps(game_json(game), sort_keys=True)

    assert once(7) == once(7)
    endings = {json.loads(once(s))["ending"] for s in range(20)}
    assert endings == {"deal", "standoff"}  # both answers occur across seeds


def test_exhaustive_walk(mini):
    report = explore(mini)
    assert not report.problems
    assert report.paths == 9
    assert dict(report.endings) == {"deal": 3, "standoff": 6}
    assert report.unreachable_options(mini) == [("pledge", "give")]
    assert "lifted" in report.reachable["quarantine"]


def test_a_group_vote_is_counted_by_the_engine(mini):
    from exsim.engine.vote import count_votes

    pledge, pressure = mini.decisions["pledge"], mini.decisions["pressure"]
    assert count_votes(pledge, {"a": ("give",), "b": ("withhold",), "c": ("give",)}).winners == (
        "give",
    )
    tie = count_votes(pledge, {"a": ("give",), "b": ("withhold",)})
    assert tie.tied and tie.winners == ("withhold", "give")
    assert count_votes(pledge, {}).tied
    many = count_votes(pressure, {"a": ("wait", "tighten"), "b": ("tighten",), "c": ("wait",)})
    assert many.winners == ("wait", "tighten") and not many.tied
