"""A store that cannot be written says why (read-only, disk full, a file for a folder) and
still reads; it is never called damaged for it."""

from __future__ import annotations

import json
import sqlite3

import pytest

from exsim.store import SessionStore, StoreError, database

from .conftest import exsim, refused


@pytest.fixture
def one_session(data, export_file) -> str:
    assert exsim("sessions", "import", export_file())[0] == 0
    return json.loads(exsim("sessions", "--json")[1])[0]["id"]


@pytest.fixture
def read_only_file(monkeypatch, one_session):
    """Every connection to the store opens it read-only, as for a file without write permission
    (chmod cannot show it: the tests may run as root)."""

    def connection(path):
        uri = f"{path.as_uri()}?mode=ro"
        return sqlite3.connect(uri, uri=True, isolation_level=None, factory=database.Connection)

    monkeypatch.setattr(database, "_connection", connection)
    return one_session


def test_read_only_store_refuses_writes_and_still_lists(read_only_file, export_file):
    sid = read_only_file
    read_only = "the session store is read-only (no permission to write the file or its folder)"
    assert read_only in refused("sessions", "rename", sid, "Zed")
    other = export_file(lambda d: d.update(id="zzzzzz"), name="other.json")
    assert read_only in refused("sessions", "import", other)
    code, out, _ = exsim("sessions")
    assert code == 0 and sid in out and "Group A" in out
    assert exsim("debrief", sid)[0] == 0


def test_a_store_that_cannot_be_opened_to_write_is_opened_to_read(monkeypatch, one_session):
    """A read-only folder: SQLite cannot make the files a WAL store needs beside it."""

    error = sqlite3.OperationalError("unable to open database file")
    error.sqlite_errorname = "SQLITE_CANTOPEN"

    def cannot_open(path):
        raise error

    monkeypatch.setattr(database, "_connection", cannot_open)
    code, out, _ = exsim("sessions")
    assert code == 0 and one_session in out
    err = refused("sessions", "rename", one_session, "Zed")
    assert "cannot write the session store or its folder (unable to open database file)" in err
    assert "damaged" not in err


def test_disk_full_says_so_and_keeps_the_store(data, one_session):
    from exsim.engine import open_campaign

    campaign = open_campaign(data / "scenarios" / "mini.yaml")
    with SessionStore.open(data) as store:
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count={pages}")  # the disk holds not one more page
        with pytest.raises(StoreError, match="the disk is full, so nothing could be saved"):
            for n in range(1000):
                store.create(campaign, f"Group {n}", {"president": "Ben"})
        saved = len(store.list())
        assert 1 <= saved < 1000 and one_session in [s.id for s in store.list()]
    with SessionStore.open(data) as store:
        assert len(store.list()) == saved  # what was committed before is all there


def test_data_folder_that_is_a_file(tmp_path, monkeypatch):
    afile = tmp_path / "afile"
    afile.write_text("")
    monkeypatch.setenv("EXSIM_DATA_DIR", str(afile))
    err = refused("sessions")
    assert f"error: the data folder {afile} is a file, not a folder; choose another" in err
    monkeypatch.setenv("EXSIM_DATA_DIR", str(afile / "deeper"))
    assert f"{afile} is a file, so the data folder {afile / 'deeper'} cannot be made" in refused(
        "sessions"
    )


def test_an_io_error_on_a_full_disk_is_called_a_full_disk(monkeypatch, one_session, data):
    """On a full tmpfs SQLite reports "disk I/O error" (SQLITE_IOERR_…), not SQLITE_FULL."""
    error = sqlite3.OperationalError("disk I/O error")
    error.sqlite_errorname = "SQLITE_IOERR_SHMSIZE"

    def cannot_open(path):
        raise error

    class NoRoom:
        f_bavail, f_frsize = 0, 4096

    monkeypatch.setattr(database, "_connection", cannot_open)
    monkeypatch.setattr(database.os, "statvfs", lambda path: NoRoom())
    code, out, _ = exsim("sessions")
    assert code == 0 and one_session in out  # still read
    err = refused("sessions", "rename", one_session, "Zed")
    assert f"{data / 'sessions.sqlite3'}: the disk is full, so nothing could be saved" in err
