"""A quick proof that no path breaks a rule, walked over a superset of the paths.

The exact walk (`explore`) follows nodes of (agenda position, policy state, pressure taken).
Pressure matters only through the weights of simulated response outcomes, so this walk
forgets it: it keeps an outcome if any possible pressure count gives it weight, and the
"no answer" path if any count leaves no outcome. Every exact path is then among these, so
finding no broken invariant, dead end or path without an ending here proves the exact walk
finds none either. When something is found, the exact walk runs to report it with an example.

Each step is worked out once per combination of the dimensions it reads (its conditions,
and the dimensions its triggers move or their guards read), then applied to every state.
States are kept only in the dimensions later steps, endings and invariants still read
(`reads`), so dimensions nothing reads any more do not multiply the count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import itemgetter

from exsim.engine.campaign import Campaign, Step
from exsim.engine.game import option_sets
from exsim.engine.policy import Policy
from exsim.engine.reads import reads_of
from exsim.engine.table import Condition, MoveTable, Values, condition, meets


@dataclass(frozen=True)
class Proof:
    """What the quick walk showed. When *sound*, *endings* are the endings some game may
    reach and *table* the moves tried (its guards' verdicts); every real game is among them."""

    sound: bool
    endings: frozenset[str] = frozenset()
    table: MoveTable | None = None


def proves_sound(campaign: Campaign, max_nodes: int) -> bool:
    """True if no path of *campaign* can break an invariant, dead-end, miss an ending or
    show a text where what it asserts does not hold.

    False means "not proved": there may be a problem, or more than *max_nodes* states.
    """
    return quick_walk(campaign, max_nodes).sound


def quick_walk(campaign: Campaign, max_nodes: int) -> Proof:
    """The quick walk over a superset of *campaign*'s games (see the module's docstring)."""
    s = campaign.scenario
    policy = Policy(campaign.machines)
    table = MoveTable(policy)
    dims = table.dims
    reads = reads_of(campaign, table)
    invariants = [condition(inv.never, dims) for inv in s.machine.invariants]
    endings = [condition(e.when, dims) for e in s.endings]
    most_pressure = len(set(campaign.pressure_labels.values()))
    claims: dict[int, list] = {}
    for claim in campaign.claims:
        shown = [condition(c, dims) for c in claim.shown]
        claims.setdefault(claim.position, []).append((shown, condition(claim.asserts, dims)))
    start = tuple(policy.state[d] for d in dims)
    if any(meets(never, start) for never in invariants):
        return Proof(False)
    layer: set[Values] = {reads.project(0, start)}
    nodes = 0
    for position, step in enumerate([*campaign.steps, None]):
        nodes += len(layer)
        if nodes > max_nodes:
            return Proof(False)
        checks = [invariants[k] for k in reads.checks[position]]
        if checks:
            keys, nevers = _narrowed(layer, checks)
            if any(meets(never, key) for key in keys for never in nevers):
                return Proof(False)
        for shown, asserts in claims.get(position, ()):
            keys, (*seen, claimed) = _narrowed(layer, [*shown, asserts])
            for key in keys:
                if all(meets(c, key) for c in seen) and not meets(claimed, key):
                    return Proof(False)
        if step is None:
            break
        nxt = _moves(step, table, most_pressure)(layer)
        if nxt is None:
            return Proof(False)
        if reads.drops[position + 1]:
            nxt = {reads.project(position + 1, values) for values in nxt}
        layer = nxt
    reached = set()
    left, narrowed = _narrowed(layer, endings)
    for ending, when in zip(s.endings, narrowed, strict=True):
        taken = {values for values in left if meets(when, values)}
        if taken:
            reached.add(ending.id)
            left -= taken
    if left:  # a game that matches no ending
        return Proof(False)
    return Proof(True, frozenset(reached), table)


def _narrowed(layer: set[Values], conditions: list[Condition]):
    """The combinations of the dimensions *conditions* read that occur in *layer*, and the
    conditions rewritten over those combinations: each is judged once, not once per state."""
    read = sorted({i for cond in conditions for i, _ in cond})
    where = {i: k for k, i in enumerate(read)}
    narrowed = [tuple((where[i], allowed) for i, allowed in cond) for cond in conditions]
    if len(read) > 1:
        keys = set(map(itemgetter(*read), layer))
    else:
        keys = {tuple(values[i] for i in read) for values in layer}
    return keys, narrowed


Moves = Callable[[Values], list[Values]]
"""The states a step can lead to from a state; none at a dead end."""

Advance = Callable[[set[Values]], set[Values] | None]
"""The states a step leads to from a layer of states; None if one of them is a dead end."""


def _moves(step: Step, table: MoveTable, most_pressure: int) -> Advance:
    dims = table.dims
    when = condition(step.when, dims)
    if step.decision is not None:
        decision = step.decision
        by_id = {o.id: o for o in decision.options}
        choices = {tuple(t for o in c for t in by_id[o].triggers) for c in option_sets(decision)}

        def decide(values: Values) -> list[Values]:
            if not meets(when, values):
                return [values]
            return list({table.after(values, t) for t in choices} - {None})

        return _by_reads(decide, table, [when], choices)

    outcomes = [(condition(o.when, dims), o) for o in step.response.outcomes]
    # game.weight_line's rule, over Values: base + per_pressure × n from the modifiers that hold
    modifiers = {
        o.id: [(condition(m.when, dims), m.add, m.per_pressure) for m in o.modifiers]
        for _, o in outcomes
    }

    def respond(values: Values) -> list[Values]:
        if not meets(when, values):
            return [values]
        found: set[Values] = set()
        cited = False
        lines = []
        for possible, o in outcomes:
            moved = table.after(values, o.triggers) if meets(possible, values) else None
            if moved is None:
                continue
            if not o.simulated:
                cited = True
                found.add(moved)
                continue
            base, per = o.weight, 0.0
            for cond, add, per_pressure in modifiers[o.id]:
                if meets(cond, values):
                    base += add
                    per += per_pressure
            if base > 0 or base + per * most_pressure > 0:
                found.add(moved)
                lines.append((base, per))
        if not cited and _silent_at_some_count(lines, most_pressure):
            found.add(values)  # some pressure count leaves no answer
        return list(found)

    conditions = [when] + [w for w, _ in outcomes]
    conditions += [condition(m.when, dims) for _, o in outcomes for m in o.modifiers]
    return _by_reads(respond, table, conditions, [o.triggers for _, o in outcomes])


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


def _by_reads(
    work: Moves, table: MoveTable, conditions: Iterable[Condition], triggers: Iterable[Iterable]
) -> Advance:
    """*work*, done once per combination of the dimensions it reads and applied to every
    state of a layer with that combination (the states it leaves unchanged in one go)."""
    reads = sorted(
        {i for cond in conditions for i, _ in cond}
        | {i for ts in triggers for t in ts for i in table.reads[t]}
    )
    key_of = itemgetter(*reads) if reads else (lambda values: ())

    def advance(layer: set[Values]) -> set[Values] | None:
        groups: dict[object, list[Values]] = {}
        for values in layer:
            key = key_of(values)
            if key in groups:
                groups[key].append(values)
            else:
                groups[key] = [values]
        nxt: set[Values] = set()
        add = nxt.add
        for same in groups.values():
            first = same[0]
            afters = work(first)
            if not afters:
                return None
            for after in afters:
                change = [(i, after[i]) for i in reads if after[i] != first[i]]
                if not change:
                    nxt.update(same)
                elif len(change) == 1:
                    ((i, x),) = change
                    for values in same:
                        add((*values[:i], x, *values[i + 1 :]))
                else:
                    for values in same:
                        moved = list(values)
                        for i, x in change:
                            moved[i] = x
                        add(tuple(moved))
        return nxt

    return advance
