"""The exsim game as a Textual app: it routes between screens; the Sitting holds the game.

The first screen needs only Textual: the engine, the store and the other screens are imported
in a worker after the first paint, and within the methods that use them.
"""

from __future__ import annotations

import datetime as dt
import sys
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from exsim import __version__, paths
from exsim.terminal import printable
from exsim.tui.signals import exit_on_termination
from exsim.tui.start_screens import ResumeScreen, StartScreen

if TYPE_CHECKING:
    from exsim.engine import Campaign
    from exsim.engine.game import Entry, Game, Mode
    from exsim.engine.vote import Rule
    from exsim.store import ScenarioChanged, SessionStore
    from exsim.tui.contract import LocalHost
    from exsim.tui.sitting import Sitting, Step


@dataclass(frozen=True)
class Crash:
    """An unhandled error: one line to show, and the log file holding its full report."""

    summary: str
    log: Path | None
    why_no_log: str = ""

    @classmethod
    def record(cls, error: BaseException) -> Crash:
        """Append *error*'s traceback to the log file (`paths.log_file`)."""
        first = (str(error).splitlines() or [""])[0]
        summary = f"{type(error).__name__}: {first}"[:200].rstrip(": ")
        report = "".join(traceback.format_exception(error))
        log = paths.log_file()
        try:
            log.parent.mkdir(parents=True, exist_ok=True)
            with log.open("a", encoding="utf-8") as f:
                f.write(f"--- {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M:%S} UTC, ")
                f.write(f"exsim {__version__}\n{report}\n")
        except OSError as exc:
            return cls(summary, None, exc.strerror or str(exc))
        return cls(summary, log)

    def message(self) -> str:
        where = (
            f"the full report is in {self.log}"
            if self.log
            else f"no report could be written ({self.why_no_log})"
        )
        return f"error: exsim stopped on an unexpected error ({self.summary}); {where}"


def run_game(app: ExsimApp, headless: bool = False) -> int:
    """Run the game; the exit status: 0, or 1 after an unhandled error, said in one line."""
    app.run(headless=headless)
    if app.crash is not None:
        print(printable(app.crash.message()), file=sys.stderr)
    return app.return_code or 0


class ExsimApp(App[None]):
    """Start or resume a game, play it meeting by meeting, and read the debrief."""

    TITLE = "exsim"
    CSS_PATH = "exsim.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", id="help", tooltip="How to play exsim"),
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            id="quit",
            tooltip="Quit; every decision taken so far is saved",
            priority=True,
        ),
    ]

    def __init__(
        self,
        store: SessionStore | None = None,
        scenario: Path | None = None,
        resume: str | None = None,
        opening: tuple[str, dict[str, str] | None] | None = None,
    ) -> None:
        """Without a *store*, the app opens the user's own after the first paint, and closes it.
        *opening*: a phase to open the game at, and the state given for it (default: the
        record path's there), for an author's preview."""
        super().__init__()
        self.opening = opening
        self.store = store
        self.owns_store = store is None
        self.scenario = scenario
        self.resume_id = resume
        self.sitting: Sitting | None = None
        self.pending: Step | None = None
        self.crash: Crash | None = None

    def _handle_exception(self, error: Exception) -> None:
        """An unhandled error ends the app (status 1); its report goes to the log file."""
        if self.crash is None:
            self.crash = Crash.record(error)
        super()._handle_exception(error)

    def _print_error_renderables(self) -> None:
        if self.crash is not None and self.crash.log is not None:
            self._exit_renderables.clear()  # the report is in the log; `run_game` says where
        super()._print_error_renderables()

    def on_mount(self) -> None:
        exit_on_termination(self)
        self.push_screen(StartScreen(self.scenario))
        if self.resume_id:
            self.resume(self.resume_id)
        self.call_after_refresh(self.prepare)

    @work(thread=True, exclusive=True, group="prepare")
    def prepare(self) -> None:
        """Import what the game needs while the start screen is read; then open the store."""
        import exsim.store
        import exsim.tui.debrief_screen
        import exsim.tui.play_screens  # noqa: F401

        if self.store is None:
            self.call_from_thread(self.open_store)

    def open_store(self) -> None:
        """Open the saved games here, in the thread that uses them (SQLite asks for that)."""
        from exsim.store import SessionStore, StoreError

        try:
            self.store = SessionStore.open()
        except StoreError as exc:
            self.notify(
                str(exc),
                title="Cannot open the saved games",
                severity="error",
                timeout=30,
                markup=False,
            )

    def on_unmount(self) -> None:
        if self.sitting is not None:
            self.sitting.close()  # a move a full disk kept from being saved, if there is room now
        if self.owns_store and self.store is not None:
            self.store.close()

    @property
    def saved_games(self) -> SessionStore:
        """The store, once open (callers ask `ready_store` first, or have a game)."""
        assert self.store is not None
        return self.store

    @property
    def playing(self) -> Sitting:
        """The game being played (the game's screens are shown only while there is one)."""
        assert self.sitting is not None
        return self.sitting

    def ready_store(self) -> bool:
        """True once the saved games are open; otherwise say so."""
        if self.store is None:
            self.notify("The saved games are not open yet.", title="Please wait", timeout=5)
        return self.store is not None

    # -- starting and resuming -----------------------------------------------------------------

    def start_game(
        self,
        campaign: Campaign,
        players: dict[str, str],
        rule: Rule,
        group: str,
        mode: Mode,
        seed: int,
    ) -> None:
        from exsim.store import StoreError
        from exsim.tui.sitting import Sitting

        if not self.ready_store():
            return
        game = None
        if self.opening is not None:
            from exsim.engine.game import GameError
            from exsim.engine.preview import opened_at

            phase, given = self.opening
            try:
                game = opened_at(campaign, phase, given, seed, mode)
            except GameError as exc:
                self.notify(str(exc), title="Cannot open", severity="error", markup=False)
                return
        try:
            sitting = Sitting.start(
                self.saved_games, campaign, players, rule, group or None, mode, seed, game
            )
        except StoreError as exc:
            self.notify(str(exc), title="Cannot start", severity="error", timeout=10, markup=False)
            return
        self.play(sitting)

    def resume(self, session_id: str) -> None:
        """Reopen a saved game; if its scenario changed, ask whether to replay or just read."""
        from exsim.engine import ScenarioError, open_campaign
        from exsim.store import ScenarioChanged, StoreError
        from exsim.tui.panels import ChangedScreen
        from exsim.tui.sitting import Sitting

        try:
            session = self.saved_games.get(session_id)
            campaign = open_campaign(paths.named_scenario(session.scenario_id))
            game = self.saved_games.resume(session.id, campaign)
        except ScenarioChanged as changed:
            self.push_screen(ChangedScreen(str(changed)), partial(self._changed, changed))
            return
        except (StoreError, LookupError, ScenarioError) as exc:
            self.notify(str(exc), title="Cannot resume", severity="error", timeout=15, markup=False)
            return
        try:
            sitting = Sitting.reopen(self.saved_games, session.id, game)
        except StoreError as exc:  # open in another window
            self.notify(str(exc), title="Cannot resume", severity="error", timeout=15, markup=False)
            return
        self.play(sitting)

    def _changed(self, exc: ScenarioChanged, how: str | None) -> None:
        from exsim.store import StoreError
        from exsim.tui.debrief_screen import DebriefScreen
        from exsim.tui.sitting import Sitting

        sid = exc.session.id
        try:
            if how == "replay":
                store = self.saved_games
                self.play(Sitting.reopen(store, sid, store.replay_on(sid, exc.campaign)))
            elif how == "read":
                self.show(DebriefScreen(self.saved_games.open_read_only(sid), exc.session))
        except StoreError as exc2:
            self.notify(
                str(exc2), title="Cannot resume", severity="error", timeout=15, markup=False
            )

    def play(self, sitting: Sitting) -> None:
        self.sitting = sitting
        self.sub_title = f"{sitting.group}: {sitting.campaign.scenario.title}"
        if self.opening is not None:
            self.sub_title += f" (preview from {self.opening[0]}, not saved)"
        self.advance()

    # -- the flow of the game ------------------------------------------------------------------

    def advance(self) -> None:
        """Show what comes next; a private step first asks to pass the keyboard."""
        from exsim.tui.play_screens import PassScreen
        from exsim.tui.sitting import Brief, Decide, Recommend

        self.warn_unsaved()
        sitting = self.playing
        step = self.pending = sitting.next_step()
        if isinstance(step, (Brief, Recommend, Decide)) and step.role and len(sitting.players) > 1:
            self.show(PassScreen(sitting, step.role, step.purpose))
        else:
            self.reveal()

    def reveal(self) -> None:
        """Show the pending step itself."""
        from exsim.tui.debrief_screen import DebriefScreen
        from exsim.tui.play_screens import (
            BriefingScreen,
            DecideScreen,
            MeetingScreen,
            RecommendScreen,
        )
        from exsim.tui.sitting import Brief, Debrief, Decide, Meeting, Recommend, Voted

        s, step = self.playing, self.pending
        if isinstance(step, Brief):
            self.show(BriefingScreen(s, step.role, step.briefings))
        elif isinstance(step, Meeting):
            self.show(MeetingScreen(s, step.decision))
        elif isinstance(step, Recommend):
            self.show(RecommendScreen(s, step.role))
        elif isinstance(step, Decide):
            self.show(DecideScreen(s, step.role))
        elif isinstance(step, Voted):
            self.after_decision(s.decide_by_vote())
        elif isinstance(step, Debrief):
            self.show(DebriefScreen(s.game, self.saved_games.get(s.session_id), simulate=True))

    def after_decision(self, entries: list[Entry]) -> None:
        from exsim.tui.play_screens import ConsequencesScreen

        self.warn_unsaved()
        self.show(ConsequencesScreen(self.playing, entries))

    def warn_unsaved(self) -> None:
        """Say so when the last move could not be saved; the game itself goes on."""
        s = self.sitting
        if s is not None and s.unsaved and not s.unsaved_told:
            s.unsaved_told = True
            self.notify(
                s.unsaved_note(),
                title="Not saved in the store",
                severity="error",
                timeout=20,
                markup=False,
            )

    def show(self, screen: Screen) -> None:
        """Replace the current game screen (the start screen is the first)."""
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(screen)

    # -- actions -------------------------------------------------------------------------------

    @property
    def game(self) -> Game | None:
        return getattr(self.screen, "game", None) or (self.sitting.game if self.sitting else None)

    def action_help(self) -> None:
        from exsim.tui.panels import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_machine(self) -> None:
        from exsim.tui.panels import MachineScreen

        if self.game and not isinstance(self.screen, MachineScreen):
            self.push_screen(MachineScreen(self.game))

    def action_sources(self) -> None:
        """The source documents, at the passages cited on the screen below."""
        self.open_sources(None)

    def action_open_source(self, key: str) -> None:
        """A citation was clicked: its source, at the cited paragraph."""
        self.open_sources(key)

    def open_sources(self, at: str | None) -> None:
        from exsim.tui.sources_screen import show_sources

        game = self.game
        campaign = game.campaign if game else getattr(self.screen, "campaign", None)
        show_sources(self, campaign, at, game)

    def action_new_game(self) -> None:
        """Back to the start, on the scenario just played (a file opened stays chosen)."""
        game = self.game
        if self.sitting is not None:
            self.sitting.close()
        self.sitting = None
        self.sub_title = ""
        self.show(StartScreen(Path(game.campaign.file.path) if game else self.scenario))

    async def action_quit(self) -> None:
        """Quit; with moves the store did not take, only once the players have said so."""
        from exsim.tui.panels import QuitScreen

        s = self.sitting
        if s is None or not s.unsaved:
            self.exit()
        elif not isinstance(self.screen, QuitScreen):
            self.push_screen(QuitScreen(s.unsaved_note()), self._quit_chosen)

    def _quit_chosen(self, quit_anyway: bool | None) -> None:
        if quit_anyway:
            self.exit()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help: how to play", "Open the help (F1)", self.action_help)
        if self.game:
            yield SystemCommand(
                "Policy machine",
                "The state machine with the current state marked",
                self.action_machine,
            )
            yield SystemCommand(
                "Sources",
                "The source documents, at the passages cited on this screen (S)",
                self.action_sources,
            )
        yield SystemCommand("New game", "Back to the start screen", self.action_new_game)
        yield SystemCommand(
            "Class comparison",
            "Saved games of this scenario beside each other and the record",
            self.action_class_comparison,
        )
        yield SystemCommand("Resume a saved game", "Choose a saved game", self.action_resume)

    def action_class_comparison(self) -> None:
        """Compare saved games of the scenario being played, or chosen on the start screen."""
        from exsim.tui.class_screens import ClassPickScreen

        start = next((s for s in self.screen_stack if isinstance(s, StartScreen)), None)
        campaign = self.sitting.campaign if self.sitting else start.campaign if start else None
        if campaign is None:
            self.notify("Choose a scenario first; it is still loading.", title="Class comparison")
        elif self.ready_store():
            self.push_screen(ClassPickScreen(self.saved_games, campaign))

    def action_resume(self) -> None:
        if self.ready_store():
            self.push_screen(ResumeScreen(self.saved_games))


if TYPE_CHECKING:
    _: type[LocalHost] = ExsimApp  # the type checker holds the app to the screens' contract
