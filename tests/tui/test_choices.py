"""The options' radio set keeps Textual's look: it shows the keys' focus when drawn, and a set
hidden while it had the keys looks blurred when shown again."""

from __future__ import annotations

import asyncio

from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Button

from exsim.tui.widgets import Choices, Radio


class Page(App):
    def compose(self) -> ComposeResult:
        with Vertical(id="options"):
            yield Choices(Radio("Withhold it"), Radio("Give it"), id="choices")
        yield Button("Continue", id="continue")


def focus_look(choices: Choices) -> bool:
    """Whether the set is drawn as having the keys (Textual tints it then)."""
    return choices.styles.background_tint.a > 0


def play(steps) -> None:
    async def main():
        app = Page()
        async with app.run_test(size=(60, 10)) as pilot:
            await pilot.pause()
            await steps(pilot, app.query_one(Choices))

    asyncio.run(main())


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
