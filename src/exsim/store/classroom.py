"""The classroom tables: shared classes kept beside the sessions in the same SQLite file.

Added to a store on first use (`CREATE TABLE IF NOT EXISTS`); an exsim without classrooms reads
the file unchanged, so the store's SCHEMA_VERSION stays as it is. Deleting a session deletes
its class group and claims (foreign keys with ON DELETE CASCADE).
"""

from __future__ import annotations

import sqlite3

SCHEMA = """
CREATE TABLE IF NOT EXISTS classroom (
    code         TEXT PRIMARY KEY,
    key_hash     TEXT NOT NULL,
    stage        TEXT NOT NULL,
    round        INTEGER NOT NULL DEFAULT 0,
    paused       INTEGER NOT NULL DEFAULT 0,
    timer_end    REAL,
    timer_left   REAL,
    released     INTEGER NOT NULL DEFAULT 0,
    revision     INTEGER NOT NULL DEFAULT 0,
    created      TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS class_group (
    code         TEXT NOT NULL REFERENCES classroom(code) ON DELETE CASCADE,
    n            INTEGER NOT NULL,
    session_id   TEXT NOT NULL UNIQUE REFERENCES session(id) ON DELETE CASCADE,
    base         INTEGER NOT NULL DEFAULT 0,
    revision     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (code, n)
);
CREATE TABLE IF NOT EXISTS claim (
    session_id   TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
    role         TEXT NOT NULL,
    name         TEXT NOT NULL,
    seat_hash    TEXT NOT NULL,
    at           TEXT NOT NULL,
    PRIMARY KEY (session_id, role)
);
CREATE INDEX IF NOT EXISTS claim_seat ON claim(seat_hash);
"""


def ensure_tables(conn: sqlite3.Connection) -> None:
    """Add the classroom tables to the store if they are not there yet."""
    conn.executescript(SCHEMA)
