"""The class server: a token off localhost on every route, a seat cookie per browser."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
from aiohttp import web

from exsim.classroom import web as classweb
from exsim.classroom.web import SEAT_COOKIE, SEAT_ENV, TOKEN_COOKIE, ClassServer, is_local

TOKEN = "class-token-0123456789"


async def serving(server: ClassServer):
    runner = await server.listen()
    return runner, f"http://127.0.0.1:{server.listening_port}"


def run(server: ClassServer, steps) -> None:
    async def main():
        runner, base = await serving(server)
        try:
            jar = aiohttp.CookieJar(unsafe=True)  # keep cookies for an IP address
            async with aiohttp.ClientSession(cookie_jar=jar) as client:
                await steps(client, base)
        finally:
            await runner.cleanup()

    asyncio.run(asyncio.wait_for(main(), 30))


def test_only_loopback_addresses_count_as_local():
    assert is_local("127.0.0.1") and is_local("localhost") and is_local("::1")
    assert not is_local("0.0.0.0") and not is_local("192.168.1.20") and not is_local("example")


@pytest.mark.parametrize("path", ["/", "/ws", "/static/js/textual.js", "/download/x"])
def test_every_route_is_refused_without_the_token_or_with_a_wrong_one(path):
    async def steps(client, base):
        for query in ("", "?token=", "?token=wrong", f"?token={TOKEN}x", f"?token={TOKEN[:-1]}"):
            async with client.get(base + path + query) as r:
                assert r.status == 403, (path, query)
                assert "needs the class link with its token" in await r.text()
        client.cookie_jar.update_cookies({TOKEN_COOKIE: "wrong"})
        async with client.get(base + path) as r:
            assert r.status == 403

    run(ClassServer(port=0, token=TOKEN), steps)


async def join(client: aiohttp.ClientSession, base: str, code: str) -> str:
    """Send the join form with the right code; the page it leads to."""
    async with client.post(base + "/join", data={"code": code, "name": "Ana"}) as r:
        assert r.status == 200
        return await r.text()


def test_the_link_with_the_token_opens_the_join_form_then_the_page_and_its_files(made):
    async def steps(client, base):
        async with client.get(f"{base}/?token={TOKEN}") as r:
            assert r.status == 200
            assert 'action="join"' in await r.text()
        page = await join(client, base, made[0])  # the token cookie carries it
        assert "/static/js/textual.js" in page and base[7:] not in page  # only relative
        cookies = {c.key: c.value for c in client.cookie_jar}
        assert cookies[TOKEN_COOKIE] == TOKEN and len(cookies[SEAT_COOKIE]) >= 16
        async with client.get(f"{base}/static/js/textual.js") as r:  # the cookie carries it
            assert r.status == 200

    run(ClassServer(port=0, token=TOKEN), steps)


def test_localhost_needs_no_token_and_a_browser_keeps_its_seat(made):
    async def steps(client, base):
        assert "textual.js" in await join(client, base, made[0])
        seat = {c.key: c.value for c in client.cookie_jar}[SEAT_COOKIE]
        async with client.get(base + "/") as r:  # a reload: the same seat, the same page
            assert r.status == 200 and "textual.js" in await r.text()
        assert {c.key: c.value for c in client.cookie_jar}[SEAT_COOKIE] == seat

    run(ClassServer(port=0), steps)


def test_the_browsers_seat_reaches_its_app_process(made, monkeypatch):
    started: list[dict] = []

    async def start(self, width, height):
        started.append(self._build_environment(width, height))
        raise asyncio.CancelledError  # no app process: the websocket closes

    monkeypatch.setattr(classweb.SeatAppService, "start", start)

    async def steps(client, base):
        await join(client, base, made[0])
        seat = {c.key: c.value for c in client.cookie_jar}[SEAT_COOKIE]
        async with client.ws_connect(base + "/ws?width=90&height=30") as ws:
            await ws.receive()
        assert started[0][SEAT_ENV] == seat
        assert started[0]["COLUMNS"] == "90"

    run(ClassServer(port=0), steps)


def test_a_quiet_page_is_closed_only_after_the_pong_patience(monkeypatch):
    """A page that never answers a ping is closed PONG_PATIENCE after it (not HEARTBEAT/2), and
    a pong read in the same turn as the expired timer counts as an answer."""
    import time

    monkeypatch.setattr(classweb, "HEARTBEAT", 0.2)
    monkeypatch.setattr(classweb, "PONG_PATIENCE", 1.0)
    closed_after: list[float] = []

    async def handler(request):
        ws = classweb.PatientWebSocket()
        await ws.prepare(request)
        start = time.monotonic()
        async for _ in ws:
            pass
        closed_after.append(time.monotonic() - start)
        return ws

    async def main():
        app = web.Application()
        app.router.add_get("/ws", handler)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        try:
            async with aiohttp.ClientSession() as client:
                ws = await client.ws_connect(f"http://127.0.0.1:{port}/ws", autoping=False)
                while not ws.closed:  # never answers the server's pings
                    await ws.receive()
            ws = classweb.PatientWebSocket()
            ws._need_heartbeat_reset = True  # the answer read in this turn: not missed
            ws._pong_not_received()
            assert not ws.closed and ws.exception() is None
        finally:
            await runner.cleanup()

    asyncio.run(asyncio.wait_for(main(), 20))
    assert 1.0 <= closed_after[0] < 3.0  # the ping after 0.2 s, then a second of patience
