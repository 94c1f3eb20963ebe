"""Screens shown over the game: help (F1), the policy machine, and questions put to the players."""

from __future__ import annotations

from importlib.resources import files
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from exsim.engine.game import Game
from exsim.tui import text
from exsim.tui.sources_screen import SOURCES
from exsim.tui.widgets import machine_text

CLOSE = Binding("escape", "app.pop_screen", "Close", id="close", tooltip="Back to the game")


KEY_TABLE = "<!-- the key table: built from the bindings when the help is shown"


def help_text() -> str:
    """The help file, its key table built from the bindings (`exsim.tui.keys`)."""
    from exsim.tui.keys import key_table

    lines = files("exsim.tui").joinpath("help.md").read_text(encoding="utf-8").splitlines()
    return "\n".join(key_table() if line.startswith(KEY_TABLE) else line for line in lines)


class HelpScreen(ModalScreen):
    """How to play, from the help file shipped with the package."""

    BINDINGS: ClassVar[list[BindingType]] = [CLOSE]

    def compose(self) -> ComposeResult:
        from textual.widgets import Markdown  # markdown-it is imported only when help is asked

        with VerticalScroll(id="panel"):
            yield Markdown(help_text())
        yield Footer()


class MachineScreen(ModalScreen):
    """The policy state machine: every dimension's states and moves, the current state marked."""

    BINDINGS: ClassVar[list[BindingType]] = [
        CLOSE,
        Binding("m", "app.pop_screen", "Close", id="close-machine", show=False, tooltip="Close"),
        SOURCES,
    ]

    def __init__(self, game: Game) -> None:
        super().__init__()
        self.game = game

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="panel"):
            yield Static(text.heading("The policy machine", "► marks where things stand now"))
            yield Static(machine_text(self.game))
        yield Footer()


class ChangedScreen(ModalScreen[str]):
    """The saved game's scenario has changed: replay on the new version, or read it as played."""

    BINDINGS: ClassVar[list[BindingType]] = [CLOSE]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="panel"):
            yield Static(text.heading("The scenario has changed since this game was played"))
            yield Static(Text(self.message))
            with Horizontal(classes="buttons"):
                yield Button("Replay on the new version", id="replay", variant="primary")
                yield Button("Read it as played", id="read")
        yield Footer()

    @on(Button.Pressed)
    def _chosen(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)


class QuitScreen(ModalScreen[bool]):
    """Quitting with moves the store did not take: say where they are, and ask."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "stay", "Back to the game", id="stay"),
    ]

    def __init__(self, note: str) -> None:
        super().__init__()
        self.note = note

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="panel"):
            yield Static(text.heading("Quit with moves not saved in the store?"))
            yield Static(Text(self.note))
            with Horizontal(classes="buttons"):
                yield Button("Back to the game", id="stay", variant="primary")
                yield Button("Quit anyway", id="quit", variant="error")
        yield Footer()

    @on(Button.Pressed)
    def _chosen(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "quit")

    def action_stay(self) -> None:
        self.dismiss(False)
