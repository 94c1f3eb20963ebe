"""The debrief: each decision beside ExComm's, who argued what, alignment, the outcome."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from exsim.engine.compare import compare
from exsim.engine.game import Game
from exsim.tui import text
from exsim.tui.widgets import StatusPanel

MARK = {True: "= same as ExComm", False: "≠ differs from ExComm", None: "not on your agenda"}


class DebriefScreen(Screen):
    """Decision by decision, the group's choice beside the record, with citations."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "m",
            "app.machine",
            "Machine",
            id="machine",
            tooltip="Show the policy state machine with the final state marked",
        ),
        Binding("n", "app.new_game", "New game", id="new-game", tooltip="Back to the start"),
    ]

    def __init__(self, game: Game, players: dict[str, str]) -> None:
        super().__init__()
        self.game = game
        self.players = players

    def compose(self) -> ComposeResult:
        yield StatusPanel(self.game)
        with VerticalScroll(id="body"):
            yield from self.body()
        yield Footer()

    def body(self) -> ComposeResult:
        game, campaign = self.game, self.game.campaign
        result = compare(game)
        endings = {e.id: e for e in campaign.scenario.endings}
        yield Static(text.heading("Debrief", campaign.scenario.title))
        if not game.finished:
            yield Static(Text("This game is not finished: the debrief covers play so far."))
        ending = game.ending
        if ending:
            out = Text("Your outcome: ", style="bold").append(ending.title)
            if ending.simulated:
                out.append(f"  ({text.SIMULATED}: not what happened)", style="bold")
            out.append(f"\n{ending.text}")
            out.append(text.cites(campaign, ending.cite), style="dim")
            yield Static(out)
        record = endings.get(result.record_ending)
        if record:
            out = Text("The record's outcome: ", style="bold").append(record.title)
            out.append(f"\n{record.text}").append(text.cites(campaign, record.cite), style="dim")
            yield Static(out)
        yield Static(
            Text(
                f"Points where your game left the record: {result.divergence}"
                + (
                    f" (including simulated answers: {', '.join(result.simulated_responses)})"
                    if result.simulated_responses
                    else ""
                )
            )
        )
        for n, row in enumerate(result.decisions, 1):
            decision = campaign.decisions[row.decision]
            day = text.long_date(campaign.phase_of[row.decision].date)
            yield Static(text.heading(f"{n}. {row.title}", f"{day}; {MARK[row.matches]}"))
            lines = []
            if row.chosen is not None:
                lines.append(
                    f"Your group chose: {text.option_label(campaign, row.decision, row.chosen)}"
                )
            for role, picks in row.recommendations.items():
                who = f"{self.players.get(role, '?')} ({campaign.roles[role].name})"
                lines.append(
                    f"  {who} recommended: {text.option_label(campaign, row.decision, picks)}"
                )
            if decision.record:
                rec = decision.record
                lines.append(
                    Text(f"ExComm decided: {text.option_label(campaign, row.decision, rec.chosen)}")
                    .append(f". {rec.summary}")
                    .append(text.cites(campaign, rec.cite), style="dim")
                )
                for a in rec.advocates:
                    said = Text(f"  {campaign.roles[a.role].name} argued: {a.position}")
                    if a.quote:
                        said.append(f' "{a.quote}"', style="italic")
                    lines.append(said.append(text.cites(campaign, a.cite), style="dim"))
                if rec.gap:
                    lines.append(f"  Gap in the record: {rec.gap}")
            else:
                lines.append("The record says nothing of this decision.")
            for q in row.discussion:
                lines.append(Text(f"  ? For discussion: {q}", style="bold"))
            yield Static(text.lines(*lines))
        yield Static(text.heading("How closely each player tracked the person they played"))
        if not result.alignment:
            yield Static("No recommendations could be set beside a recorded position.")
        for role, share in result.alignment.items():
            who = f"{self.players.get(role, '?')} as {campaign.roles[role].name}"
            shown = "no recorded position to compare" if share is None else f"{share:.0%}"
            yield Static(f"{who}: {shown} of recommendations matched his recorded position")
