"""The whole November 1962 campaign played through the UI: on the record, and off it."""

from __future__ import annotations

from tui_steps import NOVEMBER, click, play_to_debrief, run, screen_name, screen_text, set_up


def test_the_record_path_reaches_a_debrief_with_no_divergence(make_app, store):
    app = make_app(NOVEMBER)

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president")])
        seen = await play_to_debrief(pilot, {})
        assert "BriefingScreen" in seen and "ConsequencesScreen" in seen
        text = screen_text(pilot)
        assert "≠ differs" not in text
        assert "Points where your game left the record: 0" in text
        assert "Your outcome:" in text and "The record's outcome:" in text
        assert "FRUS XI, 143 ¶" in text and "FRUS XI, 174 ¶" in text
        assert "Ana as John F. Kennedy" in text
        # the status line uses the dimensions' short labels, to stay within 80 columns x 4 lines
        assert "IL-28s: Removal agreed │ Inspection: US aerial only" in text

    run(app, steps)
    session = store.list()[0]
    assert session.finished
    assert {e.step: list(e.chosen) for e in session.decisions} == {
        k: v
        for k, v in app.sitting.campaign.record_choices.items()
        if k in {e.step for e in session.decisions}
    }


def test_leaving_the_record_pledge_refused_pressure_taken(make_app, store):
    app = make_app(NOVEMBER)
    pressure = ["oas_meeting", "noncompliance", "tighten"]

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president"), ("Ben", "rusk")])
        await play_to_debrief(pilot, {"pressure_steps": pressure}, stop_at="pledge_rule")
        assert screen_name(pilot) == "RecommendScreen"  # 13 Nov: no President, Ben votes
        await click(pilot, "#opt-commit_for_bombers")  # the guard forbids it
        widget = pilot.app.screen.query_one("#opt-commit_for_bombers")
        assert widget.disabled and not widget.value
        text = screen_text(pilot)
        assert "✗ Offer the formal commitment in return for the bombers: not allowed:" in text
        assert "FRUS XI" in text.split("not allowed:")[-1]
        assert "Quarantine: Tightened" in text and "Pressure taken: 3" in text  # the status
        seen = await play_to_debrief(pilot, {"pledge_rule": ["aerial_enough"]})
        assert "PassScreen" in seen
        text = screen_text(pilot)
        assert text.count("≠ differs from ExComm") >= 2
        assert "? For discussion:" in text
        assert "Ben (Dean Rusk) recommended: Accept aerial surveillance as enough" in text
        assert "Ben as Dean Rusk:" in text

    run(app, steps)
    decisions = {e.step: e.chosen for e in store.list()[0].decisions}
    assert decisions["pressure_steps"] == tuple(pressure)
    assert decisions["pledge_rule"] == ("aerial_enough",)
