"""Shared fixtures: the small test scenario, and bad variants of it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from exsim.engine import open_campaign

# Tests (and the processes they start) never touch the user's cache: each run walks afresh.
os.environ["EXSIM_CACHE_DIR"] = tempfile.mkdtemp(prefix="exsim-cache-")
os.environ["EXSIM_LOG_DIR"] = tempfile.mkdtemp(prefix="exsim-log-")  # nor its error log

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini.yaml"


@pytest.fixture(scope="session")
def mini():
    return open_campaign(MINI)


@pytest.fixture
def variant(tmp_path):
    """Write the mini scenario with one text replacement; return (path, line of the change)."""

    def make(old: str, new: str, count: int = 1) -> tuple[Path, int]:
        text = MINI.read_text()
        assert old in text, old
        changed = text.replace(old, new, count)
        path = tmp_path / "bad.yaml"
        path.write_text(changed)
        line = changed[: changed.index(new)].count("\n") + 1 if new else 0
        return path, line

    return make
