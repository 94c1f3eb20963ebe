"""Which endings a game may still reach, kept as bits beside its packed policy state.

An ending holds when each dimension its `when` names is in a listed state. Once no later
step reads or moves a dimension, and no invariant is checked on it any more, its state
matters only to the endings: a walk can then replace it by one bit per ending, "this
ending's condition still holds on the dimensions folded so far". The first ending whose bit
is set and whose condition holds on the dimensions not folded is the game's ending, as
before; but rounds of a campaign that each have their own dimensions, all judged by the
endings, then add to the walk's count instead of multiplying it.

The text of each ending presumes a state (`presumption`): more bits, one per ending, keep
whether what it presumes still holds on the dimensions folded. One more bit marks a game in
which a counterpart gave a simulated answer, so that a walk can show that no such game ends
in an ending told as the record's (one with a `cite`).
"""

from __future__ import annotations

from exsim.engine.campaign import Campaign
from exsim.engine.packed import Packed, PackedCondition, Packing, meets
from exsim.engine.presumption import Claim
from exsim.engine.reads import Reads
from exsim.engine.table import condition


class EndFold:
    """The ending bits of *campaign*'s walk, over *packing* (whose fields it sits above)."""

    def __init__(self, campaign: Campaign, packing: Packing, reads: Reads, dims: list[str]):
        s = campaign.scenario
        n = len(s.endings)
        top = max((mask.bit_length() for mask in packing.masks), default=0)
        bits = [1 << (top + e) for e in range(n)]
        held = [1 << (top + n + e) for e in range(n)]
        told = any(not e.simulated for e in s.endings)
        invented = any(o.simulated for r in s.responses for o in r.outcomes)
        self.simulated = 1 << (top + 2 * n) if told and invented else 0
        """The bit of a game that had a simulated answer (0 when no ending could mind)."""
        at_end = len(campaign.steps)
        self.claims: dict[int, Claim] = {
            c.key[1]: c for c in campaign.claims if c.position == at_end and c.key[0] == "endings"
        }
        """Each ending's text, by the ending's index (what it presumes is judged here)."""
        presumed = [
            condition(self.claims[e].asserts, dims) if e in self.claims else () for e in range(n)
        ]
        self.start = sum(bits) + sum(held)
        """The bits a walk starts with: every ending still possible."""
        extra = self.start | self.simulated
        before = [frozenset(), *reads.folded[:-1]]
        self.keep = [
            packing.mask(kept - folded) | extra
            for kept, folded in zip(reads.keep, before, strict=True)
        ]
        """The bits a node keeps at each position: `reads.keep` less what was folded before
        it (what is folded there, `fold` turns into ending bits)."""
        wanted = [condition(e.when, dims) for e in s.endings]
        last = reads.folded[-1]

        def kept(cond, bit: int) -> PackedCondition:
            unfolded = packing.condition(tuple(c for c in cond if c[0] not in last))
            return (*unfolded, (bit, frozenset({bit})))

        self.endings: list[PackedCondition] = [
            kept(cond, bit) for cond, bit in zip(wanted, bits, strict=True)
        ]
        """Each ending's condition over a node's bits (its bit, and the dimensions kept)."""
        self.presumed: list[PackedCondition | None] = [
            None if e in self.claims and self.claims[e].asserts is None else kept(cond, bit)
            for e, (cond, bit) in enumerate(zip(presumed, held, strict=True))
        ]
        """What each ending's text presumes, likewise (None: it cannot presume anything)."""
        wanted = [*wanted, *presumed]
        bits = [*bits, *held]
        self.folds: list[tuple[int, list[tuple[int, PackedCondition]], dict[int, int]]] = []
        for position, folded in enumerate(reads.folded):
            new = folded - reads.folded[position - 1] if position else folded
            clauses = [
                (bit, packing.condition(tuple(c for c in cond if c[0] in new)))
                for cond, bit in zip(wanted, bits, strict=True)
                if any(c[0] in new for c in cond)
            ]
            self.folds.append((packing.mask(new), clauses, {}))

    def fold(self, position: int, values: Packed) -> Packed:
        """*values* at *position*, the dimensions folded there turned into ending bits."""
        mask, clauses, known = self.folds[position]
        if not mask:
            return values
        key = values & mask
        clear = known.get(key)
        if clear is None:
            clear = known[key] = mask | sum(b for b, cond in clauses if not meets(cond, key))
        return values & ~clear

    def folding(self, position: int) -> bool:
        """Whether dimensions are folded at *position*."""
        return bool(self.folds[position][0])

    def ending(self, values: Packed) -> int | None:
        """The index of the ending a finished game's node reaches, or None."""
        return next((e for e, cond in enumerate(self.endings) if meets(cond, values)), None)

    def failing(self, values: Packed) -> Claim | None:
        """The text of the ending a finished game's node reaches, if what it presumes does not
        hold there."""
        e = self.ending(values)
        if e is None or e not in self.claims:
            return None
        presumed = self.presumed[e]
        return self.claims[e] if presumed is None or not meets(presumed, values) else None
