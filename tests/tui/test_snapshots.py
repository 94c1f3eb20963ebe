"""Snapshots of the key screens, reached by Pilot steps; fixed sizes, nothing time-dependent.

Update after a deliberate change: pytest tests/tui --snapshot-update -p no:cacheprovider
"""

from __future__ import annotations

from tui_steps import NOVEMBER, choose, loaded, next_, set_up

from exsim.tui.sources_screen import ParagraphView
from waiting import until

SMALL = (80, 24)
LARGER = (100, 30)


def test_start_screen(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SMALL, run_before=loaded)


async def two_players(pilot):
    await set_up(pilot, [("Ana", "president"), ("Ben", "rusk")])


def test_pass_the_keyboard(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SMALL, run_before=two_players)


def test_briefing(snap_compare, make_app):
    async def steps(pilot):
        await two_players(pilot)
        await next_(pilot, "BriefingScreen")

    assert snap_compare(make_app(), terminal_size=SMALL, run_before=steps)


async def meeting(pilot):
    await set_up(pilot, [("Ana", "president")])


def test_meeting(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=LARGER, run_before=meeting)


def test_decision_with_a_refused_option(snap_compare, make_app):
    async def steps(pilot):
        await meeting(pilot)
        await next_(pilot, "DecideScreen")

    assert snap_compare(make_app(), terminal_size=SMALL, run_before=steps)


async def after_pressure(pilot):
    await meeting(pilot)
    await next_(pilot, "DecideScreen")
    await choose(pilot, ["withhold"])
    await next_(pilot, "MeetingScreen")
    await next_(pilot, "DecideScreen")
    await choose(pilot, ["tighten"])


def test_status_and_cables(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SMALL, run_before=after_pressure)


def test_policy_machine(snap_compare, make_app):
    async def steps(pilot):
        await after_pressure(pilot)
        await pilot.press("m")

    assert snap_compare(make_app(), terminal_size=LARGER, run_before=steps)


def test_debrief(snap_compare, make_app):
    async def steps(pilot):
        await after_pressure(pilot)
        await next_(pilot, "MeetingScreen")
        await next_(pilot, "DecideScreen")
        await choose(pilot, ["keep"])
        await next_(pilot, "DebriefScreen")

    assert snap_compare(make_app(), terminal_size=LARGER, run_before=steps)


def test_help(snap_compare, make_app):
    async def steps(pilot):
        await loaded(pilot)
        await pilot.press("f1")

    assert snap_compare(make_app(), terminal_size=SMALL, run_before=steps)


def test_focus_shows_without_colour(snap_compare, make_app, monkeypatch):
    """NO_COLOR: the focused option is underlined and bold, not only highlighted in colour."""
    monkeypatch.setenv("NO_COLOR", "1")

    async def steps(pilot):
        await meeting(pilot)
        await next_(pilot, "DecideScreen")
        await pilot.press("down")

    assert snap_compare(make_app(), terminal_size=SMALL, run_before=steps)


def test_start_screen_focus_without_colour(snap_compare, make_app, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")

    async def steps(pilot):
        await loaded(pilot)
        await pilot.press("tab", "tab")

    assert snap_compare(make_app(), terminal_size=SMALL, run_before=steps)


def test_sources_at_a_cited_paragraph(snap_compare, make_app):
    """The President's first briefing, S, then its second citation: FRUS XI, 143 ¶4."""

    async def steps(pilot):
        await meeting(pilot)
        await pilot.press("s")
        await pilot.press("down")

        def cited() -> list[str]:
            return [p.label for p in pilot.app.screen.query(ParagraphView) if p.has_class("-cited")]

        await until(pilot, lambda: cited() == ["4"], "¶4 marked")

    assert snap_compare(make_app(NOVEMBER), terminal_size=SMALL, run_before=steps)
