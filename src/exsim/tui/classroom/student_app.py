"""The student's page: join with the class code, then play one role, following the class.

The same app runs in a terminal (`exsim join`) and in the browser (`exsim serve`). The seat
token says who this browser is: the server keeps it in a cookie and hands it to each new app
process, so a reload or a lost connection comes back into the same role.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from exsim import paths
from exsim.classroom import ClassError, Classroom, Follower, Group, SeatView, Student
from exsim.engine.game import Entry, GameError
from exsim.tui import text
from exsim.tui.classroom.screens import (
    ClassBar,
    JoinScreen,
    PausedScreen,
    SeatScreen,
    clock,
    waiting_page,
)
from exsim.tui.play_screens import (
    BriefingScreen,
    ConsequencesScreen,
    DecideScreen,
    MeetingScreen,
    Page,
    RecommendScreen,
)
from exsim.tui.sitting import Sitting
from exsim.tui.widgets import refill

POLL_SECONDS = 0.1


@dataclass
class SharedSitting(Sitting):
    """The game's screens talk to a Sitting; this one sends moves through the Student."""

    student: Student | None = None
    refused: list[str] = field(default_factory=list)

    def recommend(self, role: str, picks: list[str]) -> None:
        try:
            self.student.recommend(list(picks))
        except ClassError as exc:
            self.refused.append(str(exc))

    def decide(self, chosen: list[str], by: str | None) -> list[Entry]:
        try:
            return self.student.decide(list(chosen))
        except ClassError as exc:
            raise GameError(str(exc)) from None


class StudentApp(App):
    """One student in one role of a shared class."""

    TITLE = "exsim class"
    CSS_PATH: ClassVar = ["../exsim.tcss", "classroom.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", id="help", tooltip="How to play exsim"),
        Binding(
            "d",
            "download",
            "Download debrief",
            id="download",
            tooltip="Save the debrief as a printable page (after the record is revealed)",
        ),
    ]

    def __init__(self, room: Classroom, seat: str) -> None:
        super().__init__()
        self.room = room
        self.seat = seat
        self.student: Student | None = None
        self.follower: Follower | None = None
        self.view: SeatView | None = None
        self.key: tuple = ()
        self.done: set[tuple] = set()  # (round, kind, …) the student has moved past
        self.seat_screen: SeatScreen | None = None

    def on_mount(self) -> None:
        self.room.arrive(self.seat)
        self.set_interval(POLL_SECONDS, self.poll)
        self.set_interval(1, self.tick)
        self.student = self.room.student(self.seat) if self.seat else None
        if self.student is None:
            self.push_screen(JoinScreen(self.room, self.seat))
        else:
            self.enter(self.student)

    def on_unmount(self) -> None:
        self.room.leave(self.seat)

    def on_join_screen_chosen(self, event: JoinScreen.Chosen) -> None:
        try:
            student = self.room.join(
                event.code, event.session_id, event.role, event.name, self.seat
            )
        except ClassError as exc:
            self.screen.find(refused=str(exc))
            return
        self.enter(student)

    def enter(self, student: Student) -> None:
        self.student = student
        self.follower = Follower(self.room, student.code, student.session_id)
        self.follow()

    # -- following the class -------------------------------------------------------------------

    def poll(self) -> None:
        if self.student and self.follower.changed():
            self.follow()

    def tick(self) -> None:
        """The class bar's clock, every second (a change of the class's state is followed)."""
        if not (self.student and self.view):
            return
        line = self.bar_text()
        seat = self.seat_screen
        for bar in [seat.bar] if self.screen is seat else self.screen.query(ClassBar):
            if bar.content != line:
                refill(bar, line)

    def follow(self) -> None:
        """Show what the class's state asks of this student now."""
        try:
            self.view = view = self.student.view()
        except ClassError as exc:
            self.student = self.view = None
            self.key = ()
            self.notify(str(exc), title="Your role", severity="warning", timeout=15, markup=False)
            self.show(JoinScreen(self.room, self.seat))
            return
        self.sub_title = f"{view.name} as {view.person}, {view.group.label}"
        key, make = self.choose(view)
        if key != self.key:
            self.key = key
            self.show(make())
        paused = isinstance(self.screen, PausedScreen)
        if view.state.paused and not paused:
            self.push_screen(PausedScreen())
        elif paused and not view.state.paused:
            self.pop_screen()
        self.tick()

    def choose(self, v: SeatView):
        """(key, factory of the screen or page to show) for view *v*; the key changes only
        when it should."""
        s = self.sitting(v)
        stage, rnd, decision = v.state.stage, v.state.round, v.group.decision
        who = self.whose_decision(v)
        if stage == "joining":
            return ("wait", stage), lambda: waiting_page(self.waiting(v, "to start the game"))
        if stage == "revealed":
            return ("debrief",), lambda: debrief_screen(v.group)
        if stage == "over" or (decision is None and not v.shown):
            msg = "to reveal the record" if stage == "over" else "while the other groups finish"
            return ("wait", "over", stage), lambda: waiting_page(
                self.waiting(v, msg, "Your group's game is over.")
            )
        if stage == "discussing":
            phase = v.group.game.current.phase.id
            if v.briefings and (phase, "brief") not in self.done:
                return ("brief", phase), lambda: BriefingScreen.page(s, v.role, v.briefings)
            if (rnd, "meeting") not in self.done:
                return ("meeting", rnd), lambda: MeetingScreen.page(s, decision)
            if v.asked and v.own is None:
                return ("recommend", rnd), lambda: RecommendScreen.page(s, v.role)
            verb = "decide" if who == "you" else "decides"
            sent = (
                f"Your recommendation: {text.option_label(v.group.campaign, decision.id, v.own)}."
                if v.own
                else "You are not asked to recommend on this item."
            )
            return ("wait", rnd, "sent", v.own), lambda: waiting_page(
                self.waiting(v, f"to open the decision ({who} {verb})", sent)
            )
        if v.deciding:
            return ("decide", rnd), lambda: DecideScreen.page(s, v.role)
        if not v.shown:
            return ("wait", rnd, "deciding"), lambda: waiting_page(
                Text(f"{who} is deciding. The decision will appear here.")
            )
        seen = ("consequences", rnd, len(v.shown))
        if seen not in self.done:
            return seen, lambda: ConsequencesScreen.page(s, list(v.shown))
        return ("wait", *seen), lambda: waiting_page(
            self.waiting(v, "for the next cable or the next item", "You have read what followed.")
        )

    def sitting(self, v: SeatView) -> SharedSitting:
        g = v.group
        pending = g.session.pending.get(g.decision.id, {}) if g.decision else {}
        players = {role: g.claims[role] for role in g.campaign.roles if role in g.claims}
        return SharedSitting(
            None,
            g.session.id,
            g.game,
            players,
            g.session.rule,
            g.session.group,
            recommendations=dict(pending),
            student=self.student,
        )

    @staticmethod
    def whose_decision(v: SeatView) -> str:
        chair = v.group.decider()
        if chair is None:
            return "the group's vote"
        who = v.group.campaign.roles[chair].name
        return "you" if chair == v.role else f"{v.group.claims[chair]} as {who}"

    @staticmethod
    def waiting(v: SeatView, what: str, first: str = "") -> Text:
        out = Text.assemble((f"{first}\n\n" if first else "", "bold"))
        out.append(f"You are {v.name}, playing {v.person}, in {v.group.label}.\n")
        out.append(f"Waiting for the facilitator {what}.")
        return out

    def bar_text(self) -> Text:
        v = self.view
        line = Text.assemble((clock(v.state), "bold"))
        line.append(f"   {v.name} as {v.person}, {v.group.label}")
        return line

    # -- the game's screens call these ---------------------------------------------------------

    def advance(self) -> None:
        """A screen's main button: this student has moved past it."""
        kind = self.key[0] if self.key else ""
        if kind in ("brief", "meeting"):
            self.done.add((self.key[1], kind))
        elif kind == "consequences":
            self.done.add(self.key)
        elif kind == "recommend" and self.seat_screen.sitting.refused:
            self.notify(
                self.seat_screen.sitting.refused[-1],
                title="Not sent",
                severity="error",
                markup=False,
            )
        self.follower.seen()
        self.follow()

    def after_decision(self, entries: list[Entry]) -> None:
        self.follower.seen()
        self.follow()

    def show(self, shown: Screen | Page) -> None:
        """Put *shown* in front. A page (to read, or with options to pick) is shown on the
        seat's one screen, in place of the last; the join page and the debrief are screens of
        their own."""
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if isinstance(shown, JoinScreen):
            self.seat_screen = None
            self._base(shown)
            return
        page = shown if isinstance(shown, Page) else None
        sitting = self.sitting(self.view)
        if self.seat_screen is None:
            self.seat_screen = SeatScreen(sitting, page or waiting_page(""), self.bar_text())
            self._base(self.seat_screen)
        elif page:
            self.seat_screen.show(sitting, page)
        if page is None:
            self.push_screen(shown)
            self.call_after_refresh(self._add_bar, shown)

    def _base(self, screen: Screen) -> None:
        """The screen at the bottom of the stack: the join page or the seat's screen."""
        if len(self.screen_stack) == 1:
            self.push_screen(screen)
        else:
            self.switch_screen(screen)

    def _add_bar(self, screen: Screen) -> None:
        body = screen.query("#body")
        if body and not screen.query(ClassBar):
            body.first().mount(ClassBar(self.bar_text()), before=0)

    # -- actions -------------------------------------------------------------------------------

    def action_help(self) -> None:
        from exsim.tui.panels import HelpScreen  # loaded when asked: ~10 MiB less per student

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_sources(self) -> None:
        """The source documents, at the passages cited on the screen below."""
        self.open_sources(None)

    def action_open_source(self, key: str) -> None:
        """A citation was clicked: its source, at the cited paragraph."""
        self.open_sources(key)

    def open_sources(self, at: str | None) -> None:
        from exsim.tui.sources_screen import show_sources

        game = self.view.group.game if self.view else None
        show_sources(self, game.campaign if game else None, at, game)

    def action_machine(self) -> None:
        from exsim.tui.panels import MachineScreen

        if self.view and not isinstance(self.screen, (MachineScreen, PausedScreen)):
            self.push_screen(MachineScreen(self.view.group.game))

    def action_new_game(self) -> None:
        self.notify("The facilitator runs the class.", timeout=4)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "download":
            return self.view is not None and self.view.state.stage == "revealed"
        return True

    def action_download(self) -> None:
        """Deliver the group's debrief (HTML) to the browser, or save it in a terminal."""
        g = self.view.group
        page, name = debrief_page(g), f"debrief-{g.session.id}.html"
        if self.is_web:
            self.deliver_text(io.StringIO(page), save_filename=name, mime_type="text/html")
            return
        try:
            path = save_page(name, page)
        except OSError as exc:
            self.notify(f"Not saved: {exc}", severity="error", markup=False)
        else:
            self.notify(f"Saved: {path}", title="Debrief", timeout=10, markup=False)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Only what a student may do: no new game, no other sessions."""
        yield SystemCommand("Help: how to play", "Open the help (F1)", self.action_help)
        yield SystemCommand("Theme", "Change the colours", self.action_change_theme)
        yield SystemCommand("Keys", "Show the keys", self.action_show_help_panel)


def debrief_screen(group: Group) -> Screen:
    from exsim.tui.classroom.debrief import ClassDebriefScreen  # loaded when revealed

    return ClassDebriefScreen(group)


def save_page(name: str, page: str) -> Path:
    """Write an HTML page in the documents folder (downloads, else the data folder's)."""
    path = paths.documents_dir() / name
    path.write_text(page, encoding="utf-8")
    return path


def debrief_page(group: Group) -> str:
    """The group's debrief as a printable HTML page, each student credited by name."""
    from exsim.report.render import document  # loaded when asked: less memory per student

    return document(group.debrief(), "html")
