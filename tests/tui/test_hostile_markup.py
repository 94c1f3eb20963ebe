"""Markup in scenario text, names and messages is shown as written, never parsed.

A scenario whose every text field is markup (`[/]`, `[@click=app.quit]`, `[until inspection]`)
is played from the start screen to the debrief, with two players whose names are markup. At
every screen the app is still running and the text appears literally.
"""

from __future__ import annotations

import pytest
from textual.widgets import Button, Select
from tui_steps import MINI, allowed, loaded, next_, pick, run, screen_name, set_up

from exsim.tui.app import ExsimApp
from exsim.tui.panels import ChangedScreen

QUIT = "[@click=app.quit]"
CHANGES = [
    ("title: Mini crisis", f'title: "[/]Mini {QUIT}crisis[/]"'),
    ("summary: Two decisions", f'summary: "{QUIT}Two decisions'),
    ("one answer, to exercise the engine.", 'one answer [b]to exercise the engine."'),
    ("name: The President", 'name: "[/]The President"'),
    ("office: President", 'office: "[b]President"'),
    ("name: Dean Rusk", f'name: "{QUIT}Dean Rusk"'),
    ("You want inspection first.", "You want [red]inspection[/red] first [really]."),
    (
        "{id: withhold, label: Withhold it}",
        '{id: withhold, label: "Withhold it [until inspection]"}',
    ),
    ("{id: give, label: Give it,", '{id: give, label: "[/] Give it",'),
    ("{id: wait, label: Wait for the talks}", f'{{id: wait, label: "{QUIT}Wait"}}'),
    ("title: The pledge", 'title: "The pledge [red]now[/]"'),
    ("question: Give the no-invasion pledge now?", f'question: "{QUIT}Pledge now?"'),
    ("title: The meeting", 'title: "The [bold]meeting"'),
    ("text: The bombers are still in Cuba.", 'text: "The bombers [/]are still in Cuba."'),
    ("position: Inspection first.", 'position: "Inspection [first]."'),
    ("summary: No pledge without inspection.", 'summary: "No pledge [/]without inspection."'),
    ("short: Doc A", 'short: "Doc [A]"'),
    ("title: Khrushchev answers", 'title: "[/]Khrushchev answers"'),
    ("text: The bombers will go.", 'text: "The bombers will go [@click=app.bell]."'),
    ("title: The deal holds", 'title: "The deal [/]holds"'),
    ("label: IL-28 bombers", 'label: "IL-28 [bombers]"'),
    ("{id: removed, label: Removed}", '{id: removed, label: "[/]Removed"}'),
    ("reason: No pledge without inspection agreed", 'reason: "[/]No pledge without inspection'),
    ("by the Soviets and Castro.", 'by the Soviets and Castro."'),
    ("label: IL-28s leave", 'label: "[/]IL-28s leave"'),
]
SEEN = [
    "[/]Mini [@click=app.quit]crisis[/]",
    "[/]The President",
    "[@click=app.quit]Dean Rusk",
    "You want [red]inspection[/red] first [really].",
    "Withhold it [until inspection]",
    "The pledge [red]now[/]",
    "The bombers [/]are still in Cuba.",
    "Inspection [first].",
    "Doc [A]",
    "[/]No pledge without inspection",
    "[/]Ana",
    "[b]Ben",
    "[/]Khrushchev answers",
    "The bombers will go [@click=app.bell].",
    "The deal [/]holds",
    "No pledge [/]without inspection.",
    "[/]IL-28s leave",
]


@pytest.fixture
def marked(tmp_path):
    text = MINI.read_text()
    for old, new in CHANGES:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "marked.yaml"
    path.write_text(text)
    return path


def shown(pilot) -> str:
    """All the text on screen: statics, labels, buttons, radio and check boxes, selects."""
    screen = pilot.app.screen
    parts = [str(w.render()) for w in screen.query("Static, Label")]
    parts += [str(w.label) for w in screen.query("Button, RadioButton, Checkbox")]
    parts += [str(prompt) for s in screen.query(Select) for prompt, _ in s._options]
    return "\n".join(parts)


def test_markup_is_text_from_the_start_screen_to_the_debrief(store, marked):
    app = ExsimApp(store, scenario=marked)
    seen: list[str] = []

    async def steps(pilot):
        await loaded(pilot)
        seen.append(shown(pilot))
        await set_up(pilot, [("[/]Ana", "president"), ("[b]Ben", "rusk")], rule="vote")
        for _ in range(60):
            assert app.is_running and app.return_code is None, screen_name(pilot)
            seen.append(shown(pilot))
            name = screen_name(pilot)
            if name == "DebriefScreen":
                break
            if name in ("RecommendScreen", "DecideScreen"):
                await pick(pilot, allowed(pilot)[:1])
            else:
                if name == "MeetingScreen":
                    await pilot.press("m")  # the policy machine, over the game
                    seen.append(shown(pilot))
                    await pilot.press("escape")
                await next_(pilot)
        assert screen_name(pilot) == "DebriefScreen"
        await pilot.press("d")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        seen.append(shown(pilot))
        await pilot.press("escape")
        await pilot.press("ctrl+p")  # the command palette lists the resume screen
        await pilot.press("escape")
        app.action_resume()
        await pilot.pause()
        seen.append(shown(pilot))
        assert app.is_running and app.return_code is None

    run(app, steps)
    everything = "\n".join(seen)
    missing = [s for s in SEEN if s not in everything]
    assert not missing, missing
    assert not app.return_code


def test_markup_in_messages_and_buttons_is_text(store, marked):
    app = ExsimApp(store, scenario=marked)

    async def steps(pilot):
        await loaded(pilot)
        app.resume("[/]nobody")  # the error names the session: a notification
        await pilot.pause()
        app.push_screen(ChangedScreen("Session [/]x [@click=app.quit]changed"))
        await pilot.pause()
        assert "Session [/]x [@click=app.quit]changed" in shown(pilot)
        await pilot.click(app.screen.query_one("#replay", Button))
        await pilot.pause()
        assert app.is_running and app.return_code is None

    run(app, steps)
    assert not app.return_code
