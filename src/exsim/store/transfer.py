"""The session export file: one JSON document that moves a session between machines.

It carries the scenario text the session was played on, so it can be opened as played anywhere.
"""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from exsim.store.database import StoreError

FORMAT = "exsim-session"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ChangeData(_Strict):
    dimension: str
    source: str
    dest: str
    trigger: str


class EntryData(_Strict):
    kind: Literal["decision", "response", "skipped"]
    step: str
    phase: str
    date: str
    chosen: list[str] = Field(default_factory=list)
    by: str | None = None
    recommendations: dict[str, list[str]] = Field(default_factory=dict)
    changes: list[ChangeData] = Field(default_factory=list)
    simulated: bool = False
    forced: bool = False
    at: str = Field(description="When the entry was committed (ISO 8601, UTC).")


class ScenarioData(_Strict):
    id: str
    version: str
    content_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    text: str | None = Field(description="The scenario file as played, if it was at hand.")


class SessionData(_Strict):
    """An exported session (format `exsim-session`, version 1)."""

    format: Literal["exsim-session"]
    format_version: Literal[1]
    id: str = Field(pattern=r"^[a-z0-9]{1,32}$")
    group: str = Field(min_length=1)
    scenario: ScenarioData
    players: dict[str, str]
    seed: int
    mode: Literal["historical", "what-if"]
    rule: Literal["chair", "vote"]
    forced: dict[str, str] = Field(default_factory=dict)
    finished: bool
    created: str
    updated: str
    entries: list[EntryData]
    pending: dict[str, dict[str, list[str]]] = Field(default_factory=dict)


def parse(text: str, name: str) -> SessionData:
    """Read an export file's text; StoreError naming *name* and what is wrong."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StoreError(f"{name}: not JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise StoreError(f'{name}: not an exsim session export (no "format": "{FORMAT}")')
    try:
        return SessionData.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'top'}: {e['msg'].lower()}" for e in exc.errors()
        )
        raise StoreError(f"{name}: not a valid session export ({problems})") from None
