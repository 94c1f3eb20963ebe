"""A game as played around one screen: who sits in which role, and what comes next.

No Textual here: the screens ask a Sitting what to show and tell it what was chosen. Policy
stays in the engine (options, refusals, decisions); saving goes through the session store.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from exsim import files, paths
from exsim.engine.campaign import Campaign, in_play, shown
from exsim.engine.game import GROUP, Entry, Game, GameError, Mode
from exsim.engine.vote import Rule, Verdict, asked, deciding_role, settle
from exsim.scenario.model import Advocacy, Briefing, Decision, Passage, Phase
from exsim.store import SessionHeld, SessionStore, StoreError, transfer


@dataclass(frozen=True)
class Brief:
    """A player reads their role's private briefing for the phase about to start."""

    role: str
    briefings: tuple[Briefing, ...]
    purpose: ClassVar[str] = "your private briefing"


@dataclass(frozen=True)
class Meeting:
    """The group reads the agenda item: situation, sources, the advisors' arguments."""

    decision: Decision


@dataclass(frozen=True)
class Recommend:
    """A player privately enters their role's recommendation."""

    role: str
    purpose: ClassVar[str] = "your private recommendation"


@dataclass(frozen=True)
class Decide:
    """The decision is taken by *role* (a player in the chair), or, when no player attends
    the item (*role* None), by the players together."""

    role: str | None
    purpose: ClassVar[str] = "your decision, with everyone's recommendations"


@dataclass(frozen=True)
class Voted:
    """Every player asked has recommended: their vote is the decision."""


@dataclass(frozen=True)
class Debrief:
    """The campaign is over."""


Step = Brief | Meeting | Recommend | Decide | Voted | Debrief


@dataclass
class Sitting:
    """One saved game with its players; the UI's single way to move the game on."""

    store: SessionStore
    session_id: str
    game: Game
    players: dict[str, str]  # role id → player name, in seating order
    rule: Rule
    group: str = ""
    recommendations: dict[str, tuple[str, ...]] = field(default_factory=dict)
    briefed: set[tuple[str, str]] = field(default_factory=set)
    opened: set[str] = field(default_factory=set)
    unsaved: str | None = None  # why the last move could not be saved, until one is again
    unsaved_told: bool = False  # whether the players have been told
    kept: dict[str, Any] | None = None  # the export as opened: what a rescue file builds on
    rescue: Path | None = None  # where the moves the store did not take are kept
    last_vote: Verdict | None = None  # how the vote settled the last decision, if it did
    reasons: dict[str, str] = field(default_factory=dict)  # role → why it recommends (a class)

    @classmethod
    def start(
        cls,
        store: SessionStore,
        campaign: Campaign,
        players: dict[str, str],
        rule: Rule = "chair",
        group: str | None = None,
        mode: Mode = "historical",
        seed: int = 0,
        game: Game | None = None,
    ) -> Sitting:
        """Create and save a new game (*group* None: the store names it "Group N"; *game*, if
        given: one opened at a phase)."""
        sid = store.create(campaign, group=group, players=players, seed=seed, mode=mode, rule=rule)
        group = store.get(sid).group
        game = game or Game(campaign, seed=seed, mode=mode)
        sitting = cls(store, sid, game, players, rule, group)
        store.save(sid, sitting.game)
        sitting.hold()
        return sitting

    @classmethod
    def reopen(cls, store: SessionStore, session_id: str, game: Game) -> Sitting:
        """Continue a saved session's *game* (rebuilt by the store) and its pending picks."""
        session = store.get(session_id)
        sitting = cls(store, session.id, game, dict(session.players), session.rule, session.group)
        sitting.hold()
        if game.current is not None:
            pending = session.pending.get(game.current.id, {})
            sitting.recommendations = {role: tuple(picks) for role, picks in pending.items()}
        return sitting

    def hold(self) -> None:
        """Open the game in this window only (SessionHeld if another has it), and keep what a
        rescue file needs; a store that cannot be written holds nothing, and says so on the
        first move."""
        try:
            self.store.hold(self.session_id)
        except SessionHeld:
            raise
        except StoreError:
            pass  # read-only or full: the first move that cannot be saved says so
        self.kept = transfer.export_data(self.store, self.session_id)

    def close(self) -> None:
        """The window closes: save what can be, let another window open the game."""
        self.save()
        self.store.release(self.session_id)

    # -- who is where --------------------------------------------------------------------------

    @property
    def campaign(self) -> Campaign:
        return self.game.campaign

    @property
    def decision(self) -> Decision:
        """The open decision (GameError once the game is over)."""
        return self.game.open_decision

    @property
    def phase(self) -> Phase:
        """The open decision's phase."""
        return self.campaign.phase_of[self.decision.id]

    def seat(self, role: str) -> str:
        """'Ana (Dean Rusk)': the player and the person they play."""
        return f"{self.players[role]} ({self.campaign.roles[role].name})"

    def human_recommenders(self, decision: Decision) -> list[str]:
        """Players asked to recommend (the engine's rule), in seating order."""
        roles = asked(self.campaign, decision, self.rule, self.players)
        return [role for role in self.players if role in roles]

    def positions(self, decision: Decision) -> list[Advocacy]:
        """The cases put at the table on *decision* by the roles no player takes: recorded
        positions and the game's reconstructions. Left out: the decider's recorded position
        (the record's answer, shown in the debrief) and the positions of roles played here,
        which each player sees in private (`own_positions`)."""
        if not decision.record:
            return []
        decider = self.campaign.decider(decision)
        return [
            a
            for a in decision.record.advocates
            if a.role not in self.players and (a.role != decider or a.reconstructed)
        ]

    def shared_context(self, decision: Decision) -> list[Passage]:
        """*decision*'s context ("From the sources") for the shared screen, in the variant that
        fits: a passage citing what a withheld recorded position cites (a role played here, or
        the decider's) quotes that position, and waits as it does."""
        kept = self.positions(decision)
        advocates = decision.record.advocates if decision.record else []
        withheld = {c for a in advocates if not a.reconstructed and a not in kept for c in a.cite}
        return [p for p in shown(decision.context, self.game.state) if not withheld & set(p.cite)]

    def silent(self, decision: Decision) -> list[str]:
        """Roles at the table, taken by no player and not deciding, that put no case on
        *decision*: the sources record nothing of theirs to build one from."""
        argued = {a.role for a in decision.record.advocates} if decision.record else set()
        decider = self.campaign.decider(decision)
        return [
            r
            for r in self.campaign.recommenders(decision)
            if r not in self.players and r != decider and r not in argued
        ]

    def own_positions(self, decision: Decision, role: str) -> list[Advocacy]:
        """*role*'s positions on *decision*, for its player alone, until the debrief."""
        advocates = decision.record.advocates if decision.record else []
        return [a for a in advocates if a.role == role]

    def situation(self) -> list[Passage]:
        """The open phase's situation, shown with its first decision on this game's agenda,
        in the variant that fits the state the phase opened in."""
        phase = self.phase
        if any(e.kind == "decision" and e.phase == phase.id for e in self.game.log):
            return []
        return in_play(phase, self.game.phase_state(phase) or self.game.state)

    def opening_phases(self) -> list[tuple[Phase, list[Passage]]]:
        """Before anything has happened in this game: the phases it opened past (the first ones,
        with no decision of their own), each with its situation, shown with the first item."""
        if any(e.kind in ("decision", "response") for e in self.game.log):
            return []
        return self._with_situations(self.game.phases_passed())

    def passed_phases(self, entries: list[Entry]) -> list[tuple[Phase, list[Passage]]]:
        """The phases the game went past with *entries* (what one decision set off, as far as
        shown) without opening a decision of theirs, each with its situation in the variant
        that fits: so that every phase's situation reaches the screen, a phase with no
        decision included. Phases after the last entry's wait until it is the game's last."""
        if not entries:
            return []
        steps = self.campaign.steps
        after = next(n for n, st in enumerate(steps) if st.id == entries[0].step)
        if entries[0].kind != "decision":
            after -= 1
        phases = self.campaign.scenario.phases
        last = phases.index(self.campaign.phase_of[entries[-1].step])
        waiting = entries[-1] != self.game.log[-1]
        return self._with_situations(
            p for p in self.game.phases_passed(after) if not (waiting and phases.index(p) > last)
        )

    def _with_situations(self, phases: Iterable[Phase]) -> list[tuple[Phase, list[Passage]]]:
        """Each of *phases* with its situation in the variant that fits (those with none left)."""
        out = []
        for phase in phases:
            passages = in_play(phase, self.game.phase_state(phase) or self.game.state)
            if passages:
                out.append((phase, passages))
        return out

    def deciding_role(self, decision: Decision) -> str | None:
        """The player's role that decides, or None when the players vote (the engine's rule)."""
        return deciding_role(self.campaign, decision, self.rule, self.players)

    # -- what comes next -----------------------------------------------------------------------

    def next_step(self) -> Step:
        if self.game.finished:
            return Debrief()
        decision, phase = self.decision, self.phase
        opened = self.game.phase_state(phase) or self.game.state
        for role in self.players:
            briefings = self.campaign.briefings(role, phase, opened)
            if briefings and (phase.id, role) not in self.briefed:
                return Brief(role, briefings)
        if decision.id not in self.opened:
            return Meeting(decision)
        voters = self.human_recommenders(decision)
        for role in voters:
            if role not in self.recommendations:
                return Recommend(role)
        chair = self.deciding_role(decision)
        return Voted() if chair is None and voters else Decide(chair)

    def read_briefing(self, role: str) -> None:
        self.briefed.add((self.phase.id, role))

    def open_meeting(self) -> None:
        self.opened.add(self.decision.id)

    def recommend(self, role: str, picks: list[str]) -> None:
        """Record a role's recommendation; saved at once, private until the decision."""
        self.recommendations[role] = tuple(picks)
        self._saving(self.store.add_recommendation, self.decision.id, role, list(picks))

    def decide_by_vote(self) -> list[Entry]:
        """Take the open decision as the players' vote settles it (the engine's one rule);
        return what happened. `last_vote` then tells how the vote went."""
        verdict = settle(self.game, self.decision, self.recommendations)
        if verdict is None:
            raise GameError(f"{self.decision.id}: no option can be taken now")
        entries = self.decide(list(verdict.chosen), None)
        self.last_vote = verdict
        return entries

    def decide(self, chosen: list[str], by: str | None) -> list[Entry]:
        """Take the open decision; return what happened (the decision and any answers)."""
        self.last_vote = None
        before = len(self.game.log)
        decision = self.decision
        recommendations = dict(self.recommendations)
        if by in self.campaign.recommenders(decision):
            recommendations[by] = tuple(chosen)  # the chair's decision is also his position
        self.game.decide(decision.id, chosen, by=by or GROUP, recommendations=recommendations)
        self.recommendations = {}
        self.save()
        return self.game.log[before:]

    def save(self) -> None:
        """Store every move not stored yet; a store that cannot be written leaves `unsaved`."""
        self._saving(self.store.save, self.game)

    def _saving(self, write, *args) -> None:
        """Write through the store; if it cannot (disk full, read-only, the file deleted or
        replaced), keep playing, with every move kept in a rescue file (`rescue`).

        The game keeps every move in memory, and each later move tries the store again.
        """
        try:
            write(self.session_id, *args)
            if not self.store.intact():
                raise StoreError(
                    f"{self.store.path} was deleted or replaced while this game was open, so "
                    "its moves no longer reach it"
                )
        except StoreError as exc:
            self.unsaved, self.unsaved_told = str(exc), False
            self.rescue = self._keep_elsewhere()
        else:
            self.unsaved = None
            if self.rescue is not None:
                self.rescue.unlink(missing_ok=True)
                self.rescue = None

    def _keep_elsewhere(self) -> Path | None:
        """Write the whole game as an export file (`exsim sessions import` restores it), in
        the data folder, else the temporary folder; None if neither can be written."""
        if self.kept is None:
            return None
        pending = {self.decision.id: {r: list(p) for r, p in self.recommendations.items()}}
        data = transfer.with_moves(
            self.kept, self.game, pending if self.decision and self.recommendations else {}
        )
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        name = f"exsim-unsaved-{self.session_id}.json"
        for folder in (paths.data_dir() / "unsaved", Path(tempfile.gettempdir())):
            try:
                folder.mkdir(parents=True, exist_ok=True)
                files.write_text(folder / name, text, force=True)
            except OSError:
                continue
            return folder / name
        return None

    def unsaved_note(self) -> str:
        """What is true of the moves the store did not take, for the players."""
        if self.rescue is not None:
            return (
                f"{self.unsaved}. Every move of this game is kept in {self.rescue}: "
                f"`exsim sessions import {self.rescue}` restores the game from it. Each move "
                "tries the store again."
            )
        return (
            f"{self.unsaved}. The moves since are only in this window (no file could be "
            "written): do not quit before a move is saved again. Each move tries the store again."
        )
