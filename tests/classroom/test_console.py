"""The facilitator's console as a facilitator runs a round with it (Pilot)."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import DataTable, Static

from exsim.tui.classroom.console_app import ConsoleApp
from waiting import text_of, until

from .test_screens import drawn, roster


def run(app, steps, size=(100, 40)) -> None:
    async def main():
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await steps(pilot)

    asyncio.run(main())


def test_the_console_shows_the_agenda_who_is_here_and_the_injects_waiting(made, connect):
    code, key, room = made
    sid = room.groups(code)[0].session.id
    ana = room.join(code, sid, "president", "Ana", "seat-ana")
    ben = room.join(code, sid, "rusk", "Ben", "seat-ben")
    room.arrive("seat-ana")  # Ana's page is open (this process shows it); Ben's is closed
    app = ConsoleApp(connect().facilitator(code, key))

    async def steps(pilot):
        table = app.screen.query_one(DataTable)
        assert "1 of 2 students here" in text_of(app)
        await pilot.press("a")
        await pilot.pause()
        assert "On the agenda: 1. The pledge (all groups)" in text_of(app)
        rows = {(r[0], r[1]): r for r in roster(table)}
        assert rows["Group A", "The President"][3:] == ["yes", "chairs", "chair"]
        assert rows["Group A", "Dean Rusk"][3:5] == ["no", "away"]  # closed: not "waiting"
        room.arrive("seat-ben")

        def bens_row() -> list[str]:
            return next(r for r in roster(table) if r[:2] == ["Group A", "Dean Rusk"])

        # the console looks again every second: it shows him here at its next look
        await until(pilot, lambda: bens_row()[3] == "yes", "Ben shown as here")
        assert bens_row()[3:5] == ["yes", "… waiting"]
        ben.recommend(["withhold"])
        await pilot.press("a")  # the chair decides; Group B by its vote
        ana.decide(["withhold"])
        await pilot.press("a")
        await pilot.pause()
        assert "No inject this round: advance (a) to the next item." in text_of(app)
        assert "release the injects" not in text_of(app)
        await pilot.press("a", "a")  # round 2; the chairs decide, Group B votes
        ana.decide(["wait"])
        await pilot.press("a")
        await until(pilot, lambda: "2. Pressure" in text_of(app), "round 2 on the agenda")
        assert "On the agenda: 2. Pressure (all groups)" in text_of(app)
        assert "injects 0 of 1 released (1 wait: i)" in text_of(app)
        await pilot.press("i")
        await pilot.pause()
        assert "Inject 1 of 1 released; advance (a) when ready." in text_of(app)
        assert "injects 1 of 1 released" in text_of(app) and "wait: i" not in text_of(app)
        while app.facilitator.state.stage != "over":
            await pilot.press("a")
        await pilot.press("r")
        await pilot.pause()
        rows = roster(table)
        assert not any("waiting" in " ".join(r) for r in rows)  # after the reveal
        assert "On the agenda: game over (all groups)" in text_of(app)

    run(app, steps)
    room.leave("seat-ana")
    room.leave("seat-ben")


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (160, 50)])
def test_with_4_groups_the_code_the_roster_and_the_keys_fit(room, connect, size):
    """Every column readable without sideways scrolling, the code and the keys in view; a
    name too long for its column is cut and shown in full below the roster."""
    from exsim import paths
    from exsim.engine import open_campaign

    campaign = open_campaign(paths.BUNDLED_SCENARIOS / "november-1962.yaml")
    code, key = room.create(campaign, [f"Group {g}" for g in "ABCD"])
    long = "Anastasia Papadopoulou-Whitfie"  # as long as a name may be
    for n, g in enumerate(room.groups(code)):
        room.join(code, g.session.id, "rusk", long if n == 3 else f"Student {n}", f"seat-{n}")
    url = "http://192.168.1.20:8000/?token=Xy3kP9qLmN2vB7wR4tZs1A"  # --host: a token
    app = ConsoleApp(connect().facilitator(code, key), url)

    async def steps(pilot):
        await pilot.press("a")
        for _ in range(19):  # to Group D's Dean Rusk
            await pilot.press("down")
        await pilot.pause()
        screen = app.screen
        code_box = screen.query_one("#code-big", Static)
        assert code_box.region.y == 0 and code_box.region.height >= 3
        assert code in str(code_box.render())
        assert code_box.region.right <= size[0]
        assert url in drawn(app)  # the whole link, on the screen
        footer = screen.query_one("Footer")
        assert footer.region.bottom == size[1] and footer.region.height == 1
        table = screen.query_one(DataTable)
        assert table.region.bottom <= screen.query_one("#detail").region.y  # scrolls inside
        assert table.cursor_row == 19  # 4 groups x 6 roles
        assert table.max_scroll_x == 0  # nothing hidden to the right
        assert [str(c) for c in table.get_row_at(19)][:4] == ["Group D", "Dean Rusk", long, "no"]
        detail = str(screen.query_one("#detail", Static).render())
        assert f"Group D · Dean Rusk (Secretary of State): {long}, page closed." in detail
        await pilot.press("up")
        await pilot.pause()
        detail = str(screen.query_one("#detail", Static).render())
        assert "John F. Kennedy (President): no student; an advisor voices the" in detail

    run(app, steps, size=size)


def test_facilitate_with_code_remembers_the_url(made, data_dir, monkeypatch):
    from click.testing import CliRunner

    from exsim.cli import main
    from exsim.cli.serve_command import keep_key

    code, key, _ = made
    keep_key(code, key)
    shown = []
    monkeypatch.setattr(ConsoleApp, "run", lambda self: shown.append(self.url))
    url = "http://192.168.1.20:8000/?token=abc"
    assert CliRunner().invoke(main, ["facilitate", "--code", code, "--url", url]).exit_code == 0
    assert CliRunner().invoke(main, ["facilitate", "--code", code]).exit_code == 0
    assert shown == [url, url]


def test_the_facilitator_guide_lists_every_key_and_column_of_the_console():
    from pathlib import Path

    from exsim.tui.classroom.console_app import ConsoleScreen
    from exsim.tui.classroom.roster import ADVISOR, COLUMNS

    guide = (Path(__file__).parents[2] / "docs" / "facilitator-guide.md").read_text()
    for b in ConsoleScreen.BINDINGS:
        assert f"| `{b.key}` | **{b.description}**" in guide, b.key
    for column in COLUMNS:
        assert column in guide
    for shown in ("✓ sent", "… waiting", "away", "not asked", "chairs", "✓ decided", "wait: i"):
        assert shown in guide
    words = " ".join(guide.split())  # as the reader sees it: lines joined
    for shown in (ADVISOR, "(all groups)", "no student; an advisor voices the recorded position."):
        assert shown in words


def test_the_guides_picture_of_the_console_is_what_it_draws_at_80x24(room, connect, monkeypatch):
    """Every line of the picture in the facilitator guide (but the "…") is on the screen."""
    from pathlib import Path

    from .conftest import four_groups, round_one_with_a_recommendation

    guide = (Path(__file__).parents[2] / "docs" / "facilitator-guide.md").read_text()
    picture = guide.split("## The console\n\n```\n", 1)[1].split("```", 1)[0]
    code, key = four_groups(room, monkeypatch)
    app = ConsoleApp(connect().facilitator(code, key), "http://127.0.0.1:8000/")

    async def steps(pilot):
        await round_one_with_a_recommendation(pilot, room)
        screen = [line.rstrip() for line in drawn(app).splitlines()]
        for line in picture.splitlines():
            if line.strip() != "…":
                assert line.rstrip() in screen, line

    run(app, steps, size=(80, 24))
    room.leave("seat-an")
