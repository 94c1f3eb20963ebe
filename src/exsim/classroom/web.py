"""Serving the student's page with textual-serve: a seat cookie per browser, a token, limits.

textual-serve starts one app process per browser connection and passes it no cookies; this
server reads the browser's seat cookie (set on its first visit) and hands it to the process as
$EXSIM_SEAT, so a reload or a lost connection comes back into the same role. Off localhost,
every request (page, static files, websocket, downloads) needs the session token: from the URL
`?token=…` on the first visit, then from a cookie.

What a browser (or anything else) can send is bounded: on localhost only loopback Host names
are served (no DNS rebinding) and a websocket must come from this server's own page (Origin);
the page is our own template, served with everything it needs (no outside font) and its
websocket address taken from the page's location, never from a request header; a websocket
message is at most MAX_MESSAGE bytes, keystrokes at most INPUT_BURST bytes at once and
INPUT_RATE a second, a terminal size is clamped; at most MAX_APPS app processes run (SEAT_APPS
per browser), and an app process ends when its socket closes (asked first, then killed).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import ipaddress
import json
import logging
import os
import re
import secrets
import shlex
import signal
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from exsim.classroom.room import SEAT_ENV

SEAT_COOKIE = "exsim_seat"
TOKEN_COOKIE = "exsim_token"
SEAT_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
SEAT_MAX_AGE = 60 * 60 * 24 * 30  # a month: a course's worth of classes
FORBIDDEN = "exsim: this page needs the class link with its token; ask your facilitator for it."
TEMPLATES = Path(__file__).parent / "templates"

MAX_APPS = 150  # app processes at once (a class of 40 uses 40, a few more while reloading)
SEAT_APPS = 3  # per browser (tabs)
MAX_MESSAGE = 64 * 1024  # bytes in one websocket message
INPUT_BURST = 16 * 1024  # bytes of keystrokes (or a paste) at once
INPUT_RATE = 4 * 1024  # bytes of keystrokes a second after a burst
WIDTH = (10, 500)  # terminal columns allowed
HEIGHT = (5, 200)  # terminal rows allowed
STOP_GRACE = 2.0  # seconds an app process has to quit after its socket closed

log = logging.getLogger("exsim.serve")


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


class InputBudget:
    """Keystrokes a connection may still send: INPUT_BURST at once, INPUT_RATE a second."""

    def __init__(self) -> None:
        self.left = float(INPUT_BURST)
        self.at = time.monotonic()

    def take(self, size: int) -> bool:
        now = time.monotonic()
        self.left = min(INPUT_BURST, self.left + (now - self.at) * INPUT_RATE)
        self.at = now
        if size > self.left:
            return False
        self.left -= size
        return True


class ClassServer(Server):
    """textual-serve's server with seat cookies, limits and, off localhost, a required token."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 8000,
        token: str | None = None,
        command=None,
        max_apps: int = MAX_APPS,
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
        self.apps: dict[str, int] = {}  # seat → app processes running for it

    @property
    def url(self) -> str:
        shown = self.host if self.host not in ("0.0.0.0", "::", "") else "THIS-COMPUTER"
        if ":" in shown:
            shown = f"[{shown}]"
        query = f"?token={self.token}" if self.token else ""
        return f"http://{shown}:{self.port}/{query}"

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self.guard)
        return app

    def initialize_logging(self) -> None:
        logging.basicConfig(level="INFO", format="exsim serve: %(message)s")

    @web.middleware
    async def guard(self, request: web.Request, handler) -> web.StreamResponse:
        """Refuse a foreign Host on localhost, any request without the token (when one is
        set); give browsers a seat."""
        if self.local and not is_local(_hostname(request.host)):
            log.warning("refused a request for host %r (not this computer's)", request.host[:80])
            raise web.HTTPMisdirectedRequest(text="exsim: this server answers only for localhost.")
        if self.token is not None:
            given = request.query.get("token") or request.cookies.get(TOKEN_COOKIE, "")
            if not hmac.compare_digest(given.encode(), self.token.encode()):
                raise web.HTTPForbidden(text=FORBIDDEN)
        response = await handler(request)
        if request.path == "/" and not response.prepared:
            if self.token is not None:
                response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="Strict")
            if not SEAT_PATTERN.fullmatch(request.cookies.get(SEAT_COOKIE, "")):
                response.set_cookie(
                    SEAT_COOKIE,
                    secrets.token_urlsafe(24),
                    max_age=SEAT_MAX_AGE,
                    httponly=True,
                    samesite="Strict",
                )
        return response

    async def handle_index(self, request: web.Request) -> web.Response:
        """The page: our template, with only relative addresses in it."""
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

    async def on_startup(self, app: web.Application) -> None:
        """`exsim serve` prints the banner once the port is known to be free."""

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's handler with its limits, starting the app with this browser's seat."""
        origin = request.headers.get("Origin")
        if origin is not None and origin not in (
            f"http://{request.host}",
            f"https://{request.host}",
        ):
            log.warning("refused a connection from a page of %r", origin[:80])
            raise web.HTTPForbidden(text="exsim: connections only from the class's own page.")
        seat = request.cookies.get(SEAT_COOKIE, "")
        if not SEAT_PATTERN.fullmatch(seat):
            raise web.HTTPForbidden(text="exsim: no seat cookie; reload the page.")
        if sum(self.apps.values()) >= self.max_apps:
            log.warning("refused a connection: %d screens open already", self.max_apps)
            raise web.HTTPServiceUnavailable(text="exsim: the class server is full.")
        if self.apps.get(seat, 0) >= SEAT_APPS:
            raise web.HTTPTooManyRequests(text="exsim: too many tabs of this page are open.")
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE)
        width = clamp(request.query.get("width"), WIDTH, 80)
        height = clamp(request.query.get("height"), HEIGHT, 24)
        service: SeatAppService | None = None
        self.apps[seat] = self.apps.get(seat, 0) + 1
        try:
            await websocket.prepare(request)
            service = SeatAppService(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
                seat=seat,
            )
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        finally:
            self.apps[seat] -= 1
            if not self.apps[seat]:
                del self.apps[seat]
            if service is not None:
                await service.stop()
        return websocket

    async def _process_messages(self, websocket: web.WebSocketResponse, service) -> None:
        """The browser's messages to its app: keystrokes within the budget, sizes clamped;
        anything malformed is ignored, too much input closes the connection."""
        budget = InputBudget()
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


def _hostname(host: str) -> str:
    """'127.0.0.1' of '127.0.0.1:8000', '::1' of '[::1]:8000'."""
    if host.startswith("["):
        return host[1:].partition("]")[0]
    return host.rpartition(":")[0] if host.count(":") == 1 else host
