"""The key rules, each tried on every screen of the game that has options or buttons.

The table below says, for each screen, which rules it is tried under (the class seat's row is
in tests/classroom/test_seat_keys.py). Each rule is one parametrized Pilot test:

- enter: Enter presses the focused button; Space does not press a button.
- confirm: on a one-choice decision, Enter ticks the option under the cursor and a second
  Enter sends it, without Tab.
- escape: Escape goes back wherever there is a back.
- arrows: the arrow keys stop on a ✗ option and at either end (no skipping, no wrapping).
- focus: the focused button is in reverse video, not marked by colour or an underline alone.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Button
from tui_steps import (
    MINI,
    click,
    loaded,
    next_,
    play_to_debrief,
    run,
    screen_name,
    screen_text,
    set_up,
)

from exsim.tui.keys import key_table, rows, where_keys
from exsim.tui.panels import help_text
from waiting import until

TWO = [("Ana", "president"), ("Ben", "rusk")]

#  screen                  enter  confirm  escape  arrows  focus
TABLE = {
    "StartScreen": ("enter", "arrows", "focus"),
    "PassScreen": ("enter", "focus"),
    "BriefingScreen": ("enter", "focus"),
    "MeetingScreen": ("enter", "focus"),
    "RecommendScreen": ("enter", "confirm", "escape", "arrows", "focus"),
    "DecideScreen": ("enter", "confirm", "escape", "arrows", "focus"),
    "AgendaScreen": ("enter", "escape", "focus"),
    "ConsequencesScreen": ("enter", "focus"),
    "ResumeScreen": ("escape",),
    "HelpScreen": ("escape",),
    "MachineScreen": ("escape",),
    "SourcesScreen": ("escape",),
    "DistributionScreen": ("escape",),
    "ClassPickScreen": ("escape",),
}


def cases(rule: str) -> list[str]:
    return [screen for screen, rules in TABLE.items() if rule in rules]


async def reach(pilot: Pilot, name: str) -> None:
    """From the start screen, play the mini scenario (two players) up to screen *name*,
    choosing the first option that can be taken."""
    if name == "StartScreen":
        return await loaded(pilot)
    await set_up(pilot, TWO)
    want = "DecideScreen" if name == "AgendaScreen" else name
    for _ in range(20):
        if screen_name(pilot) == want:
            break
        if screen_name(pilot) in ("RecommendScreen", "DecideScreen"):
            await click(pilot, "#opt-withhold")
        await next_(pilot)
    assert screen_name(pilot) == want
    if name == "AgendaScreen":
        await pilot.press("escape")
        await until(pilot, lambda: screen_name(pilot) == "AgendaScreen", "the agenda")


async def back_from(pilot: Pilot, name: str) -> str:
    """Reach a screen that has a back, by its own key, and say where Escape must lead."""
    if name == "ResumeScreen":
        await loaded(pilot)
        await pilot.press("ctrl+r")
        return "StartScreen"
    if name == "ClassPickScreen":
        await loaded(pilot)
        await pilot.press("ctrl+k")
        return "StartScreen"
    if name in ("HelpScreen", "MachineScreen", "SourcesScreen"):
        await reach(pilot, "MeetingScreen")
        await pilot.press({"HelpScreen": "f1", "MachineScreen": "m", "SourcesScreen": "s"}[name])
        return "MeetingScreen"
    if name == "DistributionScreen":
        await set_up(pilot, TWO)
        await play_to_debrief(pilot, {})
        await pilot.press("d")
        return "DebriefScreen"
    if name == "AgendaScreen":
        await reach(pilot, name)
        return "DecideScreen"
    await reach(pilot, name)
    return "AgendaScreen"


@pytest.mark.parametrize("name", cases("escape"))
def test_escape_goes_back(make_app, name):
    app = make_app(MINI)

    async def steps(pilot):
        back = await back_from(pilot, name)
        await until(pilot, lambda: screen_name(pilot) == name, name)
        await pilot.press("escape")
        await until(pilot, lambda: screen_name(pilot) == back, f"Escape from {name} to {back}")

    run(app, steps)


async def focus_button(pilot: Pilot) -> Button:
    """Focus the screen's main button with Shift+Tab, as a student would."""
    button = pilot.app.screen.query(Button).first()
    for _ in range(12):
        if pilot.app.focused is button:
            return button
        await pilot.press("shift+tab")
    raise AssertionError(f"Shift+Tab never reached {button}")


@pytest.mark.parametrize("name", cases("enter"))
def test_enter_presses_the_focused_button_and_space_does_not(make_app, name):
    app = make_app(MINI)

    async def steps(pilot):
        await reach(pilot, name)
        if (
            pilot.app.screen.query("#opt-withhold")
            and not pilot.app.screen.query_one("#opt-withhold").value
        ):  # a vote has its winner ticked already
            await click(pilot, "#opt-withhold")
        button = await focus_button(pilot)
        before = (pilot.app.screen, screen_text(pilot))
        await pilot.press("space")
        await pilot.pause()
        assert (pilot.app.screen, screen_text(pilot)) == before, "Space pressed a button"
        assert pilot.app.focused is button
        await pilot.press("enter")
        await until(pilot, lambda: (pilot.app.screen, screen_text(pilot)) != before, "a press")

    run(app, steps)


@pytest.mark.parametrize("name", cases("focus"))
def test_the_focused_button_is_in_reverse_video(make_app, name, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(MINI)

    async def steps(pilot):
        await reach(pilot, name)
        button = await focus_button(pilot)
        await pilot.pause()
        styles = [seg.style for seg in button.render_line(0) if seg.text.strip() and seg.style]
        assert styles and all(s.reverse and s.bold for s in styles), styles

    run(app, steps)


@pytest.mark.parametrize("name", cases("confirm"))
def test_enter_ticks_the_option_and_a_second_enter_sends_it(make_app, name):
    app = make_app(MINI)

    async def steps(pilot):
        await reach(pilot, name)
        screen = pilot.app.screen
        withhold = screen.query_one("#opt-withhold")
        await pilot.press("enter")
        await until(pilot, lambda: withhold.value, "the option ticked by Enter")
        assert pilot.app.screen is screen, "the first Enter sent the choice"
        await pilot.press("enter")
        await until(pilot, lambda: pilot.app.screen is not screen, "the choice sent by Enter")

    run(app, steps)


@pytest.mark.parametrize("name", cases("arrows"))
def test_the_arrow_keys_stop_on_refused_options_and_at_the_ends(make_app, name):
    app = make_app(MINI)

    async def steps(pilot):
        await reach(pilot, name)
        screen = pilot.app.screen
        choices = screen.query_one("#rule" if name == "StartScreen" else "#choices")
        choices.focus()
        await pilot.pause()
        names = [b.id for b in choices.query("RadioButton")]
        at = [names[choices._selected]]
        for key in ["up", "down", "down", "down", "up", "up"]:
            await pilot.press(key)
            at.append(names[choices._selected])
        first, last = names[0], names[-1]
        assert at == [first, first, last, last, last, first, first], at
        if name != "StartScreen":  # the last is ✗ Give it: Enter says why, ticks nothing
            await pilot.press("down", "enter")
            await until(pilot, lambda: "“Give it” cannot be taken" in screen_text(pilot), "why")
            assert not screen.query_one("#opt-give").value

    run(app, steps)


def test_a_many_option_decision_has_the_same_keys(make_app):
    app = make_app(MINI)

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president")])
        await next_(pilot, "DecideScreen")
        await click(pilot, "#opt-withhold")
        await next_(pilot)
        await next_(pilot, "MeetingScreen")
        await next_(pilot, "DecideScreen")
        screen = pilot.app.screen
        await pilot.press("up")
        assert pilot.app.focused.id == "opt-wait"
        await pilot.press("down", "down")
        assert pilot.app.focused.id == "opt-tighten"
        await pilot.press("enter")
        assert pilot.app.focused.value and pilot.app.screen is screen
        await pilot.press("space")
        assert not pilot.app.focused.value
        await pilot.press("space", "enter")
        await until(pilot, lambda: pilot.app.screen is not screen, "the choice sent")

    run(app, steps)


def test_the_help_key_table_is_built_from_the_bindings():
    from exsim.tui.play_screens import GameScreen
    from exsim.tui.widgets import Choices

    table = key_table()
    assert "<!--" not in help_text() and table in help_text()
    for binding in [*GameScreen.BINDINGS, *Choices.BINDINGS]:
        assert binding.tooltip in table, binding
    shown = {(p, w): k for k, p, w in rows(where_keys())}
    assert shown["options to choose", "tick or untick the option under the cursor"] == "Space"
    assert shown["a button", "press the focused button (Space does not press a button)"] == (
        "Enter"
    )
    assert shown["a meeting's screens", GameScreen.BINDINGS[-1].tooltip] == "Esc"
    assert "| Ctrl+P | anywhere |" in table


def test_f1_shows_the_key_table(make_app):
    app = make_app(MINI)

    async def steps(pilot):
        await loaded(pilot)
        await pilot.press("f1")
        await until(pilot, lambda: screen_name(pilot) == "HelpScreen", "the help")
        table = pilot.app.screen.query_one("MarkdownTable")
        assert table is not None

    run(app, steps)
