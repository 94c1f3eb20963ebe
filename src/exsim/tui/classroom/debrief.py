"""A group's debrief in a class (loaded when the record is revealed: less memory per student)."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from exsim.classroom import Group
from exsim.tui.debrief_screen import MACHINE, DebriefScreen


class ClassDebriefScreen(DebriefScreen, inherit_bindings=False):
    """A group's debrief in a class, each recommendation credited to the student who sent it.
    Its keys are the class's: no new game; Escape closes it on the console."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="close", tooltip="Back to the console"),
        MACHINE,
    ]

    def __init__(self, group: Group, closable: bool = False) -> None:
        super().__init__(group.game, group.played, debrief=group.debrief())
        self.closable = closable

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.closable if action == "close" else super().check_action(action, parameters)

    def action_close(self) -> None:
        self.dismiss()
