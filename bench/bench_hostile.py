"""One hostile client against `exsim serve` on 127.0.0.1: what it can hold, and how long a
student with the right class code takes to join meanwhile.

Run: .venv/bin/python bench/bench_hostile.py [--seconds 20]

- Made-up seat cookies: 150 websocket connections, each with a seat the client invented.
  Counted: app processes started (goal: none).
- Anonymous pages: for SECONDS the client loads the join form again and again with new
  cookies, sends it with a wrong code and opens 3 websockets each time, keeping them open.
  Counted: app processes and their memory (PSS and RSS) at the end, how it was answered.
- The right code: for SECONDS a client that knows the code lets in as many new browsers as
  the class takes (a class of one group: 2 free roles), each with 3 websockets kept open.
  Counted the same way: what a client holding the code can hold.
- Guessing: while 16 loops of one client send wrong codes as fast as the server answers,
  5 new browsers with the right code, one after the other: the time from loading the form to
  the role choice drawn on the terminal (p50, max). Counted: the wrong codes checked a second.
- Churn: the same 5 students while the client loads the form and opens (and drops) a
  websocket from new cookies as fast as it can.

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


def new_client() -> aiohttp.ClientSession:
    """A browser with no cookie yet (an "unsafe" jar keeps cookies for 127.0.0.1)."""
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True), timeout=TIMEOUT)


async def send_form(client: aiohttp.ClientSession, base: str, code: str, name: str) -> bool:
    """Send the join form; whether the browser was let in (it is on the terminal page)."""
    async with client.post(base + "/join", data={"code": code, "name": name}) as r:
        return "textual.js" in await r.text()


async def hold(base: str, seconds: float, server: int, code: str | None) -> dict:
    """For *seconds*, new browsers: the join form sent (the right *code*, or a wrong one),
    3 websockets each, kept open; then the app processes held and their memory."""
    answers: dict[str, int] = {}
    kept: list = []
    end, n = time.monotonic() + seconds, 0
    while time.monotonic() < end:
        n += 1
        client = new_client()
        kept.append(client)
        async with client.get(base + "/") as r:
            await r.read()
        said = "let in" if await send_form(client, base, code or "WRONG", f"S{n}") else "refused"
        answers[said] = answers.get(said, 0) + 1
        for _ in range(3):
            try:
                kept.append(await client.ws_connect(base + "/ws"))
                answers["101"] = answers.get("101", 0) + 1
            except aiohttp.WSServerHandshakeError as exc:
                answers[str(exc.status)] = answers.get(str(exc.status), 0) + 1
        await asyncio.sleep(0.01)
    await asyncio.sleep(5)  # every app started has drawn its page
    pids = children(server)
    pss, rss = memory(pids)
    for thing in reversed(kept):
        with contextlib.suppress(Exception):
            await thing.close()
    return {"processes": len(pids), "pss": pss, "rss": rss, "answers": answers}


async def guess(base: str, stop: asyncio.Event) -> int:
    """Wrong codes, each from a new browser, until *stop*; how many were answered."""
    tries = 0
    while not stop.is_set():
        async with new_client() as client:
            with contextlib.suppress(aiohttp.ClientError, asyncio.TimeoutError):
                await send_form(client, base, "ZZ" + secrets.token_hex(2).upper(), "Eve")
                tries += 1
    return tries


async def churn(base: str, stop: asyncio.Event) -> int:
    """The form loaded and a websocket opened and dropped, from new cookies, until *stop*."""
    tries = 0
    while not stop.is_set():
        async with new_client() as client:
            with contextlib.suppress(aiohttp.ClientError, asyncio.TimeoutError):
                async with client.get(base + "/") as r:
                    await r.read()
                ws = await client.ws_connect(base + "/ws")
                await ws.close()
        tries += 1
        await asyncio.sleep(0)
    return tries


async def join(base: str, code: str, name: str) -> float:
    """Seconds from loading the form to the role choice drawn (a new browser, the right code;
    a form refused as busy is sent again, as a student would)."""
    began = time.perf_counter()
    async with new_client() as client:
        async with client.get(base + "/") as r:
            await r.read()
        for _ in range(100):
            if await send_form(client, base, code, name):
                break
            await asyncio.sleep(0.5)
        async with client.ws_connect(base + "/ws?width=100&height=30") as ws:
            seen = b""
            while b"Choose" not in seen:
                msg = await ws.receive(timeout=60)
                if msg.type == aiohttp.WSMsgType.BINARY:
                    seen += msg.data
                elif msg.type != aiohttp.WSMsgType.TEXT:
                    return float("nan")
            return time.perf_counter() - began


async def students(base: str, code: str, first: int) -> list[float]:
    """5 new browsers with the right code, one after the other: seconds to their role choice
    (at most 90 each)."""
    waits = []
    for n in range(first, first + 5):
        try:
            waits.append(await asyncio.wait_for(join(base, code, f"Student {n}"), 90))
        except asyncio.TimeoutError:
            waits.append(float("inf"))
    return waits


def say(waits: list[float]) -> str:
    return (
        f"a right-code student's role choice after p50 {statistics.median(waits):.2f} s, "
        f"max {max(waits):.2f} s"
    )


async def main(seconds: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["EXSIM_DATA_DIR"] = tmp
        from exsim.classroom import Classroom
        from exsim.engine import open_campaign
        from exsim.store import SessionStore

        with SessionStore.open(tmp) as store:
            room = Classroom(store)
            held_code, _ = room.create(open_campaign(MINI), ["Group A"])
            code_students, _ = room.create(open_campaign(MINI), [f"G{n}" for n in range(6)])
        port = free_port()
        log = Path(tmp) / "server.log"  # a file: a full pipe would stall the server
        server = subprocess.Popen(
            [sys.executable, "-m", "exsim", "serve", "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=log.open("w"),
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
            for what, code in (("anonymous pages", None), ("the right code", held_code)):
                held = await hold(base, seconds, server.pid, code)
                print(
                    f"{what} for {seconds:.0f} s: {held['processes']} app processes held, "
                    f"PSS {held['pss']:.0f} MiB, RSS {held['rss']:.0f} MiB; "
                    f"answers {held['answers']}"
                )
                await asyncio.sleep(12)  # the held pages' processes end
            stop = asyncio.Event()
            began = time.monotonic()
            loops = [asyncio.create_task(guess(base, stop)) for _ in range(16)]
            waits = await students(base, code_students, 0)
            stop.set()
            wrong = sum(await asyncio.gather(*loops))
            rate = wrong / (time.monotonic() - began)
            print(f"while 16 loops sent {wrong} wrong codes ({rate:.1f} a second): {say(waits)}")
            stop = asyncio.Event()
            churning = asyncio.create_task(churn(base, stop))
            waits = await students(base, code_students, 5)
            stop.set()
            tries = await churning
            print(f"while one client loaded the form and dropped {tries} connections: {say(waits)}")
        finally:
            server.terminate()
            server.wait(timeout=30)
            err = log.read_text()
            print(f"server log: {len(err.splitlines())} lines, {err.count('Traceback')} tracebacks")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    asyncio.run(main(min(args.seconds, 120.0)))
