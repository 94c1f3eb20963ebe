"""Steps that drive the game through its UI, as a user would, for Pilot and snapshot tests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Select

from exsim import paths

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
    for _ in range(400):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if pilot.app.screen.campaign is not None:
            return
        await pilot.pause(0.05)
    raise AssertionError("the scenario did not load")


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
    await pilot.pause()


async def click(pilot: Pilot, selector: str) -> None:
    """Click a widget as a user would, scrolling it into view first."""
    widget = pilot.app.screen.query_one(selector)
    widget.scroll_visible(animate=False, immediate=True)
    await pilot.pause()
    await pilot.click(widget)
    await pilot.pause()


def screen_name(pilot: Pilot) -> str:
    return type(pilot.app.screen).__name__


def screen_text(pilot: Pilot) -> str:
    """Every Static's text on the current screen, for asserting what the user can read."""
    return "\n".join(str(w.render()) for w in pilot.app.screen.query("Static"))


async def next_(pilot: Pilot, expect: str | None = None) -> None:
    """Press n (the screen's main button); optionally check the screen we arrive at."""
    await pilot.press("n")
    await pilot.pause()
    if expect:
        assert screen_name(pilot) == expect, screen_text(pilot)


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
