"""Signals that end an app as quitting does: the terminal restored, the game saved."""

from __future__ import annotations

import asyncio
import signal

from textual.app import App


def exit_on_termination(app: App) -> None:
    """SIGTERM (`kill`, a shutdown) and SIGHUP (the terminal closed) end *app* as Ctrl+Q
    would: it unmounts (saving what it holds) and leaves the terminal as it found it, instead
    of dying in the alternate screen with mouse reporting on."""
    loop = asyncio.get_running_loop()
    for name in ("SIGTERM", "SIGHUP"):
        try:
            loop.add_signal_handler(getattr(signal, name), app.exit)
        except (AttributeError, NotImplementedError, RuntimeError, ValueError):
            return  # no such signal here (Windows), or not the main thread: as before
