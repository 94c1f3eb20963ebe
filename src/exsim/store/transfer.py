"""The session export file: one JSON document that moves a session between machines.

It carries the scenario text the session was played on, so it can be opened as played anywhere.
An export may come from anyone, so every field is checked here, with bounds, before anything
is stored (the replay of its moves is checked by the store).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Literal

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

from exsim.scenario.yamlsafe import MAX_BYTES as MAX_SCENARIO_BYTES
from exsim.store import names
from exsim.store.database import StoreError

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
