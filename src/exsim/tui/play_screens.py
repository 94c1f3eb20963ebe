"""The screens of a meeting: pass the keyboard, briefing, agenda item, choice, consequences."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.reactive import Reactive
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, RadioSet, Static

from exsim.engine.campaign import Campaign
from exsim.engine.game import Entry, Game, GameError
from exsim.engine.vote import TIE_RULE, Verdict
from exsim.report.debrief import DISCUSSION_ITEM
from exsim.scenario.model import Briefing, Decision
from exsim.tui import text
from exsim.tui.contract import game_host, local_host
from exsim.tui.sitting import Sitting
from exsim.tui.sources_screen import SOURCES
from exsim.tui.widgets import OptionPicker, Pane, StatusPanel, SteadyFooter


@dataclass(frozen=True)
class Choice:
    """The options to pick under a page: *role*'s private recommendation, or the decision
    (by *role*, or by the players' vote when it is None)."""

    deciding: bool
    role: str | None
    only: tuple[str, ...] = ()  # the options offered (all when empty)
    preselect: tuple[str, ...] = ()


@dataclass(frozen=True)
class Page:
    """A page to read, built without a screen: its paragraphs top to bottom (each shown in one
    Static: its text and classes), the options to pick if any, and the label of its button. A
    game screen composes it; a class seat shows it in place of the last page, updating its
    widgets (see SeatScreen)."""

    kind: str  # "briefing", "meeting", "recommend", "decide", "consequences", "waiting"
    parts: tuple[tuple[Text, str], ...]
    button: str = "Continue"
    choice: Choice | None = None

    def statics(self) -> Iterator[Static]:
        for content, classes in self.parts:
            yield Static(content, classes=classes)

    def picker(self, sitting: Sitting) -> OptionPicker:
        """The options of the open decision, for this page's choice."""
        c = self.choice
        assert c is not None, "a page without options has no picker"
        return OptionPicker(sitting.game, sitting.decision, c.only, c.preselect)


class GameScreen(Screen):
    """A screen of the game: status panel on top, content, a Continue button, the footer."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "m",
            "app.machine",
            "Machine",
            id="machine",
            tooltip="Show the policy state machine with the current state marked",
        ),
        Binding("n", "next", "Next", id="next", tooltip="The same as the button at the bottom"),
        SOURCES,
        Binding(
            "enter",
            "next",
            "Next",
            id="next-enter",
            show=False,
            tooltip="The same as the button at the bottom (a focused option or button takes "
            "Enter itself)",
        ),
        Binding(
            "escape",
            "agenda",
            "Agenda",
            id="agenda",
            tooltip="Back to the agenda item: the options explained, what they argued",
        ),
    ]
    CONTINUE = "Continue"
    # Textual's Screen repaints all of itself when the focus moves; the widgets that gain and
    # lose it repaint themselves, so this one does not (a seat's chair, on every decision)
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    def __init__(self, sitting: Sitting) -> None:
        super().__init__()
        self.sitting = sitting
        self.above: list[Widget] = []  # shown above the body from the start (a class's bar)
        self.picker: OptionPicker | None = None  # the options to pick, on a page that has them

    def compose(self) -> ComposeResult:
        yield StatusPanel(self.sitting.game)
        with Pane(id="body"):
            yield from self.above
            yield from self.body()
            with Horizontal(classes="buttons"):
                yield Button(Text(self.CONTINUE), id="continue", variant="primary", compact=True)
        yield SteadyFooter()

    def body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.focus_first()

    def choosing(self) -> bool:
        """True while the page asks to pick options (its agenda item is one key away)."""
        return self.picker is not None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.choosing() if action == "agenda" else True

    def action_agenda(self) -> None:
        """The agenda item of the decision being made, over this screen; Escape comes back."""
        self.app.push_screen(AgendaScreen(self.sitting))

    @on(OptionPicker.Confirmed)
    def _confirmed(self) -> None:
        self.action_next()

    @on(OptionPicker.Refused)
    def _refused(self, event: OptionPicker.Refused) -> None:
        if self.picker is not None:
            label = next(o.label for o in self.picker.statuses if o.id == event.option)
            reason = self.picker.refusal(event.option)
            self.query_one("#problem", Static).update(
                Text(f"“{label}” cannot be taken: ").append_text(reason)
            )

    def focus_first(self) -> None:
        """Focus the text, so arrow keys and Page Up/Down scroll it (options to pick take the
        focus themselves)."""
        if self.picker is None:
            self.query_one("#body").focus()

    @on(Button.Pressed, "#continue")
    def action_next(self) -> None:
        """Go on, once: a key pressed again while the next screen is coming (Enter, Enter on
        a slow machine) finds this one no longer in front and does nothing."""
        if self.app.screen is self:
            self.finish()

    @on(RadioSet.Changed)
    @on(Checkbox.Changed)
    def _picked(self) -> None:
        """An option ticked: what was wrong with the pick before no longer is."""
        problem = self.query("#problem")
        if problem:
            problem.first(Static).update("")

    def finish(self) -> None:
        """Move the game on; screens override this to record what was chosen first."""
        game_host(self).advance()

    def send(self, choice: Choice) -> None:
        """The options ticked under *choice*, sent: as a recommendation or as the decision."""
        picks = self.picker.selected if self.picker else []
        problem = self.query_one("#problem", Static)
        if not picks:
            problem.update("Choose an option first.")
        elif not choice.deciding:
            assert choice.role is not None  # a recommendation is always a role's
            try:
                self.sitting.game.check_options(self.sitting.decision, picks)
            except GameError as exc:
                problem.update(Text(f"Cannot recommend that: {exc}"))
                return
            self.sitting.recommend(choice.role, picks)
            game_host(self).advance()
        else:
            try:
                entries = self.sitting.decide(picks, choice.role)
            except GameError as exc:
                problem.update(Text(f"Cannot decide that: {exc}"))
                return
            game_host(self).after_decision(entries)


class PassScreen(GameScreen):
    """Hand the keyboard to one player before a private screen; shows nothing private."""

    def __init__(self, sitting: Sitting, role: str, purpose: str) -> None:
        super().__init__(sitting)
        self.role = role
        self.purpose = purpose
        self.CONTINUE = f"I am {sitting.players[role]}: show me"

    def body(self) -> ComposeResult:
        who = self.sitting.seat(self.role)
        yield Static(
            Text.assemble(
                ("Pass the keyboard to ", "bold"),
                (who, "bold reverse"),
                f"\n\nNext: {self.purpose}. This is private: everyone else, please look away.",
            ),
            id="pass",
        )

    def finish(self) -> None:
        local_host(self).reveal()


class BriefingScreen(GameScreen):
    """A role's private briefing for the phase about to start."""

    CONTINUE = "I have read it"

    def __init__(self, sitting: Sitting, role: str, briefings: tuple[Briefing, ...]) -> None:
        super().__init__(sitting)
        self.role = role
        self.briefings = briefings

    def body(self) -> ComposeResult:
        yield from self.page(self.sitting, self.role, self.briefings).statics()

    @classmethod
    def page(cls, sitting: Sitting, role: str, briefings: tuple[Briefing, ...]) -> Page:
        campaign = sitting.campaign
        who = campaign.roles[role]
        title = f"Private briefing: {who.name}, {who.office}"
        content = text.paragraphs(
            [
                text.heading(title, sitting.phase.title),
                *(Text(b.text).append_text(text.cites(campaign, b.cite)) for b in briefings),
            ]
        )
        return Page("briefing", ((content, ""),), cls.CONTINUE)

    def finish(self) -> None:
        self.sitting.read_briefing(self.role)
        game_host(self).advance()


NO_CHAIR = "none named: the documents at hand name no one presiding at this meeting"
CHAIR_RULE_UNMET = ", so even with the chair deciding, the group votes on its items here"


class MeetingScreen(GameScreen):
    """One agenda item: the situation, its sources, the advisors' recorded arguments, options."""

    CONTINUE = "To the recommendations"

    def __init__(self, sitting: Sitting, decision: Decision) -> None:
        super().__init__(sitting)
        self.decision = decision

    def body(self) -> ComposeResult:
        yield from self.page(self.sitting, self.decision).statics()

    @classmethod
    def page(cls, sitting: Sitting, decision: Decision) -> Page:
        content = text.paragraphs(cls.sections(sitting, decision))
        return Page("meeting", ((content, ""),), cls.CONTINUE)

    @staticmethod
    def sections(s: Sitting, d: Decision) -> Iterator[Text | str]:
        """The agenda item's parts, top to bottom, shown in one widget."""
        campaign, phase = s.campaign, s.phase
        for before, passages in s.opening_phases():
            yield text.heading(before.title, text.long_date(before.date))
            for p in passages:
                yield text.passage(campaign, p)
        when = f"{text.long_date(phase.date)}{', ' + phase.time if phase.time else ''}"
        where = f", {phase.place}" if phase.place else ""
        chair = campaign.roles[phase.chair].name if phase.chair else NO_CHAIR
        if not phase.chair and s.rule == "chair":
            chair += CHAIR_RULE_UNMET
        present = ", ".join(campaign.roles[r].name for r in phase.present) or "—"
        absent = ", ".join(campaign.roles[r].name for r in phase.absent)
        yield text.heading(phase.title, f"{when}{where}").append(
            f"\nIn the chair: {chair}. At the table in this game: {present}."
            + (f" Absent: {absent}." if absent else ""),
            style="dim",
        )
        if phase.constructed:
            yield Text(text.CONSTRUCTED, style="bold")
        situation = s.situation()
        if situation:
            yield text.heading("The situation")
            for p in situation:
                yield text.passage(campaign, p)
        yield text.heading(f"On the agenda: {d.title}")
        yield Text(d.question, style="bold")
        if d.discussion_item:
            yield Text(DISCUSSION_ITEM, style="italic")
        context = s.shared_context(d)
        if context:
            yield text.heading("From the sources")
            for p in context:
                yield text.passage(campaign, p)
        positions = s.positions(d)
        if positions:
            yield text.heading("What they argue (the members no player takes)")
            for a in positions:
                yield text.position(campaign, a, phase.date)
        if d.record is not None and len(positions) < len(d.record.advocates):
            yield Text(
                "Positions of the roles played here are shown to their players in private, "
                "and the decider's recorded one waits for the debrief (so do the passages "
                "of the sources that quote them).",
                style="dim",
            )
        elif not positions:
            yield Text("No one's position on this item is given.", style="dim")
        silent = s.silent(d)
        if silent:
            names = ", ".join(campaign.roles[r].name for r in silent)
            yield Text(
                f"No case from {names}: the sources record no view of theirs by this date.",
                style="dim",
            )
        yield text.heading("The options")
        for o in s.game.options(d):
            mark = "•" if o.allowed else "✗"
            line = Text(f"{mark} {o.label}")
            option = next(x for x in d.options if x.id == o.id)
            if option.description:
                line.append(f": {option.description}", style="dim")
            if o.refusal is not None:
                refused = text.refusal(campaign, o.refusal)
                refused.stylize("dim")
                line.append("\n  ").append_text(refused)
            yield line
        yield Text(MeetingScreen._how_decided(s, d), style="dim")

    @staticmethod
    def _how_decided(s: Sitting, d: Decision) -> str:
        asked = ", ".join(s.seat(r) for r in s.human_recommenders(d))
        decider = s.deciding_role(d)
        if decider:
            then = f"{s.seat(decider)} decides."
        elif asked:
            then = (
                "The players' recommendations are counted as votes, and the vote decides "
                f"({TIE_RULE})."
            )
        else:
            then = "No player attends: the players decide together."
        return f"Recommendations (in private) from {asked}. {then}" if asked else then

    def finish(self) -> None:
        self.sitting.open_meeting()
        game_host(self).advance()


class ChoiceScreen(GameScreen):
    """Pick options for the open decision: a private recommendation, or the decision itself."""

    def __init__(self, sitting: Sitting, page: Page) -> None:
        super().__init__(sitting)
        self.shown = page
        self.CONTINUE = page.button

    def body(self) -> ComposeResult:
        yield from self.shown.statics()
        self.picker = self.shown.picker(self.sitting)
        yield self.picker
        yield Static("", id="problem")

    def finish(self) -> None:
        assert self.shown.choice is not None  # built with one by each subclass
        self.send(self.shown.choice)

    @staticmethod
    def parts(s: Sitting, title: str, notes: list[Text]) -> tuple[tuple[Text, str], ...]:
        d = s.decision
        heading = [text.heading(title, d.title), Text(d.question, style="bold")]
        return ((text.paragraphs(heading + notes), ""),)


class RecommendScreen(ChoiceScreen):
    """A player's private recommendation."""

    def __init__(self, sitting: Sitting, role: str) -> None:
        super().__init__(sitting, self.page(sitting, role))

    @classmethod
    def page(cls, sitting: Sitting, role: str) -> Page:
        campaign = sitting.campaign
        person = campaign.roles[role].name
        own = sitting.own_positions(sitting.decision, role)
        notes = [Text(f"For you alone: what {person} argues on this item", style="bold")]
        notes += [text.position(campaign, a, sitting.phase.date) for a in own]
        parts = cls.parts(sitting, f"Your recommendation as {person}", notes if own else [])
        return Page("recommend", parts, "Submit my recommendation", Choice(False, role))


class DecideScreen(ChoiceScreen):
    """The decision: by the player in the chair, or, when no player attends the item, by the
    players together. (A vote needs no screen of its own: its result is the decision.)"""

    def __init__(self, sitting: Sitting, role: str | None) -> None:
        super().__init__(sitting, self.page(sitting, role))

    @classmethod
    def page(cls, sitting: Sitting, role: str | None) -> Page:
        campaign = sitting.campaign
        d = sitting.decision
        notes = []
        for r, picks in sitting.recommendations.items():
            note = Text(f"{sitting.seat(r)} recommends: {text.option_label(campaign, d.id, picks)}")
            if sitting.reasons.get(r):
                note.append(f"\n  Reason: {sitting.reasons[r]}", style="italic")
            notes.append(note)
        if role:
            title = f"Decision by {sitting.seat(role)}"
        else:
            title = "Decision by the players together"
            notes.append(Text("No player attends this item: decide together for the group."))
        return Page("decide", cls.parts(sitting, title, notes), "Decide", Choice(True, role))


class AgendaScreen(ModalScreen):
    """The agenda item again, over a recommendation or decision: the options explained and
    what they argued. Escape goes back to the choice."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="back", tooltip="Back to your choice"),
        SOURCES,
    ]

    def __init__(self, sitting: Sitting) -> None:
        super().__init__()
        self.sitting = sitting

    @property
    def game(self) -> Game:
        return self.sitting.game

    def compose(self) -> ComposeResult:
        content = text.paragraphs(MeetingScreen.sections(self.sitting, self.sitting.decision))
        with VerticalScroll(id="panel"):
            yield Static(content)
            with Horizontal(classes="buttons"):
                yield Button(Text("Back to my choice"), id="back", variant="primary", compact=True)
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.query_one("#panel").focus()

    @on(Button.Pressed, "#back")
    def _back(self) -> None:
        self.app.pop_screen()


class ConsequencesScreen(GameScreen):
    """What happened next: the decision taken, then counterparts' answers as dated cables."""

    def __init__(self, sitting: Sitting, entries: list[Entry]) -> None:
        super().__init__(sitting)
        self.entries = entries

    def body(self) -> ComposeResult:
        yield from self.page(self.sitting, self.entries).statics()

    @classmethod
    def page(cls, sitting: Sitting, entries: list[Entry]) -> Page:
        parts: list[tuple[Text, str]] = []
        for content, classes in cls._parts(sitting, entries):
            if parts and not classes and not parts[-1][1]:  # plain text runs on in one Static
                parts[-1] = (text.paragraphs([parts[-1][0], content]), "")
            else:
                parts.append((content, classes))
        return Page("consequences", tuple(parts), cls.CONTINUE)

    @staticmethod
    def _parts(sitting: Sitting, entries: list[Entry]) -> Iterator[tuple[Text, str]]:
        campaign = sitting.campaign
        yield text.heading("What followed"), ""
        if sitting.last_vote is not None and entries and entries[0].kind == "decision":
            yield vote_text(campaign, entries[0].step, sitting.last_vote), ""
        order = campaign.scenario.phases
        passed = sitting.passed_phases(entries)
        for entry in [*entries, None]:
            before = len(order) if entry is None else order.index(campaign.phase_of[entry.step])
            while passed and order.index(passed[0][0]) <= before:
                phase, passages = passed.pop(0)
                day = text.long_date(phase.date)
                yield (
                    text.paragraphs(
                        [text.heading(phase.title, day)]
                        + ([Text(text.CONSTRUCTED, style="bold")] if phase.constructed else [])
                        + [text.passage(campaign, p) for p in passages]
                    ),
                    "",
                )
            if entry is None:
                break
            if entry.kind == "decision":
                decided = Text(
                    f"Decided: {campaign.decisions[entry.step].title}: "
                    f"{text.option_label(campaign, entry.step, entry.chosen)}",
                    style="bold",
                )
                for ch in text.moved(entry):
                    decided.append(
                        f"\n  → {text.change_text(campaign, ch.dimension, ch.source, ch.dest)}"
                    )
                yield decided, ""
            else:
                yield text.cable(campaign, entry), "cable"


def vote_text(campaign: Campaign, decision_id: str, verdict: Verdict) -> Text:
    """'The players' vote: A 2, B 0. The vote decides: A.' with the tie rule when it chose."""
    counts = verdict.vote.tally.items()
    tally = ", ".join(f"{text.option_label(campaign, decision_id, [o])} {n}" for o, n in counts)
    out = Text(f"The players' vote: {tally}. ", style="bold")
    chosen = text.option_label(campaign, decision_id, verdict.chosen)
    if verdict.by_tie_rule:
        out.append(f"No single winner: by the rule for a tie, {TIE_RULE}: {chosen}.")
    else:
        out.append(f"The vote decides: {chosen}.")
    return out
