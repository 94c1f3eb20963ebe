"""The policy state machine: one `transitions` Machine per dimension, sharing one model.

Every trigger, state and guard name was checked against the scenario before this module
sees it, and guards are passed to transitions as Python callables, never as names, so no
scenario file can make transitions import or call anything.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from transitions import Machine, MachineError

from exsim.scenario.model import Guard, Scenario

State = dict[str, str]

SIMULATED_RULE = " (simulated: the game's own rule, not the record's)"
"""Added to the reason of a refusal by a simulated guard, wherever it is shown."""


def holds(condition: Mapping[str, str | list[str]] | None, state: Mapping[str, str]) -> bool:
    """Whether *state* satisfies a scenario condition (dimension → state or states)."""
    for dim, wanted in (condition or {}).items():
        if state[dim] != wanted and not (isinstance(wanted, list) and state[dim] in wanted):
            return False
    return True


@dataclass(frozen=True)
class Refusal:
    """Why a move cannot be made now, and the policy (with citations) behind it."""

    trigger: str
    reason: str
    cite: tuple[str, ...] = ()
    guard: str | None = None
    dimension: str | None = None  # set when the dimension's state, not a guard, refuses

    def __str__(self) -> str:
        cites = f" [{'; '.join(self.cite)}]" if self.cite else ""
        return f"{self.reason}{cites}"


class Refused(Exception):
    """A move was refused; nothing was changed."""

    def __init__(self, refusal: Refusal):
        self.refusal = refusal
        super().__init__(str(refusal))


@dataclass(frozen=True)
class Change:
    """One dimension moving from one state to another."""

    dimension: str
    source: str
    dest: str
    trigger: str


class _Model:
    """What the machines move for one Policy: each dimension is an attribute. Its own names
    start with an underscore, which no scenario id can."""

    def __init__(self, dims: list[str]):
        self._dims = dims
        self._failed: list[Guard] = []  # the guards that said no during the last fire

    def _state(self) -> State:
        return {dim: getattr(self, dim) for dim in self._dims}


class _Machine(Machine):
    """A Machine that binds no convenience methods on its models.

    Events are fired through ``machine.events`` by name; with model_override=True
    transitions would skip every binding anyway, logging a warning for each (15 per
    trigger), which was a third of the time to build a large policy.
    """

    def _checked_assignment(self, model, name, func) -> None:
        pass


def machine_config(scenario: Scenario, guard_fn: Callable[[Guard], Callable[..., bool]]):
    """Yield (dimension, Machine kwargs, transitions) for each dimension of *scenario*."""
    guards = {g.id: g for g in scenario.machine.guards}
    for dim in scenario.machine.dimensions:
        kwargs = dict(
            states=[s.id for s in dim.states],
            initial=dim.initial,
            model_attribute=dim.id,
            auto_transitions=False,
            send_event=True,  # guards read the model being moved from the event
            model_override=True,  # bind no convenience methods on the models
        )
        moves = [
            dict(
                trigger=t.id,
                source=list(t.source),
                dest=t.dest,
                conditions=[guard_fn(guards[g]) for g in t.guards if guards[g].unless is None],
                unless=[guard_fn(guards[g]) for g in t.guards if guards[g].unless is not None],
            )
            for t in scenario.machine.triggers
            if t.dimension == dim.id
        ]
        yield dim, kwargs, moves


class PolicyMachines:
    """A scenario's transitions machines, one per dimension, built once and shared: each
    Policy of the scenario is one more model they move. Guards read the model of the event.

    *verdicts* is where Policy.check remembers what it found, since guards depend on nothing
    but the state.
    """

    def __init__(self, scenario: Scenario):
        self.machines: dict[str, Machine] = {}
        self.dimension_of = {t.id: t.dimension for t in scenario.machine.triggers}
        self.labels = {t.id: t.label for t in scenario.machine.triggers}
        self.sources = {t.id: t.source for t in scenario.machine.triggers}
        self.state_labels = {
            (d.id, s.id): s.label for d in scenario.machine.dimensions for s in d.states
        }
        self.dimension_labels = {d.id: d.label for d in scenario.machine.dimensions}
        self.verdicts: dict[tuple, Refusal | None] = {}
        for dim, kwargs, moves in machine_config(scenario, _guard):
            machine = _Machine(model=None, **kwargs)
            for move in moves:
                machine.add_transition(**move)
            self.machines[dim.id] = machine


def guard_condition(guard: Guard) -> Mapping[str, str | list[str]]:
    """What *guard* asks of the state: its `unless` (refusing while it holds) or its `when`
    (allowing only while it holds)."""
    return guard.when or {} if guard.unless is None else guard.unless


def _guard(guard: Guard) -> Callable[..., bool]:
    """The guard as a transitions condition (or, for `unless`, an unless-condition): it says
    whether its condition holds, and records itself when that refuses the move."""
    refuses_when = guard.unless is not None
    condition = guard_condition(guard)

    def check(event) -> bool:
        met = holds(condition, event.model._state())
        if met == refuses_when:
            event.model._failed.append(guard)
        return met

    check.__name__ = guard.id
    check.guard = guard  # read by MoveTable
    return check


def _release(machines: dict[str, Machine], model: _Model) -> None:
    for machine in machines.values():
        machine.remove_model(model)


class Policy:
    """The policy state of one game, moved by scenario triggers through transitions."""

    def __init__(self, shared: PolicyMachines):
        self.machines = shared.machines
        self.dimension_of = shared.dimension_of
        self.shared = shared
        self.labels = shared.labels
        self.verdicts = shared.verdicts
        self.model = _Model(list(self.machines))
        for machine in self.machines.values():
            machine.add_model(self.model)
        weakref.finalize(self, _release, self.machines, self.model)

    @property
    def state(self) -> State:
        return self.model._state()

    def set_state(self, state: Mapping[str, str]) -> None:
        for dim, machine in self.machines.items():
            if getattr(self.model, dim) != state[dim]:
                machine.set_state(state[dim], model=self.model)

    def fire(self, trigger: str) -> Change:
        """Make one move, or raise Refused with the reason."""
        dim = self.dimension_of[trigger]
        before = getattr(self.model, dim)
        self.model._failed.clear()
        try:
            moved = self.machines[dim].events[trigger].trigger(self.model)
        except MachineError:
            raise Refused(
                Refusal(trigger, self._not_from(trigger, before), dimension=dim)
            ) from None
        if not moved:
            guard = self.model._failed[0]
            reason = f"{guard.reason}{SIMULATED_RULE if guard.simulated else ''}"
            raise Refused(Refusal(trigger, reason, tuple(guard.cite), guard.id))
        return Change(dim, before, getattr(self.model, dim), trigger)

    def _not_from(self, trigger: str, state: str) -> str:
        """A trigger refused by where its dimension stands, said as a sentence."""
        shared, dim = self.shared, self.dimension_of[trigger]
        starts = " or ".join(f"“{shared.state_labels[dim, s]}”" for s in shared.sources[trigger])
        return (
            f"“{self.labels[trigger]}” moves {shared.dimension_labels[dim]} only from {starts}, "
            f"not from “{shared.state_labels[dim, state]}”, where it stands now"
        )

    def apply(self, triggers: list[str]) -> list[Change]:
        """Make several moves in order, all or none: on a refusal the state is restored."""
        changes: list[Change] = []
        try:
            for trigger in triggers:
                changes.append(self.fire(trigger))
        except Refused:
            self.undo(changes)
            raise
        return changes

    def check(self, triggers: list[str]) -> Refusal | None:
        """Why *triggers* would be refused now, or None if they would all go through."""
        key = (tuple(triggers), *(getattr(self.model, dim) for dim in self.machines))
        if key in self.verdicts:
            return self.verdicts[key]
        try:
            self.undo(self.apply(triggers))
            verdict = None
        except Refused as exc:
            verdict = exc.refusal
        self.verdicts[key] = verdict
        return verdict

    def undo(self, changes: list[Change]) -> None:
        """Take back *changes* made by apply(); dimensions they did not move are untouched."""
        for change in reversed(changes):
            self.machines[change.dimension].set_state(change.source, model=self.model)
