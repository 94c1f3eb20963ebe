"""Outcome measures: what a finished game came to, computed one way for every kind of play.

A :class:`Trace` holds all a measure needs (final state, pressure taken, the date each state was
first entered); a Game gives one through :func:`trace_of`, fast play builds the same from its
table, and :func:`values` turns either into the scenario's measures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from exsim.engine.campaign import Campaign
from exsim.engine.game import Game
from exsim.engine.policy import holds
from exsim.scenario.model import Measure

Value = str | int | bool | None


@dataclass(frozen=True)
class Trace:
    """What measures need from a finished game."""

    state: dict[str, str]
    pressure: int
    entered: dict[tuple[str, str], str]  # (dimension, state) → ISO date first entered


@dataclass(frozen=True)
class MeasureRow:
    """One measure of a game beside the record's value."""

    id: str
    label: str
    value: Value
    shown: str
    record: Value
    record_shown: str | None
    cite: tuple[str, ...]
    note: str | None
    simulated: bool


def trace_of(game: Game) -> Trace:
    """The trace of a finished *game*, from its log's dated changes."""
    entered: dict[tuple[str, str], str] = {}
    for entry in game.log:
        for change in entry.changes:
            entered.setdefault((change.dimension, change.dest), entry.date)
    return Trace(dict(game.state), len(game.pressure), entered)


def value(measure: Measure, trace: Trace) -> Value:
    """One measure's value for *trace*: an ISO date or None, a state id, a count or a flag."""
    dim = measure.dimension or ""  # set for the kinds that read a dimension (checked on load)
    if measure.kind == "first_date":
        dates = [trace.entered.get((dim, s)) for s in measure.states]
        return min((d for d in dates if d), default=None)
    if measure.kind == "final_state":
        return trace.state[dim]
    if measure.kind == "pressure_count":
        return trace.pressure
    return holds(measure.when, trace.state)


def values(campaign: Campaign, trace: Trace) -> dict[str, Value]:
    """Every measure of *campaign* for *trace*, in the scenario's order."""
    return {m.id: value(m, trace) for m in campaign.scenario.measures}


def record_value(measure: Measure) -> Value:
    """The record's value in the same form as a game's value (dates as ISO text)."""
    if measure.record is None:
        return None
    v = measure.record.value
    return v.isoformat() if isinstance(v, dt.date) else v


def show(campaign: Campaign, measure: Measure, v: Value) -> str:
    """A value as readers see it: '20 Nov 1962', a state's label, 'yes'/'no', a count."""
    if measure.kind == "first_date":
        if v is None:
            return "never"
        day = dt.date.fromisoformat(str(v))
        return f"{day.day} {day:%b %Y}"
    if measure.kind == "final_state":
        dim = next(d for d in campaign.scenario.machine.dimensions if d.id == measure.dimension)
        return next((s.label for s in dim.states if s.id == v), str(v))
    if measure.kind == "flag":
        return "yes" if v else "no"
    return str(v)


def _read(campaign: Campaign, measure: Measure) -> set[str]:
    """The dimensions *measure* reads: its own, the flag's, or those whose states are pressure."""
    if measure.kind == "flag":
        return set(measure.when or {})
    if measure.kind == "pressure_count":
        dims = campaign.scenario.machine.dimensions
        return {d.id for d in dims if any(s.pressure for s in d.states)}
    return {measure.dimension or ""}


def set_by_simulated(game: Game, measure: Measure) -> bool:
    """Whether a simulated answer set *measure*'s value. A date is set by the move that first
    entered one of its states, a state or flag by the last move of a dimension it reads, and a
    pressure count by the group's decisions unless an answer moved a pressure state; a value no
    move set is what the counterparts' answers left, simulated if a simulated answer came from
    a counterpart whose answers can move it."""
    dims = _read(game.campaign, measure)
    if measure.kind == "pressure_count":
        return any(
            e.simulated and any(c.dimension in dims and c.source != c.dest for c in e.changes)
            for e in game.log
        )
    if measure.kind == "first_date":
        setting = [
            e
            for e in game.log
            if any(c.dimension in dims and c.dest in measure.states for c in e.changes)
        ][:1]
    else:
        setting = [e for e in game.log if any(c.dimension in dims for c in e.changes)][-1:]
    if setting:
        return setting[0].simulated
    return any(e.simulated and dims & _answers_move(game.campaign, e.step) for e in game.log)


def _answers_move(campaign: Campaign, response_id: str) -> set[str]:
    """The dimensions some answer of *response_id* can move (none for a decision's id)."""
    moves = {t.id: t.dimension for t in campaign.scenario.machine.triggers}
    response = next((r for r in campaign.scenario.responses if r.id == response_id), None)
    outcomes = response.outcomes if response else []
    return {moves[t] for o in outcomes for t in o.triggers if t in moves}


def debrief(game: Game) -> list[MeasureRow]:
    """A finished game's measures beside the record's, each labelled simulated if a simulated
    answer set its value."""
    campaign = game.campaign
    got = values(campaign, trace_of(game))
    rows = []
    for m in campaign.scenario.measures:
        rec = record_value(m)
        rows.append(
            MeasureRow(
                m.id,
                m.label,
                got[m.id],
                show(campaign, m, got[m.id]),
                rec,
                show(campaign, m, rec) if m.record else None,
                tuple(m.record.cite) if m.record else (),
                m.record.note if m.record else None,
                set_by_simulated(game, m),
            )
        )
    return rows
