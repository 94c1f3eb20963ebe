"""The game on a store in a temporary data folder (never the real user data folder)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tui_steps import MINI

from exsim.store import SessionStore
from exsim.tui.app import ExsimApp


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("EXSIM_DATA_DIR", str(tmp_path))
    (tmp_path / "scenarios").mkdir()
    shutil.copy(MINI, tmp_path / "scenarios")  # a user's own scenario: found by id on resume
    with SessionStore.open(tmp_path) as opened:
        yield opened


@pytest.fixture
def make_app(store):
    def make(scenario: Path = MINI, resume: str | None = None) -> ExsimApp:
        return ExsimApp(store, scenario=scenario, resume=resume)

    return make
