"""Game UI benchmarks: start-up against a bare Textual app, key-press to repaint, peak memory.

Run: .venv/bin/python bench/bench_tui.py [--repeat N]

- Start-up: wall time from launching `exsim` (through its click command, headless) until the
  start screen is first written out, with its focus set, beside a bare Textual app mounting as
  many widgets, both in fresh processes in this run. Target: ratio <= 1.25. Beside it the
  CPU time each process took until then (the ratio other load on the machine moves least),
  and the time until the scenario has loaded behind it (in a worker) and the saved games
  are open. exsim's modules are byte-compiled first, as a wheel install leaves them.
- Key-press to repaint: from posting a key to the first repaint after it, and to the last
  repaint before the app is idle again, over a whole campaign played through the UI (next,
  focus moves, the policy machine); the bare app's focus moves and scrolling the same way.
  Target: median <= 20 ms.
- Peak memory: the largest resident set of a process that plays the whole campaign through
  the UI, beside the bare app's, and the bare app's with the scenario model (pydantic) imported:
  the floor under any screen of the game. Target: at most 1.3x the latter, printed as a
  ratio.

Nothing here asserts: the figures are for people.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
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


def since_spawned() -> float:
    return time.time() - float(os.environ["BENCH_SPAWNED"])


def report(figures: dict) -> None:
    """Print the figures (seconds since the parent launched this process), and leave at once."""
    print(json.dumps(figures), flush=True)
    os._exit(0)


def on_first_screen(app, figures: dict) -> None:
    """Note when *app* first writes out a screen with widgets on it (the first paint)."""
    display = app._display

    def noted(screen, renderable):
        display(screen, renderable)
        if "painted" not in figures and screen.children:
            figures["painted"] = since_spawned()
            figures["cpu"] = time.process_time()
            figures["widgets"] = len(list(screen.walk_children()))

    app._display = noted


def child_exsim() -> None:
    """`exsim play`: the start screen's first paint, then the scenario loaded and store open."""
    from textual.app import App

    from exsim.cli import main

    figures: dict = {}

    async def ready(pilot) -> None:
        while pilot.app.screen.campaign is None or pilot.app.store is None:
            await asyncio.sleep(0.005)
        figures["loaded"] = since_spawned()
        report(figures)

    def run(self, **kw):  # the real App.run, headless
        on_first_screen(self, figures)
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
    figures: dict = {}

    async def ready(pilot) -> None:
        while "painted" not in figures:
            await asyncio.sleep(0.005)
        report(figures)

    app = bare_app(count)
    on_first_screen(app, figures)
    app.run(headless=True, size=SIZE, auto_pilot=ready)


def quiet_inputs() -> None:
    """No blinking cursor: its repaints would be taken for a key's."""
    from textual.widgets import Input

    Input.cursor_blink._default = False


def timed_keys(app, pilot, firsts: list[float], lasts: list[float]) -> None:
    """Make pilot.press time each key: from posting it to the first repaint (the key seen) and
    to the last repaint before the app is idle again (its effect complete).

    pilot.pause() repaints at its end whatever happened, so it is not part of the timing.
    """
    from textual._wait import wait_for_idle

    painted: list[float] = []
    display, press = app._display, pilot.press

    def timed_display(screen, renderable):
        display(screen, renderable)
        painted.append(time.perf_counter())

    async def timed(*keys: str) -> None:
        for key in keys:
            before, start = len(painted), time.perf_counter()
            await press(key)
            await pilot._wait_for_screen()
            await wait_for_idle(0)
            if len(painted) > before:
                firsts.append(painted[before] - start)
                lasts.append(painted[-1] - start)
            await pilot.pause()

    app._display = timed_display
    pilot.press = timed


def child_bare_keys(count: int, with_model: bool = False) -> None:
    """The baseline for key presses and memory: focus moves and scrolling in the bare app.

    *with_model*: import the scenario model first (pydantic and its validators), the part of
    exsim's memory that no screen of the game can do without.
    """
    if with_model:
        import exsim.scenario.model  # noqa: F401
    quiet_inputs()
    app = bare_app(count)
    firsts: list[float] = []
    lasts: list[float] = []

    async def main() -> None:
        async with app.run_test(size=SIZE) as pilot:
            timed_keys(app, pilot, firsts, lasts)
            for _ in range(20):
                await pilot.press("tab", "down", "shift+tab", "up")

    asyncio.run(main())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB → MiB on Linux
    print(json.dumps({"firsts": firsts, "lasts": lasts, "peak_mib": peak}))


def child_campaign() -> None:
    """Play the whole campaign through the UI, timing key-press to repaint; print figures."""
    sys.path[:0] = [str(ROOT / "tests" / "tui"), str(ROOT / "tests")]  # as pytest's pythonpath
    from tui_steps import play_to_debrief, set_up

    from exsim.store import SessionStore
    from exsim.tui.app import ExsimApp

    quiet_inputs()
    store = SessionStore.open(os.environ["EXSIM_DATA_DIR"])
    app = ExsimApp(store, scenario=NOVEMBER)
    firsts: list[float] = []
    lasts: list[float] = []

    async def main() -> None:
        async with app.run_test(size=SIZE) as pilot:
            timed_keys(app, pilot, firsts, lasts)
            await set_up(pilot, [("Ana", "president"), ("Ben", "rusk")])
            for _ in range(6):  # the policy machine, a focus move, the next screen
                await pilot.press("m", "escape", "tab", "n")
            await play_to_debrief(pilot, {})

    asyncio.run(main())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB → MiB on Linux
    print(json.dumps({"firsts": firsts, "lasts": lasts, "peak_mib": peak}))


# -- the parent: runs the children and prints the figures ---------------------------------------


def spawn(*args: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="exsim-bench-") as data:
        env = dict(os.environ, EXSIM_DATA_DIR=data, BENCH_SPAWNED=repr(time.time()))
        out = subprocess.run(
            [sys.executable, __file__, "--child", *args],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
    return json.loads(out.stdout.strip().splitlines()[-1])


def compile_exsim() -> None:
    """Byte-compile exsim's modules, as installing a wheel does: the bare app's Textual comes
    compiled, and with PYTHONDONTWRITEBYTECODE set (as in some shells) exsim's sources would
    otherwise be compiled again at every launch, about 30 ms of its start-up."""
    import exsim

    compileall.compile_dir(Path(exsim.__file__).parent, quiet=1)


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
            "bare_model": lambda: child_bare_keys(int(rest[0]), with_model=True),
        }[kind]()
        return

    compile_exsim()
    widgets = spawn("exsim")["widgets"]  # warms the file cache too
    ours, bare = [], []
    for _ in range(args.repeat):  # interleaved, so both see the same machine state
        ours.append(spawn("exsim"))
        bare.append(spawn("bare", str(widgets)))
    ours_s = statistics.median(r["painted"] for r in ours)
    bare_s = statistics.median(r["painted"] for r in bare)
    loaded = statistics.median(r["loaded"] for r in ours)
    print(
        f"start-up to the first paint of the first screen ({widgets} widgets, median of "
        f"{args.repeat}):"
    )
    print(f"  exsim        {ours_s * 1000:7.0f} ms")
    print(f"  bare Textual {bare_s * 1000:7.0f} ms")
    print(f"  ratio        {ours_s / bare_s:7.2f}x   (target <= 1.25x)")
    ours_cpu = statistics.median(r["cpu"] for r in ours)
    bare_cpu = statistics.median(r["cpu"] for r in bare)
    print(
        f"  CPU time to the first paint: exsim {ours_cpu * 1000:.0f} ms, bare "
        f"{bare_cpu * 1000:.0f} ms, ratio {ours_cpu / bare_cpu:.2f}x (other load moves it less)"
    )
    print(f"  exsim with the scenario loaded and the saved games open: {loaded * 1000:.0f} ms")

    played = [spawn("campaign") for _ in range(max(1, args.repeat // 3))]
    based = [spawn("bare_keys", str(widgets)) for _ in range(max(1, args.repeat // 3))]
    floor = [spawn("bare_model", str(widgets)) for _ in range(max(1, args.repeat // 3))]

    def ms(runs: list[dict], key: str) -> str:
        return f"{statistics.median(x for r in runs for x in r[key]) * 1000:7.1f} ms"

    count = sum(len(r["firsts"]) for r in played)
    print(f"key-press to repaint, {len(played)} whole campaign(s) ({count} key presses):")
    print(f"  exsim        first repaint {ms(played, 'firsts')}, settled {ms(played, 'lasts')}")
    print(f"  bare Textual first repaint {ms(based, 'firsts')}, settled {ms(based, 'lasts')}")
    print("  (median; target <= 20 ms; bare: focus moves and scrolling)")
    peak = statistics.median(r["peak_mib"] for r in played)
    bare_peak = statistics.median(r["peak_mib"] for r in based)
    print("peak memory (largest resident set, median):")
    print(f"  exsim, a whole campaign {peak:7.1f} MiB")
    print(f"  bare Textual            {bare_peak:7.1f} MiB")
    floor_peak = statistics.median(r["peak_mib"] for r in floor)
    print(f"  bare Textual with exsim's scenario model (pydantic) imported {floor_peak:7.1f} MiB")
    print(f"  ratio to the bare app with the model {peak / floor_peak:7.2f}x   (target <= 1.3x)")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
