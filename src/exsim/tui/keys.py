"""The help's key table, read from the bindings themselves: F1 says what the keys do because
it is built from what they are bound to."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Button

NAMES = {
    "escape": "Esc",
    "enter": "Enter",
    "space": "Space",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "tab": "Tab",
    "shift": "Shift",
    "ctrl": "Ctrl",
}

# Textual's own bindings, in words (theirs are terse: "Focus Next", "Press button")
TEXTUAL_WORDS = {
    "app.focus_next": "the next field, option list or button",
    "app.focus_previous": "the previous field, option list or button",
    "press": "press the focused button (Space does not press a button)",
}


def key_name(key: str) -> str:
    """'ctrl+s' → 'Ctrl+S', 'escape' → 'Esc', 'f1' → 'F1'."""
    return "+".join(NAMES.get(part, part.upper()) for part in key.split("+"))


def _bindings(owner: type[DOMNode]) -> Iterator[Binding]:
    for b in owner.__dict__.get("BINDINGS", []):
        yield b if isinstance(b, Binding) else Binding(*b)


def where_keys() -> list[tuple[str, list[type[DOMNode]]]]:
    """Where each set of bindings applies, in the order a game meets them."""
    from exsim.tui.app import ExsimApp
    from exsim.tui.class_screens import ClassPickScreen, ClassReportScreen
    from exsim.tui.debrief_screen import DebriefScreen
    from exsim.tui.distribution_screen import DistributionScreen
    from exsim.tui.panels import HelpScreen, MachineScreen
    from exsim.tui.play_screens import AgendaScreen, GameScreen
    from exsim.tui.sources_screen import SourcesScreen
    from exsim.tui.start_screens import ResumeScreen, StartScreen
    from exsim.tui.widgets import Choices, OptionPicker, Tick

    return [
        ("anywhere", [ExsimApp]),
        ("fields and buttons", [Screen]),
        ("a button", [Button]),
        ("the start screen", [StartScreen]),
        ("saved games", [ResumeScreen]),
        ("a meeting's screens", [GameScreen]),
        ("options to choose", [OptionPicker, Choices, Tick]),
        ("the agenda item again", [AgendaScreen]),
        ("the debrief", [DebriefScreen]),
        ("the simulated outcomes", [DistributionScreen]),
        ("class comparison", [ClassPickScreen, ClassReportScreen]),
        ("help, policy machine, sources", [HelpScreen, MachineScreen, SourcesScreen]),
    ]


def rows(where: Iterable[tuple[str, list[type[DOMNode]]]]) -> list[tuple[str, str, str]]:
    """(keys, where, what it does) for every binding with something to say, keys bound to
    the same thing in the same place on one row."""
    found: dict[tuple[str, str], list[str]] = {}
    for place, owners in where:
        if any(issubclass(o, App) for o in owners):
            found[(place, "the command palette: help, policy machine, new game, …")] = [
                App.COMMAND_PALETTE_BINDING
            ]
        for owner in owners:
            for b in _bindings(owner):
                what = b.tooltip or TEXTUAL_WORDS.get(b.action, "")
                if what:
                    keys = found.setdefault((place, what), [])
                    keys += [k for k in b.key.split(",") if k not in keys]
    return [(", ".join(key_name(k) for k in keys), p, w) for (p, w), keys in found.items()]


def key_table() -> str:
    """The key table of the help, in Markdown."""
    lines = ["| key | where | what it does |", "| --- | --- | --- |"]
    lines += [f"| {k} | {p} | {w} |" for k, p, w in rows(where_keys())]
    return "\n".join(lines)
