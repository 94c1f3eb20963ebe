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

from exsim.engine.campaign import Campaign
from exsim.engine.game import GROUP, Entry, Game, GameError
from exsim.engine.vote import asked, deciding_role, settle
from exsim.scenario.model import Decision
from exsim.store import Session, SessionStore, StoreError
from exsim.store.classroom import ensure_tables
from exsim.store.sessions import now

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to read out
CODE_LENGTH = 5
STAGES = ("joining", "discussing", "deciding", "decided", "over", "revealed")
MAX_NAME = 30
SEAT_ENV = "EXSIM_SEAT"  # how the class server tells a student's app process its browser's seat
GUESS_WINDOW = 60.0  # seconds over which wrong class codes are counted
WRONG_CODES_PER_SEAT = 5  # in GUESS_WINDOW, from one browser
WRONG_CODES_IN_ALL = 30  # in GUESS_WINDOW, from every browser together


class ClassError(Exception):
    """A class action refused or impossible; the message tells the user why."""


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
        """The group's debrief, each recommendation credited to the student who sent it."""
        from exsim.report import debrief as debriefs  # loaded when asked: less per student

        return debriefs.build(self.game, self.played, senders=self.senders)

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
        rule: str = "chair",
        mode: str = "historical",
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
        them); a browser that tried too many in the last minute, or a class server that saw
        too many from all browsers together, must wait."""
        since = time.time() - GUESS_WINDOW
        mine, everyone = self.conn.execute(
            "SELECT coalesce(sum(seat_hash=?), 0), count(*) FROM code_attempt WHERE at > ?",
            (digest(seat), since),
        ).fetchone()
        if mine >= WRONG_CODES_PER_SEAT or everyone >= WRONG_CODES_IN_ALL:
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

    def free_roles(self, code: str, seat: str = "") -> list[tuple[Group, str]]:
        """(group, role) pairs a student may still take, group by group; with *seat*, the
        code is looked up as a student's guess (see `find`)."""
        state = self.find(code, seat) if seat else self.state(code)
        if state.stage == "revealed":
            raise ClassError(f"class {state.code} is over")
        return [
            (g, role.id)
            for g in self.groups(state.code)
            for role in g.campaign.scenario.roles
            if role.playable and role.id not in g.claims
        ]

    def join(self, code: str, session_id: str, role: str, name: str, seat: str) -> Student:
        """Take a free role for the browser holding *seat*; ClassError if it is not free."""
        state = self.state(code)
        name = " ".join(name.split())[:MAX_NAME]
        if not name:
            raise ClassError("enter your name first")
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
            conn.execute(
                "INSERT INTO claim VALUES (?,?,?,?,?)",
                (session_id, role, name, digest(seat), now()),
            )
            self._bump_group(conn, session_id)
        return Student(self, state.code, seat)

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
            f"SELECT n, session_id, base FROM class_group g WHERE {where} ORDER BY n", args
        ).fetchall()
        claims: dict[str, dict[str, str]] = {}
        for sid, role, name in self.conn.execute(
            "SELECT c.session_id, c.role, c.name FROM claim c JOIN class_group g "
            f"ON g.session_id = c.session_id WHERE {where} ORDER BY c.at",
            args,
        ):
            claims.setdefault(sid, {})[role] = name
        senders: dict[str, dict[tuple[str, str], str]] = {}
        for sid, decision, role, name in self.conn.execute(
            "SELECT c.session_id, c.decision, c.role, c.name FROM class_credit c "
            f"JOIN class_group g ON g.session_id = c.session_id WHERE {where}",
            args,
        ):
            senders.setdefault(sid, {})[decision, role] = name
        groups = []
        for n, sid, base in rows:
            session = self.store.get(sid)
            game = self.game(session)
            groups.append(Group(n, session, game, claims.get(sid, {}), base, senders.get(sid, {})))
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

    def recommend(self, picks: list[str]) -> None:
        """Send this role's private recommendation for the open decision."""
        state, group = self.room.state(self.code), self.group()
        self._check_open(state)
        decision = group.decision
        if state.stage != "discussing" or decision is None or group.decided:
            raise ClassError("recommendations are closed: the decision is being taken")
        if self.role not in group.asked():
            raise ClassError(f"{self._person(group)} is not asked to recommend on this item")
        check_picks(group.game, decision, picks)
        self.room.store.add_recommendation(self.session_id, decision.id, self.role, picks)
        with self.room._write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO class_credit VALUES (?,?,?,?)",
                (self.session_id, decision.id, self.role, group.claims[self.role]),
            )
            self.room._bump_group(conn, self.session_id)

    def decide(self, picks: list[str]) -> list[Entry]:
        """Take the open decision as the group's chair; return what it set off."""
        state, group = self.room.state(self.code), self.group()
        self._check_open(state)
        if state.stage not in ("deciding", "decided") or group.decided:
            raise ClassError("the decision is not open now")
        if group.decider() != self.role:
            raise ClassError(f"{self._person(group)} does not take this decision")
        entries = take_decision(self.room.store, group, picks, self.role)
        self.room.bump_group(self.session_id)
        return entries

    def _check_open(self, state: ClassState) -> None:
        if state.paused:
            raise ClassError("the class is paused by the facilitator")

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
            voted = [g.label for g in groups if not g.decided and g.decider() is None]
            for g in groups:
                if not g.decided and g.decider() is None:
                    self._decide_by_vote(g)
            self.room.bump(self.code, stage="deciding")
            if voted:
                return f"Decided by the group's vote: {', '.join(voted)}; the chairs decide now."
            return "The chairs decide now."
        if state.stage == "deciding":
            late = [g for g in groups if not g.decided]
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
            conn.execute("DELETE FROM claim WHERE session_id=? AND role=?", (session_id, role))
            self.room._bump_group(conn, session_id)

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


def alive(pid: int) -> bool:
    """Whether process *pid* runs (on this computer: the store is a local file)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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
