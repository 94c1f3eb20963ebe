"""The move table says what the transitions machines say, and the quick walk is sound.

The quick walk forgets pressure, so it walks a superset of the paths: whenever it proves a
scenario has no path problem, the exact walk must find none (and whenever the exact walk
finds one, the quick walk must not prove the scenario sound).
"""

from __future__ import annotations

import random
from collections import Counter
from itertools import product
from math import prod
from pathlib import Path

import pytest
import yaml

from exsim import paths
from exsim.engine import Campaign, open_campaign
from exsim.engine.explore import MAX_NODES, explore
from exsim.engine.packed import COMBINED, PackedMoves, Packing
from exsim.engine.packed import meets as packed_meets
from exsim.engine.policy import Policy, PolicyMachines, Refused, holds
from exsim.engine.quickwalk import quick_walk
from exsim.engine.table import MoveTable, condition, meets
from exsim.scenario.loader import parse_scenario, read_scenario

ROOT = Path(__file__).parent.parent
MINI = ROOT / "tests" / "data" / "mini.yaml"
BUNDLED = paths.BUNDLED_SCENARIOS / "november-1962.yaml"


def all_states(policy: Policy, sample: int | None = None):
    """Every combination of dimension states (or a seeded sample of *sample* of them)."""
    dims = list(policy.machines)
    combos = list(product(*(list(m.states) for m in policy.machines.values())))
    if sample is not None and len(combos) > sample:
        combos = random.Random(1962).sample(combos, sample)
    return dims, combos


@pytest.mark.parametrize(("path", "sample"), [(MINI, None), (BUNDLED, 1500)])
def test_every_trigger_from_every_state_moves_as_the_machines_do(path, sample):
    scenario = read_scenario(path).scenario
    policy = Policy(PolicyMachines(scenario))
    table = MoveTable(policy)
    dims, combos = all_states(policy, sample)
    refused = moved = 0
    for values in combos:
        for trigger in policy.dimension_of:
            policy.set_state(dict(zip(dims, values, strict=True)))
            try:
                policy.fire(trigger)
            except Refused:
                expected = None
                refused += 1
            else:
                expected = tuple(policy.state[d] for d in dims)
                moved += 1
            assert table.after(values, [trigger]) == expected, (trigger, values)
    assert refused and moved


@pytest.mark.parametrize("path", [MINI, BUNDLED])
def test_meets_agrees_with_holds_on_every_condition(path):
    s = read_scenario(path).scenario
    dims, combos = all_states(Policy(PolicyMachines(s)), 500)
    conditions = [e.when for e in s.endings] + [i.never for i in s.machine.invariants]
    conditions += [g.when for g in s.machine.guards]
    for values in combos:
        state = dict(zip(dims, values, strict=True))
        for wanted in conditions:
            assert meets(condition(wanted, dims), values) == holds(wanted, state)


def packing_of(policy: Policy) -> Packing:
    dims = list(policy.machines)
    states = [list(m.states) for m in policy.machines.values()]
    return Packing(states, tuple(policy.state[d] for d in dims))


@pytest.mark.parametrize("path", [MINI, BUNDLED])
def test_packed_states_move_and_meet_as_values_do(path):
    s = read_scenario(path).scenario
    policy = Policy(PolicyMachines(s))
    packing = packing_of(policy)
    moves = PackedMoves(MoveTable(policy), packing)
    table = MoveTable(policy)
    dims, combos = all_states(policy, 500)
    conditions = [e.when for e in s.endings] + [i.never for i in s.machine.invariants]
    conditions += [g.when for g in s.machine.guards]
    # a condition of more combinations than are taken together, and one nothing meets
    conditions += [{d: list(policy.machines[d].states) for d in dims}, {dims[0]: []}]
    every = prod(len(policy.machines[d].states) for d in dims)
    assert (len(packing.condition(condition(conditions[-2], dims))) > 1) == (every > COMBINED)
    for values in combos:
        packed = packing.pack(values)
        assert packing.unpack(packed) == values
        assert packed == 0 or values != tuple(policy.state[d] for d in dims)
        for wanted in conditions:
            cond = condition(wanted, dims)
            assert packed_meets(packing.condition(cond), packed) == meets(cond, values)
        for trigger in policy.dimension_of:
            after = table.after(values, [trigger])
            moved = moves.after(packed, [trigger])
            assert moved == (None if after is None else packing.pack(after)), (trigger, values)


def test_the_scenarios_are_proved_sound():
    for path in (MINI, BUNDLED):
        campaign = Campaign(read_scenario(path))
        assert quick_walk(campaign, MAX_NODES).sound
        assert explore(campaign).problems == []


def test_a_walk_too_big_is_not_proved(mini):
    assert not quick_walk(mini, max_nodes=3).sound


# -- mini variants where pressure decides what a response can do ------------------------------

STALLS = """      - id: stalls
        text: He stalls.
        simulated: true
        rationale: For tests.
        weight: 0.5
        modifiers:
          - {when: {quarantine: tightened}, add: -0.4, rationale: Pressure makes stalling costlier.}
"""


def mini_variant(weight, add, per_pressure, triggers, standoff_when, second_label) -> str:
    text = MINI.read_text()
    stalls = STALLS.replace("weight: 0.5", f"weight: {weight}").replace(
        "{when: {quarantine: tightened}, add: -0.4,",
        f"{{add: {add}, per_pressure: {per_pressure},",
    )
    stalls = stalls.replace("simulated: true", f"simulated: true\n        triggers: {triggers}")
    text = text.replace(STALLS, stalls)
    if standoff_when:
        text = text.replace(
            "  - id: standoff\n    title: Standoff\n",
            f"  - id: standoff\n    title: Standoff\n    when: {standoff_when}\n",
        )
    if second_label:
        text = text.replace(
            "{id: removed, label: Removed}",
            "{id: removed, label: Removed, pressure: bombers removed}",
        )
    return text


def verdicts(text: str) -> tuple[bool, list[str]]:
    campaign = Campaign(parse_scenario(text, "variant.yaml"))
    return quick_walk(campaign, MAX_NODES).sound, [p.message for p in explore(campaign).problems]


def test_an_answer_possible_only_under_pressure_is_walked():
    # stalls has weight only after a pressure step; it then leaves a state with no ending
    text = mini_variant(0, -0.5, 1, "[agree_inspection]", "{inspection: none}", False)
    proved, problems = verdicts(text)
    assert not proved
    assert any("pressure=tighten, answer=stalls" in p for p in problems), problems


def test_a_doubt_the_exact_walk_clears_still_opens(tmp_path):
    # stalls would need two pressure measures, but only one can be taken before the answer:
    # the quick walk, counting up to two, cannot prove it; the exact walk shows it is fine
    text = mini_variant(0, -1.5, 1, "[agree_inspection]", "{inspection: none}", True)
    proved, problems = verdicts(text)
    assert (proved, problems) == (False, [])
    path = tmp_path / "doubt.yaml"
    path.write_text(text)
    assert open_campaign(path).id == "mini"


def test_a_proof_is_never_wrong():
    """Over every combination of these variants: a proof means the exact walk finds nothing."""
    seen = Counter()
    for combo in product(
        [0, 0.5],  # weight
        [-1.5, -0.5, 0],  # add
        [-1, 0, 1],  # per_pressure
        ["[]", "[agree_inspection]", "[tighten]", "[lift]", "[remove]"],  # triggers
        [None, "{inspection: none}", "{quarantine: in_force}", "{il28: in_cuba}"],
        [False, True],  # a second pressure label
    ):
        proved, problems = verdicts(mini_variant(*combo))
        assert not (proved and problems), combo
        seen[proved, bool(problems)] += 1
    # both verdicts occur, and doubts the exact walk clears
    assert seen[True, False] and seen[False, True] and seen[False, False], seen


def test_mini_variant_changes_what_it_says():
    text = mini_variant(0, -1.5, 1, "[agree_inspection]", "{inspection: none}", True)
    stalls = yaml.safe_load(text)["responses"][0]["outcomes"][1]
    assert stalls["triggers"] == ["agree_inspection"]
    assert stalls["modifiers"][0]["per_pressure"] == 1
