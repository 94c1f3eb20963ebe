"""A class: groups playing the same scenario in lockstep, run by one facilitator.

The facilitator moves the whole class through each round: *discussing* (students read their
own briefing and the agenda item, and send a private recommendation), *deciding* (each group's
chair decides; a group whose chair nobody plays decides by its vote), *decided* (the
consequences; the facilitator releases the counterparts' cables, the injects, one by one),
then the next round; at the end *over* and, once the facilitator reveals it, *revealed*.

Students act only through a `Student` (bound to the secret seat token of their browser) and
only for their own role; facilitator actions need the class's facilitator key.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import hmac
import os
import secrets
import time
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from exsim.engine.campaign import Campaign
from exsim.engine.game import GROUP, Entry, Game, GameError, Mode
from exsim.engine.vote import Rule, asked, deciding_role, settle
from exsim.scenario.model import Decision
from exsim.store import Session, SessionStore, StoreError
from exsim.store.classroom import ensure_tables
from exsim.store.names import same_name_key
from exsim.store.sessions import alive, now

if TYPE_CHECKING:  # loaded only when asked for: less memory per student
    from exsim.report.classes import ClassReport
    from exsim.report.gradebook import Gradebook

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to read out
CODE_LENGTH = 5
MAX_NAME = 30
MAX_REASON = 200  # characters of a recommendation's reason
MAX_MESSAGE = 300  # characters of a facilitator's message
SEAT_ENV = "EXSIM_SEAT"  # how the class server tells a student's app process its browser's seat
GUESS_WINDOW = 60.0  # seconds over which wrong class codes are counted
WRONG_CODES_PER_SEAT = 5  # in GUESS_WINDOW, from one browser
ADMISSION_TIME = 600.0  # seconds a browser let in may take to choose its role


class ClassError(Exception):
    """A class action refused or impossible; the message tells the user why."""

    def sentence(self) -> str:
        """The message as a sentence: a capital first, a full stop last (for a form)."""
        said = str(self).strip()
        if not said:
            return said
        said = said[0].upper() + said[1:]
        return said if said[-1] in ".!?" else said + "."


class BadName(ClassError):
    """A student's name the class refuses: none given, or one that looks like another's."""


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class ClassState:
    """The class row: where the class stands, the pause and the round's timer."""

    code: str
    stage: str
    round: int
    paused: bool
    timer_end: float | None
    timer_left: float | None
    released: int
    revision: int

    def time_left(self, clock: float | None = None) -> float | None:
        """Seconds left on the round's timer (frozen while paused), or None when none is set."""
        if self.timer_left is not None:
            return self.timer_left
        if self.timer_end is None:
            return None
        return max(0.0, self.timer_end - (time.time() if clock is None else clock))


@dataclass(frozen=True)
class Message:
    """What the facilitator told a group (or the whole class, *to_all*) in a round."""

    round: int
    at: str
    text: str
    to_all: bool


@dataclass
class Group:
    """One group of the class: its stored session, its game and who plays which role."""

    n: int
    session: Session
    game: Game
    claims: dict[str, str]  # role → student name
    base: int  # decisions taken before this round
    senders: dict[tuple[str, str], str] = dataclasses.field(default_factory=dict)
    """(decision id, role) → the name of the student who sent that recommendation."""
    reasons: dict[tuple[str, str], str] = dataclasses.field(default_factory=dict)
    """(decision id, role) → the reason written with that recommendation."""
    deciders: dict[str, str] = dataclasses.field(default_factory=dict)
    """decision id → the name of the student who took it as its chair."""
    messages: list[Message] = dataclasses.field(default_factory=list)
    """The facilitator's messages to this group or the whole class, oldest first."""
    paused: bool = False
    """The facilitator paused this group alone: it stays on its item while the others go on."""

    @property
    def label(self) -> str:
        return self.session.group

    @property
    def campaign(self) -> Campaign:
        return self.game.campaign

    @property
    def played(self) -> Session:
        """The session with its players as they joined (for debriefs)."""
        return dataclasses.replace(self.session, players=dict(self.claims))

    @property
    def joined(self) -> bool:
        """A student plays or played in this group (else its vote was only the record's)."""
        return bool(self.claims or self.senders or self.deciders)

    @property
    def decided(self) -> bool:
        """The group has taken this round's decision (or its game is over)."""
        return self.game.finished or len(self.session.decisions) > self.base

    @property
    def decision(self) -> Decision | None:
        step = self.game.current
        return step.decision if step else None

    def decider(self) -> str | None:
        """The student's role that decides the open decision, or None when the group votes
        (the engine's rule)."""
        decision = self.decision
        if decision is None:
            return None
        return deciding_role(self.campaign, decision, self.session.rule, self.claims)

    def asked(self) -> list[str]:
        """The roles asked to recommend on the open decision (the engine's rule)."""
        decision = self.decision
        if decision is None:
            return []
        return asked(self.campaign, decision, self.session.rule, self.claims)

    def debrief(self):
        """The group's debrief, each recommendation and decision credited to the student who
        made it, with the facilitator's messages."""
        from exsim.report import debrief as debriefs  # loaded when asked: less per student

        return debriefs.build(
            self.game,
            self.played,
            credit=debriefs.Credit(
                senders=self.senders,
                reasons=self.reasons,
                deciders=self.deciders,
                messages=[debriefs.MessageRow(**dataclasses.asdict(m)) for m in self.messages],
            ),
        )

    def round_entries(self) -> list[Entry]:
        """What this round's decision set off: the decision, skipped items and cables."""
        count = 0
        for i, entry in enumerate(self.game.log):
            if entry.kind == "decision":
                count += 1
                if count == self.base + 1:
                    return self.game.log[i:]
        return []


class Classroom:
    """Classes in a session store: create them, join them, follow them."""

    def __init__(self, store: SessionStore):
        self.store = store
        self.conn = store.conn
        ensure_tables(self.conn)
        self._campaigns: dict[str, Campaign] = {}
        self._games: dict[str, Game] = {}  # session id → its game, moved on as others play

    # -- creating and joining --------------------------------------------------------------

    def create(
        self,
        campaign: Campaign,
        groups: list[str],
        rule: Rule = "chair",
        mode: Mode = "historical",
        seed: int = 0,
    ) -> tuple[str, str]:
        """A new class with one session per group name; return (class code, facilitator key)."""
        names = [g.strip() for g in groups]
        if not names or any(not g for g in names) or len(set(names)) != len(names):
            raise ClassError("give each group a different, non-empty name")
        sessions = [
            self.store.create(campaign, group=g, players={}, seed=seed, mode=mode, rule=rule)
            for g in names
        ]
        for sid in sessions:
            self.store.save(sid, Game(campaign, seed=seed, mode=mode))
        key = secrets.token_urlsafe(12)
        with self._write() as conn:
            code = self._new_code(conn)
            conn.execute(
                "INSERT INTO classroom (code, key_hash, stage, created) VALUES (?,?,?,?)",
                (code, digest(key), "joining", now()),
            )
            conn.executemany(
                "INSERT INTO class_group (code, n, session_id) VALUES (?,?,?)",
                [(code, n, sid) for n, sid in enumerate(sessions, 1)],
            )
        return code, key

    def find(self, code: str, seat: str) -> ClassState:
        """The class a student typed the *code* of. A wrong code is logged (the console counts
        them); a browser that tried too many in the last minute must wait. Other browsers
        are never held up: what keeps guessing slow is the class server checking codes one
        at a time, a fixed time apart (docs/architecture.md, "The class server's limits")."""
        since = time.time() - GUESS_WINDOW
        (mine,) = self.conn.execute(
            "SELECT count(*) FROM code_attempt WHERE seat_hash=? AND at > ?",
            (digest(seat), since),
        ).fetchone()
        if mine >= WRONG_CODES_PER_SEAT:
            raise ClassError(
                "too many wrong class codes in the last minute: wait a minute, then check the "
                "code on the board"
            )
        try:
            return self.state(code)
        except ClassError:
            with self._write() as conn:
                conn.execute("DELETE FROM code_attempt WHERE at < ?", (since - 86400,))
                conn.execute(
                    "INSERT INTO code_attempt VALUES (?,?,?)",
                    (time.time(), digest(seat), code.strip()[: CODE_LENGTH * 2]),
                )
            raise

    def wrong_codes(self, since: float) -> int:
        """How many wrong class codes students typed after *since* (a time.time())."""
        (n,) = self.conn.execute(
            "SELECT count(*) FROM code_attempt WHERE at > ?", (since,)
        ).fetchone()
        return n

    def free_roles(self, code: str) -> list[tuple[Group, str]]:
        """(group, role) pairs a student may still take, group by group."""
        state = self.state(code)
        if state.stage == "revealed":
            raise ClassError(f"class {state.code} is over")
        return [
            (g, role.id)
            for g in self.groups(state.code)
            for role in g.campaign.scenario.roles
            if role.playable and role.id not in g.claims
        ]

    def admit(self, code: str, name: str, seat: str) -> ClassState:
        """Let the browser holding *seat* into class *code* as *name*, to choose its role next
        (for ADMISSION_TIME): the code is checked as a guess (`find`), the name by the class's
        rules, and a free role must be left for it beside the other browsers let in. Each
        refusal is a ClassError whose message is a sentence for the student."""
        name = plain(name, MAX_NAME)
        if not same_name_key(name):
            raise BadName("enter your name first")
        state = self.find(code, seat)
        if state.stage == "revealed":
            raise ClassError(f"class {state.code} is over")
        mine = self.claim_for(seat)
        if mine and mine[0] == state.code:
            return state  # this browser plays in the class already: its page shows the role
        with self._write() as conn:
            others = self._check_name(conn, state.code, name, seat)
            if self.places(state.code) <= others:
                raise ClassError(
                    f"every role in class {state.code} is taken (or being chosen by students "
                    "joining now): ask your facilitator"
                )
            conn.execute(
                "INSERT OR REPLACE INTO class_admission VALUES (?,?,?,?)",
                (digest(seat), state.code, name, time.time()),
            )
        return state

    def admission(self, seat: str) -> tuple[str, str] | None:
        """(class code, name) of the browser holding *seat*, let in within ADMISSION_TIME."""
        row = self.conn.execute(
            "SELECT code, name FROM class_admission WHERE seat_hash=? AND at > ?",
            (digest(seat), time.time() - ADMISSION_TIME),
        ).fetchone()
        return (row[0], row[1]) if row else None

    def places(self, code: str) -> int:
        """How many roles of the class nobody plays (its scenario's playable roles, per group)."""
        free = 0
        for (sid,) in self.conn.execute(
            "SELECT session_id FROM class_group WHERE code=?", (code,)
        ).fetchall():
            session = self.store.get(sid)
            taken = self.conn.execute(
                "SELECT count(*) FROM claim WHERE session_id=?", (sid,)
            ).fetchone()[0]
            roles = self.campaign(session).scenario.roles
            free += sum(role.playable for role in roles) - taken
        return free

    def join(self, code: str, session_id: str, role: str, name: str, seat: str) -> Student:
        """Take a free role for the browser holding *seat*; ClassError if it is not free."""
        state = self.state(code)
        name = plain(name, MAX_NAME)
        if not same_name_key(name):
            raise BadName("enter your name first")
        if not seat:
            raise ClassError("this page has no seat token; reload the page")
        if state.stage == "revealed":
            raise ClassError(f"class {state.code} is over")
        group = next((g for g in self.groups(state.code) if g.session.id == session_id), None)
        if group is None:
            raise ClassError(f"no such group in class {state.code}")
        roles = group.campaign.roles
        if role not in roles or not roles[role].playable:
            raise ClassError(f"no role {role!r} to take in {group.label}")
        mine = self.claim_for(seat)
        if mine and mine[0] == state.code:
            held = next(g for g in self.groups(state.code) if g.session.id == mine[1])
            raise ClassError(
                f"this browser already plays {held.campaign.roles[mine[2]].name} in {held.label} "
                "(in another tab?): reload this page to carry on in that role"
            )
        with self._write() as conn:
            taken = conn.execute(
                "SELECT name FROM claim WHERE session_id=? AND role=?", (session_id, role)
            ).fetchone()
            if taken:
                raise ClassError(
                    f"{roles[role].name} in {group.label} was just taken by {taken[0]}; "
                    "choose another role"
                )
            self._check_name(conn, state.code, name, seat)
            at = now()
            conn.execute(
                "INSERT INTO claim VALUES (?,?,?,?,?)", (session_id, role, name, digest(seat), at)
            )
            conn.execute(
                "INSERT INTO class_tenure VALUES (?,?,?,?,?,NULL)",
                (session_id, role, name, digest(seat), at),
            )
            self._bump_group(conn, session_id)
        return Student(self, state.code, seat)

    @staticmethod
    def _check_name(conn, code: str, name: str, seat: str) -> int:
        """Refuse *name* (BadName) if it looks like the name of another student of the
        class: one playing, or one let in to choose a role. Return how many are choosing."""
        choosing = conn.execute(
            "SELECT name FROM class_admission WHERE code=? AND at > ? AND seat_hash != ? "
            "AND seat_hash NOT IN (SELECT seat_hash FROM claim)",
            (code, time.time() - ADMISSION_TIME, digest(seat)),
        ).fetchall()
        playing = conn.execute(
            "SELECT c.name FROM claim c JOIN class_group g ON g.session_id = c.session_id "
            "WHERE g.code=?",
            (code,),
        ).fetchall()
        key = same_name_key(name)
        if any(same_name_key(other) == key for (other,) in [*playing, *choosing]):
            raise BadName(
                f"a student of this class is already called {name!r} (or a name that looks "
                "the same): add an initial, so the class can tell you apart"
            )
        return len(choosing)

    def claim_for(self, seat: str) -> tuple[str, str, str] | None:
        """(class code, session id, role) of the latest claim made from *seat*, if any."""
        row = self.conn.execute(
            "SELECT g.code, c.session_id, c.role FROM claim c "
            "JOIN class_group g ON g.session_id = c.session_id "
            "WHERE c.seat_hash=? ORDER BY c.at DESC LIMIT 1",
            (digest(seat),),
        ).fetchone()
        return tuple(row) if row else None

    def arrive(self, seat: str) -> None:
        """This process now shows *seat*'s page (the console lists the student as here)."""
        with self._write() as conn:
            for other, pid in conn.execute(
                "SELECT seat_hash, pid FROM presence WHERE seat_hash=?", (digest(seat),)
            ).fetchall():
                if not alive(pid):
                    conn.execute("DELETE FROM presence WHERE seat_hash=? AND pid=?", (other, pid))
            conn.execute(
                "INSERT OR REPLACE INTO presence VALUES (?,?)", (digest(seat), os.getpid())
            )
            conn.execute("INSERT INTO class_visit VALUES (?,?)", (digest(seat), now()))

    def leave(self, seat: str) -> None:
        """This process no longer shows *seat*'s page."""
        with self._write() as conn:
            conn.execute(
                "DELETE FROM presence WHERE seat_hash=? AND pid=?", (digest(seat), os.getpid())
            )

    def here(self, code: str) -> set[tuple[str, str]]:
        """(session id, role) of the students whose page is open now: a closed browser's
        process has ended (or was ended by the class server), so it no longer counts."""
        rows = self.conn.execute(
            "SELECT c.session_id, c.role, p.pid FROM claim c "
            "JOIN presence p ON p.seat_hash = c.seat_hash "
            "JOIN class_group g ON g.session_id = c.session_id WHERE g.code=?",
            (code,),
        ).fetchall()
        return {(sid, role) for sid, role, pid in rows if alive(pid)}

    def student(self, seat: str) -> Student | None:
        """The student this *seat* already is (a reload, a lost connection), if any."""
        mine = self.claim_for(seat)
        return Student(self, mine[0], seat) if mine else None

    def facilitator(self, code: str, key: str) -> Facilitator:
        state = self.state(code)
        (stored,) = self.conn.execute(
            "SELECT key_hash FROM classroom WHERE code=?", (state.code,)
        ).fetchone()
        if not hmac.compare_digest(stored, digest(key or "")):
            raise ClassError(f"wrong facilitator key for class {state.code}")
        return Facilitator(self, state.code)

    # -- reading ---------------------------------------------------------------------------

    def state(self, code: str) -> ClassState:
        wanted = code.strip().upper()
        row = self.conn.execute(
            "SELECT code, stage, round, paused, timer_end, timer_left, released, revision "
            "FROM classroom WHERE code=?",
            (wanted,),
        ).fetchone()
        if row is None:
            raise ClassError(f"no class with code {wanted!r}: check the code on the board")
        return ClassState(row[0], row[1], row[2], bool(row[3]), *row[4:])

    def codes(self) -> list[str]:
        rows = self.conn.execute("SELECT code FROM classroom ORDER BY created DESC").fetchall()
        return [r[0] for r in rows]

    def revision(self, code: str, session_id: str | None = None) -> tuple[int, int]:
        """Change counters: the class's (stage, pause, timer, injects) and its groups' (joins,
        recommendations, decisions): one group's, or all of them for *session_id* None."""
        where = "g.code=?" + (" AND g.session_id=?" if session_id else "")
        args = (code, session_id) if session_id else (code,)
        row = self.conn.execute(
            "SELECT (SELECT revision FROM classroom WHERE code=?), "
            f"(SELECT coalesce(sum(g.revision), 0) FROM class_group g WHERE {where})",
            (code, *args),
        ).fetchone()
        return (row[0] if row[0] is not None else -1, row[1])

    def groups(self, code: str, only: str | None = None) -> list[Group]:
        """Every group of the class (or *only* the one of that session id), its game rebuilt
        from the store."""
        where = "g.code=?" + (" AND g.session_id=?" if only else "")
        args = (code, only) if only else (code,)
        rows = self.conn.execute(
            f"SELECT n, session_id, base, paused FROM class_group g WHERE {where} ORDER BY n",
            args,
        ).fetchall()
        claims: dict[str, dict[str, str]] = {}
        for sid, role, name in self.conn.execute(
            "SELECT c.session_id, c.role, c.name FROM claim c JOIN class_group g "
            f"ON g.session_id = c.session_id WHERE {where} ORDER BY c.at",
            args,
        ):
            claims.setdefault(sid, {})[role] = name
        senders: dict[str, dict[tuple[str, str], str]] = {}
        reasons: dict[str, dict[tuple[str, str], str]] = {}
        for sid, decision, role, name, reason in self.conn.execute(
            "SELECT c.session_id, c.decision, c.role, c.name, c.reason FROM class_credit c "
            f"JOIN class_group g ON g.session_id = c.session_id WHERE {where}",
            args,
        ):
            senders.setdefault(sid, {})[decision, role] = name
            if reason:
                reasons.setdefault(sid, {})[decision, role] = reason
        deciders: dict[str, dict[str, str]] = {}
        for sid, decision, name in self.conn.execute(
            "SELECT c.session_id, c.decision, c.name FROM class_decider c "
            f"JOIN class_group g ON g.session_id = c.session_id WHERE {where}",
            args,
        ):
            deciders.setdefault(sid, {})[decision] = name
        told = self.conn.execute(
            "SELECT session_id, round, at, text FROM class_message WHERE code=? ORDER BY rowid",
            (code,),
        ).fetchall()
        groups = []
        for n, sid, base, paused in rows:
            session = self.store.get(sid)
            game = self.game(session)
            messages = [
                Message(rnd, at, said, to is None)
                for to, rnd, at, said in told
                if to is None or to == sid
            ]
            groups.append(
                Group(
                    n,
                    session,
                    game,
                    claims.get(sid, {}),
                    base,
                    senders.get(sid, {}),
                    reasons.get(sid, {}),
                    deciders.get(sid, {}),
                    messages,
                    bool(paused),
                )
            )
        return groups

    def game(self, session: Session) -> Game:
        """*session*'s game: the one built before, moved on by the decisions taken since, or
        rebuilt by the store's replay (which checks every stored entry)."""
        game = self._games.get(session.id)
        if game is not None and game.log == session.entries[: len(game.log)]:
            taken = sum(e.kind == "decision" for e in game.log)
            try:
                for e in session.decisions[taken:]:
                    game.decide(e.step, list(e.chosen), e.by, dict(e.recommendations))
            except GameError:
                game = None
            if game is not None and game.log == session.entries:
                return game
        game = self._games[session.id] = self.store.resume(session.id, self.campaign(session))
        return game

    def campaign(self, session: Session) -> Campaign:
        """The scenario exactly as the class plays it (kept in the store with the session)."""
        if session.content_hash not in self._campaigns:
            self._campaigns[session.content_hash] = self.store.played_campaign(session)
        return self._campaigns[session.content_hash]

    # -- internals -------------------------------------------------------------------------

    def _write(self):
        return self.store._write()

    @staticmethod
    def _bump(conn, code: str, **changes) -> None:
        sets = "".join(f", {column}=?" for column in changes)
        conn.execute(
            f"UPDATE classroom SET revision=revision+1{sets} WHERE code=?",
            (*changes.values(), code),
        )

    def bump(self, code: str, **changes) -> None:
        with self._write() as conn:
            self._bump(conn, code, **changes)

    @staticmethod
    def _bump_group(conn, session_id: str) -> None:
        conn.execute("UPDATE class_group SET revision=revision+1 WHERE session_id=?", (session_id,))

    def bump_group(self, session_id: str) -> None:
        """Only this group's screens need to look again."""
        with self._write() as conn:
            self._bump_group(conn, session_id)

    @staticmethod
    def _new_code(conn) -> str:
        while True:
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            if not conn.execute("SELECT 1 FROM classroom WHERE code=?", (code,)).fetchone():
                return code


class Student:
    """One student at their own screen: reads and acts only as their own role."""

    def __init__(self, room: Classroom, code: str, seat: str):
        self.room = room
        self.code = code
        self.seat = seat
        mine = room.claim_for(seat)
        if mine is None or mine[0] != code:
            raise ClassError("this browser has no role in this class")
        self.session_id, self.role = mine[1], mine[2]

    def view(self):
        """What this student may see now (see `SeatView`)."""
        from exsim.classroom.view import SeatView

        return SeatView.build(self)

    def group(self) -> Group:
        self._check_claim()
        return self.room.groups(self.code, only=self.session_id)[0]

    def recommend(self, picks: list[str], reason: str = "") -> None:
        """Send this role's private recommendation for the open decision, with the student's
        short *reason* for it (shown to the chair, kept in the debrief)."""
        state, group = self.room.state(self.code), self.group()
        self._check_open(state, group)
        decision = group.decision
        if state.stage != "discussing" or decision is None or group.decided:
            raise ClassError("recommendations are closed: the decision is being taken")
        if self.role not in group.asked():
            raise ClassError(f"{self._person(group)} is not asked to recommend on this item")
        check_picks(group.game, decision, picks)
        self.room.store.add_recommendation(self.session_id, decision.id, self.role, picks)
        with self.room._write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO class_credit VALUES (?,?,?,?,?)",
                (
                    self.session_id,
                    decision.id,
                    self.role,
                    group.claims[self.role],
                    plain(reason, MAX_REASON),
                ),
            )
            self.room._bump_group(conn, self.session_id)

    def decide(self, picks: list[str]) -> list[Entry]:
        """Take the open decision as the group's chair; return what it set off."""
        state, group = self.room.state(self.code), self.group()
        self._check_open(state, group)
        if state.stage not in ("deciding", "decided") or group.decided:
            raise ClassError("the decision is not open now")
        if group.decider() != self.role:
            raise ClassError(f"{self._person(group)} does not take this decision")
        decision = group.decision
        assert decision is not None  # a chair decides only an open decision
        entries = take_decision(self.room.store, group, picks, self.role)
        with self.room._write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO class_decider VALUES (?,?,?,?)",
                (self.session_id, decision.id, self.role, group.claims[self.role]),
            )
            self.room._bump_group(conn, self.session_id)
        return entries

    def read(self, page: str) -> None:
        """This student moved past *page* (a briefing, an agenda item, cables) in this role."""
        with self.room._write() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO class_read VALUES (?,?,?,?)",
                (digest(self.seat), self.session_id, self.role, page),
            )

    def pages_read(self) -> set[str]:
        """The pages this student moved past in this role, also in an earlier page load."""
        rows = self.room.conn.execute(
            "SELECT page FROM class_read WHERE seat_hash=? AND session_id=? AND role=?",
            (digest(self.seat), self.session_id, self.role),
        ).fetchall()
        return {page for (page,) in rows}

    def _check_open(self, state: ClassState, group: Group) -> None:
        if state.paused:
            raise ClassError("the class is paused by the facilitator")
        if group.paused:
            raise ClassError("your group is paused by the facilitator")

    def _check_claim(self) -> None:
        """Refuse once the facilitator has freed this role (another student may take it)."""
        mine = self.room.claim_for(self.seat)
        if mine is None or mine[1:] != (self.session_id, self.role):
            raise ClassError("the facilitator has freed your role; join the class again")

    def _person(self, group: Group) -> str:
        return group.campaign.roles[self.role].name


class Facilitator:
    """The person running the class: moves it on, releases injects, pauses, times, reveals."""

    def __init__(self, room: Classroom, code: str):
        self.room = room
        self.code = code

    @property
    def state(self) -> ClassState:
        return self.room.state(self.code)

    def groups(self) -> list[Group]:
        return self.room.groups(self.code)

    @cached_property
    def sessions(self) -> list[str]:
        return [g.session.id for g in self.groups()]

    def advance(self) -> str:
        """Move the class to its next stage; return what happened, for the console."""
        state, groups = self.state, self.groups()
        if state.stage in ("joining", "decided"):
            playing = [g for g in groups if not g.game.finished]
            if not playing:
                self.room.bump(self.code, stage="over", released=0, timer_end=None, timer_left=None)
                return "Every group's game is over: reveal the record when ready."
            with self.room._write() as conn:
                for g in groups:
                    conn.execute(
                        "UPDATE class_group SET base=? WHERE session_id=?",
                        (len(g.session.decisions), g.session.id),
                    )
                self.room._bump(
                    conn,
                    self.code,
                    stage="discussing",
                    round=state.round + 1,
                    released=0,
                    timer_end=None,
                    timer_left=None,
                )
            return f"Round {state.round + 1}: students read and recommend."
        if state.stage == "discussing":
            voted = [
                g.label for g in groups if not g.decided and g.decider() is None and not g.paused
            ]
            for g in groups:
                if not g.decided and g.decider() is None and not g.paused:
                    self._decide_by_vote(g)
            self.room.bump(self.code, stage="deciding")
            if voted:
                return f"Decided by the group's vote: {', '.join(voted)}; the chairs decide now."
            return "The chairs decide now."
        if state.stage == "deciding":
            late = [g for g in groups if not g.decided and not g.paused]
            for g in late:
                self._decide_by_vote(g)
            self.room.bump(self.code, stage="decided")
            _, available = self.injects()
            then = (
                f"{available} inject(s) to release (i), then advance (a)."
                if available
                else "No inject this round: advance (a) to the next item."
            )
            if late:
                names = ", ".join(g.label for g in late)
                return f"Decided by the group's vote (the chair had not decided): {names}. {then}"
            return f"Every group has decided. {then}"
        if state.stage == "over":
            return "The game is over: reveal the record."
        return "The record is revealed: open the debrief or the class comparison."

    def injects(self, groups: list[Group] | None = None) -> tuple[int, int]:
        """(released, available) counterpart cables of this round, over the decided groups."""
        state = self.state
        if state.stage not in ("deciding", "decided"):
            return 0, 0
        decided = [g for g in (self.groups() if groups is None else groups) if g.decided]
        return state.released, max((len(cables(g)) for g in decided), default=0)

    def release_inject(self) -> str:
        """Show every group the next counterpart cable of this round."""
        if self.state.stage not in ("deciding", "decided"):
            raise ClassError("injects come after the decision")
        released, available = self.injects()
        if released >= available:
            raise ClassError("no inject left to release this round")
        self.room.bump(self.code, released=released + 1)
        left = available - released - 1
        more = f"; {left} more to release (i)" if left else "; advance (a) when ready"
        return f"Inject {released + 1} of {available} released{more}."

    def pause(self) -> None:
        state = self.state
        if not state.paused:
            self.room.bump(self.code, paused=1, timer_end=None, timer_left=state.time_left())

    def resume(self) -> None:
        state = self.state
        if state.paused:
            left = state.timer_left
            end = None if left is None else time.time() + left
            self.room.bump(self.code, paused=0, timer_end=end, timer_left=None)

    def pause_group(self, session_id: str) -> str:
        """Pause one group (or let it go on): its screens freeze and nothing of it is decided
        by a vote, while the other groups play on; it stays on its item until resumed.
        Return what happened, for the console."""
        group = next((g for g in self.groups() if g.session.id == session_id), None)
        if group is None:
            raise ClassError("that group is not in this class")
        with self.room._write() as conn:
            conn.execute(
                "UPDATE class_group SET paused=? WHERE session_id=?",
                (int(not group.paused), session_id),
            )
            self.room._bump_group(conn, session_id)
        if group.paused:
            return f"{group.label} plays on."
        return f"{group.label} is paused: its screens are frozen; the other groups play on."

    def advance_group(self, session_id: str) -> str:
        """Move one group on while the others play on: once the decision is open, its vote
        takes the group's decision now (its chair has not decided), and its screens show what
        followed. Return what happened, for the console."""
        group = next((g for g in self.groups() if g.session.id == session_id), None)
        if group is None:
            raise ClassError("that group is not in this class")
        if self.state.stage != "deciding":
            raise ClassError("a group moves on alone while the chairs decide (advance first)")
        if group.decided:
            raise ClassError(f"{group.label} has decided already")
        if group.paused:
            raise ClassError(f"{group.label} is paused: let it go on first (g)")
        self._decide_by_vote(group)
        self.room.bump_group(session_id)
        return f"{group.label}: decided by its vote; the other groups play on."

    def set_timer(self, minutes: float) -> None:
        """Time the round: every screen counts down *minutes* (0 clears the timer)."""
        if not 0 <= minutes <= 180:
            raise ClassError("a round's timer is between 0 and 180 minutes")
        seconds = minutes * 60 or None
        if self.state.paused:
            self.room.bump(self.code, timer_end=None, timer_left=seconds)
        else:
            end = time.time() + seconds if seconds else None
            self.room.bump(self.code, timer_end=end, timer_left=None)

    def reveal(self) -> None:
        """Show every screen the debrief: the class's choices beside the record."""
        self.room.bump(self.code, stage="revealed", paused=0, timer_end=None, timer_left=None)

    def free(self, session_id: str, role: str) -> None:
        """Release a role so another student (or the same one, from a new browser) may take it."""
        if session_id not in self.sessions:
            raise ClassError("that group is not in this class")
        with self.room._write() as conn:
            conn.execute(  # its page holds no place: the student joins again with the form
                "DELETE FROM class_admission WHERE seat_hash IN "
                "(SELECT seat_hash FROM claim WHERE session_id=? AND role=?)",
                (session_id, role),
            )
            conn.execute("DELETE FROM claim WHERE session_id=? AND role=?", (session_id, role))
            conn.execute(
                "UPDATE class_tenure SET end=? WHERE session_id=? AND role=? AND end IS NULL",
                (now(), session_id, role),
            )
            self.room._bump_group(conn, session_id)

    def move(self, session_id: str, role: str, to_session: str, to_role: str) -> str:
        """Move the student playing *role* in one group to the free *to_role* of a group
        (the same or another): their page follows; what they did stays credited to them.
        Return what happened, for the console."""
        groups = {g.session.id: g for g in self.groups()}
        if session_id not in groups or to_session not in groups:
            raise ClassError("that group is not in this class")
        source, target = groups[session_id], groups[to_session]
        name = source.claims.get(role)
        if name is None:
            raise ClassError("nobody plays that role: nobody to move")
        roles = target.campaign.roles
        if to_role not in roles or not roles[to_role].playable:
            raise ClassError(f"no role {to_role!r} to take in {target.label}")
        if to_role in target.claims:
            raise ClassError(
                f"{roles[to_role].name} in {target.label} is played by {target.claims[to_role]}"
            )
        at = now()
        with self.room._write() as conn:
            conn.execute(
                "UPDATE claim SET session_id=?, role=?, at=? WHERE session_id=? AND role=?",
                (to_session, to_role, at, session_id, role),
            )
            conn.execute(
                "UPDATE class_tenure SET end=? WHERE session_id=? AND role=? AND end IS NULL",
                (at, session_id, role),
            )
            conn.execute(
                "INSERT INTO class_tenure SELECT ?, ?, name, seat_hash, ?, NULL FROM claim "
                "WHERE session_id=? AND role=?",
                (to_session, to_role, at, to_session, to_role),
            )
            self.room._bump_group(conn, session_id)
            self.room._bump_group(conn, to_session)
        return f"{name} now plays {roles[to_role].name} in {target.label}."

    def message(self, said: str, session_id: str | None = None) -> str:
        """Show *said* on the seats of one group (by session id) or, for None, the whole
        class; it is kept in the debriefs. Return what happened, for the console."""
        said = plain(said, MAX_MESSAGE)
        if not said:
            raise ClassError("write the message first")
        groups = self.groups()
        to = next((g for g in groups if g.session.id == session_id), None)
        if session_id is not None and to is None:
            raise ClassError("that group is not in this class")
        with self.room._write() as conn:
            conn.execute(
                "INSERT INTO class_message VALUES (?,?,?,?,?)",
                (self.code, session_id, now(), self.state.round, said),
            )
            if to is None:
                self.room._bump(conn, self.code)
            else:
                self.room._bump_group(conn, to.session.id)
        return f"Sent to {to.label if to else 'the whole class'}."

    def comparison(self) -> ClassReport:
        """The class comparison of the groups students joined; a group nobody joined (its
        decisions only the record's advisors' vote) is listed as left out."""
        from exsim.report import classes  # loaded when asked

        groups = self.groups()
        return classes.build(
            groups[0].campaign,
            [g.debrief() for g in groups if g.joined],
            [
                classes.LeftOut(session=g.session.id, group=g.label, reason="nobody joined it")
                for g in groups
                if not g.joined
            ],
        )

    def gradebook(self) -> Gradebook:
        """One row per student: roles held and when, recommendations with reasons, decisions,
        alignment with the record and the person played, attendance (page loads)."""
        from exsim.report import gradebook  # loaded when asked

        groups = self.groups()
        label = {g.session.id: g.label for g in groups}
        conn = self.room.conn
        tenures = [
            gradebook.Tenure(name, label[sid], role, start, end)
            for sid, role, name, start, end in conn.execute(
                "SELECT t.session_id, t.role, t.name, t.start, t.end FROM class_tenure t "
                "JOIN class_group g ON g.session_id = t.session_id WHERE g.code=?",
                (self.code,),
            )
        ]
        (created,) = conn.execute(
            "SELECT created FROM classroom WHERE code=?", (self.code,)
        ).fetchone()
        visits = [
            gradebook.Visits(*row)
            for row in conn.execute(
                "SELECT s.name, count(*), min(v.at), max(v.at) FROM class_visit v JOIN "
                "(SELECT DISTINCT t.name, t.seat_hash FROM class_tenure t JOIN class_group g "
                "ON g.session_id = t.session_id WHERE g.code=?) s ON s.seat_hash = v.seat_hash "
                "WHERE v.at >= ? GROUP BY s.name",
                (self.code, created),
            )
        ]
        return gradebook.build(self.code, [g.debrief() for g in groups], tenures, visits)

    def _decide_by_vote(self, group: Group) -> None:
        """Take the decision for a group without a chair: its students' recommendations and
        the recorded positions of the roles nobody plays are counted, and the vote settled by
        the engine's rule (a tie: `vote.TIE_RULE`)."""
        decision = group.decision
        if decision is None:
            return
        asked = group.asked()
        humans = {r: p for r, p in group.session.pending.get(decision.id, {}).items() if r in asked}
        voices = dict(humans)
        for a in decision.record.advocates if decision.record else ():
            if a.role in asked and a.role not in group.claims and a.options and not a.reconstructed:
                voices[a.role] = tuple(a.options)
        verdict = settle(group.game, decision, voices)
        if verdict is None:
            raise ClassError(f"{group.label}: no option of {decision.title!r} can be taken now")
        with contextlib.suppress(StoreError):  # the chair decided meanwhile: theirs stands
            take_decision(self.room.store, group, list(verdict.chosen), GROUP, humans)


def plain(text: str, limit: int) -> str:
    """*text* on one line (every run of white space one space), at most *limit* characters."""
    return " ".join(text.split())[:limit]


def cables(group: Group) -> list[Entry]:
    """This round's counterpart answers (the injects), in order."""
    return [e for e in group.round_entries() if e.kind == "response"]


def check_picks(game: Game, decision: Decision, picks: list[str]) -> None:
    allowed = {o.id for o in game.options(decision) if o.allowed}
    if not picks or (decision.select == "one" and len(picks) != 1):
        raise ClassError("choose one option" if decision.select == "one" else "choose an option")
    refused = [p for p in picks if p not in allowed]
    if refused:
        raise ClassError(f"{refused[0]!r} is not an option you can choose now")


def take_decision(
    store: SessionStore,
    group: Group,
    picks: list[str],
    by: str,
    recommendations: dict[str, tuple[str, ...]] | None = None,
) -> list[Entry]:
    """Take *group*'s open decision and commit it; return the entries it set off."""
    decision = group.decision
    if decision is None:
        raise ClassError("the game is over; no decision is open")
    check_picks(group.game, decision, picks)
    recs = (
        group.session.pending.get(decision.id, {}) if recommendations is None else recommendations
    )
    before = len(group.game.log)
    try:
        group.game.decide(decision.id, picks, by=by, recommendations=dict(recs))
    except GameError as exc:
        raise ClassError(f"cannot decide that: {exc}") from None
    store.save(group.session.id, group.game)
    return group.game.log[before:]
