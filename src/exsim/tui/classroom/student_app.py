"""The student's page: take a free role, then play it, following the class.

The same app runs in a terminal (`exsim join`) and in the browser (`exsim serve`), once the
seat was let into the class with its code and the student's name (the server's join form, or
`exsim join`'s questions). The seat token says who this browser is: the server keeps it in a
cookie and hands it to each new app process, so a reload or a lost connection comes back into
the same role.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from exsim import paths
from exsim.classroom import ClassError, Classroom, Follower, Group, SeatView, Student
from exsim.engine.game import GROUP, Entry, GameError
from exsim.tui import text
from exsim.tui.classroom.screens import (
    ClassBar,
    JoinAgainScreen,
    PausedScreen,
    RoleScreen,
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
from exsim.tui.signals import exit_on_termination
from exsim.tui.sitting import Sitting
from exsim.tui.widgets import refill

POLL_SECONDS = 0.1


@dataclass
class SharedSitting(Sitting):
    """The game's screens talk to a Sitting; this one sends moves through the Student."""

    student: Student | None = None
    refused: list[str] = field(default_factory=list)

    def recommend(self, role: str, picks: list[str]) -> None:
        assert self.student is not None  # the seat's screens are shown once a student joined
        try:
            self.student.recommend(list(picks), self.reasons.get(role, ""))
        except ClassError as exc:
            self.refused.append(str(exc))

    def decide(self, chosen: list[str], by: str | None) -> list[Entry]:
        assert self.student is not None
        try:
            return self.student.decide(list(chosen))
        except ClassError as exc:
            raise GameError(str(exc)) from None


class StudentApp(App[None]):
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
        self.done: set[str] = set()  # the pages the student has moved past (Student.read)
        self.seat_screen: SeatScreen | None = None
        self.told: int | None = None  # the facilitator's messages shown so far

    def on_mount(self) -> None:
        exit_on_termination(self)
        self.room.arrive(self.seat)
        self.set_interval(POLL_SECONDS, self.poll)
        self.set_interval(1, self.tick)
        self.student = self.room.student(self.seat) if self.seat else None
        if self.student is None:
            self.choose_role()
        else:
            self.enter(self.student)

    def on_unmount(self) -> None:
        self.room.leave(self.seat)

    def choose_role(self) -> None:
        """The role choice of the class this seat was let into; if its time is up, the way
        back in (the page's join form)."""
        admission = self.room.admission(self.seat)
        if admission is None:
            self.show(JoinAgainScreen())
            return
        self.show(RoleScreen(self.room, *admission))

    def on_role_screen_chosen(self, event: RoleScreen.Chosen) -> None:
        admission = self.room.admission(self.seat)
        if admission is None:
            self.show(JoinAgainScreen())
            return
        code, name = admission
        try:
            student = self.room.join(code, event.session_id, event.role, name, self.seat)
        except ClassError as exc:
            if isinstance(self.screen, RoleScreen):
                self.screen.refuse(str(exc))
            return
        self.enter(student)

    def enter(self, student: Student) -> None:
        self.student = student
        self.done = student.pages_read()
        self.told = None
        self.follower = Follower(self.room, student.code, student.session_id)
        self.follow()

    # -- following the class -------------------------------------------------------------------

    def poll(self) -> None:
        if self.student and self.follower and self.follower.changed():
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
        if self.student is None:
            return
        try:
            self.view = view = self.student.view()
        except ClassError as exc:
            moved = self.room.student(self.seat)
            if moved is not None and moved.code == self.student.code:
                self.key = ()
                self.enter(moved)  # the facilitator moved this student: the page follows
                v = self.view
                self.notify(
                    f"You now play {v.person} in {v.group.label}." if v else "",
                    title="Moved by the facilitator",
                    timeout=20,
                    markup=False,
                )
                return
            self.student = self.view = None
            self.key = ()
            self.notify(str(exc), title="Your role", severity="warning", timeout=15, markup=False)
            self.choose_role()
            return
        self.sub_title = f"{view.name} as {view.person}, {view.group.label}"
        self.tell_messages(view)
        key, make = self.choose(view)
        if key != self.key:
            self.tell_unsent(view)
            self.key = key
            self.show(make())
        paused = isinstance(self.screen, PausedScreen)
        if view.paused and not paused:
            self.push_screen(PausedScreen())
        elif paused and not view.paused:
            self.pop_screen()
        self.tick()

    def tell_messages(self, v: SeatView) -> None:
        """The facilitator's new messages (on a new page load, this round's)."""
        messages = v.group.messages
        if self.told is None:
            self.told = sum(1 for m in messages if m.round < v.state.round)
        for m in messages[self.told :]:
            self.notify(m.text, title="From the facilitator", timeout=60, markup=False)
        self.told = len(messages)

    def tell_unsent(self, v: SeatView) -> None:
        """Options ticked on the page being left but never sent (the facilitator moved the
        class on first) are lost: say so, and what they were."""
        kind = self.key[0] if self.key else ""
        picker = self.seat_screen.picker if self.seat_screen else None
        if kind not in ("recommend", "decide") or picker is None or not picker.selected:
            return
        if kind == "recommend":
            sitting = self.seat_screen.sitting if self.seat_screen else None
            refused = isinstance(sitting, SharedSitting) and bool(sitting.refused)
            sent = v.own is not None or refused  # or told why
        else:
            sent = bool(v.shown) and v.shown[0].by == v.role
        if sent:
            return
        ticked = text.option_label(v.group.campaign, picker.decision.id, picker.selected)
        what = "recommendation" if kind == "recommend" else "decision"
        self.notify(
            f"Your {what} ({ticked}) was not sent: the facilitator moved the class on before "
            "you sent it.",
            title="Not sent",
            severity="warning",
            timeout=20,
            markup=False,
        )

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
        if stage == "discussing" and decision is not None:
            phase = v.group.campaign.phase_of[decision.id].id
            if v.briefings and f"brief {phase}" not in self.done:
                return ("brief", phase), lambda: BriefingScreen.page(s, v.role, v.briefings)
            if f"meeting {rnd}" not in self.done:
                return ("meeting", rnd), lambda: MeetingScreen.page(s, decision)
            if v.asked and v.own is None:
                return ("recommend", rnd), lambda: RecommendScreen.page(s, v.role)
            verb = "decide" if who == "you" else "decides"
            sent = (
                f"Your recommendation: {text.option_label(v.group.campaign, decision.id, v.own)}."
                if v.own
                else "You are not asked to recommend on this item."
            )
            return ("wait", rnd, "sent", v.own, who), lambda: waiting_page(
                self.waiting(v, f"to open the decision ({who} {verb})", sent)
            )
        if v.deciding:
            return ("decide", rnd), lambda: DecideScreen.page(s, v.role)
        if not v.shown:
            return ("wait", rnd, "deciding", who), lambda: waiting_page(
                Text(f"{who} is deciding. The decision will appear here.")
            )
        seen = ("consequences", rnd, len(v.shown))
        if page_name(seen) not in self.done:
            return seen, lambda: self.consequences(s, v)
        return ("wait", *seen), lambda: waiting_page(
            self.waiting(v, "for the next cable or the next item", "You have read what followed.")
        )

    @staticmethod
    def consequences(s: SharedSitting, v: SeatView) -> Page:
        """What followed this round's decision; first, when the group's vote took it in
        place of its chair, that it did and why."""
        page = ConsequencesScreen.page(s, list(v.shown))
        taken = v.shown[0]
        chair = v.group.campaign.decider(v.group.campaign.decisions[taken.step])
        if taken.by != GROUP or v.group.session.rule != "chair" or chair is None:
            return page
        person = v.group.campaign.roles[chair].name
        why = (
            f"{v.group.claims[chair]} as {person} had not decided when the facilitator moved on"
            if chair in v.group.claims
            else f"nobody plays {person}, who chairs it"
        )
        note = Text(f"The group's vote took this decision: {why}.", style="bold")
        return dataclasses.replace(page, parts=((note, "notice"), *page.parts))

    def sitting(self, v: SeatView) -> SharedSitting:
        g = v.group
        pending = g.session.pending.get(g.decision.id, {}) if g.decision else {}
        players = {role: g.claims[role] for role in g.campaign.roles if role in g.claims}
        return SharedSitting(
            self.room.store,
            g.session.id,
            g.game,
            players,
            g.session.rule,
            g.session.group,
            recommendations=dict(pending),
            reasons={
                r: why for (d, r), why in g.reasons.items() if g.decision and d == g.decision.id
            },
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
        assert v is not None  # the bar is shown once the student has a view of the class
        line = Text.assemble((clock(v.state), "bold"))
        line.append(f"   {v.name} as {v.person}, {v.group.label}")
        return line

    # -- the game's screens call these ---------------------------------------------------------

    def advance(self) -> None:
        """A screen's main button: this student has moved past it."""
        kind = self.key[0] if self.key else ""
        if kind in ("brief", "meeting", "consequences"):
            assert self.student is not None  # pages are shown once a student joined
            self.done.add(page_name(self.key))
            self.student.read(page_name(self.key))
        elif (
            kind == "recommend"
            and self.seat_screen
            and isinstance(sitting := self.seat_screen.sitting, SharedSitting)
            and sitting.refused
        ):
            self.notify(
                sitting.refused[-1],
                title="Not sent",
                severity="error",
                markup=False,
            )
        self.seen()

    def after_decision(self, entries: list[Entry]) -> None:
        self.seen()

    def seen(self) -> None:
        """This student's own move is shown: follow the class from there."""
        if self.follower is not None:
            self.follower.seen()
        self.follow()

    def show(self, shown: Screen | Page) -> None:
        """Put *shown* in front. A page (to read, or with options to pick) is shown on the
        seat's one screen, in place of the last; the role choice and the debrief are screens of
        their own."""
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if isinstance(shown, (RoleScreen, JoinAgainScreen)):
            self.seat_screen = None
            self._base(shown)
            return
        page = shown if isinstance(shown, Page) else None
        assert self.view is not None  # a page or the debrief comes from the class's view
        sitting = self.sitting(self.view)
        if self.seat_screen is None:
            self.seat_screen = SeatScreen(sitting, page or waiting_page(""), self.bar_text())
            self._base(self.seat_screen)
        elif page:
            self.seat_screen.show(sitting, page)
        if not isinstance(shown, Page):
            self.push_screen(shown)
            self.call_after_refresh(self._add_bar, shown)

    def _base(self, screen: Screen) -> None:
        """The screen at the bottom of the stack: the role choice or the seat's screen."""
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
        assert self.view is not None  # check_action allows it only then
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


def page_name(key: tuple) -> str:
    """How a page moved past is kept: 'brief PHASE', 'meeting ROUND', 'consequences ROUND N'."""
    return " ".join(str(part) for part in key)


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


if TYPE_CHECKING:
    from exsim.tui.contract import GameHost

    _: type[GameHost] = StudentApp  # the type checker holds the app to the screens' contract
