"""Hostile input to a class: what a browser (or a script posing as one) sends the class server,
and names that look like markup. Each must be refused or shown literally, in bounded time and
memory, and leave no process behind."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest
from textual.widgets import DataTable

from exsim.classroom import ClassError
from exsim.classroom import web as classweb
from exsim.classroom.web import SEAT_COOKIE, ClassServer
from exsim.cli import main
from exsim.tui.classroom.console_app import ConsoleApp
from exsim.tui.classroom.student_app import StudentApp
from waiting import text_of, until

from .test_screens import roster
from .test_server import serving

SEAT = "hostile-seat-0123456789"
MARKUP_NAMES = ["[/]x", "[/bold]Eve[red]", "[@click=app.quit]Mallory[/]", "[b]Bob"]
# A stand-in app process that speaks textual-serve's start line, then ignores everything (as a
# stuck or flooded app would): ending it is the server's job.
STUCK = f"{sys.executable} -c \"print('__GANGLION__', flush=True); import time; time.sleep(120)\""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def run(server: ClassServer, steps, timeout: float = 40) -> None:
    async def go():
        runner, base = await serving(server)
        try:
            async with aiohttp.ClientSession(cookies={SEAT_COOKIE: SEAT}) as client:
                await steps(client, base)
        finally:
            await runner.cleanup()

    asyncio.run(asyncio.wait_for(go(), timeout))


@pytest.fixture
def spawned(monkeypatch):
    """The pids of the app processes the server starts."""
    pids: list[int] = []
    opened = classweb.SeatAppService._open_app_process

    async def record(self, width=80, height=24):
        process = await opened(self, width, height)
        pids.append(process.pid)
        return process

    monkeypatch.setattr(classweb.SeatAppService, "_open_app_process", record)
    return pids


def test_a_stuck_app_process_ends_soon_after_its_socket_closes(spawned):
    async def steps(client, base):
        async with client.ws_connect(base + "/ws") as ws:
            await ws.send_json(["stdin", "x"])
            await asyncio.sleep(0.5)
        began = time.monotonic()
        while spawned and alive(spawned[0]) and time.monotonic() - began < 10:
            await asyncio.sleep(0.1)
        assert spawned and not alive(spawned[0])
        assert time.monotonic() - began < 3 * classweb.STOP_GRACE + 1  # not ~24 s

    run(ClassServer(port=0, command=STUCK), steps)


def test_a_hostile_resize_is_clamped_and_the_real_app_stays_small(data_dir, spawned):
    sizes: list[tuple[int, int]] = []

    async def steps(client, base):
        async with client.ws_connect(base + "/ws?width=-5&height=100000000") as ws:
            await ws.send_json(["resize", {"width": -5, "height": 100000000}])
            await ws.send_json(["resize", {"width": "wide", "height": None}])
            await ws.send_json(["resize", {"width": 10**30, "height": -(10**30)}])
            await ws.send_str("not json at all")
            await ws.send_json(["stdin", 12345])
            await ws.send_json({"a": "dict"})
            await ws.send_json(["ping", "x" * 1000])
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:  # until the app has drawn its join page
                msg = await ws.receive(timeout=20)
                if msg.type == aiohttp.WSMsgType.BINARY and b"Join" in msg.data:
                    break
            await asyncio.sleep(1)
            rss = int(Path(f"/proc/{spawned[0]}/statm").read_text().split()[1]) * 4096
            assert rss < 300 * 2**20
            sizes.append(rss)
        began = time.monotonic()
        while alive(spawned[0]) and time.monotonic() - began < 10:
            await asyncio.sleep(0.1)
        assert not alive(spawned[0])

    run(ClassServer(port=0), steps)
    assert sizes
    assert classweb.clamp(-5, classweb.WIDTH, 80) == 10
    assert classweb.clamp(100000000, classweb.HEIGHT, 24) == 200
    assert classweb.clamp("wide", classweb.WIDTH, 80) == 80


def test_3_mb_of_keystrokes_close_the_connection_and_end_the_app(spawned):
    async def steps(client, base):
        async with client.ws_connect(base + "/ws") as ws:
            closed = None
            for _ in range(3 * 1024):  # 3 MB, 1 KiB a message
                if ws.closed:
                    break
                try:
                    await ws.send_json(["stdin", "k" * 1024])
                except ConnectionResetError:
                    break
            msg = await ws.receive(timeout=10)
            closed = msg.type
        assert closed in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        began = time.monotonic()
        while alive(spawned[0]) and time.monotonic() - began < 10:
            await asyncio.sleep(0.1)
        assert not alive(spawned[0])

    run(ClassServer(port=0, command=STUCK), steps)


def test_one_huge_message_is_refused(spawned):
    async def steps(client, base):
        async with client.ws_connect(base + "/ws") as ws:
            await ws.send_json(["stdin", "k" * (classweb.MAX_MESSAGE + 1)])
            msg = await ws.receive(timeout=10)
            assert msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)

    run(ClassServer(port=0, command=STUCK), steps)


def test_a_web_page_elsewhere_cannot_join_a_class_nor_rebind_the_host(spawned):
    async def steps(client, base):
        host = base[7:]
        for origin in ("http://evil.example", "null", f"http://{host}.evil.example"):
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await client.ws_connect(base + "/ws", headers={"Origin": origin})
            assert refused.value.status == 403
        for name in ("evil.example", f"evil.example:{host.rsplit(':', 1)[1]}", "10.0.0.1"):
            async with client.get(base + "/", headers={"Host": name}) as r:
                assert r.status == 421
        async with client.get(base + "/") as r:
            page = await r.text()
        assert host not in page  # nothing taken from the Host header
        async with client.ws_connect(base + "/ws", headers={"Origin": f"http://{host}"}) as ws:
            await ws.send_json(["ping", "1"])
        assert spawned == spawned[:1]  # only the page's own origin started an app

    run(ClassServer(port=0, command=STUCK), steps)


def test_the_number_of_app_processes_is_limited(spawned):
    async def steps(client, base):
        sockets = [await client.ws_connect(base + "/ws") for _ in range(classweb.SEAT_APPS)]
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect(base + "/ws")  # one more tab of the same browser
        assert refused.value.status == 429
        async with aiohttp.ClientSession() as cookieless:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await cookieless.ws_connect(base + "/ws")
            assert refused.value.status == 403  # no seat cookie: load the page first
        async with aiohttp.ClientSession(cookies={SEAT_COOKIE: "another-seat-012345"}) as other:
            sockets.append(await other.ws_connect(base + "/ws"))
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await other.ws_connect(base + "/ws")
            assert refused.value.status == 503  # the server is full
            for ws in sockets:
                await ws.close()
        assert len(spawned) == classweb.SEAT_APPS + 1

    run(ClassServer(port=0, command=STUCK, max_apps=classweb.SEAT_APPS + 1), steps)


def test_the_served_page_references_no_outside_host():
    async def steps(client, base):
        async with client.get(base + "/") as r:
            page = await r.text()
            policy = r.headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        found = re.findall(r"""(?:https?:)?//[^\s"'<>)]+""", page)
        assert found == [], found  # no http://, https:// nor //host reference
        for ref in re.findall(r"""(?:href|src)="(/[^"]+)\"""", page):
            async with client.get(base + ref) as r:
                assert r.status == 200, ref
        css = re.findall(r'url\("([^"]+)"\)', page)
        assert css and all(u.startswith("/static/fonts/") for u in css)
        for ref in css:
            async with client.get(base + ref) as r:
                assert r.status == 200, ref

    run(ClassServer(port=0), steps)


@pytest.mark.parametrize("name", MARKUP_NAMES)
def test_a_markup_name_shows_literally_on_the_console_and_on_reopen(made, connect, name):
    code, key, room = made
    sid = room.groups(code)[0].session.id
    room.join(code, sid, "rusk", name, "seat-m")
    room.facilitator(code, key).advance()

    async def look(app):
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            rows = roster(app.screen.query_one(DataTable))
            assert rows[1][2] == name  # shown as typed, brackets and all
            await pilot.press("down", "f")  # free the role: the message names the student
            await pilot.pause()
            assert f"({name} may rejoin" in text_of(app)

    for _ in range(2):  # and on reopen
        asyncio.run(look(ConsoleApp(connect().facilitator(code, key))))
        room.join(code, sid, "rusk", name, f"seat-m{_}")


@pytest.mark.parametrize("name", MARKUP_NAMES)
def test_a_markup_name_shows_literally_on_the_students_pages(made, connect, name):
    code, key, room = made
    sid = room.groups(code)[0].session.id
    room.join(code, sid, "president", name, "seat-chair")
    room.facilitator(code, key).advance()
    app = StudentApp(connect(), "seat-m")

    async def steps():
        async with app.run_test(size=(100, 30)) as pilot:
            screen = app.screen
            screen.query_one("#code").value = code
            screen.query_one("#name").value = name
            await pilot.press("ctrl+s")
            await pilot.pause()
            await pilot.press("enter")  # Group A's Dean Rusk
            seated = f"{name} as Dean Rusk, Secretary of State, Group A"
            await until(pilot, lambda: seated in text_of(app), "the seat taken")
            for _ in range(3):  # the briefing, the meeting, the recommendation
                await pilot.press("n")
                await pilot.pause()
            await pilot.click("#opt-withhold")
            await pilot.press("n")
            waiting = f"({name} as The President decides)"
            await until(pilot, lambda: waiting in text_of(app), "the recommendation sent")

    asyncio.run(steps())


def test_wrong_class_codes_are_slowed_and_counted(made, connect):
    code, key, room = made
    other = connect()
    for n in range(5):
        with pytest.raises(Exception, match="no class with code"):
            other.free_roles(f"WRNG{n}", "seat-guess")
    with pytest.raises(Exception, match="too many wrong class codes"):
        other.free_roles(code, "seat-guess")  # even the right one, for a minute
    assert other.free_roles(code, "seat-honest")  # another browser is not held up
    assert room.wrong_codes(time.time() - 60) == 5
    app = ConsoleApp(connect().facilitator(code, key))

    async def steps():
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert "5 wrong class code(s) tried in 10 min" in text_of(app)

    asyncio.run(steps())


@pytest.mark.parametrize(
    "host, said",
    [
        ("[/]", "cannot serve on [/]:"),
        ("\x1b]0;owned\x07evil", "cannot serve on \\x1b]0;owned\\x07evil:"),
        ("256.1.1.1", "cannot serve on 256.1.1.1:"),
    ],
)
def test_serve_on_a_bad_host_is_a_one_line_error(data_dir, host, said):
    from click.testing import CliRunner

    result = CliRunner().invoke(main, ["serve", "--host", host, "--port", "18299"])
    assert result.exit_code == 1
    assert result.output.startswith(f"error: {said}")
    assert result.output.count("\n") == 1 and "\x1b" not in result.output
    assert "Traceback" not in result.output and "students open" not in result.output


def test_a_busy_port_is_said_before_any_banner(data_dir):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "exsim", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith(f"error: cannot serve on 127.0.0.1:{port}")


@pytest.mark.parametrize("twin", ["Ana", "ana", "A\u200bna", "Ana\u2060", "\uff21na", " Ana  "])
def test_a_name_taken_in_the_class_is_refused_also_as_a_look_alike(made, twin):
    code, _, room = made
    first, second = (g.session.id for g in room.groups(code))
    room.join(code, first, "president", "Ana", "seat-ana")
    with pytest.raises(ClassError, match=r"already called .* add an initial"):
        room.join(code, second, "president", twin, "seat-twin")
    with pytest.raises(ClassError, match="enter your name first"):
        room.join(code, second, "president", "\u200b\u200d", "seat-blank")
    room.join(code, second, "president", "Ana B.", "seat-twin")
