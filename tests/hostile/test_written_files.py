"""Files the user did not ask to destroy: every command that writes a file follows one rule —
only a regular file is written, and one that exists only with --force."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from exsim import files
from exsim.engine import open_campaign
from exsim.engine.compare import play_record
from exsim.store import SessionStore

from .conftest import MINI, exsim, refused


@pytest.fixture
def session(data) -> str:
    """A finished game of the mini scenario in the data folder."""
    campaign = open_campaign(data / "scenarios" / "mini.yaml")
    with SessionStore.open(data) as store:
        sid = store.create(campaign, "Group A", {"president": "Ana"})
        store.save(sid, play_record(campaign, 0))
    return sid


def writes(session: str, target: Path) -> list[tuple[str, ...]]:
    """Every command that writes a file the user names, writing *target*."""
    return [
        ("debrief", session, "-o", str(target)),
        ("class-report", session, "-o", str(target)),
        ("sessions", "export", session, "-o", str(target)),
        ("simulate", str(MINI), "--runs", "10", "--out", str(target.with_suffix(".json"))),
        ("graph", str(MINI), "--format", "html", "-o", str(target)),
    ]


@pytest.fixture(params=["device", "fifo", "folder"])
def special(request, tmp_path) -> tuple[Path, str]:
    """A path that is no regular file, and what it is called in the refusal."""
    if request.param == "device":
        path = tmp_path / "full.json"  # a link to /dev/full: the device itself is never touched
        path.symlink_to("/dev/full")
        return path, "a device"
    if request.param == "fifo":
        path = tmp_path / "pipe.json"
        os.mkfifo(path)
        return path, "a named pipe"
    path = tmp_path / "folder.json"
    path.mkdir()
    return path, "a folder"


def test_no_command_writes_over_a_device_a_pipe_or_a_folder(session, special):
    path, kind = special
    for command in writes(session, path):
        err = refused(*command)
        assert f"not a regular file ({kind}); name a file to write" in err, command
    assert not path.is_file() and (path.is_symlink() or path.exists())
    if kind == "a device":
        assert Path("/dev/full").is_char_device()


def test_every_command_asks_for_force_before_overwriting(session, tmp_path):
    target = tmp_path / "kept.json"
    for command in writes(session, target):
        written = Path(command[-1])
        written.write_text("the user's own file\n")
        err = refused(*command)
        assert err == f"error: {written}: exists; use --force to overwrite it\n", command
        assert written.read_text() == "the user's own file\n"
        code, _, _ = exsim(*command, "--force")
        assert code == 0 and written.read_text() != "the user's own file\n", command


def test_force_through_a_link_replaces_the_file_and_keeps_the_link(tmp_path):
    real = tmp_path / "real.md"
    real.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    files.write_text(link, "new", force=True)
    assert link.is_symlink() and real.read_text() == "new"
