"""Fast table play against the full Game: identical states, pressure, endings and measures.

Checked on every explored path (decisions and response outcomes forced one by one; for a
scenario with more than MAX_PATHS paths, the first ones in walk order and a seeded random
sample of the rest) and on random what-if and historical games under random policies, for the
test scenario and every bundled scenario.
"""

from __future__ import annotations

import random

import pytest

from conftest import MINI
from exsim import paths
from exsim.engine import open_campaign
from exsim.engine.campaign import Campaign
from exsim.engine.explore import explore
from exsim.engine.fastplay import FastPlay, Result, result
from exsim.engine.game import Game, applicable, option_sets, option_triggers, weight
from exsim.engine.measures import trace_of
from exsim.engine.policy import Policy, holds
from exsim.engine.simulate import Plan, record_plan
from exsim.scenario.model import Decision

SCENARIOS = [MINI, *paths.scenario_files()]
MAX_PATHS = 2_000
SAMPLED = 300


def play_plan(
    campaign: Campaign, plan: Plan, seed: int = 0, forced: dict[str, str] | None = None
) -> tuple[Game, int]:
    """One full Game under *plan* (the reference for fast play); returns it and its fallbacks."""
    game = Game(campaign, seed=seed, mode=plan.mode, forced=forced)
    fallbacks = 0
    while not game.finished:
        decision = game.current.decision

        def allowed(chosen: tuple[str, ...], d: Decision = decision) -> bool:
            return game.policy.check(option_triggers(d, chosen)) is None

        chosen, fell_back = plan.choose(decision, allowed)
        fallbacks += fell_back
        game.decide(decision.id, list(chosen))
    return game, fallbacks


def game_result(game: Game, fallbacks: int = 0) -> Result:
    """The Result of a finished Game, comparable with fast play's."""
    return result(game.campaign, trace_of(game), game.pressure, fallbacks)


@pytest.fixture(scope="module", params=SCENARIOS, ids=lambda p: p.stem)
def campaign(request):
    return open_campaign(request.param)


def every_path(campaign, rng: random.Random | None = None, limit: int = MAX_PATHS):
    """Each complete path as (decision → options, response → outcome), without merging;
    with *rng*, one path taking a random branch at every step."""
    steps = campaign.steps
    policy = Policy(campaign.machines)
    labels = campaign.pressure_labels
    found = []

    def moved(state, pressure, triggers):
        policy.set_state(state)
        changes = policy.apply(triggers)
        taken = pressure | {
            labels[c.dimension, c.dest] for c in changes if (c.dimension, c.dest) in labels
        }
        return policy.state, taken

    def walk(pos, state, pressure, choices, forced):
        if len(found) >= limit:
            return
        if pos == len(steps):
            found.append((choices, forced))
            return
        step = steps[pos]
        policy.set_state(state)
        if step.decision is not None:
            d = step.decision
            if not holds(d.when, state):
                walk(pos + 1, state, pressure, choices, forced)
                return
            allowed = []
            for choice in option_sets(d):
                policy.set_state(state)
                if policy.check(option_triggers(d, choice)) is None:
                    allowed.append(choice)
            for choice in [rng.choice(allowed)] if rng else allowed:
                after = moved(state, pressure, option_triggers(d, choice))
                walk(pos + 1, *after, {**choices, d.id: choice}, forced)
            return
        outcomes = [
            o
            for o in applicable(step.response, policy, policy.state)
            if not o.simulated or weight(o, state, len(pressure)) > 0
        ]
        if not outcomes:
            walk(pos + 1, state, pressure, choices, forced)
        for o in [rng.choice(outcomes)] if rng and outcomes else outcomes:
            after = moved(state, pressure, list(o.triggers))
            walk(pos + 1, *after, choices, {**forced, step.response.id: o.id})

    walk(0, policy.state, frozenset(), {}, {})
    return found


def fast_result(campaign, plan, rng, forced=None):
    play = FastPlay(campaign, plan.choose, plan.mode, forced)
    (key,) = play.run(1, rng.random)
    return play.result(key)


def test_every_explored_path_ends_alike(campaign):
    walked = every_path(campaign)
    if len(walked) == MAX_PATHS:
        rng = random.Random(11)
        walked = walked[:SAMPLED] + [every_path(campaign, rng)[0] for _ in range(SAMPLED)]
    else:
        assert len(walked) == explore(campaign).paths
    record = record_plan(campaign)
    for choices, forced in walked:
        plan = Plan("path", {**record.choices, **choices})
        game, fallbacks = play_plan(campaign, plan, forced=forced)
        assert fallbacks == 0
        expected = game_result(game, fallbacks)
        assert dict(expected.state) == game.state
        assert fast_result(campaign, plan, random.Random(0), forced) == expected, (choices, forced)


@pytest.mark.parametrize("mode", ["what-if", "historical"])
def test_random_games_end_alike(campaign, mode):
    plans = [record_plan(campaign, mode)]
    rng = random.Random(7)
    for _ in range(5):  # random policies, including ones the machine refuses
        choices = {d.id: rng.choice(option_sets(d)) for d in campaign.decisions.values()}
        plans.append(Plan("random", choices, mode))
    for plan in plans:
        play = FastPlay(campaign, plan.choose, plan.mode)
        for seed in range(40):
            game, fallbacks = play_plan(campaign, plan, seed)
            (key,) = play.run(1, random.Random(seed).random)
            assert play.result(key) == game_result(game, fallbacks), (plan, seed)


def test_one_table_plays_many_games_like_fresh_games(campaign):
    """A table filled by earlier games gives the same as a fresh one (no state leaks)."""
    plan = record_plan(campaign)
    play = FastPlay(campaign, plan.choose, plan.mode)
    rng = random.Random(3)
    for seed in range(30):
        (key,) = play.run(1, random.Random(seed).random)
        assert play.result(key) == fast_result(campaign, plan, random.Random(seed))
    assert sum(play.run(500, rng.random).values()) == 500
