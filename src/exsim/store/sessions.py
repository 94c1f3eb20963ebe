"""The session store: every group's game in one SQLite file, each move committed as it is made."""

from __future__ import annotations

import builtins
import contextlib
import dataclasses
import datetime as dt
import hashlib
import itertools
import json
import os
import secrets
import socket
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from exsim import paths
from exsim.engine.campaign import Campaign
from exsim.engine.game import Entry, Game, Mode
from exsim.engine.vote import Rule
from exsim.scenario.loader import ScenarioFile, parse_scenario
from exsim.scenario.problems import ScenarioError
from exsim.scenario.yamlsafe import read_text
from exsim.store import names
from exsim.store.database import Connection, StoreError, connect, explain
from exsim.store.replay import replay
from exsim.store.session import Session, entry_from_dict, entry_json

ID_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/i/l: easy to read out and type
ID_LENGTH = 6
RULES = ("chair", "vote")
MODES = ("historical", "what-if")


class SessionHeld(StoreError):
    """The session is open in another window: a second one would save moves the first never
    sees, and lose its own."""


class ScenarioChanged(StoreError):
    """The session was played on other content than the scenario file holds now.

    The caller offers the choice: `replay_on(…)` the new version, or `open_read_only(…)`.
    """

    def __init__(self, session: Session, campaign: Campaign):
        self.session = session
        self.campaign = campaign
        super().__init__(
            f"session {session.label} was played on {session.scenario_id} version "
            f"{session.version} (content {session.content_hash[:12]}); the scenario file now "
            f"holds version {campaign.version} (content {campaign.content_hash[:12]}). "
            "Replay its decisions on the new version, or open it read-only as it was played."
        )


class AlreadyStored(StoreError):
    """The session to add is in the store already."""


def _checked(rule, name: str) -> str:
    try:
        return rule(name)
    except ValueError as exc:
        raise StoreError(str(exc)) from None


HOLD_TABLE = (
    "CREATE TABLE IF NOT EXISTS session_hold "
    "(session_id TEXT PRIMARY KEY, pid INTEGER NOT NULL, host TEXT NOT NULL)"
)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def alive(pid: int) -> bool:
    """Whether process *pid* runs (on this computer: the store is a local file)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


class SessionStore:
    """Sessions in one SQLite database (WAL, one transaction per move)."""

    def __init__(self, path: Path, conn: Connection):
        self.path = path
        self.conn = conn
        self.identity = _identity(path)  # the file opened, to see it deleted or replaced
        self._role_names: dict[str, dict[str, str]] = {}  # content hash → role id → name

    @classmethod
    def open(cls, data_dir: str | Path | None = None) -> SessionStore:
        """The store in *data_dir* (default: the user data folder), created if absent."""
        path = paths.store_file(data_dir)
        return cls(path, connect(path))

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> SessionStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taking the write lock at once so writers queue, not fail.

        A store that cannot be written (read-only, disk full) raises StoreError saying so;
        the transaction is rolled back, so the store keeps what it had.
        """
        if self.conn.read_only:
            raise StoreError(self.conn.read_only)
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(explain(exc, self.path)) from None
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException as exc:
            if self.conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError):
                raise StoreError(explain(exc, self.path)) from None
            raise

    # -- sessions --------------------------------------------------------------------------

    def create(
        self,
        campaign: Campaign,
        group: str | None,
        players: dict[str, str],
        seed: int = 0,
        mode: Mode = "historical",
        rule: Rule = "chair",
        forced: dict[str, str] | None = None,
    ) -> str:
        """Start a session; return its id (six letters and digits). A *group* of None is named
        the first free "Group N", chosen in the same transaction as the session is stored, so
        two games started at the same moment never share the default."""
        group = None if group is None else _checked(names.group_name, group)
        players = {role: _checked(names.player_name, name) for role, name in players.items()}
        unknown = [r for r in players if r not in campaign.roles]
        if unknown:
            known = ", ".join(campaign.roles)
            raise StoreError(f"no role {unknown[0]!r} in {campaign.id} (roles: {known})")
        if mode not in MODES:
            raise StoreError(f"no mode {mode!r} (modes: {', '.join(MODES)})")
        if rule not in RULES:
            raise StoreError(f"no decision rule {rule!r} (rules: {', '.join(RULES)})")
        Game(campaign, seed=seed, mode=mode, forced=forced)  # GameError on a bad forced answer
        stamp = now()
        session = Session(
            "",
            group or "",
            campaign.id,
            campaign.version,
            campaign.content_hash,
            dict(players),
            seed,
            mode,
            rule,
            dict(forced or {}),
            False,
            stamp,
            stamp,
        )
        with self._write() as conn:
            self._keep_scenario(conn, campaign)
            sid = self._new_id(conn)
            if not group:
                session = dataclasses.replace(session, group=self._free_group_name(conn))
            self._insert(conn, sid, session)
        return sid

    def get(self, key: str) -> Session:
        """A session by id, or by group name if only one session has it."""
        return self._load(self._row(key))

    def list(self) -> list[Session]:
        """Every session, most recently played first."""
        rows = self.conn.execute("SELECT * FROM session ORDER BY updated DESC, id").fetchall()
        return [self._load(r) for r in rows]

    @staticmethod
    def _free_group_name(conn: sqlite3.Connection) -> str:
        """The first of "Group 1", "Group 2", … that no saved game is called: a default that
        tells groups apart in a class report."""
        taken = {row[0].casefold() for row in conn.execute("SELECT grp FROM session")}
        return next(f"Group {n}" for n in itertools.count(1) if f"group {n}" not in taken)

    def players_named(self, session: Session) -> builtins.list[tuple[str, str]]:
        """(player, the name of the person played) for each player of *session*: names from the
        scenario as played, the role id only if that cannot be read."""
        names = self._role_names.get(session.content_hash)
        if names is None:
            try:
                names = {r.id: r.name for r in self._played_file(session).scenario.roles}
            except StoreError:
                names = {}
            self._role_names[session.content_hash] = names
        return [(player, names.get(role, role)) for role, player in session.players.items()]

    def rename(self, key: str, group: str) -> None:
        """Give a game a group name no other game has (names find games); "last played"
        stays as it was: a new name is not play."""
        group = _checked(names.group_name, group)
        sid = self._row(key)[0]
        taken = self.conn.execute(
            "SELECT id FROM session WHERE grp=? COLLATE NOCASE AND id<>?", (group, sid)
        ).fetchone()
        if taken:
            raise StoreError(
                f"another saved game (id {taken[0]}) is already called {group!r}: choose a name "
                "no other game has, so that the name finds one game"
            )
        with self._write() as conn:
            conn.execute("UPDATE session SET grp=? WHERE id=?", (group, sid))

    def delete(self, key: str) -> None:
        sid = self._row(key)[0]
        with self._write() as conn:
            conn.execute("DELETE FROM session WHERE id=?", (sid,))
            self._drop_unused_scenarios(conn)

    def intact(self) -> bool:
        """Whether the store's path still names the file opened: deleted or replaced, what is
        written goes where no one will read it."""
        return _identity(self.path) == self.identity

    # -- one window per game ---------------------------------------------------------------

    def hold(self, key: str) -> None:
        """Mark the session as open in this process; SessionHeld if a live process on this
        computer has it open already. A hold left by a process that has ended is taken over."""
        session = self.get(key)
        host = socket.gethostname()
        with self._write() as conn:
            conn.execute(HOLD_TABLE)
            row = conn.execute(
                "SELECT pid, host FROM session_hold WHERE session_id=?", (session.id,)
            ).fetchone()
            if row and row != (os.getpid(), host) and row[1] == host and alive(row[0]):
                raise SessionHeld(
                    f"{session.label} is open in another window (process {row[0]}): carry on "
                    "there, or quit it first; two windows would each lose the other's moves"
                )
            held = (session.id, os.getpid(), host)
            conn.execute("INSERT OR REPLACE INTO session_hold VALUES (?,?,?)", held)

    def release(self, key: str) -> None:
        """This process no longer has the session open (nothing if it cannot be written)."""
        with contextlib.suppress(StoreError, sqlite3.Error), self._write() as conn:
            conn.execute(HOLD_TABLE)
            conn.execute(
                "DELETE FROM session_hold WHERE session_id=? AND pid=?", (key, os.getpid())
            )

    # -- moves -----------------------------------------------------------------------------

    def add_recommendation(
        self,
        key: str,
        decision_id: str,
        role: str,
        options: builtins.list[str] | tuple[str, ...] | str,
    ) -> None:
        """Keep one role's recommendation (private until the decision is taken)."""
        sid = self._row(key)[0]
        picks = [options] if isinstance(options, str) else list(options)
        with self._write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO recommendation VALUES (?,?,?,?,?)",
                (sid, decision_id, role, json.dumps(picks), now()),
            )

    def append(self, key: str, *entries: Entry, finished: bool | None = None) -> None:
        """Commit *entries* in one transaction, after those stored.

        An entry already stored for its step is skipped if identical (a second window saving
        the same move), refused if different; so moves are never lost nor duplicated.
        """
        sid = self._row(key)[0]
        stamp = now()
        with self._write() as conn:
            (seq,) = conn.execute(
                "SELECT coalesce(max(seq), 0) FROM entry WHERE session_id=?", (sid,)
            ).fetchone()
            for entry in entries:
                body = entry_json(entry)
                had = conn.execute(
                    "SELECT body FROM entry WHERE session_id=? AND step=?", (sid, entry.step)
                ).fetchone()
                if had and had[0] == body:
                    continue
                if had:
                    stored = entry_from_dict(json.loads(had[0]))
                    raise StoreError(
                        f"session {sid}: {entry.step} is already recorded as "
                        f"{', '.join(stored.chosen) or stored.kind} (perhaps from another "
                        "window); reopen the session to continue from the record"
                    )
                seq += 1
                conn.execute(
                    "INSERT INTO entry VALUES (?,?,?,?,?,?)",
                    (sid, seq, entry.step, entry.kind, body, stamp),
                )
                if entry.kind == "decision":
                    conn.execute(
                        "DELETE FROM recommendation WHERE session_id=? AND decision=?",
                        (sid, entry.step),
                    )
            conn.execute(
                "UPDATE session SET updated=?, finished=max(finished, coalesce(?, 0)) WHERE id=?",
                (stamp, finished, sid),
            )

    def save(self, key: str, game: Game) -> None:
        """Commit whatever of *game*'s log is not stored yet, in one transaction."""
        self.append(key, *game.log, finished=game.finished)

    # -- reopening -------------------------------------------------------------------------

    def resume(self, key: str, campaign: Campaign) -> Game:
        """The session's game, rebuilt by replaying its decisions on *campaign*.

        ScenarioChanged if the scenario's content differs from the one played.
        """
        session = self.get(key)
        self._check_scenario(session, campaign)
        if campaign.content_hash != session.content_hash:
            raise ScenarioChanged(session, campaign)
        return replay(campaign, session)

    def replay_on(self, key: str, campaign: Campaign) -> Game:
        """Move the session to *campaign*'s content by replaying its decisions on it.

        Counterpart answers are drawn again; StoreError (nothing changed) if a decision is
        no longer possible.
        """
        session = self.get(key)
        self._check_scenario(session, campaign)
        game = replay(campaign, session, strict=False)
        times = dict(zip((e.step for e in session.entries), session.times, strict=True))
        stamp = now()
        with self._write() as conn:
            self._keep_scenario(conn, campaign)
            conn.execute("DELETE FROM entry WHERE session_id=?", (session.id,))
            conn.executemany(
                "INSERT INTO entry VALUES (?,?,?,?,?,?)",
                [
                    (session.id, n, e.step, e.kind, entry_json(e), times.get(e.step, stamp))
                    for n, e in enumerate(game.log, 1)
                ],
            )
            conn.execute(
                "UPDATE session SET version=?, content_hash=?, finished=?, updated=? WHERE id=?",
                (campaign.version, campaign.content_hash, game.finished, stamp, session.id),
            )
            self._drop_unused_scenarios(conn)
        return game

    def open_read_only(self, key: str) -> Game:
        """The session's game on the scenario exactly as it was played (kept in the store)."""
        session = self.get(key)
        return replay(self.played_campaign(session), session)

    def played_campaign(self, session: Session) -> Campaign:
        """The scenario content *session* was played on, as stored with it."""
        return Campaign(self._played_file(session))

    def _played_file(self, session: Session) -> ScenarioFile:
        row = self.conn.execute(
            "SELECT text FROM scenario WHERE content_hash=?", (session.content_hash,)
        ).fetchone()
        if not row or row[0] is None:
            raise StoreError(
                f"session {session.label}: the scenario as it was played is not in the store"
            )
        name = f"{session.scenario_id} version {session.version} (as played)"
        try:
            return parse_scenario(row[0], name)
        except ScenarioError as exc:
            raise StoreError(f"session {session.label}: {name} no longer loads:\n{exc}") from None

    # -- moving between machines (the export format is store/transfer.py) -----------------

    def played_text(self, session: Session) -> str | None:
        """The text of the scenario *session* was played on, as stored with it."""
        row = self.conn.execute(
            "SELECT text FROM scenario WHERE content_hash=?", (session.content_hash,)
        ).fetchone()
        return row[0] if row else None

    def add(self, session: Session, text: str | None, same: Callable[[str], bool]) -> str:
        """Store *session*, played on the scenario *text*; return its id here. The id is kept
        if free, else a new one is given; StoreError if *same* says the session of that id
        is this one already."""
        with self._write() as conn:
            sid = session.id
            if conn.execute("SELECT 1 FROM session WHERE id=?", (sid,)).fetchone():
                if same(sid):
                    raise AlreadyStored(f"session {session.label} is already in {self.path}")
                sid = self._new_id(conn)
            conn.execute(
                "INSERT INTO scenario VALUES (?,?,?,?) ON CONFLICT(content_hash) DO UPDATE "
                "SET text=coalesce(scenario.text, excluded.text)",
                (session.content_hash, session.scenario_id, session.version, text),
            )
            self._insert(conn, sid, session)
        return sid

    # -- internals -------------------------------------------------------------------------

    @staticmethod
    def _new_id(conn: sqlite3.Connection) -> str:
        while True:
            sid = "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))
            if not conn.execute("SELECT 1 FROM session WHERE id=?", (sid,)).fetchone():
                return sid

    @staticmethod
    def _insert(conn: sqlite3.Connection, sid: str, s: Session) -> None:
        """Write *s* under id *sid*: the session row, its entries and pending recommendations."""
        conn.execute(
            "INSERT INTO session VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                sid,
                s.group,
                s.scenario_id,
                s.version,
                s.content_hash,
                json.dumps(s.players, ensure_ascii=False),
                s.seed,
                s.mode,
                s.rule,
                json.dumps(s.forced),
                s.finished,
                s.created,
                s.updated,
            ),
        )
        conn.executemany(
            "INSERT INTO entry VALUES (?,?,?,?,?,?)",
            [
                (sid, n, e.step, e.kind, entry_json(e), at)
                for n, (e, at) in enumerate(zip(s.entries, s.times, strict=True), 1)
            ],
        )
        conn.executemany(
            "INSERT INTO recommendation VALUES (?,?,?,?,?)",
            [
                (sid, d, role, json.dumps(list(opts)), s.updated)
                for d, recs in s.pending.items()
                for role, opts in recs.items()
            ],
        )

    def _row(self, key: str) -> tuple:
        wanted = key.strip()
        row = self.conn.execute("SELECT * FROM session WHERE id=?", (wanted.lower(),)).fetchone()
        if row:
            return row
        named = self.conn.execute(
            "SELECT * FROM session WHERE grp=? COLLATE NOCASE", (wanted,)
        ).fetchall()
        if len(named) == 1:
            return named[0]
        if named:
            ids = ", ".join(r[0] for r in named)
            raise StoreError(f"{len(named)} sessions of group {wanted!r} ({ids}); give an id")
        raise StoreError(f"no session {wanted!r} in {self.path} (see `exsim sessions`)")

    def _load(self, row: tuple) -> Session:
        sid = row[0]
        logged = self.conn.execute(
            "SELECT body, at FROM entry WHERE session_id=? ORDER BY seq", (sid,)
        ).fetchall()
        pending: dict[str, dict[str, tuple[str, ...]]] = {}
        for decision, role, options in self.conn.execute(
            "SELECT decision, role, options FROM recommendation WHERE session_id=? "
            "ORDER BY decision, role",
            (sid,),
        ):
            pending.setdefault(decision, {})[role] = tuple(json.loads(options))
        return Session(
            id=sid,
            group=row[1],
            scenario_id=row[2],
            version=row[3],
            content_hash=row[4],
            players=json.loads(row[5]),
            seed=row[6],
            mode=row[7],
            rule=row[8],
            forced=json.loads(row[9]),
            finished=bool(row[10]),
            created=row[11],
            updated=row[12],
            entries=[entry_from_dict(json.loads(body)) for body, _ in logged],
            times=[at for _, at in logged],
            pending=pending,
        )

    @staticmethod
    def _check_scenario(session: Session, campaign: Campaign) -> None:
        if campaign.id != session.scenario_id:
            raise StoreError(
                f"session {session.label} is a game of {session.scenario_id!r}, not {campaign.id!r}"
            )

    @staticmethod
    def _keep_scenario(conn: sqlite3.Connection, campaign: Campaign) -> None:
        """Keep the scenario's text with the sessions, so a game can be shown as played."""
        text = scenario_text(campaign)
        conn.execute(
            "INSERT INTO scenario VALUES (?,?,?,?) ON CONFLICT(content_hash) DO UPDATE "
            "SET text=coalesce(scenario.text, excluded.text)",
            (campaign.content_hash, campaign.id, campaign.version, text),
        )

    @staticmethod
    def _drop_unused_scenarios(conn: sqlite3.Connection) -> None:
        conn.execute(
            "DELETE FROM scenario WHERE content_hash NOT IN (SELECT content_hash FROM session)"
        )


def scenario_text(campaign: Campaign) -> str | None:
    """The text *campaign* was loaded from, if its file still holds exactly that."""
    try:
        text = read_text(campaign.file.path)
    except ScenarioError:
        return None
    return text if hashlib.sha256(text.encode()).hexdigest() == campaign.content_hash else None
