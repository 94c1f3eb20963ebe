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
from textual.widgets import Button, DataTable, Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from exsim.classroom import ClassError, ClassState, Facilitator, Follower, Group
from exsim.classroom.room import MAX_MESSAGE
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


def binding(key: str, action: str, label: str, tip: str, show: bool = True) -> Binding:
    return Binding(key, action, label, id=action.replace("_", "-"), tooltip=tip, show=show)


class ConsoleScreen(Screen):
    """The class code, the stage and clock, the agenda, the roster, and the keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        binding("a", "advance", "Advance", "Move the class to the next stage or item"),
        binding("i", "inject", "Inject", "Show every group the next counterpart cable"),
        binding("p", "pause", "Pause", "Freeze every student's screen, or go on"),
        binding("t", "timer", "Timer", "Set a countdown for this round on every screen"),
        binding("f", "free", "Free", "Free the selected role for another student", show=False),
        binding(
            "r", "reveal", "Reveal", "Show every screen the debrief: choices beside the record"
        ),
        binding("d", "debrief", "Debrief", "Open and save the selected group's debrief (HTML)"),
        binding("c", "compare", "Compare", "Open and save the class comparison (HTML)"),
        binding("s", "message", "Say", "Send a message to the selected group or the whole class"),
        binding("o", "more", "More", "The other keys: free, move, pause a group, gradebook, cards"),
        binding("v", "move", "Move", "Move the selected student to another role or group", False),
        binding("g", "pause_group", "Pause group", "Pause the selected group, or go on", False),
        binding("e", "advance_group", "Group on", "The selected group's vote decides now", False),
        binding("x", "gradebook", "Gradebook", "Save the gradebook (CSV and JSON)", False),
        binding("k", "cards", "Role cards", "Save a printable card for every role (HTML)", False),
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

    def selected_student(self, nobody: str) -> tuple[Group, str, str] | None:
        """The selected row's group, role and student; None (saying *nobody*) on a free role."""
        picked = self.selected()
        if picked is None:
            return None
        group, role = picked
        who = group.claims.get(role)
        if who is None:
            self.say(nobody)
            return None
        return group, role, who

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
        picked = self.selected_student("Nobody plays that role: nothing to free.")
        if picked is None:
            return
        group, role, who = picked
        name = group.campaign.roles[role].name
        self.act(
            lambda: self.facilitator.free(group.session.id, role),
            f"{name} in {group.label} is free again ({who} may rejoin from any browser).",
        )

    def action_message(self) -> None:
        picked = self.selected()
        group = picked[0] if picked else None

        def chosen(sent: tuple[str, bool] | None) -> None:
            if sent is not None:
                said, to_all = sent
                sid = None if to_all or group is None else group.session.id
                self.act(lambda: self.facilitator.message(said, sid))

        self.app.push_screen(MessageScreen(group.label if group else None), chosen)

    def action_more(self) -> None:
        """The keys not shown below, to pick from a list."""
        hidden = [b for b in self.BINDINGS if isinstance(b, Binding) and not b.show]

        def chosen(action: str | None) -> None:
            if action:
                self.call_later(self.run_action, action)

        self.app.push_screen(MoreScreen(hidden), chosen)

    def action_pause_group(self) -> None:
        picked = self.selected()
        if picked is not None:
            self.act(lambda: self.facilitator.pause_group(picked[0].session.id))

    def action_advance_group(self) -> None:
        picked = self.selected()
        if picked is not None:
            self.act(lambda: self.facilitator.advance_group(picked[0].session.id))

    def action_move(self) -> None:
        picked = self.selected_student(
            "Nobody plays that role: select a student's row to move them."
        )
        if picked is None:
            return
        group, role, who = picked
        free = self.facilitator.room.free_roles(self.facilitator.code)
        if not free:
            self.say("No free role to move a student to.")
            return
        targets = [
            (f"{g.session.id}:{r}", f"{g.label}: {g.campaign.roles[r].name}") for g, r in free
        ]

        def chosen(target: str | None) -> None:
            if target:
                sid, to_role = target.split(":")
                self.act(lambda: self.facilitator.move(group.session.id, role, sid, to_role))

        self.app.push_screen(MoveScreen(who, targets), chosen)

    def action_gradebook(self) -> None:
        from exsim.report import gradebook

        book = self.facilitator.gradebook()
        name = f"gradebook-{self.facilitator.code}"
        csv_path = self.save(f"{name}.csv", gradebook.as_csv(book))
        json_path = self.save(f"{name}.json", gradebook.as_json(book))
        if csv_path and json_path:
            self.say(f"Saved the gradebook of {len(book.students)} student(s): {csv_path}, .json")

    def action_cards(self) -> None:
        from exsim.report import role_cards

        campaign = self.facilitator.groups()[0].campaign
        saved = self.save(f"role-cards-{campaign.id}.html", role_cards.page(campaign))
        if saved:
            self.say(f"Saved the role cards (one page per role, to print): {saved}")

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
        from exsim.report.render import class_markdown, html

        report = self.facilitator.comparison()
        page = html(class_markdown(report), f"Class comparison — {report.scenario_title}")
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
            yield Static("", id="problem")
            with Horizontal(classes="buttons"):
                yield Button("Start the timer", id="set", variant="primary", compact=True)
        yield Footer()

    @on(Input.Submitted)
    @on(Button.Pressed, "#set")
    def _set(self) -> None:
        field = self.query_one(Input)
        try:
            self.dismiss(float(field.value))
        except ValueError:
            self.query_one("#problem", Static).update(
                Text("Enter the minutes, e.g. 10 (0 clears the timer); Escape closes.")
            )
            field.focus()


class MessageScreen(ModalScreen[tuple[str, bool] | None]):
    """A message for the seats of one group or of the whole class: (text, to the whole class)."""

    AUTO_FOCUS = "#said"
    BINDINGS: ClassVar[list[BindingType]] = [CLOSE]

    def __init__(self, group: str | None) -> None:
        super().__init__()
        self.group = group

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="panel"):
            yield Static(
                text.heading(
                    "Message to the students", "shown on their screens, kept in the debrief"
                )
            )
            yield Input(placeholder="One line", id="said", max_length=MAX_MESSAGE)
            yield Static("", id="problem")
            with Horizontal(classes="buttons"):
                if self.group is not None:
                    yield Button(Text(f"To {self.group}"), id="group", compact=True)
                yield Button("To the whole class", id="all", variant="primary", compact=True)
        yield Footer()

    @on(Input.Submitted)
    @on(Button.Pressed)
    def _send(self, event: Input.Submitted | Button.Pressed) -> None:
        said = self.query_one(Input).value
        if not said.strip():
            self.query_one("#problem", Static).update(Text("Write the message first."))
            self.query_one(Input).focus()
            return
        to_group = isinstance(event, Button.Pressed) and event.button.id == "group"
        self.dismiss((said, not to_group))


class MoreScreen(ModalScreen[str | None]):
    """The console's keys not shown at its foot, to pick from a list (or press as they are)."""

    AUTO_FOCUS = "#keys"
    BINDINGS: ClassVar[list[BindingType]] = [CLOSE]

    def __init__(self, bindings: list[Binding]) -> None:
        super().__init__()
        self.bindings = bindings

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="panel"):
            yield Static(text.heading("More keys", "Enter runs one; each key works on its own"))
            yield OptionList(
                *(
                    Option(Text(f"{b.key}  {b.description}: {b.tooltip}"), id=b.action)
                    for b in self.bindings
                ),
                id="keys",
            )
        yield Footer()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class MoveScreen(ModalScreen[str | None]):
    """Where to move a student: a free role of any group ('session id:role')."""

    AUTO_FOCUS = "#targets"
    BINDINGS: ClassVar[list[BindingType]] = [CLOSE]

    def __init__(self, who: str, targets: list[tuple[str, str]]) -> None:
        super().__init__()
        self.who = who
        self.targets = targets

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="panel"):
            yield Static(text.heading(f"Move {self.who}", "to a free role; Enter moves"))
            yield OptionList(
                *(Option(Text(label), id=key) for key, label in self.targets), id="targets"
            )
        yield Footer()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


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
