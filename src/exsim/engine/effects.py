"""Which decisions change the game: a decision whose options all make the same moves changes
nothing later, and must be declared a discussion item (`discussion_item: true`) to be meant."""

from __future__ import annotations

from typing import TYPE_CHECKING

from exsim.scenario.model import Decision
from exsim.scenario.problems import Problem

if TYPE_CHECKING:
    from exsim.engine.campaign import Campaign


def has_effect(decision: Decision) -> bool:
    """Whether choosing one option rather than another changes the game's state."""
    return len({tuple(o.triggers) for o in decision.options}) > 1


def idle_decisions(campaign: Campaign) -> list[Problem]:
    """Warnings for decisions that change nothing and are not declared discussion items."""
    found = []
    for p, phase in enumerate(campaign.scenario.phases):
        for d, decision in enumerate(phase.decisions):
            if has_effect(decision) or decision.discussion_item:
                continue
            found.append(
                campaign.file.problem(
                    ("phases", p, "decisions", d),
                    f"warning: decision {decision.id!r} changes nothing: its options all make "
                    "the same moves, so no choice here is met later in the game. Give an option "
                    "consequences (`triggers` that later outcomes, texts or endings read), or "
                    "declare it `discussion_item: true` so players are told",
                )
            )
    return found
