"""The class seat's row of the key rules' table (tests/tui/test_keys.py has the game's rows):
the seat's decision and recommendation take the same keys as the game's screens."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import Button

from exsim.tui.classroom.student_app import StudentApp
from waiting import text_of, until

from .test_screens import SIZE, seated, settle, showing

#  page          enter  confirm  escape  arrows  focus
TABLE = {
    "recommend": ("enter", "confirm", "escape", "arrows", "focus"),
    "decide": ("enter", "confirm", "escape", "arrows", "focus"),
}


def seat_at(made, connect, page: str) -> StudentApp:
    """Ben's page at his recommendation, or Ana's at her decision."""
    _, ben, boss = seated(made)
    if page == "decide":
        ben.recommend(["withhold"])
        boss.advance()
        return StudentApp(connect(), "seat-ana")
    return StudentApp(connect(), "seat-ben")


async def on_page(pilot, page: str) -> None:
    await settle(pilot)
    for _ in range(3):
        if showing(pilot.app) == page:
            break
        await pilot.press("n")
        await settle(pilot)
    await until(pilot, lambda: pilot.app.screen.query("#opt-withhold"), "the options")


def run(app, steps) -> None:
    async def main() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await steps(pilot)

    asyncio.run(main())


@pytest.mark.parametrize("page", [p for p, rules in TABLE.items() if "confirm" in rules])
def test_enter_ticks_and_a_second_enter_sends(made, connect, page):
    app = seat_at(made, connect, page)

    async def steps(pilot):
        await on_page(pilot, page)
        withhold = pilot.app.screen.query_one("#opt-withhold")
        await pilot.press("enter")
        await until(pilot, lambda: withhold.value, "the option ticked by Enter")
        assert showing(pilot.app) == page
        await pilot.press("enter")
        await settle(pilot)
        await until(pilot, lambda: showing(pilot.app) != page, "the choice sent")

    run(app, steps)


@pytest.mark.parametrize("page", [p for p, rules in TABLE.items() if "escape" in rules])
def test_escape_shows_the_agenda_item_and_comes_back(made, connect, page):
    app = seat_at(made, connect, page)

    async def steps(pilot):
        await on_page(pilot, page)
        await pilot.press("escape")
        await until(pilot, lambda: showing(pilot.app) == "AgendaScreen", "the agenda item")
        assert "The options" in text_of(pilot.app)
        await pilot.press("escape")
        await until(pilot, lambda: showing(pilot.app) == page, "back to the choice")

    run(app, steps)


@pytest.mark.parametrize("page", [p for p, rules in TABLE.items() if "arrows" in rules])
def test_the_arrow_keys_stop_on_refused_options_and_at_the_ends(made, connect, page):
    app = seat_at(made, connect, page)

    async def steps(pilot):
        await on_page(pilot, page)
        choices = pilot.app.screen.query_one("#choices")
        names = [b.id for b in choices.query("RadioButton")]
        at = []
        for key in ["up", "down", "down", "up", "up"]:
            await pilot.press(key)
            at.append(names[choices._selected])
        assert at == ["opt-withhold", "opt-give", "opt-give", "opt-withhold", "opt-withhold"]
        await pilot.press("down", "enter")
        await until(pilot, lambda: "“Give it” cannot be taken" in text_of(pilot.app), "why")

    run(app, steps)


@pytest.mark.parametrize("page", [p for p, rules in TABLE.items() if "enter" in rules])
def test_enter_presses_the_focused_button_in_reverse_video_and_space_does_not(made, connect, page):
    app = seat_at(made, connect, page)

    async def steps(pilot):
        await on_page(pilot, page)
        await pilot.click("#opt-withhold")
        button = pilot.app.screen.query_one("#continue", Button)
        while pilot.app.focused is not button:
            await pilot.press("shift+tab")
        await pilot.pause()
        styles = [seg.style for seg in button.render_line(0) if seg.text.strip() and seg.style]
        assert styles and all(s.reverse for s in styles), styles
        await pilot.press("space")
        await pilot.pause()
        assert showing(pilot.app) == page
        await pilot.press("enter")
        await settle(pilot)
        await until(pilot, lambda: showing(pilot.app) != page, "the button pressed")

    run(app, steps)
