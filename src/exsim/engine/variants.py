"""Every variant of one phase's texts a player could be shown: the states some game opens the
phase in (and brings each of its decisions up in), grouped by the texts they show.

The states are walked from the start over a superset of the games (every outcome whose
condition and moves allow it, pressure aside, as the quick walk does), keeping only the
dimensions some step up to the end of the phase, or a text of the phase, reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from exsim.engine.campaign import Campaign, Step, shown
from exsim.engine.game import option_sets
from exsim.engine.policy import Policy, holds
from exsim.engine.reads import step_reads
from exsim.engine.table import MoveTable, Values

State = dict[str, str]


@dataclass(frozen=True)
class Variant:
    """The texts shown in some of the states a text is reached in."""

    states: tuple[State, ...]
    """Those states, over the dimensions the phase's texts read."""
    texts: tuple[str, ...]


@dataclass(frozen=True)
class Part:
    """A text of the phase (its situation, a role's briefings, a decision) and its variants;
    a decision no game brings up has none."""

    title: str
    variants: tuple[Variant, ...]


def phase_variants(campaign: Campaign, phase_id: str) -> tuple[list[str], list[Part]]:
    """The dimensions *phase_id*'s texts read, and each of its texts' variants."""
    s = campaign.scenario
    phase = next((p for p in s.phases if p.id == phase_id), None)
    if phase is None:
        known = ", ".join(p.id for p in s.phases)
        raise LookupError(f"no phase {phase_id!r} in this scenario (phases: {known})")
    table = MoveTable(Policy(campaign.machines))
    dims = table.dims
    start = campaign.phase_start[phase.id]
    end = start + sum(1 for st in campaign.steps if st.phase is phase)
    texts = [*phase.situation, *(b for r in s.roles for b in r.briefings if b.phase == phase.id)]
    texts += [x for d in phase.decisions for x in (d, *d.context)]
    read = {d for t in texts for d in (getattr(t, "when", None) or {})} | set(phase.when or {})
    read_dims = [d for d in dims if d in read]
    needed = [set(read) for _ in range(end + 1)]
    for q in range(end - 1, -1, -1):
        needed[q] = needed[q + 1] | {dims[i] for i in step_reads(campaign.steps[q], table)[0]}
    first = tuple(Policy(campaign.machines).state[d] for d in dims)
    layer = {_only(first, first, dims, needed[0])}
    at: dict[int, set[Values]] = {}
    for position in range(end):
        at[position] = layer
        step = campaign.steps[position]
        layer = {
            _only(after, first, dims, needed[position + 1])
            for values in layer
            for after in _ways_on(campaign, step, table, values)
        }

    def state(values: Values) -> State:
        return {d: v for d, v in zip(dims, values, strict=True) if d in read}

    opened = [state(v) for v in at.get(start, layer) if holds(phase.when, state(v))]
    situation = _grouped(opened, phase.situation, lambda st: shown(phase.situation, st))
    parts = [Part("Situation", situation)]
    for role in s.roles:
        mine = [b for b in role.briefings if b.phase == phase.id]
        if mine:
            variants = _grouped(
                opened, mine, lambda st, r=role.id: campaign.briefings(r, phase, st)
            )
            parts.append(Part(f"Briefing of {role.name}", variants))
    for n, decision in enumerate(phase.decisions):
        step = campaign.steps[start + n]
        up = [
            state(v)
            for v in at[start + n]
            if campaign.on_agenda(step, dict(zip(dims, v, strict=True)))
        ]
        parts.append(
            Part(
                f"Decision {decision.id}: {decision.question}",
                _grouped(
                    up, [decision, *decision.context], lambda st, d=decision: shown(d.context, st)
                ),
            )
        )
    return read_dims, parts


def _grouped(states: list[State], texts: list, texts_of) -> tuple[Variant, ...]:
    """*states* grouped by the *texts* shown in them (`texts_of`), each state told only by
    the dimensions those texts' conditions read."""
    read = {d for t in texts for d in (t.when or {})}
    groups: dict[tuple[str, ...], list[State]] = {}
    for full in sorted(states, key=lambda st: tuple(st.values())):
        st = {d: v for d, v in full.items() if d in read}
        told = tuple(t.text for t in texts_of(full))
        group = groups.setdefault(told, [])
        if st not in group:
            group.append(st)
    return tuple(Variant(tuple(g), told) for told, g in groups.items())


def _only(values: Values, first: Values, dims: list[str], kept: set[str]) -> Values:
    """*values* with the dimensions not *kept* set back to where they started."""
    return tuple(v if d in kept else f for v, f, d in zip(values, first, dims, strict=True))


def _ways_on(campaign: Campaign, step: Step, table: MoveTable, values: Values) -> list[Values]:
    state = dict(zip(table.dims, values, strict=True))
    if not campaign.on_agenda(step, state):
        return [values]
    if step.decision is not None:
        by_id = {o.id: o for o in step.decision.options}
        found = []
        for choice in option_sets(step.decision):
            after = table.after(values, [t for o in choice for t in by_id[o].triggers])
            if after is not None:
                found.append(after)
        return found
    found = [values]  # a counterpart may not answer (every weight spent)
    assert step.response is not None
    for outcome in step.response.outcomes:
        if holds(outcome.when, state):
            after = table.after(values, outcome.triggers)
            if after is not None:
                found.append(after)
    return found
