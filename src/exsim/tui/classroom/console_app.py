"""The facilitator's console: who has joined and sent a recommendation; run the room."""

from __future__ import annotations

import io
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Footer, Input, Markdown, Static

from exsim.classroom import ClassError, Facilitator, Follower, Group
from exsim.tui import text
from exsim.tui.classroom.screens import clock
from exsim.tui.classroom.student_app import debrief_page
from exsim.tui.debrief_screen import DebriefScreen
from exsim.tui.panels import CLOSE, HelpScreen, MachineScreen

POLL_SECONDS = 0.25


def binding(key: str, action: str, label: str, tip: str) -> Binding:
    return Binding(key, action, label, id=action.replace("_", "-"), tooltip=tip)


class ConsoleScreen(Screen):
    """The class code, the stage and clock, the roster, and the facilitator's keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        binding("a", "advance", "Advance", "Move the class to the next stage or item"),
        binding("i", "inject", "Release inject", "Show every group the next counterpart cable"),
        binding("p", "pause", "Pause/Resume", "Freeze every student's screen, or go on"),
        binding("t", "timer", "Timer", "Set a countdown for this round on every screen"),
        binding("f", "free", "Free role", "Free the selected role for another student"),
        binding(
            "r", "reveal", "Reveal", "Show every screen the debrief: choices beside the record"
        ),
        binding("d", "debrief", "Debrief", "Open (and save) the selected group's debrief"),
        binding("c", "compare", "Class comparison", "Compare the groups (and save it)"),
    ]

    def __init__(self, facilitator: Facilitator, url: str = "") -> None:
        super().__init__()
        self.facilitator = facilitator
        self.url = url

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="body"):
            yield Static(id="code-big")
            yield Static(id="clock")
            yield DataTable(id="roster", cursor_type="row", zebra_stripes=True)
            yield Static(id="message")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Group", "Role", "Student", "Recommendation", "Decision")
        self.refresh_roster()
        table.focus()

    def refresh_roster(self) -> None:
        f = self.facilitator
        state, groups = f.state, f.groups()
        where = f"   students open {self.url} and enter the code" if self.url else ""
        self.query_one("#code-big", Static).update(Text(f"Class code {state.code}{where}"))
        self.query_one("#clock", Static).update(Text(clock(state), style="bold"))
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for g in groups:
            for role in g.campaign.scenario.roles:
                if role.playable:
                    table.add_row(
                        *roster_row(g, role.id, state.stage), key=f"{g.session.id}:{role.id}"
                    )
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def tick(self) -> None:
        self.query_one("#clock", Static).update(Text(clock(self.facilitator.state), style="bold"))

    def say(self, message: str) -> None:
        self.query_one("#message", Static).update(Text(message))
        self.refresh_roster()

    def act(self, do) -> None:
        try:
            self.say(do() or "Done.")
        except ClassError as exc:
            self.say(f"Not done: {exc}")

    def selected(self) -> tuple[Group, str] | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        sid, role = key.split(":")
        group = next(g for g in self.facilitator.groups() if g.session.id == sid)
        return group, role

    def action_advance(self) -> None:
        self.act(self.facilitator.advance)

    def action_inject(self) -> None:
        self.act(self.facilitator.release_inject)

    def action_pause(self) -> None:
        f = self.facilitator
        if f.state.paused:
            self.act(lambda: f.resume() or "Resumed.")
        else:
            self.act(lambda: f.pause() or "Paused: every student's screen is frozen.")

    def action_timer(self) -> None:
        def chosen(minutes: float | None) -> None:
            if minutes is not None:
                self.act(lambda: self.facilitator.set_timer(minutes) or f"Timer: {minutes:g} min.")

        self.app.push_screen(TimerScreen(), chosen)

    def action_free(self) -> None:
        picked = self.selected()
        if picked is None:
            return
        group, role = picked
        who = group.claims.get(role)
        if who is None:
            self.say("Nobody plays that role: nothing to free.")
            return
        name = group.campaign.roles[role].name
        self.act(
            lambda: (
                self.facilitator.free(group.session.id, role)
                or f"{name} in {group.label} is free again ({who} may rejoin from any browser)."
            )
        )

    def action_reveal(self) -> None:
        self.act(lambda: self.facilitator.reveal() or "Revealed: every screen shows the debrief.")

    def action_debrief(self) -> None:
        picked = self.selected()
        if picked is None:
            return
        group = picked[0]
        self.app.deliver_text(
            io.StringIO(debrief_page(group)),
            save_filename=f"debrief-{group.session.id}.html",
            mime_type="text/html",
        )
        self.app.push_screen(DebriefScreen(group.game, group.played))

    def action_compare(self) -> None:
        from exsim.report import classes
        from exsim.report.render import class_markdown, html

        groups = self.facilitator.groups()
        campaign = groups[0].campaign
        report = classes.from_store(
            self.facilitator.room.store, campaign, [g.session.id for g in groups]
        )
        md = class_markdown(report)
        self.app.deliver_text(
            io.StringIO(html(md, f"Class comparison — {campaign.scenario.title}")),
            save_filename=f"class-{self.facilitator.code}.html",
            mime_type="text/html",
        )
        self.app.push_screen(ReportScreen(md))


def roster_row(group: Group, role: str, stage: str) -> tuple[str, ...]:
    """One line of the roster: shows who sent a recommendation, never what it was."""
    person = group.campaign.roles[role].name
    student = group.claims.get(role, "— advisor (recorded position)")
    decision = group.decision
    entry = next(iter(group.round_entries()), None)
    if entry is not None and stage in ("deciding", "decided"):
        sent = "✓ sent" if role in entry.recommendations else ""
    elif decision is None:
        sent = ""
    elif role not in group.campaign.recommenders(decision):
        sent = "not asked"
    elif role in group.session.pending.get(decision.id, {}):
        sent = "✓ sent"
    else:
        sent = "… waiting" if role in group.claims else ""
    if group.game.finished and group.decided:
        done = "game over"
    elif group.decided and stage in ("deciding", "decided"):
        done = "✓ decided"
    elif group.decider() == role:
        done = "chair"
    else:
        done = ""
    return group.label, person, student, sent, done


class TimerScreen(ModalScreen[float | None]):
    """Minutes for the round's countdown (0 clears it)."""

    AUTO_FOCUS = "#minutes"
    BINDINGS: ClassVar[list[BindingType]] = [CLOSE]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="panel"):
            yield Static(text.heading("Timer for this round", "minutes; 0 clears it"))
            yield Input(value="10", id="minutes", type="number")
            with Horizontal(classes="buttons"):
                yield Button("Start the timer", id="set", variant="primary", compact=True)
        yield Footer()

    @on(Input.Submitted)
    @on(Button.Pressed, "#set")
    def _set(self) -> None:
        try:
            self.dismiss(float(self.query_one(Input).value))
        except ValueError:
            self.dismiss(None)


class ReportScreen(ModalScreen):
    """The class comparison as it was saved."""

    BINDINGS: ClassVar[list[BindingType]] = [CLOSE]

    def __init__(self, md: str) -> None:
        super().__init__()
        self.md = md

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="panel"):
            yield Markdown(self.md)
        yield Footer()


class ConsoleApp(App):
    """The facilitator's console, in the facilitator's own terminal."""

    TITLE = "exsim: facilitator's console"
    CSS_PATH: ClassVar = ["../exsim.tcss", "classroom.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", id="help", tooltip="How to play exsim"),
        Binding("ctrl+q", "quit", "Quit", id="quit", tooltip="Close the console", priority=True),
    ]

    def __init__(self, facilitator: Facilitator, url: str = "") -> None:
        super().__init__()
        self.facilitator = facilitator
        self.url = url
        self.follower = Follower(facilitator.room, facilitator.code)

    def on_mount(self) -> None:
        self.console_screen = ConsoleScreen(self.facilitator, self.url)
        self.push_screen(self.console_screen)
        self.set_interval(POLL_SECONDS, self.poll)
        self.set_interval(1, self.console_screen.tick)

    def poll(self) -> None:
        if self.follower.changed():
            self.console_screen.refresh_roster()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_machine(self) -> None:
        if isinstance(self.screen, DebriefScreen):
            self.push_screen(MachineScreen(self.screen.game))

    def action_new_game(self) -> None:
        self.pop_screen()
