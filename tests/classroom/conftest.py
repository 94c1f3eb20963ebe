"""A class on the small scenario, in a temporary data folder; each party on its own connection."""

from __future__ import annotations

from pathlib import Path

import pytest

from exsim import paths
from exsim.classroom import Classroom
from exsim.engine import open_campaign
from exsim.store import SessionStore

MINI = Path(__file__).parents[1] / "data" / "mini.yaml"


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
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
