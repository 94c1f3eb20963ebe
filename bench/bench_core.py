"""Core benchmarks: scenario loading, one engine decision, a 1000-state scenario.

Run: .venv/bin/python bench/bench_core.py [--repeat N]

Each figure is the median CPU time of several repetitions, printed beside a baseline
measured in the same run, with the ratio and the target. Nothing here asserts: the figures
are for people.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from exsim import paths
from exsim.engine import Campaign, Game, ScenarioError, open_campaign
from exsim.engine.explore import MAX_NODES, explore
from exsim.engine.policy import Policy, PolicyMachines
from exsim.engine.quickwalk import quick_walk
from exsim.scenario.loader import read_scenario
from longer import repeated  # bench/ is on the path when this file is run

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "data" / "mini.yaml"
BUNDLED = paths.BUNDLED_SCENARIOS / "november-1962.yaml"


def median_time(fn: Callable[[], object], repeat: int, number: int = 1) -> float:
    """Median seconds per call of *fn* over *repeat* rounds of *number* calls."""
    fn()  # warm up
    rounds = []
    for _ in range(repeat):
        start = time.process_time()
        for _ in range(number):
            fn()
        rounds.append((time.process_time() - start) / number)
    return statistics.median(rounds)


def fmt(seconds: float) -> str:
    if seconds >= 1e-3:
        return f"{seconds * 1e3:8.2f} ms"
    return f"{seconds * 1e6:8.2f} µs"


def report(title: str, measured: float, baseline: float, base_name: str, target: str) -> None:
    print(f"\n{title}")
    print(f"  measured   {fmt(measured)}")
    print(f"  baseline   {fmt(baseline)}  ({base_name})")
    print(f"  ratio      {measured / baseline:8.1f}x   target: {target}")


# -- (a) load, validate and build the bundled scenario ---------------------------------------


def median_times(fns: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Median seconds per call of each of *fns*, called in turn in each of *repeat* rounds, so
    that load from elsewhere on the machine falls on a figure and its baseline alike."""
    for fn in fns.values():
        fn()  # warm up
    rounds: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            start = time.process_time()
            fn()
            rounds[name].append(time.process_time() - start)
    return {name: statistics.median(times) for name, times in rounds.items()}


def first_open_figures(path: Path, repeat: int, cache_root: str) -> dict[str, float]:
    """The C yaml.load of *path*'s text, its first open with an empty cache, and the two parts
    of a first open (read_scenario, the quick walk), measured in turn."""
    text = path.read_text()
    campaign = Campaign(read_scenario(path))

    def first_open() -> None:
        os.environ[paths.CACHE_DIR_ENV] = tempfile.mkdtemp(dir=cache_root)
        open_campaign(path)

    return median_times(
        {
            "baseline": lambda: yaml.load(text, Loader=yaml.CSafeLoader),
            "first": first_open,
            "read": lambda: read_scenario(path),
            "quick": lambda: quick_walk(campaign, MAX_NODES).sound,
        },
        repeat,
    )


def report_parts(t: dict[str, float]) -> None:
    print(
        f"  of which    {fmt(t['read'])}  read_scenario: YAML, shape, references "
        f"({t['read'] / t['baseline']:.1f}x the baseline)"
    )
    print(
        f"  and         {fmt(t['quick'])}  the quick walk that proves every path sound "
        f"({t['quick'] / t['baseline']:.1f}x the baseline)"
    )


def bench_load(repeat: int, cache_root: str) -> None:
    path, note = BUNDLED, ""
    try:
        open_campaign(BUNDLED)
    except ScenarioError as exc:
        why = "not found" if not BUNDLED.is_file() else f"has {len(exc.problems)} problem(s)"
        path, note = MINI, f" (november-1962.yaml {why}: using tests/data/mini.yaml)"
    t = first_open_figures(path, repeat, cache_root)
    report(
        f"(a) first open: open_campaign of {path.name}{note} with an empty cache: YAML, shape, "
        "references, and the proof that every path is sound",
        t["first"],
        t["baseline"],
        "yaml.load(text, Loader=yaml.CSafeLoader) of the same file",
        "<= 3x",
    )
    report_parts(t)
    campaign = Campaign(read_scenario(path))
    exact = median_time(lambda: explore(campaign), max(3, repeat // 3))
    walked = explore(campaign)
    print(
        f"  (the exact walk, run only when the quick one finds a doubt, or by `exsim explore`: "
        f"{fmt(exact).strip()}, {walked.nodes:,} nodes, {walked.paths:,} games)"
    )
    text = path.read_text()
    os.environ[paths.CACHE_DIR_ENV] = tempfile.mkdtemp(dir=cache_root)
    open_campaign(path)  # proves once and marks the text in the (temporary) cache
    warm = median_times(
        {
            "baseline": lambda: yaml.load(text, Loader=yaml.CSafeLoader),
            "warm": lambda: open_campaign(path),
        },
        repeat,
    )
    report(
        "(a) every later open of the same text (the proof remembered in the cache)",
        warm["warm"],
        warm["baseline"],
        "the same yaml.load",
        "<= 3x",
    )


def bench_longer(repeat: int, cache_root: str) -> None:
    """First open of a campaign three times the bundled one (`longer.repeated`)."""
    text = repeated(BUNDLED.read_text(), 3)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "november-1962-x3.yaml"
        path.write_text(text)
        shutil.copytree(BUNDLED.parent / "sources", Path(folder) / "sources")  # the cited texts
        t = first_open_figures(path, repeat, cache_root)
        campaign = Campaign(read_scenario(path))
        exact = median_time(lambda: explore(campaign), max(3, repeat // 3))
        walked = explore(campaign)
    report(
        f"(a) first open of a campaign three times the bundled one ({len(campaign.steps)} "
        "steps: its phases three times over, fresh ids, dates shifted), empty cache",
        t["first"],
        t["baseline"],
        "yaml.load(text, Loader=yaml.CSafeLoader) of the same file",
        "<= 3x",
    )
    report_parts(t)
    print(
        f"  (its exact walk: {fmt(exact).strip()}, {walked.nodes:,} nodes, "
        f"{'stopped' if walked.truncated else 'every path walked'})"
    )


# -- (b) one engine decision -------------------------------------------------------------------


def bench_decide(repeat: int) -> None:
    """Game.decide on a decision that fires a trigger and is followed by a response."""
    campaign = open_campaign(MINI)
    number = 200

    def fresh_games() -> list[Game]:
        games = []
        for _ in range(number):
            game = Game(campaign, mode="what-if", seed=1)
            game.decide("pledge", "withhold")
            games.append(game)
        return games

    rounds = []
    for _ in range(repeat):
        games = fresh_games()
        start = time.process_time()
        for game in games:
            game.decide("pressure", ["wait", "tighten"])
        rounds.append((time.process_time() - start) / number)
    batch = statistics.median(rounds)

    calls = []
    for _ in range(repeat * number):
        game = Game(campaign, mode="what-if", seed=1)
        game.decide("pledge", "withhold")
        start = time.perf_counter_ns()
        game.decide("pressure", ["wait", "tighten"])
        calls.append((time.perf_counter_ns() - start) / 1e9)
    measured = statistics.median(calls)

    table = {("in_force", "tighten"): "tightened", ("in_force", "lift"): "lifted"}
    state = {"quarantine": "in_force"}

    def lookup() -> None:
        state["quarantine"] = table[("in_force", "tighten")]

    baseline = median_time(lookup, repeat, number=10_000)
    policy = Policy(campaign.machines)

    def fire_and_undo() -> None:
        policy.undo([policy.fire("tighten")])

    per_fire = median_time(fire_and_undo, repeat, number=1000)
    print(f"\n    Policy.fire + undo of one trigger: {fmt(per_fire)} (transitions Machine)")
    report(
        "(b) Game.decide('pressure', [wait, tighten]) on mini: checks, one trigger, "
        "then the counterpart's response drawn",
        measured,
        baseline,
        "a plain dict lookup-transition",
        "<= 50 µs absolute",
    )
    print(f"  absolute   {fmt(measured)} per decision: {'met' if measured <= 50e-6 else 'MISSED'}")
    print(
        f"  timed one call at a time on the game just set up (median of {repeat * number:,});\n"
        f"  timed as a batch over {number} games set up beforehand, whose objects have left the "
        f"CPU caches: {fmt(batch).strip()} per decision"
    )


# -- (c) a generated 1000-state scenario -------------------------------------------------------


def big_scenario(states: int = 1000, decisions: int = 5) -> str:
    """One dimension of *states* states chained by triggers, and a few decisions moving on it."""
    ids = [f"s{i}" for i in range(states)]
    lines = [
        "format: 1",
        "id: big",
        "title: Generated",
        'version: "1"',
        "summary: A chain of states, for benchmarks.",
        "sources:",
        "  - {id: doc, short: Doc, title: Doc, reference: Doc, date: 1962-11-13}",
        "roles:",
        "  - {id: president, name: President, office: President}",
        "machine:",
        "  dimensions:",
        "    - id: track",
        "      label: Track",
        "      initial: s0",
        "      states:",
        *[f"        - {{id: {s}, label: {s.upper()}}}" for s in ids],
        "  guards:",
        "    - {id: early, when: {track: [s0, s1, s2, s3]}, reason: Only early., cite: [doc]}",
        "  triggers:",
        *[
            f"    - {{id: go_{i}, label: Go {i}, dimension: track, source: [{ids[i]}], "
            f"dest: {ids[i + 1]}{', guards: [early]' if i < 3 else ''}}}"
            for i in range(states - 1)
        ],
        "phases:",
        "  - id: meeting",
        "    title: Meeting",
        "    date: 1962-11-13",
        "    chair: president",
        "    present: [president]",
        "    decisions:",
    ]
    for d in range(decisions):
        lines += [
            f"      - id: d{d}",
            f"        title: Decision {d}",
            "        question: Move on?",
            "        options:",
            "          - {id: stay, label: Stay}",
            f"          - {{id: go, label: Go, triggers: [go_{d}]}}",
            "        record: {chosen: [stay], summary: Stayed., cite: [doc]}",
        ]
    lines += [
        "endings:",
        "  - {id: end, title: End, text: The end., cite: [doc]}",
    ]
    return "\n".join(lines) + "\n"


def bench_big(repeat: int) -> None:
    text = big_scenario()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.yaml"
        path.write_text(text)
        campaign = open_campaign(path)
        opened = median_time(lambda: open_campaign(path), repeat)
        policy = median_time(lambda: PolicyMachines(campaign.scenario), repeat)
        baseline = median_time(lambda: yaml.load(text, Loader=yaml.CSafeLoader), repeat)
    print("\n(c) generated scenario: 1000 states chained by 999 triggers, 5 decisions")
    print(
        f"  machines built      {fmt(policy)}  target <= 100 ms: "
        f"{'met' if policy <= 0.1 else 'MISSED'}  (PolicyMachines: the transitions machines)"
    )
    print(f"  open_campaign       {fmt(opened)}  (for reference: reading, checking and building)")
    print(f"  baseline            {fmt(baseline)}  (yaml.load with CSafeLoader of the same text)")
    print(f"  ratio               {opened / baseline:8.1f}x  (open_campaign / baseline)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="repetitions per figure")
    args = parser.parse_args(argv)
    print(f"Python {sys.version.split()[0]}, median of {args.repeat} repetitions")
    with tempfile.TemporaryDirectory(prefix="exsim-bench-cache-") as cache_root:
        os.environ[paths.CACHE_DIR_ENV] = cache_root
        bench_load(args.repeat, cache_root)
        bench_longer(args.repeat, cache_root)
        bench_decide(args.repeat)
        bench_big(args.repeat)


if __name__ == "__main__":
    main()
