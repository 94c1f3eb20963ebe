"""A group vote: the players' recommendations counted into the options to take."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from exsim.scenario.model import Decision


@dataclass(frozen=True)
class Vote:
    """The recommendations counted: the winning options, or a tie to settle."""

    tally: dict[str, int]
    winners: tuple[str, ...]
    tied: bool


def count_votes(decision: Decision, recommendations: Mapping[str, tuple[str, ...]]) -> Vote:
    """Most votes win for 'one'; for 'many', each option a majority picked (else the leaders)."""
    tally = Counter(p for picks in recommendations.values() for p in picks)
    counts = {o.id: tally[o.id] for o in decision.options}
    top = max(counts.values(), default=0)
    if top == 0:
        return Vote(counts, (), True)
    leaders = tuple(o for o, n in counts.items() if n == top)
    if decision.select == "many":
        majority = tuple(o for o, n in counts.items() if 2 * n > len(recommendations))
        return Vote(counts, majority or leaders, False)
    return Vote(counts, leaders, len(leaders) > 1)
