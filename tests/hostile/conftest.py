"""The hostile-input suite: scenario files, session files, names and special files an attacker
(or an accident) might hand exsim. Every case ends in one clear message, never a traceback,
a hang or raw control characters on the terminal."""

from __future__ import annotations

import copy
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from exsim import paths
from exsim.cli import main
from exsim.engine import open_campaign
from exsim.engine.compare import play_record
from exsim.store import SessionStore, transfer

MINI = Path(__file__).parents[1] / "data" / "mini.yaml"
ESC = "\x1b"
TITLE_ESCAPE = "\\e]0;PWNED\\a\\e[2J"  # YAML escapes: set the window title, clear the screen


def exsim(*args) -> tuple[int, str, str]:
    """Run the CLI; never a traceback, never a raw control character on either stream."""
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream
        assert ESC not in stream and "\x07" not in stream, stream
    return result.exit_code, result.stdout, result.stderr


def refused(*args) -> str:
    """A command that must fail with exit status 1; its error output."""
    code, out, err = exsim(*args)
    assert code == 1, (out, err)
    return err


@pytest.fixture
def data(tmp_path, monkeypatch) -> Path:
    """A fresh data folder with the mini scenario among the user's scenarios."""
    folder = tmp_path / "data"
    (folder / "scenarios").mkdir(parents=True)
    shutil.copy(MINI, folder / "scenarios" / "mini.yaml")
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(folder))
    return folder


@pytest.fixture
def scenario(tmp_path):
    """The mini scenario with text replacements: a path to the changed file."""

    def make(*changes: tuple[str, str], name: str = "hostile.yaml") -> Path:
        text = MINI.read_text()
        for old, new in changes:
            assert old in text, old
            text = text.replace(old, new)
        path = tmp_path / name
        path.write_text(text)
        return path

    return make


@pytest.fixture
def export(tmp_path) -> dict:
    """A valid export of a finished game of the mini scenario."""
    campaign = open_campaign(MINI)
    with SessionStore.open(tmp_path / "elsewhere") as store:
        sid = store.create(campaign, "Group A", {"president": "Ana"})
        store.save(sid, play_record(campaign, 0))
        return transfer.export_data(store, sid)


@pytest.fixture
def export_file(tmp_path, export):
    """Write a changed copy of the export: a function of the change, giving the file's path."""

    def make(change=None, name: str = "x.json", text: str | None = None) -> Path:
        data = copy.deepcopy(export)
        if change:
            change(data)
        path = tmp_path / name
        path.write_text(text if text is not None else json.dumps(data))
        return path

    return make


@pytest.fixture
def fifo(tmp_path) -> Path:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


@pytest.fixture
def endless(tmp_path) -> Path:
    path = tmp_path / "zero.yaml"
    path.symlink_to("/dev/zero")
    return path
