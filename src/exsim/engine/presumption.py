"""What each text a player sees presumes of the game, and the judge the walks ask about it.

Every text shown during play or at its end — phase titles, briefings, situation and context
passages, questions, options (where offered), advisors' positions, guards' reasons (where they
refuse an offered option), the counterparts' answers (with their response's title, and why
they are plausible), endings, and state labels that say more than their state — presumes a
game state. A text says
which with `asserts`; a text that says nothing presumes **the record so far**: the state the
record path has reached where the text is shown, in every dimension. So wherever a game has
left that state, the walk requires a variant (a `when` that keeps the text away) or an
`asserts` saying what the text really presumes (`asserts: {}`: it holds whatever was
decided). The walks (`quickwalk`, `explore`) hand the judge the states they reach at each
agenda position; the judge names the texts whose presumption fails there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from exsim.engine.packed import Packed, PackedCondition, meets
from exsim.engine.policy import Policy, guard_condition, holds

if TYPE_CHECKING:
    from exsim.engine.campaign import Campaign


@dataclass(frozen=True)
class Claim:
    """A text shown at agenda *position* (the number of steps: at the end) while every one of
    *shown* holds and none of *unless* does. *asserts* is what it presumes, must then hold
    too: the text's own `asserts`, or the record's state there (*default*), or None where the
    record path stopped before it (nothing to presume: it must say)."""

    position: int
    key: tuple
    shown: tuple[dict, ...]
    asserts: dict | None
    default: bool = False
    unless: tuple[dict, ...] = ()

    @property
    def reads(self) -> set[str]:
        """The dimensions the claim reads: where it is shown and what it presumes."""
        conditions = (*self.shown, *self.unless, self.asserts or {})
        return {d for c in conditions for d in c}


def claims_of(campaign: Campaign) -> list[Claim]:
    """Every text of *campaign* shown in play, with where it is shown and what it presumes."""
    s = campaign.scenario
    record = record_states(campaign)
    out: list[Claim] = []

    def add(position: int, key: tuple, shown: tuple, text: Any, unless: tuple = ()) -> None:
        if text.asserts is not None:
            out.append(Claim(position, key + ("asserts",), shown, text.asserts, False, unless))
        else:
            presumed = record[position] if position < len(record) else None
            out.append(Claim(position, key, shown, presumed, True, unless))

    at: dict[int, int] = {
        id(step.decision or step.response): n for n, step in enumerate(campaign.steps)
    }
    guards = s.machine.guards
    refusals: set[tuple[int, int, str, str]] = set()
    for p, phase in enumerate(s.phases):
        start = campaign.phase_start[phase.id]
        played = phase.when or {}
        add(start, ("phases", p), (played,), phase)
        for i, passage in enumerate(phase.situation):
            add(start, ("phases", p, "situation", i), (played, passage.when or {}), passage)
        for d, decision in enumerate(phase.decisions):
            n = at[id(decision)]
            step_when = campaign.steps[n].when or {}
            key = ("phases", p, "decisions", d)
            add(n, key, (step_when,), decision)
            for i, passage in enumerate(decision.context):
                add(n, key + ("context", i), (step_when, passage.when or {}), passage)
            for i, option in enumerate(decision.options):
                starts = campaign.applies_from(option)  # an option is offered only there
                if starts is not None:
                    add(n, key + ("options", i), (step_when, starts), option)
                    for g, shown, unless in _refusals(campaign, option, (step_when, starts)):
                        mark = (n, g, repr(shown), repr(unless))
                        if mark not in refusals:  # one claim for options refused alike
                            refusals.add(mark)
                            add(n, ("machine", "guards", g), shown, guards[g], unless)
            for i, advocacy in enumerate(decision.record.advocates if decision.record else ()):
                add(n, key + ("record", "advocates", i), (step_when,), advocacy)
    for r, role in enumerate(s.roles):
        for b, briefing in enumerate(role.briefings):
            phase = next(ph for ph in s.phases if ph.id == briefing.phase)
            shown = (phase.when or {}, briefing.when or {})
            add(campaign.phase_start[phase.id], ("roles", r, "briefings", b), shown, briefing)
    for r, response in enumerate(s.responses):
        n = at[id(response)]
        for i, outcome in enumerate(response.outcomes):
            shown = (campaign.steps[n].when or {}, outcome.when)
            add(n, ("responses", r, "outcomes", i), shown, outcome)
    end = len(campaign.steps)
    for i, dim in enumerate(s.machine.dimensions):
        for j, state in enumerate(dim.states):
            if state.asserts is not None:  # else its label presumes the state itself: holds
                for position in range(end):
                    where = ("machine", "dimensions", i, "states", j)
                    add(position, where, ({dim.id: state.id},), state)
    for i, ending in enumerate(s.endings):
        above = tuple(e.when for e in s.endings[:i])
        add(end, ("endings", i), (ending.when,), ending, above)
    return out


def _refusals(campaign: Campaign, option: Any, shown: tuple) -> Iterator[tuple]:
    """Where a guard's reason is shown at *option*, offered where *shown* holds: (the guard's
    index, where it is shown, unless) for each guard of the option's moves that may refuse
    one. A guard reads the state its move starts from, after the option's earlier moves."""
    index = {g.id: i for i, g in enumerate(campaign.scenario.machine.guards)}
    moved: dict[str, str] = {}
    for trigger in (campaign.triggers[t] for t in option.triggers):
        for gid in trigger.guards:
            guard = campaign.scenario.machine.guards[index[gid]]
            condition, met = _after_moves(guard_condition(guard), moved)
            if guard.unless is not None and met:  # refuses while its condition holds
                yield index[gid], (*shown, condition), ()
            elif guard.unless is None:  # refuses while its condition fails
                yield index[gid], shown, ((condition,) if met else ())
        moved[trigger.dimension] = trigger.dest


def _after_moves(condition: Mapping, moved: dict[str, str]) -> tuple[dict, bool]:
    """*condition* once the dimensions *moved* stand where the moves put them: the part left
    to read from the state, and whether the moved part holds."""
    met = holds({d: v for d, v in condition.items() if d in moved}, moved)
    return {d: v for d, v in condition.items() if d not in moved}, met


def record_states(campaign: Campaign) -> list[dict[str, str]]:
    """The state the record path has before each agenda position (and at the end), as far as
    it goes: it stops at a decision whose record is a gap, or a recorded choice or answer the
    rules refuse."""
    policy = Policy(campaign.machines)
    choices = campaign.record_choices
    states: list[dict[str, str]] = []
    for step in campaign.steps:
        states.append(policy.state)
        if not campaign.on_agenda(step, policy.state):
            continue
        if step.decision is not None:
            if step.decision.id not in choices:
                return states
            by_id = {o.id: o for o in step.decision.options}
            triggers = [t for o in choices[step.decision.id] for t in by_id[o].triggers]
        else:
            assert step.response is not None
            possible = [
                o
                for o in step.response.outcomes
                if holds(o.when, policy.state) and policy.check(o.triggers) is None
            ]
            if not possible:
                continue  # no answer
            cited = [o for o in possible if not o.simulated]
            if not cited:
                return states  # a simulated answer: the record path ends here
            triggers = list(cited[0].triggers)
        if policy.check(triggers) is not None:
            return states
        policy.apply(triggers)
    states.append(policy.state)
    return states


@dataclass(frozen=True)
class Failure:
    """A claim whose presumption does not hold in a state where it is shown."""

    claim: Claim
    state: dict[str, str]

    def message(self, path: str) -> str:
        claim = self.claim
        if claim.asserts is None:
            return (
                "this text is shown after the record path has stopped (at a decision the "
                f"record does not settle), so it cannot presume the record; after: {path}. "
                "Say what it presumes with `asserts` (`asserts: {}` if it holds whatever was "
                "decided)"
            )
        state, asserts = self.state, claim.asserts
        found = {d: state[d] for d in asserts if not holds({d: asserts[d]}, state)}
        if claim.default:
            wanted = {d: claim.asserts[d] for d in found}
            return (
                f"this text states no `asserts`, so it presumes the record so far "
                f"({conditions(wanted)}), but it is shown where {conditions(found)}, after: "
                f"{path}. Write a variant for that state (one text per state, each with a "
                "`when`), or say what the text presumes with `asserts` (`asserts: {}` if it "
                "holds whatever was decided)"
            )
        return (
            f"this text states {conditions(claim.asserts)} but is shown where "
            f"{conditions(found)}, after: {path}; give it a `when` (one variant per state)"
        )


def conditions(condition: dict) -> str:
    """A condition as readers see it: 'quarantine: lifted, il28: in_cuba or removed'."""
    return ", ".join(
        f"{d}: {' or '.join(v) if isinstance(v, list) else v}" for d, v in condition.items()
    )


NEVER: PackedCondition = ((0, frozenset()),)
"""A packed condition no state meets: a text with nothing to presume fails wherever shown."""


class Judge:
    """The claims of a campaign packed for a walk: *packed* turns a condition into a
    PackedCondition over that walk's packing."""

    def __init__(self, claims: Iterable[Claim], packed: Callable[[dict | None], PackedCondition]):
        self.at: dict[int, list[tuple[Claim, list, list, PackedCondition]]] = {}
        self.checked = 0
        for claim in claims:
            self.checked += 1
            shown = [packed(c) for c in claim.shown]
            unless = [packed(c) for c in claim.unless]
            asserts = NEVER if claim.asserts is None else packed(claim.asserts)
            self.at.setdefault(claim.position, []).append((claim, shown, unless, asserts))

    def conditions(self, position: int) -> list[PackedCondition]:
        """Every condition the claims at *position* read (to narrow a layer by)."""
        return [
            c
            for _, shown, unless, asserts in self.at.get(position, ())
            for c in (*shown, *unless, asserts)
            if c is not NEVER
        ]

    def failing(self, position: int, values: Packed) -> list[Claim]:
        """The claims at *position* shown in the state *values* whose presumption fails."""
        return [
            claim
            for claim, shown, unless, asserts in self.at.get(position, ())
            if all(meets(c, values) for c in shown)
            and not any(meets(c, values) for c in unless)
            and not meets(asserts, values)
        ]
