"""The store's SQLite file: recognise it, create it atomically, connect to it safely.

A file that is not exsim's (foreign, corrupt, truncated, newer) is refused with a message
naming it, and never written to.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from pathlib import Path

APPLICATION_ID = 0x45585331  # "EXS1": marks the file as exsim's session store
SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 10_000
MAGIC = b"SQLite format 3\x00"

SCHEMA = """
CREATE TABLE scenario (
    content_hash TEXT PRIMARY KEY,
    scenario_id  TEXT NOT NULL,
    version      TEXT NOT NULL,
    text         TEXT
);
CREATE TABLE session (
    id           TEXT PRIMARY KEY,
    grp          TEXT NOT NULL,
    scenario_id  TEXT NOT NULL,
    version      TEXT NOT NULL,
    content_hash TEXT NOT NULL REFERENCES scenario(content_hash),
    players      TEXT NOT NULL,
    seed         INTEGER NOT NULL,
    mode         TEXT NOT NULL CHECK (mode IN ('historical', 'what-if')),
    rule         TEXT NOT NULL CHECK (rule IN ('chair', 'vote')),
    forced       TEXT NOT NULL,
    finished     INTEGER NOT NULL DEFAULT 0,
    created      TEXT NOT NULL,
    updated      TEXT NOT NULL
);
CREATE TABLE entry (
    session_id   TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    step         TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('decision', 'response', 'skipped')),
    body         TEXT NOT NULL,
    at           TEXT NOT NULL,
    PRIMARY KEY (session_id, seq),
    UNIQUE (session_id, step)
);
CREATE TABLE recommendation (
    session_id   TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
    decision     TEXT NOT NULL,
    role         TEXT NOT NULL,
    options      TEXT NOT NULL,
    at           TEXT NOT NULL,
    PRIMARY KEY (session_id, decision, role)
);
"""


class StoreError(Exception):
    """The store cannot do what was asked; the message says why and names the file or session."""


class Connection(sqlite3.Connection):
    """A connection to the store; `read_only` says why, when it was opened for reading only."""

    read_only: str | None = None


def connect(path: Path) -> Connection:
    """Open the store at *path*, creating it if absent; StoreError if the file is not ours.

    Where the store can be read but not written (a read-only file or folder, a full disk),
    it is opened read-only: reading works, and every write says what is wrong.
    """
    _check_folder(path.parent)
    if not path.exists():
        _create(path)
    _check_header(path)
    try:
        conn = _connection(path)
        ok = conn.execute("PRAGMA quick_check").fetchone()[0]
        conn.execute("PRAGMA journal_mode=WAL")
    except sqlite3.OperationalError as exc:
        if _error_name(exc) not in CANNOT_WRITE:
            raise StoreError(
                f"{path}: the session store is damaged ({exc}); left untouched"
            ) from None
        return _read_only(path, exc)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: the session store is damaged ({exc}); left untouched") from None
    if ok != "ok":
        conn.close()
        raise StoreError(f"{path}: the session store is damaged ({ok}); left untouched")
    return conn


CANNOT_WRITE = {"SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_FULL", "SQLITE_IOERR", "SQLITE_PERM"}


def explain(exc: sqlite3.Error, path: Path) -> str:
    """What went wrong with the store at *path*, in words: read-only, disk full, busy …"""
    name = _error_name(exc)
    if name == "SQLITE_FULL" or (name == "SQLITE_IOERR" and _disk_full(path)):
        return f"{path}: the disk is full, so nothing could be saved; free some space"
    if name in {"SQLITE_READONLY", "SQLITE_PERM"} or "readonly" in str(exc):
        return (
            f"{path}: the session store is read-only (no permission to write the file or its "
            "folder); nothing was changed"
        )
    if name == "SQLITE_BUSY":
        return f"{path}: the session store is busy ({exc}); try again"
    if name in {"SQLITE_CANTOPEN", "SQLITE_IOERR"}:
        return f"{path}: cannot write the session store or its folder ({exc}); nothing was changed"
    return f"{path}: the session store cannot be written ({exc}); nothing was changed"


def _error_name(exc: sqlite3.Error) -> str:
    """SQLite's primary error code: SQLITE_IOERR for SQLITE_IOERR_WRITE, and so on."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    return "_".join(name.split("_")[:2])


def _disk_full(path: Path) -> bool:
    """True if the disk holding *path* has (almost) no room left: I/O errors are often that."""
    try:
        room = os.statvfs(path.parent)
    except (OSError, AttributeError):  # no statvfs on Windows
        return False
    return room.f_bavail * room.f_frsize < 1024 * 1024


def _read_only(path: Path, why: sqlite3.Error) -> Connection:
    """The store opened for reading only, after *why* kept it from being opened to write.

    `immutable` reads without the shared-memory file a WAL store needs, which a read-only
    folder cannot hold. Writes then fail, and `explain` says why.
    """
    try:
        conn = sqlite3.connect(
            f"{path.as_uri()}?immutable=1", uri=True, isolation_level=None, factory=Connection
        )
        ok = conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError:
        raise StoreError(explain(why, path)) from None
    if ok != "ok":
        conn.close()
        raise StoreError(f"{path}: the session store is damaged ({ok}); left untouched")
    conn.read_only = explain(why, path)
    return conn


def _check_folder(folder: Path) -> None:
    """StoreError if the data folder, or a folder above it, is a file."""
    for part in (folder, *folder.parents):
        if part.exists():
            if not part.is_dir():
                what = (
                    f"the data folder {folder} is a file, not a folder"
                    if part == folder
                    else f"{part} is a file, so the data folder {folder} cannot be made"
                )
                raise StoreError(f"{what}; choose another with --data-dir or $EXSIM_DATA_DIR")
            return


def _connection(path: Path) -> Connection:
    conn = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, factory=Connection
    )
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=FULL")
    return conn


def _check_header(path: Path) -> None:
    """Read the file's header bytes without SQLite, so a foreign file is never touched."""
    try:
        with path.open("rb") as f:
            head = f.read(100)
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the session store ({exc.strerror})") from None
    if len(head) < 100 or not head.startswith(MAGIC):
        what = "empty" if not head else "truncated" if MAGIC.startswith(head[:16]) else "not SQLite"
        raise StoreError(
            f"{path}: not an exsim session store ({what}); left untouched. "
            "Move it away, or choose another folder with --data-dir."
        )
    app_id = int.from_bytes(head[68:72], "big")
    version = int.from_bytes(head[60:64], "big")
    if app_id != APPLICATION_ID:
        raise StoreError(
            f"{path}: a SQLite database of another program, not an exsim session store; "
            "left untouched. Move it away, or choose another folder with --data-dir."
        )
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: made by a newer exsim (store version {version}, this one reads "
            f"{SCHEMA_VERSION}); upgrade exsim to open it"
        )


def _create(path: Path) -> None:
    """Build a new store beside *path* and move it into place in one step."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".new-", suffix=".sqlite3", dir=path.parent)
    except OSError as exc:
        raise StoreError(f"{path}: cannot create the session store ({exc.strerror})") from None
    os.close(fd)
    try:
        conn = sqlite3.connect(tmp, isolation_level=None)
        conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        conn.executescript(SCHEMA)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.close()
        with contextlib.suppress(FileExistsError):  # another process made it first: use theirs
            os.link(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
