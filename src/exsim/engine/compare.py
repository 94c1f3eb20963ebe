"""A game set beside the record: decision by decision, per-role alignment, the outcome."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from exsim.engine.campaign import Campaign
from exsim.engine.game import Entry, Game, GameError, Mode
from exsim.engine.policy import Policy


@dataclass(frozen=True)
class DecisionComparison:
    """One decision: what the game chose beside what ExComm decided."""

    decision: str
    title: str
    chosen: tuple[str, ...] | None  # None: not on this game's agenda
    record: tuple[str, ...] | None  # None: the record has nothing for it
    matches: bool | None
    recommendations: dict[str, tuple[str, ...]]
    cite: tuple[str, ...]
    discussion: tuple[str, ...]
    gap: str | None = None  # the record does not say what was decided: why
    only_option: bool = False  # the game left one option open: the choice was not free


@dataclass(frozen=True)
class Comparison:
    """The whole game beside the record."""

    decisions: list[DecisionComparison]
    simulated_responses: list[str]
    divergence: int
    ending: str | None
    record_ending: str | None
    alignment: dict[str, float | None] = field(default_factory=dict)
    record_stops: str | None = None
    """The decision where the record path stops, the record not saying what was decided
    there (record_ending is then None)."""

    def to_dict(self) -> dict:
        return asdict(self)


def play_record(campaign: Campaign, seed: int = 0) -> Game:
    """A game that takes every recorded choice, in historical mode, as far as the record
    goes: at a decision where the record does not say what was decided (a gap) it stops,
    unfinished, with that decision open; nothing after it can be compared."""
    game = Game(campaign, seed=seed)
    choices = campaign.record_choices
    while not game.finished and game.open_decision.id in choices:
        game.decide(game.open_decision.id, choices[game.open_decision.id])
    return game


def play(
    campaign: Campaign,
    choices: dict[str, list[str]],
    seed: int = 0,
    mode: Mode = "historical",
    forced: dict[str, str] | None = None,
) -> Game:
    """Play *choices* (decision → options) through; every open decision must be in it."""
    game = Game(campaign, seed=seed, mode=mode, forced=forced)
    while not game.finished:
        decision = game.open_decision
        if decision.id not in choices:
            raise GameError(f"{decision.id}: no choice given for this decision")
        game.decide(decision.id, choices[decision.id])
    return game


def compare(game: Game) -> Comparison:
    """Set *game* beside the record."""
    campaign = game.campaign
    taken = {e.step: e for e in game.log if e.kind == "decision"}
    forced = only_option_taken(game)
    rows = []
    for d in campaign.decisions.values():
        entry: Entry | None = taken.get(d.id)
        record = tuple(d.record.chosen or ()) if d.record and d.record.says else None
        chosen = entry.chosen if entry else None
        matches = None if record is None or chosen is None else set(chosen) == set(record)
        rows.append(
            DecisionComparison(
                d.id,
                d.title,
                chosen,
                record,
                matches,
                dict(entry.recommendations) if entry else {},
                tuple(d.record.cite) if d.record else (),
                tuple(d.discussion) if matches is False else (),
                campaign.record_gap(d) if record is None else None,
                d.id in forced,
            )
        )
    record_game = play_record(campaign, game.seed)
    reached_record = {e.step for e in record_game.log if e.kind == "decision"}
    # a decision the record took and a finished game never reached: its road left the record
    # earlier (an unfinished game may still reach it; a preview opened later never could)
    reached_record -= {step.id for step in campaign.steps[: game.first]}
    divergence = sum(1 for r in rows if r.matches is False) + game.finished * sum(
        1 for r in rows if r.decision in reached_record and r.chosen is None
    )
    simulated = [e.step for e in game.log if e.kind == "response" and e.simulated]
    ending = game.ending.id if game.ending else None
    return Comparison(
        rows,
        simulated,
        divergence + len(simulated),
        ending,
        record_game.ending.id if record_game.ending else None,
        alignment(game),
        None if record_game.finished else record_game.open_decision.id,
    )


def alignment(game: Game) -> dict[str, float | None]:
    """Per role: the share of its recommendations that match what that person argued.

    Only decisions where the record gives the person's position, recorded that day, count
    (`Campaign.counted_positions`); None where none do.
    """
    scores: dict[str, list[bool]] = {}
    forced = only_option_taken(game)
    for entry in game.log:
        if entry.kind != "decision" or entry.step in forced:
            continue
        argued = game.campaign.counted_positions(game.campaign.decisions[entry.step])
        for role, picks in entry.recommendations.items():
            if role in argued:
                scores.setdefault(role, []).append(bool(set(picks) & set(argued[role].options)))
    return {role: sum(s) / len(s) for role, s in scores.items()}


def only_option_taken(game: Game) -> set[str]:
    """The decisions *game* took when only one of their options was open: not free choices,
    so not set against what anyone argued."""
    campaign = game.campaign
    policy = Policy(campaign.machines)
    forced = set()
    for position, step in enumerate(campaign.steps):
        if step.decision is None or position >= len(game.states):
            continue
        state = game.states[position]
        if not campaign.on_agenda(step, state):
            continue  # passed over: not reached, so not a choice at all
        policy.set_state(state)
        d = step.decision
        open_ = [o for o in campaign.offered(d, state) if policy.check(list(o.triggers)) is None]
        if d.select == "one" and len(open_) == 1:
            forced.add(d.id)
    return forced
