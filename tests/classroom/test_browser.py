"""A student as they meet it: headless Chromium opens the served page, joins with the class
code and a name on its form, takes a role, reads, recommends, reloads and carries on in the
same role; the chair decides on the same page; the page fetches nothing from outside the
class's server.

Needs Debian's `chromium` at /usr/bin/chromium (`.ci/run` installs it) and Python playwright.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from exsim.classroom import Classroom
from exsim.engine import open_campaign
from exsim.store import SessionStore

CHROMIUM = Path("/usr/bin/chromium")
MINI = Path(__file__).parents[1] / "data" / "mini.yaml"
PATIENCE = 90.0  # seconds a page may take on a loaded machine (a new app process per page)
ESCAPES = r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not CHROMIUM.exists():
    pytest.skip(
        "browser test skipped: /usr/bin/chromium is absent "
        "(install Debian's chromium package; .ci/run does so in CI)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="browser test skipped: pip install playwright"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, what: str, timeout: float = PATIENCE):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


class Screen:
    """What the page's terminal receives, read from its websocket frames, to wait on text."""

    def __init__(self, page):
        self.page = page
        self.text = ""
        self.mark = 0
        self.requests: list[str] = []  # every address the page asked for
        self.errors: list[str] = []  # what the browser logged as an error
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))

    def _frame(self, payload) -> None:
        if isinstance(payload, bytes):
            self.text += payload.decode(errors="replace")

    @property
    def since(self) -> str:
        return self.text[self.mark :]

    def wait(self, wanted: str, timeout: float = PATIENCE) -> None:
        end = time.monotonic() + timeout
        while wanted not in self.since:
            if time.monotonic() > end:
                shown = re.sub(ESCAPES, "", self.since)
                raise AssertionError(f"the page never showed {wanted!r}; it drew: {shown[-600:]}")
            self.page.wait_for_timeout(100)

    def choose(self, done: str) -> None:
        """Tick the first option and send it, with the keys a student would use: Space (the
        options have the keys as soon as the page shows them), then n; once more if a slow
        page had not drawn the options yet (nothing is sent without a choice), but never after
        it drew the last try's answer: that would press on past it."""
        start = len(self.text)
        for _ in range(4):
            if done in self.text[start:]:
                return
            self.mark = len(self.text)
            for key in ("Space", "n"):
                self.page.keyboard.press(key)
            try:
                self.wait(done, timeout=10)
                return
            except AssertionError:
                continue
        raise AssertionError(f"the choice was never sent ({done!r} never drawn)")

    def act(self, do, wanted: str) -> None:
        """Do something, then wait until the page shows *wanted* (drawn after it)."""
        self.mark = len(self.text)
        do()
        self.wait(wanted)


@pytest.fixture
def server(data_dir):
    port = free_port()
    env = {**os.environ, "EXSIM_DATA_DIR": str(data_dir)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "exsim", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for(lambda: _answers(port) or proc.poll() is not None, "the server to start")
        assert proc.poll() is None, proc.stdout.read().decode()
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _answers(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def join(page, screen: Screen, code: str, name: str, downs: int, then: str) -> None:
    """On the join form, type the code at once (no click: the form has the keys), Tab, the
    name, Enter; on the page that opens, take a role."""
    keys = page.keyboard
    page.wait_for_selector("#code:focus")
    keys.type(code.lower())
    keys.press("Tab")
    keys.type(name)
    assert (page.input_value("#code"), page.input_value("#name")) == (code.lower(), name)
    with page.expect_navigation():
        keys.press("Enter")
    screen.wait("Take a free role")
    for _ in range(downs):
        keys.press("ArrowDown")
    screen.act(lambda: keys.press("Enter"), then)


def test_students_type_at_once_reload_the_chair_decides_and_a_retaken_role_is_credited(
    server, data_dir, tmp_path
):
    with SessionStore.open(data_dir) as store:
        room = Classroom(store)
        code, key = room.create(open_campaign(MINI), ["Group A"])
        boss = room.facilitator(code, key)
        sid = room.groups(code)[0].session.id
        shots = tmp_path / "screenshots"
        shots.mkdir()

        def pending() -> dict:
            return room.groups(code)[0].session.pending

        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
            ben_page = browser.new_context(viewport={"width": 1100, "height": 760}).new_page()
            ben = Screen(ben_page)
            ben_page.goto(server)
            join(
                ben_page, ben, code, "Ben", downs=1, then="Waiting for the facilitator"
            )  # Group A: Dean Rusk
            ben_page.screenshot(path=shots / "1-joined.png")
            assert room.groups(code)[0].claims == {"rusk": "Ben"}

            ben.act(ben_page.reload, "Dean Rusk")  # the seat cookie brings him back
            ana_page = browser.new_context(viewport={"width": 1100, "height": 760}).new_page()
            ana = Screen(ana_page)
            ana_page.goto(server)
            join(ana_page, ana, code, "Ana", downs=0, then="Ana as The President")  # she chairs
            ben.act(boss.advance, "You want inspection first")  # keys work with no click:
            ben.act(lambda: ben_page.keyboard.press("n"), "To the recommendations")
            ben.act(lambda: ben_page.keyboard.press("n"), "Submit my recommendation")
            ben.choose("Your recommendation:")
            assert wait_for(pending, "Ben's recommendation") == {"pledge": {"rusk": ("withhold",)}}
            ben_page.screenshot(path=shots / "2-ben-sent.png")

            ben.act(lambda: boss.free(sid, "rusk"), "Join your class again")  # his role is freed
            cleo_page = browser.new_context(viewport={"width": 1100, "height": 760}).new_page()
            cleo = Screen(cleo_page)
            cleo_page.goto(server)
            join(
                cleo_page, cleo, code, "Cleo", downs=0, then="Cleo as Dean Rusk"
            )  # a new browser takes Rusk
            assert room.groups(code)[0].claims == {"rusk": "Cleo", "president": "Ana"}
            ana.act(boss.advance, "Choose one: arrow keys")  # the decision, on the chair's page
            cleo.mark = len(cleo.text)
            ana.choose("Decided: The pledge: Withhold it")  # on the same page, in place
            cleo.wait("Decided: The pledge: Withhold it")
            ana_page.screenshot(path=shots / "3-ana-decided.png")
            boss.advance()
            cleo.act(boss.advance, "You want inspection first")  # round 2, Cleo recommends
            cleo.act(lambda: cleo_page.keyboard.press("n"), "To the recommendations")
            cleo.act(lambda: cleo_page.keyboard.press("n"), "Submit my recommendation")
            cleo.choose("Your recommendation:")
            assert list(wait_for(pending, "Cleo's recommendation")["pressure"]) == ["rusk"]
            ana.act(boss.advance, "Which steps now?")  # a decision of several options
            ana.choose("Decided: Pressure: Wait for the talks")
            while boss.state.stage != "over":
                boss.advance()
            cleo.act(boss.reveal, "Debrief")
            cleo.wait("Cleo (Dean Rusk) recommended")
            cleo_page.screenshot(path=shots / "4-debrief.png")
            browser.close()
        for seen in (ben, ana, cleo):  # offline: nothing fetched from elsewhere, nothing failed
            assert seen.requests and all(url.startswith(server) for url in seen.requests)
            assert seen.errors == []
        debrief = room.groups(code)[0].debrief()
        credited = [(r.player, d.id) for d in debrief.decisions for r in d.recommendations]
        assert credited == [("Ben", "pledge"), ("Cleo", "pressure")]
        decided = room.groups(code)[0].session.decisions  # the last one the group's vote took
        assert [d.by for d in decided[:2]] == ["president", "president"]
    for name in ("1-joined", "2-ben-sent", "3-ana-decided", "4-debrief"):
        assert (shots / f"{name}.png").stat().st_size > 5000


@pytest.fixture
def logged_server(data_dir, tmp_path):
    """The class server, its log in a file: (url, log path)."""
    port = free_port()
    env = {**os.environ, "EXSIM_DATA_DIR": str(data_dir)}
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "exsim", "serve", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for(lambda: _answers(port) or proc.poll() is not None, "the server to start")
            assert proc.poll() is None, log.read_text()
            yield f"http://127.0.0.1:{port}/", log
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


def app_of(seat: str) -> int:
    """The process id of the student app serving *seat* (a child of the class server)."""
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if f"EXSIM_SEAT={seat}".encode() in environ.read_bytes().split(b"\0"):
                return int(environ.parent.name)
        except OSError:
            continue
    raise AssertionError(f"no app process for seat {seat[:6]}…")


def test_a_click_a_reload_a_lost_connection_and_a_retaken_chair(logged_server, data_dir):
    """A click on the text leaves the keys with the options; a reload comes back to the page
    the student was on, not the briefing; a page whose app process died reconnects by itself
    into the same role and page, and the server logs it; a chair who decided and was freed
    keeps the credit for it, and the others' pages say who decides now."""
    server, log = logged_server
    with SessionStore.open(data_dir) as store:
        room = Classroom(store)
        code, key = room.create(open_campaign(MINI), ["Group A"])
        boss = room.facilitator(code, key)
        sid = room.groups(code)[0].session.id
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)

            def open_page():
                context = browser.new_context(viewport={"width": 1100, "height": 760})
                page = context.new_page()
                screen = Screen(page)
                page.goto(server)
                return context, page, screen

            ben_context, ben_page, ben = open_page()
            join(ben_page, ben, code, "Ben", downs=1, then="Waiting for the facilitator")
            _, ana_page, ana = open_page()
            join(ana_page, ana, code, "Ana", downs=0, then="Ana as The President")
            ben.act(boss.advance, "You want inspection first")
            ben.act(lambda: ben_page.keyboard.press("n"), "To the recommendations")
            ben.act(ben_page.reload, "To the recommendations")  # the agenda item again
            assert "I have read it" not in re.sub(ESCAPES, "", ben.since)  # not the briefing
            ben.act(lambda: ben_page.keyboard.press("n"), "Submit my recommendation")
            ben_page.mouse.click(300, 200)  # on the text: the options keep the keys
            ben_page.mouse.click(1000, 600)  # on empty space
            ben.choose("Your recommendation:")

            seat = next(c["value"] for c in ben_context.cookies() if c["name"] == "exsim_seat")
            os.kill(app_of(seat), signal.SIGKILL)  # his page's game dies: the page comes back
            ben.mark = len(ben.text)
            ben.wait("Your recommendation: Withhold it")  # by itself, on the same page
            assert ben_page.evaluate("document.body.className").count("-closed") == 0
            assert wait_for(lambda: "reconnected" in log.read_text(), "the server's log line")
            assert "ended by itself" in log.read_text()

            ana.act(boss.advance, "Choose one: arrow keys")
            ana.choose("Decided: The pledge: Withhold it")
            boss.advance()
            ben.act(boss.advance, "To the recommendations")  # round 2
            ben.act(lambda: ben_page.keyboard.press("n"), "Submit my recommendation")
            ben.choose("Your recommendation:")
            ben.act(boss.advance, "Ana as The President is deciding")
            boss.free(sid, "president")  # Ana leaves; Dan takes the chair
            _, dan_page, dan = open_page()
            ben.mark = len(ben.text)
            join(dan_page, dan, code, "Dan", downs=0, then="Choose one or more")
            ben.wait("Dan as The President is deciding")  # not Ana any more
            dan.choose("Decided: Pressure: Wait for the talks")
            browser.close()
        assert ben.errors == []  # no "Still in CONNECTING state", nothing else
        debrief = room.groups(code)[0].debrief()
        assert [(d.id, d.decided_by_player) for d in debrief.decisions[:2]] == [
            ("pledge", "Ana"),
            ("pressure", "Dan"),
        ]
        assert [p.player for p in debrief.players if p.role == "president"] == ["Ana", "Dan"]
