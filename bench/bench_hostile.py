"""One hostile client against `exsim serve` on 127.0.0.1: what it can hold, and how long a
student with the right class code takes to join meanwhile.

Run: .venv/bin/python bench/bench_hostile.py [--seconds 20]

- Made-up seat cookies: 150 websocket connections, each with a seat the client invented.
  Counted: app processes started (goal: none).
- Fresh seats: the client loads the page again and again without cookies (a new seat each
  time, as far as its address is given any) and opens 3 websockets per seat, keeping them
  open, for SECONDS. Counted: app processes and their memory (PSS and RSS) at the end, and
  how its requests were answered.
- Guessing: while another process types wrong class codes as fast as the store takes them
  (far faster than join pages can), a new browser loads the page, gets its join page, and
  looks up the right code: the time from loading the page to the join page, and the time the
  right code's lookup takes, over 5 students. Then the same while the client churns
  connections (opens and drops them, from new seats, as fast as it can).

Bounded: at most --seconds per part, connections to 127.0.0.1 only. Nothing here asserts: the
figures are for people (docs/architecture.md quotes them).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "data" / "mini.yaml"
TIMEOUT = aiohttp.ClientTimeout(total=30)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
    return found


def memory(pids: list[int]) -> tuple[float, float]:
    """(PSS, RSS) of *pids* together, in MiB."""
    pss = rss = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    pss += int(line.split()[1])
                elif line.startswith("Rss:"):
                    rss += int(line.split()[1])
    return pss / 1024, rss / 1024


async def made_up_seats(base: str) -> int:
    refused = 0
    for _ in range(150):
        seat = f"{secrets.token_urlsafe(18)}.{secrets.token_urlsafe(16)[:22]}"
        async with aiohttp.ClientSession(cookies={"exsim_seat": seat}) as client:
            try:
                ws = await client.ws_connect(base + "/ws")
                await ws.close()
            except aiohttp.WSServerHandshakeError:
                refused += 1
    return refused


async def fresh_seats(base: str, seconds: float, server: int) -> dict:
    answers: dict[int, int] = {}
    kept = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        jar = aiohttp.CookieJar(unsafe=True)
        client = aiohttp.ClientSession(cookie_jar=jar)
        kept.append(client)
        async with client.get(base + "/") as r:
            answers[r.status] = answers.get(r.status, 0) + 1
        for _ in range(3):
            try:
                kept.append(await client.ws_connect(base + "/ws"))
                answers[101] = answers.get(101, 0) + 1
            except aiohttp.WSServerHandshakeError as exc:
                answers[exc.status] = answers.get(exc.status, 0) + 1
        await asyncio.sleep(0.01)
    await asyncio.sleep(5)  # every app started has drawn its page
    pids = children(server)
    pss, rss = memory(pids)
    for thing in reversed(kept):
        with contextlib.suppress(Exception):
            await thing.close()
    return {"processes": len(pids), "pss": pss, "rss": rss, "answers": answers}


async def churn(base: str, stop: asyncio.Event) -> int:
    tries = 0
    while not stop.is_set():
        jar = aiohttp.CookieJar(unsafe=True)
        async with aiohttp.ClientSession(cookie_jar=jar, timeout=TIMEOUT) as client:
            with contextlib.suppress(aiohttp.ClientError, asyncio.TimeoutError):
                async with client.get(base + "/") as r:
                    await r.read()
                ws = await client.ws_connect(base + "/ws")
                await ws.close()
            tries += 1
        await asyncio.sleep(0)
    return tries


async def join_page(base: str) -> float:
    """Seconds from loading the page to the join page drawn (a new browser)."""
    began = time.perf_counter()
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar, timeout=TIMEOUT) as client:
        for _ in range(200):  # a page refused (busy) is reloaded, as a student would
            async with client.get(base + "/") as r:
                await r.read()
            try:
                ws = await client.ws_connect(base + "/ws?width=100&height=30")
            except aiohttp.WSServerHandshakeError:
                await asyncio.sleep(0.5)
                continue
            async with ws:
                seen = b""
                while b"Join" not in seen:
                    msg = await ws.receive(timeout=30)
                    if msg.type == aiohttp.WSMsgType.BINARY:
                        seen += msg.data
                    elif msg.type != aiohttp.WSMsgType.TEXT:
                        break
                if b"Join" in seen:
                    return time.perf_counter() - began
    return float("nan")


async def students(base: str, code: str, data: str) -> tuple[list[float], list[float]]:
    """5 new browsers, one after the other: seconds to their join page (at most 60), and to
    the right code's lookup."""
    from exsim.classroom import Classroom
    from exsim.store import SessionStore

    waits, lookups = [], []
    with SessionStore.open(data) as store:
        room = Classroom(store)
        for _ in range(5):
            try:
                waits.append(await asyncio.wait_for(join_page(base), 60))
            except asyncio.TimeoutError:
                waits.append(float("inf"))
            began = time.perf_counter()
            room.free_roles(code, secrets.token_hex(8))
            lookups.append(time.perf_counter() - began)
    return waits, lookups


def say(waits: list[float], lookups: list[float]) -> str:
    return (
        f"a new student's join page after p50 {statistics.median(waits):.2f} s, max "
        f"{max(waits):.2f} s; the right code's lookup p50 {statistics.median(lookups) * 1000:.1f}"
        f" ms, max {max(lookups) * 1000:.1f} ms"
    )


def guesser(data: str, seconds: float) -> subprocess.Popen:
    code = (
        "import sys, time, secrets\n"
        "from exsim.store import SessionStore\n"
        "from exsim.classroom import Classroom, ClassError\n"
        "room = Classroom(SessionStore.open(sys.argv[1]))\n"
        "end = time.monotonic() + float(sys.argv[2]); n = 0\n"
        "while time.monotonic() < end:\n"
        "    try: room.find('ZZ' + secrets.token_hex(2).upper(), secrets.token_hex(8))\n"
        "    except ClassError: n += 1\n"
        "print(n)\n"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code, data, str(seconds)], stdout=subprocess.PIPE, text=True
    )


async def main(seconds: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["EXSIM_DATA_DIR"] = tmp
        from exsim.classroom import Classroom
        from exsim.engine import open_campaign
        from exsim.store import SessionStore

        with SessionStore.open(tmp) as store:
            code, _ = Classroom(store).create(open_campaign(MINI), ["Group A"])
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "exsim", "serve", "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                with socket.socket() as s:
                    if s.connect_ex(("127.0.0.1", port)) == 0:
                        break
                await asyncio.sleep(0.1)
            refused = await made_up_seats(base)
            print(
                f"made-up seats: 150 tries, {refused} refused, "
                f"{len(children(server.pid))} app processes"
            )
            held = await fresh_seats(base, seconds, server.pid)
            print(
                f"fresh seats for {seconds:.0f} s: {held['processes']} app processes held, "
                f"PSS {held['pss']:.0f} MiB, RSS {held['rss']:.0f} MiB; answers {held['answers']}"
            )
            await asyncio.sleep(12)  # the held pages' processes end
            guessing = guesser(tmp, seconds)
            waits, lookups = await students(base, code, tmp)
            wrong = guessing.communicate(timeout=seconds + 60)[0].strip()
            print(
                f"while another process typed {wrong} wrong class codes in {seconds:.0f} s: "
                f"{say(waits, lookups)}"
            )
            stop = asyncio.Event()
            churning = asyncio.create_task(churn(base, stop))
            waits, lookups = await students(base, code, tmp)
            stop.set()
            tries = await churning
            print(f"while one client opened and dropped {tries} connections: {say(waits, lookups)}")
        finally:
            server.terminate()
            err = server.communicate(timeout=30)[1]
            print(f"server log: {len(err.splitlines())} lines, {err.count('Traceback')} tracebacks")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    asyncio.run(main(min(args.seconds, 120.0)))
