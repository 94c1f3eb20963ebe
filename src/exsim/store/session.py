"""A stored session as plain data, and the log entries' JSON form."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from exsim.engine.game import Entry, Mode
from exsim.engine.policy import Change
from exsim.engine.vote import Rule


@dataclass(frozen=True)
class Session:
    """One group's game as stored: who played, on which scenario, and every move with its time."""

    id: str
    group: str
    scenario_id: str
    version: str
    content_hash: str
    players: dict[str, str]  # role → player name
    seed: int
    mode: Mode
    rule: Rule
    forced: dict[str, str]
    finished: bool
    created: str
    updated: str
    entries: list[Entry] = field(default_factory=list)
    times: list[str] = field(default_factory=list)  # when each entry was committed (UTC)
    pending: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)

    @property
    def decisions(self) -> list[Entry]:
        return [e for e in self.entries if e.kind == "decision"]

    @property
    def label(self) -> str:
        return f"{self.id} ({self.group})"


def entry_json(entry: Entry) -> str:
    """An entry as canonical JSON: equal entries give equal text."""
    return json.dumps(entry.to_dict(), sort_keys=True, ensure_ascii=False)


def entry_from_dict(data: dict) -> Entry:
    return Entry(
        kind=data["kind"],
        step=data["step"],
        phase=data["phase"],
        date=data["date"],
        chosen=tuple(data.get("chosen", ())),
        by=data.get("by"),
        recommendations={r: tuple(o) for r, o in data.get("recommendations", {}).items()},
        changes=tuple(Change(**c) for c in data.get("changes", ())),
        simulated=bool(data.get("simulated", False)),
        forced=bool(data.get("forced", False)),
    )
