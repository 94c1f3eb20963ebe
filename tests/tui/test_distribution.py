"""The debrief's simulated outcome distribution for the group's own choices."""

from __future__ import annotations

from textual_plotext import PlotextPlot
from tui_steps import choose, next_, run, screen_name, screen_text, set_up


async def to_debrief_off_the_record(pilot):
    await set_up(pilot, [("Ana", "president")])
    await next_(pilot, "DecideScreen")
    await choose(pilot, ["withhold"])
    await next_(pilot, "MeetingScreen")
    await next_(pilot, "DecideScreen")
    await choose(pilot, ["tighten"])
    await next_(pilot, "MeetingScreen")
    await next_(pilot, "DecideScreen")
    await choose(pilot, ["keep"])
    await next_(pilot, "DebriefScreen")


def test_the_debrief_simulates_the_groups_own_choices(make_app):
    app = make_app()

    async def steps(pilot):
        await to_debrief_off_the_record(pilot)
        await pilot.press("d")
        assert screen_name(pilot) == "DistributionScreen"
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        result = screen.result
        assert result.runs == 10_000 and result.plan.choices["pressure"] == ("tighten",)
        assert sum(result.endings().values()) == 10_000
        text = screen_text(pilot)
        assert "SIMULATED: your choices, played 10,000 times" in text
        rows = [line for line in text.splitlines() if line.rstrip().endswith("%") or "% " in line]
        assert len(rows) >= 3 and not any("simulated" in line for line in rows)
        assert text.count("Games and shares: all SIMULATED.") == 1  # said once, for the table
        assert "← yours" in text  # the group's own outcome among them
        assert len(screen.query(PlotextPlot)) == 1
        await pilot.press("escape")
        assert screen_name(pilot) == "DebriefScreen"

    run(app, steps)
