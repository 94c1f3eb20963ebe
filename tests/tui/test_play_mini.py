"""Pilot tests on the small scenario: the flow, privacy, votes, refusals, saving, resuming."""

from __future__ import annotations

from tui_steps import choose, click, next_, run, screen_name, screen_text, set_up


def test_one_player_plays_the_record_to_the_debrief(make_app, store):
    app = make_app()

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president")])
        assert screen_name(pilot) == "MeetingScreen"  # one player: no pass screens
        text = screen_text(pilot)
        assert "Dean Rusk: Inspection first. [Doc A ¶1]" in text  # advisor, cited
        assert "✗ Give it" in text and "No pledge without inspection" in text
        assert "Ana (The President) decides." in text
        await next_(pilot, "DecideScreen")  # the chair decides; no recommendation to himself
        await choose(pilot, ["withhold"])
        assert screen_name(pilot) == "ConsequencesScreen"
        await next_(pilot, "MeetingScreen")
        await next_(pilot, "DecideScreen")
        await choose(pilot, ["wait"])
        cables = screen_text(pilot)
        assert "CABLE" in cables and "The bombers will go. [Doc B]" in cables
        assert "IL-28 bombers: In Cuba → Removed" not in cables
        assert "IL-28 bombers: Removal agreed → Removed" in cables
        await next_(pilot, "MeetingScreen")  # lift: nobody present, the player decides
        assert "No player attends: the players decide together." in screen_text(pilot)
        await next_(pilot, "DecideScreen")
        text = screen_text(pilot)
        assert "Decision by the players together" in text
        assert "Votes" not in text and "No single winner" not in text  # no empty vote
        await choose(pilot, ["lift"])
        await next_(pilot, "DebriefScreen")
        text = screen_text(pilot)
        assert text.count("= same as the record") == 3
        assert "Your outcome: The deal holds" in text
        assert "Points where your game left the record: 0" in text
        assert "Ana as Dean Rusk" not in text

    run(app, steps)
    session = store.list()[0]
    assert session.finished and [e.step for e in session.decisions] == [
        "pledge",
        "pressure",
        "lift",
    ]


def test_two_players_vote_leave_the_record_and_see_why(make_app, store):
    app = make_app()

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president"), ("Ben", "rusk")], rule="vote")
        assert screen_name(pilot) == "PassScreen"
        assert "Pass the keyboard to Ben (Dean Rusk)" in screen_text(pilot)
        assert "You want inspection first" not in screen_text(pilot)
        await next_(pilot, "BriefingScreen")
        assert "You want inspection first. [Doc A ¶1]" in screen_text(pilot)
        await next_(pilot, "MeetingScreen")
        # Rusk is played: his recorded position is for Ben alone, not at the table
        assert "Inspection first." not in screen_text(pilot)
        assert "shown to their players in private" in screen_text(pilot)
        await next_(pilot, "PassScreen")
        await next_(pilot, "RecommendScreen")
        assert "Inspection first." not in screen_text(pilot)  # Ana plays the President
        await click(pilot, "#opt-give", toggles=False)  # refused by the guard: cannot be ticked
        await next_(pilot, "RecommendScreen")
        assert "Choose an option first." in screen_text(pilot)
        await choose(pilot, ["withhold"])
        assert "Pass the keyboard to Ben" in screen_text(pilot)
        await next_(pilot, "RecommendScreen")
        assert "recommends" not in screen_text(pilot)  # Ana's pick stays private
        assert "For you alone: what Dean Rusk argues on this item" in screen_text(pilot)
        assert "Dean Rusk: Inspection first. [Doc A ¶1]" in screen_text(pilot)
        await choose(pilot, ["withhold"])
        assert screen_name(pilot) == "ConsequencesScreen"  # the vote is the decision
        text = screen_text(pilot)
        assert "The players' vote: Withhold it 2, Give it 0. The vote decides: Withhold it." in text
        assert "Decided: The pledge: Withhold it" in text
        await next_(pilot, "MeetingScreen")
        assert "the vote decides (a tie goes to the option listed first" in screen_text(pilot)
        await next_(pilot, "PassScreen")
        await next_(pilot)
        await choose(pilot, ["wait", "tighten"])
        await next_(pilot)
        await choose(pilot, ["tighten"])
        assert screen_name(pilot) == "ConsequencesScreen"
        text = screen_text(pilot)
        assert "The players' vote: Wait for the talks 1, Tighten the quarantine 2." in text
        assert "Quarantine: In force → Tightened" in text
        assert "Quarantine: Tightened" in text and "Pressure taken: 1" in text
        await next_(pilot, "MeetingScreen")
        await next_(pilot, "DecideScreen")
        assert "No single winner" not in screen_text(pilot)  # nobody attends: no empty vote
        await choose(pilot, ["keep"])
        await next_(pilot, "DebriefScreen")
        text = screen_text(pilot)
        assert "Your outcome: Standoff  (SIMULATED: not what happened)" in text
        assert "The record's outcome: The deal holds" in text
        assert "≠ differs from the record" in text
        assert "Ben (Dean Rusk) recommended: Withhold it" in text
        assert "Dean Rusk argued: Inspection first. [Doc A ¶1]" in text
        assert "Ben as Dean Rusk: 0 of 1 recommendations as he argued (0%)" in text  # he tightened

    run(app, steps)
    session = store.list()[0]
    assert (session.rule, session.players) == ("vote", {"president": "Ana", "rusk": "Ben"})
    assert session.decisions[1].chosen == ("tighten",)


def test_a_tie_is_settled_by_the_rule_shown_on_screen(make_app, store):
    app = make_app()

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president"), ("Ben", "rusk")], rule="vote")
        for _ in range(4):  # pass, briefing, meeting, pass
            await next_(pilot)
        await choose(pilot, ["withhold"])
        await next_(pilot)
        await choose(pilot, ["withhold"])
        await next_(pilot, "MeetingScreen")
        await next_(pilot, "PassScreen")
        await next_(pilot, "RecommendScreen")
        await choose(pilot, ["tighten"])
        await next_(pilot, "RecommendScreen")
        await choose(pilot, ["wait"])
        assert screen_name(pilot) == "ConsequencesScreen"  # nobody is asked to pick again
        text = screen_text(pilot)
        assert "The players' vote: Wait for the talks 1, Tighten the quarantine 1." in text
        assert (
            "No single winner: by the rule for a tie, a tie goes to the option listed first "
            "among those tied: Wait for the talks." in text
        )
        assert "Decided: Pressure: Wait for the talks" in text

    run(app, steps)
    assert store.list()[0].decisions[1].chosen == ("wait",)


def test_a_solo_player_is_not_asked_twice(make_app, store):
    app = make_app()

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president")], rule="vote")
        await next_(pilot, "RecommendScreen")
        await choose(pilot, ["withhold"])
        assert screen_name(pilot) == "ConsequencesScreen"  # the recommendation was the vote
        text = screen_text(pilot)
        assert "The players' vote: Withhold it 1, Give it 0. The vote decides: Withhold it." in text

    run(app, steps)
    assert store.list()[0].decisions[0].chosen == ("withhold",)


def test_a_closed_game_resumes_with_its_recommendations(make_app, store):
    app = make_app()

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president"), ("Ben", "rusk")])
        for _ in range(3):  # pass, briefing, meeting
            await next_(pilot)
        await next_(pilot, "RecommendScreen")
        await choose(pilot, ["withhold"])
        assert "Pass the keyboard to Ana (The President)" in screen_text(pilot)
        await app.action_quit()

    run(app, steps)
    sid = app.sitting.session_id
    assert store.get(sid).pending == {"pledge": {"rusk": ("withhold",)}}
    app = make_app(resume=sid)

    async def steps2(pilot):
        await pilot.pause()
        assert screen_name(pilot) == "PassScreen"  # a new sitting re-reads the briefing
        await next_(pilot, "BriefingScreen")
        await next_(pilot, "MeetingScreen")
        await next_(pilot, "PassScreen")
        await next_(pilot, "DecideScreen")
        assert "Ben (Dean Rusk) recommends: Withhold it" in screen_text(pilot)

    run(app, steps2)


def test_a_resumed_game_never_asks_a_decision_again(make_app, store):
    app = make_app()

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president")])
        await next_(pilot, "DecideScreen")
        await choose(pilot, ["withhold"])
        await app.action_quit()

    run(app, steps)
    app = make_app(resume=app.sitting.session_id)

    async def steps2(pilot):
        await pilot.pause()
        assert screen_name(pilot) == "MeetingScreen"  # the open item, read again
        assert "On the agenda: Pressure" in screen_text(pilot)
        await next_(pilot, "DecideScreen")
        assert app.sitting.decision.id == "pressure"
        await choose(pilot, ["wait"])
        await next_(pilot, "MeetingScreen")
        await next_(pilot, "DecideScreen")
        await choose(pilot, ["lift"])
        await next_(pilot, "DebriefScreen")

    run(app, steps2)
    assert [e.step for e in store.list()[0].decisions] == ["pledge", "pressure", "lift"]


def test_duplicate_roles_are_refused_with_a_message(make_app, store):
    app = make_app()

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president"), ("Ben", "president")])
        assert screen_name(pilot) == "StartScreen"
        assert "Two players have chosen The President" in screen_text(pilot)

    run(app, steps)
    assert store.list() == []


def test_help_machine_and_palette(make_app):
    app = make_app()

    async def steps(pilot):
        await pilot.press("f1")
        assert screen_name(pilot) == "HelpScreen"
        await pilot.press("escape")
        await set_up(pilot, [("Ana", "president")])
        await pilot.press("m")
        assert screen_name(pilot) == "MachineScreen"
        text = screen_text(pilot)
        assert "► In force  (now)" in text
        assert "Lift the quarantine ─▶ Lifted  (rule 1)  ✗ not now" in text
        assert "Rule 1: The quarantine stays until the IL-28s are removed. [Doc A ¶1]" in text
        await pilot.press("escape")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Help: how to play", "Policy machine", "New game"} <= set(titles)

    run(app, steps)


def test_arrow_keys_move_between_the_boxes_of_a_many_option_decision(make_app):
    app = make_app()

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president")])
        await next_(pilot, "DecideScreen")
        await choose(pilot, ["withhold"])
        await next_(pilot, "MeetingScreen")
        await next_(pilot, "DecideScreen")
        assert "arrow keys, Space ticks a box, Enter on a ticked box sends" in screen_text(pilot)
        assert pilot.app.focused.id == "opt-wait"
        await pilot.press("down")
        assert pilot.app.focused.id == "opt-tighten"
        await pilot.press("space")
        assert pilot.app.focused.value
        await pilot.press("down")  # the last box: the cursor stays, never wrapping round
        assert pilot.app.focused.id == "opt-tighten"
        await pilot.press("up")
        assert pilot.app.focused.id == "opt-wait"

    run(app, steps)


def test_phases_with_no_decision_show_in_what_followed(make_app, quiet_phases):
    app = make_app(quiet_phases)

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president")])
        await next_(pilot, "DecideScreen")
        await choose(pilot, ["withhold"])
        await next_(pilot, "MeetingScreen")
        await next_(pilot, "DecideScreen")
        await choose(pilot, ["wait"])
        followed = screen_text(pilot)
        assert followed.index("CABLE") < followed.index("The President's press conference")
        assert "The President tells the press that the quarantine stays for now." in followed
        await next_(pilot, "MeetingScreen")
        await next_(pilot, "DecideScreen")
        await choose(pilot, ["lift"])
        followed = screen_text(pilot)  # the outcome phase is the record after the game
        assert "Where the documents stop" not in followed
        assert "HINDSIGHT" not in followed
        assert "The documents at hand end here." not in followed
        await next_(pilot, "DebriefScreen")
        text = screen_text(pilot)
        assert "HINDSIGHT, not known at the time" in text
        assert "Events without a decision" in text
        assert "The President tells the press that the quarantine stays for now." in text
        assert "The documents at hand end here." in text

    run(app, steps)


def test_a_first_phase_with_no_decision_shows_with_the_first_item(make_app, variant):
    """A campaign that opens on an event (no decision of its own) shows its situation with the
    first agenda item, before anything is decided."""
    opening = """  - id: opening
    title: The news of the morning
    kind: inject
    date: 1962-11-13
    asserts: {}
    situation:
      - text: The papers report the bombers still on their airfields.
        cite: [doc_a#1]
        asserts: {}
"""
    path, _ = variant(
        "  - id: meeting\n    title: The meeting",
        opening + "  - id: meeting\n    title: The meeting",
    )
    app = make_app(path)

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president")])
        await next_(pilot, "DecideScreen")
        await pilot.press("escape")  # back to the agenda item
        text = screen_text(pilot)
        assert "The news of the morning" in text
        assert "The papers report the bombers still on their airfields." in text
        assert text.index("The news of the morning") < text.index("The meeting")

    run(app, steps)
