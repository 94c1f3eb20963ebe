"""Exhaustive walk of every decision and response path, merging paths that meet again.

A node is (agenda position, policy state, pressure taken); paths that reach the same node
share everything after it, so the walk visits each node once and counts paths by multiplicity.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from exsim.engine.campaign import Campaign
from exsim.engine.game import applicable, option_sets, weight
from exsim.engine.policy import Policy, holds
from exsim.scenario.problems import Problem

MAX_NODES = 200_000

Node = tuple[int, tuple[str, ...], frozenset[str]]


@dataclass
class Report:
    """What the walk found."""

    nodes: int = 0
    paths: int = 0
    endings: Counter = field(default_factory=Counter)
    reachable: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    options_taken: set[tuple[str, str]] = field(default_factory=set)
    decisions_reached: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)
    truncated: bool = False

    def unreachable_options(self, campaign: Campaign) -> list[tuple[str, str]]:
        return [
            (d.id, o.id)
            for d in campaign.decisions.values()
            for o in d.options
            if (d.id, o.id) not in self.options_taken
        ]


def explore(campaign: Campaign, max_nodes: int = MAX_NODES) -> Report:
    """Walk every path of *campaign*; problems name the scenario file and an example path."""
    s = campaign.scenario
    dims = [d.id for d in s.machine.dimensions]
    policy = Policy(s)
    report = Report()
    start: Node = (0, tuple(policy.state[d] for d in dims), frozenset())
    count: dict[Node, int] = {start: 1}
    layers: list[list[Node]] = [[] for _ in range(len(campaign.steps) + 1)]
    layers[0].append(start)
    parent: dict[Node, tuple[Node, str] | None] = {start: None}
    flagged: set[str] = set()

    def path_to(node: Node) -> str:
        steps = []
        while parent[node] is not None:
            node, label = parent[node]
            steps.append(label)
        return ", ".join(reversed(steps)) or "the start"

    def flag(key: tuple, kind: str, message: str) -> None:
        if kind not in flagged:
            flagged.add(kind)
            report.problems.append(campaign.file.problem(key, message))

    for position in range(len(campaign.steps) + 1):
        for node in layers[position]:
            report.nodes += 1
            state = dict(zip(dims, node[1], strict=True))
            for dim, value in state.items():
                report.reachable[dim].add(value)
            for inv in s.machine.invariants:
                if holds(inv.never, state):
                    flag(
                        ("machine", "invariants"),
                        f"inv:{inv.id}",
                        f"invariant {inv.id!r} broken after: {path_to(node)}",
                    )
            if position == len(campaign.steps):
                report.paths += count[node]
                ending = campaign.ending_for(state)
                if ending is None:
                    flag(
                        ("endings",),
                        "end",
                        f"the path {path_to(node)} ends in {state}, which matches no ending",
                    )
                else:
                    report.endings[ending.id] += count[node]
                continue
            produced = False
            for label, nxt in _successors(campaign, policy, node, state, dims, report):
                produced = True
                if nxt not in count:
                    count[nxt] = 0
                    parent[nxt] = (node, label)
                    layers[position + 1].append(nxt)
                count[nxt] += count[node]
            if not produced:
                step = campaign.steps[position]
                flag(
                    _step_key(campaign, position),
                    f"dead:{step.id}",
                    f"{step.id}: no option can be taken after: {path_to(node)}",
                )
            if len(count) > max_nodes:
                report.truncated = True
                report.problems.append(
                    campaign.file.problem((), f"more than {max_nodes:,} game states; walk stopped")
                )
                return report
    return report


def _successors(campaign, policy: Policy, node: Node, state, dims, report: Report):
    position, _, pressure = node
    step = campaign.steps[position]
    policy.set_state(state)
    if step.decision is not None:
        decision = step.decision
        if not holds(decision.when, state):
            yield f"{decision.id} (not on the agenda)", (position + 1, node[1], pressure)
            return
        report.decisions_reached.add(decision.id)
        by_id = {o.id: o for o in decision.options}
        for choice in option_sets(decision):
            triggers = [t for o in choice for t in by_id[o].triggers]
            moved = _try(campaign, policy, state, triggers, dims, pressure)
            if moved is not None:
                report.options_taken.update((decision.id, o) for o in choice)
                yield f"{decision.id}={'+'.join(choice)}", (position + 1, *moved)
        return
    outcomes = [
        o
        for o in applicable(step.response, policy)
        if not o.simulated or weight(o, state, len(pressure)) > 0
    ]
    if not outcomes:
        yield f"{step.id} (no answer)", (position + 1, node[1], pressure)
    for outcome in outcomes:
        moved = _try(campaign, policy, state, list(outcome.triggers), dims, pressure)
        if moved is not None:
            yield f"{step.id}={outcome.id}", (position + 1, *moved)


def _try(campaign, policy: Policy, state, triggers, dims, pressure):
    """The (state, pressure) after *triggers* from *state*, or None if refused."""
    policy.set_state(state)
    if policy.check(triggers) is not None:
        return None
    changes = policy.apply(triggers)
    after = policy.state
    taken = set(pressure)
    for c in changes:
        label = campaign.pressure_labels.get((c.dimension, c.dest))
        if label:
            taken.add(label)
    return tuple(after[d] for d in dims), frozenset(taken)


def _step_key(campaign: Campaign, position: int) -> tuple:
    step = campaign.steps[position]
    s = campaign.scenario
    if step.response is not None:
        return ("responses", s.responses.index(step.response))
    p = s.phases.index(step.phase)
    return ("phases", p, "decisions", step.phase.decisions.index(step.decision))
