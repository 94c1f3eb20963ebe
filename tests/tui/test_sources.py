"""Any citation opens the cited paragraph in the source's own text: by the S key or a click."""

from __future__ import annotations

from textual.widgets import OptionList, Static
from tui_steps import NOVEMBER, play_to_debrief, run, screen_name, set_up

from exsim.tui.sources_screen import ParagraphView, cites_on
from waiting import until


def marked(pilot) -> ParagraphView:
    (paragraph,) = [p for p in pilot.app.screen.query(ParagraphView) if p.has_class("-cited")]
    return paragraph


def marked_words(pilot) -> str:
    """The marked paragraph's words, or "" while none (or more than one) is marked."""
    cited = [p for p in pilot.app.screen.query(ParagraphView) if p.has_class("-cited")]
    return cited[0].words if len(cited) == 1 else ""


def test_s_opens_the_citations_of_the_screen_in_the_documents_own_words(make_app):
    app = make_app(NOVEMBER)

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president")])
        assert screen_name(pilot) == "BriefingScreen"
        on_screen = cites_on(pilot.app.screen)
        assert "frus_xi_143#4" in on_screen and "frus_xi_129" in on_screen
        await pilot.press("s")
        await pilot.pause()
        assert screen_name(pilot) == "SourcesScreen"
        options = pilot.app.screen.query_one(OptionList)
        shown = [options.get_option_at_index(i).id for i in range(len(on_screen))]
        assert shown == [f"cite:{key}" for key in on_screen]
        at = on_screen.index("frus_xi_143#4")
        for _ in range(at):
            await pilot.press("down")
        campaign = pilot.app.sitting.campaign
        fourth = campaign.passage("frus_xi_143#4")
        await until(pilot, lambda: marked_words(pilot) == fourth, "¶4 marked")
        paragraph = marked(pilot)
        assert paragraph.label == "4" and paragraph.words == campaign.passage("frus_xi_143#4")
        assert paragraph.words.startswith("The President recalled that Zorin wanted a protocol")
        document = pilot.app.screen.query_one("#document")
        assert document.scroll_y > 0 and paragraph.region.y <= document.region.y + 1  # in view
        await pilot.press("escape")
        await pilot.pause()
        assert screen_name(pilot) == "BriefingScreen"

    run(app, steps, size=(80, 24))


async def click_citation(pilot, shown: str) -> None:
    """Click the citation *shown* ('FRUS XI, 143 ¶3') where it appears on the screen."""
    for widget in pilot.app.screen.query(Static):
        for y in range(widget.size.height):
            line = widget.render_line(y).text
            if shown in line:
                widget.scroll_visible(animate=False, immediate=True)
                await pilot.pause()
                x = line.index(shown) + 2
                await pilot.click(widget, offset=(x, y))
                await pilot.pause()
                return
    raise AssertionError(f"{shown!r} is not on the screen")


def test_a_click_on_a_citation_opens_its_paragraph(make_app):
    app = make_app(NOVEMBER)

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president")])
        await pilot.press("n")
        await pilot.pause()
        assert screen_name(pilot) == "MeetingScreen"
        await click_citation(pilot, "FRUS XI, 143 ¶1")
        assert screen_name(pilot) == "SourcesScreen"
        options = pilot.app.screen.query_one(OptionList)
        assert options.get_option_at_index(options.highlighted).id == "cite:frus_xi_143#1"
        first = "Director McCone presented the intelligence summary"
        await until(pilot, lambda: marked_words(pilot).startswith(first), "¶1 marked")
        # a document whose text is not shipped opens at its register entry
        options.highlighted = options.get_option_index("doc:frus_xi_129")

        def about() -> str:
            return str(pilot.app.screen.query_one("#about-source", Static).render())

        await until(pilot, lambda: "Castro refuses UN inspection" in about(), "the entry")
        entry = about()
        assert "Date: Wednesday 31 October 1962" in entry
        assert "Participants: U Thant, Fidel Castro" in entry
        assert "In the game's words (its text is not included)" in entry
        assert "From: the record sheet (sources/record-sheet.md)" in entry
        assert not list(pilot.app.screen.query(ParagraphView))

    run(app, steps, size=(120, 40))


def test_the_debrief_opens_the_sources_too(make_app):
    app = make_app(NOVEMBER)

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president")])
        await play_to_debrief(pilot, {})
        assert len(cites_on(pilot.app.screen)) > 10
        await pilot.press("s")
        await pilot.pause()
        assert screen_name(pilot) == "SourcesScreen"

    run(app, steps)
