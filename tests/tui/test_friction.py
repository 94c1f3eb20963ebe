"""The small things a first game trips on: Enter goes on, long labels end in "…", the status
stays small, the resume list names people, and each new game gets a group name of its own."""

from __future__ import annotations

import asyncio
import random
import re

import pytest
from textual.widgets import RadioButton, Select
from tui_steps import (
    NOVEMBER,
    loaded,
    next_,
    play_to_debrief,
    run,
    screen_name,
    screen_text,
    set_up,
)

from exsim.engine import Game, open_campaign
from exsim.engine.game import option_sets
from exsim.tui.widgets import Layout, status_cells, status_grid, status_layout
from waiting import drawn, until

CAMPAIGN = open_campaign(NOVEMBER)


def place(rows: list[str], text: str) -> tuple[int, int]:
    """The row and column where *text* starts on the status panel's *rows*."""
    return next((y, row.find(text)) for y, row in enumerate(rows) if text in row)


def test_enter_goes_on_from_the_pass_briefing_agenda_and_continue_screens(make_app):
    app = make_app(NOVEMBER)

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president"), ("Ben", "rusk")])
        seen = []
        while screen_name(pilot) not in ("RecommendScreen", "DecideScreen"):
            seen.append(screen_name(pilot))
            await pilot.press("enter")
            await pilot.pause()
        assert {"PassScreen", "BriefingScreen", "MeetingScreen"} <= set(seen), seen
        # decide on the record's option; the next screen is a Continue screen
        record = pilot.app.sitting.campaign.record_choices[pilot.app.sitting.decision.id]
        while screen_name(pilot) != "ConsequencesScreen":
            if screen_name(pilot) in ("RecommendScreen", "DecideScreen"):
                picker = pilot.app.screen.query_one("OptionPicker")
                picker.select(tuple(record))
                await pilot.press("n")
            else:
                await pilot.press("enter")
            await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(pilot) != "ConsequencesScreen"

    run(app, steps)


LONG = (
    "Withhold it until the Soviets and Castro agree to inspection on the ground, and say so to "
    "U Thant"
)


@pytest.mark.parametrize(("size", "lines"), [((80, 24), 2), ((120, 40), 1)])
def test_an_option_label_too_long_for_the_screen_wraps_between_words(
    make_app, variant, size, lines
):
    path, _ = variant("label: Withhold it}", f"label: '{LONG}'}}")  # 97 characters
    app = make_app(path)

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president")])
        while screen_name(pilot) != "DecideScreen":
            await pilot.press("n")
            await pilot.pause()
        width = pilot.app.screen.query_one("#body").content_region.width
        button = pilot.app.screen.query_one("#opt-withhold", RadioButton)
        assert button.outer_size.width <= width
        assert button.outer_size.height == lines
        shown = [button.render_line(y).text.strip() for y in range(lines)]
        assert " ".join(shown).endswith(f"▌ {LONG}"), shown  # every word whole
        assert button.tooltip == LONG
        refused = pilot.app.screen.query_one("#opt-give", RadioButton).render_line(0).text
        assert refused.rstrip().endswith("✗ Give it (not allowed, see below)")

    run(app, steps, size=size)


def test_the_status_panel_keeps_its_7_rows_of_24_and_every_place_all_game_long(make_app):
    app = make_app(NOVEMBER)
    first_day = CAMPAIGN.scenario.phases[0].date
    labels = [  # a dimension known later reads "—" until then (its place: the grid test below)
        f"{d.short or d.label}: "
        for d in CAMPAIGN.scenario.machine.dimensions
        if CAMPAIGN.dimension_known(d.id, first_day)
    ]
    heights, places = set(), set()

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president")])
        for _ in range(200):
            if screen_name(pilot) == "DebriefScreen":
                return
            height = pilot.app.screen.query_one("#status").outer_size.height
            heights.add(height)
            rows = drawn(pilot.app).splitlines()[:height]
            places.add(tuple(place(rows, label) for label in labels))
            name = screen_name(pilot)
            if name in ("RecommendScreen", "DecideScreen"):
                decision = pilot.app.sitting.decision
                record = pilot.app.sitting.campaign.record_choices.get(decision.id, [])
                picker = pilot.app.screen.query_one("OptionPicker")
                offered = [o.id for o in picker.statuses if o.allowed]
                picker.select(tuple(p for p in record if p in offered) or tuple(offered[:1]))
            await pilot.press("n")
            await pilot.pause()

    run(app, steps, size=(80, 24))
    assert heights == {7}
    assert len(places) == 1, places  # each dimension where it was on the first screen


def test_on_a_60x20_screen_the_arrow_keys_bring_each_option_into_view(make_app):
    """The status panel takes 10 of the 20 lines: the options start below the question, out of
    view, and Down shows each one as the cursor reaches it."""
    app = make_app(NOVEMBER)

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president")])
        while screen_name(pilot) != "DecideScreen":
            await next_(pilot)
        labels = [o.label for o in pilot.app.screen.query_one("OptionPicker").statuses]
        for label in labels:
            await pilot.press("down")
            head = label[:40]  # its first line at 60 columns
            await until(pilot, lambda h=head: h in drawn(pilot.app), f"{head!r} in view")

    run(app, steps, size=(60, 20))


def test_the_resume_list_names_the_people_played_and_a_new_game_gets_a_free_name(make_app, store):
    app = make_app(NOVEMBER)

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president")])  # the group name left empty
        assert screen_name(pilot) == "BriefingScreen"
        pilot.app.action_resume()
        await pilot.pause()
        text = screen_text(pilot) + "\n".join(
            str(label.render()) for label in pilot.app.screen.query("Label")
        )
        assert "Group 1" in text and "Ana as John F. Kennedy" in text
        assert "as president" not in text

    run(app, steps)
    assert [s.group for s in store.list()] == ["Group 1"]


def grid_places(layout: Layout, count: int) -> list[tuple[int, int]]:
    """The row and column where each of *count* cells starts in *layout*."""
    gap = len(" │ ")
    return [
        (sum(layout.heights[: i // layout.columns]), (i % layout.columns) * (layout.width + gap))
        for i in range(count)
    ]


def test_the_status_grid_keeps_its_lines_and_every_cell_in_place_in_any_game():
    """Many what-if games with random choices, pressure and all: at the panel's width (the
    terminal's less 2 columns of padding), each cell starts where it did on the first screen;
    10 lines at 60 columns, 7 at 80 and 100, 5 at 120."""
    lines = {58: 10, 78: 7, 98: 7, 118: 5}
    first: dict[int, list[tuple[int, int]]] = {}
    for seed in range(60):
        pick = random.Random(seed)
        game = Game(CAMPAIGN, seed=seed, mode="what-if")
        while True:
            cells = status_cells(game)
            for width, count in lines.items():
                layout = status_layout(cells, width)
                rows = [row.plain for row in status_grid(cells, layout)]
                assert len(rows) == count and max(map(len, rows)) <= width, rows
                places = grid_places(layout, len(cells))
                for (y, x), cell in zip(places, cells, strict=True):  # "—" included
                    word = cell.content.plain.split()[0]
                    assert rows[y][x : x + len(word)] == word, (seed, rows, cell)
                assert places == first.setdefault(width, places), (seed, rows)
            if game.finished:
                break
            decision = game.current.decision
            allowed = {o.id for o in game.options(decision) if o.allowed}
            sets = [s for s in option_sets(decision) if set(s) <= allowed]
            game.decide(decision.id, list(pick.choice(sets)))


def test_a_state_too_long_for_its_column_wraps_in_its_cell_on_lines_kept_from_the_start(variant):
    long = "Removal agreed in principle with the date to be settled by the negotiators at the UN"
    path, _ = variant("label: Removal agreed}", f"label: {long}}}")
    game = Game(open_campaign(path), seed=1, mode="what-if")
    cells = status_cells(game)
    layout = status_layout(cells, 78)
    first = [row.plain for row in status_grid(cells, layout)]
    game.policy.fire("agree_removal")  # the long state, shown in the lines kept for it
    cells = status_cells(game)
    assert status_layout(cells, 78) == layout and layout.columns == 2
    rows = [row.plain for row in status_grid(cells, layout)]
    assert len(rows) == len(first) == sum(layout.heights) and max(map(len, rows)) <= 78
    assert place(rows, "Inspection: None") == place(first, "Inspection: None")
    top, left = layout.heights[0], layout.width + len(" │ ")  # the IL-28s: row 2, column 2
    lines = rows[top : top + layout.heights[1]]
    cell = " ".join(row[left : left + layout.width].strip() for row in lines)
    assert f"IL-28 bombers: {long}" in cell, rows  # every word whole, in order


def test_new_game_after_the_debrief_stays_on_the_scenario_file_played(make_app, variant):
    path, _ = variant("label: Withhold it}", "label: Withhold it for now}")
    app = make_app(path)

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president")])
        await play_to_debrief(pilot, {})
        await pilot.press("n")
        await until(pilot, lambda: screen_name(pilot) == "StartScreen", "the start screen")
        assert pilot.app.screen.query_one("#scenario", Select).value == path

    run(app, steps)


def test_the_start_screen_says_why_an_advisor_is_not_a_role_to_choose(make_app):
    app = make_app(NOVEMBER)

    async def steps(pilot):
        await loaded(pilot)
        assert (
            "Not a role to choose: Robert F. Kennedy, Attorney General: in the record he is the "
            "President's channel to Dobrynin" in " ".join(screen_text(pilot).split())
        )

    run(app, steps)


def test_the_moment_the_scenario_is_ready_to_start_every_seat_holds_a_role(make_app):
    """Ctrl+S pressed as soon as the game can start reads a role from every seat (it read
    Textual's blank, 'Select.NULL', when pressed before the seats were mounted)."""
    app = make_app(NOVEMBER)

    async def steps(pilot):
        screen = pilot.app.screen
        while screen.campaign is None:  # the first turn of the loop after it is set
            await asyncio.sleep(0)
        roles = [str(s.value) for s in screen.query(Select) if (s.id or "").startswith("role-")]
        assert roles and all(role in CAMPAIGN.roles for role in roles), roles
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen_name(pilot) != "StartScreen", "the game started")

    run(app, steps)


def test_at_80_columns_the_group_placeholder_and_the_resume_list_show_whole_words(make_app):
    app = make_app(NOVEMBER)

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president")])
        pilot.app.action_new_game()
        await loaded(pilot)
        group = pilot.app.screen.query_one("#group")
        assert group.placeholder in group.render_line(0).text
        pilot.app.action_resume()
        await until(pilot, lambda: screen_name(pilot) == "ResumeScreen", "the saved games")
        label = pilot.app.screen.query_one("#sessions Label")
        shown = [label.render_line(y).text for y in range(label.outer_size.height)]
        assert any(re.search(r"last played \d{4}-\d\d-\d\d \d\d:\d\d UTC", s) for s in shown)
        assert all(len(s.rstrip()) <= 80 for s in shown), shown

    run(app, steps, size=(80, 24))
