"""The policy machines as a table of moves, for walks over many states.

Read from a built Policy's own transitions machines (their events, the transitions of each
event by source state, and the guard each condition was given), so it says what the machines
say, with the machines' rule: the first transition from the current state whose conditions
all pass is taken; none passing, or none from that state, is a refusal. A test fires every
trigger from every state both ways and compares.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from operator import itemgetter

from exsim.engine.policy import Policy, guard_condition

Values = tuple[str, ...]
"""A policy state as the values of the dimensions, in the Policy's order."""

Condition = tuple[tuple[int, frozenset[str]], ...]
"""A scenario condition over Values: (dimension index, the states allowed) pairs."""


def condition(wanted: Mapping[str, str | list[str]] | None, dims: Sequence[str]) -> Condition:
    """*wanted* (dimension → state or states, as `holds` reads it) over Values of *dims*."""
    return tuple(
        (dims.index(dim), frozenset([w] if isinstance(w, str) else w))
        for dim, w in (wanted or {}).items()
    )


def meets(cond: Condition, values: Values) -> bool:
    """Whether *values* satisfy *cond*: `holds`, for Values."""
    for i, allowed in cond:  # noqa: SIM110 - a plain loop: all() costs twice as much here
        if values[i] not in allowed:
            return False
    return True


class MoveTable:
    """Where each trigger takes a policy state; each answer worked out once."""

    def __init__(self, policy: Policy):
        self.dims = list(policy.machines)
        self.routes: dict[str, tuple[int, dict[str, list[tuple[str, list]]]]] = {}
        for i, machine in enumerate(policy.machines.values()):
            for trigger, event in machine.events.items():
                self.routes[trigger] = (
                    i,
                    {
                        source: [
                            (
                                t.dest,
                                [
                                    (
                                        condition(guard_condition(c.func.guard), self.dims),
                                        c.target,
                                        c.func.guard.id,
                                    )
                                    for c in t.conditions
                                ],
                            )
                            for t in moves
                        ]
                        for source, moves in event.transitions.items()
                    },
                )
        self.reads: dict[str, set[int]] = {
            trigger: {i}
            | {
                j
                for moves in by_source.values()
                for _, conds in moves
                for cond, _, _ in conds
                for j, _ in cond
            }
            for trigger, (i, by_source) in self.routes.items()
        }
        """The dimensions (by index) a trigger's result depends on: its own, and its guards'."""
        self._key_of = {t: itemgetter(*sorted(reads)) for t, reads in self.reads.items()}
        self._known: dict[tuple[str, object], str | None] = {}
        """(trigger, the values of the dimensions it reads) → the state it moves its own
        dimension to, or None if refused."""
        self.tried: set[str] = set()
        """Guards (by id) asked about a move, in the states this table has seen."""
        self.passed: set[str] = set()
        """Guards that let a move through at least once."""

    def after(self, values: Values, triggers: Iterable[str]) -> Values | None:
        """The state after *triggers*, fired in order from *values*; None if one is refused."""
        known = self._known
        for trigger in triggers:
            key = (trigger, self._key_of[trigger](values))
            if key in known:
                dest = known[key]
            else:
                dest = known[key] = self._fire(trigger, values)
            if dest is None:
                return None
            i = self.routes[trigger][0]
            values = (*values[:i], dest, *values[i + 1 :])
        return values

    def _fire(self, trigger: str, values: Values) -> str | None:
        """Where *trigger* moves its dimension from *values*, or None if refused."""
        i, by_source = self.routes[trigger]
        for dest, conditions in by_source.get(values[i], ()):
            for cond, target, guard in conditions:
                lets_through = meets(cond, values) == target  # target False: an unless-guard
                self.tried.add(guard)
                if not lets_through:
                    break
                self.passed.add(guard)
            else:
                return dest
        return None
