"""The classroom tables: shared classes kept beside the sessions in the same SQLite file.

Added to a store on first use (`CREATE TABLE IF NOT EXISTS`); an exsim without classrooms reads
the file unchanged, so the store's SCHEMA_VERSION stays as it is. Deleting a session deletes
its class group, claims and credits (foreign keys with ON DELETE CASCADE). A credit keeps who
sent a role's recommendation on a decision: a role freed and taken again by another student
keeps the first student's recommendations under the first student's name. Presence lists the
student app processes running now (by seat); code attempts log wrong class codes, to slow
down guessing and to show the facilitator.
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
CREATE TABLE IF NOT EXISTS class_credit (
    session_id   TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
    decision     TEXT NOT NULL,
    role         TEXT NOT NULL,
    name         TEXT NOT NULL,
    PRIMARY KEY (session_id, decision, role)
);
CREATE TABLE IF NOT EXISTS presence (
    seat_hash    TEXT NOT NULL,
    pid          INTEGER NOT NULL,
    PRIMARY KEY (seat_hash, pid)
);
CREATE TABLE IF NOT EXISTS code_attempt (
    at           REAL NOT NULL,
    seat_hash    TEXT NOT NULL,
    code         TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS code_attempt_at ON code_attempt(at);
"""


def ensure_tables(conn: sqlite3.Connection) -> None:
    """Add the classroom tables to the store if they are not there yet."""
    conn.executescript(SCHEMA)
