"""The class comparison in the game: pick saved games of one scenario, then compare them.

The content is the class report (`exsim.report.classes.from_store`); these screens lay it out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, SelectionList, Static

from exsim.tui import text

if TYPE_CHECKING:
    from exsim.engine import Campaign
    from exsim.report.classes import ClassReport
    from exsim.store import Session, SessionStore

BACK = Binding("escape", "app.pop_screen", "Back", id="back", tooltip="Back to where you were")


def cited(cites) -> Text:
    return text.cite_links((c.key, c.text) for c in cites)


def share(part: int, whole: int) -> str:
    return f"{part} of {whole} ({part / whole:.0%})" if whole else f"{part}"


class ClassPickScreen(Screen):
    """The saved games of one scenario, all ticked; Ctrl+S compares the ticked ones."""

    BINDINGS: ClassVar[list[BindingType]] = [
        BACK,
        Binding("ctrl+s", "compare", "Compare", id="compare", tooltip="Compare the ticked games"),
        Binding("ctrl+a", "all", "All/none", id="all", tooltip="Tick every game, or none"),
    ]

    def __init__(self, store: SessionStore, campaign: Campaign) -> None:
        super().__init__()
        self.store = store
        self.campaign = campaign
        self.sessions: list[Session] = [s for s in store.list() if s.scenario_id == campaign.id]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="body"):
            yield Static(
                text.heading("Class comparison", self.campaign.scenario.title)
                + Text(
                    "\nThe saved games of this scenario, every one ticked. Space ticks or unticks "
                    "one, Ctrl+A all or none; Ctrl+S compares the ticked games."
                    if self.sessions
                    else "\nNo saved games of this scenario yet: play one first."
                )
            )
            yield SelectionList[str](
                *((label(s), s.id, True) for s in self.sessions), id="sessions"
            )
            yield Static("", id="problem")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def action_all(self) -> None:
        picker = self.query_one(SelectionList)
        if picker.selected:
            picker.deselect_all()
        else:
            picker.select_all()

    @on(SelectionList.SelectedChanged)
    def _clear(self) -> None:
        self.query_one("#problem", Static).update("")

    def action_compare(self) -> None:
        keys = self.query_one(SelectionList).selected
        if not keys:
            self.query_one("#problem", Static).update("Tick at least one saved game.")
            return
        self.app.push_screen(ClassReportScreen(self.store, self.campaign, keys))


def label(s: Session) -> Text:
    state = "finished" if s.finished else f"{len(s.decisions)} decision(s) so far"
    players = ", ".join(s.players.values())
    return Text.assemble((s.group, "bold"), f"  {state}; {players}; {s.updated[:10]}")


class ClassReportScreen(Screen):
    """Groups beside each other and the record: choices, outcomes, alignment, departures."""

    BINDINGS: ClassVar[list[BindingType]] = [BACK]

    def __init__(self, store: SessionStore, campaign: Campaign, keys: list[str]) -> None:
        super().__init__()
        self.store = store
        self.campaign = campaign
        self.keys = keys
        self.report: ClassReport | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="body"):
            yield Static(f"Comparing {len(self.keys)} saved game(s) …", id="report")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#body").focus()
        self.build()

    @work(thread=True, exclusive=True, group="class-report")
    def build(self) -> None:
        """Replaying the games takes a moment: done on a connection of this thread's own."""
        from exsim.report.classes import from_store
        from exsim.store import SessionStore, StoreError

        try:
            with SessionStore.open(self.store.path.parent) as store:
                report = from_store(store, self.campaign, self.keys)
        except StoreError as exc:
            self.app.call_from_thread(self.failed, str(exc))
        else:
            self.app.call_from_thread(self.show, report)

    def failed(self, message: str) -> None:
        self.query_one("#report", Static).update(Text(f"Cannot compare: {message}", "bold"))

    def show(self, report: ClassReport) -> None:
        self.report = report
        self.query_one("#report", Static).update(layout(report))


def layout(r: ClassReport) -> Text:
    """The class report as one text: departures first, then decisions, outcomes, alignment."""
    out = text.heading("Class comparison", f"{r.scenario_title} (version {r.version})")
    out.append(f"\n{r.groups} group(s) compared, {r.finished} finished.")
    for g in r.sessions:
        ending = g.ending or "not finished"
        simulated = f" ({text.SIMULATED})" if g.ending_simulated else ""
        out.append(
            f"\n  {g.group}: {g.same} of {g.decisions} decisions as ExComm; "
            f"outcome {ending}{simulated}"
        )
    out.append("\n\n").append(text.heading("Where groups left the record"))
    if not r.departures:
        out.append("\nEvery group took the record's choice wherever it decided.")
    for d in r.departures:
        out.append(f"\n{d.title}: {share(d.left, d.reached)} groups chose differently")
        for q in d.discussion:
            out.append(f"\n  ? For discussion: {q}", style="bold")
    out.append("\n\n").append(text.heading("Each decision: how many groups chose each option"))
    for d in r.decisions:
        out.append(f"\n{d.number}. {d.title}", style="bold")
        out.append(f"  reached by {d.reached}; {d.same} as ExComm, {d.different} not")
        for o in d.options:
            out.append(f"\n  {o.groups:>3}  {o.label}")
            if o.chosen_by:
                out.append(f"  ({', '.join(o.chosen_by)})", style="dim")
            if o.record:
                out.append("  ◀ the record's choice", style="bold")
                out.append_text(cited(d.record_cites))
    out.append("\n\n").append(text.heading("Outcomes: the groups' beside the record's"))
    for e in r.endings:
        out.append(f"\n  {e.groups:>3}  {e.title}")
        if e.simulated:
            out.append(f"  ({text.SIMULATED})")
        if e.record:
            out.append("  ◀ the record's outcome", style="bold")
    for m in r.measures:
        out.append(f"\n{m.label}", style="bold")
        for v in m.values:
            out.append(f"\n  {v.groups:>3}  {v.shown}")
            if v.record:
                out.append("  ◀ the record", style="bold").append_text(cited(m.cites))
    out.append("\n\n").append(text.heading("How closely each role tracked the record, by group"))
    if not r.alignment:
        out.append("\nNo recommendation could be set beside a recorded position.")
    for a in r.alignment:
        if a.mean is None:
            continue
        out.append(
            f"\n  {a.role_name}: {a.mean:.0%} on average over {a.groups} group(s) "
            f"(from {a.low:.0%} to {a.high:.0%})"
        )
    if r.left_out:
        out.append("\n\n").append(text.heading("Left out"))
        for x in r.left_out:
            out.append(f"\n  {x.group}: {x.reason}")
    return out
