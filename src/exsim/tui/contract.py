"""What the screens ask of the app that shows them, as typed protocols.

The game's screens are shown by two apps: `ExsimApp` (a game on this computer) and a class's
`StudentApp`. Each app's module assigns its class to the protocol it implements
(`_: type[GameHost] = StudentApp`), so the type checker holds its methods to these signatures
(a Protocol cannot be a base class of a Textual App: their metaclasses differ). A screen reaches
its app through `game_host` or `local_host`, which check it at run time too, never through an
attribute Textual's `App` does not have.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from exsim.engine import Campaign
    from exsim.engine.game import Entry, Mode
    from exsim.engine.vote import Rule


@runtime_checkable
class GameHost(Protocol):
    """The app a game's screens are shown by (ExsimApp and StudentApp)."""

    def advance(self) -> None:
        """The screen's main button: move past it and show what comes next."""
        ...

    def after_decision(self, entries: list[Entry]) -> None:
        """A decision was taken (*entries* are what it and the answers to it logged)."""
        ...


@runtime_checkable
class LocalHost(GameHost, Protocol):
    """The app of a game played on this computer (ExsimApp): starting, resuming, passing the
    keyboard."""

    def reveal(self) -> None:
        """Show the pending private step, the keyboard having been passed."""
        ...

    def start_game(
        self,
        campaign: Campaign,
        players: dict[str, str],
        rule: Rule,
        group: str,
        mode: Mode,
        seed: int,
    ) -> None:
        """Start a new game as set up on the start screen."""
        ...

    def resume(self, session_id: str) -> None:
        """Reopen a saved game."""
        ...

    def action_resume(self) -> None:
        """Choose a saved game to resume."""
        ...

    def action_class_comparison(self) -> None:
        """Compare the saved games of a scenario."""
        ...


def game_host(node: DOMNode) -> GameHost:
    """The app showing *node*, as a game's screens may use it."""
    app = node.app
    if not isinstance(app, GameHost):
        raise TypeError(f"{type(app).__name__} cannot show a game's screens")
    return app


def local_host(node: DOMNode) -> LocalHost:
    """The app showing *node*, as the start screens and the keyboard's passing may use it."""
    app = node.app
    if not isinstance(app, LocalHost):
        raise TypeError(f"{type(app).__name__} cannot start or resume games")
    return app
