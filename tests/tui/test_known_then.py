"""Nobody reads the future: on 5 November the sources viewer and the machine view hold nothing
dated later; after the game the whole of both opens."""

from __future__ import annotations

import datetime as dt

from textual.widgets import OptionList, Static
from tui_steps import NOVEMBER, play_to_debrief, run, screen_name, set_up

from exsim.tui.sources_screen import ParagraphView, SourcesScreen
from exsim.tui.widgets import StatusPanel
from waiting import until

NOV5 = dt.date(1962, 11, 5)


def listed(pilot) -> list[tuple[str, str]]:
    """(option id, prompt text) of every line of the sources list."""
    options = pilot.app.screen.query_one(OptionList)
    out = []
    for i in range(options.option_count):
        option = options.get_option_at_index(i)
        out.append((option.id or "", str(option.prompt)))
    return out


def shown_text(pilot) -> str:
    return "\n".join(str(w.render()) for w in pilot.app.screen.query(Static))


def test_on_5_november_the_viewer_and_the_machine_hold_nothing_dated_later(make_app):
    app = make_app(NOVEMBER)

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president")])
        campaign = pilot.app.sitting.campaign
        assert pilot.app.sitting.game.date == NOV5
        status = str(pilot.app.screen.query_one(StatusPanel).render())
        assert "Quarantine: In force" in status and "IL-28s: In Cuba" in status
        assert "Missile count: At sea" in status and "McCloy: Held back" in status
        for later_text in (
            "13 November",
            "The group's rule",
            "two to three months",
            "12 Nov message",
            "Quarantine rule",
            "Pledge rule",
            "OAS",
            "Statement",
            "On Castro",
        ):
            assert later_text not in status, later_text  # not known on 5 November
        known_from = campaign.dimension_known_from
        later_dims = [d for d, day in known_from.items() if day > NOV5]
        assert {"reply_12nov", "quarantine_rule", "pledge_rule", "oas_meeting"} <= set(later_dims)
        assert status.count("—") == len(later_dims)  # each keeps its place in the grid
        await pilot.press("s")
        await until(pilot, lambda: screen_name(pilot) == "SourcesScreen", "the sources")
        lines = listed(pilot)
        documents = [key.partition(":")[2] for key, _ in lines if key.startswith("doc:")]
        assert documents  # the documents of 5 November and before
        for source_id in documents:
            source = campaign.sources[source_id]
            assert source.date <= NOV5 and not source.hindsight, source_id
        later = [s.id for s in campaign.scenario.sources if s.date > NOV5 or s.hindsight]
        assert "frus_xi_174" in later and "frus_xi_196" in later
        assert not set(later) & set(documents)
        prompts = "\n".join(prompt for _, prompt in lines)
        assert "20 November" not in prompts and "Khrushchev agrees" not in prompts
        head = str(pilot.app.screen.query_one("#sources-head", Static).render())
        assert f"{len(later)} more document(s), dated after Monday 5 November 1962" in head
        for _ in range(len(lines)):  # every document opens only what was known by then
            await pilot.press("down")
            await pilot.pause()
            for paragraph in pilot.app.screen.query(ParagraphView):
                shown = pilot.app.screen.shown
                key = f"{shown}#{paragraph.label}" if paragraph.label else shown
                assert campaign.known_by([key], NOV5), key
        await pilot.press("escape")
        await pilot.press("m")
        await until(pilot, lambda: screen_name(pilot) == "MachineScreen", "the machine")
        machine = shown_text(pilot)
        assert "Naval quarantine" in machine and "► In force" in machine
        for later_text in (
            "two to three months",
            "13 November",
            "Khrushchev offers",
            "The pressure steps of 13 November",
            "The group's rule",
            "policy's next move",
            "12 November",
            "Studied overnight",
            "OAS meeting",
        ):
            assert later_text not in machine, later_text
        assert "Only what was known by Monday 5 November 1962 is shown" in machine
        assert "Lift the quarantine ─▶ Lifted  ✓ possible now" in machine

    run(app, steps)


def test_the_machine_view_does_not_offer_a_move_that_changes_nothing(make_app):
    app = make_app(NOVEMBER)

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president")])
        await pilot.press("m")
        await until(pilot, lambda: screen_name(pilot) == "MachineScreen", "the machine")
        machine = shown_text(pilot)
        # the flights continue: keeping them is no move, and is not offered as one
        assert "Keep or resume the reconnaissance flights ─▶ Continuing  (no change" in machine
        assert "─▶ Continuing  ✓ possible now" not in machine
        assert "─▶ None arranged  ✓ possible now" not in machine

    run(app, steps)


def test_a_later_document_opens_only_its_passages_known_by_then(make_app):
    # On 12 November the memorandum of the 13th is known only by its account of that evening.
    app = make_app(NOVEMBER)

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president")])
        campaign = pilot.app.sitting.campaign
        screen = SourcesScreen(campaign, [], "frus_xi_174#6", dt.date(1962, 11, 12))
        await pilot.app.push_screen(screen)
        await until(pilot, lambda: screen.shown == "frus_xi_174", "the memorandum open")
        await pilot.pause()
        labels = [p.label for p in screen.query(ParagraphView)]
        assert labels == ["6", "n3"]
        about = str(screen.query_one("#about-source", Static).render())
        assert "Only the passages known by Monday 12 November 1962 are shown" in about
        prompts = "\n".join(prompt for _, prompt in listed(pilot))
        assert "FRUS XI, 174  the passages known by then" in prompts
        assert "Khrushchev to Mikoyan" not in prompts

    run(app, steps)


def test_after_the_game_every_document_opens_and_hindsight_is_labelled(make_app):
    app = make_app(NOVEMBER)

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president")])
        campaign = pilot.app.sitting.campaign
        await pilot.app.push_screen(SourcesScreen(campaign, [], None, None))
        await pilot.pause()
        lines = listed(pilot)
        assert len([k for k, _ in lines if k.startswith("doc:")]) == len(campaign.sources)
        prompts = "\n".join(prompt for _, prompt in lines)
        assert "Khrushchev to Mikoyan, 11 Nov. 1962  hindsight, unknown at the time" in prompts

    run(app, steps)


def test_the_record_of_the_meeting_being_played_keeps_its_decisions_until_they_are_taken(
    make_app,
):
    # At 10:00 on 5 November the memorandum of that meeting does not tell what it decided:
    # ¶12 (the President's decisions) and footnote 3 (Bundy's record of action) open after.
    app = make_app(NOVEMBER)

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president")])
        campaign = pilot.app.sitting.campaign
        assert pilot.app.sitting.game.position == 0
        await pilot.press("s")
        await until(pilot, lambda: screen_name(pilot) == "SourcesScreen", "the sources")
        screen = pilot.app.screen
        await screen.show("frus_xi_143")
        await pilot.pause()
        labels = [p.label for p in screen.query(ParagraphView)]
        assert "3" in labels and "q2" in labels  # what the situation cites
        assert "4" in labels  # the President's briefing, the screen below, cites it
        for decided in ("12", "n3", "11"):
            assert decided not in labels, decided
        words = "\n".join(p.words for p in screen.query(ParagraphView))
        assert "The President agreed that no release" not in words
        assert "record of action" not in words
        about = str(screen.query_one("#about-source", Static).render())
        assert "opens once its decisions are taken" in about
        prompts = "\n".join(prompt for _, prompt in listed(pilot))
        assert "FRUS XI, 143  the passages known by then" in prompts
        await pilot.press("escape")
        # the same meeting at its last item: what its screens cited is open, not the rest
        at_mccloy = [s.id for s in campaign.steps].index("mccloy_instructions")
        late = SourcesScreen(campaign, [], "frus_xi_143", NOV5, at_mccloy)
        await pilot.app.push_screen(late)
        await pilot.pause()
        labels = [p.label for p in late.query(ParagraphView)]
        assert "11" in labels and "12" not in labels and "n3" not in labels
        await pilot.press("escape")
        # once the meeting's decisions are taken, the whole record opens
        after = campaign.phase_start["nov12"]
        done = SourcesScreen(campaign, [], "frus_xi_143", dt.date(1962, 11, 12), after)
        await pilot.app.push_screen(done)
        await pilot.pause()
        labels = [p.label for p in done.query(ParagraphView)]
        assert "12" in labels and "n3" in labels and "4" in labels

    run(app, steps)


def test_from_the_sources_keeps_the_played_roles_and_the_deciders_positions_back(make_app):
    # The shared screen quotes no recorded position of a role played here nor the decider's:
    # each waits, as the screen says, for its player in private or for the debrief.
    app = make_app(NOVEMBER)

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president"), ("Ben", "rusk")])
        texts: list[tuple[str, str]] = []
        await play_to_debrief(pilot, {}, stop_at="zorin_protocol", texts=texts)
        meetings = [t for name, t in texts if name == "MeetingScreen"]
        terms = next(t for t in meetings if "The price of a no-invasion commitment" in t)
        observers = next(t for t in meetings if "UN observers in the United States?" in t)
        for shared in (terms, observers):
            assert "shown to their players in private" in shared
            assert "Rusk: inspection arrangements on the ground" not in shared
            assert "Rusk: all arrangements" not in shared
            assert "The President: keep open the question" not in shared
            assert "The President's basic question" not in shared
        assert "Bundy: the UN route to demilitarizing Cuba" in terms  # Bundy is not played
        flights = next(t for t in meetings if "On the agenda: Watching Cuba from the air" in t)
        assert "Rusk: overflights of Cuba must continue" not in flights

    run(app, steps)
