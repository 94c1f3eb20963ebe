"""Following a class from another process: a cheap check, run every ~100 ms."""

from __future__ import annotations

from exsim.classroom.room import Classroom


class Follower:
    """Says when class *code* has changed since the last look.

    `PRAGMA data_version` moves only when another connection commits, so an idle class costs
    one pragma per poll; the class's revision counter is read only after a commit somewhere.
    """

    def __init__(self, room: Classroom, code: str):
        self.room = room
        self.code = code
        self.data_version = -1
        self.revision = room.revision(code)

    def changed(self) -> bool:
        (version,) = self.room.conn.execute("PRAGMA data_version").fetchone()
        if version == self.data_version:
            return False
        self.data_version = version
        revision = self.room.revision(self.code)
        if revision == self.revision:
            return False
        self.revision = revision
        return True

    def seen(self) -> None:
        """Our own action changed the class: we already show it."""
        self.revision = self.room.revision(self.code)
