"""Snapshots of the class's own screens: the role choice with free roles, the console.

The class code is fixed for the snapshot (codes are random in use). Update after a deliberate
change: pytest tests/classroom/test_snapshots.py --snapshot-update -p no:cacheprovider
"""

from __future__ import annotations

import pytest

from exsim.classroom import room as room_module
from exsim.engine import open_campaign
from exsim.tui.classroom.console_app import ConsoleApp
from exsim.tui.classroom.student_app import StudentApp

from .conftest import MINI, four_groups, round_one_with_a_recommendation

SIZE = (90, 24)


@pytest.fixture
def fixed(room, monkeypatch):
    monkeypatch.setattr(room_module.Classroom, "_new_code", staticmethod(lambda conn: "K7PQX"))
    code, key = room.create(open_campaign(MINI), ["Group A", "Group B"])
    room.join(code, room.groups(code)[0].session.id, "rusk", "Ben", "seat-ben")
    return code, key


def test_role_choice_with_the_free_roles(snap_compare, fixed, connect):
    code = fixed[0]

    async def steps(pilot):
        await pilot.pause()

    room = connect()
    room.admit(code, "Ana", "seat-ana")  # the join form let her in
    app = StudentApp(room, "seat-ana")
    assert snap_compare(app, terminal_size=SIZE, run_before=steps)


def test_console_during_a_round(snap_compare, fixed, connect, room):
    code, key = fixed
    boss = room.facilitator(code, key)
    boss.advance()
    room.student("seat-ben").recommend(["withhold"])
    app = ConsoleApp(connect().facilitator(code, key), "http://127.0.0.1:8000/")
    assert snap_compare(app, terminal_size=SIZE)


def test_console_at_80x24_with_4_groups(snap_compare, room, connect, monkeypatch):
    """Every column readable without sideways scrolling; a long name cut, shown in full on the
    line below; the code and the keys in view."""
    code, key = four_groups(room, monkeypatch)

    async def steps(pilot):
        await round_one_with_a_recommendation(pilot, room)

    app = ConsoleApp(connect().facilitator(code, key), "http://127.0.0.1:8000/")
    assert snap_compare(app, terminal_size=(80, 24), run_before=steps)
    room.leave("seat-an")
