"""One game: the agenda worked through in order, decisions applied, counterparts answering."""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from itertools import accumulate, product
from math import prod
from typing import Literal

from exsim.engine.campaign import Campaign, Step
from exsim.engine.policy import Change, Policy, Refusal, Refused, holds
from exsim.scenario.model import Decision, NextMove, Option, Outcome, Phase, Response

Mode = Literal["historical", "what-if"]
GROUP = "group"


class GameError(Exception):
    """A move the game cannot take, with a message that says what is offered instead."""


class ForcedAnswerError(GameError):
    """A forced counterpart answer that cannot happen where the game has come to."""


@dataclass(frozen=True)
class OptionStatus:
    """An option as offered now: allowed, or refused with the reason."""

    id: str
    label: str
    refusal: Refusal | None
    is_record: bool

    @property
    def allowed(self) -> bool:
        return self.refusal is None


@dataclass(frozen=True)
class Entry:
    """One line of the game's log."""

    kind: Literal["decision", "response", "skipped"]
    step: str
    phase: str
    date: str
    chosen: tuple[str, ...] = ()
    by: str | None = None
    recommendations: dict[str, tuple[str, ...]] = field(default_factory=dict)
    changes: tuple[Change, ...] = ()
    simulated: bool = False
    forced: bool = False

    def to_dict(self) -> dict:
        return asdict(self)


class Game:
    """A game of *campaign*; deterministic for a given seed, mode and sequence of moves."""

    def __init__(
        self,
        campaign: Campaign,
        seed: int = 0,
        mode: Mode = "historical",
        forced: dict[str, str] | None = None,
        start: tuple[int, dict[str, str]] | None = None,
    ):
        """*start*: the agenda position and policy state the game opens at (a preview of a
        phase, `preview.opened_at`); by default the campaign's start."""
        self.campaign = campaign
        self.seed = seed
        self.mode: Mode = mode
        self.forced = dict(forced or {})
        self.policy = Policy(campaign.machines)
        self.rng = random.Random(seed)
        self.position = 0
        self.log: list[Entry] = []
        self.pressure: list[str] = []
        self.states: list[dict[str, str]] = []  # the state before each agenda position reached
        self.first = 0  # the agenda position the game opened at
        if start is not None:
            self.first, state = start
            self.policy.set_state(state)
            self.position = self.first
            self.states = [self.state] * self.first
            self.pressure = [
                label
                for (dim, value), label in campaign.pressure_labels.items()
                if state[dim] == value
            ]
        self._check_forced()
        self._advance()

    # -- what is on the table ------------------------------------------------------------------

    @property
    def state(self) -> dict[str, str]:
        return self.policy.state

    @property
    def finished(self) -> bool:
        return self.position >= len(self.campaign.steps)

    @property
    def current(self) -> Step | None:
        return None if self.finished else self.campaign.steps[self.position]

    @property
    def open_decision(self) -> Decision:
        """The decision on the agenda now; GameError once the game is over."""
        return self._current_decision()

    @property
    def date(self) -> dt.date:
        if self.current:
            return self._step_date(self.current)
        return (
            dt.date.fromisoformat(self.log[-1].date)
            if self.log
            else self._step_date(self.campaign.steps[-1])
        )

    def phase_state(self, phase) -> dict[str, str] | None:
        """The state *phase* opened in, or None if the game has not reached it."""
        position = self.campaign.phase_start[phase.id]
        return self.states[position] if position < len(self.states) else None

    def phases_passed(self, after: int = -1) -> list[Phase]:
        """The phases the game has gone past since agenda position *after* without opening a
        decision of theirs (they have none, a press conference or an event the group only
        learns of, or every one was passed over), their own `when` holding: each phase whose
        situation must still reach the screen. The phase open now is not among them."""
        out = []
        for phase in self.campaign.scenario.phases:
            start = self.campaign.phase_start[phase.id]
            if not max(after, self.first - 1) < start <= self.position:
                continue
            if self.current is not None and phase is self.current.phase:
                continue
            if any(e.kind == "decision" and e.phase == phase.id for e in self.log):
                continue
            state = self.phase_state(phase)
            if state is not None and holds(phase.when, state):
                out.append(phase)
        return out

    @property
    def ending(self):
        return self.campaign.ending_for(self.state) if self.finished else None

    def next_moves(self) -> list[NextMove]:
        """The moves the group's adopted policy calls for now (and the machine allows)."""
        state = self.state
        return [
            n
            for n in self.campaign.scenario.machine.next_moves
            if holds(n.when, state) and self.policy.check([n.move]) is None
        ]

    def options(self, decision: Decision | None = None) -> list[OptionStatus]:
        """The current decision's options that apply now (`Campaign.offered`), each allowed
        or refused by the group's policy with its reason."""
        decision = decision or self._current_decision()
        record = set(decision.record.chosen or ()) if decision.record else set()
        return [
            OptionStatus(
                o.id, o.label, self._since(self.policy.check(list(o.triggers))), o.id in record
            )
            for o in self.campaign.offered(decision, self.state)
        ]

    def _since(self, refusal: Refusal | None) -> Refusal | None:
        """A refusal by where a dimension stands, with the step of this game that put it there
        and that step's citation when the game went as the record did."""
        if refusal is None or refusal.dimension is None:
            return refusal
        moved = (
            e
            for e in reversed(self.log)
            if any(c.dimension == refusal.dimension and c.source != c.dest for c in e.changes)
        )
        entry = next(moved, None)
        if entry is None:
            reason = f"{refusal.reason}; it has stood there since the game began"
            return Refusal(refusal.trigger, reason, (), None, refusal.dimension)
        day = dt.date.fromisoformat(entry.date)
        if entry.kind == "decision":
            d = self.campaign.decisions[entry.step]
            what = f"this game's decision on “{d.title}”"
            on_record = d.record is not None and set(d.record.chosen or ()) == set(entry.chosen)
            cite = tuple(d.record.cite) if on_record and d.record else ()
        else:
            response = next(r for r in self.campaign.scenario.responses if r.id == entry.step)
            outcome = next(o for o in response.outcomes if o.id == entry.chosen[0])
            what = f"the {'simulated ' * entry.simulated}answer “{response.title}”"
            cite = tuple(outcome.cite)
        reason = f"{refusal.reason}; it has stood there since {what} ({day.day} {day:%B %Y})"
        return Refusal(refusal.trigger, reason, cite, None, refusal.dimension)

    # -- moves ---------------------------------------------------------------------------------

    def decide(
        self,
        decision_id: str,
        chosen: list[str] | str,
        by: str | None = None,
        recommendations: Mapping[str, Sequence[str] | str] | None = None,
    ) -> Entry:
        """Take a decision; raise GameError (and change nothing) if it cannot be taken."""
        chosen = [chosen] if isinstance(chosen, str) else list(chosen)
        decision = self._current_decision(decision_id)
        by = self._check_decider(decision, by)
        self._check_options(decision, chosen)
        recs = self._check_recommendations(decision, recommendations or {})
        triggers = option_triggers(decision, chosen)
        try:
            changes = self.policy.apply(triggers)
        except Refused as exc:
            refusal = exc.refusal
            cites = self.campaign.cites_text(refusal.cite)
            raise GameError(f"{decision.id}: refused: {refusal.reason}{cites}") from None
        step = self.campaign.steps[self.position]
        entry = Entry(
            "decision",
            decision.id,
            step.phase.id,
            self._step_date(step).isoformat(),
            chosen=tuple(o.id for o in decision.options if o.id in chosen),
            by=by,
            recommendations=recs,
            changes=tuple(changes),
        )
        self._record(entry)
        self.position += 1
        self._advance()
        return entry

    # -- internals -----------------------------------------------------------------------------

    def _step_date(self, step: Step) -> dt.date:
        return step.response.date if step.response else step.phase.date

    def _record(self, entry: Entry) -> None:
        self.log.append(entry)
        for change in entry.changes:
            label = self.campaign.pressure_labels.get((change.dimension, change.dest))
            if label and label not in self.pressure:
                self.pressure.append(label)

    def _current_decision(self, decision_id: str | None = None) -> Decision:
        step = self.current
        responses = {r.id: r for r in self.campaign.scenario.responses}
        if decision_id in responses:
            outcomes = "|".join(o.id for o in responses[decision_id].outcomes)
            raise GameError(
                f"{decision_id!r} is a counterpart's response, not a decision: force its "
                f"outcome under `responses: {{{decision_id}: {outcomes}}}`"
            )
        if decision_id is not None and decision_id not in self.campaign.decisions:
            known = ", ".join(self.campaign.decisions)
            raise GameError(f"no decision {decision_id!r} in this scenario (decisions: {known})")
        if step is None:
            raise GameError("the game is over; no decision is open")
        if decision_id is not None and step.id != decision_id:
            raise GameError(
                f"{decision_id!r} is not on the agenda now; the open decision is {step.id!r}"
            )
        assert step.decision is not None  # the game stops only at decisions
        return step.decision

    def _check_decider(self, decision: Decision, by: str | None) -> str:
        decider = self.campaign.decider(decision) or GROUP
        if by is None or by == decider or by == GROUP:
            return by or decider
        if by not in self.campaign.roles:
            raise GameError(
                f"{decision.id}: no role {by!r} (roles: {', '.join(self.campaign.roles)})"
            )
        raise GameError(
            f"{decision.id}: {by!r} may not take this decision; it is taken by {decider!r}"
        )

    def _check_options(self, decision: Decision, chosen: list[str]) -> None:
        offered = [o.id for o in decision.options]
        unknown = [c for c in chosen if c not in offered]
        if unknown:
            listed = ", ".join(offered)
            raise GameError(
                f"{decision.id}: option {unknown[0]!r} is not offered (options: {listed})"
            )
        gone = [o for o in decision.options if o.id in chosen and not self._applies(o)]
        if gone:
            refusal = self._since(self.policy.check(list(gone[0].triggers)))
            why = f": {refusal.reason}" if refusal else ""
            raise GameError(
                f"{decision.id}: option {gone[0].id!r} does not apply now{why} "
                f"(options now: {', '.join(o.id for o in self.options(decision))})"
            )
        if not chosen or (decision.select == "one" and len(chosen) != 1):
            many = "one or more" if decision.select == "many" else "exactly one"
            raise GameError(f"{decision.id}: choose {many} of: {', '.join(offered)}")
        if len(set(chosen)) != len(chosen):
            raise GameError(f"{decision.id}: an option is chosen twice")
        for group in decision.exclusive:
            clash = [o for o in decision.options if o.id in group and o.id in chosen]
            if len(clash) > 1:
                named = " and ".join(f"'{o.label}' ({o.id})" for o in clash)
                raise GameError(f"{decision.id}: {named} exclude each other; choose one of them")

    def _applies(self, option: Option) -> bool:
        return self.campaign.applies(option, self.state)

    def _check_recommendations(
        self, decision: Decision, recs: Mapping[str, Sequence[str] | str]
    ) -> dict[str, tuple[str, ...]]:
        allowed = self.campaign.recommenders(decision)
        out: dict[str, tuple[str, ...]] = {}
        for role, picks in recs.items():
            if role not in allowed:
                asked = ", ".join(allowed)
                raise GameError(
                    f"{decision.id}: {role!r} is not asked to recommend (asked: {asked})"
                )
            picks = [picks] if isinstance(picks, str) else list(picks)
            self._check_options(decision, picks)
            out[role] = tuple(picks)
        return out

    def _check_forced(self) -> None:
        responses = {r.id: r for r in self.campaign.scenario.responses}
        for rid, oid in self.forced.items():
            if rid not in responses:
                raise GameError(f"no response {rid!r} to force (responses: {', '.join(responses)})")
            offered = [o.id for o in responses[rid].outcomes]
            if oid not in offered:
                raise GameError(f"{rid}: no outcome {oid!r} (outcomes: {', '.join(offered)})")

    def _advance(self) -> None:
        """Play responses and skip decisions not on the agenda until a decision is open."""
        while len(self.states) <= self.position:
            self.states.append(self.state)
        steps = self.campaign.steps
        while not self.finished:
            step = steps[self.position]
            if step.decision is None:
                if holds(step.when, self.state):  # after a phase passed over: no answer
                    self._respond(step)
            elif self.campaign.on_agenda(step, self.state):
                return
            else:
                self._record(
                    Entry("skipped", step.id, step.phase.id, self._step_date(step).isoformat())
                )
            self.position += 1
            self.states.append(self.state)

    def _respond(self, step: Step) -> None:
        response = step.response
        assert response is not None
        outcome = self._pick(response)
        if outcome is None:
            return
        changes = self.policy.apply(list(outcome.triggers))
        self._record(
            Entry(
                "response",
                response.id,
                step.phase.id,
                response.date.isoformat(),
                chosen=(outcome.id,),
                by=response.actor,
                changes=tuple(changes),
                simulated=outcome.simulated,
                forced=response.id in self.forced,
            )
        )

    def _pick(self, response: Response) -> Outcome | None:
        pressure = len(self.pressure)
        outcomes, cum = outcome_weights(response, self.policy, pressure, self.mode, self.forced)
        if cum is None:
            return outcomes[0] if outcomes else None
        return outcomes[draw(self.rng.random, cum)]


def outcome_weights(
    response: Response, policy: Policy, pressure: int, mode: Mode, forced: dict[str, str]
) -> tuple[list[Outcome], list[float] | None]:
    """How *response* is answered now: the outcomes and their cumulative weights for a draw,
    or (one outcome or none, None) when nothing is drawn. The one rule for Game and fast play."""
    state = policy.state
    candidates = applicable(response, policy, state)
    if response.id in forced:
        match = [o for o in candidates if o.id == forced[response.id]]
        if not match:
            wanted = forced[response.id]
            possible = ", ".join(o.id for o in candidates) or "none"
            raise ForcedAnswerError(
                f"response {response.id!r}: the forced outcome {wanted!r} cannot happen in "
                f"this game's state (possible here: {possible})"
            )
        return match[:1], None
    if mode == "historical":
        recorded = [o for o in candidates if not o.simulated]
        if recorded:
            return recorded[:1], None
    cum = list(accumulate(weight(o, state, pressure) for o in candidates))
    if not candidates or cum[-1] <= 0:
        return [], None
    return candidates, cum


def draw(random: Callable[[], float], cum: list[float]) -> int:
    """Index drawn from cumulative weights *cum* (what `Random.choices` does, one call)."""
    return bisect(cum, random() * cum[-1], 0, len(cum) - 1)


def option_triggers(decision: Decision, chosen: list[str] | tuple[str, ...]) -> list[str]:
    """The moves a choice fires, in the order of the decision's options."""
    return [t for o in decision.options if o.id in chosen for t in o.triggers]


def applicable(response: Response, policy: Policy, state: dict[str, str]) -> list[Outcome]:
    """Outcomes whose condition holds in *state* (the policy's) and whose moves it allows."""
    return [
        o for o in response.outcomes if holds(o.when, state) and policy.check(o.triggers) is None
    ]


def weight(outcome: Outcome, state: dict[str, str], pressure: int) -> float:
    """An outcome's drawing weight in *state* after *pressure* pressure measures."""
    base, per_pressure = weight_line(outcome, state)
    return max(base + per_pressure * pressure, 0.0)


def weight_line(outcome: Outcome, state: dict[str, str]) -> tuple[float, float]:
    """An outcome's weight in *state* before clipping at zero, as base + per_pressure × n."""
    base, per_pressure = outcome.weight, 0.0
    for mod in outcome.modifiers:
        if holds(mod.when, state):
            base += mod.add
            per_pressure += mod.per_pressure
    return base, per_pressure


def option_sets(decision: Decision, limit: int = 63) -> list[tuple[str, ...]]:
    """Every choice a decision allows: each option, or for 'many' each non-empty set that takes
    at most one option of each exclusive group (beyond *limit* sets: each option alone, and
    the first of every group together)."""
    ids = [o.id for o in decision.options]
    if decision.select == "one":
        return [(i,) for i in ids]
    grouped = {o for group in decision.exclusive for o in group}
    groups = [list(g) for g in decision.exclusive] + [[i] for i in ids if i not in grouped]
    if prod(len(g) + 1 for g in groups) - 1 > limit:
        return [(i,) for i in ids] + [tuple(i for i in ids if any(i == g[0] for g in groups))]
    sets = []
    for picks in product(*[[None, *g] for g in groups]):
        chosen = {p for p in picks if p is not None}
        if chosen:
            sets.append(tuple(i for i in ids if i in chosen))
    return sorted(sets, key=lambda c: (len(c), [ids.index(i) for i in c]))
