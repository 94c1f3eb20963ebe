"""The facilitator's console: the class code, where the class stands, who is here and has sent
a recommendation; the keys that run the room.

Every name on it (students', groups', the scenario's) is shown as text, never read as markup.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Footer, Input, Static

from exsim.classroom import ClassError, ClassState, Facilitator, Follower, Group
from exsim.tui import text
from exsim.tui.class_screens import layout
from exsim.tui.classroom.debrief import ClassDebriefScreen
from exsim.tui.classroom.roster import Roster, roster_row, row_detail
from exsim.tui.classroom.screens import clock
from exsim.tui.classroom.student_app import debrief_page, save_page
from exsim.tui.panels import CLOSE, HelpScreen, MachineScreen
from exsim.tui.signals import exit_on_termination

if TYPE_CHECKING:
    from exsim.scenario.model import Decision

POLL_SECONDS = 0.25
HINT = "Keys below; F1 help; Ctrl+Q closes the console (the class goes on)."


def binding(key: str, action: str, label: str, tip: str) -> Binding:
    return Binding(key, action, label, id=action.replace("_", "-"), tooltip=tip)


class ConsoleScreen(Screen):
    """The class code, the stage and clock, the agenda, the roster, and the keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        binding("a", "advance", "Advance", "Move the class to the next stage or item"),
        binding("i", "inject", "Inject", "Show every group the next counterpart cable"),
        binding("p", "pause", "Pause", "Freeze every student's screen, or go on"),
        binding("t", "timer", "Timer", "Set a countdown for this round on every screen"),
        binding("f", "free", "Free", "Free the selected role for another student"),
        binding(
            "r", "reveal", "Reveal", "Show every screen the debrief: choices beside the record"
        ),
        binding("d", "debrief", "Debrief", "Open and save the selected group's debrief (HTML)"),
        binding("c", "compare", "Compare", "Open and save the class comparison (HTML)"),
    ]

    def __init__(self, facilitator: Facilitator, url: str = "") -> None:
        super().__init__()
        self.facilitator = facilitator
        self.url = url
        self.here: set[tuple[str, str]] = set()
        self.details: dict[str, Text] = {}
        self.follower = Follower(facilitator.room, facilitator.code)

    def compose(self) -> ComposeResult:
        yield Static(id="code-big")
        yield Static(id="clock")
        yield Static(id="agenda")
        yield Roster(id="roster")
        yield Static(id="detail")
        yield Static(HINT, id="message")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.refresh_roster()
        self.query_one(Roster).focus()
        self.set_interval(POLL_SECONDS, self.poll)
        self.set_interval(1, self.tick)

    def poll(self) -> None:
        if self.follower.changed():
            self.refresh_roster()

    def refresh_roster(self) -> None:
        f = self.facilitator
        state, groups = f.state, f.groups()
        self.here = f.room.here(f.code)
        where = f"   students open {self.url} and enter the code" if self.url else ""
        self.query_one("#code-big", Static).update(Text(f"Class code {state.code}{where}"))
        self.query_one("#clock", Static).update(self.clock_line(state, groups))
        self.query_one("#agenda", Static).update(agenda(groups, state.stage))
        rows, self.details = [], {}
        for g in groups:
            for role in g.campaign.scenario.roles:
                if role.playable:
                    here = (g.session.id, role.id) in self.here
                    key = f"{g.session.id}:{role.id}"
                    rows.append((key, roster_row(g, role.id, state.stage, here)))
                    self.details[key] = row_detail(g, role.id, here)
        self.query_one(Roster).show(rows)
        self.show_detail()

    @on(DataTable.RowHighlighted, "#roster")
    def show_detail(self) -> None:
        """The selected row in full, below the roster."""
        picked = self.selected_key()
        self.query_one("#detail", Static).update(self.details.get(picked or "", ""))

    def clock_line(self, state: ClassState, groups: list[Group] | None = None) -> Text:
        """The clock, then the injects waiting, who is here, and wrong codes tried lately."""
        f = self.facilitator
        out = Text.assemble((clock(state), "bold"))
        released, available = f.injects(groups)
        if available:
            out.append(f" · injects {released} of {available} released")
            if released < available:
                out.append(f" ({available - released} wait: i)", style="bold")
        seated = sum(len(g.claims) for g in groups) if groups is not None else None
        if seated is not None:
            out.append(f" · {len(self.here)} of {seated} students here")
        wrong = f.room.wrong_codes(time.time() - 600)
        if wrong:
            out.append(f" · {wrong} wrong class code(s) tried in 10 min", style="bold")
        return out

    def tick(self) -> None:
        """Every second: the clock; the roster again when someone arrived or left."""
        f = self.facilitator
        if f.room.here(f.code) != self.here:
            self.refresh_roster()
        else:
            groups = f.groups()
            self.query_one("#clock", Static).update(self.clock_line(f.state, groups))

    def say(self, message: str) -> None:
        self.query_one("#message", Static).update(Text(message))
        self.refresh_roster()

    def act(self, do: Callable[[], str | None], done: str = "Done.") -> None:
        """Do a facilitator's action; say what it returned, or *done*, or why it was refused."""
        try:
            self.say(do() or done)
        except ClassError as exc:
            self.say(f"Not done: {exc}")

    def selected_key(self) -> str | None:
        """The selected row's key, 'session id:role'."""
        table = self.query_one(Roster)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def selected(self) -> tuple[Group, str] | None:
        key = self.selected_key()
        if key is None:
            return None
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
            self.act(f.resume, "Resumed.")
        else:
            self.act(f.pause, "Paused: every student's screen is frozen.")

    def action_timer(self) -> None:
        def chosen(minutes: float | None) -> None:
            if minutes is not None:
                self.act(lambda: self.facilitator.set_timer(minutes), f"Timer: {minutes:g} min.")

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
            lambda: self.facilitator.free(group.session.id, role),
            f"{name} in {group.label} is free again ({who} may rejoin from any browser).",
        )

    def action_reveal(self) -> None:
        self.act(self.facilitator.reveal, "Revealed: every screen shows the debrief.")

    def action_debrief(self) -> None:
        picked = self.selected()
        if picked is None:
            return
        group = picked[0]
        saved = self.save(f"debrief-{group.session.id}.html", debrief_page(group))
        self.app.push_screen(ClassDebriefScreen(group, closable=True))
        if saved:
            self.say(f"Saved the debrief of {group.label}: {saved}")

    def action_compare(self) -> None:
        from exsim.report import classes
        from exsim.report.render import class_markdown, html

        groups = self.facilitator.groups()
        campaign = groups[0].campaign
        report = classes.build(campaign, [g.debrief() for g in groups])
        page = html(class_markdown(report), f"Class comparison — {campaign.scenario.title}")
        saved = self.save(f"class-{self.facilitator.code}.html", page)
        self.app.push_screen(ReportScreen(layout(report)))
        if saved:
            self.say(f"Saved the class comparison: {saved}")

    def save(self, name: str, page: str) -> Path | None:
        """Write *page* in the documents folder; say so on the console if it cannot."""
        try:
            return save_page(name, page)
        except OSError as exc:
            self.say(f"Not saved: {exc.strerror or exc} ({exc.filename or name})")
            return None


def agenda(groups: list[Group], stage: str) -> Text:
    """'On the agenda: 3. The pledge (Group A, Group B) · game over (Group C)': the item
    being discussed, or once decided the item of this round; "(all groups)" when every group
    is on the same item."""
    items: dict[str, list[str]] = {}
    for g in groups:
        taken = next(iter(g.round_entries()), None)
        item: Decision | None
        if stage in ("deciding", "decided") and taken is not None:
            item = g.campaign.decisions[taken.step]
        else:
            item = g.decision
        if item is None:
            shown = "game over"
        else:
            shown = f"{list(g.campaign.decisions).index(item.id) + 1}. {item.title}"
        items.setdefault(shown, []).append(g.label)
    out = Text.assemble(("On the agenda: ", "bold"))
    if len(items) == 1:
        every = " (all groups)" if len(groups) > 1 else ""
        return out.append(f"{next(iter(items))}{every}")
    return out.append(" · ".join(f"{item} ({', '.join(labels)})" for item, labels in items.items()))


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


class ReportScreen(Screen):
    """The class comparison, as it was saved."""

    BINDINGS: ClassVar[list[BindingType]] = [CLOSE]

    def __init__(self, report: Text) -> None:
        super().__init__()
        self.report = report

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="body"):
            yield Static(self.report, id="report")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#body").focus()


class ConsoleApp(App):
    """The facilitator's console, in the facilitator's own terminal."""

    TITLE = "exsim: facilitator's console"
    CSS_PATH: ClassVar = ["../exsim.tcss", "classroom.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", id="help", tooltip="How to play exsim", show=False),
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            id="quit",
            tooltip="Close the console",
            priority=True,
            show=False,
        ),
    ]

    def __init__(self, facilitator: Facilitator, url: str = "") -> None:
        super().__init__()
        self.facilitator = facilitator
        self.url = url

    def on_mount(self) -> None:
        exit_on_termination(self)
        self.push_screen(ConsoleScreen(self.facilitator, self.url))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_machine(self) -> None:
        if isinstance(self.screen, ClassDebriefScreen):
            self.push_screen(MachineScreen(self.screen.game))
