"""The seat and the console with the facilitator's tools, through their UI with Pilot: a reason
sent with a recommendation and shown to the chair, ticks never sent, the facilitator's
messages, a vote that overrode the chair, the timer's empty field."""

from __future__ import annotations

import asyncio

from textual.widgets import Input, OptionList

from exsim.tui.classroom.console_app import ConsoleApp, TimerScreen
from exsim.tui.classroom.student_app import StudentApp
from waiting import text_of, until

from .test_screens import SIZE, read_on_to, seated, settle, showing


async def _run(app, steps) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await steps(pilot)


def test_a_reason_goes_with_the_recommendation_and_the_chair_reads_it(made, connect):
    _, _, boss = seated(made)
    app = StudentApp(connect(), "seat-ben")

    async def steps(pilot):
        await read_on_to(pilot, "recommend")
        await until(pilot, lambda: app.screen.query("#opt-withhold"), "the options")
        await pilot.press("space")  # the options have the keys
        await pilot.press("tab")
        assert app.screen.focused is app.screen.query_one("#reason")
        await pilot.press(*"Inspection first")
        await pilot.press("enter")  # sends, as n does
        await settle(pilot)
        assert "Your recommendation: Withhold it." in text_of(app)

    asyncio.run(_run(app, steps))
    boss.advance()
    chair = StudentApp(connect(), "seat-ana")

    async def chair_reads(pilot):
        await settle(pilot)
        assert showing(chair) == "decide"
        assert "Ben (Dean Rusk) recommends: Withhold it" in text_of(chair)
        assert "Reason: Inspection first" in text_of(chair)

    asyncio.run(_run(chair, chair_reads))


def test_ticks_never_sent_are_told_and_a_vote_over_the_chair_is_said(made, connect):
    _, _, boss = seated(made)
    app = StudentApp(connect(), "seat-ben")

    async def steps(pilot):
        await read_on_to(pilot, "recommend")
        await until(pilot, lambda: app.screen.query("#opt-withhold"), "the options")
        await pilot.press("space")  # ticked, not sent: the facilitator opens the decision
        boss.advance()
        await settle(pilot)
        await until(pilot, lambda: list(app._notifications), "a message")
        (told,) = [(n.title, n.message) for n in app._notifications]
        assert told == (
            "Not sent",
            "Your recommendation (Withhold it) was not sent: the facilitator moved the class "
            "on before you sent it.",
        )
        boss.advance()  # Ana has not decided: the group's vote takes it
        await settle(pilot)
        assert showing(app) == "consequences"
        assert (
            "The group's vote took this decision: Ana as The President had not decided when "
            "the facilitator moved on." in text_of(app)
        )

    asyncio.run(_run(app, steps))


def test_the_facilitators_messages_appear_on_the_seats(made, connect):
    _, _, boss = seated(made)
    app = StudentApp(connect(), "seat-ben")

    async def steps(pilot):
        await settle(pilot)
        boss.message("Five minutes left")
        await until(pilot, lambda: list(app._notifications), "the message")
        (told,) = [(n.title, n.message) for n in app._notifications]
        assert told == ("From the facilitator", "Five minutes left")

    asyncio.run(_run(app, steps))
    again = StudentApp(connect(), "seat-ben")  # a reload: this round's messages again

    async def reloaded(pilot):
        await until(pilot, lambda: list(again._notifications), "the message")
        assert [n.message for n in again._notifications] == ["Five minutes left"]

    asyncio.run(_run(again, reloaded))


def test_the_timer_refuses_an_empty_field_with_a_message(made, connect):
    code, key, _ = made
    app = ConsoleApp(connect().facilitator(code, key))

    async def steps(pilot):
        await pilot.pause()
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TimerScreen), "the timer")
        app.screen.query_one(Input).value = ""
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TimerScreen)
        assert "Enter the minutes, e.g. 10 (0 clears the timer)" in text_of(app)

    asyncio.run(_run(app, steps))


def test_a_moved_students_page_follows_them(made, connect):
    code, _, room = made
    _, _, boss = seated(made)
    other = room.groups(code)[1]
    app = StudentApp(connect(), "seat-ben")

    async def steps(pilot):
        await settle(pilot)
        assert "Group A" in app.sub_title
        boss.move(app.student.session_id, "rusk", other.session.id, "rusk")
        await until(pilot, lambda: "Group B" in app.sub_title, "the page in Group B")
        told = [(n.title, n.message) for n in app._notifications]
        assert (
            "Moved by the facilitator",
            "You now play Dean Rusk, Secretary of State in Group B.",
        ) in told
        assert showing(app) == "briefing"  # Group B's pages are still to read

    asyncio.run(_run(app, steps))


def test_the_console_sends_a_message_moves_a_student_and_saves_the_gradebook_and_cards(
    made, connect, data_dir
):
    code, key, room = made
    seated(made)
    app = ConsoleApp(connect().facilitator(code, key))

    async def steps(pilot):
        await pilot.pause()
        await pilot.press("s")
        await pilot.press(*"Two minutes")
        await pilot.press("enter")  # to the whole class
        await until(pilot, lambda: "Sent to the whole class." in text_of(app), "the message")
        await pilot.press("down")  # Group A's Dean Rusk: Ben
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("down", "enter")  # to the second free role listed
        await until(pilot, lambda: "Ben now plays" in text_of(app), "the move")
        await pilot.press("o")
        await pilot.pause()
        keys = app.screen.query_one("#keys", OptionList)
        ids = [keys.get_option_at_index(i).id for i in range(keys.option_count)]
        assert ids == ["free", "move", "pause_group", "advance_group", "gradebook", "cards"]
        await pilot.press(*["down"] * ids.index("gradebook"), "enter")  # from the list
        await until(pilot, lambda: "Saved the gradebook of 2 student(s)" in text_of(app), "it")
        await pilot.press("k")
        await until(pilot, lambda: "Saved the role cards" in text_of(app), "the cards")

    asyncio.run(_run(app, steps))
    assert [m.text for m in room.groups(code)[0].messages] == ["Two minutes"]
    documents = data_dir / "documents"
    assert (documents / f"gradebook-{code}.csv").read_text().count("\n") == 3
    assert "Dean Rusk" in (documents / "role-cards-mini.html").read_text()
