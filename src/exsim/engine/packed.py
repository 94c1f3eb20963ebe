"""Policy states packed into one int, for walks over many states.

Each dimension is a bit field of the int holding its state's number: 0 for its initial
state, then 1, 2, … for the others in the dimension's order. A walk also sets to 0 a
dimension nothing reads any more (one `reads` no longer keeps), so dimensions not yet moved
or no longer read cost nothing, and the ints stay small. Reading the dimensions a rule
depends on is then one `&`, and moving one is a `&` and an `|`, where Values tuples are
rebuilt element by element. Where a trigger goes is asked of the MoveTable (the transitions
machines' own moves), once per combination of the dimensions it reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from exsim.engine.table import Condition, MoveTable, Values

Packed = int
"""A policy state (or the part of one some rule reads) as bit fields."""

PackedCondition = tuple[tuple[int, frozenset[int]], ...]
"""A condition over packed states: (the fields of some dimensions, the values of those fields
together that it allows) pairs; dimensions are taken together while at most COMBINED
combinations are allowed, so most conditions are one `&` and one set lookup."""

COMBINED = 64

_UNKNOWN = object()  # not asked yet (None is an answer: refused)


class Packing:
    """How a policy state is packed: *states* are each dimension's states, *initial* the
    state each starts in."""

    def __init__(self, states: Sequence[Sequence[str]], initial: Values):
        self.names: list[list[str]] = [
            [first, *(name for name in names if name != first)]
            for names, first in zip(states, initial, strict=True)
        ]
        self.codes = [{name: code for code, name in enumerate(names)} for names in self.names]
        self.shifts: list[int] = []
        self.masks: list[int] = []
        shift = 0
        for names in self.names:
            width = (len(names) - 1).bit_length()
            self.shifts.append(shift)
            self.masks.append(((1 << width) - 1) << shift)
            shift += width

    def pack(self, values: Values) -> Packed:
        """A full policy state, packed."""
        return sum(self.codes[i][value] << self.shifts[i] for i, value in enumerate(values))

    def unpack(self, packed: Packed) -> Values:
        """The policy state *packed* holds (a dimension set to 0: its initial state)."""
        return tuple(
            self.names[i][(packed & mask) >> self.shifts[i]] for i, mask in enumerate(self.masks)
        )

    def field(self, i: int, value: str) -> int:
        """Dimension *i* holding *value*, as bits in place."""
        return self.codes[i][value] << self.shifts[i]

    def mask(self, dims: Iterable[int]) -> int:
        """The bits of the dimensions *dims* (by index)."""
        out = 0
        for i in dims:
            out |= self.masks[i]
        return out

    def condition(self, cond: Condition) -> PackedCondition:
        """*cond* (over Values) over packed states."""
        out: list[tuple[int, frozenset[int]]] = []
        mask, combos = 0, {0}
        for i, allowed in cond:
            fields = [self.field(i, v) for v in allowed]
            if len(combos) * len(fields) > COMBINED:
                out.append((mask, frozenset(combos)))
                mask, combos = 0, {0}
            mask |= self.masks[i]
            combos = {c | f for c in combos for f in fields}
        if mask:
            out.append((mask, frozenset(combos)))
        return tuple(out)


def meets(cond: PackedCondition, packed: Packed) -> bool:
    """Whether *packed* satisfies *cond* (`table.meets`, for packed states)."""
    for mask, allowed in cond:  # noqa: SIM110 - a plain loop: all() costs twice as much here
        if packed & mask not in allowed:
            return False
    return True


class PackedMoves:
    """Where triggers take a packed state, read from a MoveTable (which also keeps the
    guards' verdicts) once per combination of the dimensions each trigger reads."""

    def __init__(self, table: MoveTable, packing: Packing):
        self.table = table
        self.packing = packing
        self._moves: dict[str, tuple[int, int, dict]] = {
            trigger: (packing.mask(reads), ~packing.masks[table.routes[trigger][0]], {})
            for trigger, reads in table.reads.items()
        }
        """trigger → (the bits it reads, the bits it leaves, known: read bits → its
        dimension's new field, or None if refused)."""

    def moved(self, triggers: Iterable[str]) -> int:
        """The bits of the dimensions *triggers* move."""
        return self.packing.mask(self.table.routes[t][0] for t in triggers)

    def reads(self, triggers: Iterable[str]) -> int:
        """The bits of the dimensions where *triggers* go depends on."""
        return self.packing.mask(i for t in triggers for i in self.table.reads[t])

    def after(self, packed: Packed, triggers: Iterable[str]) -> Packed | None:
        """The state after *triggers*, fired in order from *packed*; None if one is refused."""
        for trigger in triggers:
            reads, keeps, known = self._moves[trigger]
            key = packed & reads
            dest = known.get(key, _UNKNOWN)
            if dest is _UNKNOWN:
                dest = known[key] = self._fire(trigger, key)
            if dest is None:
                return None
            packed = packed & keeps | dest
        return packed

    def _fire(self, trigger: str, key: Packed) -> int | None:
        values = self.packing.unpack(key)
        moved = self.table.after(values, (trigger,))
        if moved is None:
            return None
        i = self.table.routes[trigger][0]
        return self.packing.field(i, moved[i])
