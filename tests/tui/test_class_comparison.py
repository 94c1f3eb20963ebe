"""The class comparison screen: saved games of one scenario beside each other and the record."""

from __future__ import annotations

from tui_steps import MINI, loaded, run, screen_name, screen_text

from exsim.engine import open_campaign


def played(store, campaign, group: str, choices: list) -> str:
    """A saved game: (chosen, Rusk's recommendation or None) per decision in turn."""
    sid = store.create(campaign, group, {"president": "Ana", "rusk": "Ben"})
    game = store.resume(sid, campaign)
    for chosen, rec in choices:
        game.decide(game.current.id, chosen, recommendations={"rusk": rec} if rec else None)
        store.save(sid, game)
    return sid


def three_groups(store) -> None:
    campaign = open_campaign(MINI)
    played(
        store,
        campaign,
        "Red",
        [(["withhold"], ["withhold"]), (["wait"], ["wait"]), (["lift"], None)],
    )
    played(
        store,
        campaign,
        "Blue",
        [(["withhold"], ["withhold"]), (["tighten"], ["wait"]), (["keep"], None)],
    )
    played(store, campaign, "Green", [(["withhold"], None)])


async def to_comparison(pilot) -> None:
    await loaded(pilot)
    await pilot.press("ctrl+k")
    assert screen_name(pilot) == "ClassPickScreen"
    await pilot.press("ctrl+s")
    assert screen_name(pilot) == "ClassReportScreen"
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_class_comparison_from_the_start_screen(make_app, store):
    three_groups(store)

    async def steps(pilot):
        await to_comparison(pilot)
        report = pilot.app.screen.report
        assert report.groups == 3 and report.finished == 2
        text = screen_text(pilot)
        assert "3 group(s) compared, 2 finished." in text
        assert "Where groups left the record" in text
        assert "Pressure: 1 of 2 (50%) groups chose differently" in text
        assert "    3  Withhold it  (Red, Blue, Green)  ◀ the record's choice [Doc A ¶2]" in text
        assert "    1  Tighten the quarantine  (Blue)" in text  # which group chose what
        assert "    1  Standoff  (SIMULATED)" in text
        assert "    1  The deal holds  ◀ the record's outcome" in text
        assert "Dean Rusk: 100% on average over 2 group(s)" in text
        await pilot.press("escape")
        assert screen_name(pilot) == "ClassPickScreen"

    run(make_app(), steps)


def test_only_the_ticked_games_are_compared(make_app, store):
    three_groups(store)

    async def steps(pilot):
        await loaded(pilot)
        await pilot.press("ctrl+k")
        await pilot.press("ctrl+a", "ctrl+s")
        assert screen_name(pilot) == "ClassPickScreen"
        assert "Tick at least one saved game." in screen_text(pilot)
        await pilot.press("space", "ctrl+s")  # the first in the list: the latest game
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert [g.group for g in pilot.app.screen.report.sessions] == ["Green"]

    run(make_app(), steps)


def test_no_saved_games_says_so(make_app, store):
    async def steps(pilot):
        await loaded(pilot)
        await pilot.press("ctrl+k")
        assert "No saved games of this scenario yet" in screen_text(pilot)

    run(make_app(), steps)


def test_class_comparison_snapshot(snap_compare, make_app, store):
    three_groups(store)
    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=to_comparison)
