"""Following a class from another process: a cheap check, run every ~100 ms."""

from __future__ import annotations

from exsim.classroom.room import Classroom


class Follower:
    """Says when class *code* (for a student: the class and their own group, *session_id*)
    has changed since the last look.

    `PRAGMA data_version` moves only when another connection commits, so an idle class costs
    one pragma per poll; the revision counters are read only after a commit somewhere, and a
    move in another group wakes no one else's screen.
    """

    def __init__(self, room: Classroom, code: str, session_id: str | None = None):
        self.room = room
        self.code = code
        self.session_id = session_id
        self.data_version = -1
        self.revision = room.revision(code, session_id)

    def changed(self) -> bool:
        (version,) = self.room.conn.execute("PRAGMA data_version").fetchone()
        if version == self.data_version:
            return False
        self.data_version = version
        revision = self.room.revision(self.code, self.session_id)
        if revision == self.revision:
            return False
        self.revision = revision
        return True

    def seen(self) -> None:
        """Our own action changed the class: we already show it."""
        self.revision = self.room.revision(self.code, self.session_id)
