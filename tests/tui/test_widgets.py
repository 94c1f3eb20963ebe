"""Widgets that save Textual work keep its look: the options' radio set shows the keys' focus
when drawn, and looks blurred when shown again after being hidden with the keys; text refilled
without a layout is drawn whole, and text of a new height is laid out."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Static
from tui_steps import run

from exsim.tui.widgets import Choices, Radio, refill
from waiting import drawn


class Page(App):
    def compose(self) -> ComposeResult:
        with Vertical(id="options"):
            yield Choices(Radio("Withhold it"), Radio("Give it"), id="choices")
        yield Button("Continue", id="continue")


def focus_look(choices: Choices) -> bool:
    """Whether the set is drawn as having the keys (Textual tints it then)."""
    return choices.styles.background_tint.a > 0


def play(steps) -> None:
    async def drive(pilot):
        await pilot.pause()
        await steps(pilot, pilot.app.query_one(Choices))

    run(Page(), drive, size=(60, 10))


def test_a_shown_set_looks_focused_with_the_keys_and_blurred_without():
    async def steps(pilot, choices):
        choices.focus()
        await pilot.pause()
        assert focus_look(choices)
        pilot.app.query_one("#continue").focus()
        await pilot.pause()
        assert not focus_look(choices)

    play(steps)


def test_a_set_hidden_with_the_keys_looks_blurred_when_shown_again():
    async def steps(pilot, choices):
        choices.focus()
        await pilot.pause()
        options = pilot.app.query_one("#options")
        options.display = False
        pilot.app.screen.set_focus(pilot.app.query_one("#continue"))
        await pilot.pause()
        options.display = True
        await pilot.pause()
        assert pilot.app.focused is pilot.app.query_one("#continue")
        assert not focus_look(choices)

    play(steps)


class Paragraphs(App):
    def compose(self) -> ComposeResult:
        yield Static(Text("Waiting\n\nAna is deciding."), id="text")
        yield Static("Below", id="below")


def refilled(new: str) -> tuple[list[bool], list[str], int]:
    """(the layout flags of the paragraph's refreshes, the screen's rows, the row of the
    paragraph below) after refilling the paragraph with *new*."""
    layouts: list[bool] = []
    seen: dict[str, object] = {}

    async def steps(pilot):
        await pilot.pause()
        text = pilot.app.query_one("#text", Static)
        original = text.refresh

        def refresh(*regions, **kw):
            layouts.append(kw.get("layout", False))
            return original(*regions, **kw)

        text.refresh = refresh
        refill(text, Text(new))
        await pilot.pause()
        seen["rows"] = [row.rstrip() for row in drawn(pilot.app).split("\n")]
        seen["below"] = pilot.app.query_one("#below").region.y

    run(Paragraphs(), steps, size=(40, 10))
    return layouts, seen["rows"], seen["below"]


def test_text_of_the_same_height_is_drawn_whole_without_a_layout():
    layouts, rows, below = refilled("What followed\n\nDecided: Withhold it")
    assert rows[:4] == ["What followed", "", "Decided: Withhold it", "Below"]
    assert below == 3
    assert not any(layouts)


def test_taller_text_is_laid_out_and_moves_what_is_below():
    layouts, rows, below = refilled("What followed\n\nDecided: Withhold it\n\nThe next cable")
    assert rows[:6] == ["What followed", "", "Decided: Withhold it", "", "The next cable", "Below"]
    assert below == 5
    assert any(layouts)
