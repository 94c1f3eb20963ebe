"""What each agenda position of a campaign still reads: the parts of a game a walk must keep.

Two games that agree on every dimension some later step, ending or invariant still reads
have the same future, so a walk keeps only those dimensions (and pressure, while a later
response weighs it) and merges the rest. A dimension nothing reads afterwards is dropped
from the walk's nodes; without this, every dimension multiplies the count.
"""

from __future__ import annotations

from exsim.engine.campaign import Campaign, Step
from exsim.engine.table import MoveTable


class Reads:
    """For each agenda position (0 … number of steps), what a walk node there must keep."""

    def __init__(
        self,
        keep: list[frozenset[int]],
        pressure: list[bool],
        readers: list[dict[int, int]],
        checks: list[tuple[int, ...]],
        folded: list[frozenset[int]],
    ):
        self.keep = keep
        """Dimension indices kept at each position."""
        self.pressure = pressure
        """Whether pressure is still read (by a later weight) at each position."""
        self.readers = readers
        """At each position, for each kept dimension, the last step that reads it (-1: the
        endings, -2: an invariant)."""
        self.checks = checks
        """The invariants (by index) a node at each position must check: those over a
        dimension the step before moved (all at the start); the others cannot have changed
        since they were last checked."""
        self.folded = folded
        """Dimensions (kept) that from each position on only the endings read and nothing
        moves: a walk may fold them into which endings are still possible (`endfold`), so
        rounds of a campaign that the endings all judge add, not multiply. Grows with the
        position; the last position folds nothing new."""


def step_reads(step: Step, table: MoveTable) -> tuple[set[int], set[int]]:
    """The dimensions *step* reads (conditions, moves and their guards), and those it moves."""
    dims = table.dims
    reads = {dims.index(d) for d in step.when or {}}
    triggers: list[str] = []
    if step.decision is not None:
        triggers = [t for o in step.decision.options for t in o.triggers]
    else:
        assert step.response is not None
        for outcome in step.response.outcomes:
            reads |= {dims.index(d) for d in outcome.when}
            reads |= {dims.index(d) for m in outcome.modifiers for d in m.when}
            triggers += outcome.triggers
    moves = {table.routes[t][0] for t in triggers}
    for t in triggers:
        reads |= table.reads[t]
    return reads, moves


def reads_of(campaign: Campaign, table: MoveTable) -> Reads:
    """What each position of *campaign*'s agenda still reads."""
    s = campaign.scenario
    dims = table.dims
    n = len(campaign.steps)
    per_step = [step_reads(step, table) for step in campaign.steps]
    endings = {dims.index(d) for e in s.endings for d in e.when}
    invariants = [{dims.index(d) for d in inv.never} for inv in s.machine.invariants]
    weighs = [
        step.response is not None
        and any(m.per_pressure for o in step.response.outcomes for m in o.modifiers)
        for step in campaign.steps
    ]
    moved_after: list[set[int]] = [
        set() for _ in range(n + 1)
    ]  # dimensions moved by this step or a later one
    for q in range(n - 1, -1, -1):
        moved_after[q] = moved_after[q + 1] | per_step[q][1]
    shown: list[set[int]] = [
        set() for _ in range(n + 1)
    ]  # dimensions texts shown at a position read
    for claim in campaign.claims:
        shown[claim.position] |= {dims.index(d) for d in claim.reads}
    keep: list[frozenset[int]] = [frozenset()] * (n + 1)
    pressure = [False] * (n + 1)
    readers: list[dict[int, int]] = [{}] * (n + 1)
    last: dict[int, int] = dict.fromkeys(endings, -1)
    later_pressure = False
    for position in range(n, -1, -1):
        if position < n:
            reads, _ = per_step[position]
            for i in reads:
                last.setdefault(i, position)
            later_pressure = later_pressure or weighs[position]
        for i in shown[position]:
            last.setdefault(i, position if position < n else -1)
        # An invariant is checked at a node on the state the previous step left, so its
        # dimensions are kept while that step or a later one moves any of them.
        moved = moved_after[max(position - 1, 0)]
        kept = dict(last)
        for inv in invariants:
            if inv & moved:
                for i in inv:
                    kept.setdefault(i, -2)
        keep[position] = frozenset(kept)
        readers[position] = kept
        pressure[position] = later_pressure
    # Read by this step or a later one; the texts shown at the end (the endings') are judged
    # with the endings, so what only they read may be folded too (`endfold`).
    read_after: list[set[int]] = [set() for _ in range(n + 1)]
    for q in range(n - 1, -1, -1):
        read_after[q] = read_after[q + 1] | per_step[q][0] | shown[q]
    judged = endings | shown[n]
    folded: list[frozenset[int]] = [frozenset()] * (n + 1)
    for position in range(1, n):
        checked = moved_after[position - 1]
        folded[position] = frozenset(
            i
            for i in keep[position]
            if i in judged
            and i not in read_after[position]
            and i not in moved_after[position]
            and not any(i in inv and inv & checked for inv in invariants)
        )
    folded[n] = folded[n - 1] if n else frozenset()
    checks = [tuple(range(len(invariants)))]
    checks += [
        tuple(k for k, inv in enumerate(invariants) if inv & per_step[p - 1][1])
        for p in range(1, n + 1)
    ]
    return Reads(keep, pressure, readers, checks, folded)
