"""Steps that drive the game through its UI, as a user would, for Pilot and snapshot tests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Select

from exsim import paths
from waiting import text_of, until

ROOT = Path(__file__).parents[2]
MINI = ROOT / "tests" / "data" / "mini.yaml"
NOVEMBER = paths.BUNDLED_SCENARIOS / "november-1962.yaml"
SIZE = (100, 40)


def run(app, steps: Callable[[Pilot], Awaitable[None]], size=SIZE) -> None:
    """Run *app* headless and drive it with *steps*."""

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await steps(pilot)

    asyncio.run(main())


async def loaded(pilot: Pilot) -> None:
    """Wait until the start screen has loaded its scenario (it loads after the first paint)."""
    await until(pilot, lambda: getattr(pilot.app.screen, "campaign", None), "the scenario loaded")


async def set_up(pilot: Pilot, seats: list[tuple[str, str]], rule: str = "chair") -> None:
    """Fill in the start screen: (player name, role id) per seat, the decision rule; Start."""
    await loaded(pilot)
    screen = pilot.app.screen
    screen.query_one("#count", Select).value = len(seats)
    await pilot.pause()
    for n, (name, role) in enumerate(seats):
        screen.query_one(f"#name-{n}", Input).value = name
        screen.query_one(f"#role-{n}", Select).value = role
    if rule == "vote":
        await click(pilot, "#rule-vote")
    await pilot.press("ctrl+s")
    await until(pilot, lambda: started_or_refused(pilot), "the game started or a refusal")


def started_or_refused(pilot: Pilot) -> bool:
    screen = pilot.app.screen
    return screen_name(pilot) != "StartScreen" or bool(str(screen.query_one("#problem").render()))


async def click(pilot: Pilot, selector: str, toggles: bool = True) -> None:
    """Click a widget as a user would, scrolling it into view first; wait until its value
    flipped (unless *toggles* is False: a click the app refuses)."""
    widget = pilot.app.screen.query_one(selector)
    widget.scroll_visible(animate=False, immediate=True)
    await until(pilot, lambda: pilot.app.screen.region.contains_region(widget.region), selector)
    before = widget.value
    await pilot.click(widget)
    if toggles:
        await until(pilot, lambda: widget.value != before, f"{selector} ticked")
    else:
        await pilot.pause()


def screen_name(pilot: Pilot) -> str:
    return type(pilot.app.screen).__name__


def screen_text(pilot: Pilot) -> str:
    """Every Static's text on the current screen, for asserting what the user can read."""
    return text_of(pilot.app)


async def next_(pilot: Pilot, expect: str | None = None) -> None:
    """Press n (the screen's main button) and wait until the screen or its text changed;
    optionally check the screen we arrive at."""
    before = (pilot.app.screen, screen_text(pilot))
    await pilot.press("n")
    await until(pilot, lambda: (pilot.app.screen, screen_text(pilot)) != before, "a change")
    if expect:
        await until(pilot, lambda: screen_name(pilot) == expect, f"the {expect}")


async def choose(pilot: Pilot, picks: list[str]) -> None:
    """Tick options on a recommendation or decision screen, then submit."""
    for pick in picks:
        await click(pilot, f"#opt-{pick}")
    await next_(pilot)


async def pick(pilot: Pilot, picks: list[str]) -> None:
    """Set the options on a choice screen to exactly *picks* by clicking, then submit."""
    picker = pilot.app.screen.query_one("OptionPicker")
    for status in picker.statuses:
        widget = picker.query_one(f"#opt-{status.id}")
        if status.allowed and widget.value != (status.id in picks):
            await click(pilot, f"#opt-{status.id}")
    await next_(pilot)


def allowed(pilot: Pilot) -> list[str]:
    return [o.id for o in pilot.app.screen.query_one("OptionPicker").statuses if o.allowed]


async def play_to_debrief(
    pilot: Pilot,
    plan: dict[str, list[str]],
    stop_at: str | None = None,
    limit: int = 300,
    texts: list[tuple[str, str]] | None = None,
) -> list[str]:
    """Play on through the UI: each choice screen takes the plan's picks (else the record's,
    else the first allowed option); other screens are read and passed. Stops at the debrief,
    or at the first choice screen for decision *stop_at*. Returns the screens seen; each
    screen's name and text are added to *texts* if given.
    """
    seen = []
    for _ in range(limit):
        name = screen_name(pilot)
        seen.append(name)
        if texts is not None:
            texts.append((name, screen_text(pilot)))
        if name == "DebriefScreen":
            return seen
        if name in ("RecommendScreen", "DecideScreen"):
            decision = pilot.app.sitting.decision
            if decision.id == stop_at:
                return seen
            record = pilot.app.sitting.campaign.record_choices.get(decision.id, [])
            offered = allowed(pilot)
            wanted = [p for p in plan.get(decision.id, record) if p in offered]
            await pick(pilot, wanted or [p for p in record if p in offered] or offered[:1])
        else:
            await next_(pilot)
    raise AssertionError(f"no debrief after {limit} screens: {seen[-10:]}")
