"""Special files: a named pipe, /dev/zero behind a symlink, a folder, a file over the limit.

Each is refused at once with one line naming the file; nothing blocks or reads without end.
"""

from __future__ import annotations

import os

import pytest

from exsim import files, paths
from exsim.scenario.yamlsafe import MAX_BYTES

from .conftest import MINI, refused

KINDS = {"fifo": "a named pipe", "endless": "a device"}


@pytest.mark.parametrize("kind", ["fifo", "endless"])
def test_read_bytes_refuses_what_is_not_a_regular_file(kind, request):
    path = request.getfixturevalue(kind)
    with pytest.raises(files.FileRefused, match=f"not a regular file \\({KINDS[kind]}\\)"):
        files.read_bytes(path, 1000)


def test_read_bytes_refuses_a_folder_and_bounds_while_reading(tmp_path):
    with pytest.raises(files.FileRefused, match=r"not a regular file \(a folder\)"):
        files.read_bytes(tmp_path, 1000)
    big = tmp_path / "big"
    big.write_bytes(b"x" * 1001)
    with pytest.raises(files.FileRefused, match="too large: the limit is 1,000 bytes"):
        files.read_bytes(big, 1000)
    assert files.read_bytes(big, 1001) == b"x" * 1001


@pytest.mark.parametrize("kind", ["fifo", "endless"])
def test_validate(kind, request):
    path = request.getfixturevalue(kind)
    err = refused("validate", path)
    assert f"{path}:1:1: cannot read: not a regular file ({KINDS[kind]}); give a file" in err


@pytest.mark.parametrize("kind", ["fifo", "endless"])
def test_run_script(kind, request):
    path = request.getfixturevalue(kind)
    err = refused("run", MINI, "--script", path)
    assert f"{path}:1:1: cannot read: not a regular file ({KINDS[kind]})" in err


@pytest.mark.parametrize("kind", ["fifo", "endless"])
def test_simulate_policy(kind, request):
    path = request.getfixturevalue(kind)
    err = refused("simulate", MINI, "--policy", path, "--runs", 10)
    assert f"{path}:1:1: cannot read: not a regular file ({KINDS[kind]})" in err


@pytest.mark.parametrize("kind", ["fifo", "endless"])
def test_sessions_import(kind, request, data):
    path = request.getfixturevalue(kind)
    err = refused("sessions", "import", path)
    assert f"error: {path}: cannot read (not a regular file ({KINDS[kind]}); give a file)" in err


def test_a_scenario_over_the_limit_is_refused_while_reading(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("x: " + "a" * MAX_BYTES)
    assert f"too large: the limit is {MAX_BYTES:,} bytes" in refused("validate", path)


def test_the_scenario_folder_passes_over_pipes_devices_and_folders(data, fifo, endless):
    folder = data / "scenarios"
    os.mkfifo(folder / "pipe.yaml")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    (folder / "folder.yaml").mkdir()
    found = [p.name for p in paths.scenario_files()]
    assert found[-1] == "mini.yaml"
    assert not {"pipe.yaml", "zero.yaml", "folder.yaml"} & set(found)
