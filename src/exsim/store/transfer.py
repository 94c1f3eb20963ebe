"""Moving a session between machines: the export file, one JSON document, written and read.

It carries the scenario text the session was played on, so it can be opened as played anywhere.
An export may come from anyone, so every field is checked here, with bounds, and its moves are
replayed, before anything is stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)
from pydantic_core import ErrorDetails

from exsim import paths
from exsim.engine.campaign import Campaign
from exsim.engine.game import Game, GameError
from exsim.scenario.loader import parse_scenario
from exsim.scenario.problems import ScenarioError
from exsim.scenario.yamlsafe import MAX_BYTES as MAX_SCENARIO_BYTES
from exsim.store import names
from exsim.store.database import StoreError
from exsim.store.replay import replay
from exsim.store.session import Session, entry_from_dict

if TYPE_CHECKING:
    from exsim.store.sessions import SessionStore

FORMAT = "exsim-session"
MAX_BYTES = 8 * 1024 * 1024  # an export file: the scenario text (≤ 2 MiB) and the moves
MAX_ENTRIES = 1_000
MAX_ITEMS = 100  # players, options chosen, recommendations, changes …

Short = Annotated[str, StringConstraints(max_length=200)]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
"""A scenario id, role, step or option: the scenario format's identifier (never a path)."""


def _timestamp(text: str) -> str:
    try:
        dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError("not a date and time (ISO 8601, e.g. 2026-11-05T09:30:00+00:00)") from None
    return text


Timestamp = Annotated[str, StringConstraints(max_length=40), AfterValidator(_timestamp)]
Seed = Annotated[int, Field(ge=-(2**63), lt=2**63)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ChangeData(_Strict):
    dimension: Key
    source: Key
    dest: Key
    trigger: Key


class EntryData(_Strict):
    kind: Literal["decision", "response", "skipped"]
    step: Key
    phase: Key
    date: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
    chosen: list[Key] = Field(default_factory=list, max_length=MAX_ITEMS)
    by: Key | None = None
    recommendations: dict[Key, Annotated[list[Key], Field(max_length=MAX_ITEMS)]] = Field(
        default_factory=dict, max_length=MAX_ITEMS
    )
    changes: list[ChangeData] = Field(default_factory=list, max_length=MAX_ITEMS)
    simulated: bool = False
    forced: bool = False
    at: Timestamp = Field(description="When the entry was committed (ISO 8601, UTC).")


class ScenarioData(_Strict):
    id: Key
    version: Short
    content_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    text: Annotated[str, StringConstraints(max_length=MAX_SCENARIO_BYTES)] | None = Field(
        description="The scenario file as played, if it was at hand."
    )


class SessionData(_Strict):
    """An exported session (format `exsim-session`, version 1)."""

    format: Literal["exsim-session"]
    format_version: Literal[1]
    id: str = Field(pattern=r"^[a-z0-9]{1,32}$")
    group: Annotated[str, StringConstraints(max_length=10_000), AfterValidator(names.group_name)]
    scenario: ScenarioData
    players: dict[
        Key, Annotated[str, StringConstraints(max_length=10_000), AfterValidator(names.player_name)]
    ] = Field(max_length=MAX_ITEMS)
    seed: Seed
    mode: Literal["historical", "what-if"]
    rule: Literal["chair", "vote"]
    forced: dict[Key, Key] = Field(default_factory=dict, max_length=MAX_ITEMS)
    finished: bool
    created: Timestamp
    updated: Timestamp
    entries: list[EntryData] = Field(max_length=MAX_ENTRIES)
    pending: dict[Key, dict[Key, Annotated[list[Key], Field(max_length=MAX_ITEMS)]]] = Field(
        default_factory=dict, max_length=MAX_ITEMS
    )

    @field_validator("entries")
    @classmethod
    def _one_entry_per_step(cls, entries: list[EntryData]) -> list[EntryData]:
        seen: set[str] = set()
        for n, entry in enumerate(entries):
            if entry.step in seen:
                raise ValueError(f"entry {n} repeats step {entry.step!r}; each step comes once")
            seen.add(entry.step)
        return entries


def parse(text: str, name: str) -> SessionData:
    """Read an export file's text; StoreError naming *name* and what is wrong."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise StoreError(f"{name}: not a session export (JSON nested too deep)") from None
    except json.JSONDecodeError as exc:
        raise StoreError(f"{name}: not JSON ({exc.msg} at line {exc.lineno})") from None
    except ValueError:  # an integer beyond Python's digit limit (4,300)
        raise StoreError(f"{name}: not a session export (a number of over 4,300 digits)") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise StoreError(f'{name}: not an exsim session export (no "format": "{FORMAT}")')
    try:
        return SessionData.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'top'}: {_message(e)}" for e in exc.errors()[:10]
        )
        more = len(exc.errors()) - 10
        problems += f"; and {more} more" if more > 0 else ""
        raise StoreError(f"{name}: not a valid session export ({problems})") from None


def _message(error: ErrorDetails) -> str:
    """Pydantic's message without the value it quotes (which may be megabytes long)."""
    message = error["msg"].removeprefix("Value error, ")
    return message[0].lower() + message[1:] if message else message


def export_data(store: SessionStore, key: str) -> dict:
    """Session *key* of *store* as an export document (see `SessionData`)."""
    session = store.get(key)
    data = SessionData(
        format=FORMAT,
        format_version=1,
        id=session.id,
        group=session.group,
        scenario=ScenarioData(
            id=session.scenario_id,
            version=session.version,
            content_hash=session.content_hash,
            text=store.played_text(session),
        ),
        players=session.players,
        seed=session.seed,
        mode=session.mode,
        rule=session.rule,
        forced=session.forced,
        finished=session.finished,
        created=session.created,
        updated=session.updated,
        entries=[
            EntryData(**e.to_dict(), at=at)
            for e, at in zip(session.entries, session.times, strict=True)
        ],
        pending={d: {r: list(o) for r, o in recs.items()} for d, recs in session.pending.items()},
    )
    return data.model_dump(mode="json")


def with_moves(
    kept: dict[str, Any], game: Game, pending: dict[str, dict[str, list[str]]]
) -> dict[str, Any]:
    """The export *kept* (of the session as opened) with *game*'s moves and *pending*
    recommendations since: a file `import` restores the game from when its store is lost."""
    from exsim.store.sessions import now

    stamp = now()
    times = [e["at"] for e in kept["entries"]]
    entries = [
        EntryData(**e.to_dict(), at=times[n] if n < len(times) else stamp)
        for n, e in enumerate(game.log)
    ]
    data = SessionData.model_validate(
        {**kept, "entries": entries, "finished": game.finished, "updated": stamp}
        | {"pending": pending}
    )
    return data.model_dump(mode="json")


def import_text(store: SessionStore, text: str, name: str) -> str:
    """Add the session exported as *text* (from file *name*) to *store*; return its id there.

    The id is kept if free; the same export imported twice is refused.
    """
    from exsim.store.sessions import AlreadyStored

    data = parse(text, name)
    scenario = data.scenario
    session = Session(
        id=data.id,
        group=data.group,
        scenario_id=scenario.id,
        version=scenario.version,
        content_hash=scenario.content_hash,
        players=data.players,
        seed=data.seed,
        mode=data.mode,
        rule=data.rule,
        forced=data.forced,
        finished=data.finished,
        created=data.created,
        updated=data.updated,
        entries=[entry_from_dict(e.model_dump(exclude={"at"})) for e in data.entries],
        times=[e.at for e in data.entries],
        pending={d: {r: tuple(o) for r, o in recs.items()} for d, recs in data.pending.items()},
    )
    if scenario.text is not None:
        played, strict = _scenario_carried(scenario, name), True
    else:
        played, strict = _scenario_here(scenario, name)
    try:
        unknown = [r for r in session.players if r not in played.roles]
        if unknown:
            raise StoreError(f"no role {unknown[0]!r} in {played.id}")
        game = replay(played, session, strict=strict)
        _check_pending(session, game)
    except (StoreError, GameError) as exc:
        raise StoreError(f"{name}: cannot be replayed, so not imported: {exc}") from None
    exported = data.model_dump(mode="json")
    try:
        return store.add(session, scenario.text, lambda sid: export_data(store, sid) == exported)
    except AlreadyStored as exc:
        raise StoreError(f"{name}: {exc}") from None


def _scenario_carried(scenario: ScenarioData, name: str) -> Campaign:
    """The scenario an export carries, checked against its id, version and content hash."""
    assert scenario.text is not None
    if hashlib.sha256(scenario.text.encode()).hexdigest() != scenario.content_hash:
        raise StoreError(f"{name}: the scenario text does not match its content_hash")
    try:
        played = Campaign(parse_scenario(scenario.text, f"{name} (scenario)"))
    except ScenarioError as exc:
        raise StoreError(f"{name}: its scenario does not load:\n{exc}") from None
    if (played.id, played.version) != (scenario.id, scenario.version):
        raise StoreError(f"{name}: the scenario text is not {scenario.id} {scenario.version}")
    return played


def _scenario_here(scenario: ScenarioData, name: str) -> tuple[Campaign, bool]:
    """The scenario an export without its text was played on, found here by its id.

    Returns the campaign and whether it is the very content played (else the moves are
    replayed on this version, as `replay_on` would). StoreError if there is none.
    """
    from exsim.engine import open_campaign

    try:
        campaign = open_campaign(paths.named_scenario(scenario.id))
    except (LookupError, ScenarioError):
        raise StoreError(
            f"{name}: the export does not carry its scenario's text, and there is no "
            f"scenario {scenario.id!r} here to replay it on; not imported"
        ) from None
    return campaign, campaign.content_hash == scenario.content_hash


def _check_pending(session: Session, game: Game) -> None:
    """Recommendations waiting for a decision must be for the decision now open, by players,
    of options that decision offers."""
    for decision_id, picks in session.pending.items():
        current = game.current.decision if game.current else None
        if current is None or decision_id != current.id:
            raise StoreError(f"a recommendation waits for {decision_id!r}, which is not open")
        offered = {o.id for o in current.options}
        for role, options in picks.items():
            if role not in session.players:
                raise StoreError(f"a recommendation by {role!r}, whom no player plays")
            wrong = [o for o in options if o not in offered]
            if wrong:
                raise StoreError(f"{decision_id} offers no option {wrong[0]!r}")
