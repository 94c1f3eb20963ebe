"""A student as they meet it: headless Chromium opens the served page, joins with the class
code, takes a role, reads, recommends, reloads and carries on in the same role.

Needs Debian's `chromium` at /usr/bin/chromium (`.ci/run` installs it) and Python playwright.
"""

from __future__ import annotations

import os
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


def wait_for(check, what: str, timeout: float = 20.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


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


def test_a_student_joins_in_chromium_recommends_and_comes_back_after_a_reload(
    server, data_dir, tmp_path
):
    with SessionStore.open(data_dir) as store:
        room = Classroom(store)
        code, key = room.create(open_campaign(MINI), ["Group A"])
        boss = room.facilitator(code, key)
        shots = tmp_path / "screenshots"
        shots.mkdir()

        def pending() -> dict:
            return room.groups(code)[0].session.pending

        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
            page = browser.new_page(viewport={"width": 1100, "height": 760})
            keys = page.keyboard

            def start() -> None:
                page.wait_for_selector("body.-first-byte", state="attached", timeout=20_000)
                page.wait_for_timeout(1500)  # the app draws its first screen
                page.mouse.click(550, 380)

            def press(*names: str, pause: int = 400) -> None:
                for name in names:
                    keys.press(name)
                    page.wait_for_timeout(pause)

            page.goto(server)
            start()
            press("Tab")  # the click focused the page's body: Tab goes to the code
            page.screenshot(path=shots / "1-join.png")
            keys.type(code.lower())
            press("Enter")
            keys.type("Ben")
            press("Enter", pause=800)
            page.screenshot(path=shots / "2-roles.png")
            press("ArrowDown", "Enter", pause=800)  # the second free role: Dean Rusk
            claims = wait_for(lambda: room.groups(code)[0].claims, "the role to be claimed")
            assert claims == {"rusk": "Ben"}

            boss.advance()
            page.wait_for_timeout(1000)
            page.screenshot(path=shots / "3-briefing.png")
            press("n", "n", pause=700)  # briefing read; the meeting's agenda item read
            press("Tab", "Space", "n", pause=500)  # recommend: withhold
            assert wait_for(pending, "the recommendation") == {"pledge": {"rusk": ("withhold",)}}
            page.screenshot(path=shots / "4-sent.png")

            page.reload()  # the same browser: its seat cookie brings it back as Dean Rusk
            start()
            page.screenshot(path=shots / "5-after-reload.png")
            boss.advance()  # deciding: nobody plays the President, the group's vote decides
            boss.advance()
            boss.advance()  # round 2: pressure
            page.wait_for_timeout(1200)
            press("n", "n", pause=700)  # the briefing (new page: shown again), the agenda item
            press("Tab", "Space", "n", pause=500)  # recommend: wait for the talks
            assert wait_for(pending, "the second recommendation") == {
                "pressure": {"rusk": ("wait",)}
            }
            page.screenshot(path=shots / "6-round-2.png")
            assert room.groups(code)[0].claims == {"rusk": "Ben"}  # never asked to rejoin
            browser.close()
    for name in ("1-join", "2-roles", "3-briefing", "4-sent", "5-after-reload", "6-round-2"):
        assert (shots / f"{name}.png").stat().st_size > 5000
