"""`exsim play`: the game in the terminal (also what `exsim` alone starts).

A new game imports only click and Textual before its first screen; the app opens the store.
"""

from __future__ import annotations

import click

from exsim import paths
from exsim.cli import Fail, main


@main.command()
@click.argument("scenario", required=False)
@click.option("--resume", "resume", metavar="ID", help="Continue a saved game (id or group name).")
def play(scenario: str | None, resume: str | None) -> None:
    """Start the game: pick SCENARIO (default: choose on the start screen), players and roles."""
    try:
        path = paths.resolve_scenario(scenario) if scenario else None
    except LookupError as exc:
        raise Fail(str(exc)) from None
    from exsim.tui.app import ExsimApp, run_game

    if not resume:
        status = run_game(ExsimApp(scenario=path))
        if status:
            raise SystemExit(status)
        return
    from exsim.store import SessionStore, StoreError

    try:
        store = SessionStore.open()
        resume = store.get(resume).id
    except StoreError as exc:
        raise Fail(str(exc)) from None
    with store:
        status = run_game(ExsimApp(store, scenario=path, resume=resume))
    if status:
        raise SystemExit(status)
