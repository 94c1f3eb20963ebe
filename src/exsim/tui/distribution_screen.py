"""The spread of outcomes of the group's own choices, simulated many times in what-if mode.

The counts come from `exsim.engine.simulate.distribution`, run in a worker so the screen stays
responsive; the bar chart (textual-plotext) is imported only when this screen is opened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from exsim import fit
from exsim.terminal import printable
from exsim.tui import text

if TYPE_CHECKING:
    from exsim.engine.game import Game
    from exsim.engine.simulate import Distribution

RUNS = 10_000


def own_choices(game: Game) -> dict[str, tuple[str, ...]]:
    """The group's decisions so far: decision id → the options chosen."""
    return {e.step: tuple(e.chosen) for e in game.log if e.kind == "decision"}


class DistributionScreen(Screen):
    """Table and bar chart of simulated outcomes under the group's choices; labelled simulated."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="back", tooltip="Back to the debrief"),
    ]

    def __init__(self, game: Game, runs: int = RUNS) -> None:
        super().__init__()
        self.game = game
        self.runs = runs
        self.result: Distribution | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="body"):
            yield Static(self.heading())
            yield Static(f"Simulating {self.runs:,} games …", id="table")
        yield Footer()

    def heading(self) -> Text:
        g = self.game
        out = text.heading(
            f"{text.SIMULATED}: your choices, played {self.runs:,} times",
            f"what-if mode, seed {g.seed}",
        )
        out.append(
            "\nThe counterparts' answers are drawn by the scenario's weights in each game; "
            "your decisions stay as you took them. None of these games is the record."
        )
        if not g.finished:
            out.append(" Decisions your game has not reached are taken as ExComm took them.")
        return out

    def on_mount(self) -> None:
        self.query_one("#body").focus()
        self.simulate()

    @work(thread=True, exclusive=True, group="simulate")
    def simulate(self) -> None:
        from exsim.engine.simulate import distribution

        result = distribution(self.game.campaign, own_choices(self.game), self.runs, self.game.seed)
        self.app.call_from_thread(self.show, result)

    def show(self, result: Distribution) -> None:
        from textual_plotext import PlotextPlot

        self.result = result
        self.query_one("#table", Static).update(table(result, self.game))
        endings = [r for r in result.rows() if r["kind"] == "ending"]
        chart = PlotextPlot(id="chart")
        self.query_one("#body").mount(chart)
        plt = chart.plt
        plt.bar(
            # plotext's output is read as ANSI; each label whole in the table above
            [fit.shortened(printable(r["shown"]), 24) for r in endings],
            [round(r["share"] * 100, 1) for r in endings],
            orientation="horizontal",
        )
        plt.title(f"Outcomes, % of {result.runs:,} simulated games")


def table(result: Distribution, game: Game) -> Text:
    """Each outcome and measure value: games, share; = marks the record's, ← your game's."""
    own = game.ending.id if game.ending else None
    out = Text.assemble(
        (f"Games and shares: all {text.SIMULATED}.   ", "bold"),
        ("= the record's value   ← yours: your game's outcome\n", "dim"),
    )
    label = None
    rows = result.rows()
    for row in rows:
        if row["label"] != label:
            label = row["label"]
            out.append(f"\n{label}", style="bold")
            cites = next(
                (
                    r.get("cite") or r.get("record_cite") or []
                    for r in rows
                    if r["label"] == label and r["is_record"]
                ),
                [],
            )
            if cites:
                out.append("  = the record", style="dim")
                out.append_text(text.cites(game.campaign, cites))
            elif row.get("record_shown") and not any(
                r["is_record"] for r in rows if r["label"] == label
            ):
                out.append(f"  the record's, {row['record_shown']}, in none", style="dim")
            out.append("\n")
        mark = "=" if row["is_record"] else " "
        first, *more = fit.rows(row["shown"], 36, f"{row['games']:>7,} {row['share']:>6.1%}")
        out.append(f" {mark} {first}")
        if row["kind"] == "ending" and row["value"] == own:
            out.append("  ← yours", style="bold")
        out.append("".join(f"\n   {line}" for line in more) + "\n")
    fell = result.fallbacks()
    if fell:
        out.append(
            f"\n{fell:,} simulated game(s) took another option where the policy machine "
            "refused one of your choices on their road.\n",
            style="dim",
        )
    return out
