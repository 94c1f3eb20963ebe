"""A class on the small scenario, in a temporary data folder; each party on its own connection."""

from __future__ import annotations

from pathlib import Path

import pytest

from exsim import paths
from exsim.classroom import Classroom
from exsim.engine import open_campaign
from exsim.store import SessionStore

from .test_screens import settle

MINI = Path(__file__).parents[1] / "data" / "mini.yaml"


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    """Every class test's data folder (the store, the server's seat secret) is its own."""
    monkeypatch.setenv("EXSIM_DATA_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture(autouse=True)
def downloads(tmp_path, monkeypatch):
    """The user's downloads folder, for saved pages: absent until a test creates it."""
    folder = tmp_path / "Downloads"
    monkeypatch.setattr(paths.platformdirs, "user_downloads_path", lambda: folder)
    return folder


@pytest.fixture
def connect(data_dir):
    """A new Classroom on its own store connection, as another process would have."""
    opened = []

    def make() -> Classroom:
        store = SessionStore.open(data_dir)
        opened.append(store)
        return Classroom(store)

    yield make
    for store in opened:
        store.close()


@pytest.fixture
def room(connect):
    return connect()


@pytest.fixture
def made(room):
    """A class of two groups on the mini scenario: (code, facilitator key, room)."""
    code, key = room.create(open_campaign(MINI), ["Group A", "Group B"])
    return code, key, room


def four_groups(room: Classroom, monkeypatch) -> tuple[str, str]:
    """The class of the guide's picture of the console: class K7PQX, four groups on the bundled
    scenario; Ana chairs Group A, Anastasia (page open) plays Rusk there, Ben McNamara in
    Group B. Returns (code, facilitator key)."""
    from exsim.classroom import room as room_module

    monkeypatch.setattr(room_module.Classroom, "_new_code", staticmethod(lambda conn: "K7PQX"))
    campaign = open_campaign(paths.BUNDLED_SCENARIOS / "november-1962.yaml")
    code, key = room.create(campaign, [f"Group {g}" for g in "ABCD"])
    groups = room.groups(code)
    room.join(code, groups[0].session.id, "president", "Ana", "seat-ana")
    room.join(code, groups[0].session.id, "rusk", "Anastasia Papadopoulou-Whitfield", "seat-an")
    room.join(code, groups[1].session.id, "mcnamara", "Ben", "seat-ben")
    room.arrive("seat-an")  # her page is open; Ana's and Ben's are closed
    return code, key


async def round_one_with_a_recommendation(pilot, room: Classroom) -> None:
    """On the console: round 1; Anastasia recommends; the cursor on her row."""
    await pilot.press("a")
    room.student("seat-an").recommend(["count_at_sea"])
    await settle(pilot)  # the console's follower sees it
    await pilot.press("down")
    await pilot.pause()
