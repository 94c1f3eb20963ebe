"""Speed of `exsim simulate`, with ratios against baselines measured in the same run.

    .venv/bin/python bench/bench_simulate.py [SCENARIO] [--games N]

Prints: transitions triggers/s beside plain-dict look-ups/s; games/s for a full Game per game
(transitions machines built per game), for fast table play on one core, and for a plain-dict
reference loop over the same table; the ratio fast/reference; peak memory of a 10,000-game
run (measured in a fresh process); and games/s with --jobs 2.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from bisect import bisect
from pathlib import Path

from exsim import paths
from exsim.engine import open_campaign
from exsim.engine.fastplay import FastPlay
from exsim.engine.policy import Policy
from exsim.engine.simulate import chunk_random, play_plan, record_plan, simulate

MINI = Path(__file__).resolve().parents[1] / "tests" / "data" / "mini.yaml"


def rate(fn, count: int) -> float:
    start = time.perf_counter()
    fn()
    return count / (time.perf_counter() - start)


def trigger_rates(campaign) -> tuple[float, float]:
    """Triggers/s through a transitions Machine, and plain-dict transitions/s, same moves."""
    policy = Policy(campaign.machines)
    t = campaign.scenario.machine.triggers[0]
    machine = policy.machines[t.dimension]
    event = machine.events[t.id]
    n = 50_000

    def fire():
        for _ in range(n):
            machine.set_state(t.source[0], model=policy.model)
            event.trigger(policy.model)

    table = {(s, t.id): t.dest for s in t.source}

    def look_up():
        state = t.source[0]
        for _ in range(n):
            state = t.source[0]
            state = table[state, t.id]

    return rate(fire, n), rate(look_up, n)


def reference_rate(play: FastPlay, games: int) -> float:
    """The same games as a bare loop over plain dicts: no measures, fallbacks or counting."""
    tables = [{node: (act[0], act[1]) for node, act in table.items()} for table in play.tables]
    rng = random.Random(1)
    rnd = rng.random
    start_node = play.start

    def loop():
        ends = {}
        for _ in range(games):
            node = start_node
            for table in tables:
                cum, nexts = table[node]
                node = nexts[0 if cum is None else bisect(cum, rnd() * cum[-1], 0, len(cum) - 1)]
            ends[node] = ends.get(node, 0) + 1

    return rate(loop, games)


def memory_of_run(scenario: Path, games: int) -> dict:
    """Peak memory of a *games*-game run in a fresh process (VmHWM where /proc has it:
    ru_maxrss would carry over this process's own peak through fork and exec)."""
    code = f"""
import json, resource, tracemalloc
from pathlib import Path
from exsim.engine import open_campaign
from exsim.engine.simulate import record_plan, simulate

def peak_rss():
    status = Path("/proc/self/status")
    if status.exists():
        line = next(x for x in status.read_text().splitlines() if x.startswith("VmHWM"))
        return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

c = open_campaign({str(scenario)!r})
plan = record_plan(c)
before = peak_rss()
tracemalloc.start()
simulate(c, plan, {games})
peak = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
print(json.dumps({{"traced_peak": peak, "rss_before": before, "rss_after": peak_rss()}}))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?")
    parser.add_argument("--games", type=int, default=200_000)
    args = parser.parse_args()
    if args.scenario:
        scenario = Path(args.scenario)
    else:
        try:
            scenario = paths.resolve_scenario(paths.DEFAULT_SCENARIO)
        except LookupError:
            scenario = MINI
            print("NOTE: the bundled scenario is not there yet; measuring tests/data/mini.yaml")
    campaign = open_campaign(scenario)
    plan = record_plan(campaign)
    print(f"scenario: {scenario.name} ({len(campaign.steps)} agenda steps), policy: {plan.label}")

    fire, look_up = trigger_rates(campaign)
    print(f"transitions triggers/s       {fire:>12,.0f}")
    print(f"plain-dict transitions/s     {look_up:>12,.0f}   ratio {look_up / fire:,.0f}x")

    n_game = 2_000
    game_rate = rate(lambda: [play_plan(campaign, plan, s) for s in range(n_game)], n_game)
    print(f"Game per game (machines)     {game_rate:>12,.0f} games/s")

    play = FastPlay(campaign, plan.choose, plan.mode)
    play.run(20_000, random.Random(0).random)  # fill the table
    games = args.games
    fast = rate(lambda: play.run(games, random.Random(1).random), games)
    reference = reference_rate(play, games)
    print(f"fast table play, one core    {fast:>12,.0f} games/s   ({fast / game_rate:,.0f}x Game)")
    print(f"plain-dict reference loop    {reference:>12,.0f} games/s")
    print(f"reference / fast             {reference / fast:>12.2f}x   (target <= 4x)")
    whole = rate(lambda: simulate(campaign, plan, games, seed=1), games)
    print(f"simulate(), one process      {whole:>12,.0f} games/s   (table built inside)")
    two = rate(lambda: simulate(campaign, plan, games * 2, seed=1, jobs=2), games * 2)
    print(f"simulate(), --jobs 2         {two:>12,.0f} games/s")
    assert chunk_random(1, 0).random() == chunk_random(1, 0).random()

    mem = memory_of_run(scenario, 10_000)
    mib = 1024 * 1024
    print(
        f"10,000-game run: traced peak {mem['traced_peak'] / mib:.2f} MiB; process RSS "
        f"{mem['rss_before'] / mib:.1f} MiB after loading, {mem['rss_after'] / mib:.1f} MiB "
        f"after the run (+{(mem['rss_after'] - mem['rss_before']) / mib:.1f} MiB)"
    )


if __name__ == "__main__":
    main()
