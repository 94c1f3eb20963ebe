"""The served pages read by a screen reader: the join form is plain labelled HTML; on the
terminal page, xterm.js's screen-reader mode gives the screen's text as an accessible tree of
rows and announces what changes; axe-core finds no violation on either.
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


def test_the_join_form_and_the_page_give_a_screen_reader_what_it_needs(server, data_dir):  # noqa: F811
    """The join form: labelled fields, a refusal announced (role=alert) at the field to
    change, no axe violation. The terminal page: the screen's text as rows, changes announced,
    no axe violation."""
    from axe_playwright_python.sync_playwright import Axe

    with SessionStore.open(data_dir) as store:
        code, _ = Classroom(store).create(open_campaign(MINI), ["Group A"])
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        page = browser.new_context(viewport={"width": 1100, "height": 760}).new_page()
        screen = Screen(page)
        page.goto(server)
        page.wait_for_selector("#code:focus")  # the keys go to the first field at once
        form = page.locator("body").aria_snapshot()
        assert 'heading "Join your class"' in form, form
        assert 'textbox "Class code"' in form and 'textbox "Your name"' in form, form
        assert Axe().run(page, options=AXE_RULES).response["violations"] == []
        page.keyboard.type("nope")
        page.keyboard.press("Tab")
        page.keyboard.type("Ana")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        alert = page.get_by_role("alert")
        assert alert.inner_text() == "No class with code 'NOPE': check the code on the board."
        assert page.get_attribute("#code", "aria-invalid") == "true"
        assert "problem" in page.get_attribute("#code", "aria-describedby")
        assert page.evaluate("document.activeElement.id") == "code"  # where to correct it
        assert page.input_value("#name") == "Ana"  # kept
        assert Axe().run(page, options=AXE_RULES).response["violations"] == []
        page.keyboard.press("Control+A")
        page.keyboard.type(code)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        screen.wait("Choose your role")
        rows = page.locator(".xterm-accessibility-tree")
        wait_for(lambda: "Choose your role" in rows.inner_text(), "the screen's text as rows")
        tree = page.locator("body").aria_snapshot()  # what assistive technology reads
        assert "- main:" in tree and "listitem: Choose your role" in tree, tree
        assert 'textbox "Terminal input"' in tree, tree
        live = page.locator(".xterm-accessibility [aria-live]")
        assert live.count() == 1 and live.get_attribute("aria-live") == "assertive"
        page.evaluate(HEAR)  # what the live region says from now on, as a screen reader hears
        screen.act(lambda: page.keyboard.press("ArrowDown"), "Dean Rusk")
        wait_for(lambda: page.evaluate("window.heard.join(' ')"), "an announcement")
        assert Axe().run(page, options=AXE_RULES).response["violations"] == []
        browser.close()
