"""A game opened at a phase, for authors trying the part they are writing without playing
the campaign up to it: in a state they give, or the one the record path reaches there."""

from __future__ import annotations

from exsim.engine.campaign import Campaign
from exsim.engine.compare import play_record
from exsim.engine.game import Game, GameError, Mode
from exsim.engine.policy import holds


def parse_state(text: str) -> dict[str, str]:
    """``il28=removed, quarantine=lifted`` → a partial policy state (checked by `opened_at`)."""
    state = {}
    for part in text.split(","):
        dim, sep, value = (p.strip() for p in part.partition("="))
        if not sep or not dim or not value:
            raise GameError(
                f"{part.strip()!r}: write the state as DIMENSION=STATE, separated by commas "
                "(il28=removed,quarantine=lifted)"
            )
        state[dim] = value
    return state


def record_state(campaign: Campaign, phase_id: str) -> dict[str, str]:
    """The state the record path opens *phase_id* in; GameError where the path stops first."""
    phase = _phase(campaign, phase_id)
    game = play_record(campaign)
    state = game.phase_state(phase)
    if state is None:
        assert game.current is not None and game.current.decision is not None
        stop = game.current.decision
        raise GameError(
            f"the record path stops at decision {stop.id!r} before phase {phase.id!r} (the "
            f"record does not say what was decided: {campaign.record_gap(stop)}); give the "
            "state with --state DIMENSION=STATE,…"
        )
    return state


def opened_at(
    campaign: Campaign,
    phase_id: str,
    given: dict[str, str] | None = None,
    seed: int = 0,
    mode: Mode = "historical",
) -> Game:
    """A game whose agenda starts at phase *phase_id*, in the state the record path reaches
    there with *given* dimensions set over it. Its log starts at that phase."""
    phase = _phase(campaign, phase_id)
    try:
        base = record_state(campaign, phase_id)
    except GameError:
        if given is None:
            raise
        base = play_record(campaign).state  # where the record path stops
    state = {**base, **_checked(campaign, given or {})}
    if not holds(phase.when, state):
        raise GameError(
            f"phase {phase.id!r} is played only where {phase.when} holds, and the state given "
            f"is {state}: give a state where it holds"
        )
    return Game(campaign, seed=seed, mode=mode, start=(campaign.phase_start[phase.id], state))


def _phase(campaign: Campaign, phase_id: str):
    for phase in campaign.scenario.phases:
        if phase.id == phase_id:
            return phase
    known = ", ".join(p.id for p in campaign.scenario.phases)
    raise GameError(f"no phase {phase_id!r} in this scenario (phases: {known})")


def _checked(campaign: Campaign, given: dict[str, str]) -> dict[str, str]:
    dims = {d.id: [s.id for s in d.states] for d in campaign.scenario.machine.dimensions}
    for dim, value in given.items():
        if dim not in dims:
            raise GameError(f"no dimension {dim!r} (dimensions: {', '.join(dims)})")
        if value not in dims[dim]:
            raise GameError(f"{dim}: no state {value!r} (states: {', '.join(dims[dim])})")
    return given
