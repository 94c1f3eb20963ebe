"""The exsim game as a Textual app: it routes between screens; the Sitting holds the game."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from exsim import paths
from exsim.engine import Campaign, ScenarioError, open_campaign
from exsim.engine.game import Entry, Game, Mode
from exsim.store import ScenarioChanged, SessionStore, StoreError
from exsim.tui.debrief_screen import DebriefScreen
from exsim.tui.panels import ChangedScreen, HelpScreen, MachineScreen
from exsim.tui.play_screens import (
    BriefingScreen,
    ConsequencesScreen,
    DecideScreen,
    MeetingScreen,
    PassScreen,
    RecommendScreen,
)
from exsim.tui.sitting import Brief, Debrief, Decide, Meeting, Recommend, Rule, Sitting, Step
from exsim.tui.start_screens import ResumeScreen, StartScreen

PURPOSE = {
    Brief: "your private briefing",
    Recommend: "your private recommendation",
    Decide: "your decision, with everyone's recommendations",
}


class ExsimApp(App):
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
        self, store: SessionStore, scenario: Path | None = None, resume: str | None = None
    ) -> None:
        super().__init__()
        self.store = store
        self.scenario = scenario
        self.resume_id = resume
        self.sitting: Sitting | None = None
        self.pending: Step | None = None

    def on_mount(self) -> None:
        self.push_screen(StartScreen(self.scenario))
        if self.resume_id:
            self.resume(self.resume_id)

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
        try:
            sitting = Sitting.start(self.store, campaign, players, rule, group, mode, seed)
        except StoreError as exc:
            self.notify(str(exc), title="Cannot start", severity="error", timeout=10)
            return
        self.play(sitting)

    def resume(self, session_id: str) -> None:
        """Reopen a saved game; if its scenario changed, ask whether to replay or just read."""
        try:
            session = self.store.get(session_id)
            campaign = open_campaign(paths.resolve_scenario(session.scenario_id))
            game = self.store.resume(session.id, campaign)
        except ScenarioChanged as changed:
            self.push_screen(ChangedScreen(str(changed)), partial(self._changed, changed))
            return
        except (StoreError, LookupError, ScenarioError) as exc:
            self.notify(str(exc), title="Cannot resume", severity="error", timeout=15)
            return
        self.play(Sitting.reopen(self.store, session.id, game))

    def _changed(self, exc: ScenarioChanged, how: str | None) -> None:
        sid = exc.session.id
        try:
            if how == "replay":
                self.play(Sitting.reopen(self.store, sid, self.store.replay_on(sid, exc.campaign)))
            elif how == "read":
                self.show(DebriefScreen(self.store.open_read_only(sid), exc.session))
        except StoreError as exc2:
            self.notify(str(exc2), title="Cannot resume", severity="error", timeout=15)

    def play(self, sitting: Sitting) -> None:
        self.sitting = sitting
        self.sub_title = f"{sitting.group}: {sitting.campaign.scenario.title}"
        self.advance()

    # -- the flow of the game ------------------------------------------------------------------

    def advance(self) -> None:
        """Show what comes next; a private step first asks to pass the keyboard."""
        step = self.pending = self.sitting.next_step()
        role = getattr(step, "role", None)
        if role and len(self.sitting.players) > 1:
            self.show(PassScreen(self.sitting, role, PURPOSE[type(step)]))
        else:
            self.reveal()

    def reveal(self) -> None:
        """Show the pending step itself."""
        s, step = self.sitting, self.pending
        if isinstance(step, Brief):
            self.show(BriefingScreen(s, step.role, step.briefings))
        elif isinstance(step, Meeting):
            self.show(MeetingScreen(s, step.decision))
        elif isinstance(step, Recommend):
            self.show(RecommendScreen(s, step.role))
        elif isinstance(step, Decide):
            self.show(DecideScreen(s, step.role, None if step.role else s.vote()))
        elif isinstance(step, Debrief):
            self.show(DebriefScreen(s.game, self.store.get(s.session_id)))

    def after_decision(self, entries: list[Entry]) -> None:
        self.show(ConsequencesScreen(self.sitting, entries))

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
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_machine(self) -> None:
        if self.game and not isinstance(self.screen, MachineScreen):
            self.push_screen(MachineScreen(self.game))

    def action_new_game(self) -> None:
        self.sitting = None
        self.sub_title = ""
        self.show(StartScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help: how to play", "Open the help (F1)", self.action_help)
        if self.game:
            yield SystemCommand(
                "Policy machine",
                "The state machine with the current state marked",
                self.action_machine,
            )
        yield SystemCommand("New game", "Back to the start screen", self.action_new_game)
        yield SystemCommand("Resume a saved game", "Choose a saved game", self.action_resume)

    def action_resume(self) -> None:
        self.push_screen(ResumeScreen(self.store.list()))
