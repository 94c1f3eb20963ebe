"""The served page read by a screen reader: xterm.js's screen-reader mode gives the screen's
text as an accessible tree of rows and announces what changes; axe-core finds no violation.
Checked in headless Chromium, by reading the page's accessibility tree as assistive technology
does. Needs Debian's `chromium` (`.ci/run` installs it) and Python playwright."""

from __future__ import annotations

from exsim.classroom import Classroom
from exsim.engine import open_campaign
from exsim.store import SessionStore

from .test_browser import CHROMIUM, FLAGS, MINI, Screen, server, sync_api, wait_for  # noqa: F401

HEAR = """() => {
  window.heard = [];
  const live = document.querySelector(".xterm-accessibility [aria-live]");
  new MutationObserver(() => live.textContent && window.heard.push(live.textContent))
    .observe(live, {childList: true, characterData: true, subtree: true});
}"""
AXE_RULES = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    }
}


def test_the_page_gives_a_screen_reader_the_screen_and_announces_changes(server, data_dir):  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe

    with SessionStore.open(data_dir) as store:
        code, _ = Classroom(store).create(open_campaign(MINI), ["Group A"])
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        page = browser.new_context(viewport={"width": 1100, "height": 760}).new_page()
        screen = Screen(page)
        page.goto(server)
        screen.wait("Join your class")
        rows = page.locator(".xterm-accessibility-tree")
        wait_for(lambda: "Join your class" in rows.inner_text(), "the screen's text as rows")
        tree = page.locator("body").aria_snapshot()  # what assistive technology reads
        assert "- main:" in tree and "listitem: Join your class" in tree, tree
        assert "listitem: Class code" in tree and 'textbox "Terminal input"' in tree, tree
        live = page.locator(".xterm-accessibility [aria-live]")
        assert live.count() == 1 and live.get_attribute("aria-live") == "assertive"
        page.evaluate(HEAR)  # what the live region says from now on, as a screen reader hears
        screen.act(lambda: page.keyboard.type(code.lower()), code.lower())
        heard = wait_for(lambda: page.evaluate("window.heard.join(' ')"), "an announcement")
        assert code.lower() in heard or "navigate to rows" in heard, heard
        assert Axe().run(page, options=AXE_RULES).response["violations"] == []
        browser.close()
