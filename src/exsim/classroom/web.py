"""Serving the student's page with textual-serve: a seat cookie per browser, and a token.

textual-serve starts one app process per browser connection and passes it no cookies; this
server reads the browser's seat cookie (set on its first visit) and hands it to the process as
$EXSIM_SEAT, so a reload or a lost connection comes back into the same role. Off localhost,
every request (page, static files, websocket, downloads) needs the session token: from the URL
`?token=…` on the first visit, then from a cookie.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import re
import secrets
import shlex
import sys

from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from exsim.classroom.room import SEAT_ENV

SEAT_COOKIE = "exsim_seat"
TOKEN_COOKIE = "exsim_token"
SEAT_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
SEAT_MAX_AGE = 60 * 60 * 24 * 30  # a month: a course's worth of classes
FORBIDDEN = "exsim: this page needs the class link with its token; ask your facilitator for it."


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


class SeatAppService(AppService):
    """One student's app process, told which browser (seat) it serves."""

    def __init__(self, *args, seat: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.seat = seat

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width=width, height=height)
        environment[SEAT_ENV] = self.seat
        return environment


class ClassServer(Server):
    """textual-serve's server with seat cookies and, off localhost, a required token."""

    def __init__(
        self, host: str = "127.0.0.1", port: int = 8000, token: str | None = None, command=None
    ) -> None:
        super().__init__(command or student_command(), host=host, port=port, title="exsim class")
        self.token = token

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

    @web.middleware
    async def guard(self, request: web.Request, handler) -> web.StreamResponse:
        """Refuse any request without the token (when one is set); give browsers a seat."""
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
        """The page, with the websocket address as the browser reached this server."""
        self.public_url = f"{request.scheme}://{request.host}"
        return await super().handle_index(request)

    async def on_startup(self, app: web.Application) -> None:
        self.console.print(f"exsim class server: students open [bold]{self.url}[/]")
        if self.token:
            self.console.print(
                "Not on localhost: the link's token is required on every request. "
                "Share the link only with the class."
            )
        self.console.print(
            "Run [bold]exsim facilitate[/] in another terminal to create a class and get its "
            "code.\nPress Ctrl+C to stop serving."
        )

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's handler, starting the app with this browser's seat."""
        seat = request.cookies.get(SEAT_COOKIE, "")
        seat = seat if SEAT_PATTERN.fullmatch(seat) else ""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = _int(request.query.get("width"), 80)
        height = _int(request.query.get("height"), 24)
        service: AppService | None = None
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
            try:
                await self._process_messages(websocket, service)
            finally:
                await service.stop()
        except asyncio.CancelledError:
            await websocket.close()
        finally:
            if service is not None:
                await service.stop()
        return websocket


def _int(value: str | None, default: int) -> int:
    try:
        return max(10, min(500, int(value)))
    except (TypeError, ValueError):
        return default
