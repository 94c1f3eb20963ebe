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
@click.option(
    "--from",
    "phase",
    metavar="PHASE",
    help="Preview: open the game at this phase, in the state the record path reaches there "
    "(or --state); not saved.",
)
@click.option(
    "--state",
    metavar="DIM=STATE,…",
    help="With --from: the policy state to open the phase in, over the record path's.",
)
def play(scenario: str | None, resume: str | None, phase: str | None, state: str | None) -> None:
    """Start the game: pick SCENARIO (default: choose on the start screen), players and roles.

    With --from PHASE, try one phase as you write it: the game opens there, without playing
    the campaign up to it, and is not kept among the saved games.
    """
    try:
        path = paths.resolve_scenario(scenario) if scenario else None
    except LookupError as exc:
        raise Fail(str(exc)) from None
    from exsim.tui.app import ExsimApp, run_game

    if phase is not None or state is not None:
        _preview(path, phase, state, resume)
        return

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


def _preview(path, phase: str | None, state: str | None, resume: str | None) -> None:
    """Check the preview's phase and state before the screen opens, then play it in a store
    of its own that is thrown away."""
    import tempfile

    from exsim.engine import ScenarioError, open_campaign
    from exsim.engine.game import GameError
    from exsim.engine.preview import opened_at, parse_state
    from exsim.store import SessionStore
    from exsim.tui.app import ExsimApp, run_game

    if phase is None or path is None or resume:
        raise Fail("--from PHASE needs a SCENARIO, and no --resume (--state goes with --from)")
    try:
        given = parse_state(state) if state else None
        opened_at(open_campaign(path), phase, given)
    except (ScenarioError, GameError) as exc:
        raise Fail(str(exc)) from None
    with tempfile.TemporaryDirectory(prefix="exsim-preview-") as folder:
        store = SessionStore.open(folder)
        with store:
            status = run_game(ExsimApp(store, scenario=path, opening=(phase, given)))
    if status:
        raise SystemExit(status)
