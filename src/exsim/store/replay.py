"""Rebuild a game from a stored session by replaying its decisions, and check it matches."""

from __future__ import annotations

from dataclasses import fields

from exsim.engine.campaign import Campaign
from exsim.engine.game import Entry, Game, GameError
from exsim.store.database import StoreError
from exsim.store.session import Session


def replay(campaign: Campaign, session: Session, *, strict: bool = True) -> Game:
    """A new game taking *session*'s decisions in order.

    With *strict*, every stored entry (counterpart answers included) must come out the same,
    else StoreError; without, only the decisions must still be possible (a new version).
    """
    game = Game(campaign, seed=session.seed, mode=session.mode, forced=session.forced)
    for n, entry in enumerate(session.decisions, 1):
        try:
            game.decide(entry.step, list(entry.chosen), entry.by, dict(entry.recommendations))
        except GameError as exc:
            raise StoreError(
                f"session {session.label}: decision {n} ({entry.step}) cannot be replayed on "
                f"{campaign.id} version {campaign.version}: {exc}"
            ) from None
    if strict:
        for stored, replayed in zip(session.entries, game.log, strict=False):
            if stored != replayed:
                differ = ", ".join(
                    f.name
                    for f in fields(Entry)
                    if getattr(stored, f.name) != getattr(replayed, f.name)
                )
                raise StoreError(
                    f"session {session.label}: at {stored.step} the store has "
                    f"{_describe(stored)} but the replay gives {_describe(replayed)} "
                    f"(they differ in: {differ}); the store is unchanged"
                )
        if len(game.log) < len(session.entries):
            extra = session.entries[len(game.log)].step
            raise StoreError(
                f"session {session.label}: the store has {extra} after the game's end; "
                "the store is unchanged"
            )
    return game


def _describe(entry: Entry) -> str:
    flags = [f for f in ("simulated", "forced") if getattr(entry, f)]
    what = f"{entry.kind} {', '.join(entry.chosen)}".strip()
    return f"{what} ({', '.join(flags)})" if flags else what
