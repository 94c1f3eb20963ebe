"""Serving a class: N simulated students on one host, memory per student and decision latency.

Run: .venv/bin/python bench/bench_serve.py [--students 40] [--rounds 4]

What is simulated: `exsim serve`'s server (a subprocess, on a loopback port) with N websocket
clients speaking textual-serve's browser protocol, each with its own seat cookie that already
holds a role, as after joining. So each client gets what a browser gets: its own `exsim join`
app process, following the class through the session store. The class has ceil(N/6) groups of
the real scenario (`scenarios/november-1962.yaml`; the mini test scenario if that does not
load), every group's chair played.

- Memory per student: PSS (proportional set size: shared pages split among the processes
  sharing them, what N students really cost together) and RSS of each student's app process,
  with the whole class joined and again after the rounds. Target: <= 60 MiB. A client the server
  asks to wait (it starts app processes at a bounded rate: `classroom.web`'s SPAWN_BURST, then
  SPAWN_RATE a second) tries again a second or two later, as the page does.
- Decision to every screen: in each round each group's chair decides (as that chair's
  Student, from this process: the same store write the chair's page makes); the time from just
  before that write until each of the group's clients receives a terminal frame carrying
  "Decided: <the decision's title>". Rounds alternate between the chairs deciding one at a time
  (each group's screens caught up before the next chair) and every chair at once (all N
  screens redrawn together: the worst case on a small host). Target: p95 <= 250 ms.
- Rows redrawn: each client counts the terminal rows its frames rewrite from the decision until
  its screen shows it (the rows the cursor is moved to), for exsim's screens and the bare app's.
- Baseline, in the same run and the same way: a bare Textual app (one Static) served by the
  same server, following a SQLite file with the same 100 ms `PRAGMA data_version` poll and
  showing what this process writes, in two forms. Drawing the line "Decided: <value>" and, under
  it, as many lines of text as exsim's screens redrew on average (measured first, in this run),
  it is the bare app doing the same, the baseline the CPU goal is judged against: Textual's
  cost of a screen update grows with the rows it redraws. Drawing only the one line, it shows
  the floor of Textual + textual-serve + polling; the ratio to it is printed too.
- Goals (issue 12), printed at the end as met or not: CPU per screen update <= 2x the bare
  app's doing the same (as many rows), p95 <= 250 ms with every chair deciding at once and one
  at a time.
- CPU per screen updated: CPU time of the app processes from the chairs' decisions
  until every screen shows them, per process; and the server's (textual-serve, relaying every
  screen to its browser) in that time, per screen. N x their sum / cores is the latency floor
  when every screen is redrawn at once (the processes share the cores).

Nothing here asserts: the figures are for people.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import re
import shlex
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
NOVEMBER = ROOT / "scenarios" / "november-1962.yaml"
MINI = ROOT / "tests" / "data" / "mini.yaml"
SIZE = "width=100&height=30"
SETTLE = 1.5  # seconds for every screen to catch up between steps
MOVE = re.compile(r"\x1b\[(\d+);\d+H")  # the cursor moved to a row (to rewrite it)


# -- the bare baseline app (run as a child of the server) ---------------------------------------


def bare_app(db: str) -> None:
    from textual.app import App
    from textual.widgets import Static

    class Bare(App):
        def compose(self):
            yield Static("Waiting", id="text")

        def on_mount(self) -> None:
            self.conn = sqlite3.connect(db, isolation_level=None)
            self.version = -1
            self.set_interval(0.1, self.poll)

        def poll(self) -> None:
            (version,) = self.conn.execute("PRAGMA data_version").fetchone()
            if version != self.version:
                self.version = version
                row = self.conn.execute("SELECT value FROM shown").fetchone()
                self.query_one("#text", Static).update(f"Decided: {row[0] if row else ''}")

    Bare().run()


# -- measuring ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(command: str, port: int, env: dict, bare: bool = False) -> subprocess.Popen:
    """The class server in its own process; for the *bare* app, whose clients take no role in
    a class, every seat counts as playing one."""
    standing = ", standing=lambda seat: 'seated'" if bare else ""
    code = (
        "from exsim.classroom.web import ClassServer; import sys; "
        f"ClassServer(port={port}, command=sys.argv[1]{standing}).serve()"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, command],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    end = time.monotonic() + 20
    while time.monotonic() < end:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return proc
        time.sleep(0.1)
    raise SystemExit("the server did not start")


def descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*"):
            kids = (task / "children").read_text().split()
            out += map(int, kids)
            todo += map(int, kids)
    return out


def memory(pid: int) -> tuple[float, float]:
    """(PSS, RSS) of a process in MiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value, *_ = line.split()
        fields[name.rstrip(":")] = int(value)
    return fields["Pss"] / 1024, fields["Rss"] / 1024


def app_pids(server: subprocess.Popen, marker: str) -> list[int]:
    """The app processes the server started (not the shells wrapping them)."""
    found = []
    for pid in descendants(server.pid):
        try:
            args = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
        except (FileNotFoundError, ProcessLookupError):
            continue
        if Path(args[0]).name not in ("sh", "dash", "bash") and marker in " ".join(args):
            found.append(pid)
    return found


def app_memory(server: subprocess.Popen, marker: str) -> list[tuple[float, float]]:
    """(PSS, RSS) of each app process the server started."""
    return [memory(pid) for pid in app_pids(server, marker)]


def seat_of(pid: int) -> str:
    """The seat token the server gave app process *pid*."""
    environ = Path(f"/proc/{pid}/environ").read_bytes().decode(errors="replace").split("\0")
    return next((v.split("=", 1)[1] for v in environ if v.startswith("EXSIM_SEAT=")), "")


def cpu_ms(pids: list[int]) -> float:
    """CPU time used so far by *pids*, in ms: the scheduler's count in nanoseconds
    (/proc/PID/stat's user + system ticks are 10 ms steps, coarse beside a screen update of a
    few ms)."""
    return sum(int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) for pid in pids) / 1e6


class CpuWindow:
    """The CPU the app processes *pids* and the server *server_pid* use from now on."""

    def __init__(self, pids: list[int], server_pid: int):
        self.pids, self.server_pid = pids, server_pid
        self.apps, self.server = cpu_ms(pids), cpu_ms([server_pid])

    def per_app(self) -> tuple[float, float]:
        """(the apps', the server's) CPU so far in ms, each per app process."""
        n = max(1, len(self.pids))
        return (
            (cpu_ms(self.pids) - self.apps) / n,
            (cpu_ms([self.server_pid]) - self.server) / n,
        )


class Client:
    """One simulated browser: a websocket to the server, watching the frames for text."""

    def __init__(self, seat: str, group: int):
        self.seat = seat
        self.group = group
        self.tail = ""
        self.wanted: str | None = None
        self.seen = asyncio.Event()
        self.at = 0.0
        self.since = ""  # what arrived since `expect`
        self.rows = 0  # how many rows that rewrote, once the text was seen

    def expect(self, text: str) -> None:
        self.wanted, self.at, self.since = text, 0.0, ""
        self.seen.clear()
        if text in self.tail:
            self.hit()

    def hit(self) -> None:
        self.at = time.perf_counter()
        self.rows = len(set(MOVE.findall(self.since)))
        self.seen.set()
        self.wanted = None

    async def run(self, session: aiohttp.ClientSession, base: str) -> None:
        headers = {"Cookie": f"exsim_seat={self.seat}"}
        while True:  # as the page does: the server starts app processes at a bounded rate
            try:
                ws = await session.ws_connect(f"{base}/ws?{SIZE}", headers=headers)
                break
            except aiohttp.WSServerHandshakeError as exc:
                if exc.status not in (429, 503):
                    raise
                await asyncio.sleep(1 + random.random())
        async with ws:
            async for msg in ws:
                if msg.type == aiohttp.WSMsgType.BINARY:
                    # the whole new message is searched (a frame can be longer than the tail
                    # kept), with the end of the last ones, for a text split between messages
                    data = msg.data.decode(errors="replace")
                    self.tail = self.tail[-4000:] + data
                    if self.wanted:
                        self.since += data
                        if self.wanted in self.tail:
                            self.hit()


async def watch(clients, wanted, timeout: float = 20.0) -> None:
    for c, text in zip(clients, wanted, strict=True):
        c.expect(text)
    await asyncio.wait_for(asyncio.gather(*(c.seen.wait() for c in clients)), timeout)


async def connect_all(clients, base: str, ready: str):
    session = aiohttp.ClientSession()
    tasks = []
    for c in clients:
        c.expect(ready)
        tasks.append(asyncio.create_task(c.run(session, base)))
        await asyncio.sleep(0.15)  # a class arriving, not one instant
    await asyncio.wait_for(asyncio.gather(*(c.seen.wait() for c in clients)), 180)
    return session, tasks


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


# -- the two runs -------------------------------------------------------------------------------


async def run_class(n: int, rounds: int, data: Path) -> dict:
    os.environ["EXSIM_DATA_DIR"] = str(data)
    from exsim.classroom import Classroom
    from exsim.classroom.web import Seats, student_command
    from exsim.engine import ScenarioError, open_campaign
    from exsim.store import SessionStore

    try:
        campaign = open_campaign(NOVEMBER)
    except (ScenarioError, OSError) as exc:
        print(f"(november-1962.yaml does not load: {str(exc)[:80]}; using the mini scenario)")
        campaign = open_campaign(MINI)
    store = SessionStore.open(data)
    room = Classroom(store)
    roles = [r.id for r in campaign.scenario.roles if r.playable]
    n_groups = math.ceil(n / len(roles))
    code, key = room.create(campaign, [f"Group {g + 1}" for g in range(n_groups)])
    groups = room.groups(code)
    clients, chairs, seats = [], {}, {}
    seats_issued = Seats.kept()  # signed as the server's own: it refuses made-up seats
    for i in range(n):
        g, r = divmod(i, len(roles))
        seat = seats_issued.issue()
        student = room.join(code, groups[g].session.id, roles[r], f"Student {i + 1}", seat)
        clients.append(Client(seat, g))
        chairs[(g, roles[r])] = student
        seats[(g, roles[r])] = seat
    port = free_port()
    server = start_server(student_command(), port, dict(os.environ))
    boss = room.facilitator(code, key)
    latencies: dict[bool, list[float]] = {False: [], True: []}  # all chairs together?
    try:
        began = time.perf_counter()
        session, tasks = await connect_all(
            clients, f"http://127.0.0.1:{port}", "Waiting for the facilitator"
        )
        joined = time.perf_counter() - began
        await asyncio.sleep(SETTLE)
        mem_joined = app_memory(server, "exsim join")
        pids = app_pids(server, "exsim join")
        seat_pids = {seat_of(pid): pid for pid in pids}
        cpu: list[float] = []  # CPU per student app, from the decisions to every screen updated
        server_cpu: list[float] = []  # the server's CPU in that time, per screen
        split: list[tuple[float, float]] = []  # the same, (the chairs', the others')
        rows: list[tuple[int, bool]] = []  # rows each screen redrew, and whether a chair's
        measured = 0
        while measured < rounds and boss.state.stage != "over":
            boss.advance()  # discussing
            await asyncio.sleep(SETTLE)
            boss.advance()  # deciding (groups whose chair nobody plays decide by vote)
            await asyncio.sleep(SETTLE)
            groups = room.groups(code)
            deciders = {g.n - 1: g.decider() for g in groups if not g.decided}
            if len(deciders) == len(groups) and all(deciders.values()):
                together = measured % 2 == 1
                titles = {g.n - 1: f"Decided: {g.decision.title}" for g in groups}
                for c in clients:
                    c.expect(titles[c.group])
                chair_seats = {seats[(g, r)] for g, r in deciders.items()}
                chair_pids = [seat_pids[s] for s in chair_seats if s in seat_pids]
                others = [pid for pid in pids if pid not in chair_pids]
                starts, window = {}, CpuWindow(pids, server.pid)
                windows = CpuWindow(chair_pids, server.pid), CpuWindow(others, server.pid)
                for g in groups:
                    picks = [next(o.id for o in g.game.options(g.decision) if o.allowed)]
                    starts[g.n - 1] = time.perf_counter()
                    chairs[(g.n - 1, deciders[g.n - 1])].decide(picks)
                    if not together:  # one chair at a time: wait for the group's screens
                        mine = [c.seen.wait() for c in clients if c.group == g.n - 1]
                        await asyncio.wait_for(asyncio.gather(*mine), 30)
                        await asyncio.sleep(0.3)
                await asyncio.wait_for(asyncio.gather(*(c.seen.wait() for c in clients)), 30)
                if together:
                    apps, served = window.per_app()
                    cpu.append(apps)
                    server_cpu.append(served)
                    split.append((windows[0].per_app()[0], windows[1].per_app()[0]))
                latencies[together] += [(c.at - starts[c.group]) * 1000 for c in clients]
                rows += [(c.rows, c.seat in chair_seats) for c in clients]
                measured += 1
            boss.advance()  # decided
            await asyncio.sleep(0.3)
        mem_after = app_memory(server, "exsim join")
        for t in tasks:
            t.cancel()
        await session.close()
    finally:
        server.terminate()
        server.wait(120)  # it ends every app process first
        store.close()
    return {
        "groups": n_groups,
        "joined_s": joined,
        "mem_joined": mem_joined,
        "mem_after": mem_after,
        "latencies": latencies,
        "cpu": cpu,
        "server_cpu": server_cpu,
        "split": split,
        "rows": rows,
        "rounds": measured,
        "scenario": campaign.id,
    }


def page_text(r: int, lines: int) -> str:
    """*lines* lines of ~90 characters, different each round."""
    words = ("quarantine", "bombers", "inspection", "pledge", "cable", "ExComm", "Khrushchev")
    return "\n".join(
        " ".join(words[(r + i + k) % len(words)] for k in range(9)) for i in range(lines)
    )


async def run_bare(n: int, rounds: int, data: Path, rows: int = 1) -> dict:
    """The bare app served to *n* clients; each round one write it shows: a line, and under it
    *rows* - 1 lines of text."""
    os.environ["EXSIM_DATA_DIR"] = str(data)  # the server's seat secret, shared with this one
    from exsim.classroom.web import Seats

    db = str(data / f"bare-{rows}.sqlite3")
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE shown (value TEXT)")
    command = f"{shlex.quote(sys.executable)} {shlex.quote(__file__)} --bare {shlex.quote(db)}"
    port = free_port()
    server = start_server(command, port, dict(os.environ), bare=True)
    seats_issued = Seats.kept()
    clients = [Client(seats_issued.issue(), 0) for _ in range(n)]
    latencies: list[float] = []
    try:
        session, tasks = await connect_all(clients, f"http://127.0.0.1:{port}", "Decided:")
        await asyncio.sleep(SETTLE)
        mem = app_memory(server, "--bare")
        pids = app_pids(server, "--bare")
        cpu, server_cpu, drawn = [], [], []
        for r in range(rounds):
            value = f"round {r + 1} of the bare app"
            written = "\n".join([value, page_text(r, rows - 1)] if rows > 1 else [value])
            for c in clients:
                c.expect(f"Decided: {value}")
            start, window = time.perf_counter(), CpuWindow(pids, server.pid)
            conn.execute("DELETE FROM shown")
            conn.execute("INSERT INTO shown VALUES (?)", (written,))
            await asyncio.wait_for(asyncio.gather(*(c.seen.wait() for c in clients)), 30)
            apps, served = window.per_app()
            cpu.append(apps)
            server_cpu.append(served)
            latencies += [(c.at - start) * 1000 for c in clients]
            drawn += [c.rows for c in clients]
            await asyncio.sleep(SETTLE)
        for t in tasks:
            t.cancel()
        await session.close()
    finally:
        server.terminate()
        server.wait(120)  # it ends every app process first
    return {
        "mem": mem,
        "latencies": latencies,
        "cpu": cpu,
        "server_cpu": server_cpu,
        "rows": statistics.mean(drawn),
    }


def summary(mem: list[tuple[float, float]]) -> tuple[float, float, float]:
    pss = [m[0] for m in mem]
    rss = [m[1] for m in mem]
    return statistics.mean(pss), statistics.mean(rss), max(rss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--bare", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:
        bare_app(args.bare)
        return
    if not Path("/proc/self/schedstat").exists():
        raise SystemExit("needs /proc/PID/schedstat: Linux with the scheduler's statistics")
    with tempfile.TemporaryDirectory(prefix="exsim-bench-serve-") as tmp:
        print(f"{args.students} students, {os.cpu_count()} CPUs; baseline first …", flush=True)
        bare = asyncio.run(run_bare(args.students, args.rounds, Path(tmp)))
        print("the class …", flush=True)
        cls = asyncio.run(run_class(args.students, args.rounds, Path(tmp)))
        lines = max(1, round(statistics.mean(r for r, _ in cls["rows"])))
        print(f"the bare app drawing {lines} lines, as many as a student's screen …", flush=True)
        paged = asyncio.run(run_bare(args.students, args.rounds, Path(tmp), rows=lines))
    b_pss, b_rss, _ = summary(bare["mem"])
    j_pss, j_rss, j_max = summary(cls["mem_joined"])
    a_pss, a_rss, a_max = summary(cls["mem_after"])
    blat = bare["latencies"]
    b50, b95 = statistics.median(blat), percentile(blat, 0.95)
    print(
        f"\nscenario {cls['scenario']}: {cls['groups']} groups, {len(cls['mem_joined'])} student "
        f"app processes, all joined and drawn in {cls['joined_s']:.1f} s\n"
    )
    print("| figure | exsim class | bare Textual app | ratio | target |")
    print("|---|---|---|---|---|")
    print(
        f"| PSS per student, joined (MiB) | {j_pss:.1f} | {b_pss:.1f} | {j_pss / b_pss:.2f} "
        "| <= 60 |"
    )
    print(
        f"| PSS per student, after the rounds (MiB) | {a_pss:.1f} | | {a_pss / b_pss:.2f} | <= 60 |"
    )
    print(
        f"| RSS per student, joined / after (MiB) | {j_rss:.1f} / {a_rss:.1f} | {b_rss:.1f} | "
        f"{a_rss / b_rss:.2f} | |"
    )
    print(f"| largest RSS (MiB) | {max(j_max, a_max):.1f} | | | |")
    p95s = {}
    for together, how in ((False, "one chair at a time"), (True, "every chair at once")):
        lat = cls["latencies"][together]
        if not lat:
            continue
        p50, p95 = statistics.median(lat), percentile(lat, 0.95)
        p95s[together] = p95
        print(
            f"| decision to the group's screens, {how}: p50 / p95 / max (ms), "
            f"{len(lat)} samples | {p50:.0f} / {p95:.0f} / {max(lat):.0f} | "
            f"{b50:.0f} / {b95:.0f} / {max(blat):.0f} | {p50 / b50:.2f} / {p95 / b95:.2f} "
            "| p95 <= 250 |"
        )
    plat = paged["latencies"]
    print(
        f"| (bare app drawing as many rows as a student's screen: p50 / p95 / max (ms)) | | "
        f"{statistics.median(plat):.0f} / {percentile(plat, 0.95):.0f} / {max(plat):.0f} | | |"
    )
    chair_rows = statistics.mean(r for r, chair in cls["rows"] if chair)
    other_rows = statistics.mean(r for r, chair in cls["rows"] if not chair)
    print(
        f"| rows a screen redrew for a decision: a chair's; another student's; all | "
        f"{chair_rows:.1f}; {other_rows:.1f}; {statistics.mean(r for r, _ in cls['rows']):.1f} | "
        f"{bare['rows']:.1f} (one line); {paged['rows']:.1f} ({lines} lines) | | |"
    )
    cores = os.cpu_count() or 1
    b_cpu, p_cpu = statistics.mean(bare["cpu"]), statistics.mean(paged["cpu"])
    c_cpu = statistics.mean(cls["cpu"]) if cls["cpu"] else None
    if c_cpu is not None:
        print(
            f"| CPU per screen updated, every chair at once, against the bare app drawing as "
            f"many rows (ms) | {c_cpu:.1f} | {p_cpu:.1f} | {c_cpu / p_cpu:.2f} | <= 2x bare |"
        )
        print(
            f"| (the same against the bare app drawing one line (ms)) | | {b_cpu:.1f} | "
            f"{c_cpu / b_cpu:.2f} | |"
        )
        chair_cpu = statistics.mean(c for c, _ in cls["split"])
        other_cpu = statistics.mean(o for _, o in cls["split"])
        print(
            f"| (of which: a chair's screen, where the decision was picked; another student's) "
            f"(ms) | {chair_cpu:.1f}; {other_cpu:.1f} | | {chair_cpu / p_cpu:.2f}; "
            f"{other_cpu / p_cpu:.2f} | |"
        )
        c_srv, b_srv = statistics.mean(cls["server_cpu"]), statistics.mean(bare["server_cpu"])
        print(
            f"| (the server's CPU in that time, per screen (ms)) | {c_srv:.1f} | {b_srv:.1f} | "
            f"{c_srv / b_srv:.2f} | |"
        )
        print(
            f"| floor for every chair at once: N x (CPU + server's) / {cores} cores (ms) | "
            f"{len(cls['mem_joined']) * (c_cpu + c_srv) / cores:.0f} | "
            f"{len(bare['mem']) * (b_cpu + b_srv) / cores:.0f} | | |"
        )
    print(
        f"\n{cls['rounds']} chair-decided rounds, alternately one chair at a time and every "
        "chair at once. Baseline: per round, one write seen by every bare app at once, shown as "
        "one line (memory, latency, the row in brackets) and, for the CPU goal, as many lines as "
        "a student's screen redrew on average in this run."
    )
    print("\nGoals (issue 12), this run:")
    if c_cpu is not None:
        goal(
            f"CPU per screen update, every chair at once: {c_cpu / p_cpu:.1f}x the bare app's "
            f"drawing as many rows ({c_cpu / b_cpu:.1f}x its one line)",
            c_cpu / p_cpu <= 2,
            "<= 2x",
        )
    if True in p95s:
        goal(
            f"decision to every screen, every chair at once: p95 {p95s[True]:.0f} ms",
            p95s[True] <= 250,
            "<= 250 ms",
        )
    if False in p95s:
        goal(
            f"decision to the group's screens, one chair at a time: p95 {p95s[False]:.0f} ms",
            p95s[False] <= 250,
            "<= 250 ms",
        )


def goal(figure: str, met: bool, target: str) -> None:
    print(f"- {figure} (goal {target}): {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
