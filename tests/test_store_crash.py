"""Reliability: SIGKILL at random moments of play, and two processes writing one store."""

from __future__ import annotations

import hashlib
import random
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from exsim.engine import open_campaign
from exsim.store import SessionStore
from exsim.store.session import entry_json

MINI = Path(__file__).parent / "data" / "mini.yaml"
KILLS = 104
LANES = 4

# A scripted class: start or continue sessions, move at random, save each move, and print
# (flushed) what was committed so the parent knows what must survive.
PLAYER = r"""
import hashlib, random, sys
from exsim.engine.campaign import Campaign
from exsim.engine.game import option_sets
from exsim.scenario.loader import read_scenario
from exsim.store import SessionStore
from exsim.store.session import entry_json

data, mini, seed, name = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
rng = random.Random(seed)
campaign = Campaign(read_scenario(mini))

def digest(entries):
    return hashlib.sha256("".join(entry_json(e) for e in entries).encode()).hexdigest()

def said(*words):
    print(*words, flush=True)

store = SessionStore.open(data)
said("ready")
while True:
    open_ones = [s for s in store.list() if not s.finished]
    if open_ones and rng.random() < 0.5:
        sid = rng.choice(open_ones).id
        game = store.resume(sid, campaign)
    else:
        sid = store.create(campaign, f"{name} {rng.randrange(999)}", {"rusk": "Ben"},
                           seed=rng.randrange(99), mode="what-if")
        game = store.resume(sid, campaign)
        store.save(sid, game)
    said("saved", sid, len(game.log), digest(game.log))
    while not game.finished:
        decision = game.current.decision
        allowed = [
            s for s in option_sets(decision)
            if all(o.allowed for o in game.options() if o.id in s)
        ]
        recs = {}
        if "rusk" in campaign.recommenders(decision):
            store.add_recommendation(sid, decision.id, "rusk", list(rng.choice(allowed)))
            recs = {"rusk": list(rng.choice(allowed))}
        game.decide(decision.id, list(rng.choice(allowed)), recommendations=recs)
        store.save(sid, game)
        said("saved", sid, len(game.log), digest(game.log))
"""


def digest(entries) -> str:
    return hashlib.sha256("".join(entry_json(e) for e in entries).encode()).hexdigest()


def spawn(data: Path, seed: int, name: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", PLAYER, str(data), str(MINI), str(seed), name],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def check_store(data: Path, promised: dict[str, tuple[int, str]], campaign) -> int:
    """The store opens, passes quick_check, and every promised move resumes intact."""
    with SessionStore.open(data) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for sid, (n, want) in promised.items():
            session = store.get(sid)
            assert len(session.entries) >= n, (sid, len(session.entries), n)
            assert digest(session.entries[:n]) == want, sid
            game = store.resume(sid, campaign)
            assert digest(game.log[:n]) == want
        return len(store.list())


def lane(tmp: Path, number: int, kills: int, campaign) -> tuple[int, int]:
    """Kill a scripted player *kills* times at random moments; check the store after each."""
    rng = random.Random(number)
    data = tmp / f"lane{number}"
    promised: dict[str, tuple[int, str]] = {}
    moves = 0
    for k in range(kills):
        child = spawn(data, rng.randrange(10**6), f"Lane {number}")
        seen = ""
        if rng.random() < 0.2:  # sometimes while it starts up and opens (or creates) the store
            time.sleep(rng.uniform(0, 0.4))
        else:
            assert child.stdout.readline() == "ready\n", child.stderr.read()
            # in the middle of play however slow the machine: after a few saves it reported,
            # at a random moment of the moves that follow
            seen = "".join(child.stdout.readline() for _ in range(rng.randint(2, 4)))
            time.sleep(rng.uniform(0, 0.06))
        child.send_signal(signal.SIGKILL)
        out, err = child.communicate()
        assert child.returncode == -signal.SIGKILL, err
        for line in (seen + out).split("\n")[:-1]:  # complete lines: the kill may cut the last one
            if line.startswith("saved "):
                _, sid, n, want = line.split()
                promised[sid] = (int(n), want)
                moves += 1
        check_store(data, promised, campaign)
        assert "Traceback" not in err, (k, err)
    return len(promised), moves


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is a POSIX signal")
def test_sigkill_at_random_moments_loses_no_committed_move(tmp_path, mini):
    campaign = open_campaign(MINI)
    with ThreadPoolExecutor(LANES) as pool:
        results = list(
            pool.map(lambda n: lane(tmp_path, n, KILLS // LANES, campaign), range(LANES))
        )
    sessions = sum(r[0] for r in results)
    moves = sum(r[1] for r in results)
    assert LANES * (KILLS // LANES) >= 100
    print(f"{LANES * (KILLS // LANES)} kills, {sessions} sessions, {moves} committed saves checked")
    assert sessions > 20 and moves > 100, results  # the kills landed in the middle of play


CLASS = r"""
import sys
from exsim.engine.campaign import Campaign
from exsim.scenario.loader import read_scenario
from exsim.store import SessionStore

data, mini, name, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
campaign = Campaign(read_scenario(mini))
store = SessionStore.open(data)
shared = store.get("Shared").id
print("ready", flush=True)
sys.stdin.readline()  # both terminals start writing together
for n in range(count):
    sid = store.create(campaign, f"{name} {n}", {"rusk": "Ben"})
    game = store.resume(sid, campaign)
    game.decide("pledge", "withhold")
    store.save(sid, game)
    game.decide("pressure", ["wait"] if n % 2 else ["tighten"])
    store.save(sid, game)
    # both terminals also save the same move of one shared session
    together = store.resume(shared, campaign)
    if not together.finished:
        together.decide(together.current.id, together.options()[0].id)
        try:
            store.save(shared, together)
        except Exception as exc:
            assert "already recorded" in str(exc), exc
print("done", flush=True)
"""


def test_two_processes_writing_one_store_lose_and_duplicate_nothing(tmp_path, mini):
    campaign = open_campaign(MINI)
    with SessionStore.open(tmp_path) as store:
        store.create(campaign, "Shared", {})
    count = 40
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CLASS, str(tmp_path), str(MINI), name, str(count)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("Left", "Right")
    ]
    for child in children:
        assert child.stdout.readline() == "ready\n"
    for child in children:
        child.stdin.write("go\n")
        child.stdin.flush()
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0 and out == "done\n", err
    with SessionStore.open(tmp_path) as store:
        sessions = store.list()
        assert len(sessions) == 2 * count + 1
        assert sorted(s.group for s in sessions if s.group != "Shared") == sorted(
            f"{name} {n}" for name in ("Left", "Right") for n in range(count)
        )
        for s in sessions:
            steps = [e.step for e in s.entries]
            assert len(steps) == len(set(steps)), s.id  # no move twice
            if s.group != "Shared":
                assert [e.step for e in s.decisions] == ["pledge", "pressure"]
            assert store.resume(s.id, campaign).log[: len(s.entries)] == s.entries
        shared = next(s for s in sessions if s.group == "Shared")
        assert shared.finished and len(shared.decisions) == 3
