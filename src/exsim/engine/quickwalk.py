"""A quick proof that no path breaks a rule, walked over a superset of the paths.

The exact walk (`explore`) follows nodes of (agenda position, policy state, pressure taken).
Pressure matters only through the weights of simulated response outcomes, so this walk
forgets it: it keeps an outcome if any possible pressure count gives it weight, and the
"no answer" path if any count leaves no outcome. Every exact path is then among these, so
finding no broken invariant, dead end or path without an ending here proves the exact walk
finds none either. When something is found, the exact walk runs to report it with an example.

States are packed into ints (`packed`), one bit field per dimension. Each step is worked out
once per combination of the dimensions it reads (its conditions, and the dimensions its
triggers move or their guards read), then applied to every state of a layer with that
combination. States are kept only in the dimensions later steps, endings and invariants still
read (`reads`), so dimensions nothing reads any more do not multiply the count, and
dimensions only the endings still read are folded into which endings remain possible
(`endfold`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from exsim.engine.campaign import Campaign, Step
from exsim.engine.endfold import EndFold
from exsim.engine.game import option_sets
from exsim.engine.packed import Packed, PackedCondition, PackedMoves, Packing, meets
from exsim.engine.policy import Policy
from exsim.engine.presumption import Judge
from exsim.engine.reads import reads_of, step_reads
from exsim.engine.table import MoveTable, condition
from exsim.scenario.model import Outcome


@dataclass(frozen=True)
class Proof:
    """What the quick walk showed. When *sound*, *endings* are the endings some game may
    reach and *table* the moves tried (its guards' verdicts); every real game is among them."""

    sound: bool
    endings: frozenset[str] = frozenset()
    table: MoveTable | None = None
    asked: frozenset[str] = frozenset()
    """The decisions some game puts on the agenda."""


def quick_walk(campaign: Campaign, max_nodes: int) -> Proof:
    """The quick walk over a superset of *campaign*'s games (see the module's docstring)."""
    s = campaign.scenario
    policy = Policy(campaign.machines)
    table = MoveTable(policy)
    first = tuple(policy.state[d] for d in table.dims)
    packing = Packing([list(machine.states) for machine in policy.machines.values()], first)
    moves = PackedMoves(table, packing)
    reads = reads_of(campaign, table)
    fold = EndFold(campaign, packing, reads, table.dims)
    keep = fold.keep

    def packed(wanted: dict | None) -> PackedCondition:
        return packing.condition(condition(wanted, table.dims))

    invariants = [packed(inv.never) for inv in s.machine.invariants]
    endings = fold.endings
    most_pressure = len(set(campaign.pressure_labels.values()))
    end = len(campaign.steps)
    judge = Judge([c for c in campaign.claims if c.position < end], packed)  # endings': `fold`
    start = packing.pack(first)
    if any(meets(never, start) for never in invariants):
        return Proof(False)
    layer: set[Packed] = {start & keep[0] | fold.start}
    asked: set[str] = set()
    for position, step in enumerate([*campaign.steps, None]):
        if len(layer) > max_nodes:  # the limit is per step: rounds add, they do not multiply
            return Proof(False)
        checks = [invariants[k] for k in reads.checks[position]]
        stated = judge.at.get(position)
        if checks or stated:
            keys = _narrowed(layer, [*checks, *judge.conditions(position)])
            if any(meets(never, key) for key in keys for never in checks):
                return Proof(False)
            if stated and any(judge.failing(position, key) for key in keys):
                return Proof(False)
        if step is None:
            break
        advance = _by_reads(
            _work(campaign, step, moves, most_pressure, fold.simulated, asked),
            packing.mask(step_reads(step, table)[0]),
        )
        nxt = advance(layer, keep[position + 1], keep[position + 1] != keep[position])
        if nxt is None:
            return Proof(False)
        if fold.folding(position + 1):
            nxt = {fold.fold(position + 1, values) for values in nxt}
        layer = nxt
    if any(fold.failing(values) for values in layer):
        return Proof(False)  # an ending's text shown where what it presumes does not hold
    reached = set()
    left = {values & (_bits(endings) | fold.simulated) for values in layer}
    for ending, when in zip(s.endings, endings, strict=True):
        taken = {key for key in left if meets(when, key)}
        if taken:
            reached.add(ending.id)
            left -= taken
        if not ending.simulated and any(key & fold.simulated for key in taken):
            return Proof(False)  # the record's ending after a simulated answer
    if left:  # a game that matches no ending
        return Proof(False)
    return Proof(True, frozenset(reached), table, frozenset(asked))


def _narrowed(layer: set[Packed], conditions: Iterable[PackedCondition]) -> set[Packed]:
    """The combinations of the dimensions *conditions* read that occur in *layer*: each
    condition is then judged once per combination, not once per state."""
    read = _bits(conditions)
    return {values & read for values in layer}


def _bits(conditions: Iterable[PackedCondition]) -> int:
    """The bits of every dimension *conditions* read."""
    read = 0
    for cond in conditions:
        for mask, _ in cond:
            read |= mask
    return read


Change = tuple[int, int]
"""What a way on from a state does: the bits of the dimensions it moves, and their new bits
((0, 0): nothing moves)."""

STAY: Change = (0, 0)

Work = Callable[[Packed], Collection[Change]]
"""The ways on from a state (only the dimensions a step reads); none at a dead end."""

Advance = Callable[[set[Packed], int, bool], set[Packed] | None]
"""The states a step leads to from a layer of states, keeping the bits given (dropping the
others when told to); None if one of the states is a dead end."""


def _work(
    campaign: Campaign,
    step: Step,
    moves: PackedMoves,
    most_pressure: int,
    simulated: int,
    asked: set[str],
) -> Work:
    """The ways on from a state at *step*; a simulated answer sets the bit *simulated*, and a
    decision some state puts on the agenda is added to *asked*."""
    dims = moves.table.dims
    packing = moves.packing

    def packed(wanted: dict | None) -> PackedCondition:
        return packing.condition(condition(wanted, dims))

    when = packed(step.when)
    if step.decision is not None:
        decision = step.decision
        by_id = {o.id: o for o in decision.options}
        sets = {tuple(t for o in c for t in by_id[o].triggers) for c in option_sets(decision)}
        choices = {(triggers, moves.moved(triggers)) for triggers in sets}
        starts = [campaign.applies_from(o) for o in decision.options]
        applies = [packed(c) for c in starts if c is not None]

        def decide(key: Packed) -> Collection[Change]:
            if not meets(when, key) or not any(meets(a, key) for a in applies):
                return (STAY,)  # not on the agenda
            asked.add(decision.id)
            found: set[Change] = set()
            for triggers, moved in choices:
                after = moves.after(key, triggers)
                if after is not None:
                    found.add((moved, after & moved))
            return found

        return decide
    assert step.response is not None
    outcomes = [
        _outcome(o, moves, packed, most_pressure, simulated) for o in step.response.outcomes
    ]
    answers: dict[tuple, Collection[Change]] = {}

    def respond(key: Packed) -> Collection[Change]:
        if not meets(when, key):
            return (STAY,)
        seen = tuple([outcome(key) for outcome in outcomes])
        if seen not in answers:
            answers[seen] = _answers(seen, most_pressure)
        return answers[seen]

    return respond


Seen = tuple[Change, bool, float, float] | None
"""How an outcome of a response looks from a state: None if it cannot happen there, else
its change, whether it is simulated, and its weight line (base, per pressure measure)."""


def _outcome(
    o: Outcome,
    moves: PackedMoves,
    packed: Callable[[dict | None], PackedCondition],
    most_pressure: int,
    simulated: int,
) -> Callable[[Packed], Seen]:
    """*o* as seen from a state, worked out once per combination of the dimensions its
    condition, modifiers and triggers read (`game.weight_line`'s rule for its weight); a
    simulated outcome also sets the bit *simulated*."""
    marks = simulated if o.simulated else 0
    possible = packed(o.when)
    modifiers = [(packed(m.when), m.add, m.per_pressure) for m in o.modifiers]
    moved = moves.moved(o.triggers)
    reads = moves.reads(o.triggers) | _bits([possible, *(m for m, _, _ in modifiers)])
    known: dict[Packed, Seen] = {}

    def seen(key: Packed) -> Seen:
        key &= reads
        if key in known:
            return known[key]
        found = None
        after = moves.after(key, o.triggers) if meets(possible, key) else None
        if after is not None:
            base, per = o.weight, 0.0
            for cond, add, per_pressure in modifiers:
                if meets(cond, key):
                    base += add
                    per += per_pressure
            if not o.simulated or base > 0 or base + per * most_pressure > 0:
                found = ((moved | marks, after & moved | marks), o.simulated, base, per)
        known[key] = found
        return found

    return seen


def _answers(seen: tuple[Seen, ...], most_pressure: int) -> set[Change]:
    """The ways on a response leaves, from how its outcomes look: every outcome that can
    happen, and "no answer" if no recorded one can and some pressure count leaves every
    simulated one without weight."""
    found = {o[0] for o in seen if o is not None}
    cited = any(o is not None and not o[1] for o in seen)
    lines = [(o[2], o[3]) for o in seen if o is not None]
    if not cited and _silent_at_some_count(lines, most_pressure):
        found.add(STAY)  # some pressure count leaves no answer
    return found


def _silent_at_some_count(lines: list[tuple[float, float]], most: int) -> bool:
    """Whether, for some pressure count 0 … *most*, every weight line base + per × n is 0 or
    less (so the counterpart does not answer)."""
    for n in range(most + 1):
        for base, per in lines:
            if base + per * n > 0:
                break
        else:
            return True
    return False


def _by_reads(work: Work, reads: int) -> Advance:
    """*work*, done once per combination of the dimensions it reads (the bits *reads*) and
    applied to every state of a layer with that combination (the states it leaves unchanged
    in one go)."""

    def advance(layer: set[Packed], keep: int, dropping: bool) -> set[Packed] | None:
        groups: dict[Packed, list[Packed]] = {}
        for values in layer:
            key = values & reads
            same = groups.get(key)
            if same is None:
                groups[key] = [values]
            else:
                same.append(values)
        nxt: set[Packed] = set()
        for key, same in groups.items():
            changes = work(key)
            if not changes:
                return None
            for moved, bits in changes:
                if not moved and not dropping:
                    nxt.update(same)
                else:
                    rest, bits = ~moved & keep, bits & keep
                    nxt.update([values & rest | bits for values in same])
        return nxt

    return advance
