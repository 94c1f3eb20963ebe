"""Starting: choose a scenario, the players and their roles, the rule; or resume a saved game."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Button,
    Footer,
    Input,
    Label,
    ListItem,
    ListView,
    Select,
    Static,
)

from exsim import paths
from exsim.tui.contract import local_host
from exsim.tui.widgets import Choices, Radio

if TYPE_CHECKING:
    from exsim.engine import Campaign
    from exsim.engine.game import Mode
    from exsim.engine.vote import Rule
    from exsim.store import Session, SessionStore

MAX_PLAYERS = 6


class StartScreen(Screen):
    """New game: scenario, players and roles, how decisions are made, counterparts."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "start", "Start", id="start", tooltip="Start the game as set up here"),
        Binding("ctrl+r", "resume", "Resume", id="resume", tooltip="Resume a saved game"),
        Binding(
            "ctrl+k",
            "app.class_comparison",
            "Compare",
            id="class-comparison",
            tooltip="Class comparison: this scenario's saved games beside each other",
        ),
    ]

    def __init__(self, scenario: Path | None = None) -> None:
        super().__init__()
        self.files = paths.scenario_files()
        self.wanted = scenario
        self.campaign: Campaign | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="body"):
            yield Static(
                Text.assemble(
                    ("exsim: a new game", "bold underline"),
                    ("   Tab moves between fields; Ctrl+S starts; F1 explains.", "dim"),
                )
            )
            choices = [(Text(p.stem), p) for p in self.files]
            if self.wanted and self.wanted not in self.files:
                choices.append((Text(self.wanted.stem), self.wanted))
            first = self.wanted or (choices[0][1] if choices else Select.NULL)
            with Horizontal(classes="field"):
                yield Label("Scenario", classes="name")
                yield Select(choices, value=first, allow_blank=False, id="scenario", compact=True)
            yield Static("", id="about")
            with Horizontal(classes="field"):
                yield Label("Group name", classes="name")
                yield Input(
                    placeholder="empty: the first free of Group 1, 2, …",
                    tooltip="Left empty, the game is named Group 1, Group 2, … (the first "
                    "name no saved game has)",
                    id="group",
                    max_length=60,
                    compact=True,
                )
                yield Label("  Players ")
                yield Select(
                    [(str(n), n) for n in range(1, MAX_PLAYERS + 1)],
                    value=1,
                    allow_blank=False,
                    id="count",
                    compact=True,
                )
            yield Vertical(id="seats")
            with Horizontal(classes="field"):
                yield Label("Who decides", classes="name")
                with Choices(id="rule", compact=True):
                    yield Radio("The chair (as in the record)", value=True, id="rule-chair")
                    yield Radio("A vote of the players", id="rule-vote")
            with Horizontal(classes="field"):
                yield Label("Counterparts", classes="name")
                with Choices(id="mode", compact=True):
                    yield Radio("As in the record", value=True, id="historical")
                    yield Radio("Simulated (what-if)", id="what-if")
            yield Static("", id="problem")
            with Horizontal(classes="buttons"):
                yield Button("Start", id="start", variant="primary", compact=True)
                yield Button("Resume a saved game", id="resume", compact=True)
                yield Button("Class comparison", id="class-comparison", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#scenario").focus()
        if not self.files and not self.wanted:
            self._problem(f"No scenarios found in {paths.BUNDLED_SCENARIOS}.")

    @on(Select.Changed, "#scenario")
    def _scenario_changed(self, event: Select.Changed) -> None:
        self.campaign = None
        self.query_one("#seats").remove_children()  # the new scenario's roles replace them
        self.query_one("#about", Static).update("Loading …")
        self.call_after_refresh(self.load, event.value)  # the screen is usable meanwhile

    @work(exclusive=True, group="load")
    async def load(self, path: Path) -> None:
        """Load the scenario in a thread (the screen answers keys meanwhile), then show it."""
        loaded = await asyncio.to_thread(self.open, path)
        if isinstance(loaded, str):
            await self._loaded(None, loaded)
        else:
            await self._loaded(loaded, "")

    @staticmethod
    def open(path: Path) -> Campaign | str:
        """The scenario's campaign, or what is wrong with its file; the engine is imported
        here, off the event loop (it is not needed for the first paint)."""
        from exsim.engine import ScenarioError, open_campaign

        try:
            return open_campaign(path)
        except ScenarioError as exc:
            return f"{path.name} has {len(exc.problems)} problem(s):\n{exc}"

    async def _loaded(self, campaign: Campaign | None, problem: str) -> None:
        """Show the loaded scenario; the game can start only once its seats are mounted, so
        Ctrl+S never reads a role from a seat not yet on screen."""
        about = self.query_one("#about", Static)
        if campaign is None:
            about.update("")
            self._problem(problem)
            return
        self._problem("")
        s = campaign.scenario
        about.update(
            Text.assemble((s.title, "bold"), f" (version {s.version}): ", s.summary).append(
                "".join(
                    f"\nNot a role to choose: {r.name}, {r.office}: "
                    f"{r.advisor_because or 'voiced from the record; no player takes this role'}."
                    for r in s.roles
                    if not r.playable
                ),
                style="dim",
            )
        )
        playable = [r for r in s.roles if r.playable]
        count = self.query_one("#count", Select)
        count.set_options([(str(n), n) for n in range(1, len(playable) + 1)])
        count.value = 1
        seats = self.query_one("#seats")
        roles = [(Text(f"{r.name}, {r.office}"), r.id) for r in playable]
        await seats.mount_all(self._seat_row(n, roles) for n in range(len(playable)))
        self._seat()
        self.campaign = campaign

    @staticmethod
    def _seat_row(n: int, roles: list[tuple[Text, str]]) -> Horizontal:
        return Horizontal(
            Label(f"Player {n + 1}", classes="name"),
            Input(
                placeholder=f"Player {n + 1}",
                id=f"name-{n}",
                max_length=30,
                classes="player",
                compact=True,
            ),
            Label(" plays "),
            Select(roles, value=roles[n][1], allow_blank=False, id=f"role-{n}", compact=True),
            classes="field seat",
        )

    @on(Select.Changed, "#count")
    def _seat(self) -> None:
        """Show one seat per player; the scenario's seats all exist, so a seat hidden and shown
        again keeps what was typed in it, and nothing is rebuilt under the user's typing."""
        count = self.seats()
        for n, row in enumerate(self.query_one("#seats").children):
            row.display = n < count

    def _problem(self, message: str) -> None:
        self.query_one("#problem", Static).update(Text(message, style="bold"))

    def seats(self) -> int:
        """How many players the game is set up for."""
        count = self.query_one("#count", Select).value
        return count if isinstance(count, int) else 0

    def players(self, campaign: Campaign) -> dict[str, str] | None:
        """Role → player name from the seats, or None after showing what is wrong."""
        players: dict[str, str] = {}
        for n in range(self.seats()):
            name = self.query_one(f"#name-{n}", Input).value.strip() or f"Player {n + 1}"
            role = str(self.query_one(f"#role-{n}", Select).value)
            if role in players:
                who = campaign.roles[role].name
                self._problem(f"Two players have chosen {who}: give each player a different role.")
                return None
            players[role] = name
        return players

    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        if self.campaign is None:
            self._problem("The scenario is still loading, or has problems (see above).")
            return
        players = self.players(self.campaign)
        if players is None:
            return
        group = self.query_one("#group", Input).value.strip()
        rule: Rule = "vote" if self.query_one("#rule-vote", Radio).value else "chair"
        what_if = self.query_one("#what-if", Radio).value
        seed = random.randrange(10_000) if what_if else 0
        mode: Mode = "what-if" if what_if else "historical"
        local_host(self).start_game(self.campaign, players, rule, group, mode, seed)

    @on(Button.Pressed, "#resume")
    def action_resume(self) -> None:
        local_host(self).action_resume()

    @on(Button.Pressed, "#class-comparison")
    def _compare(self) -> None:
        local_host(self).action_class_comparison()


class ResumeScreen(Screen):
    """Saved games, most recent first; Enter resumes one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="back", tooltip="Back to the new game"),
    ]

    def __init__(self, store: SessionStore) -> None:
        super().__init__()
        self.store = store
        self.sessions = store.list()

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="body"):
            yield Static(Text("Resume a saved game", style="bold underline"))
            if not self.sessions:
                yield Static("No saved games yet. Every decision is saved as it is made.")
            else:
                yield Static("Up and Down choose a game; Enter resumes it.", classes="dim")
            yield ListView(
                *(ListItem(Label(self.describe(s)), name=s.id) for s in self.sessions),
                id="sessions",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ListView).focus()

    @on(ListView.Selected)
    def _chosen(self, event: ListView.Selected) -> None:
        if event.item.name:
            local_host(self).resume(event.item.name)

    def describe(self, s: Session) -> Text:
        players = ", ".join(f"{p} as {person}" for p, person in self.store.players_named(s))
        state = "finished" if s.finished else f"{len(s.decisions)} decision(s) taken"
        when = s.updated[:16].replace("T", " ")
        return Text.assemble(
            (s.group, "bold"),
            f"  {paths.scenario_name(s.scenario_id)}, {state}\n",
            f"  last played {when} UTC; id {s.id}\n",
            f"  {players}",
        )
