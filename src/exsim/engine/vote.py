"""Who decides an item, and how a group vote is counted and settled: one rule for the game
around one screen and for the class.

An item is decided by its chair when the group plays by the chair's word and a player holds the
chair; otherwise by the vote of the roles asked to recommend. The vote binds: its winners are
the decision, and a tie is settled by `TIE_RULE`, which the screens show.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from exsim.engine.game import GameError, option_triggers
from exsim.scenario.model import Decision

if TYPE_CHECKING:
    from exsim.engine.campaign import Campaign
    from exsim.engine.game import Game

Rule = Literal["chair", "vote"]
"""How a group decides: its chair's word (where a player holds the chair), or its vote."""

TIE_RULE = "a tie goes to the option listed first among those tied"


@dataclass(frozen=True)
class Vote:
    """The recommendations counted: the winning options, or a tie to settle."""

    tally: dict[str, int]
    winners: tuple[str, ...]
    tied: bool


def deciding_role(
    campaign: Campaign, decision: Decision, rule: Rule | str, seated: Collection[str]
) -> str | None:
    """The role whose player decides *decision*: its chair, under the chair rule, when a player
    holds it (*seated* are the roles played); None when the group votes."""
    chair = campaign.decider(decision)
    return chair if rule == "chair" and chair in seated else None


def asked(
    campaign: Campaign, decision: Decision, rule: Rule | str, seated: Collection[str]
) -> list[str]:
    """The roles asked to recommend on *decision*: never the player who decides it (a
    recommendation to themself, counted nowhere)."""
    chair = deciding_role(campaign, decision, rule, seated)
    return [r for r in campaign.recommenders(decision) if r != chair]


def count_votes(
    decision: Decision,
    recommendations: Mapping[str, tuple[str, ...]],
    offered: Collection[str] | None = None,
) -> Vote:
    """Most votes win for 'one'; for 'many', each option a majority picked. Several leaders
    (for 'many': no option a majority picked) are a tie, and no vote at all is one too. The
    tally names the options *offered* (all the decision's if None), in the decision's order."""
    tally = Counter(p for picks in recommendations.values() for p in picks)
    counts = {o.id: tally[o.id] for o in decision.options if offered is None or o.id in offered}
    top = max(counts.values(), default=0)
    if top == 0:
        return Vote(counts, (), True)
    leaders = tuple(o for o, n in counts.items() if n == top)
    if decision.select == "many":
        majority = tuple(o for o, n in counts.items() if 2 * n > len(recommendations))
        return Vote(counts, majority or leaders, not majority)
    return Vote(counts, leaders, len(leaders) > 1)


@dataclass(frozen=True)
class Verdict:
    """A vote counted and settled: the options it takes, and whether the tie rule chose."""

    vote: Vote
    chosen: tuple[str, ...]
    by_tie_rule: bool


def settle(
    game: Game, decision: Decision, recommendations: Mapping[str, tuple[str, ...]]
) -> Verdict | None:
    """The vote's decision: its winners; on a tie (or winners the policy or the options refuse
    together), `TIE_RULE` over the leaders, then over every option; None if no option can be
    taken."""
    statuses = game.options(decision)
    vote = count_votes(decision, recommendations, {o.id for o in statuses})
    allowed = [o.id for o in statuses if o.allowed]
    if not vote.tied and game.policy.check(option_triggers(decision, vote.winners)) is None:
        try:
            game.check_options(decision, list(vote.winners))
            return Verdict(vote, vote.winners, False)
        except GameError:  # winners that may not go together (an option taken alone): the rule
            pass
    top = max(vote.tally.values(), default=0)
    leaders = [o for o, n in vote.tally.items() if n == top and top > 0]
    for option in [*leaders, *allowed]:
        if option in allowed:
            return Verdict(vote, (option,), True)
    return None
