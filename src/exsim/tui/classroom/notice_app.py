"""A page that only says why a student cannot join: what the browser shows instead of a blank
page when the class's store cannot be opened (a damaged or foreign file)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static


class NoticeApp(App[None]):
    """One message under a heading; Ctrl+Q closes it."""

    CSS = """
    Screen { align: center middle; }
    #notice { width: 80%; max-width: 90; border: round $error; padding: 1 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+q", "quit", "Close")]

    def __init__(self, heading: str, message: str) -> None:
        super().__init__()
        self.heading = heading
        self.message = message

    def compose(self) -> ComposeResult:
        notice = Text(self.heading + "\n\n", style="bold")
        notice.append(self.message)
        yield Static(notice, id="notice")


def store_problem(reason: str) -> NoticeApp:
    """The page a student sees when the class's store cannot be opened."""
    return NoticeApp(
        "The class cannot be opened",
        f"{reason}\n\nTell your facilitator: the class server must be restarted on a sound "
        "data folder. Reload this page once it is.",
    )
