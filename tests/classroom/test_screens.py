"""The student's page and the facilitator's console, played through their UI with Pilot."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import DataTable, Input

from exsim.classroom import ClassError
from exsim.tui.classroom.console_app import ConsoleApp
from exsim.tui.classroom.student_app import StudentApp
from exsim.tui.widgets import status_cells
from waiting import drawn, text_of, until

SIZE = (100, 40)


def showing(app) -> str:
    """The screen in front, or the kind of page the seat's one screen shows ("briefing", …)."""
    page = getattr(app.screen, "page", None)
    return page.kind if page else type(app.screen).__name__


def caught_up(app) -> bool:
    """The app's follower has seen every change committed to its class (or there is none)."""
    follower = getattr(app, "follower", None) or getattr(app.screen, "follower", None)
    if follower is None:
        return True
    return follower.revision == follower.room.revision(follower.code, follower.session_id)


async def settle(pilot) -> None:
    """Wait until the app's follower has noticed what another process did, and shown it."""
    await until(pilot, lambda: caught_up(pilot.app), "the app seeing the class's last change")


async def read_on_to(pilot, kind: str) -> None:
    """Read and pass the seat's pages (briefing, agenda item) until it shows a *kind* page."""
    await settle(pilot)
    for _ in range(3):
        if showing(pilot.app) == kind:
            return
        await pilot.press("n")
        await settle(pilot)
    assert showing(pilot.app) == kind


async def join(pilot, code: str, name: str, pick: int = 0) -> None:
    """The join form lets the app's seat in (as the class server does), then the student
    takes the *pick*-th free role."""
    pilot.app.room.admit(code, name, pilot.app.seat)
    pilot.app.choose_role()
    await pilot.pause()
    for _ in range(pick):
        await pilot.press("down")
    await pilot.press("enter")
    await settle(pilot)


def test_a_student_joins_reads_recommends_and_sees_the_chairs_decision(made, connect):
    code, key, _ = made
    app = StudentApp(connect(), "seat-ben")
    boss_room = connect()

    async def steps(pilot):
        assert showing(app) == "JoinAgainScreen"  # not let in by the join form
        with pytest.raises(ClassError, match="no class with code 'NOPE'"):
            app.room.admit("nope", "Ben", app.seat)
        await join(pilot, code.lower(), "Ben", pick=1)  # Group A: Dean Rusk
        assert "Waiting for the facilitator to start the game" in text_of(app)
        ana = boss_room.join(code, app.student.session_id, "president", "Ana", "seat-ana")
        boss = boss_room.facilitator(code, key)
        boss.advance()
        await settle(pilot)
        assert showing(app) == "briefing"
        assert "You want inspection first." in text_of(app)
        assert f"Class {code} · round 1 · discussing" in text_of(app)
        await pilot.press("n")
        await pilot.press("n")
        assert showing(app) == "recommend"
        await until(pilot, lambda: app.screen.query("#opt-withhold"), "the options")
        await pilot.press("n")  # nothing ticked: said on the page, nothing sent
        await until(pilot, lambda: "Choose an option first." in text_of(app), "the problem")
        assert showing(app) == "recommend"
        await pilot.click("#opt-withhold")
        await pilot.press("n")
        await pilot.pause()
        assert "Your recommendation: Withhold it." in text_of(app)
        boss.advance()
        await settle(pilot)
        assert "Ana as The President is deciding" in text_of(app)
        assert "recommends" not in text_of(app)
        seat = app.screen
        ana.decide(["withhold"])
        await settle(pilot)
        assert showing(app) == "consequences"
        assert app.screen is seat  # the decision updates the page in place
        assert "Decided: The pledge: Withhold it" in text_of(app)
        boss.pause()
        await settle(pilot)
        assert showing(app) == "PausedScreen"
        boss.resume()
        await settle(pilot)
        assert showing(app) == "consequences"

    asyncio.run(_run(app, steps))


def seated(made):
    """Ana (the President) and Ben (Rusk) seated in the first group, its meeting open:
    (Ana's seat, Ben's seat, the facilitator)."""
    code, key, room = made
    sid = room.groups(code)[0].session.id
    ana = room.join(code, sid, "president", "Ana", "seat-ana")
    ben = room.join(code, sid, "rusk", "Ben", "seat-ben")
    boss = room.facilitator(code, key)
    boss.advance()
    return ana, ben, boss


def test_a_reloaded_page_comes_back_into_the_role_and_what_was_decided(made, connect):
    ana, _, boss = seated(made)
    boss.advance()
    ana.decide(["withhold"])  # while Ben's page was away
    app = StudentApp(connect(), "seat-ben")

    async def steps(pilot):
        await pilot.pause()
        assert showing(app) == "consequences"
        assert "Ben as Dean Rusk" in text_of(app)
        assert "Decided: The pledge: Withhold it" in text_of(app)
        await pilot.press("n")
        await pilot.pause()
        assert "You have read what followed." in text_of(app)

    asyncio.run(_run(app, steps))


def test_the_chair_decides_on_the_page_with_the_recommendations(made, connect):
    _, ben, boss = seated(made)
    ben.recommend(["withhold"])
    boss.advance()
    app = StudentApp(connect(), "seat-ana")

    async def steps(pilot):
        await pilot.pause()
        assert showing(app) == "decide"
        assert "Ben (Dean Rusk) recommends: Withhold it" in text_of(app)
        seat = app.screen
        await until(pilot, lambda: seat.query("#opt-withhold"), "the options")
        assert seat.focused.id == "choices"  # the options take the arrow keys at once
        await pilot.click("#opt-withhold")
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is seat and showing(app) == "consequences"  # in place
        assert "Decided: The pledge: Withhold it" in text_of(app)
        assert "Choose one" not in drawn(app) and "▐●▌" not in drawn(app)  # the options gone
        assert seat.focused.id == "continue"  # Enter goes on; the arrow keys scroll the text
        for _ in range(3):  # decided, round 2 discussing, deciding
            boss.advance()
        await settle(pilot)
        assert showing(app) == "decide" and "Which steps now?" in text_of(app)
        # the new options take the keys at once, not the last decision's (hidden) ones
        await until(pilot, lambda: seat.focused and seat.focused.id == "opt-wait", "the focus")
        await pilot.press("space", "n")
        await settle(pilot)
        assert "Decided: Pressure: Wait for the talks" in text_of(app)

    asyncio.run(_run(app, steps))
    code, _, room = made
    assert room.groups(code)[0].session.decisions[0].by == "president"


def test_the_chair_waits_for_the_decision_in_the_second_person(made, connect):
    seated(made)
    app = StudentApp(connect(), "seat-ana")

    async def steps(pilot):
        await read_on_to(pilot, "waiting")
        assert "Waiting for the facilitator to open the decision (you decide)." in text_of(app)

    asyncio.run(_run(app, steps))


def test_a_recommendation_sent_as_the_decision_opens_is_refused_with_a_message(made, connect):
    _, _, boss = seated(made)
    app = StudentApp(connect(), "seat-ben")

    async def steps(pilot):
        await read_on_to(pilot, "recommend")
        seat = app.screen
        await until(pilot, lambda: seat.query("#opt-withhold"), "the options")
        await pilot.click("#opt-withhold")
        boss.advance()  # the decision opens before his page has seen it: he sends anyway
        seat.send(seat.page.choice)
        await until(pilot, lambda: list(app._notifications), "a message")
        messages = [(n.title, n.message) for n in app._notifications]
        assert messages == [("Not sent", "recommendations are closed: the decision is being taken")]
        await settle(pilot)
        assert "Ana as The President is deciding" in text_of(app)

    asyncio.run(_run(app, steps))


def test_the_student_page_offers_no_way_to_other_games(made, connect):
    app = StudentApp(connect(), "seat-x")

    async def steps(pilot):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert titles == ["Help: how to play", "Theme", "Keys"]
        assert not hasattr(app, "facilitator")

    asyncio.run(_run(app, steps))


def test_the_console_shows_who_joined_and_sent_and_runs_the_class(made, connect):
    code, key, room = made
    sid = room.groups(code)[0].session.id
    ben = room.join(code, sid, "rusk", "Ben", "seat-ben")
    app = ConsoleApp(connect().facilitator(code, key), "http://127.0.0.1:8000/")

    async def steps(pilot):
        await pilot.pause()
        assert f"Class code {code}" in text_of(app)
        table = app.screen.query_one(DataTable)
        rows = roster(table)
        assert rows[1][:3] == ["Group A", "Dean Rusk", "Ben"]
        assert rows[0][2] == "— advisor"
        await pilot.press("a")
        await pilot.pause()
        assert "Round 1: students read and recommend." in text_of(app)
        ben.recommend(["withhold"])
        await settle(pilot)
        rows = roster(table)
        assert rows[1][4] == "✓ sent"  # that he sent, never what
        assert "withhold" not in " ".join(map(str, rows)).lower()
        await pilot.press("t")
        await pilot.pause()
        app.screen.query_one(Input).value = "7"
        await pilot.press("enter")
        await pilot.pause()
        assert "Timer: 7 min." in text_of(app)
        await pilot.press("p")
        await pilot.pause()
        assert "PAUSED" in text_of(app)
        await pilot.press("p")
        await pilot.press("r")
        await pilot.pause()
        assert "Revealed" in text_of(app)

    asyncio.run(_run(app, steps))


def roster(table: DataTable) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(n)] for n in range(table.row_count)]


async def _run(app, steps) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await steps(pilot)


def delivered(app) -> list[tuple[str, str]]:
    """Capture what the app hands to Textual's delivery API (no file written in a test)."""
    out: list[tuple[str, str]] = []

    def deliver_text(file, *, save_filename=None, **kw):
        out.append((save_filename, file.read()))

    app.deliver_text = deliver_text
    return out


def test_the_revealed_record_is_on_every_page_and_downloads(made, connect, data_dir, monkeypatch):
    code, key, room = made
    sid = room.groups(code)[0].session.id
    room.join(code, sid, "rusk", "Ben", "seat-ben")
    boss = room.facilitator(code, key)
    while boss.state.stage != "over":
        boss.advance()
    app = StudentApp(connect(), "seat-ben")
    files = delivered(app)

    async def steps(pilot):
        await pilot.pause()
        assert "Waiting for the facilitator to reveal the record" in text_of(app)
        await pilot.press("d")  # not offered before the reveal
        assert files == []
        boss.reveal()
        await settle(pilot)
        assert showing(app) == "ClassDebriefScreen"
        await pilot.press("d")  # in a terminal: saved, and the path said
        await pilot.pause()
        saved = data_dir / "documents" / f"debrief-{sid}.html"
        assert "<html" in saved.read_text() and "Ben" in saved.read_text()
        assert any(str(saved) in n.message for n in app._notifications)
        monkeypatch.setattr(StudentApp, "is_web", property(lambda self: True))  # a browser
        await pilot.press("d")
        await pilot.pause()
        (name, page), *_ = files
        assert name == f"debrief-{sid}.html" and "<html" in page and "Ben" in page

    asyncio.run(_run(app, steps))


def test_the_console_saves_a_debrief_and_the_comparison_says_where(
    made, connect, downloads, data_dir
):
    code, key, room = made
    boss = room.facilitator(code, key)
    for g, name in zip(room.groups(code), ("Ana", "Ben"), strict=True):
        room.join(code, g.session.id, "rusk", name, f"seat-{name}")
    while boss.state.stage != "over":
        boss.advance()
    app = ConsoleApp(connect().facilitator(code, key))
    sid = room.groups(code)[0].session.id

    async def steps(pilot):
        await pilot.pause()
        await pilot.press("d")  # no downloads folder: the data folder's documents
        await pilot.pause()
        assert showing(app) == "ClassDebriefScreen"
        keys = {k: b.binding.description for k, b in app.screen.active_bindings.items()}
        assert keys["escape"] == "Close" and "New game" not in keys.values(), keys
        await pilot.press("escape")
        await pilot.pause()
        assert showing(app) == "ConsoleScreen"
        saved = data_dir / "documents" / f"debrief-{sid}.html"
        assert f"Saved the debrief of Group A: {saved}" in text_of(app)
        assert "<html" in saved.read_text()
        downloads.mkdir()  # the user's downloads folder, once it exists
        await pilot.press("c")
        await pilot.pause()
        assert showing(app) == "ReportScreen"
        shown = text_of(app)
        assert "(Group A, Group B)" in shown  # which groups chose the option
        await pilot.press("escape")
        await pilot.pause()
        page = (downloads / f"class-{code}.html").read_text()
        assert "Group A, Group B" in page
        assert f"Saved the class comparison: {downloads / f'class-{code}.html'}" in text_of(app)

    asyncio.run(_run(app, steps))


def test_a_students_page_never_shows_another_roles_briefing_or_pick(made, connect):
    _, ben, _ = seated(made)
    ben.recommend(["withhold"])
    app = StudentApp(connect(), "seat-ana")

    async def steps(pilot):
        await pilot.pause()
        seen = []
        for _ in range(4):  # her briefing, the meeting, then waiting: the chair is not asked
            seen.append(text_of(app))
            await pilot.press("n")
            await pilot.pause()
        seen.append(text_of(app))
        everything = "\n".join(seen)
        assert "You are not asked to recommend on this item." in seen[-1]
        assert showing(app) == "waiting"
        assert "You want inspection first" not in everything  # Rusk's briefing
        assert "Ben (Dean Rusk) recommends" not in everything  # Ben's pick, before the reveal

    asyncio.run(_run(app, steps))


def test_a_student_opens_the_cited_paragraph_from_the_page(made, connect):
    seated(made)
    app = StudentApp(connect(), "seat-ben")

    async def steps(pilot):
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert type(pilot.app.screen).__name__ == "SourcesScreen"
        await pilot.press("escape")
        await pilot.pause()
        pilot.app.action_open_source("doc_a#1")
        await pilot.pause()
        assert type(pilot.app.screen).__name__ == "SourcesScreen"
        assert "Doc A: A memorandum" in text_of(app)  # the mini scenario ships no source text

    asyncio.run(_run(app, steps))


def test_the_seat_updates_its_page_in_place_and_draws_all_of_the_new_page(made, connect):
    ana, _, boss = seated(made)
    app = StudentApp(connect(), "seat-ben")

    async def recommend(pilot, option: str) -> None:
        await pilot.press("n")  # the page read (briefing or agenda item)
        await pilot.pause()
        assert "Submit my recommendation" in drawn(app)  # the longest label, whole
        await pilot.click(f"#opt-{option}")
        await pilot.press("n")
        await pilot.pause()

    async def steps(pilot):
        await pilot.pause()
        seat = app.screen
        await pilot.press("n")  # the briefing read
        await recommend(pilot, "withhold")
        boss.advance()  # the chair decides
        await settle(pilot)
        page = drawn(app)
        assert "Ana as The President is deciding. The decision will appear here." in page
        assert "Waiting" in page and "Check again" in page
        ana.decide(["withhold"])
        await settle(pilot)
        assert app.screen is seat and showing(app) == "consequences"
        page = drawn(app)
        assert "What followed" in page
        assert "Decided: The pledge: Withhold it" in page
        assert "is deciding" not in page  # the waiting page's paragraph is gone, not below
        assert "Continue" in page and "Check again" not in page  # the button follows the page
        assert seat.status.cells == status_cells(seat.sitting.game)  # the status follows
        boss.advance()  # decided
        boss.advance()  # round 2: the next agenda item
        await settle(pilot)
        assert app.screen is seat and showing(app) == "meeting"
        page = drawn(app)
        assert "round 2 · discussing" in page and "On the agenda: Pressure" in page
        assert "What followed" not in page and "Decided: The pledge" not in page
        assert "To the recommendations" in page
        await recommend(pilot, "wait")
        assert "Your recommendation: Wait for the talks." in drawn(app)
        boss.advance()
        await settle(pilot)
        ana.decide(["wait"])
        await settle(pilot)
        assert app.screen is seat and showing(app) == "consequences"
        page = drawn(app)
        assert "Decided: Pressure: Wait for the talks" in page
        assert "Your recommendation" not in page and "is deciding" not in page
        assert seat.status.cells == status_cells(seat.sitting.game)

    asyncio.run(_run(app, steps))
