"""The source documents, opened at a cited paragraph: the real text, the paragraph marked.

Every citation on a game screen is a link (`text.cites`): a click opens this screen at its
paragraph; the S key opens it with the citations of the screen below listed first.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from exsim.tui import text

if TYPE_CHECKING:
    from textual.app import App

    from exsim.engine.campaign import Campaign
    from exsim.engine.game import Game
    from exsim.scenario.model import Source

SOURCES = Binding(
    "s",
    "app.sources",
    "Sources",
    id="sources",
    tooltip="The source documents, at the passages cited on this screen (a click on a "
    "citation opens its passage too)",
)


def cites_on(screen: Screen) -> list[str]:
    """The citations shown on *screen*, in order, each once."""
    found: dict[str, None] = {}
    for widget in screen.query(Static):
        for span in getattr(widget.visual, "spans", ()):
            key = (getattr(span.style, "meta", None) or {}).get(text.CITE)
            if key:
                found[key] = None
    return list(found)


def show_sources(
    app: App, campaign: Campaign | None, at: str | None, game: Game | None = None
) -> None:
    """Open the sources over *app*'s screen: at citation *at*, or at the screen's citations.
    While *game* is being played, only what was known by its date is shown."""
    if isinstance(app.screen, SourcesScreen):
        return
    if campaign is None:
        app.notify("The sources open once a game is under way.", title="Sources")
        return
    playing = game is not None and not game.finished
    until = game.date if game is not None and playing else None
    position = game.position if game is not None and playing else None
    app.push_screen(SourcesScreen(campaign, cites_on(app.screen), at, until, position))


class SourcesScreen(ModalScreen):
    """A list of passages and documents above the text of the one chosen.

    During play (*until* is the game's date) it holds only what was known by then: documents
    dated later, and their paragraphs, open after the game; hindsight documents too. At agenda
    *position* (by default past the last step), the record of the meeting being played opens
    only the paragraphs its shared screens have cited so far (`Campaign.meeting_paragraphs`),
    and those the screen below cites.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Close", id="close", tooltip="Back to the game"),
        Binding("s", "app.pop_screen", "Close", id="close-sources", show=False, tooltip="Close"),
    ]

    def __init__(
        self,
        campaign: Campaign,
        on_screen: list[str],
        at: str | None = None,
        until: dt.date | None = None,
        position: int | None = None,
    ) -> None:
        super().__init__()
        self.campaign = campaign
        self.until = until
        self.position = len(campaign.steps) if position is None else position
        cited = dict.fromkeys(([at] if at else []) + on_screen)
        self.on_screen = [
            key for key in cited if until is None or campaign.known_by([key], until)
        ]  # what the screen below cites was known by then, and is open from it
        self.shown: str | None = None  # the source whose text is shown

    def known(self, key: str) -> bool:
        """Whether citation *key* (a document, or one of its paragraphs) may be shown now."""
        if self.until is None or key in self.on_screen:
            return True
        return self.campaign.known_at(key, self.until, self.position)

    def known_paragraphs(self, source_id: str) -> list[str]:
        """The labels of *source_id*'s paragraphs that may be shown now."""
        return [
            label
            for label in self.campaign.sources[source_id].paragraphs
            if self.known(f"{source_id}#{label}")
        ]

    def listed(self, source_id: str) -> bool:
        """Whether the document is in the list now: all of it known, or some paragraph."""
        source = self.campaign.sources[source_id]
        if self.until is None or self.known(source_id):
            return True
        return not source.hindsight and bool(self.known_paragraphs(source_id))

    def compose(self) -> ComposeResult:
        with Vertical(id="panel"):
            head = text.heading("Sources", "↑↓ choose a passage or a document; Esc closes")
            later = self.later()
            if later and self.until is not None:
                head.append(
                    f"\n{later} more document(s), dated after {text.long_date(self.until)} or "
                    "known only in hindsight, open after the game.",
                    style="dim",
                )
            yield Static(head, id="sources-head")
            yield OptionList(*self.options(), id="passages")
            with VerticalScroll(id="document"):
                yield Static(id="about-source")
                yield Vertical(id="paragraphs")
        yield Footer()

    def options(self) -> list[Option | None]:
        out: list[Option | None] = [
            Option(self.passage_prompt(key), id=f"cite:{key}") for key in self.on_screen
        ]
        if out:
            out.append(None)  # a separator between the passages cited here and the documents
        for source in self.campaign.scenario.sources:
            if not self.listed(source.id):
                continue
            has_text = self.campaign.source_text(source.id) is not None
            what = "the whole text" if has_text else "register entry"
            if not self.known(source.id):
                what = "the passages known by then"
            elif self.until is None and source.hindsight:
                what = "hindsight, unknown at the time; " + what
            prompt = Text.assemble((source.short, "bold"), f"  {what}: ", source.title)
            out.append(Option(prompt, id=f"doc:{source.id}"))
        return out

    def later(self) -> int:
        """How many documents are left out of the list until the game is over."""
        return sum(1 for source in self.campaign.scenario.sources if not self.listed(source.id))

    def passage_prompt(self, key: str) -> Text:
        source_id, _, label = key.partition("#")
        prompt = Text(self.campaign.cite_text(key), style="bold")
        document = self.campaign.source_text(source_id)
        if document and label:
            prompt.append(f"  {document.paragraph(label).text}")
        else:
            prompt.append(f"  {self.campaign.sources[source_id].title}")
        return prompt

    def on_mount(self) -> None:
        passages = self.query_one(OptionList)
        passages.highlighted = 0
        passages.focus()

    @on(OptionList.OptionHighlighted)
    async def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        await self.show((event.option.id or "").partition(":")[2])

    async def show(self, key: str) -> None:
        """The text of *key*'s source, its paragraph marked and scrolled to the top."""
        source_id, _, label = key.partition("#")
        if self.shown != source_id:
            self.shown = source_id
            self.query_one("#about-source", Static).update(self._about(source_id))
            holder = self.query_one("#paragraphs", Vertical)
            await holder.remove_children()
            document = self.campaign.source_text(source_id)
            if document is not None:
                await holder.mount_all(
                    ParagraphView(p.label, p.text)
                    for p in document.paragraphs
                    if self.known(f"{source_id}#{p.label}" if p.label else source_id)
                )
        marked = None
        for paragraph in self.query(ParagraphView):
            paragraph.mark(paragraph.label == label)
            marked = paragraph if paragraph.label == label else marked
        document_view = self.query_one("#document", VerticalScroll)
        if marked is None:
            document_view.scroll_home(animate=False)
        else:
            self.call_after_refresh(document_view.scroll_to_widget, marked, animate=False, top=True)

    def _about(self, source_id: str) -> Text:
        source = self.campaign.sources[source_id]
        about = register_entry(source, self.campaign)
        if self.until is not None and self.campaign.known_by([source_id], self.until):
            if not self.known(source_id):
                about.append(
                    "\n\nThe record of the meeting being played: only the passages its screens "
                    "have cited so far are shown; the rest, which tells what the meeting "
                    "decided, opens once its decisions are taken."
                )
        elif self.until is not None:
            about.append(
                f"\n\nOnly the passages known by {text.long_date(self.until)} are shown: the "
                f"document is dated {text.long_date(source.date)}, after the game's date, and "
                "opens in full after the game."
            )
        return about


def register_entry(source: Source, campaign: Campaign) -> Text:
    """A document's register entry: heading, date, time, participants, reference, and the
    gist in the scenario's words where its text is not shipped."""
    about = Text(f"{source.short}: {source.title}", style="bold")
    heading = source.heading or "not given in the sources the scenario was built from"
    about.append(f"\nHeading: {heading}")
    about.append(f"\nDate: {text.long_date(source.date)}")
    if source.time:
        about.append(f", {source.time}")
    if source.participants:
        about.append(f"\nParticipants: {', '.join(source.participants)}")
    about.append(f"\n{source.reference}", style="dim")
    if campaign.source_text(source.id) is not None:
        about.append("\n\nThe document's own words; ¶ marks the paragraph labels cited.")
    elif source.gist:
        about.append("\n\nIn the game's words (its text is not included): ", style="bold")
        about.append(source.gist)
        if source.gist_from:
            about.append(f"\nFrom: {source.gist_from}", style="dim")
    else:
        about.append(
            "\n\nIts text is not included with this scenario: what the game takes from it "
            "rests on the reference above."
        )
    return about


class ParagraphView(Horizontal):
    """One paragraph of a source text, its label in the margin; marked ► when cited."""

    def __init__(self, label: str | None, words: str) -> None:
        super().__init__(classes="paragraph")
        self.label = label
        self.words = words

    def compose(self) -> ComposeResult:
        yield Static(classes="tag")
        yield Static(Text(self.words), classes="words")

    def on_mount(self) -> None:
        self.mark(self.has_class("-cited"))

    def mark(self, cited: bool) -> None:
        self.set_class(cited, "-cited")
        if self.is_mounted and self.children:
            tag = Text("► " if cited else "  ", style="bold")
            tag.append(f"¶{self.label}" if self.label else "", style="bold" if cited else "dim")
            self.query_one(".tag", Static).update(tag)
