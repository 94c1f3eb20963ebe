"""The role choice as students meet it (Pilot), once the join form let them in: the list of
free roles follows the class, and a refused choice says why, and keeps saying it when the list
is refreshed; a page whose time to choose is up says how to join again."""

from __future__ import annotations

import asyncio

from textual.widgets import OptionList, Static

from exsim.classroom import room as room_module
from exsim.tui.classroom.screens import LOOK_AGAIN_SECONDS, JoinAgainScreen, RoleScreen
from exsim.tui.classroom.student_app import StudentApp
from waiting import text_of, until

SIZE = (100, 30)
PAST_A_REFRESH = 3 * LOOK_AGAIN_SECONDS


def run(app, steps) -> None:
    async def main():
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await steps(pilot)

    asyncio.run(main())


def offered(app) -> list[str]:
    roles = app.screen.query_one("#roles", OptionList)
    if not roles.display:
        return []
    return [str(roles.get_option_at_index(n).prompt) for n in range(roles.option_count)]


def problem(app) -> str:
    return str(app.screen.query_one("#problem", Static).render())


async def rusk_taken_meanwhile(pilot, room, code: str, sid: str) -> None:
    """Highlight Dean Rusk of Group A (session *sid*); Ben takes him meanwhile, and the student
    presses Enter on him before her list is refreshed."""
    roles = pilot.app.screen.query_one("#roles", OptionList)
    roles.highlighted = offered(pilot.app).index("Group A: Dean Rusk, Secretary of State")
    room.join(code, sid, "rusk", "Ben", "seat-ben")
    roles.action_select()
    await pilot.pause()


async def choose(pilot, label: str) -> None:
    """Highlight the role *label* and take it (Enter), as the student would."""
    roles = pilot.app.screen.query_one("#roles", OptionList)
    roles.highlighted = offered(pilot.app).index(label)
    await pilot.press("enter")
    await pilot.pause()


def test_the_free_roles_follow_the_class_while_the_list_is_open(made, connect):
    code, key, room = made
    sid = room.groups(code)[0].session.id
    room.admit(code, "Ana", "seat-ana")  # the join form let her in
    app = StudentApp(connect(), "seat-ana")

    async def steps(pilot):
        assert "Group A: Dean Rusk, Secretary of State" in offered(app)
        roles = app.screen.query_one("#roles", OptionList)
        roles.highlighted = 3  # Group B: Dean Rusk
        room.join(code, sid, "rusk", "Ben", "seat-ben")  # another student, another process
        taken = "Group A: Dean Rusk, Secretary of State"
        await until(pilot, lambda: taken not in offered(app), "the list looking again")
        assert offered(app) == [
            "Group A: The President, President",
            "Group B: The President, President",
            "Group B: Dean Rusk, Secretary of State",
        ]
        assert roles.highlighted_option.prompt.plain == "Group B: Dean Rusk, Secretary of State"
        assert roles.has_focus  # still choosing: the keys go on working
        room.facilitator(code, key).free(sid, "rusk")
        await until(pilot, lambda: taken in offered(app), "the freed role offered again")

    run(app, steps)


def test_a_role_taken_meanwhile_is_refused_with_a_message_that_stays(made, connect):
    code, _, room = made
    sid = room.groups(code)[0].session.id
    room.admit(code, "Ana", "seat-ana")  # the join form let her in
    app = StudentApp(connect(), "seat-ana")

    async def steps(pilot):
        await rusk_taken_meanwhile(pilot, room, code, sid)
        said = "Dean Rusk in Group A was just taken by Ben; choose another role"
        assert isinstance(app.screen, RoleScreen)
        assert said in problem(app)
        assert "Group A: Dean Rusk, Secretary of State" not in offered(app)
        await pilot.pause(PAST_A_REFRESH)  # the list looks again: the message stays
        assert said in problem(app)
        room.join(code, room.groups(code)[1].session.id, "rusk", "Cleo", "seat-cleo")
        cleos = "Group B: Dean Rusk, Secretary of State"
        await until(pilot, lambda: cleos not in offered(app), "a refresh that changes the list")
        assert said in problem(app)
        assert offered(app) == [
            "Group A: The President, President",
            "Group B: The President, President",
        ]
        await choose(pilot, "Group B: The President, President")  # she takes another role
        assert room.groups(code)[1].claims == {"president": "Ana", "rusk": "Cleo"}
        assert not isinstance(app.screen, RoleScreen)

    run(app, steps)


def test_a_second_tab_of_a_seated_browser_is_refused_another_role_and_told_why(made, connect):
    code, _, room = made
    sid = room.groups(code)[0].session.id
    room.admit(code, "Ana", "seat-ana")
    second_tab = StudentApp(connect(), "seat-ana")  # opened before the first tab joined

    async def steps(pilot):
        room.join(code, sid, "president", "Ana", "seat-ana")  # the first tab takes a role
        hers = "Group A: The President, President"
        await until(pilot, lambda: hers not in offered(second_tab), "the list looking again")
        await choose(pilot, "Group A: Dean Rusk, Secretary of State")
        said = (
            "this browser already plays The President in Group A (in another tab?): "
            "reload this page to carry on in that role"
        )
        assert said in problem(second_tab)
        assert isinstance(second_tab.screen, RoleScreen)
        await pilot.pause(PAST_A_REFRESH)
        room.join(code, room.groups(code)[1].session.id, "rusk", "Ben", "seat-ben")
        bens = "Group B: Dean Rusk, Secretary of State"
        await until(pilot, lambda: bens not in offered(second_tab), "the list refreshed")
        assert said in problem(second_tab)  # the message stays
        assert room.groups(code)[0].claims == {"president": "Ana"}  # one role per browser

    run(second_tab, steps)


def test_the_chooser_says_who_joins_and_a_page_whose_time_is_up_says_how_to_join_again(
    made, connect, monkeypatch
):
    code, _, room = made
    room.admit(code, "Ana", "seat-ana")
    app = StudentApp(connect(), "seat-ana")

    async def steps(pilot):
        assert isinstance(app.screen, RoleScreen)
        assert f"You join class {code} as Ana." in text_of(app)
        monkeypatch.setattr(room_module, "ADMISSION_TIME", 0.0)  # her time to choose is up
        await choose(pilot, "Group A: Dean Rusk, Secretary of State")
        assert isinstance(app.screen, JoinAgainScreen)
        assert "reload the page and join again with the class code" in text_of(app)
        assert room.groups(code)[0].claims == {}

    run(app, steps)


def test_a_freed_student_is_asked_to_join_again_and_holds_no_place(made, connect):
    code, key, room = made
    sid = room.groups(code)[0].session.id
    room.admit(code, "Ana", "seat-ana")
    app = StudentApp(connect(), "seat-ana")

    async def steps(pilot):
        await choose(pilot, "Group A: Dean Rusk, Secretary of State")
        await until(pilot, lambda: "Ana as Dean Rusk" in text_of(app), "her role taken")
        room.facilitator(code, key).free(sid, "rusk")
        await until(pilot, lambda: isinstance(app.screen, JoinAgainScreen), "the way back in")
        assert room.admission("seat-ana") is None
        for n, name in enumerate(["Ana", "Ben", "Cleo", "Dan"]):  # her name, every place free
            room.admit(code, name, f"seat-{n}")

    run(app, steps)
