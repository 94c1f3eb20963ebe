"""The whole November 1962 campaign played through the UI: on the record, and off it."""

from __future__ import annotations

from tui_steps import NOVEMBER, click, play_to_debrief, run, screen_name, screen_text, set_up


def test_the_record_path_reaches_a_debrief_with_no_divergence(make_app, store):
    app = make_app(NOVEMBER)

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president")])
        texts = []
        seen = await play_to_debrief(pilot, {}, texts=texts)
        assert "BriefingScreen" in seen and "ConsequencesScreen" in seen
        # the outcome phase's situation is the record after the game: no play screen shows
        # it, hindsight least of all; the debrief does, labelled
        played = " ".join(t for name, t in texts if name != "DebriefScreen")
        for after_the_game in ("HINDSIGHT", "On 11 November", "Where the documents stop"):
            assert after_the_game not in played, after_the_game
        assert "A sitting the game convenes" in " ".join(t for _, t in texts)
        # the decider's own recorded position is the record's answer: not shown before deciding
        meetings = " ".join(t for name, t in texts if name == "MeetingScreen")
        assert "Dean Rusk" in meetings and "The US would look at ships leaving" not in meetings
        text = screen_text(pilot)
        assert "After the game: the record, and where the documents stop" in text
        assert "29 November the President said" in text
        assert "HINDSIGHT, not known at the time: On 11 November" in text
        assert "Where the documents stop" in text and "on 23 November the State" in text
        assert "≠ differs" not in text
        assert "Points where your game left the record: 0" in text
        assert "Your outcome:" in text and "The record's outcome:" in text
        assert "FRUS XI, 143 ¶" in text and "FRUS XI, 174 ¶" in text
        assert "Ana as John F. Kennedy" in text
        # the status panel uses the dimensions' short labels, three columns at 80
        assert "IL-28s: Removal agreed" in text and "Inspection: Aerial only" in text

    run(app, steps)
    session = store.list()[0]
    assert session.finished
    assert {e.step: list(e.chosen) for e in session.decisions} == {
        k: v
        for k, v in app.sitting.campaign.record_choices.items()
        if k in {e.step for e in session.decisions}
    }


def test_leaving_the_record_a_refusal_that_teaches_and_a_pledge_taken(make_app, store):
    app = make_app(NOVEMBER)
    pressure = ["oas_meeting", "noncompliance", "tighten"]

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president"), ("Ben", "rusk")])
        await play_to_debrief(pilot, {"overflights": ["suspend"]}, stop_at="commitment_terms")
        assert screen_name(pilot) == "RecommendScreen"  # Ben recommends, Ana decides
        await click(pilot, "#opt-rely_on_aerial", toggles=False)  # no flights: nothing to rely on
        widget = pilot.app.screen.query_one("#opt-rely_on_aerial")
        assert widget.refused and not widget.value
        text = screen_text(pilot)
        assert "“Drop ground inspection and rely on US aerial surveillance” cannot be taken: " in (
            text
        )
        assert "✗ Drop ground inspection and rely on US aerial surveillance: not allowed:" in text
        assert "[FRUS XI, 143 ¶3]" in text.split("not allowed:")[-1]
        plan = {"commitment_terms": ["commit_now"], "pressure_steps": pressure}
        seen = await play_to_debrief(pilot, plan)
        assert "PassScreen" in seen
        text = screen_text(pilot)
        assert "A formal pledge with nothing verified on the ground" in text
        assert "≠ differs" in text
        assert "? For discussion:" in text
        assert "Ben (Dean Rusk) recommended:" in text
        assert "Ben as Dean Rusk:" in text

    run(app, steps)
    decisions = {e.step: e.chosen for e in store.list()[0].decisions}
    assert decisions["commitment_terms"] == ("commit_now",)
    assert decisions["pressure_steps"] == tuple(pressure)
    assert "pledge_rule" not in decisions  # a pledge already given: the item does not come up


def test_a_what_if_games_briefing_follows_its_state(make_app, store):
    app = make_app(NOVEMBER)
    plan = {
        "overflights": ["suspend"],
        "pressure_steps": ["tighten"],
        "quarantine_nov20": ["keep_until_gone"],
        "overflights_nov20": ["stop_flights"],
    }

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president")])
        texts = []
        await play_to_debrief(pilot, plan, texts=texts)
        briefs = [t for name, t in texts if name == "BriefingScreen" and "Cuba?" in t]
        assert len(briefs) == 1
        brief = briefs[0]
        assert "Quarantine: Tightened" in brief  # the status line above the briefing
        assert "lifted the quarantine" not in brief
        assert "Your game has left the record" in brief
        assert "The reconnaissance flights over Cuba are suspended in your game" in brief
        assert "Answers: Some simulated" in brief
        everything = " ".join(t for _, t in texts)
        assert "Suspended → Suspended" not in everything  # a move to where it is is no change
        assert (
            "“at some point”" in everything and "at some point. “at some point”" not in everything
        )

    run(app, steps)


def test_a_meeting_whose_record_names_no_chair_says_why_the_group_votes(make_app):
    app = make_app(NOVEMBER)

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president")], rule="chair")
        texts: list[tuple[str, str]] = []
        await play_to_debrief(pilot, {}, stop_at="khrushchev_message", texts=texts)
        meetings = [" ".join(t.split()) for name, t in texts if name == "MeetingScreen"]
        first = meetings[0]
        assert "In the chair: John F. Kennedy." in first
        evening = meetings[-1]
        assert "Khrushchev's message" in evening
        assert (
            "In the chair: none named: the documents at hand name no one presiding at this "
            "meeting, so even with the chair deciding, the group votes on its items here."
        ) in evening
        assert "(the group votes)" not in evening

    run(app, steps)
