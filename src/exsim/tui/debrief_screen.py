"""The debrief: each decision beside ExComm's, who argued what, alignment, the outcome.

The content is the report's debrief (`exsim.report.debrief.build`); this screen only lays it out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from exsim.engine.game import Game
from exsim.report.debrief import DISCUSSION_ITEM, Cite, Debrief, EndingRow, build, decided_by
from exsim.store import Session
from exsim.tui import text
from exsim.tui.sources_screen import SOURCES
from exsim.tui.widgets import StatusPanel

MACHINE = Binding(
    "m",
    "app.machine",
    "Machine",
    id="machine",
    tooltip="Show the policy state machine with the final state marked",
)

MARK = {
    "same": "= same as the record",
    "different": "≠ differs from the record",
    "not reached": "not on your agenda",
    "no record": "the record does not say",
}


def cited(cites: Iterable[Cite]) -> Text:
    return text.cite_links((c.key, c.text) for c in cites)


class DebriefScreen(Screen):
    """Decision by decision, the group's choice beside the record, with citations."""

    BINDINGS: ClassVar[list[BindingType]] = [
        MACHINE,
        Binding("n", "app.new_game", "New game", id="new-game", tooltip="Back to the start"),
        SOURCES,
        Binding(
            "d",
            "distribution",
            "Simulate",
            id="distribution",
            tooltip="Your choices played many times in what-if mode: the spread of outcomes",
        ),
    ]

    def __init__(
        self,
        game: Game,
        session: Session | None,
        simulate: bool = False,
        debrief: Debrief | None = None,
    ) -> None:
        """With *simulate*, offers the outcome distribution of the group's own choices; with
        *debrief*, shows that one (a class's, crediting each student) instead of building it."""
        super().__init__()
        self.game = game
        self.debrief = debrief or build(game, session)
        self.simulate = simulate

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.simulate if action == "distribution" else True

    def action_distribution(self) -> None:
        from exsim.tui.distribution_screen import DistributionScreen

        self.app.push_screen(DistributionScreen(self.game))

    def compose(self) -> ComposeResult:
        yield StatusPanel(self.game)
        with VerticalScroll(id="body"):
            yield Static(self.summary())
            for row in self.debrief.decisions:
                yield Static(self.decision(row))
            if self.debrief.events:
                yield Static(self.events())
            if self.debrief.aftermath:
                yield Static(self.aftermath())
            yield Static(self.alignment())
            if self.debrief.messages:
                yield Static(self.messages())
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#body").focus()

    def summary(self) -> Text:
        d = self.debrief
        out = text.heading("Debrief", d.scenario_title)
        if not d.finished:
            out.append("\nThis game is not finished: the debrief covers play so far.")
        if d.outcome.ending:
            out.append("\n\nYour outcome: ", style="bold").append(ending(d.outcome.ending))
        if d.outcome.record:
            out.append("\nThe record's outcome: ", style="bold").append(ending(d.outcome.record))
        elif d.outcome.record_stops:
            out.append("\nThe record's outcome: ", style="bold").append(
                f"not known: the record does not say what was decided at {d.outcome.record_stops}"
            )
        through = [m.simulated for m in d.outcome.measures]  # a simulated answer on the way
        for m in d.outcome.measures:
            mark = {True: "=", False: "≠", None: " "}[m.same]
            line = f"\n {mark} {m.label}: {m.shown}"
            if m.record_shown is not None:
                line += f" (record: {m.record_shown})"
            out.append(line + (" *" if m.simulated and not all(through) else ""))
            out.append_text(cited(m.cites))
        if any(through):  # said once for the table
            which = "Every value above" if all(through) else "* A value"
            out.append(f"\n   {which} came through a {text.SIMULATED} answer on the way.")
        out.append(
            f"\n\nYour choices matched the record's in {d.decisions_same} of "
            f"{d.decisions_compared} decisions compared. "
            f"Points where your game left the record: {d.left_the_record()}."
        )
        simulated = [r.title for r in d.responses if r.simulated]
        if simulated:
            out.append(f"\n{text.SIMULATED} answers in your game: {'; '.join(simulated)}.")
        return out

    def decision(self, row) -> Text:
        day = text.long_date(dt.date.fromisoformat(row.date))
        out = text.heading(f"{row.number}. {row.title}", f"{day}; {MARK[row.status]}")
        if row.discussion_item:
            out.append(f"\n{DISCUSSION_ITEM}", style="italic")
        if row.chosen:
            by = f" ({decided_by(row)})" if row.decided_by_name else ""
            out.append(f"\nYour group chose: {'; '.join(row.chosen.labels)}{by}")
            if row.only_option:
                out.append(" (the only option open in this game: not scored)", style="dim")
        for r in row.recommendations:
            who = f"{r.player} ({r.role_name})" if r.player else r.role_name
            out.append(f"\n  {who} recommended: {'; '.join(r.recommended.labels)}")
            if r.aligned is not None:
                out.append(f"  ({'as' if r.aligned else 'unlike'} {r.role_name} argued)")
            if r.reason:
                out.append(f"\n    Reason: {r.reason}", style="italic")
        if row.record:
            out.append(f"\nIn the record: {'; '.join(row.record.labels)}. {row.record_summary}")
            out.append_text(cited(row.record_cites))
        for p in row.positions:
            out.append(f"\n  {p.role_name} argued")
            if p.note:
                out.append(f" ({p.note})", style="bold" if p.reconstructed else "dim")
            out.append(": ")
            out.append_text(text.quoted(p.position, p.quote))
            out.append_text(cited(p.cites))
        if row.record_gap and not row.record:
            out.append(f"\n  The record does not say: {row.record_gap}")
            out.append_text(cited(row.record_cites))
        elif row.record_gap:
            out.append(f"\n  Gap in the record: {row.record_gap}")
        for q in row.discussion:
            out.append(f"\n  ? For discussion: {q}", style="bold")
        return out

    def events(self) -> Text:
        """The situation of each phase with no decision that the game reached."""
        out = text.heading("Events without a decision")
        heading = None
        for a in self.debrief.events:
            if heading != (a.phase, a.date):
                heading = (a.phase, a.date)
                out.append(
                    f"\n{a.phase}, {text.long_date(dt.date.fromisoformat(a.date))}", style="bold"
                )
            out.append("\n")
            if a.simulated:
                out.append(f"{text.SIMULATED}: ", style="bold")
            out.append_text(text.quoted(a.text, a.quote))
            out.append_text(cited(a.cites))
        return out

    def aftermath(self) -> Text:
        """What came after in the record, hindsight, and where the documents stop."""
        out = text.heading("After the game: the record, and where the documents stop")
        for a in self.debrief.aftermath:
            out.append("\n")
            if a.simulated:
                out.append(f"{text.SIMULATED}: ", style="bold")
            if a.hindsight:
                out.append(f"{text.HINDSIGHT}: ", style="bold")
            out.append_text(text.quoted(a.text, a.quote))
            out.append_text(cited(a.cites))
        return out

    def alignment(self) -> Text:
        out = text.heading("How closely each player tracked the person they played")
        rows = [a for a in self.debrief.alignment if a.player]
        if not rows:
            out.append("\nNo recommendation could be set beside a recorded position.")
        for a in rows:
            if a.score is None:
                shown = "the record gives no position to compare"
            else:
                shown = f"{a.aligned} of {a.counted} recommendations as he argued ({a.score:.0%})"
            out.append(f"\n{a.player} as {a.role_name}: {shown}")
        return out

    def messages(self) -> Text:
        """The facilitator's messages during play, oldest first."""
        out = text.heading("The facilitator's messages")
        for m in self.debrief.messages:
            when = f"Round {m.round}" if m.round else "Before the first round"
            to = "to the whole class" if m.to_all else "to your group"
            out.append(f"\n{when}, {to}: {m.text}")
        return out


def ending(row: EndingRow) -> Text:
    out = Text(row.title)
    if row.simulated:
        out.append(f"  ({text.SIMULATED}: not what happened)", style="bold")
    out.append(f"\n{row.text}").append_text(cited(row.cites))
    return out
