"""Widgets shared by the screens: the status panel, the option picker, the policy machine."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, ClassVar, NamedTuple

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Checkbox, Footer, RadioButton, RadioSet, Static
from textual.widgets._toggle_button import ToggleButton

from exsim.tui import text

if TYPE_CHECKING:
    from textual.screen import Screen
    from typing_extensions import Self

    from exsim.engine.game import Game, OptionStatus
    from exsim.scenario.model import Decision


# the keys of the options, the same for one option and many (the help's table shows these)
NEXT = "the next option, ✗ ones included; it stops at the last"
PREVIOUS = "the previous option, ✗ ones included; it stops at the first"
TICK = "tick or untick the option under the cursor"
CHOOSE = "tick the option under the cursor; on a ticked one, send the choice"


class Refusable(ToggleButton):
    """An option the policy may refuse: a refused one stays enabled where it is, so the arrow
    keys stop on it as on any other (a student counting key presses lands where they counted),
    but ticking it only says why it cannot be taken."""

    refused = False

    def toggle(self) -> Self:
        """The one way a key or a click ticks the option."""
        if self.refused:
            self.post_message(OptionPicker.Refused((self.id or "").removeprefix("opt-")))
            return self
        return super().toggle()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As many lines as the label takes at *width*, broken between words (never cut)."""
        return self.render().get_height(self.styles, width)  # type: ignore[arg-type]


class Radio(RadioButton, Refusable):
    """A radio button whose mark shows the choice in shape (● / ○), not only in colour."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "●" if self.value else "○"
        return super()._button


class Choices(RadioSet):
    """Textual's RadioSet, with exsim's keys: Up and Down move one option at a time, stopping
    on a refused option and at either end (no wrapping round); Space ticks the option under the
    cursor; Enter ticks it too, and on an option already ticked sends the choice.

    Not restyled (with every button in it) for losing the keys while hidden: a seat hides the
    options of a decision taken and gives the keys to its button, and that restyle was about a
    quarter of a chair's CPU for the decision. Restyled if shown again."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,right", "next_button", "Next option", show=False, tooltip=NEXT),
        Binding("up,left", "previous_button", "Previous option", show=False, tooltip=PREVIOUS),
        Binding("space", "toggle_button", "Tick", show=False, tooltip=TICK),
        Binding("enter", "choose", "Choose", show=False, tooltip=CHOOSE),
    ]

    def __init__(self, *buttons: RadioButton, **kw) -> None:
        super().__init__(*buttons, **kw)
        self._restyle_on_show = False

    def action_next_button(self) -> None:
        self._step(1)

    def action_previous_button(self) -> None:
        self._step(-1)

    def _step(self, step: int) -> None:
        last = len(self._nodes) - 1
        if last >= 0:
            now = self._selected if self._selected is not None else -1 if step > 0 else last + 1
            self._selected = min(max(now + step, 0), last)
            self._nodes[self._selected].scroll_visible(animate=False)  # on a short screen too

    def action_choose(self) -> None:
        """Enter: tick the option under the cursor; on a ticked one, send the choice."""
        if self._selected is None:
            return
        button = self._nodes[self._selected]
        if isinstance(button, RadioButton) and button.value:
            self.post_message(OptionPicker.Confirmed())
        else:
            self.action_toggle_button()

    def watch_has_focus(self, has_focus: bool) -> None:
        if all(node.display for node in self.ancestors_with_self):
            super().watch_has_focus(has_focus)
        else:
            self._restyle_on_show = True

    def on_show(self) -> None:
        if self._restyle_on_show:
            self._restyle_on_show = False
            self.update_node_styles()


class Tick(Checkbox, Refusable):
    """A checkbox whose mark shows the choice in shape (X / blank), not only in colour. Space
    ticks or unticks it; Enter ticks it, and on a ticked box sends the choice."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_button", "Tick", show=False, tooltip=TICK),
        Binding("enter", "choose", "Choose", show=False, tooltip=CHOOSE),
    ]

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "X" if self.value else " "
        return super()._button

    def action_choose(self) -> None:
        if self.value:
            self.post_message(OptionPicker.Confirmed())
        else:
            self.toggle()


class Pane(VerticalScroll):
    """A page's scrolling text. The arrow keys scroll it while it has the keys, but a click
    on its text or its empty space leaves the keys where they are: a field being typed in, or
    the options being picked, still takes them (a click never leaves the page deaf)."""

    FOCUS_ON_CLICK: ClassVar[bool] = False


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
    if not width or widget.visual.get_height(widget.styles, width) != height:  # type: ignore[arg-type]
        widget.refresh(layout=True)


class Cell(NamedTuple):
    """One place on the status panel: its text now, and the texts that size it (every text
    it can show, or ones as wide)."""

    content: Content
    texts: tuple[Content, ...]


class Layout(NamedTuple):
    """The status panel's grid at one width: columns of equal width, each row's lines."""

    columns: int
    width: int
    heights: tuple[int, ...]


GAP = Content(" │ ")
TAKEN = "Pressure taken: "


UNKNOWN = Content.styled("—", "dim")


def status_cells(game: Game) -> list[Cell]:
    """The day, how many pressure measures were taken, and every policy dimension (its short
    label: its state now) in the order they become known (`Campaign.dimension_known_from`),
    the scenario's order within a day. A dimension not yet known on the game's day keeps its
    place, among the last, but reads "—"."""
    day = game.date
    now = Content.styled(f"{day:%a} {day.day} {day:%b %Y}", "bold")
    cells = [Cell(now, (Content.styled("Wed 28 Nov 1962", "bold"),))]  # as wide as the widest day
    most = len(set(game.campaign.pressure_labels.values()))
    taken = [
        Content.assemble(TAKEN, (str(n or "none"), "bold")) for n in (len(game.pressure), 0, most)
    ]
    cells.append(Cell(taken[0], (taken[1], taken[2])))  # the texts it can show as wide as these
    current = game.state  # built on each read
    campaign = game.campaign
    known_from = campaign.dimension_known_from
    for dim in sorted(campaign.scenario.machine.dimensions, key=lambda d: known_from[d.id]):
        label = f"{dim.short or dim.label}: "
        texts = {s.id: Content.assemble(label, (s.short or s.label, "bold")) for s in dim.states}
        known = campaign.dimension_known(dim.id, None if game.finished else day)
        shown = texts[current[dim.id]] if known else UNKNOWN
        cells.append(Cell(shown, tuple(texts.values())))
    return cells


def status_layout(cells: list[Cell], width: int) -> Layout:
    """The columns that show *cells* row by row in *width* in the fewest lines (on a tie, the
    fewest columns), no word cut: a cell is as tall as the most lines any of its texts takes,
    so it keeps its place whatever it shows, and a row as tall as its tallest cell."""
    return layout_of(tuple(c.texts for c in cells), width)


@lru_cache(maxsize=16)
def layout_of(texts: tuple[tuple[Content, ...], ...], width: int) -> Layout:
    """status_layout's work, done once per scenario and width (wrapping is slow)."""

    def grid(columns: int) -> Layout:
        column = max((width - GAP.cell_length * (columns - 1)) // columns, 1)
        tall = [max(len(wrapped(t, column)) for t in cell) for cell in texts]
        heights = tuple(max(tall[i : i + columns]) for i in range(0, len(texts), columns))
        return Layout(columns, column, heights)

    word = max(len(w) for cell in texts for t in cell for w in t.plain.split())
    fit = [n for n in range(2, len(texts) + 1) if width - GAP.cell_length * (n - 1) >= word * n]
    return min((grid(n) for n in [1, *fit]), key=lambda layout: sum(layout.heights))


def wrapped(content: Content, width: int) -> list[Content]:
    """*content* on lines of *width*, broken between words."""
    return [content] if content.cell_length <= width else content.wrap(max(width, 1))


def status_grid(cells: list[Cell], layout: Layout) -> list[Content]:
    """The panel's lines: *cells* row by row in *layout*'s columns, each wrapped in its column
    between words, the columns parted by a bar."""
    out = []
    for row, start in enumerate(range(0, len(cells), layout.columns)):
        cell_lines = [
            wrapped(c.content, layout.width) for c in cells[start : start + layout.columns]
        ]
        for y in range(layout.heights[row]):
            parts = [w[y] if y < len(w) else Content() for w in cell_lines]
            padded = [p.pad_right(layout.width - p.cell_length) for p in parts[:-1]]
            out.append(GAP.join([*padded, parts[-1]]).rstrip())
    return out


class StatusPanel(Widget):
    """Always in view at the top: the day, every dimension of the policy and how many
    pressure measures were taken, in the columns that take the fewest lines at the width (for
    the bundled scenario: 3 columns, 7 lines at 80 and 100 columns; 2 columns, 10 lines at 60;
    4 columns, 5 lines at 120). Every cell is there from the first screen, in the order its
    dimension becomes known, and keeps its place all game long. The policy machine (M) shows
    each dimension in full; the meeting's title is the screen's own heading.
    """

    def __init__(self, game: Game) -> None:
        super().__init__(id="status")
        self.cells = status_cells(game)
        self.tooltip = "Where the policy stands; M shows each part in full, with its moves"

    def show(self, game: Game) -> None:
        """Show where *game* stands now."""
        cells = status_cells(game)
        if cells != self.cells:
            resized = [c.texts for c in cells] != [c.texts for c in self.cells]
            self.cells = cells
            self.refresh(layout=resized)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return sum(status_layout(self.cells, width).heights)

    def render(self) -> Content:
        layout = status_layout(self.cells, self.size.width)
        return Content("\n").join(status_grid(self.cells, layout))


class OptionPicker(Vertical):
    """A decision's options: refused ones are shown, marked, with the reason and citation.

    The keys are the same for one option and many: Up and Down move one option at a time,
    stopping at either end; Space ticks (or unticks) the option under the cursor; Enter ticks
    it, and on an option already ticked sends the choice (the screen's button).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "down",
            "move(1)",
            "Next option",
            show=False,
            id="picker.next",
            tooltip=NEXT,
        ),
        Binding(
            "up",
            "move(-1)",
            "Previous option",
            show=False,
            id="picker.previous",
            tooltip=PREVIOUS,
        ),
    ]

    class Confirmed(Message):
        """Enter on a ticked option: send the choice."""

    class Refused(Message):
        """A refused option was ticked: say why it cannot be taken."""

        def __init__(self, option: str) -> None:
            super().__init__()
            self.option = option

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
            yield Static(
                "Choose one or more: arrow keys, Space ticks a box, Enter on a ticked box sends.",
                classes="hint",
            )
            yield from buttons
        else:
            yield Static(
                "Choose one: arrow keys, Enter ticks the option, Enter again sends.",
                classes="hint",
            )
            yield Choices(*(b for b in buttons if isinstance(b, Radio)), id="choices", compact=True)
        for o in self.statuses:
            if not o.allowed:
                yield Static(
                    Text(f"✗ {o.label}: ").append_text(self.refusal(o.id)), classes="refusal"
                )

    def refusal(self, option: str) -> Text:
        """Why *option* cannot be taken, with its citation."""
        status = next(o for o in self.statuses if o.id == option)
        assert status.refusal is not None, "only a refused option has a refusal"
        return text.refusal(self.game.campaign, status.refusal)

    def _button(self, o: OptionStatus, many: bool) -> Tick | Radio:
        label = o.label if o.allowed else f"✗ {o.label} (not allowed, see below)"
        kind = Tick if many else Radio
        button = kind(Content(label), id=f"opt-{o.id}", compact=True)
        button.refused = not o.allowed
        button.set_class(not o.allowed, "-refused")
        button.tooltip = Content(label)
        return button

    def action_move(self, step: int) -> None:
        """Focus the next (or previous) box, refused ones included, stopping at either end."""
        ticks = list(self.query(Tick))
        if not ticks:
            return
        now = ticks.index(self.screen.focused) if self.screen.focused in ticks else -step
        ticks[min(max(now + step, 0), len(ticks) - 1)].focus()

    def on_mount(self) -> None:
        """Tick the options given, and take the keys: the options are what a page that has
        them asks for."""
        self.select(self.preselect)
        self.query("RadioSet, Checkbox").first().focus(scroll_visible=False)

    def select(self, picks: tuple[str, ...]) -> None:
        for pick in picks:
            self.query_one(f"#opt-{pick}", Refusable).value = True

    @property
    def selected(self) -> list[str]:
        return [o.id for o in self.statuses if self.query_one(f"#opt-{o.id}", Refusable).value]


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
        if not campaign.dimension_known(dim.id, day) and current[dim.id] == dim.initial:
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
