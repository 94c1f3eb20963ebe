"""On screen, an option the machine cannot take from where the game stands is not listed; one
the group's policy refuses is listed, refused, with its reason (issue 26)."""

from __future__ import annotations

from tui_steps import allowed, next_, run, screen_name, screen_text, set_up

from exsim import paths
from exsim.tui.app import ExsimApp

SCENARIO = paths.BUNDLED_SCENARIOS / "november-1962.yaml"
TIGHTENED = {
    "quarantine": "tightened",
    "oas_meeting": "convened",
    "statement": "made",
    "il28": "removal_agreed",
    "course": "simulated",
}


def test_a_tightened_quarantine_is_not_offered_tightening_nor_a_convened_oas_convening(store):
    app = ExsimApp(store, scenario=SCENARIO, opening=("nov20", TIGHTENED))

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president")])
        assert screen_name(pilot) == "MeetingScreen"
        text = screen_text(pilot)
        assert "• Lift it at once" in text and "• Keep it until the bombers" in text
        assert "Tighten it" not in text and "✗" not in text
        await next_(pilot)  # the players' recommendations: the group votes at this meeting
        statuses = pilot.app.screen.query_one("OptionPicker").statuses
        assert [o.id for o in statuses] == ["lift_now", "keep_until_gone"]
        assert allowed(pilot) == ["lift_now", "keep_until_gone"]

    run(app, steps)


def test_the_formal_pledge_the_groups_rule_forbids_is_listed_refused_with_its_reason(store):
    app = ExsimApp(store, scenario=SCENARIO, opening=("nov21", None))

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president")])
        assert screen_name(pilot) == "BriefingScreen"  # the President's, in private, first
        await next_(pilot, "MeetingScreen")
        text = screen_text(pilot)
        assert "✗ Give a formal no-invasion commitment" in text
        assert "The group's rule of 13 November" in " ".join(text.split())
        assert "FRUS XI, 174 ¶3" in text

    run(app, steps)
