"""Store and report benchmarks on the November 1962 scenario.

Run: .venv/bin/python bench/bench_store.py [--groups N] [--repeat N]

Each figure is the median wall time (the store waits for the disk) beside a baseline measured
in the same run, with the ratio. Nothing here asserts: the figures are for people.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from exsim import paths
from exsim.engine import Game, open_campaign
from exsim.engine.game import option_sets
from exsim.report import classes, debrief
from exsim.report.render import document
from exsim.store import SessionStore, transfer

SCENARIO = paths.BUNDLED_SCENARIOS / "november-1962.yaml"


def median(fn: Callable[[], object], repeat: int) -> float:
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def moves(campaign, seed: int) -> list[tuple[str, list[str]]]:
    """A random game's decisions, to replay identically with and without the store."""
    rng = random.Random(seed)
    game = Game(campaign, seed=seed, mode="what-if")
    played = []
    while not game.finished:
        decision = game.current.decision
        allowed = {o.id for o in game.options() if o.allowed}
        picks = list(rng.choice([s for s in option_sets(decision) if set(s) <= allowed]))
        game.decide(decision.id, picks)
        played.append((decision.id, picks))
    return played


def row(name: str, value: float, base: float, base_name: str) -> None:
    ms, base_ms = value * 1000, base * 1000
    print(f"{name:<44} {ms:9.2f} ms   {base_name:<30} {base_ms:8.2f} ms  ×{value / base:7.1f}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--groups", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    campaign = open_campaign(SCENARIO)
    games = [moves(campaign, n) for n in range(args.groups)]
    steps = sum(len(g) for g in games)
    print(f"{campaign.id} {campaign.version}: {args.groups} games, {steps} decisions\n")
    with tempfile.TemporaryDirectory() as tmp, SessionStore.open(Path(tmp)) as store:

        def play_only() -> None:
            for seed, played in enumerate(games[:10]):
                game = Game(campaign, seed=seed, mode="what-if")
                for decision, picks in played:
                    game.decide(decision, picks)

        def play_and_save() -> None:
            for seed, played in enumerate(games[:10]):
                sid = store.create(campaign, f"G{seed}", {}, seed=seed, mode="what-if")
                game = Game(campaign, seed=seed, mode="what-if")
                store.save(sid, game)
                for decision, picks in played:
                    game.decide(decision, picks)
                    store.save(sid, game)

        decisions = sum(len(g) for g in games[:10])
        base = median(play_only, args.repeat) / decisions
        row(
            "decide + save (one transaction, fsync)",
            median(play_and_save, args.repeat) / decisions,
            base,
            "decide in memory",
        )
        ids = []
        for seed, played in enumerate(games):
            sid = store.create(campaign, f"Group {seed}", {"rusk": "R"}, seed=seed, mode="what-if")
            game = Game(campaign, seed=seed, mode="what-if")
            for decision, picks in played:
                game.decide(decision, picks)
            store.save(sid, game)
            ids.append(sid)
        one = games[0]

        def fresh() -> Game:
            game = Game(campaign, seed=0, mode="what-if")
            for decision, picks in one:
                game.decide(decision, picks)
            return game

        base = median(fresh, args.repeat)
        row(
            "resume one finished session (read + replay)",
            median(lambda: store.resume(ids[0], campaign), args.repeat),
            base,
            "play its decisions in memory",
        )
        row(
            f"list {len(store.list())} sessions",
            median(store.list, args.repeat),
            base,
            "play one game in memory",
        )
        game = store.resume(ids[0], campaign)
        session = store.get(ids[0])
        d = debrief.build(game, session)
        built = median(lambda: debrief.build(game, session), args.repeat)
        row("debrief: build", built, base, "play one game in memory")
        row(
            "debrief: Markdown",
            median(lambda: document(d, "md"), args.repeat),
            built,
            "debrief: build",
        )
        row(
            "debrief: HTML",
            median(lambda: document(d, "html"), args.repeat),
            built,
            "debrief: build",
        )
        exported = json.dumps(transfer.export_data(store, ids[0]))

        def round_trip() -> None:
            with tempfile.TemporaryDirectory() as other, SessionStore.open(Path(other)) as there:
                transfer.import_text(there, exported, "x.json")

        row(
            "import one session (fresh store)",
            median(round_trip, args.repeat),
            base,
            "play one game in memory",
        )
        all_games = [store.resume(i, campaign) for i in ids]
        sessions = store.list()
        per = {s.id: s for s in sessions}
        base = median(
            lambda: [debrief.build(g, per[i]) for g, i in zip(all_games, ids, strict=True)], 1
        )
        row(
            f"class report of {args.groups} from the store",
            median(lambda: classes.from_store(store, campaign, ids), 1),
            base,
            f"{args.groups} debriefs in memory",
        )
        report = classes.from_store(store, campaign, ids)
        row(
            f"class report of {args.groups}: HTML",
            median(lambda: document(report, "html"), args.repeat),
            base,
            f"{args.groups} debriefs in memory",
        )
        size = (Path(tmp) / "sessions.sqlite3").stat().st_size
        print(f"\nstore file: {size / 1024:.0f} KiB for {len(store.list())} sessions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
