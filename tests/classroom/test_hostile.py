"""Hostile input to a class: what a browser (or a script posing as one) sends the class server,
and names that look like markup. Each must be refused or shown literally, in bounded time and
memory, and leave no process behind."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import html
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
from exsim.classroom.web import SEAT_COOKIE, ClassServer, Standing
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


def seated(seat: str) -> Standing:
    """Every seat plays a role (for tests of what happens once an app process runs)."""
    return "seated"


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

    run(ClassServer(port=0, command=STUCK, standing=seated), steps)


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
            while time.monotonic() < deadline:  # until the app has drawn its first page
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

    run(ClassServer(port=0, standing=lambda seat: "admitted"), steps)
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

    run(ClassServer(port=0, command=STUCK, standing=seated), steps)


def test_one_huge_message_is_refused(spawned):
    async def steps(client, base):
        async with client.ws_connect(base + "/ws") as ws:
            await ws.send_json(["stdin", "k" * (classweb.MAX_MESSAGE + 1)])
            msg = await ws.receive(timeout=10)
            assert msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)

    run(ClassServer(port=0, command=STUCK, standing=seated), steps)


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

    run(ClassServer(port=0, command=STUCK, standing=seated), steps)


def test_the_number_of_app_processes_is_limited(spawned):
    server = ClassServer(port=0, command=STUCK, max_apps=classweb.SEAT_APPS + 1, standing=seated)

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


def test_the_served_pages_reference_no_outside_host():
    """Neither the join form nor the terminal page asks for anything from elsewhere."""
    joined: set[str] = set()
    server = ClassServer(port=0, standing=lambda seat: "seated" if seat in joined else None)

    async def steps(client, base):
        async with aiohttp.ClientSession() as fresh, fresh.get(base + "/") as r:
            form = await r.text()
            assert "default-src 'none'" in r.headers["Content-Security-Policy"]
        assert "<form" in form and "<script" not in form
        assert re.findall(r"""(?:https?:)?//[^\s"'<>)]+""", form) == []
        assert re.findall(r'(?:href|src)="([^"]+)"', form) == ["data:,"]
        joined.update(c.value for c in client.cookie_jar if c.key == SEAT_COOKIE)
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

    run(server, steps)


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
    room.admit(code, name, "seat-m")  # the join form let the name in
    app = StudentApp(connect(), "seat-m")

    async def steps():
        async with app.run_test(size=(100, 30)) as pilot:
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
            other.admit(f"WRNG{n}", "Eve", "seat-guess")
    with pytest.raises(Exception, match="too many wrong class codes"):
        other.admit(code, "Eve", "seat-guess")  # even the right one, for a minute
    assert other.admit(code, "Ann", "seat-honest")  # another browser is not held up
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
            guesser.admit(f"G{n:04d}", "Eve", f"seat-guess-{n % 40}")
    began = time.monotonic()
    assert room.admit(code, "Ann", "seat-honest")
    assert time.monotonic() - began < 1
    with pytest.raises(ClassError, match="too many wrong class codes"):
        guesser.admit(f"H{code}", "Eve", "seat-guess-1")  # each guessing browser waits


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


JAR = aiohttp.CookieJar  # cookies for 127.0.0.1 are kept only by an "unsafe" jar


def problem_on(form: str) -> str:
    """The sentence the join form says why it refused, or "" when it said nothing."""
    found = re.search(r'<p class="problem" id="problem" role="alert">(.*?)</p>', form, re.S)
    return html.unescape(found.group(1)) if found else ""


async def join_form(session: aiohttp.ClientSession, base: str, code: str, name: str) -> str:
    """Send the join form as a browser does (following the answer); the page it ends on."""
    async with session.post(base + "/join", data={"code": code, "name": name}) as r:
        return await r.text()


def test_anonymous_join_pages_start_no_app_process(made, spawned):
    """Thirty browsers load the join form and open a terminal connection without sending a
    right code: no app process at all (the form is the server's own page)."""
    server = ClassServer(port=0, command=STUCK)

    async def steps(client, base):
        for n in range(30):
            async with aiohttp.ClientSession(cookie_jar=JAR(unsafe=True)) as fresh:
                async with fresh.get(base + "/") as r:
                    form = await r.text()
                assert "Join your class" in form and "<script" not in form
                if n % 2:  # a wrong code first: the browser has a seat, still no process
                    said = problem_on(await join_form(fresh, base, "X", "E"))
                    assert said.startswith("No class with code")
                assert await refused_status(fresh.ws_connect(base + "/ws")) == 403
                async with fresh.get(base + "/ws") as r:
                    assert "join the class first" in await r.text()
        assert spawned == [] and server.screens == []

    run(server, steps)


def test_the_join_form_says_each_refusal_as_a_sentence(made, connect, spawned):
    code, key, _ = made
    server = ClassServer(port=0, command=STUCK)
    said: list[str] = []

    async def refused(code: str, name: str) -> str:
        async with aiohttp.ClientSession(cookie_jar=JAR(unsafe=True)) as fresh:
            form = await join_form(fresh, base_of[0], code, name)
            assert f'value="{html.escape(name)}"' in form  # kept, to correct
            assert await refused_status(fresh.ws_connect(base_of[0] + "/ws")) == 403
        said.append(problem_on(form))
        return said[-1]

    base_of: list[str] = []

    async def steps(client, base):
        base_of.append(base)
        assert await refused("NOPE", "Ana") == (
            "No class with code 'NOPE': check the code on the board."
        )
        assert await refused(code, "  \u200b ") == "Enter your name first."
        async with aiohttp.ClientSession(cookie_jar=JAR(unsafe=True)) as ana:
            assert "textual.js" in await join_form(ana, base, code.lower(), "Ana")
        assert await refused(code, "A\u200bna") == (
            "A student of this class is already called 'A\\u200bna' (or a name that looks the "
            "same): add an initial, so the class can tell you apart."
        )
        for name in ("Ben", "Cleo", "Dan"):  # the class's other three places
            async with aiohttp.ClientSession(cookie_jar=JAR(unsafe=True)) as other:
                assert "textual.js" in await join_form(other, base, code, name)
        assert await refused(code, "Eve") == (
            f"Every role in class {code} is taken (or being chosen by students joining now): "
            "ask your facilitator."
        )
        async with aiohttp.ClientSession(cookie_jar=JAR(unsafe=True)) as guesser:
            for n in range(5):
                await join_form(guesser, base, f"W{n}", "Eve")
            assert problem_on(await join_form(guesser, base, code, "Eve")) == (
                "Too many wrong class codes in the last minute: wait a minute, then check the "
                "code on the board."
            )
        connect().facilitator(code, key).reveal()
        assert await refused(code, "Fay") == f"Class {code} is over."
        assert spawned == []

    run(server, steps)
    assert all(s[0].isupper() and s.endswith(".") for s in said), said


def test_a_churning_local_client_does_not_keep_a_right_code_student_out(made, spawned):
    """Eight loops of one local client, each with new cookies every time: the join form, a
    wrong code, a terminal connection. Meanwhile a student with the right code gets her
    terminal (an app process) within seconds; the churn starts no process at all."""
    code, _, _ = made
    server = ClassServer(port=0, command=STUCK)
    tries: collections.Counter[str] = collections.Counter()
    took: list[float] = []

    async def churn(base: str, stop: asyncio.Event) -> None:
        while not stop.is_set():
            async with aiohttp.ClientSession(cookie_jar=JAR(unsafe=True)) as fresh:
                async with fresh.get(base + "/") as r:
                    await r.read()
                tries["pages"] += 1
                await join_form(fresh, base, "QQQQQ", "Eve")
                tries["codes"] += 1
                try:
                    await (await fresh.ws_connect(base + "/ws")).close()
                    tries["opened"] += 1
                except aiohttp.WSServerHandshakeError:
                    tries["refused"] += 1

    async def steps(client, base):
        stop = asyncio.Event()
        loops = [asyncio.create_task(churn(base, stop)) for _ in range(8)]
        await asyncio.sleep(3)
        began = time.monotonic()
        async with aiohttp.ClientSession(cookie_jar=JAR(unsafe=True)) as student:
            async with student.get(base + "/") as r:
                assert "Join your class" in await r.text()
            assert "textual.js" in await join_form(student, base, code, "Ana")
            ws = await student.ws_connect(base + "/ws")
            took.append(time.monotonic() - began)
            stop.set()
            await asyncio.gather(*loops)
            await ws.close()

    run(server, steps, timeout=60)
    print(f"right-code student's terminal after {took[0]:.2f} s; churn: {dict(tries)}")
    assert tries["codes"] >= 8 and tries["opened"] == 0
    assert len(spawned) == 1  # hers
    assert took[0] < 8 * classweb.CHECK_SPACING + 3


def test_class_codes_are_checked_one_at_a_time_and_in_turn(made, monkeypatch):
    """Twenty wrong codes sent at once are checked CHECK_SPACING apart (guessing stays slow
    however many connections ask); off localhost an address waits for CHECKS_PER_ADDRESS
    checks at most, and a further one is told to wait, unchecked."""
    server = ClassServer(port=0, command=STUCK)

    async def guess(base: str, n: int) -> str:
        async with aiohttp.ClientSession(cookie_jar=JAR(unsafe=True)) as fresh:
            return problem_on(await join_form(fresh, base, f"Z{n:04d}", "Eve"))

    async def steps(client, base):
        began = time.monotonic()
        answers = await asyncio.gather(*(guess(base, n) for n in range(20)))
        assert all(a.startswith("No class with code") for a in answers), answers
        assert time.monotonic() - began >= 19 * classweb.CHECK_SPACING
        monkeypatch.setattr(ClassServer, "counted_apart", staticmethod(lambda address: True))
        answers = await asyncio.gather(*(guess(base, n) for n in range(4)))
        assert answers.count(classweb.CHECKS_LATER) == 4 - classweb.CHECKS_PER_ADDRESS

    run(server, steps)


def test_a_client_holding_the_right_code_holds_few_processes(made, spawned):
    """Browsers let in without taking a role are bounded by the class's free roles (4 here),
    each with JOINING_APPS tab (its role choice): a fifth is refused at the form and starts
    nothing."""
    code, _, _ = made
    server = ClassServer(port=0, command=STUCK)

    async def steps(client, base):
        sessions = [aiohttp.ClientSession(cookie_jar=JAR(unsafe=True)) for _ in range(5)]
        opened = []
        try:
            for n, session in enumerate(sessions):
                form = await join_form(session, base, code, f"Student {n}")
                if n < 4:
                    assert "textual.js" in form
                    for _ in range(classweb.JOINING_APPS):
                        opened.append(await session.ws_connect(base + "/ws"))
                    assert await refused_status(session.ws_connect(base + "/ws")) == 429
                else:
                    assert problem_on(form).startswith(f"Every role in class {code} is taken")
                    assert await refused_status(session.ws_connect(base + "/ws")) == 403
            await started(spawned, 4 * classweb.JOINING_APPS)
        finally:
            for ws in opened:
                await ws.close()
            for session in sessions:
                await session.close()

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

    run(ClassServer(port=0, command=STUCK, standing=lambda seat: "admitted"), steps)


def test_app_processes_are_started_at_a_bounded_rate(spawned, monkeypatch):
    monkeypatch.setattr(classweb, "SPAWN_BURST", 2.0)
    monkeypatch.setattr(classweb, "SPAWN_RATE", 0.01)
    server = ClassServer(port=0, command=STUCK, standing=seated)

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


def test_an_address_off_localhost_is_given_new_seats_at_a_bounded_rate(made, monkeypatch):
    """New seats come with a sent join form; off localhost an address gets SEATS_BURST of them,
    then SEATS_RATE a second (a browser that has its seat is checked as usual). On localhost
    every student shares one address, so its share would be the class's: no such limit."""
    monkeypatch.setattr(classweb, "SEATS_BURST", 3.0)
    monkeypatch.setattr(classweb, "SEATS_RATE", 0.01)
    code = made[0]
    server = ClassServer(port=0, command=STUCK)

    async def fresh_form(base: str) -> tuple[str, bool]:
        async with aiohttp.ClientSession(cookie_jar=JAR(unsafe=True)) as fresh:
            said = problem_on(await join_form(fresh, base, "WRONG", "Eve"))
            return said, any(c.key == SEAT_COOKIE for c in fresh.cookie_jar)

    async def steps(client, base):
        for _ in range(5):
            assert (await fresh_form(base))[1]
        monkeypatch.setattr(ClassServer, "counted_apart", staticmethod(lambda address: True))
        answers = [await fresh_form(base) for _ in range(5)]
        assert [seat for _, seat in answers] == [True] * 3 + [False] * 2
        assert answers[4][0] == classweb.NEW_SEATS_LATER
        assert "textual.js" in await join_form(client, base, code, "Ana")  # it has its seat

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

    run(ClassServer(port=0, command=STUCK, standing=seated), steps)
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


def test_app_processes_die_with_a_killed_server(made):
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
            code, _, room = made
            assert "textual.js" in await join_form(client, base, code, "Ana")
            seat = next(c.value for c in client.cookie_jar if c.key == SEAT_COOKIE)
            room.join(code, room.groups(code)[0].session.id, "president", "Ana", seat)
            sockets = [await client.ws_connect(base + "/ws") for _ in range(2)]  # 2 tabs
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
    """The join form says why, not a blank page, when the store cannot be opened; nothing is
    started."""
    (data_dir / "sessions.sqlite3").write_bytes(b"SQLite format 3\0" + b"\x17" * 8000)

    async def steps(client, base):
        async with client.get(base + "/") as r:
            assert "Join your class" in await r.text()
        said = problem_on(await join_form(client, base, "ABCDE", "Ana"))
        assert said.startswith("The class cannot be opened now (") and "session store" in said
        assert said.endswith("tell your facilitator.")
        assert await refused_status(client.ws_connect(base + "/ws")) == 403
        assert spawned == []

    run(ClassServer(port=0, command=STUCK), steps)


def test_off_localhost_one_address_has_its_own_share(spawned, monkeypatch):
    """A client on another computer starts app processes at its own bounded rate, whatever
    the others do."""
    monkeypatch.setattr(classweb, "ADDRESS_SPAWN_BURST", 6.0)
    monkeypatch.setattr(classweb, "ADDRESS_SPAWN_RATE", 0.01)
    monkeypatch.setattr(ClassServer, "counted_apart", staticmethod(lambda address: True))
    server = ClassServer(port=0, command=STUCK, standing=seated)

    sessions: list[aiohttp.ClientSession] = []
    base_of: list[str] = []

    def connect(seat: str):
        """A websocket from a browser of its own, kept open until the end."""
        sessions.append(aiohttp.ClientSession(cookies={SEAT_COOKIE: seat}))
        return sessions[-1].ws_connect(base_of[0] + "/ws")

    async def steps(client, base):
        base_of.append(base)
        opened = [await connect(server.seats.issue()) for _ in range(6)]
        assert await refused_status(connect(server.seats.issue())) == 429  # its 7th start: later
        await started(spawned, 6)
        for ws in opened:
            await ws.close()
        for session in sessions:
            await session.close()

    run(server, steps)


def test_an_oversized_join_form_is_refused_unread(made, spawned):
    server = ClassServer(port=0, command=STUCK)

    async def steps(client, base):
        huge = {"code": made[0], "name": "A" * classweb.MAX_FORM}
        async with client.post(base + "/join", data=huge) as r:
            assert r.status == 413
        assert server.screens == [] and spawned == []

    run(server, steps)
