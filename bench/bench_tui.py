"""Game UI benchmarks: start-up against a bare Textual app, key-press to repaint, peak memory.

Run: .venv/bin/python bench/bench_tui.py [--repeat N]

- Start-up: wall time from launching `exsim` (through its click command, headless) until the
  start screen is interactive, beside a bare Textual app mounting as many widgets, both in fresh
  processes in this run. Target: ratio <= 1.25.
- Key-press to repaint: from posting a key until the screen has been written out again, over a
  whole campaign played through the UI (next, focus moves, the policy machine). Target: median
  <= 20 ms.
- Peak memory: the largest resident set of a process that plays the whole campaign through
  the UI. Target: <= 50 MiB.

Nothing here asserts: the figures are for people.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOVEMBER = ROOT / "scenarios" / "november-1962.yaml"
SIZE = (100, 30)


# -- children: each runs in a fresh process and prints one JSON line ----------------------------


def report(figures: dict) -> None:
    """Print the seconds since the parent launched this process, and leave at once."""
    figures["seconds"] = time.time() - float(os.environ["BENCH_SPAWNED"])
    print(json.dumps(figures), flush=True)
    os._exit(0)


def child_exsim() -> None:
    """`exsim play` until the start screen is interactive; print its widget count."""
    from textual.app import App

    from exsim.cli import main

    async def ready(pilot) -> None:
        await pilot.pause()
        report({"widgets": len(list(pilot.app.screen.walk_children()))})

    def run(self, **kw):  # the real App.run, headless, leaving at the first interactive screen
        return App.run(self, headless=True, size=SIZE, auto_pilot=ready)

    from exsim.tui.app import ExsimApp

    ExsimApp.run = run
    main(["play"], standalone_mode=False)


def bare_app(count: int):
    """A bare Textual app with *count* widgets of the kinds the game's screens use."""
    from textual.app import App
    from textual.binding import Binding
    from textual.containers import VerticalScroll
    from textual.widgets import Button, Footer, Input, Label, Select, Static

    kinds = [Static, Label, Input, Button]

    class Bare(App):
        BINDINGS = [Binding("n", "bell", "Next", id="next", tooltip="A binding in the footer")]  # noqa: RUF012

        def compose(self):
            with VerticalScroll():
                for n in range(count - 3):
                    kind = kinds[n % len(kinds)]
                    yield kind(f"widget {n}") if kind is not Input else Input(f"{n}")
                yield Select([("one", 1), ("two", 2)], value=1, allow_blank=False)
            yield Footer()

    return Bare()


def child_bare(count: int) -> None:
    async def ready(pilot) -> None:
        await pilot.pause()
        report({})

    bare_app(count).run(headless=True, size=SIZE, auto_pilot=ready)


def timed_keys(app, pilot, latencies: list[float]) -> None:
    """Make pilot.press time each key from posting it to the last repaint it caused."""
    painted: list[float] = []
    display, press = app._display, pilot.press

    def timed_display(screen, renderable):
        display(screen, renderable)
        painted.append(time.perf_counter())

    async def timed(*keys: str) -> None:
        for key in keys:
            before, start = len(painted), time.perf_counter()
            await press(key)
            await pilot.pause()
            if len(painted) > before:
                latencies.append(painted[-1] - start)

    app._display = timed_display
    pilot.press = timed


def child_bare_keys(count: int) -> None:
    """The baseline for key presses: focus moves and scrolling in the bare app."""
    app = bare_app(count)
    latencies: list[float] = []

    async def main() -> None:
        async with app.run_test(size=SIZE) as pilot:
            timed_keys(app, pilot, latencies)
            for _ in range(20):
                await pilot.press("tab", "down", "shift+tab", "up")

    asyncio.run(main())
    print(json.dumps({"latencies": latencies}))


def child_campaign() -> None:
    """Play the whole campaign through the UI, timing key-press to repaint; print figures."""
    sys.path.insert(0, str(ROOT / "tests" / "tui"))
    from tui_steps import play_to_debrief, set_up

    from exsim.store import SessionStore
    from exsim.tui.app import ExsimApp

    store = SessionStore.open(os.environ["EXSIM_DATA_DIR"])
    app = ExsimApp(store, scenario=NOVEMBER)
    latencies: list[float] = []

    async def main() -> None:
        async with app.run_test(size=SIZE) as pilot:
            timed_keys(app, pilot, latencies)
            await set_up(pilot, [("Ana", "president"), ("Ben", "rusk")])
            for _ in range(6):  # the policy machine, a focus move, the next screen
                await pilot.press("m", "escape", "tab", "n")
            await play_to_debrief(pilot, {})

    asyncio.run(main())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB → MiB on Linux
    print(json.dumps({"latencies": latencies, "peak_mib": peak}))


# -- the parent: runs the children and prints the figures ---------------------------------------


def spawn(*args: str) -> dict:
    env = dict(os.environ, EXSIM_DATA_DIR=tempfile.mkdtemp(prefix="exsim-bench-"))
    env["BENCH_SPAWNED"] = repr(time.time())
    out = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        {
            "exsim": child_exsim,
            "bare": lambda: child_bare(int(rest[0])),
            "campaign": child_campaign,
            "bare_keys": lambda: child_bare_keys(int(rest[0])),
        }[kind]()
        return

    widgets = spawn("exsim")["widgets"]  # warms the file cache too
    ours, bare = [], []
    for _ in range(args.repeat):  # interleaved, so both see the same machine state
        ours.append(spawn("exsim")["seconds"])
        bare.append(spawn("bare", str(widgets))["seconds"])
    ours_s, bare_s = statistics.median(ours), statistics.median(bare)
    print(f"start-up to the first interactive screen ({widgets} widgets, median of {args.repeat}):")
    print(f"  exsim        {ours_s * 1000:7.0f} ms")
    print(f"  bare Textual {bare_s * 1000:7.0f} ms")
    print(f"  ratio        {ours_s / bare_s:7.2f}x   (target <= 1.25x)")

    played = spawn("campaign")
    lat = sorted(played["latencies"])
    base = statistics.median(spawn("bare_keys", str(widgets))["latencies"])
    print(f"key-press to repaint over a whole campaign ({len(lat)} key presses):")
    print(f"  median       {statistics.median(lat) * 1000:7.1f} ms   (target <= 20 ms)")
    print(f"  90th pct     {lat[int(len(lat) * 0.9)] * 1000:7.1f} ms")
    print(f"  bare Textual {base * 1000:7.1f} ms   (median of focus moves and scrolling)")
    print(f"peak memory of that process: {played['peak_mib']:.1f} MiB   (target <= 50 MiB)")


if __name__ == "__main__":
    main()
