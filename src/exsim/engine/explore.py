"""Exhaustive walk of every decision and response path, merging paths that meet again.

A node is (agenda position, policy state, pressure taken); paths that reach the same node
share everything after it, so the walk visits each node once and counts paths by multiplicity.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from exsim.engine.campaign import Campaign
from exsim.engine.game import option_sets, weight
from exsim.engine.policy import Policy, holds
from exsim.engine.quickwalk import proves_sound
from exsim.engine.table import MoveTable
from exsim.scenario.model import Outcome
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


def path_problems(campaign: Campaign) -> list[Problem]:
    """Every problem of *campaign*'s paths: none when the quick walk proves there are none,
    else what the exact walk finds (with an example path for each)."""
    if proves_sound(campaign, MAX_NODES):
        return []
    return explore(campaign).problems


def explore(campaign: Campaign, max_nodes: int = MAX_NODES) -> Report:
    """Walk every path of *campaign*; problems name the scenario file and an example path."""
    s = campaign.scenario
    dims = [d.id for d in s.machine.dimensions]
    policy = Policy(campaign.machines)
    report = Report()
    moves = _Moves(campaign, policy, dims, report)
    start: Node = (0, tuple(policy.state[d] for d in dims), frozenset())
    count: dict[Node, int] = {start: 1}
    layers: list[list[Node]] = [[] for _ in range(len(campaign.steps) + 1)]
    layers[0].append(start)
    parent: dict[Node, tuple[Node, str] | None] = {start: None}
    flagged: set[str] = set()
    claims: dict[int, list] = defaultdict(list)
    for claim in campaign.claims:
        claims[claim.position].append(claim)

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
            for claim in claims[position]:
                if all(holds(c, state) for c in claim.shown) and not holds(claim.asserts, state):
                    flag(
                        claim.key,
                        f"claim:{claim.key}",
                        f"this text states {_cond(claim.asserts)} but is shown where "
                        f"{_cond({d: state[d] for d in claim.asserts})}, after: {path_to(node)}; "
                        "give it a `when` (one variant per state)",
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
            for label, nxt in _successors(campaign, moves, node, state):
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


Move = tuple[str, tuple[str, ...], frozenset[str], Outcome | None]
"""(label, policy state after, pressure measures added, the response outcome if any)."""


class _Moves:
    """Where each step can go from a policy state, pressure aside; worked out once per pair.

    Nodes that differ only in pressure share these. Moves are read from the Policy's
    transitions machines through a MoveTable.
    """

    def __init__(self, campaign: Campaign, policy: Policy, dims: list[str], report: Report):
        self.campaign = campaign
        self.table = MoveTable(policy)
        self.dims = dims
        self.report = report
        self.known: dict[tuple[int, tuple[str, ...]], list[Move]] = {}

    def __call__(self, position: int, values: tuple[str, ...]) -> list[Move]:
        key = (position, values)
        if key not in self.known:
            self.known[key] = self._work_out(position, values)
        return self.known[key]

    def _work_out(self, position: int, values: tuple[str, ...]) -> list[Move]:
        step = self.campaign.steps[position]
        state = dict(zip(self.dims, values, strict=True))
        if step.response is not None:
            found = []
            for outcome in step.response.outcomes:
                if not holds(outcome.when, state):
                    continue
                moved = self._after(values, outcome.triggers)
                if moved is not None:
                    found.append((f"{step.id}={outcome.id}", *moved, outcome))
            return found
        decision = step.decision
        if not holds(decision.when, state):
            return [(f"{decision.id} (not on the agenda)", values, frozenset(), None)]
        self.report.decisions_reached.add(decision.id)
        by_id = {o.id: o for o in decision.options}
        found = []
        for choice in option_sets(decision):
            moved = self._after(values, [t for o in choice for t in by_id[o].triggers])
            if moved is not None:
                self.report.options_taken.update((decision.id, o) for o in choice)
                found.append((f"{decision.id}={'+'.join(choice)}", *moved, None))
        return found

    def _after(self, values: tuple[str, ...], triggers):
        """The state and pressure measures *triggers* lead to from *values*; None if refused."""
        labels = self.campaign.pressure_labels
        added = []
        for trigger in triggers:
            values = self.table.after(values, (trigger,))
            if values is None:
                return None
            dim = self.table.routes[trigger][0]
            if (self.dims[dim], values[dim]) in labels:
                added.append(labels[self.dims[dim], values[dim]])
        return values, frozenset(added)


def _successors(campaign: Campaign, moves: _Moves, node: Node, state: dict[str, str]):
    position, values, pressure = node
    found = moves(position, values)
    response = campaign.steps[position].response
    if response is not None:
        found = [m for m in found if not m[3].simulated or weight(m[3], state, len(pressure)) > 0]
        if not found:
            yield f"{response.id} (no answer)", (position + 1, values, pressure)
    for label, after, added, _ in found:
        yield label, (position + 1, after, pressure | added)


def _cond(condition: dict) -> str:
    """A condition as readers see it: 'quarantine: lifted, il28: in_cuba or removed'."""
    return ", ".join(
        f"{d}: {' or '.join(v) if isinstance(v, list) else v}" for d, v in condition.items()
    )


def _step_key(campaign: Campaign, position: int) -> tuple:
    step = campaign.steps[position]
    s = campaign.scenario
    if step.response is not None:
        return ("responses", s.responses.index(step.response))
    p = s.phases.index(step.phase)
    return ("phases", p, "decisions", step.phase.decisions.index(step.decision))
