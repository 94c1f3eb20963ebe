"""Screens of the class that the game does not have: joining, the seat's one screen, waiting,
paused, the class bar."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Button, Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from exsim.classroom import MAX_REASON, ClassError, Classroom, ClassState, Follower, Group
from exsim.tui import text
from exsim.tui.play_screens import GameScreen, Page
from exsim.tui.sitting import Sitting
from exsim.tui.widgets import Pane, StatusPanel, refill

LOOK_AGAIN_SECONDS = 0.5  # the join page refreshes its free roles


def clock(state: ClassState) -> str:
    """'Round 2 · discussing · 03:12 left · PAUSED' for the class bar and the console."""
    parts = [f"Class {state.code}"]
    if state.round:
        parts.append(f"round {state.round}")
    parts.append(state.stage)
    left = state.time_left()
    if left is not None:
        parts.append(
            "time is up" if left <= 0 else f"{int(left) // 60:02d}:{int(left) % 60:02d} left"
        )
    if state.paused:
        parts.append("PAUSED")
    return " · ".join(parts)


class ClassBar(Static):
    """The class's clock and stage, at the top of every screen of a student."""


class RoleScreen(Screen):
    """A student let into the class (the join form took the code and the name) takes a free
    role; the list follows the class as others join."""

    @dataclass
    class Chosen(Message):
        """The student picked a free role: (session id, role)."""

        session_id: str
        role: str

    def __init__(self, room: Classroom, code: str, name: str) -> None:
        super().__init__()
        self.room = room
        self.code = code
        self.student_name = name
        self.refused = ""  # why the last choice was refused: stays until the next choice
        self.follower: Follower | None = Follower(room, code)

    def compose(self) -> ComposeResult:
        with Pane(id="body"):
            yield Static(
                text.heading(
                    "Choose your role",
                    f"You join class {self.code} as {self.student_name}. "
                    "Arrows move; Enter takes a role.",
                )
            )
            yield Static("", id="problem")
            yield Static("", id="pick")
            yield OptionList(id="roles")
        yield Footer()

    def on_mount(self) -> None:
        self.look_again(force=True)
        self.query_one("#roles").focus()
        self.set_interval(LOOK_AGAIN_SECONDS, self.look_again)

    def refuse(self, message: str) -> None:
        """The last choice was refused: say why (it stays when the list is refreshed)."""
        self.refused = message
        self.look_again(force=True)

    def look_again(self, force: bool = False) -> None:
        """Refresh the list when someone joined or a role was freed (the refusal stays)."""
        if self.follower is None or not (self.follower.changed() or force):
            return
        try:
            self.list_roles(self.room.free_roles(self.code))
        except ClassError as exc:  # the class is over
            self.follower = None
            self.no_roles(str(exc))

    def list_roles(self, free: list[tuple[Group, str]]) -> None:
        """Show *free* roles, the same role still highlighted, the last refusal above."""
        roles = self.query_one("#roles", OptionList)
        was = roles.highlighted_option.id if roles.highlighted_option else None
        roles.clear_options()
        if not free:
            taken = f"Every role in class {self.code} is taken: ask your facilitator."
            self.no_roles(self.refused or taken)
            return
        self.problem(self.refused)
        self.query_one("#pick", Static).update(Text("Take a free role:", style="bold"))
        ids = [f"{group.session.id}:{role}" for group, role in free]
        roles.add_options(
            Option(
                Text(
                    f"{group.label}: {group.campaign.roles[role].name}, "
                    f"{group.campaign.roles[role].office}"
                ),
                id=key,
            )
            for (group, role), key in zip(free, ids, strict=True)
        )
        roles.display = True
        roles.highlighted = ids.index(was) if was in ids else 0

    @on(OptionList.OptionSelected, "#roles")
    def _role_chosen(self, event: OptionList.OptionSelected) -> None:
        sid, role = str(event.option.id).split(":")
        self.post_message(self.Chosen(sid, role))

    def problem(self, message: str) -> None:
        self.query_one("#problem", Static).update(Text(message, style="bold"))

    def no_roles(self, message: str) -> None:
        """No list to choose from: *message* says why."""
        self.query_one("#roles", OptionList).display = False
        self.query_one("#pick", Static).update("")
        self.problem(message)


class JoinAgainScreen(Screen):
    """This seat has no role and its time to choose one is up (or it was never let into a
    class): the way back in is the page's join form."""

    def compose(self) -> ComposeResult:
        with Pane(id="body"):
            yield Static(
                text.heading(
                    "Join your class again",
                    "This page's time to choose a role is up: reload the page and join again "
                    "with the class code.",
                )
            )
        yield Footer()


def waiting_page(message: Text | str) -> Page:
    """Nothing to do for this student now: what they are waiting for. A plain paragraph under
    a heading, as the page that follows begins, so the seat updates it in place."""
    paragraph = text.paragraphs([text.heading("Waiting"), message])
    return Page("waiting", ((paragraph, ""),), "Check again")


class Part(Static):
    """One paragraph of the seat's page. Not scrollable, so its virtual size is its size: when
    new text changes that, the layout being done already places it, and the second layout
    and repaint Textual would start for the new virtual size are skipped (one layout per
    update, as for a bare app's Static)."""

    virtual_size = Reactive(Size(0, 0), layout=False, repaint=False)


class SeatScreen(GameScreen):
    """A student's one screen while following the class: the page to read now, with its
    options when the page asks for a recommendation or the decision.

    A new page is shown by updating this screen's widgets in place (the status, each
    paragraph's Static, the options, the button's label), changing only what differs, so
    Textual lays out and repaints only that: no screen, footer or styles are built per change,
    and a decision reaches every screen of a class quickly (bench/bench_serve.py).
    """

    def __init__(self, sitting: Sitting, page: Page, bar: Text) -> None:
        super().__init__(sitting)
        self.page = page
        self.bar = ClassBar(bar)
        self.above.append(self.bar)
        self.problem = Static("", id="problem")
        self.reason = Input(
            placeholder="Why? One line for the chair (optional; Tab to here)",
            id="reason",
            max_length=MAX_REASON,
            compact=True,
        )
        self.reason.display = False  # shown for a recommendation only
        # the options, the reason and what is wrong with the pick, shown or hidden together:
        # one layout
        self.choice = Vertical(self.reason, self.problem, id="choice")
        self.parts: list[Part] = []  # top to bottom, shown or hidden

    def body(self) -> ComposeResult:
        yield self.choice

    def show(self, sitting: Sitting, page: Page) -> None:
        """Show *page*, and the status of *sitting*'s game."""
        self.sitting, self.page = sitting, page
        if self.is_mounted:
            self._fill()

    def on_mount(self) -> None:
        self.status = self.query_one(StatusPanel)
        self.pane = self.query_one("#body")
        self.button = self.query_one("#continue", Button)
        self._fill()
        super().on_mount()

    def choosing(self) -> bool:
        return self.page.choice is not None

    def finish(self) -> None:
        choice = self.page.choice
        if choice is None:
            super().finish()
            return
        if not choice.deciding and choice.role:
            self.sitting.reasons[choice.role] = self.reason.value
        self.send(choice)

    @on(Input.Submitted, "#reason")
    def _reason_entered(self) -> None:
        self.finish()

    def _fill(self) -> None:
        self.status.show(self.sitting.game)
        shown: set[Part] = set()
        fresh: list[Part] = []
        after: Widget = self.bar  # where a new part goes: after the last one shown
        at = 0
        for content, classes in self.page.parts:
            # the next part with the same classes is reused (restyling one costs more than
            # anything else here); the parts skipped are hidden, kept for another page
            wanted = set(classes.split())
            part = next((p for p in self.parts[at:] if p.classes == wanted), None)
            if part is None:
                part = Part(content, classes=classes)
                fresh.append(part)
            else:
                self._mount(fresh, after)
                at = self.parts.index(part) + 1
                after = part
                if content != part.content:
                    refill(part, content)
            shown.add(part)
        self._mount(fresh, after)
        for part in self.parts:
            part.display = part in shown
        self._options()
        if str(self.button.label) != self.page.button:
            self.button.label = self.page.button  # its width is fixed: no layout
        if self.pane.scroll_y:
            self.pane.scroll_home(animate=False)

    def _mount(self, fresh: list[Part], after: Widget) -> None:
        """Mount the *fresh* parts after *after*, and empty the list."""
        if fresh:
            self.pane.mount_all(fresh, after=after)
            at = self.parts.index(after) + 1 if after in self.parts else 0
            self.parts[at:at] = fresh
            fresh.clear()

    def _options(self) -> None:
        """The page's options under its text: a new set for each page that has them; the
        last set is hidden with the choice, not removed, when a page without options follows
        (one layout for the change, as for the text)."""
        if self.problem.content:
            self.problem.update("")
        self.choice.display = self.page.choice is not None
        recommending = self.page.choice is not None and not self.page.choice.deciding
        if self.reason.display != recommending:
            self.reason.display = recommending
        if self.reason.value and self.page.choice:
            self.reason.value = ""
        old = self.picker
        if old and self.focused and old in self.focused.ancestors:
            # to the button, which takes Enter while the arrow keys still scroll the text:
            # Textual would move it to the text, and restyle every paragraph for that
            self.set_focus(self.button, scroll_visible=False)
        if self.page.choice:
            if old:
                old.remove()
            self.picker = self.page.picker(self.sitting)
            self.choice.mount(self.picker, before=self.reason)


class PausedScreen(ModalScreen):
    """Over everything while the facilitator has paused the class: nothing can be sent."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="panel"):
            yield Static(
                text.heading("Paused by the facilitator", "Listen to the room; nothing is lost.")
            )
            yield Static("The game goes on when the facilitator resumes it.")
