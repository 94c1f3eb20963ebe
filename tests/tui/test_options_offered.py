"""On screen, an option the machine cannot take from where the game stands is not listed; one
the group's policy refuses is listed, refused, with its reason (issue 26)."""

from __future__ import annotations

from tui_steps import allowed, click, next_, play_to_debrief, run, screen_name, screen_text, set_up

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


def test_holding_the_steps_in_reserve_with_a_step_is_refused_at_the_picker(store):
    # audit G5-2: "hold in reserve" was accepted ticked together with two steps.
    app = ExsimApp(store, scenario=SCENARIO)

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president")])
        await play_to_debrief(pilot, {}, stop_at="pressure_steps")
        await click(pilot, "#opt-hold_in_reserve")
        await click(pilot, "#opt-oas_meeting")
        await pilot.press("n")
        await pilot.pause()
        said = " ".join(screen_text(pilot).split())
        assert "is taken alone; it cannot go with 'Call an OAS meeting to restate its" in said
        assert pilot.app.sitting.decision.id == "pressure_steps"  # nothing decided

    run(app, steps)
