"""Exhaustive walk of every decision and response path, merging paths that meet again.

A node is (agenda position, policy state, pressure taken), keeping only what later steps,
endings and invariants still read; paths that reach the same node share everything after it,
so the walk visits each node once and counts paths by multiplicity. Policy states are packed
into ints (`packed`), as in the quick walk.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from exsim.engine.campaign import Campaign
from exsim.engine.effects import idle_decisions
from exsim.engine.endfold import EndFold
from exsim.engine.game import option_sets, weight_line
from exsim.engine.packed import Packed, PackedCondition, Packing, meets
from exsim.engine.policy import Policy, holds
from exsim.engine.presumption import Failure, Judge, conditions
from exsim.engine.quickwalk import Proof, quick_walk
from exsim.engine.reads import reads_of, step_reads
from exsim.engine.table import MoveTable, Values, condition
from exsim.scenario.model import Outcome
from exsim.scenario.problems import Problem, dotted

MAX_NODES = 200_000
SAMPLE = 2_000
"""Past the limit, the nodes of each later layer walked, so later mistakes still show."""

Node = tuple[int, Packed, frozenset[str]]


@dataclass
class Report:
    """What the walk found."""

    nodes: int = 0
    paths: int = 0
    endings: Counter = field(default_factory=Counter)
    reachable: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    options_taken: set[tuple[str, str]] = field(default_factory=set)
    decisions_reached: set[str] = field(default_factory=set)
    outcomes_seen: set[tuple[str, str]] = field(default_factory=set)
    """(response, outcome) pairs some game's state allows (condition and moves)."""
    problems: list[Problem] = field(default_factory=list)
    truncated: bool = False
    stopped: Problem | None = None
    """Where and why the walk stopped being exhaustive, with what to change."""
    warnings: list[Problem] = field(default_factory=list)
    """Worth a look but maybe meant (a guard that never lets a move through)."""
    texts: int = 0
    """The texts whose presumption the walk checked on every path (`presumption`)."""
    texts_failing: int = 0
    """Of them, those shown somewhere their presumption fails."""
    proved: bool = False
    """For a stopped walk: whether the quick walk proved every path sound anyway."""
    possible: frozenset[str] = frozenset()
    """For a stopped walk that the quick walk proved sound: every ending some game reaches
    (`endings` then counts only the games walked)."""

    def unreachable_options(self, campaign: Campaign) -> list[tuple[str, str]]:
        return [
            (d.id, o.id)
            for d in campaign.decisions.values()
            for o in d.options
            if (d.id, o.id) not in self.options_taken
        ]


def path_problems(campaign: Campaign, max_nodes: int = MAX_NODES) -> list[Problem]:
    """Every problem of *campaign*'s paths: none when the quick walk proves there are none,
    else what the exact walk finds (with an example path for each)."""
    proof = quick_walk(campaign, max_nodes)
    if proof.sound:
        return unreached_endings(campaign, proof.endings) + unasked_decisions(campaign, proof.asked)
    return explore(campaign, max_nodes, proof).problems


def path_warnings(campaign: Campaign) -> list[Problem]:
    """What a file may mean on purpose but is worth a look: guards that never let a move
    through in any game (their options always refused)."""
    proof = quick_walk(campaign, MAX_NODES)
    if proof.sound and proof.table is not None:
        return idle_guards(campaign, proof.table) + idle_decisions(campaign)
    return explore(campaign, MAX_NODES, proof).warnings


def unreached_endings(campaign: Campaign, endings: Iterable[str]) -> list[Problem]:
    """Endings no game reaches (a catch-all aside), given every ending a complete walk reached."""
    s = campaign.scenario
    found = []
    reached = set(endings)
    for i, e in enumerate(s.endings):
        if e.id in reached or not e.when:
            continue
        above = next((a for a in s.endings[:i] if _covers(a.when, e.when)), None)
        if above is not None:
            why = (
                f"{above.id!r} above it takes every game it would match: put it before "
                f"{above.id!r}, or narrow {above.id!r}'s `when`"
            )
        else:
            why = (
                "no game finishes in a state where its `when` holds and no ending above "
                "it does (`exsim explore` lists the states games reach): fix its `when`, "
                "move it up, or remove it"
            )
        found.append(campaign.file.problem(("endings", i), f"no game ends with {e.id!r}: {why}"))
    return found


def unasked_decisions(campaign: Campaign, asked: Iterable[str]) -> list[Problem]:
    """Decisions no game puts on the agenda, given every decision a complete walk asked."""
    s = campaign.scenario
    found = []
    asked = set(asked)
    for p, phase in enumerate(s.phases):
        for d, decision in enumerate(phase.decisions):
            if decision.id in asked:
                continue
            step = next(st for st in campaign.steps if st.decision is decision)
            key = ("phases", p, "decisions", d) + (("when",) if decision.when else ())
            if not decision.when:
                key = ("phases", p, "when")
            found.append(
                campaign.file.problem(
                    key,
                    f"decision {decision.id!r} never comes up: no game is in a state where "
                    f"{conditions(step.when or {})} holds when its turn comes (`exsim explore` "
                    "lists the states games reach); fix the `when`, or remove the decision",
                )
            )
    return found


def idle_guards(campaign: Campaign, table: MoveTable) -> list[Problem]:
    """Guards that were asked, in a complete walk, and never let a move through."""
    s = campaign.scenario
    found = []
    for i, g in enumerate(s.machine.guards):
        if g.id in table.tried and g.id not in table.passed:
            moves = [t.label for t in s.machine.triggers if g.id in t.guards]
            key, fails = ("when", "does not hold") if g.unless is None else ("unless", "holds")
            found.append(
                campaign.file.problem(
                    ("machine", "guards", i, key),
                    f"warning: guard {g.id!r} never lets a move through: in every game, "
                    f"whenever {' or '.join(repr(m) for m in moves)} is tried its `{key}` "
                    f"{fails}, so those options are always refused. If that is not meant, fix "
                    f"its `{key}` (it reads the state before the move) or the moves before it",
                )
            )
    return found


def _covers(broad: dict, narrow: dict) -> bool:
    """Whether every state meeting *narrow* also meets *broad*."""
    for dim, wanted in broad.items():
        allowed = {wanted} if isinstance(wanted, str) else set(wanted)
        if dim not in narrow:
            return False
        inner = narrow[dim]
        if not ({inner} if isinstance(inner, str) else set(inner)) <= allowed:
            return False
    return True


def explore(campaign: Campaign, max_nodes: int = MAX_NODES, proof: Proof | None = None) -> Report:
    """Walk every path of *campaign*; problems name the scenario file and an example path.

    Nodes keep only what later steps, endings and invariants still read (`reads`). Past
    *max_nodes* the walk goes on from a sample of each layer, so mistakes further on are
    still found, and `stopped` says where it stopped and what to change; that is a problem
    too unless the quick walk proves every path sound. *proof*: that quick walk, if done.
    """
    s = campaign.scenario
    policy = Policy(campaign.machines)
    report = Report()
    moves = _Moves(campaign, policy, report)
    dims, packing = moves.dims, moves.packing
    reads = reads_of(campaign, moves.table)
    fold = EndFold(campaign, packing, reads, dims)
    keep = fold.keep
    full = tuple(policy.state[d] for d in dims)
    start: Node = (0, packing.pack(full) & keep[0] | fold.start, frozenset())
    count: dict[Node, int] = {start: 1}
    layers: list[list[Node]] = [[] for _ in range(len(campaign.steps) + 1)]
    layers[0].append(start)
    parent: dict[Node, tuple[Node, str] | None] = {start: None}
    flagged: set[str] = set()

    def packed(wanted: dict | None) -> PackedCondition:
        return packing.condition(condition(wanted, dims))

    def state_of(values: Packed) -> dict[str, str]:
        return dict(zip(dims, packing.unpack(values), strict=True))

    invariants = [packed(inv.never) for inv in s.machine.invariants]
    end = len(campaign.steps)
    judge = Judge([c for c in campaign.claims if c.position < end], packed)  # endings': `fold`
    report.texts = judge.checked + len(fold.claims)

    def path_to(node: Node) -> str:
        steps = []
        while (link := parent[node]) is not None:
            node, label = link
            steps.append(label)
        return ", ".join(reversed(steps)) or "the start"

    def flag(key: tuple, kind: str, message: str) -> None:
        if kind not in flagged:
            flagged.add(kind)
            report.problems.append(campaign.file.problem(key, message))

    for i, value in enumerate(full):
        report.reachable[dims[i]].add(value)
    _check_invariants(s, invariants, packing.pack(full), flag, lambda: "the start", None)
    for position in range(len(campaign.steps) + 1):
        checks, stated = reads.checks[position], position in judge.at
        for node in layers[position]:
            report.nodes += 1
            values = node[1]
            if checks:
                path = lambda n=node: path_to(n)  # noqa: E731 - only called for a problem
                _check_invariants(s, invariants, values, flag, path, checks)
            for claim in judge.failing(position, values) if stated else ():
                failure = Failure(claim, state_of(values))
                flag(claim.key, f"claim:{claim.key}", failure.message(path_to(node)))
            if position == len(campaign.steps):
                report.paths += count[node]
                if (ending_claim := fold.failing(values)) is not None:
                    failure = Failure(ending_claim, state_of(values))
                    flag(
                        ending_claim.key,
                        f"claim:{ending_claim.key}",
                        failure.message(path_to(node)),
                    )
                state = state_of(values)
                found = fold.ending(values)
                if found is None:
                    shown = reads.keep[position] - reads.folded[position]
                    kept = {d: state[d] for i, d in enumerate(dims) if i in shown}
                    flag(
                        ("endings",),
                        "end",
                        f"the path {path_to(node)} ends in {kept}, which matches no ending: "
                        "add an ending for it, or a catch-all ending with no `when` last",
                    )
                    continue
                ending = s.endings[found]
                report.endings[ending.id] += count[node]
                if not ending.simulated and values & fold.simulated:
                    flag(
                        ("endings", found),
                        "told",
                        f"ending {ending.id!r} is told as the record's (it has a `cite`), but "
                        f"a game reaches it after a simulated answer: {path_to(node)}; give it "
                        "a `when` that every simulated answer rules out (the `course` "
                        "convention: each simulated outcome also moves a dimension such as "
                        "`course` to `simulated`, and the record's endings want `course: "
                        "record`), or mark it `simulated: true`",
                    )
                continue
            produced = False
            weighs = reads.pressure[position + 1]
            for label, after, added, invented in _successors(campaign, moves, node):
                produced = True
                pressure = node[2] | added if weighs else frozenset()
                after = (after | (fold.simulated if invented else 0)) & keep[position + 1]
                nxt = (position + 1, fold.fold(position + 1, after), pressure)
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
        if position < len(campaign.steps):
            following = layers[position + 1]
            if not report.truncated and len(following) > max_nodes:
                report.truncated = True
                report.stopped = _limit_problem(
                    campaign, moves, fold, position, following, max_nodes
                )
            if report.truncated:
                del following[SAMPLE:]
    report.texts_failing = sum(kind.startswith("claim:") for kind in flagged)
    proof = proof or quick_walk(campaign, max_nodes)
    if report.truncated:
        report.proved = proof.sound
        report.possible = proof.endings
        if not report.proved and report.stopped is not None:
            report.problems.append(report.stopped)
    elif not report.problems:
        # The same verdicts as validate's: from the quick walk when it proves the file sound
        # (its endings and guard verdicts cover a superset of the games), else from this walk.
        endings: Iterable[str] = report.endings
        table = moves.table
        if proof.sound and proof.table is not None:
            endings, table = proof.endings, proof.table
        asked = proof.asked if proof.sound else report.decisions_reached
        report.problems += unreached_endings(campaign, endings)
        report.problems += unasked_decisions(campaign, asked)
        report.warnings += idle_guards(campaign, table) + idle_decisions(campaign)
    return report


def _check_invariants(
    s, nevers: list[PackedCondition], values: Packed, flag, path: Callable[[], str], which
) -> None:
    """Flag the invariants (of *which*, by index, or all; *nevers* their conditions over
    packed states) that *values* break."""
    invariants = s.machine.invariants
    for i in range(len(invariants)) if which is None else which:
        inv = invariants[i]
        if meets(nevers[i], values):
            flag(
                ("machine", "invariants", i, "never"),
                f"inv:{inv.id}",
                f"invariant {inv.id!r} broken after: {path()}",
            )


def _limit_problem(
    campaign: Campaign,
    moves: _Moves,
    fold: EndFold,
    position: int,
    layer: list,
    limit: int,
) -> Problem:
    """Where the walk passed *limit* nodes at one step, and everything the games going on
    from there differ in: each such dimension with its number of states and the last step
    that reads it, the endings still possible, the pressure measures taken; the product of
    these numbers bounds the number of games."""
    dims, packing = moves.dims, moves.packing
    last: dict[int, int] = {}
    for q in range(len(campaign.steps) - 1, position, -1):
        for i in step_reads(campaign.steps[q], moves.table)[0]:
            last.setdefault(i, q)
    for claim in campaign.claims:
        for i in {dims.index(d) for d in claim.reads}:
            if claim.position > position and claim.position > last.get(i, -1):
                last[i] = min(claim.position, len(campaign.steps) - 1)
    ending_dims = {dims.index(d) for e in campaign.scenario.endings for d in e.when}
    seen = {i: {node[1] & mask for node in layer} for i, mask in enumerate(packing.masks)}
    varied = sorted((i for i in seen if len(seen[i]) > 1), key=lambda i: (-len(seen[i]), i))
    groups: dict[tuple[int, str], list[str]] = {}  # (states, read by) → dimensions
    product = 1
    for i in varied:
        readers = []
        if i in last:
            key = _step_key(campaign, last[i])
            readers.append(f"until {dotted(key)} (line {campaign.file.located.where(key)[0]})")
        if i in ending_dims:
            readers.append("by the endings")
        by = ", and ".join(readers) or "by an invariant"
        groups.setdefault((len(seen[i]), by), []).append(dims[i])
        product *= len(seen[i])
    parts = [
        f"{', '.join(names)} ({states} states{' each' if len(names) > 1 else ''}, read {by})"
        for (states, by), names in groups.items()
    ]
    for bits, what in (
        (fold.start, "the endings still possible (of the dimensions only endings read)"),
        (fold.simulated, "whether a counterpart's answer was simulated"),
        (None, "the pressure measures taken"),
    ):
        found = {node[2] if bits is None else node[1] & bits for node in layer}
        if len(found) > 1:
            parts.append(f"{what} ({len(found)} combinations)")
            product *= len(found)
    differ = "; ".join(parts) or "their policy state"
    n = len(campaign.steps)
    return campaign.file.problem(
        _step_key(campaign, position),
        f"the walk of every game passed {limit:,} game states at this step (step "
        f"{position + 1} of {n}); {len(layer):,} different games go on from here (of "
        f"{product:,} combinations of what they differ in): {differ}. Later steps were walked "
        f"from a sample of {SAMPLE:,}: problems listed are real, others may remain. To fix: "
        "let fewer later decisions, guards, outcomes and texts read these dimensions (a "
        "dimension nothing reads later is not counted, and one only the endings read is "
        "folded into the endings still possible), merge dimensions that always change "
        "together, or split the campaign into files",
    )


Move = tuple[str, Packed, frozenset[str], Outcome | None, tuple[float, float] | None]
"""(label, policy state after, pressure measures added, the response outcome if any, and its
weight line `game.weight_line` in the state moved from)."""


class _Moves:
    """Where each step can go from a policy state, pressure aside: worked out once per
    combination of the dimensions the step reads, and applied to every state that has it.

    Nodes that differ only in pressure, or in dimensions the step does not read, share
    these. Moves are read from the Policy's transitions machines through a MoveTable.
    """

    def __init__(self, campaign: Campaign, policy: Policy, report: Report):
        self.campaign = campaign
        self.table = MoveTable(policy)
        self.dims = self.table.dims
        first = tuple(policy.state[d] for d in self.dims)
        self.packing = Packing([list(m.states) for m in policy.machines.values()], first)
        self.report = report
        self.reads = [sorted(step_reads(step, self.table)[0]) for step in campaign.steps]
        self.masks = [self.packing.mask(reads) for reads in self.reads]
        self.known: dict[tuple[int, Packed], list] = {}

    def __call__(self, position: int, values: Packed) -> list[Move]:
        key = (position, values & self.masks[position])
        changes = self.known.get(key)
        if changes is None:
            changes = self.known[key] = self._changes(position, key[1])
        return [
            (label, values & rest | bits, added, outcome, line)
            for label, rest, bits, added, outcome, line in changes
        ]

    def _changes(self, position: int, key: Packed) -> list:
        """The moves from the states whose read dimensions are *key*, each as the bits it
        leaves and the bits it sets."""
        packing = self.packing
        values = packing.unpack(key)  # what the step reads; the rest is not looked at
        changes = []
        for label, after, added, outcome, line in self._work_out(position, values):
            changed = [i for i in self.reads[position] if after[i] != values[i]]
            for i in changed:
                self.report.reachable[self.dims[i]].add(after[i])
            bits = sum(packing.field(i, after[i]) for i in changed)
            changes.append((label, ~packing.mask(changed), bits, added, outcome, line))
        return changes

    def _work_out(self, position: int, values: Values) -> list:
        step = self.campaign.steps[position]
        state = dict(zip(self.dims, values, strict=True))
        if not self.campaign.on_agenda(step, state):
            return [(f"{step.id} (not on the agenda)", values, frozenset(), None, None)]
        if step.response is not None:
            found = []
            for outcome in step.response.outcomes:
                if not holds(outcome.when, state):
                    continue
                moved = self._after(values, outcome.triggers)
                if moved is not None:
                    self.report.outcomes_seen.add((step.response.id, outcome.id))
                    line = weight_line(outcome, state)
                    found.append((f"{step.id}={outcome.id}", *moved, outcome, line))
            return found
        decision = step.decision
        assert decision is not None  # a step is a response or a decision
        self.report.decisions_reached.add(decision.id)
        by_id = {o.id: o for o in decision.options}
        found = []
        for choice in option_sets(decision):
            moved = self._after(values, [t for o in choice for t in by_id[o].triggers])
            if moved is not None:
                self.report.options_taken.update((decision.id, o) for o in choice)
                found.append((f"{decision.id}={'+'.join(choice)}", *moved, None, None))
        return found

    def _after(self, values: Values, triggers):
        """The state and pressure measures *triggers* lead to from *values*; None if refused."""
        labels = self.campaign.pressure_labels
        added = []
        for trigger in triggers:
            after = self.table.after(values, (trigger,))
            if after is None:
                return None
            values = after
            dim = self.table.routes[trigger][0]
            if (self.dims[dim], values[dim]) in labels:
                added.append(labels[self.dims[dim], values[dim]])
        return values, frozenset(added)


def _successors(campaign: Campaign, moves: _Moves, node: Node):
    """(label, policy state after, pressure measures added, whether it is a simulated
    answer) for each way on from *node*."""
    position, values, pressure = node
    found: list[Any] = moves(position, values)
    response = campaign.steps[position].response
    if response is not None and found and found[0][3] is not None:
        n = len(pressure)  # game.weight: the line at n pressure measures, clipped at 0
        found = [m for m in found if not m[3].simulated or m[4][0] + m[4][1] * n > 0]
        if not found:
            yield f"{response.id} (no answer)", values, frozenset(), False
    elif response is not None and not found:
        yield f"{response.id} (no answer)", values, frozenset(), False
    for label, after, added, outcome, _ in found:
        yield label, after, added, outcome is not None and outcome.simulated


def _step_key(campaign: Campaign, position: int) -> tuple:
    step = campaign.steps[position]
    s = campaign.scenario
    if step.response is not None:
        return ("responses", s.responses.index(step.response))
    assert step.decision is not None
    p = s.phases.index(step.phase)
    return ("phases", p, "decisions", step.phase.decisions.index(step.decision))
