"""`exsim graph --format html`: a map of the branches an author opens in a browser, with the
record path marked and what no game reaches shown; checked in headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from exsim.cli import main
from exsim.engine import open_campaign
from exsim.report.branchmap import branch_map, walked

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def test_the_map_marks_the_record_path_and_what_no_game_reaches(mini):
    found = walked(mini)
    assert found.complete and found.record_ending == "deal"
    assert found.record == {
        "pledge": ("withhold",),
        "pressure": ("wait",),
        "answer": ("agrees",),
        "lift": ("lift",),
    }
    assert ("pledge", "give") not in found.options  # the guard always refuses it
    page = branch_map(mini, found)
    assert '<li id="option-pledge-withhold" class="record">' in page
    assert (
        '<li id="option-pledge-give" class="unreachable"><span class="tag unreachable">never '
        "reached</span>Give it" in page
    )
    assert '<li id="outcome-answer-stalls"><span class="tag simulated">simulated</span>' in page
    assert '<li id="ending-deal" class="record">' in page


def test_scenario_text_is_escaped(variant):
    path, _ = variant("{id: withhold, label: Withhold it}", '{id: withhold, label: "<b>x</b>"}')
    page = branch_map(open_campaign(path), walked(open_campaign(path)))
    assert "&lt;b&gt;x&lt;/b&gt;" in page and "<b>x</b>" not in page


def test_the_graph_command_writes_the_page(mini, tmp_path):
    out = tmp_path / "map.html"
    result = CliRunner().invoke(main, ["graph", mini.file.path, "--format", "html", "-o", str(out)])
    assert result.exit_code == 0 and result.output == f"wrote {out}\n"
    assert out.read_text().startswith("<!DOCTYPE html>")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
def test_the_map_in_a_browser(quiet_phases, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    out = tmp_path / "map.html"
    CliRunner().invoke(main, ["graph", str(quiet_phases), "--format", "html", "-o", str(out)])
    asked: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 1200})
            page.on("request", lambda request: asked.append(request.url))
            page.goto(out.as_uri())
            assert page.title() == "Mini crisis: the branches"
            phases = page.locator("section.phase h2").all_inner_texts()
            assert [h.split(",")[0].removeprefix("record path") for h in phases] == [
                "The meeting",
                "The President's press conference",
                "Afterwards",
                "Where the documents stop",
                "Endings",
            ]
            record = page.locator("li.record").all_inner_texts()
            assert [r.split("\n")[0] for r in record] == [
                "record pathWithhold it",
                "record pathWait for the talks",
                "record pathThe bombers will go. → agree_removal, remove",
                "record pathLift it → lift",
                "record pathThe deal holds when il28: removed, quarantine: lifted",
            ]
            give = page.locator("#option-pledge-give")
            assert give.is_visible() and "never reached" in give.inner_text()
            style = give.evaluate("e => getComputedStyle(e).textDecorationLine")
            assert style == "line-through"
            chosen = page.locator("#option-pledge-withhold")
            assert chosen.evaluate("e => getComputedStyle(e).backgroundColor") == (
                "rgb(227, 242, 227)"
            )
            assert page.locator("#phase-press li").inner_text() == (
                "The President tells the press that the quarantine stays for now."
            )
            page.screenshot(path=str(tmp_path / "map.png"), full_page=True)
        finally:
            browser.close()
    assert asked == [out.as_uri()]  # nothing fetched from anywhere else
    assert (tmp_path / "map.png").stat().st_size > 10_000
