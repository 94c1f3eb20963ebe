"""Quiet pages on a starved host: how many lose their connection, with and without patience.

Run: .venv/bin/python bench/bench_starved.py [--students 20] [--hogs 8] [--seconds 40]

What is simulated: `exsim serve`'s server with N seated websocket clients (bench_serve.py's,
one app process each), quiet: no keys, so the server pings each page every HEARTBEAT (15) s
and waits for its pong. Then, for SECONDS, HOGS busy processes run and the clients' process
(the browsers) is put under SCHED_IDLE: it runs only when nothing else wants the CPU, so it
answers the pings late, as the browsers of a class do on a host in a load spike. The class
moves on every 5 s (every screen redrawn, the server relaying). Each run is made twice: with
the class server as it is (`PatientWebSocket`: PONG_PATIENCE seconds for a pong) and with
aiohttp's websocket as textual-serve makes it (`heartbeat=15`: a pong within 7.5 s).

Printed per run: how many connections were lost, when (seconds after the hog started), and the
server's reasons from its log. Nothing here asserts: the figures are for people. Linux only
(SCHED_IDLE); the hog takes every core for SECONDS.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import aiohttp

from bench_serve import NOVEMBER, SIZE, Client, connect_all, free_port

SERVER = """
import sys
from aiohttp import web
import exsim.classroom.web as w
if sys.argv[2] == "textual-serve":
    w.PatientWebSocket = lambda **kw: web.WebSocketResponse(heartbeat=15.0, **kw)
w.ClassServer(port=int(sys.argv[3]), command=sys.argv[1]).serve()
"""
HOG = "while True: pass"
REASON = re.compile(r"lost the connection of seat \w+'s page \((.*)\)")


class Page(Client):
    """A seated page that notes when, and how, its connection closed."""

    closed_at: float | None = None

    async def run(self, session: aiohttp.ClientSession, base: str) -> None:
        headers = {"Cookie": f"exsim_seat={self.seat}"}
        async with session.ws_connect(f"{base}/ws?{SIZE}", headers=headers) as ws:
            async for msg in ws:
                if msg.type == aiohttp.WSMsgType.BINARY:
                    self.tail = self.tail[-4000:] + msg.data.decode(errors="replace")
                    if self.wanted and self.wanted in self.tail:
                        self.hit()
        self.closed_at = time.monotonic()


def listening(port: int, within: float = 60.0) -> None:
    """Wait until the server accepts connections on *port*."""
    end = time.monotonic() + within
    while time.monotonic() < end:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit("the server did not start")


def idle(on: bool) -> None:
    """This process (the browsers) runs only when nothing else wants the CPU, or as before."""
    policy = os.SCHED_IDLE if on else os.SCHED_OTHER
    os.sched_setscheduler(0, policy, os.sched_param(0))


async def run(server_kind: str, n: int, hogs: int, seconds: float, data: Path) -> dict:
    os.environ["EXSIM_DATA_DIR"] = str(data)
    from exsim.classroom import Classroom
    from exsim.classroom.web import Seats, student_command
    from exsim.engine import open_campaign
    from exsim.store import SessionStore

    campaign = open_campaign(NOVEMBER)
    store = SessionStore.open(data)
    room = Classroom(store)
    roles = [r.id for r in campaign.scenario.roles if r.playable]
    code, key = room.create(campaign, [f"Group {g + 1}" for g in range(math.ceil(n / len(roles)))])
    groups = room.groups(code)
    seats = Seats.kept()
    pages = []
    for i in range(n):
        g, r = divmod(i, len(roles))
        seat = seats.issue()
        room.join(code, groups[g].session.id, roles[r], f"Student {i + 1}", seat)
        pages.append(Page(seat, g))
    port = free_port()
    log = data / f"server-{server_kind}.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-c", SERVER, student_command(), server_kind, str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    boss = room.facilitator(code, key)
    busy: list[subprocess.Popen] = []
    try:
        listening(port)
        session, tasks = await connect_all(
            pages, f"http://127.0.0.1:{port}", "Waiting for the facilitator"
        )
        await asyncio.sleep(20)  # quiet: the pings begin
        began = time.monotonic()
        busy = [subprocess.Popen([sys.executable, "-c", HOG]) for _ in range(hogs)]
        idle(True)
        try:
            while time.monotonic() - began < seconds:
                await asyncio.sleep(5)
                if boss.state.stage != "over":
                    boss.advance()
        finally:
            idle(False)
            for hog in busy:
                hog.kill()
        await asyncio.sleep(10)  # the pongs late by then are read
        lost = sorted(p.closed_at - began for p in pages if p.closed_at is not None)
        reasons = Counter(REASON.findall(log.read_text()))  # before the pages close below
        for t in tasks:
            t.cancel()
        await session.close()
    finally:
        for hog in busy:
            hog.wait()
        server.terminate()
        server.wait(20)
        store.close()
    return {"lost": lost, "reasons": reasons}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--hogs", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=40.0)
    args = parser.parse_args()
    if not hasattr(os, "SCHED_IDLE"):
        raise SystemExit("needs SCHED_IDLE (Linux)")
    print(
        f"{args.students} quiet pages; {args.hogs} busy processes for {args.seconds:.0f} s, the "
        f"pages' process under SCHED_IDLE; {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
    )
    for kind, label in (
        ("exsim", "exsim's class server (PatientWebSocket)"),
        ("textual-serve", "aiohttp's websocket as textual-serve makes it (heartbeat=15)"),
    ):
        with tempfile.TemporaryDirectory(prefix="exsim-bench-starved-") as tmp:
            result = asyncio.run(run(kind, args.students, args.hogs, args.seconds, Path(tmp)))
        lost = result["lost"]
        when = f", {lost[0]:.1f} to {lost[-1]:.1f} s after the hog began" if lost else ""
        print(f"\n{label}: {len(lost)} of {args.students} connections lost{when}")
        for reason, count in result["reasons"].most_common():
            print(f"  server's log: {count} x {reason}")


if __name__ == "__main__":
    main()
