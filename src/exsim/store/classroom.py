"""The classroom tables: shared classes kept beside the sessions in the same SQLite file.

Added to a store on first use (`CREATE TABLE IF NOT EXISTS`); an exsim without classrooms reads
the file unchanged, so the store's SCHEMA_VERSION stays as it is. Deleting a session deletes
its class group, claims and credits (foreign keys with ON DELETE CASCADE). A credit keeps who
sent a role's recommendation on a decision, and the reason they wrote with it; a decider keeps
which student took a decision as its chair: a role freed and taken again by another student
keeps the first student's acts under the first student's name. Messages are what the
facilitator sent to one group or the whole class. Presence lists the student app processes
running now (by seat); code attempts log wrong class codes, to slow down guessing and to show
the facilitator. Admissions are the browsers let in with the right class code and a valid
name, to choose their role next (the class server starts a page's app process only then).
Read pages are the pages a student moved past in a role (a briefing, a meeting's agenda,
cables), so a reload comes back to the page they were on. Tenures are the
roles each student held and when (a claim's history: freed or moved, a tenure ends); visits
are the page loads of each seat, for attendance. A column added
since a store was made is added to it on first use.
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
    paused       INTEGER NOT NULL DEFAULT 0,
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
    reason       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (session_id, decision, role)
);
CREATE TABLE IF NOT EXISTS class_decider (
    session_id   TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
    decision     TEXT NOT NULL,
    role         TEXT NOT NULL,
    name         TEXT NOT NULL,
    PRIMARY KEY (session_id, decision)
);
CREATE TABLE IF NOT EXISTS class_message (
    code         TEXT NOT NULL REFERENCES classroom(code) ON DELETE CASCADE,
    session_id   TEXT REFERENCES session(id) ON DELETE CASCADE,
    at           TEXT NOT NULL,
    round        INTEGER NOT NULL,
    text         TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS class_message_code ON class_message(code);
CREATE TABLE IF NOT EXISTS class_read (
    seat_hash    TEXT NOT NULL,
    session_id   TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
    role         TEXT NOT NULL,
    page         TEXT NOT NULL,
    PRIMARY KEY (seat_hash, session_id, role, page)
);
CREATE TABLE IF NOT EXISTS class_tenure (
    session_id   TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
    role         TEXT NOT NULL,
    name         TEXT NOT NULL,
    seat_hash    TEXT NOT NULL,
    start        TEXT NOT NULL,
    end          TEXT
);
CREATE INDEX IF NOT EXISTS class_tenure_session ON class_tenure(session_id);
CREATE TABLE IF NOT EXISTS class_visit (
    seat_hash    TEXT NOT NULL,
    at           TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS class_visit_seat ON class_visit(seat_hash);
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
CREATE TABLE IF NOT EXISTS class_admission (
    seat_hash    TEXT PRIMARY KEY,
    code         TEXT NOT NULL REFERENCES classroom(code) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    at           REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS class_admission_code ON class_admission(code);
"""
ADDED = [  # (table, column, declared)
    ("class_credit", "reason", "TEXT NOT NULL DEFAULT ''"),
    ("class_group", "paused", "INTEGER NOT NULL DEFAULT 0"),  # this group alone
]


def ensure_tables(conn: sqlite3.Connection) -> None:
    """Add the classroom tables (and columns added since) to the store if they are not there."""
    conn.executescript(SCHEMA)
    for table, column, declared in ADDED:
        have = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        if column not in have:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declared}")
