"""The session store: games kept in SQLite, each move committed as it is made.

Nothing here imports Textual.
"""

from __future__ import annotations

from exsim.store.database import StoreError
from exsim.store.session import Session
from exsim.store.sessions import ScenarioChanged, SessionHeld, SessionStore

__all__ = ["ScenarioChanged", "Session", "SessionHeld", "SessionStore", "StoreError"]
