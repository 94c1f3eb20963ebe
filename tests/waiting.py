"""How Pilot tests wait: for a condition, with a bound, never for a guessed delay (Pilot's own
pauses end when the process looks idle, which a loaded machine can fake)."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.pilot import Pilot

PATIENCE = 30.0  # seconds a step may take on a loaded machine before the test fails


def text_of(app) -> str:
    """Every Static's text on the current screen, and the status panel's, for asserting what
    the user can read."""
    return "\n".join(str(w.render()) for w in app.screen.query("StatusPanel, Static"))


def drawn(app) -> str:
    """The screen as Textual draws it, row by row: a hidden or covered widget is not in it."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def until(pilot: Pilot, check: Callable[[], object], what: str) -> None:
    """Let the app work until *check()* holds, then let it finish what it posted on seeing it
    (a screen pushed, a table filled); after PATIENCE seconds fail, saying what is shown."""
    end = time.monotonic() + PATIENCE
    while not check():
        if time.monotonic() > end:
            raise AssertionError(f"{PATIENCE:.0f} s without {what}; shown:\n{text_of(pilot.app)}")
        await pilot.pause(0.02)
    for _ in range(3):
        await pilot.pause()
