"""Hostile input to a class: what a browser (or a script posing as one) sends the class server,
and names that look like markup. Each must be refused or shown literally, in bounded time and
memory, and leave no process behind."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import signal
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

MARKUP_NAMES = ["[/]x", "[/bold]Eve[red]", "[@click=app.quit]Mallory[/]", "[b]Bob"]
# A stand-in app process that speaks textual-serve's start line, then ignores everything (as a
# stuck or flooded app would): ending it is the server's job.
CLOSED = (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.CLOSED)
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
            seat = {SEAT_COOKIE: server.seats.issue()}
            async with aiohttp.ClientSession(cookies=seat) as client:
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
    server = ClassServer(port=0, command=STUCK, max_apps=classweb.SEAT_APPS + 1)

    async def steps(client, base):
        sockets = [await client.ws_connect(base + "/ws") for _ in range(classweb.SEAT_APPS)]
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect(base + "/ws")  # one more tab of the same browser
        assert refused.value.status == 429
        async with aiohttp.ClientSession() as cookieless:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await cookieless.ws_connect(base + "/ws")
            assert refused.value.status == 403  # no seat cookie: load the page first
        async with aiohttp.ClientSession(cookies={SEAT_COOKIE: server.seats.issue()}) as other:
            sockets.append(await other.ws_connect(base + "/ws"))
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await other.ws_connect(base + "/ws")
            assert refused.value.status == 503  # the server is full
            for ws in sockets:
                await ws.close()
        assert len(spawned) == classweb.SEAT_APPS + 1

    run(server, steps)


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
    room.join(code, sid, "president", f"C {name}", "seat-chair")  # another name: a twin is refused
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
            waiting = f"(C {name} as The President decides)"
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


def test_an_escape_sequence_in_the_url_never_reaches_the_console(made, data_dir, monkeypatch):
    from click.testing import CliRunner

    from exsim.cli.serve_command import keep_key

    code, key, _ = made
    keep_key(code, key)
    shown: list[str] = []
    monkeypatch.setattr(ConsoleApp, "run", lambda self: shown.append(self.url))
    url = "http://10.0.0.2:8000/\x1b]0;PWNED\x07\x1b[2J?token=abc\n"
    result = CliRunner().invoke(main, ["facilitate", "--code", code, "--url", url])
    assert result.exit_code == 0
    result = CliRunner().invoke(main, ["facilitate", "--code", code])  # as remembered
    assert shown == ["http://10.0.0.2:8000/]0;PWNED[2J?token=abc"] * 2


def test_a_student_with_the_right_code_gets_in_while_codes_are_guessed(made, connect):
    """Guessing from many browsers (200 wrong codes in a few seconds) never locks the class:
    the right code from a browser that did not guess is answered at once."""
    code, _, room = made
    guesser = connect()
    for n in range(200):
        with pytest.raises(ClassError):
            guesser.free_roles(f"G{n:04d}", f"seat-guess-{n % 40}")
    began = time.monotonic()
    assert room.free_roles(code, "seat-honest")
    assert time.monotonic() - began < 1
    with pytest.raises(ClassError, match="too many wrong class codes"):
        guesser.free_roles(f"H{code}", "seat-guess-1")  # each guessing browser waits


async def started(spawned: list[int], count: int) -> None:
    """Wait until *count* app processes were started (a handshake ends before its start)."""
    began = time.monotonic()
    while len(spawned) < count and time.monotonic() - began < 10:
        await asyncio.sleep(0.05)
    assert len(spawned) == count


def refused_status(connecting) -> int:
    """The HTTP status a websocket handshake was refused with."""

    async def status() -> int:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await connecting
        return refused.value.status

    return status()


def test_a_made_up_seat_cookie_starts_no_app(spawned):
    server = ClassServer(port=0, command=STUCK)
    real = server.seats.issue()
    fakes = [real[:-1] + ("A" if real[-1] != "A" else "B"), "x" * 24 + "." + "y" * 22]
    fakes += [f"{n:024d}.{real.split('.')[1]}" for n in range(20)]

    async def steps(client, base):
        for fake in fakes:
            async with aiohttp.ClientSession(cookies={SEAT_COOKIE: fake}) as hostile:
                assert await refused_status(hostile.ws_connect(base + "/ws")) == 403
        assert spawned == []

    run(server, steps)


def test_join_pages_of_seats_without_a_role_are_few(spawned):
    joined: set[str] = set()
    server = ClassServer(port=0, command=STUCK, max_joining=3, seated=joined.__contains__)

    async def steps(client, base):
        opened = []
        for _ in range(3):
            async with aiohttp.ClientSession(cookies={SEAT_COOKIE: server.seats.issue()}) as c:
                opened.append(await c.ws_connect(base + "/ws"))
        async with aiohttp.ClientSession(cookies={SEAT_COOKIE: server.seats.issue()}) as c:
            assert await refused_status(c.ws_connect(base + "/ws")) == 503  # a fourth: later
            async with c.get(base + "/ws") as r:
                assert "many students are joining" in await r.text()
        seated = server.seats.issue()
        joined.add(seated)  # a student with a role is never held up by join pages
        async with aiohttp.ClientSession(cookies={SEAT_COOKIE: seated}) as c:
            opened.append(await c.ws_connect(base + "/ws"))
        joined.add(server.screens[0].seat)  # one of the three took a role: a place is free
        async with aiohttp.ClientSession(cookies={SEAT_COOKIE: server.seats.issue()}) as c:
            opened.append(await c.ws_connect(base + "/ws"))
        await started(spawned, 5)
        for ws in opened:
            await ws.close()

    run(server, steps)


def test_a_join_page_without_a_role_ends_after_its_time(spawned, monkeypatch):
    monkeypatch.setattr(classweb, "JOINING_TIME", 0.5)

    async def steps(client, base):
        async with client.ws_connect(base + "/ws") as ws:
            while (await ws.receive(timeout=10)).type not in CLOSED:
                pass
        began = time.monotonic()
        while alive(spawned[0]) and time.monotonic() - began < 10:
            await asyncio.sleep(0.1)
        assert not alive(spawned[0])

    run(ClassServer(port=0, command=STUCK, seated=lambda seat: False), steps)


def test_app_processes_are_started_at_a_bounded_rate(spawned, monkeypatch):
    monkeypatch.setattr(classweb, "SPAWN_BURST", 2.0)
    monkeypatch.setattr(classweb, "SPAWN_RATE", 0.01)
    server = ClassServer(port=0, command=STUCK)

    async def steps(client, base):
        opened = []
        for n in range(4):
            async with aiohttp.ClientSession(cookies={SEAT_COOKIE: server.seats.issue()}) as c:
                if n < 2:
                    opened.append(await c.ws_connect(base + "/ws"))
                else:
                    assert await refused_status(c.ws_connect(base + "/ws")) == 503
        await started(spawned, 2)
        for ws in opened:
            await ws.close()

    run(server, steps)


def test_an_address_is_given_new_seats_at_a_bounded_rate(monkeypatch):
    monkeypatch.setattr(classweb, "SEATS_BURST", 3.0)
    monkeypatch.setattr(classweb, "SEATS_RATE", 0.01)
    server = ClassServer(port=0)

    async def steps(client, base):
        for n in range(5):
            async with aiohttp.ClientSession() as fresh, fresh.get(base + "/") as r:
                assert r.status == (200 if n < 3 else 429), n  # no cookie: a new seat each
                if n >= 3:
                    assert "too many new visitors" in await r.text()
        async with client.get(base + "/") as r:  # a browser that has its seat is served
            assert r.status == 200

    run(server, steps)


def test_app_processes_never_outnumber_the_limit_under_churn(spawned):
    """Connections opened and dropped as fast as possible by one browser: its app processes
    count until they have ended, so at most SEAT_APPS run at any moment."""
    most = 0

    async def steps(client, base):
        nonlocal most
        refused = 0
        for _ in range(12):
            try:
                ws = await client.ws_connect(base + "/ws")
            except aiohttp.WSServerHandshakeError as exc:
                assert exc.status == 429  # still ending, or started too often
                refused += 1
            else:
                await ws.close()
            most = max(most, sum(alive(pid) for pid in spawned))
        assert refused  # the dropped ones were still ending
        began = time.monotonic()
        while any(alive(pid) for pid in spawned) and time.monotonic() - began < 20:
            await asyncio.sleep(0.1)
        assert not any(alive(pid) for pid in spawned)

    run(ClassServer(port=0, command=STUCK), steps)
    assert 0 < most <= classweb.SEAT_APPS


def test_slow_requests_are_timed_out(monkeypatch):
    """Slow-loris: sockets that send a request a few bytes at a time are closed after
    IDLE_TIMEOUT; the server answers others meanwhile and after."""
    monkeypatch.setattr(classweb, "IDLE_TIMEOUT", 1.0)

    async def steps(client, base):
        port = int(base.rsplit(":", 1)[1])
        slow = [await asyncio.open_connection("127.0.0.1", port) for _ in range(30)]
        for _, writer in slow:
            writer.write(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            await writer.drain()
        async with client.get(base + "/") as r:
            assert r.status == 200
        for _ in range(3):
            await asyncio.sleep(0.7)
            for _, writer in slow:
                with contextlib.suppress(ConnectionError):
                    writer.write(b"a")
        for reader, _ in slow:  # each closed by the server
            with contextlib.suppress(ConnectionError):
                assert await asyncio.wait_for(reader.read(), 5) == b""
        async with client.get(base + "/") as r:
            assert r.status == 200

    run(ClassServer(port=0), steps)


def test_connections_beyond_the_limit_are_closed_and_said_once(caplog):
    async def steps(client, base):
        port = int(base.rsplit(":", 1)[1])
        opened = [await asyncio.open_connection("127.0.0.1", port) for _ in range(40)]
        await asyncio.sleep(0.3)
        closed = 0
        for reader, _ in opened:
            with contextlib.suppress(asyncio.TimeoutError, ConnectionError):
                if await asyncio.wait_for(reader.read(), 0.05) == b"":
                    closed += 1
        assert closed >= 40 - 10
        for _, writer in opened:
            writer.close()
        await asyncio.sleep(0.3)
        async with client.get(base + "/") as r:
            assert r.status == 200

    with caplog.at_level(logging.WARNING, "exsim.serve"):
        run(ClassServer(port=0, max_connections=10), steps)
    said = [r for r in caplog.records if "refused connections" in r.getMessage()]
    assert len(said) == 1


def test_running_out_of_file_descriptors_is_said_once_without_tracebacks(tmp_path):
    """`exsim serve` with 64 file descriptors, and 300 connections: one line in its log, no
    traceback, and it serves again once they close."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64)); "
        "from exsim.classroom.web import ClassServer; "
        f"ClassServer(port={port}, max_connections=1000).serve()"
    )
    server = subprocess.Popen(
        [sys.executable, "-c", code], stderr=subprocess.PIPE, text=True, env=os.environ.copy()
    )
    try:
        base = f"http://127.0.0.1:{port}"

        async def flood():
            for _ in range(100):  # until it listens
                with contextlib.suppress(OSError):
                    _, writer = await asyncio.open_connection("127.0.0.1", port)
                    writer.close()
                    break
                await asyncio.sleep(0.1)
            opened = []
            for _ in range(300):
                with contextlib.suppress(OSError):
                    opened.append(await asyncio.open_connection("127.0.0.1", port))
            await asyncio.sleep(3)
            for _, writer in opened:
                writer.close()
            await asyncio.sleep(1.5)
            async with aiohttp.ClientSession() as client, client.get(base + "/") as r:
                assert r.status == 200

        asyncio.run(asyncio.wait_for(flood(), 60))
    finally:
        server.terminate()
        _, err = server.communicate(timeout=20)
    assert "Traceback" not in err
    assert err.count("cannot accept connections now") == 1, err[-2000:]
    assert len(err) < 5000


def test_the_token_never_reaches_the_access_log(caplog):
    token = "class-token-0123456789"

    async def steps(client, base):
        for query in (f"?token={token}", "?token=wrong-guess-42", f"?token={token}&x=1"):
            async with client.get(base + "/" + query) as r:
                assert r.status in (200, 403)

    with caplog.at_level(logging.INFO):
        run(ClassServer(port=0, token=token), steps)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert '"GET /" 200' in logged and '"GET /" 403' in logged
    assert token not in logged and "wrong-guess-42" not in logged and "token" not in logged


def test_app_processes_die_with_a_killed_server():
    """`kill -9` of `exsim serve`: its students' app processes end with it."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "exsim", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    children: list[int] = []

    async def connect():
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):  # until it listens
            with contextlib.suppress(OSError):
                _, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.close()
                break
            await asyncio.sleep(0.1)
        jar = aiohttp.CookieJar(unsafe=True)
        async with aiohttp.ClientSession(cookie_jar=jar) as client:
            async with client.get(base + "/") as r:
                assert r.status == 200
            sockets = [await client.ws_connect(base + "/ws") for _ in range(2)]
            began = time.monotonic()
            while len(children) < 2 and time.monotonic() - began < 20:
                children[:] = children_of(server.pid)
                await asyncio.sleep(0.1)
            os.kill(server.pid, signal.SIGKILL)
            for ws in sockets:
                with contextlib.suppress(Exception):
                    await ws.close()

    try:
        asyncio.run(asyncio.wait_for(connect(), 60))
    finally:
        if server.poll() is None:
            server.kill()
        server.communicate(timeout=10)
    assert len(children) == 2
    began = time.monotonic()
    while any(alive(pid) for pid in children) and time.monotonic() - began < 10:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in children)


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
    return found


def test_a_damaged_class_store_shows_students_why(data_dir, spawned):
    """The page shows the reason, not a blank screen, when the store cannot be opened."""
    (data_dir / "sessions.sqlite3").write_bytes(b"SQLite format 3\0" + b"\x17" * 8000)

    def plain(shown: bytes) -> str:
        return re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", shown).decode(errors="replace")

    async def steps(client, base):
        shown = b""
        async with client.ws_connect(base + "/ws?width=100&height=30") as ws:
            began = time.monotonic()
            # a loaded host may draw the page in several frames, each only what changed: read
            # until the heading and the reason are both in
            wanted = ("The class cannot be opened", "session store")
            while not all(w in plain(shown) for w in wanted):
                left = 30 - (time.monotonic() - began)
                if left <= 0:
                    break
                try:
                    msg = await ws.receive(timeout=left)
                except asyncio.TimeoutError:
                    break
                if msg.type in CLOSED:
                    break
                if msg.type == aiohttp.WSMsgType.BINARY:
                    shown += msg.data
        text = plain(shown)
        assert "The class cannot be opened" in text
        assert "session store" in text

    run(ClassServer(port=0), steps)


def test_off_localhost_one_address_has_its_own_share(spawned, monkeypatch):
    """A client on another computer holds at most JOINING_PER_ADDRESS join pages and starts
    app processes at its own bounded rate, whatever the others do."""
    monkeypatch.setattr(classweb, "ADDRESS_SPAWN_BURST", 6.0)
    monkeypatch.setattr(classweb, "ADDRESS_SPAWN_RATE", 0.01)
    monkeypatch.setattr(ClassServer, "counted_apart", staticmethod(lambda address: True))
    joined: set[str] = set()
    server = ClassServer(port=0, command=STUCK, seated=joined.__contains__)

    sessions: list[aiohttp.ClientSession] = []
    base_of: list[str] = []

    def connect(seat: str):
        """A websocket from a browser of its own, kept open until the end."""
        sessions.append(aiohttp.ClientSession(cookies={SEAT_COOKIE: seat}))
        return sessions[-1].ws_connect(base_of[0] + "/ws")

    async def steps(client, base):
        base_of.append(base)
        opened = [await connect(server.seats.issue()) for _ in range(classweb.JOINING_PER_ADDRESS)]
        assert await refused_status(connect(server.seats.issue())) == 429  # a fifth join page
        for _ in range(2):
            seated = server.seats.issue()
            joined.add(seated)
            opened.append(await connect(seated))
        assert await refused_status(connect(next(iter(joined)))) == 429  # its 7th start: later
        await started(spawned, 6)
        for ws in opened:
            await ws.close()
        for session in sessions:
            await session.close()

    run(server, steps)
