"""Widgets shared by the screens: the status panel, the option picker, the policy machine."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Checkbox, Footer, RadioButton, RadioSet, Static

from exsim.tui import text

if TYPE_CHECKING:
    from textual.screen import Screen

    from exsim.engine.game import Game, OptionStatus
    from exsim.scenario.model import Decision


class Radio(RadioButton):
    """A radio button whose mark shows the choice in shape (● / ○), not only in colour."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "●" if self.value else "○"
        return super()._button


class Choices(RadioSet):
    """Textual's RadioSet, not restyled (with every button in it) for losing the keys while
    hidden: a seat hides the options of a decision taken and gives the keys to its button, and
    that restyle was about a quarter of a chair's CPU for the decision. Restyled if shown again."""

    def __init__(self, *buttons: RadioButton, **kw) -> None:
        super().__init__(*buttons, **kw)
        self._restyle_on_show = False

    def watch_has_focus(self, has_focus: bool) -> None:
        if all(node.display for node in self.ancestors_with_self):
            super().watch_has_focus(has_focus)
        else:
            self._restyle_on_show = True

    def on_show(self) -> None:
        if self._restyle_on_show:
            self._restyle_on_show = False
            self.update_node_styles()


class Tick(Checkbox):
    """A checkbox whose mark shows the choice in shape (X / blank), not only in colour."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "X" if self.value else " "
        return super()._button


class SteadyFooter(Footer):
    """Textual's Footer, rebuilt only when the keys it shows change. Textual's rebuilds all
    its keys whenever they might have (each focus change, each screen shown): for a class's
    chair that was most of the CPU of showing the decision (bench/bench_serve.py)."""

    def __init__(self) -> None:
        super().__init__()
        self._keys: tuple | None = None

    def bindings_changed(self, screen: Screen) -> None:
        keys = tuple(
            (b.key, b.action, b.description, enabled, tooltip)
            for _, b, enabled, tooltip in screen.active_bindings.values()
            if b.show
        )
        if keys == self._keys:
            return
        if screen.app.app_focus and screen is self.screen:
            self._keys = keys
        super().bindings_changed(screen)


def refill(widget: Static, content: Text) -> None:
    """Show *content* in *widget*, laying the screen out again only if the new content's
    height at the widget's width differs (Textual lays out on every update otherwise). The
    width follows the screen, not the text."""
    width, height = widget.content_size
    widget.update(content, layout=False)
    if not width or widget.visual.get_height(widget.styles, width) != height:
        widget.refresh(layout=True)


class StatusPanel(Static):
    """Always in view, in as few lines as possible (at most 4 at 80 columns): the day, each
    part of the policy, and how many pressure measures were taken. The meeting's title is the
    screen's own heading.

    A dimension whose every change is a pressure measure (an OAS meeting, say), or marked
    `status: moved`, shows only once it has moved, and one marked `status: never` not at all;
    the policy machine (M) shows every dimension and names every measure.
    """

    def __init__(self, game: Game) -> None:
        super().__init__(self.describe(game), id="status")

    @staticmethod
    def describe(game: Game) -> Text:
        parts = [Text(f"{game.date:%a} {game.date.day} {game.date:%b %Y}", style="bold")]
        current = game.state  # built on each read
        for dim in game.campaign.scenario.machine.dimensions:
            now = current[dim.id]
            quiet = dim.status == "moved" or all(
                s.pressure for s in dim.states if s.id != dim.initial
            )
            if dim.status == "never" or (now == dim.initial and quiet):
                continue
            state = next(s for s in dim.states if s.id == now)
            parts.append(Text(f"{dim.short or dim.label}: {state.short or state.label}"))
        parts.append(Text(f"Pressure taken: {len(game.pressure) or 'none'}"))
        return Text(" │ ").join(parts)


class OptionPicker(Vertical):
    """A decision's options: refused ones are shown, disabled, with the reason and citation.

    The arrow keys move between the boxes of a many-option decision, as they do in the radio
    set of a one-option decision.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "down",
            "move(1)",
            "Next option",
            show=False,
            id="picker.next",
            tooltip="Move to the next option",
        ),
        Binding(
            "up",
            "move(-1)",
            "Previous option",
            show=False,
            id="picker.previous",
            tooltip="Move to the previous option",
        ),
    ]

    def __init__(
        self,
        game: Game,
        decision: Decision,
        only: tuple[str, ...] = (),
        preselect: tuple[str, ...] = (),
        **kw,
    ) -> None:
        super().__init__(**kw)
        self.game = game
        self.decision = decision
        self.statuses = [o for o in game.options(decision) if not only or o.id in only]
        self.preselect = preselect

    def compose(self) -> ComposeResult:
        many = self.decision.select == "many"
        buttons = [self._button(o, many) for o in self.statuses]
        if many:
            yield Static("Choose one or more (arrow keys, then Space ticks a box):", classes="hint")
            yield from buttons
        else:
            yield Static("Choose one (arrow keys, then Space or Enter):", classes="hint")
            yield Choices(*buttons, id="choices", compact=True)
        for o in self.statuses:
            if not o.allowed:
                refused = text.refusal(self.game.campaign, o.refusal)
                yield Static(Text(f"✗ {o.label}: ").append_text(refused), classes="refusal")

    def _button(self, o: OptionStatus, many: bool) -> Tick | Radio:
        label = o.label if o.allowed else f"{o.label} (not allowed, see below)"
        kind = Tick if many else Radio
        button = kind(Content(label), id=f"opt-{o.id}", disabled=not o.allowed, compact=True)
        button.tooltip = Content(label)
        return button

    def action_move(self, step: int) -> None:
        """Focus the next (or previous) option that can be taken, wrapping round."""
        ticks = [t for t in self.query(Tick) if not t.disabled]
        if not ticks:
            return
        now = ticks.index(self.screen.focused) if self.screen.focused in ticks else -step
        ticks[(now + step) % len(ticks)].focus()

    def on_mount(self) -> None:
        """Tick the options given, and take the keys: the options are what a page that has
        them asks for."""
        self.select(self.preselect)
        self.query("RadioSet, Checkbox").first().focus(scroll_visible=False)

    def select(self, picks: tuple[str, ...]) -> None:
        for pick in picks:
            self.query_one(f"#opt-{pick}").value = True

    @property
    def selected(self) -> list[str]:
        return [o.id for o in self.statuses if self.query_one(f"#opt-{o.id}").value]


def machine_text(game: Game) -> Text:
    """The pressure measures taken, then each policy dimension's states and moves, the
    current state marked ► … (now), and the move the group's adopted policy calls for next.

    A move a rule restricts names the rule by number; the rules follow the dimension's states.
    During play nothing is shown that was not known by the game's date (a dimension, state,
    move or rule whose citations are later); the whole machine is shown once the game is over.
    """
    campaign = game.campaign
    machine = campaign.scenario.machine
    guards = {g.id: g for g in machine.guards}
    current = game.state  # built on each read
    day = None if game.finished else game.date

    def known(cites: list[str]) -> bool:
        return day is None or campaign.known_by(cites, day)

    out = Text(f"Pressure measures taken: {', '.join(game.pressure) or 'none'}\n\n", style="bold")
    next_moves = game.next_moves()
    for dim in machine.dimensions:
        if not known(dim.cite) and current[dim.id] == dim.initial:
            continue
        states = [st for st in dim.states if known(st.cite) or current[dim.id] == st.id]
        labels = {st.id: st.label for st in states}
        moves = [
            t
            for t in machine.triggers
            if t.dimension == dim.id and t.dest in labels and known(t.cite)
        ]
        rules = [
            g for g in dict.fromkeys(g for t in moves for g in t.guards) if known(guards[g].cite)
        ]
        out.append(f"{dim.label}\n", style="bold underline")
        for state in states:
            now = current[dim.id] == state.id
            out.append(" ► " if now else "   ", style="bold")
            out.append(state.label, style="bold reverse" if now else "")
            if now:
                out.append("  (now)", style="bold")
            if state.pressure:
                out.append(f"  · pressure measure: {state.pressure}", style="dim")
            out.append("\n")
            leaving = [t for t in moves if state.id in t.source]
            for i, t in enumerate(leaving):
                out.append(f"     {'└─' if i == len(leaving) - 1 else '├─'} {t.label} ─▶ ")
                out.append(labels[t.dest])
                numbers = ", ".join(str(rules.index(g) + 1) for g in t.guards if g in rules)
                if numbers:
                    out.append(f"  (rule {numbers})", style="dim")
                if now and t.dest == state.id:
                    out.append("  (no change from here)", style="dim")
                elif now:
                    refused = game.policy.check([t.id])
                    out.append("  ✓ possible now" if refused is None else "  ✗ not now")
                out.append("\n")
        for n, g in enumerate(rules, 1):
            guard = guards[g]
            out.append(f"   Rule {n}: {guard.reason}", style="dim")
            out.append_text(text.cites(campaign, guard.cite)).append("\n")
        for move in next_moves:
            trigger = campaign.triggers[move.move]
            if trigger.dimension == dim.id:
                out.append(f" ◆ The policy's next move: {trigger.label}", style="bold")
                out.append(f"\n   {move.reason}")
                out.append_text(text.cites(campaign, move.cite)).append("\n")
        out.append("\n")
    if day is not None:
        out.append(
            f"Only what was known by {text.long_date(day)} is shown; the whole machine opens "
            "after the game.",
            style="dim",
        )
    return out
