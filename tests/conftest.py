"""Shared fixtures: the small test scenario, and bad variants of it."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from exsim.engine import open_campaign

# Tests (and the processes they start) never touch the user's cache: each run walks afresh;
# nor its error log. Both folders go when the run ends.
for _name, _prefix in (("EXSIM_CACHE_DIR", "exsim-cache-"), ("EXSIM_LOG_DIR", "exsim-log-")):
    os.environ[_name] = tempfile.mkdtemp(prefix=_prefix)
    atexit.register(shutil.rmtree, os.environ[_name], ignore_errors=True)

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


PRESS = """  - id: after
    title: Afterwards"""
PRESS_PHASE = """  - id: press
    title: The President's press conference
    kind: inject
    date: 1962-11-20
    asserts: {}
    situation:
      - text: The President tells the press that the quarantine stays for now.
        cite: [doc_b]
        asserts: {}
"""
LATER_PHASE = """
  - id: later
    title: Where the documents stop
    kind: outcome
    date: 1962-12-01
    asserts: {}
    situation:
      - text: The documents at hand end here.
        cite: [doc_b]
        hindsight: true
        asserts: {}
"""


@pytest.fixture
def quiet_phases(tmp_path) -> Path:
    """The mini scenario with two phases that have no decision: a press conference before
    the last meeting, and an outcome phase after it with a hindsight passage."""
    text = MINI.read_text().replace(PRESS, PRESS_PHASE + PRESS, 1)
    text = text.replace("\nresponses:", LATER_PHASE + "\nresponses:", 1)
    path = tmp_path / "quiet.yaml"
    path.write_text(text)
    return path
