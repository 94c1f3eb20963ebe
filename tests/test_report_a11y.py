"""The HTML debrief and class report, checked with axe-core (WCAG 2.1 A and AA, and best
practice) in Chromium: no violation at all. Needs Debian's `chromium` (`.ci/run` installs it)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from exsim import paths
from exsim.engine import Game, open_campaign
from exsim.engine.game import option_sets
from exsim.report import classes, debrief
from exsim.report.render import document

CHROMIUM = Path("/usr/bin/chromium")
AXE_RULES = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    }
}

if not CHROMIUM.exists():
    pytest.skip("/usr/bin/chromium is absent (`.ci/run` installs it)", allow_module_level=True)


def random_debrief(campaign, seed: int) -> debrief.Debrief:
    pick = random.Random(seed)
    game = Game(campaign, seed=seed, mode="what-if")
    while not game.finished:
        d = game.current.decision
        allowed = {o.id for o in game.options(d) if o.allowed}
        game.decide(d.id, list(pick.choice([s for s in option_sets(d) if set(s) <= allowed])))
    return debrief.build(game, None)


def violations(pages: dict[str, str]) -> dict[str, list[str]]:
    """axe-core's violations on each page: 'rule (impact): n nodes'."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    found = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        for name, html in pages.items():
            page.set_content(html)
            result = Axe().run(page, options=AXE_RULES)
            found[name] = [
                f"{v['id']} ({v['impact']}): {len(v['nodes'])} node(s)"
                for v in result.response["violations"]
            ]
        browser.close()
    return found


def test_the_html_debrief_and_class_report_pass_axe_core():
    campaign = open_campaign(paths.BUNDLED_SCENARIOS / "november-1962.yaml")
    games = [random_debrief(campaign, seed) for seed in range(4)]
    pages = {
        "debrief": document(games[0], "html"),
        "class report": document(classes.build(campaign, games), "html"),
    }
    assert violations(pages) == {"debrief": [], "class report": []}
