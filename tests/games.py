"""Games played without the UI, for the engine and report tests."""

from __future__ import annotations

from exsim.engine import Campaign, Game


def play(
    campaign: Campaign,
    choices: dict[str, list[str]],
    until: str | None = None,
    forced: dict[str, str] | None = None,
) -> Game:
    """A what-if game taking *choices* (else the record's choice where allowed, else the first
    option allowed), stopped when decision *until* is open, or at the end."""
    game = Game(campaign, seed=1, mode="what-if", forced=forced)
    while not game.finished and game.current.decision.id != until:
        d = game.current.decision
        allowed = [o.id for o in game.options() if o.allowed]
        wanted = choices.get(d.id) or campaign.record_choices.get(d.id, [])
        game.decide(d.id, wanted if wanted and set(wanted) <= set(allowed) else allowed[:1])
    return game
