"""Serving the student's page with textual-serve: a join form, a seat cookie per browser, a
token, limits.

A browser first gets the join form, a plain HTML page this server answers itself: the class
code and the student's name are checked against the class store (`Classroom.admit`), and only
then does the browser get its seat cookie and the terminal page. textual-serve starts one app
process per terminal connection and passes it no cookies; this server hands the seat to the
process as $EXSIM_SEAT, so the app opens on the role choice, and a reload or a lost connection
comes back into the same role. Off localhost, every request (page, static files, websocket,
downloads) needs the session token: from the URL `?token=…` on the first visit, then from a
cookie.

What a browser (or anything else) can send is bounded: on localhost only loopback Host names
are served (no DNS rebinding) and a websocket must come from this server's own page (Origin);
the page is our own template, served with everything it needs (no outside font) and its
websocket address taken from the page's location, never from a request header; a websocket
message is at most MAX_MESSAGE bytes, keystrokes at most INPUT_BURST bytes at once and
INPUT_RATE a second, a terminal size is clamped.

No limit trusts what the client chooses (docs/architecture.md, "The class server's limits"):
a seat is signed by this server (`Seats`) and given by the join form (an address off localhost
gets new seats at a bounded rate); class codes are checked one at a time, CHECK_SPACING apart,
in the order asked (CHECKS_PER_ADDRESS waiting per address off localhost), so guessing is slow
and a right code waits only behind the checks already asked; only a seat let into a class
(or playing in one) gets app processes: they are started at a bounded rate, at most MAX_APPS
run (SEAT_APPS per seat, JOINING_APPS while it has no role), a seat without a role keeps its
page for at most JOINING_TIME; an app process counts until it has ended, ends when its socket
closes (asked first, then killed) and dies with the server (PR_SET_PDEATHSIG). A connection
must send its request within IDLE_TIMEOUT; at most MAX_CONNECTIONS are open; running out of
file descriptors is logged once a minute, not per
attempt. The access log shows no query string, so no token.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import ctypes
import errno
import hashlib
import hmac
import ipaddress
import json
import logging
import os
import re
import resource
import secrets
import shlex
import signal
import sqlite3
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

import aiohttp_jinja2
from aiohttp import WSCloseCode, WSMsgType, web
from aiohttp.abc import AbstractAccessLogger
from textual_serve.app_service import AppService
from textual_serve.server import Server

from exsim import paths
from exsim.classroom.room import ADMISSION_TIME, SEAT_ENV, BadName, ClassError, Classroom

SEAT_COOKIE = "exsim_seat"
TOKEN_COOKIE = "exsim_token"
SEAT_PATTERN = re.compile(r"[A-Za-z0-9_-]{24}\.[A-Za-z0-9_-]{22}")  # an id, its signature
SEAT_MAX_AGE = 60 * 60 * 24 * 30  # a month: a course's worth of classes
FORBIDDEN = "exsim: this page needs the class link with its token; ask your facilitator for it."
TEMPLATES = Path(__file__).parent / "templates"

MAX_APPS = 150  # app processes at once (a class of 40 uses 40, a few more while reloading)
SEAT_APPS = 3  # per browser (tabs)
JOINING_APPS = 1  # per browser let in that has no role yet (its role choice)
JOINING_TIME = ADMISSION_TIME  # seconds a seat without a role may keep its page
CHECK_SPACING = 0.2  # seconds between two class-code checks (any client's)
CHECKS_PER_ADDRESS = 2  # waiting for their check, per client address (off localhost)
MAX_FORM = 4 * 1024  # bytes of a join form
SPAWN_BURST, SPAWN_RATE = 40.0, 1.0  # app processes started at once, then a second
SEAT_SPAWN_RATE = 0.2  # app processes started for one seat a second, after SEAT_APPS at once
ADDRESS_SPAWN_BURST, ADDRESS_SPAWN_RATE = 10.0, 0.5  # for one client address off localhost
SEATS_BURST, SEATS_RATE = 60.0, 0.5  # new seats for one client address at once, then a second
IDLE_TIMEOUT = 10.0  # seconds a connection has to send its request (and to keep idle between)
MAX_CONNECTIONS = 2_000  # open at once; more are closed as they come
TROUBLE_EVERY = 60.0  # seconds between two log lines about the same resource problem
MAX_MESSAGE = 64 * 1024  # bytes in one websocket message
INPUT_BURST = 16 * 1024  # bytes of keystrokes (or a paste) at once
INPUT_RATE = 4 * 1024  # bytes of keystrokes a second after a burst
WIDTH = (10, 500)  # terminal columns allowed
HEIGHT = (5, 200)  # terminal rows allowed
STOP_GRACE = 2.0  # seconds an app process has to quit after its socket closed
RESOURCE_ERRORS = {errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM}
JOIN_LATER = "exsim: many students are joining right now; wait a moment, then reload the page."
NEW_SEATS_LATER = "Too many new visitors from this address: wait a minute, then join again."
CHECKS_LATER = "Your last try is still being checked: wait a moment, then join again."
JOIN_FIRST = "exsim: join the class first: reload the page."
HEARTBEAT = 15.0  # seconds between the server's pings of a quiet page
PONG_PATIENCE = 30.0  # seconds a page has to answer a ping (a starved host answers late)
REMEMBER_DROPS = 600.0  # seconds a lost connection is remembered, to log its reconnection

log = logging.getLogger("exsim.serve")

Standing = Literal["seated", "admitted"]  # a seat plays a role, or was let in to choose one
T = TypeVar("T")


class Seats:
    """Seat cookies this server issues: a random id and its HMAC-SHA256 signature, made with
    a secret kept in the data folder (so seats outlive a restart of the server). A seat the
    client made up is no seat."""

    def __init__(self, secret: bytes) -> None:
        self.secret = secret

    @classmethod
    def kept(cls) -> Seats:
        """The seats of the secret kept in the data folder (created on first use)."""
        path = paths.seat_secret_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(secrets.token_bytes(32))
        return cls(path.read_bytes())

    def issue(self) -> str:
        seat = secrets.token_urlsafe(18)
        return f"{seat}.{self._sign(seat)}"

    def valid(self, seat: str) -> bool:
        if not SEAT_PATTERN.fullmatch(seat):
            return False
        seat_id, signature = seat.split(".")
        return hmac.compare_digest(signature, self._sign(seat_id))

    def _sign(self, seat_id: str) -> str:
        mac = hmac.new(self.secret, seat_id.encode(), hashlib.sha256).digest()[:16]
        return base64.urlsafe_b64encode(mac).decode().rstrip("=")


class Bucket:
    """A rate: *burst* at once, then *rate* a second (a token bucket)."""

    def __init__(self, burst: float, rate: float) -> None:
        self.burst, self.rate = burst, rate
        self.left = burst
        self.at = time.monotonic()

    def take(self, amount: float = 1.0) -> bool:
        now = time.monotonic()
        self.left = min(self.burst, self.left + (now - self.at) * self.rate)
        self.at = now
        if amount > self.left:
            return False
        self.left -= amount
        return True


class Trouble:
    """Says a resource problem once every TROUBLE_EVERY seconds, with how often it happened."""

    def __init__(self) -> None:
        self.said: dict[str, float] = {}
        self.counts: dict[str, int] = {}

    def __call__(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1
        now = time.monotonic()
        if now - self.said.get(what, -TROUBLE_EVERY) >= TROUBLE_EVERY:
            times = self.counts.pop(what)
            log.warning("%s (%d time(s) since last said)", what, times)
            self.said[what] = now


class AccessLog(AbstractAccessLogger):
    """One line per request, without the query string: a token never reaches the log."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info(
            '%s "%s %s" %s %.3fs',
            request.remote,
            request.method,
            request.path[:200],
            response.status,
            time,
        )


class Gate:
    """The listening socket's protocol factory: a connection over MAX_CONNECTIONS is closed at
    once (said once a minute), the others go to aiohttp."""

    def __init__(self, server: web.Server, trouble: Trouble, limit: int) -> None:
        self.server, self.trouble, self.limit = server, trouble, limit

    def __call__(self) -> asyncio.BaseProtocol:
        if len(self.server.connections) >= self.limit:
            self.trouble(f"refused connections: {self.limit} are open already")
            return Refused()
        return self.server()


class Refused(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        if isinstance(transport, asyncio.Transport):  # a TCP connection's: closed at once
            transport.abort()
        else:
            transport.close()


def _die_with_parent(parent: int) -> Callable[[], None] | None:
    """The app process's first step (Linux): be killed when the server dies, even by SIGKILL;
    and end at once if it already has."""
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None

    def first() -> None:
        prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:
            os._exit(1)

    return first


def is_local(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def student_command() -> str:
    """The command each browser connection runs: the student's app."""
    return f"{shlex.quote(sys.executable)} -m exsim join"


def clamp(value: Any, bounds: tuple[int, int], default: int) -> int:
    """*value* as an int within *bounds* (*default* when it is not a number)."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return default
    return max(bounds[0], min(bounds[1], number))


class SeatAppService(AppService):
    """One student's app process, told which browser (seat) it serves; ended for sure."""

    def __init__(self, *args, seat: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.seat = seat
        self.ended: int | None = None  # the exit code of an app that ended by itself

    async def run(self) -> None:
        """The app, until its process ends; one that ends by itself (it failed, or was
        killed) closes its page's connection, so that the page starts it again."""
        await super().run()
        if self._task is not None and self._process is not None:  # not stopped by us
            self.ended = await self._process.wait()
            await self.remote_close()

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width=width, height=height)
        environment[SEAT_ENV] = self.seat
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24):
        """The app itself (no shell between), in a process group of its own to end it."""
        self._process = process = await asyncio.create_subprocess_exec(
            *shlex.split(self.command),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width=width, height=height),
            start_new_session=True,
            preexec_fn=_die_with_parent(os.getpid()),
        )
        self._stdin = process.stdin
        return process

    async def set_terminal_size(self, width: Any, height: Any) -> None:
        await super().set_terminal_size(clamp(width, WIDTH, 80), clamp(height, HEIGHT, 24))

    async def stop(self) -> None:
        """Ask the app to quit; end it if it has not within STOP_GRACE seconds."""
        task, process = self._task, self._process
        if task is None:
            return
        self._task = None
        await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.send_meta({"type": "quit"}), STOP_GRACE)
        for signum in (None, signal.SIGTERM, signal.SIGKILL):
            if signum is not None and process is not None and process.returncode is None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, signum)
            try:
                await asyncio.wait_for(asyncio.shield(task), STOP_GRACE)
                break
            except asyncio.TimeoutError:
                continue
        if process is not None:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(process.wait(), STOP_GRACE)


class PatientWebSocket(web.WebSocketResponse):
    """aiohttp's websocket, patient with a page's answer to a ping while the host is starved.

    aiohttp closes a connection whose pong has not been handled HEARTBEAT/2 seconds after its
    ping. On a host starved of CPU the server runs late: the pong has come in, but the loop
    runs the expired timer in the same turn as it reads the pong (the read's heartbeat reset
    is scheduled for the next turn), and every quiet page closes at once, with nothing said.
    Here a page has PONG_PATIENCE seconds, and data read in the same turn counts as an
    answer."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(heartbeat=HEARTBEAT, **kwargs)
        self._pong_heartbeat = PONG_PATIENCE

    def _pong_not_received(self) -> None:
        if self._need_heartbeat_reset:  # the page's answer was read in this same turn
            return
        super()._pong_not_received()


def seat_label(seat: str) -> str:
    """A short name for a seat in the log (the seat itself is a secret)."""
    return hashlib.sha256(seat.encode()).hexdigest()[:8]


@dataclass(eq=False)
class Screen:
    """One app process the server runs: whose seat, for which address, and whether its seat
    had no role yet (it was let in to choose one)."""

    seat: str
    address: str
    joining: bool


class ClassServer(Server):
    """textual-serve's server with seat cookies, limits and, off localhost, a required token."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 8000,
        token: str | None = None,
        command: str | None = None,
        max_apps: int = MAX_APPS,
        max_connections: int | None = None,
        standing: Callable[[str], Standing | None] | None = None,
    ) -> None:
        super().__init__(
            command or student_command(),
            host=host,
            port=port,
            title="exsim class",
            templates_path=TEMPLATES,
        )
        self.token = token
        self.local = is_local(host)
        self.max_apps = max_apps
        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        self.max_connections = max_connections or min(MAX_CONNECTIONS, max(16, soft // 2))
        self.standing = standing  # else the class store says (tests give their own)
        self.seats = Seats.kept()
        self.turn = asyncio.Lock()  # class-code checks, one at a time, in the order asked
        self.next_check = 0.0  # when the next class-code check may run (time.monotonic())
        self.checking: dict[str, int] = {}  # client address → its checks waiting or running
        self.screens: list[Screen] = []  # every app process, until it has ended
        self.spawns = Bucket(SPAWN_BURST, SPAWN_RATE)
        self.new_seats: dict[str, Bucket] = {}  # client address → its budget of new seats
        self.seat_spawns: dict[str, Bucket] = {}  # seat → its budget of app processes
        self.address_spawns: dict[str, Bucket] = {}  # client address → the same
        self.trouble = Trouble()
        self.store = ClassStore(self.trouble)
        self.listener: asyncio.Server | None = None
        self.dropped: dict[str, float] = {}  # seat → when its page's connection was lost

    @property
    def url(self) -> str:
        shown = self.host if self.host not in ("0.0.0.0", "::", "") else "THIS-COMPUTER"
        if ":" in shown:
            shown = f"[{shown}]"
        query = f"?token={self.token}" if self.token else ""
        return f"http://{shown}:{self.port}/{query}"

    def initialize_logging(self) -> None:
        logging.basicConfig(level="INFO", format="exsim serve: %(message)s")

    def serve(self, debug: bool = False) -> None:
        """Serve until SIGINT or SIGTERM (textual-serve's `web.run_app` has no idle timeout,
        no limit on connections and logs every failed accept)."""
        self.initialize_logging()
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        runner = await self.listen()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        try:
            await stop.wait()
        finally:
            await runner.cleanup()

    async def listen(self) -> web.AppRunner:
        """Listen on host:port (`listening_port`): aiohttp behind the Gate, each request due
        within IDLE_TIMEOUT. The runner's cleanup stops listening and ends every app."""
        runner = web.AppRunner(
            await self._make_app(),
            keepalive_timeout=IDLE_TIMEOUT,
            access_log_class=AccessLog,
            handle_signals=False,
        )
        await runner.setup()
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(self.loop_problem)
        assert runner.server is not None
        gate = Gate(runner.server, self.trouble, self.max_connections)
        self.listener = await loop.create_server(
            gate, self.host, self.port, reuse_address=True, backlog=1024
        )
        return runner

    @property
    def listening_port(self) -> int:
        assert self.listener is not None
        return self.listener.sockets[0].getsockname()[1]

    async def on_cleanup(self, app: web.Application) -> None:
        if self.listener is not None:
            self.listener.close()
        await self.store.close()

    def loop_problem(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        """Out of file descriptors or memory: said once a minute (asyncio says it on every
        attempt to accept, with a traceback); anything else as asyncio would."""
        problem = context.get("exception")
        if isinstance(problem, OSError) and problem.errno in RESOURCE_ERRORS:
            self.trouble(f"cannot accept connections now: {problem.strerror}")
            return
        if isinstance(problem, ValueError) and "file descriptor" in str(problem):
            # asyncio retries an accept that ran out of descriptors a second later, and fails
            # so if the listening socket closed meanwhile (the server stopping)
            self.trouble("a connection could not be accepted: its socket had closed")
            return
        loop.default_exception_handler(context)

    @web.middleware
    async def guard(self, request: web.Request, handler) -> web.StreamResponse:
        """Refuse a foreign Host on localhost, any request without the token (when one is
        set)."""
        if self.local and not is_local(_hostname(request.host)):
            log.warning("refused a request for host %r (not this computer's)", request.host[:80])
            raise web.HTTPMisdirectedRequest(text="exsim: this server answers only for localhost.")
        if self.token is not None:
            given = request.query.get("token") or request.cookies.get(TOKEN_COOKIE, "")
            if not hmac.compare_digest(given.encode(), self.token.encode()):
                raise web.HTTPForbidden(text=FORBIDDEN)
        response = await handler(request)
        if request.path == "/" and not response.prepared and self.token is not None:
            response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="Strict")
        return response

    @staticmethod
    def budget(buckets: dict[str, Bucket], key: str, burst: float, rate: float) -> Bucket:
        """*key*'s bucket in *buckets* (created full); the keys kept stay bounded."""
        bucket = buckets.get(key)
        if bucket is None:
            if len(buckets) >= 10_000:
                buckets.clear()
            bucket = buckets[key] = Bucket(burst, rate)
        return bucket

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.router.add_post("/join", self.handle_join, name="join")
        app.middlewares.append(self.guard)
        app.on_cleanup.append(self.on_cleanup)
        return app

    async def handle_index(self, request: web.Request) -> web.Response:
        """The terminal page for a seat let into a class (or playing in one), else the join
        form."""
        if not await self.standing_of(request.cookies.get(SEAT_COOKIE, "")):
            return self.join_page(request)
        context = {
            "title": self.title,
            "static": "/static/",
            "font_size": clamp(request.query.get("fontsize"), (8, 48), 16),
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' "
            "'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"
        )
        response.headers["Cache-Control"] = "no-store"
        return response

    def join_page(
        self,
        request: web.Request,
        code: str = "",
        name: str = "",
        problem: str = "",
        wrong: Literal["code", "name", ""] = "",
    ) -> web.Response:
        """The join form (no script, nothing from elsewhere), with why the last try was
        refused, as a sentence, at the *wrong* field (the one to change)."""
        context = {"title": self.title, "code": code, "name": name, "problem": problem}
        response = aiohttp_jinja2.render_template("join.html", request, {**context, "wrong": wrong})
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; "
            "base-uri 'none'; frame-ancestors 'none'"
        )
        response.headers["Cache-Control"] = "no-store"
        return response

    async def handle_join(self, request: web.Request) -> web.Response:
        """The join form sent: the class code (checked in turn) and the name. Let in, the
        browser gets its seat and goes to the terminal page; else the form says why."""
        if (request.content_length or 0) > MAX_FORM:
            raise web.HTTPRequestEntityTooLarge(MAX_FORM, request.content_length or 0)
        form = await request.post()
        code, name = (str(form.get(field, ""))[:100] for field in ("code", "name"))
        address = request.remote or ""
        apart = self.counted_apart(address)
        if apart and self.checking.get(address, 0) >= CHECKS_PER_ADDRESS:
            return self.join_page(request, code, name, CHECKS_LATER)
        seat = request.cookies.get(SEAT_COOKIE, "")
        new_seat = not self.seats.valid(seat)
        if (
            new_seat
            and apart
            and not self.budget(self.new_seats, address, SEATS_BURST, SEATS_RATE).take()
        ):
            self.trouble("refused new seats: too many asked from one address")
            return self.join_page(request, code, name, NEW_SEATS_LATER)
        seat = self.seats.issue() if new_seat else seat
        try:
            await self.check_in_turn(address, code, name, seat)
        except ClassError as exc:
            wrong: Literal["code", "name"] = "name" if isinstance(exc, BadName) else "code"
            response = self.join_page(request, code, name, exc.sentence(), wrong)
        else:
            response = web.Response(status=303, headers={"Location": "/"})
        if new_seat:
            response.set_cookie(
                SEAT_COOKIE, seat, max_age=SEAT_MAX_AGE, httponly=True, samesite="Strict"
            )
        return response

    async def check_in_turn(self, address: str, code: str, name: str, seat: str) -> None:
        """Let *seat* into the class of *code* as *name*, after the checks asked before it,
        CHECK_SPACING after the last (whoever asked it); ClassError says why not."""
        self.checking[address] = self.checking.get(address, 0) + 1
        try:
            async with self.turn:
                await asyncio.sleep(max(0.0, self.next_check - time.monotonic()))
                self.next_check = time.monotonic() + CHECK_SPACING
                await self.store.run(lambda room: room.admit(code, name, seat))
        finally:
            self.checking[address] -= 1
            if not self.checking[address]:
                del self.checking[address]

    async def on_startup(self, app: web.Application) -> None:
        """`exsim serve` prints the banner once the port is known to be free."""

    async def standing_of(self, seat: str) -> Standing | None:
        """Whether *seat* (a seat this server signed) plays in a class, or was let into one
        to choose its role; None if not, or if the store cannot be read (the join form then
        says why)."""
        if not self.seats.valid(seat):
            return None
        if self.standing is not None:
            return self.standing(seat)
        try:
            return await self.store.run(lambda room: standing_in(room, seat))
        except ClassError:
            return None

    async def admit(self, seat: str, address: str) -> Screen:
        """A new app process for *seat* (let into a class, or playing in one), within every
        limit; else the HTTP error to answer."""
        standing = await self.standing_of(seat)
        if standing is None:
            raise web.HTTPForbidden(text=JOIN_FIRST)
        if len(self.screens) >= self.max_apps:
            self.trouble(f"refused connections: {self.max_apps} screens open already")
            raise web.HTTPServiceUnavailable(text="exsim: the class server is full.")
        tabs = SEAT_APPS if standing == "seated" else JOINING_APPS
        if sum(s.seat == seat for s in self.screens) >= tabs:
            raise web.HTTPTooManyRequests(text="exsim: too many tabs of this page are open.")
        if not self.budget(self.seat_spawns, seat, SEAT_APPS, SEAT_SPAWN_RATE).take():
            raise web.HTTPTooManyRequests(text="exsim: this page was reloaded too often; wait.")
        if (
            self.counted_apart(address)
            and not self.budget(
                self.address_spawns, address, ADDRESS_SPAWN_BURST, ADDRESS_SPAWN_RATE
            ).take()
        ):
            raise web.HTTPTooManyRequests(text=JOIN_LATER)
        if not self.spawns.take():
            self.trouble("refused connections: app processes asked faster than they start")
            raise web.HTTPServiceUnavailable(text=JOIN_LATER)
        screen = Screen(seat, address, standing == "admitted")
        self.screens.append(screen)
        return screen

    @staticmethod
    def counted_apart(address: str) -> bool:
        """Whether *address* has limits of its own: any but this computer's (on localhost,
        every student has that one address, so its share would be the whole class's)."""
        return not is_local(address)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's handler with its limits, starting the app with this browser's seat."""
        origin = request.headers.get("Origin")
        if origin is not None and origin not in (
            f"http://{request.host}",
            f"https://{request.host}",
        ):
            log.warning("refused a connection from a page of %r", origin[:80])
            raise web.HTTPForbidden(text="exsim: connections only from the class's own page.")
        screen = await self.admit(request.cookies.get(SEAT_COOKIE, ""), request.remote or "")
        websocket = PatientWebSocket(max_msg_size=MAX_MESSAGE)
        self.log_return(screen.seat)
        width = clamp(request.query.get("width"), WIDTH, 80)
        height = clamp(request.query.get("height"), HEIGHT, 24)
        service: SeatAppService | None = None
        watch: asyncio.Task[None] | None = None
        try:
            await websocket.prepare(request)
            service = SeatAppService(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
                seat=screen.seat,
            )
            try:
                await service.start(width, height)
            except OSError as exc:  # out of processes, file descriptors or memory
                self.trouble(f"cannot start an app process: {exc.strerror or exc}")
                await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER, message=b"busy")
                return websocket
            if screen.joining:
                watch = asyncio.create_task(self.end_join_page(screen, websocket))
            await self._process_messages(websocket, service)
            self.log_loss(screen.seat, websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        finally:
            if watch is not None:
                watch.cancel()
            try:
                if service is not None:
                    await service.stop()
            finally:
                self.screens.remove(screen)  # only now: its process has ended
        return websocket

    async def end_join_page(self, screen: Screen, websocket: web.WebSocketResponse) -> None:
        """Close a join page whose seat has taken no role within JOINING_TIME."""
        await asyncio.sleep(JOINING_TIME)
        if await self.standing_of(screen.seat) != "seated":
            await websocket.close(code=WSCloseCode.POLICY_VIOLATION, message=b"join timed out")

    def log_loss(
        self, seat: str, websocket: web.WebSocketResponse, service: SeatAppService
    ) -> None:
        """A connection ended other than by its page closing: say so, and remember it."""
        code, error = websocket.close_code, websocket.exception()
        if service.ended is not None:
            why = f"its app process ended by itself, exit code {service.ended}"
        elif error is not None:
            why = f"{type(error).__name__}: {error}"
        elif code in (WSCloseCode.OK, WSCloseCode.GOING_AWAY):
            return
        else:
            why = f"close code {code}"
        now = time.monotonic()
        self.dropped = {s: t for s, t in self.dropped.items() if now - t < REMEMBER_DROPS}
        self.dropped[seat] = now
        log.warning("lost the connection of seat %s's page (%s)", seat_label(seat), why)

    def log_return(self, seat: str) -> None:
        """A page whose connection was lost is back (it reconnects by itself)."""
        lost = self.dropped.pop(seat, None)
        if lost is not None:
            log.info(
                "seat %s's page reconnected, %.1f s after losing its connection",
                seat_label(seat),
                time.monotonic() - lost,
            )

    async def _process_messages(self, websocket: web.WebSocketResponse, service) -> None:
        """The browser's messages to its app: keystrokes within the budget, sizes clamped;
        anything malformed is ignored, too much input closes the connection."""
        budget = Bucket(INPUT_BURST, INPUT_RATE)
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                kind, *args = json.loads(message.data)
            except (ValueError, TypeError):
                continue
            if kind == "stdin" and args and isinstance(args[0], str):
                data = args[0].encode("utf-8", "replace")
                if not budget.take(len(data)):
                    log.warning("closed a connection sending keystrokes too fast")
                    await websocket.close(code=WSCloseCode.POLICY_VIOLATION, message=b"too fast")
                    return
                try:
                    await asyncio.wait_for(service.send_bytes(data), STOP_GRACE * 5)
                except asyncio.TimeoutError:  # the app reads nothing: it is stuck
                    log.warning("closed a connection whose app stopped reading")
                    await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"stuck")
                    return
            elif kind == "resize" and args and isinstance(args[0], dict):
                await service.set_terminal_size(args[0].get("width"), args[0].get("height"))
            elif kind == "ping" and args and isinstance(args[0], str) and len(args[0]) <= 32:
                await websocket.send_json(["pong", args[0]])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()


class ClassStore:
    """The class store as the server reads it: one connection, kept open (its scenarios read
    once), used from a thread of its own, so that the server never waits on SQLite (a write
    lock, a scenario read) while it serves the pages."""

    def __init__(self, trouble: Trouble) -> None:
        self.trouble = trouble
        self.room: Classroom | None = None  # opened on first use, in the store's thread
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="exsim-store")

    async def run(self, work: Callable[[Classroom], T]) -> T:
        """*work* done on the class store; ClassError (saying why) if it cannot be read."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.thread, self._run, work)

    def _run(self, work: Callable[[Classroom], T]) -> T:
        from exsim.store import SessionStore, StoreError

        try:
            if self.room is None:
                self.room = Classroom(SessionStore.open())
            return work(self.room)
        except (StoreError, sqlite3.Error) as exc:
            self.trouble(f"the class store cannot be read: {exc}")
            self._close()  # opened again next time
            raise ClassError(
                f"the class cannot be opened now ({exc}): tell your facilitator"
            ) from None

    def _close(self) -> None:
        if self.room is not None:
            with contextlib.suppress(sqlite3.Error):
                self.room.store.close()
        self.room = None

    async def close(self) -> None:
        await asyncio.get_running_loop().run_in_executor(self.thread, self._close)
        self.thread.shutdown(wait=False)


def standing_in(room: Classroom, seat: str) -> Standing | None:
    """Whether *seat* plays in a class of *room*'s store, or was let into one to choose."""
    if room.claim_for(seat):
        return "seated"
    return "admitted" if room.admission(seat) else None


def _hostname(host: str) -> str:
    """'127.0.0.1' of '127.0.0.1:8000', '::1' of '[::1]:8000'."""
    if host.startswith("["):
        return host[1:].partition("]")[0]
    return host.rpartition(":")[0] if host.count(":") == 1 else host
