"""Fast play: many games under one plan, as a loop of look-ups in a table the engine fills.

A game node is (policy state, pressure taken), interned as a small integer. For each agenda
step the table maps a node to what happens next: the node(s) reached, the cumulative weights
to draw from, the measured states entered. Every entry is computed the first time a game
needs it by the engine itself — the transitions machines through `Policy.apply`, the guards,
`outcome_weights` and `Campaign.on_agenda` — so no rule is written twice; the differential
tests prove that a table game and a `Game` end alike.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from exsim.engine.campaign import Campaign
from exsim.engine.game import Mode, draw, option_triggers, outcome_weights
from exsim.engine.measures import Trace, Value, values
from exsim.engine.policy import Change, Policy
from exsim.scenario.model import Decision

Allowed = Callable[[tuple[str, ...]], bool]
Chooser = Callable[[Decision, Allowed], tuple[tuple[str, ...], bool]]
"""Given a decision and a test of what the policy allows: the options taken, and whether
that is a fallback because the plan's own choice was refused."""

Key = tuple[int, tuple, int]  # final node, ((step, measured states first entered), …), fallbacks


@dataclass(frozen=True)
class Result:
    """What one game came to; equal results are counted together."""

    ending: str | None
    state: tuple[tuple[str, str], ...]
    pressure: tuple[str, ...]
    measures: tuple[tuple[str, Value], ...]
    fallbacks: int


def result(campaign: Campaign, trace: Trace, pressure: Iterable[str], fallbacks: int) -> Result:
    """The result of a game with *trace* (one way, for Game and table play alike)."""
    ending = campaign.ending_for(trace.state)
    return Result(
        ending.id if ending else None,
        tuple(trace.state.items()),
        tuple(sorted(pressure)),
        tuple(values(campaign, trace).items()),
        fallbacks,
    )


class FastPlay:
    """Games of *campaign* under *choose*, in *mode*, with optional forced responses."""

    def __init__(
        self,
        campaign: Campaign,
        choose: Chooser,
        mode: Mode = "what-if",
        forced: dict[str, str] | None = None,
    ):
        self.campaign = campaign
        self.choose = choose
        self.mode: Mode = mode
        self.forced = dict(forced or {})
        self.policy = Policy(campaign.machines)
        self.dims = list(self.policy.machines)
        self.watched = sorted(
            {(m.dimension or "", s) for m in campaign.scenario.measures for s in m.states}
        )
        self.bit = {pair: 1 << i for i, pair in enumerate(self.watched)}
        self.dates = [
            (st.response.date if st.response else st.phase.date).isoformat()
            for st in campaign.steps
        ]
        self.nodes: list[tuple[tuple[str, ...], frozenset[str]]] = []
        self.node_ids: dict[tuple[tuple[str, ...], frozenset[str]], int] = {}
        self.start = self._node(self.policy.state, frozenset())
        self.tables: list[dict[int, tuple]] = [{} for _ in campaign.steps]
        self._results: dict[Key, Result] = {}

    # -- play ----------------------------------------------------------------------------------

    def run(self, games: int, random: Callable[[], float]) -> Counter[Key]:
        """Play *games* games drawing from *random*; count them by how they ended."""
        counts: Counter[Key] = Counter()
        steps = list(enumerate(self.tables))
        fill = self._fill
        start = self.start
        for _ in range(games):
            node = start
            seen = 0
            firsts: tuple = ()
            fallbacks = 0
            for pos, table in steps:
                act = table.get(node) or fill(pos, node)
                cum = act[0]
                i = 0 if cum is None else draw(random, cum)
                node = act[1][i]
                hits = act[2][i] & ~seen
                if hits:
                    seen |= hits
                    firsts += ((pos, hits),)
                fallbacks += act[3]
            counts[node, firsts, fallbacks] += 1
        return counts

    def results(self, counts: Counter[Key]) -> Counter[Result]:
        """*counts* keyed by Result, which (unlike a node number) means the same everywhere."""
        out: Counter[Result] = Counter()
        for key, n in counts.items():
            out[self.result(key)] += n
        return out

    def result(self, key: Key) -> Result:
        found = self._results.get(key)
        if found is None:
            node, firsts, fallbacks = key
            state, pressure = self.nodes[node]
            entered = {
                pair: self.dates[pos]
                for pos, hits in firsts
                for pair in self.watched
                if hits & self.bit[pair]
            }
            trace = Trace(dict(zip(self.dims, state, strict=True)), len(pressure), entered)
            found = self._results[key] = result(self.campaign, trace, pressure, fallbacks)
        return found

    # -- the table -----------------------------------------------------------------------------

    def _node(self, state: dict[str, str], pressure: frozenset[str]) -> int:
        key = (tuple(state[d] for d in self.dims), pressure)
        found = self.node_ids.get(key)
        if found is None:
            found = self.node_ids[key] = len(self.nodes)
            self.nodes.append(key)
        return found

    def _fill(self, pos: int, node: int) -> tuple:
        """Work out step *pos* from *node* with the engine, and remember it."""
        state_values, pressure = self.nodes[node]
        state = dict(zip(self.dims, state_values, strict=True))
        step = self.campaign.steps[pos]
        policy = self.policy
        policy.set_state(state)
        act: tuple
        if not self.campaign.on_agenda(step, state):
            act = (None, (node,), (0,), 0)  # not on the agenda
        elif step.decision is not None:
            act = self._decide(step.decision, state, pressure, node)
        else:
            assert step.response is not None
            outcomes, cum = outcome_weights(
                step.response, policy, len(pressure), self.mode, self.forced
            )
            moves = [self._move(state, pressure, list(o.triggers)) for o in outcomes]
            moves = moves or [(node, 0)]
            act = (
                None if cum is None else tuple(cum),
                tuple(m[0] for m in moves),
                tuple(m[1] for m in moves),
                0,
            )
        self.tables[pos][node] = act
        return act

    def _decide(self, decision: Decision, state, pressure, node: int) -> tuple:
        def allowed(chosen: tuple[str, ...]) -> bool:
            self.policy.set_state(state)
            return self.policy.check(option_triggers(decision, chosen)) is None

        chosen, fell_back = self.choose(decision, allowed)
        nxt, hits = self._move(state, pressure, option_triggers(decision, chosen))
        return (None, (nxt,), (hits,), int(fell_back))

    def _move(self, state, pressure: frozenset[str], triggers: list[str]) -> tuple[int, int]:
        """The node after *triggers* from *state*, and the measured states they enter."""
        self.policy.set_state(state)
        changes: list[Change] = self.policy.apply(triggers)
        labels = self.campaign.pressure_labels
        taken = pressure | {
            labels[(c.dimension, c.dest)] for c in changes if (c.dimension, c.dest) in labels
        }
        hits = 0
        for c in changes:
            hits |= self.bit.get((c.dimension, c.dest), 0)
        return self._node(self.policy.state, frozenset(taken)), hits
